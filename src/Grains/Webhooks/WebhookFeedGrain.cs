using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;
using Payments.Actors.Events;
using Payments.Actors.Grains.Wallets;
using Payments.Actors.Infrastructure.Kafka;
using Payments.Actors.Payments;
using Payments.Actors.Streaming.Kafka;
using Payments.Actors.Wallets;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>The consumer of one partition of <c>webhooks.in</c>; the key is the partition number.</summary>
[Alias("pa.IWebhookFeedGrain")]
public interface IWebhookFeedGrain : IGrainWithStringKey;

/// <summary>
/// Kafka into the payments and wallets: each PSP notification goes to its payment grain, which judges it against its
/// state and version (<see cref="NotificationRules"/>); each of the Bank's transfer notifications goes to the wallet
/// whose cash-in or cash-out its transfer_ref names (<see cref="TransferNotificationRules"/>). Records are keyed by
/// payment id or by transfer, so one subject's notifications are in one partition in ingest order; they are offered one
/// after another per subject, different subjects at once. A delivery completes (and the provider commits its offsets)
/// only when every record was applied, judged a no-op, recorded as a discrepancy, or put in <c>webhooks.in.dlq</c> with
/// its reason (no payment or transfer by that reference, a kind not processed yet, a payload that is not a
/// notification). A grain that throws (database down, a concurrent change) fails the delivery and the provider offers
/// the batch again: judging a notification twice changes nothing the second time.
/// </summary>
[ImplicitStreamSubscription(EventTopics.WebhooksIn)]
public sealed partial class WebhookFeedGrain(DeadLetterQueue deadLetters, WalletStore wallets, WebhookFeedMetrics metrics, ILogger<WebhookFeedGrain> logger)
    : Grain, IWebhookFeedGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<KafkaRecord>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<KafkaRecord>().ResumeAsync((IAsyncBatchObserver<KafkaRecord>)this);

    public async Task OnNextAsync(IList<SequentialItem<KafkaRecord>> items)
    {
        var poison = new List<(KafkaRecord Record, string Problem)>();
        var bySubject = new Dictionary<string, List<(KafkaRecord Record, PspNotification Notification)>>(StringComparer.Ordinal);
        foreach (var record in items.Select(i => i.Item))
        {
            var (notification, problem) = Read(record);
            if (notification is null || SubjectOf(notification) is not { } subject)
            {
                poison.Add((record, problem ?? $"A '{NotificationRules.Wire(notification!.Kind)}' notification names no payment and no bank transfer."));
                continue;
            }

            if (!bySubject.TryGetValue(subject, out var list))
            {
                bySubject[subject] = list = [];
            }

            list.Add((record, notification));
        }

        var applied = await Task.WhenAll(bySubject.Values.Select(ApplyInOrderAsync));
        foreach (var (record, notification, outcome) in applied.SelectMany(o => o))
        {
            metrics.Outcome(notification.Provider, outcome);
            if (DeadLetterReason(notification, outcome) is { } reason)
            {
                poison.Add((record, reason));
            }
        }

        foreach (var (record, problem) in poison.OrderBy(d => d.Record.Offset))
        {
            LogDeadLettered(logger, record.Partition, record.Offset, problem);
            metrics.DeadLettered();
            await deadLetters.SendAsync(record.Topic, record.Partition, record.Offset, record.Key, record.Value, record.Headers, problem);
        }
    }

    /// <summary>
    /// What a notification is about, as the key its notifications are applied in order under: a payment (by id), or a
    /// bank transfer (by its reference, which names a wallet's cash-in or cash-out); null when it names neither.
    /// </summary>
    internal static string? SubjectOf(PspNotification notification) => notification switch
    {
        { PaymentId: { } paymentId } => $"payment:{paymentId:N}",
        { Kind: PspNotificationKind.TransferBooked or PspNotificationKind.TransferRejected, TransferRef: { Length: > 0 } transferRef } => $"transfer:{transferRef}",
        _ => null,
    };

    /// <summary>One subject's notifications, one after another in partition order, each to the grain that judges it.</summary>
    private async Task<List<(KafkaRecord Record, PspNotification Notification, PspNotificationOutcome Outcome)>> ApplyInOrderAsync(
        List<(KafkaRecord Record, PspNotification Notification)> records)
    {
        var outcomes = new List<(KafkaRecord, PspNotification, PspNotificationOutcome)>(records.Count);
        var first = records[0].Notification;
        Func<PspNotification, Task<PspNotificationOutcome>> apply;
        if (first.PaymentId is { } paymentId)
        {
            apply = GrainFactory.GetGrain<IPaymentGrain>(paymentId).ApplyNotificationAsync;
        }
        else
        {
            // The transfer_ref is our request id at the Bank, the id of the wallet operation; the grain key is its wallet's.
            var wallet = await wallets.FindWalletOfTransferAsync(first.TransferRef!);
            apply = wallet is null
                ? _ => Task.FromResult(PspNotificationOutcome.UnknownTransfer)
                : GrainFactory.GetGrain<IWalletGrain>(wallet).ApplyTransferNotificationAsync;
        }

        foreach (var (record, notification) in records)
        {
            outcomes.Add((record, notification, await apply(notification)));
        }

        return outcomes;
    }

    /// <summary>Why a judged notification goes to the dead-letter topic; null when it was processed.</summary>
    private static string? DeadLetterReason(PspNotification n, PspNotificationOutcome outcome) => outcome switch
    {
        PspNotificationOutcome.UnknownPayment => $"No payment {n.PaymentId} for {n.Provider} notification {n.ProviderEventId}.",
        PspNotificationOutcome.UnknownTransfer =>
            $"No wallet cash-in or cash-out has transfer reference '{n.TransferRef}' ({n.Provider} notification {n.ProviderEventId}).",
        PspNotificationOutcome.Unsupported => $"'{NotificationRules.Wire(n.Kind)}' notifications are not processed yet.",
        _ => null,
    };

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <summary>The notification a record carries, or why it carries none (a poison record).</summary>
    internal static (PspNotification? Notification, string? Problem) Read(KafkaRecord record)
    {
        if (record.Header(EventHeaders.EventType) is not { Length: > 0 } eventType)
        {
            return (null, "The record has no event_type header.");
        }

        if (eventType == PspNotificationEventTypes.Unparseable)
        {
            // Signed by its provider but not understood by ingest: it waits in the dead-letter topic with ingest's reason.
            var unparseable = Unparseable(record.Value);
            return (null, unparseable is null
                ? $"The {eventType} record holds no readable payload."
                : $"{unparseable.Provider} notification {unparseable.NotificationId} could not be parsed at ingest: {unparseable.ParseError} " +
                    $"(raw body: blob {unparseable.BlobKey}).");
        }

        try
        {
            var notification = JsonSerializer.Deserialize<PspNotification>(record.Value, EventJson.Options);
            return notification is { Provider.Length: > 0, ProviderEventId.Length: > 0 }
                ? (notification, null)
                : (null, $"The {eventType} record holds no notification.");
        }
        catch (JsonException exception)
        {
            return (null, $"The {eventType} record is not a notification: {exception.Message}");
        }
    }

    private static UnparseablePspNotificationV1? Unparseable(byte[] value)
    {
        try
        {
            return JsonSerializer.Deserialize<UnparseablePspNotificationV1>(value, EventJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhooks.in partition {Partition} offset {Offset} goes to the dead-letter topic: {Problem}")]
    private static partial void LogDeadLettered(ILogger logger, int partition, long offset, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook feed stream of {Key} reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string key);
}

/// <summary>Processing outcomes of PSP notifications on the meter <c>Payments.Actors.Kafka</c>.</summary>
public sealed class WebhookFeedMetrics(IMeterFactory meterFactory)
{
    private readonly Counter<long> _records = meterFactory.Create("Payments.Actors.Kafka")
        .CreateCounter<long>("payments.psp.notifications.processed", "{notification}", "PSP notifications processed, by provider and outcome.");

    public void Outcome(string provider, PspNotificationOutcome outcome) =>
        _records.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void DeadLettered() =>
        _records.Add(1, new KeyValuePair<string, object?>("provider", "any"), new KeyValuePair<string, object?>("outcome", "DeadLettered"));
}
