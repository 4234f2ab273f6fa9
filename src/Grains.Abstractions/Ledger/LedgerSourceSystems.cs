namespace Payments.Actors.Ledger;

/// <summary>The systems whose events the ledger posts; with the event id they form the idempotency key.</summary>
public static class LedgerSourceSystems
{
    /// <summary>Events of agg_type 'payment' (topic payments.events).</summary>
    public const string Payments = "payments";

    /// <summary>Events of agg_type 'wallet' (topic wallets.events).</summary>
    public const string Wallets = "wallets";

    /// <summary>The source system of an outbox aggregate type ('payment' or 'wallet'); null for any other.</summary>
    public static string? ForAggregateType(string? aggregateType) => aggregateType switch
    {
        Events.AggregateTypes.Payment => Payments,
        Events.AggregateTypes.Wallet => Wallets,
        _ => null,
    };
}
