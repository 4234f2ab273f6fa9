namespace Payments.Actors.Grains.Ledger;

/// <summary>An account as a posting names it: created on first use from exactly these values.</summary>
public sealed record LedgerAccountRef(string Code, LedgerAccountType Type, string Currency, string? MerchantId, string? OwnerRef);
