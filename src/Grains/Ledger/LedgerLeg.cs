namespace Payments.Actors.Grains.Ledger;

/// <summary>One side of a posting: a positive amount debited or credited to one account.</summary>
public sealed record LedgerLeg(LedgerAccountRef Account, LedgerSide Side, long AmountMinor);
