namespace Payments.Actors.Events;

/// <summary>The Kafka topics of the event contract (docs/events.md), each spelled here once; they are also the Orleans stream namespaces.</summary>
public static class EventTopics
{
    /// <summary>Every payment event, keyed by payment id.</summary>
    public const string PaymentsEvents = "payments.events";

    /// <summary>Every wallet event, keyed by the wallet's uuid.</summary>
    public const string WalletsEvents = "wallets.events";

    /// <summary>PSP notifications as received and normalised by webhook ingest, keyed by payment id (or bank transfer reference).</summary>
    public const string WebhooksIn = "webhooks.in";

    /// <summary>Reconciliation: every step of every break, settlement files loaded or refused, runs completed (<see cref="ReconEventTypes"/>).</summary>
    public const string ReconEvents = "recon.events";

    /// <summary>The topics a silo consumes and creates, in a fixed order.</summary>
    public static IReadOnlyList<string> All { get; } = [PaymentsEvents, WalletsEvents, WebhooksIn, ReconEvents];

    /// <summary>The dead-letter topic of a topic (<c>payments.events.dlq</c>): where events a consumer cannot process wait for a fix.</summary>
    public static string DeadLetterTopic(string topic) => topic + DeadLetterSuffix;

    /// <summary>The topic a dead-letter topic belongs to (<c>payments.events</c> for <c>payments.events.dlq</c>).</summary>
    public static string SourceOfDeadLetterTopic(string deadLetterTopic) =>
        deadLetterTopic.EndsWith(DeadLetterSuffix, StringComparison.Ordinal) ? deadLetterTopic[..^DeadLetterSuffix.Length] : deadLetterTopic;

    private const string DeadLetterSuffix = ".dlq";

    /// <summary>The topic an outbox aggregate type publishes to; null for a type the contract does not know.</summary>
    public static string? ForAggregateType(string? aggregateType) => aggregateType switch
    {
        AggregateTypes.Payment => PaymentsEvents,
        AggregateTypes.Wallet => WalletsEvents,
        AggregateTypes.PspNotification => WebhooksIn,
        AggregateTypes.Reconciliation => ReconEvents,
        _ => null,
    };
}
