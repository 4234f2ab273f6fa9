using System.Text;
using Payments.Actors.Events;
using Payments.Actors.Grains.Events;
using Payments.Actors.Ledger;
using Payments.Actors.Streaming.Kafka;
using Xunit;

namespace Payments.Actors.UnitTests.Events;

/// <summary>How the ledger feed reads a Kafka record, and which records it calls poison.</summary>
public sealed class LedgerFeedRecordTests
{
    private static readonly Guid EventId = Guid.Parse("0193a0c1-0000-7000-8000-000000000001");

    private static KafkaRecord Record(string topic = EventTopics.PaymentsEvents, string? eventId = null, string? eventType = "payment.captured", byte[]? value = null)
    {
        var headers = new Dictionary<string, string>();
        if ((eventId ?? EventId.ToString("D")) is { Length: > 0 } id)
        {
            headers["event_id"] = id;
        }

        if (eventType is not null)
        {
            headers["event_type"] = eventType;
        }

        return new KafkaRecord(topic, 0, 42, "key", value ?? Encoding.UTF8.GetBytes("""{"a":1}"""), headers, DateTimeOffset.UnixEpoch);
    }

    [Theory]
    [InlineData(EventTopics.PaymentsEvents, LedgerSourceSystems.Payments)]
    [InlineData(EventTopics.WalletsEvents, LedgerSourceSystems.Wallets)]
    public void A_platform_event_becomes_a_ledger_event_of_its_topics_source_system(string topic, string sourceSystem)
    {
        var (ledgerEvent, problem) = LedgerFeedGrain.Read(Record(topic));

        Assert.Null(problem);
        Assert.Equal(new LedgerEvent(sourceSystem, EventId, "payment.captured", """{"a":1}"""), ledgerEvent);
    }

    [Fact]
    public void A_record_of_a_topic_the_ledger_does_not_consume_is_poison() =>
        Assert.Contains("webhooks.in", LedgerFeedGrain.Read(Record(EventTopics.WebhooksIn)).Problem, StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public void A_record_without_a_valid_event_id_is_poison(string eventId)
    {
        var (ledgerEvent, problem) = LedgerFeedGrain.Read(Record(eventId: eventId));

        Assert.Null(ledgerEvent);
        Assert.Contains("event_id", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_without_an_event_type_is_poison() =>
        Assert.Contains("event_type", LedgerFeedGrain.Read(Record(eventType: null)).Problem, StringComparison.Ordinal);

    [Fact]
    public void A_value_that_is_not_utf8_is_poison() =>
        Assert.Contains("UTF-8", LedgerFeedGrain.Read(Record(value: [0xC3, 0x28])).Problem, StringComparison.Ordinal);
}
