using System.Text;
using Payments.Actors.Events;
using Payments.Actors.Grains.Webhooks;
using Payments.Actors.Streaming.Kafka;
using Payments.Actors.Webhooks;
using Xunit;

namespace Payments.Actors.UnitTests.Webhooks;

/// <summary>What ingest writes to the outbox for webhooks.in is what the webhook feed reads back (the producer-consumer contract).</summary>
public sealed class WebhookEventContractTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.Parse("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");

    [Fact]
    public void AReceivedNotificationComesBackFromItsOutboxPayloadUnchangedWithItsKindSpelledInSnakeCase()
    {
        var notification = new PspNotification(Id, "psp-a", "evt_1", PspNotificationKind.CaptureSettled, Guid.CreateVersion7(At), null, "pa_1", null,
            1_000, "EUR", null, null, null, At);
        var (eventType, payload) = Outbox(new StoredNotification(Id, "psp-a", "evt_1", notification, null, "webhooks/psp-a/2026/12/03/ab", new string('a', 64), 10, At));

        var (read, problem) = WebhookFeedGrain.Read(Record(eventType, payload));

        Assert.Equal(PspNotificationEventTypes.Received, eventType);
        Assert.Contains("\"kind\":\"capture_settled\"", payload, StringComparison.Ordinal);
        Assert.Null(problem);
        Assert.Equal(notification, read);
    }

    [Fact]
    public void AnUnparseableNotificationIsAPoisonRecordWhoseReasonIsIngestsParseErrorAndWhereItsBodyIs()
    {
        var (eventType, payload) = Outbox(new StoredNotification(Id, "bank", "sha256:" + new string('b', 64), null, "event 'transfer.lost' is not one this platform knows",
            "webhooks/bank/2026/12/03/bb", new string('b', 64), 10, At));

        var (read, problem) = WebhookFeedGrain.Read(Record(eventType, payload));

        Assert.Equal(PspNotificationEventTypes.Unparseable, eventType);
        Assert.Null(read);
        Assert.Contains("transfer.lost", problem, StringComparison.Ordinal);
        Assert.Contains("webhooks/bank/2026/12/03/bb", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ABankTransfersNotificationsShareOneKeyAndAPaymentsNotificationsAreKeyedByThePayment()
    {
        var payment = Guid.CreateVersion7(At);
        var card = new PspNotification(Id, "psp-b", "N1", PspNotificationKind.Captured, payment, null, "B1", null, 1, "EUR", null, null, null, At);
        var transfer = card with { PaymentId = null, TransferRef = "tr-1", Kind = PspNotificationKind.TransferBooked };

        Assert.Equal(payment, WebhookStore.OutboxKeyOf(card));
        Assert.Equal(WebhookStore.TransferKeyOf("tr-1"), WebhookStore.OutboxKeyOf(transfer));
        Assert.Equal(WebhookStore.TransferKeyOf("tr-1"), WebhookStore.OutboxKeyOf(transfer with { NotificationId = Guid.NewGuid() }));
        Assert.NotEqual(WebhookStore.TransferKeyOf("tr-1"), WebhookStore.TransferKeyOf("tr-2"));
        Assert.Equal(8, WebhookStore.TransferKeyOf("tr-1").Version);
    }

    [Fact]
    public void TheFeedAppliesAPaymentsNotificationsUnderThePaymentAndATransfersUnderItsReferenceAndDeadLettersOneNamingNeither()
    {
        var payment = Guid.CreateVersion7(At);
        var card = new PspNotification(Id, "psp-a", "evt_1", PspNotificationKind.Captured, payment, null, "pa_1", null, 1, "EUR", null, null, null, At);
        var booked = card with { Provider = "bank", PaymentId = null, TransferRef = "0f8fad5bd9cb469fa16570867728950e", Kind = PspNotificationKind.TransferBooked };

        Assert.Equal($"payment:{payment:N}", WebhookFeedGrain.SubjectOf(card));
        Assert.Equal(WebhookFeedGrain.SubjectOf(booked), WebhookFeedGrain.SubjectOf(booked with { Kind = PspNotificationKind.TransferRejected, ProviderEventId = "BN2" }));
        Assert.NotEqual(WebhookFeedGrain.SubjectOf(booked), WebhookFeedGrain.SubjectOf(booked with { TransferRef = "1f8fad5bd9cb469fa16570867728950e" }));
        Assert.Null(WebhookFeedGrain.SubjectOf(card with { PaymentId = null }));
        Assert.Null(WebhookFeedGrain.SubjectOf(booked with { TransferRef = null }));
    }

    private static (string EventType, string Payload) Outbox(StoredNotification stored)
    {
        var statement = WebhookStore.Unit(stored)[2];
        Assert.True(statement.WritesOutbox);
        return ((string)statement.Values[3].Value!, (string)statement.Values[4].Value!);
    }

    private static KafkaRecord Record(string eventType, string payload) =>
        new(EventTopics.WebhooksIn, 0, 7, "key", Encoding.UTF8.GetBytes(payload),
            new Dictionary<string, string> { [EventHeaders.EventType] = eventType, [EventHeaders.EventId] = Id.ToString("D") }, At);
}
