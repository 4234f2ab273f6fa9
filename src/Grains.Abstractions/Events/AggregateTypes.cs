namespace Payments.Actors.Events;

/// <summary>The outbox's <c>agg_type</c> values and the Kafka <c>agg_type</c> header: which aggregate wrote an event.</summary>
public static class AggregateTypes
{
    public const string Payment = "payment";

    public const string Wallet = "wallet";

    /// <summary>A PSP notification taken in by webhook ingest (published to <c>webhooks.in</c>, keyed by payment id or transfer reference).</summary>
    public const string PspNotification = "psp_notification";

    /// <summary>Reconciliation: breaks, settlement files and runs (published to <c>recon.events</c>, keyed by their id).</summary>
    public const string Reconciliation = "reconciliation";
}
