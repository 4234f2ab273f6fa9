using System.Globalization;
using Payments.Actors.Streaming.Kafka.Options;

namespace Payments.Actors.StreamingTests;

/// <summary>The provider with <see cref="KafkaStreamKey.Partition"/>: one stream per partition, records delivered in batches.</summary>
public sealed class PartitionStreamTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task EachPartitionsRecordsArriveOnceInOffsetOrderInBatchesAtThatPartitionsActivation()
    {
        var topic = kafka.NewTopic(partitions: 4, prefix: "stb");
        var group = $"g-{Guid.NewGuid():N}";
        var produced = await kafka.ProduceAsync(topic, Enumerable.Range(0, 400).Select(n => ($"{topic}-k{n % 20}", $"v{n}")));

        await using var cluster = await kafka.StartSiloAsync(topic, group, streamKey: KafkaStreamKey.Partition);
        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Count >= produced.Count, $"{produced.Count} records delivered");

        var delivered = ConsumerLog.Of(topic);
        Assert.Equal(produced.Count, delivered.Count);
        Assert.Equal(produced.Count, delivered.Select(r => (r.Partition, r.Offset)).Distinct().Count());
        foreach (var partition in delivered.GroupBy(r => r.Partition))
        {
            var offsets = partition.Select(r => r.Offset).ToList();
            Assert.Equal(offsets.Order(), offsets);
        }

        var batches = ConsumerLog.BatchesOf(topic);
        Assert.Equal(produced.Count, batches.Sum(b => b.Size));
        Assert.Equal(["0", "1", "2", "3"], batches.Select(b => b.StreamKey).Distinct().Order(StringComparer.Ordinal));
        Assert.True(batches.Count < produced.Count / 4, $"{batches.Count} deliveries for {produced.Count} records: not batched");
        var ends = produced.GroupBy(o => o.Partition.Value).OrderBy(g => g.Key).Select(g => g.Max(o => o.Offset.Value) + 1).ToArray();
        await KafkaFixture.WaitUntilAsync(() => kafka.Committed(topic, group, 4).SequenceEqual(ends), $"committed offsets reach {string.Join(",", ends)}");
    }

    [Fact]
    public async Task ABatchWhoseConsumerThrowsComesAgainWholeAndNothingPastItIsCommittedUntilItGoesThrough()
    {
        var topic = kafka.NewTopic(partitions: 1, prefix: "stb");
        var group = $"g-{Guid.NewGuid():N}";
        ConsumerLog.Poison(topic, offset: 5, times: int.MaxValue);
        await kafka.ProduceAsync(topic, Enumerable.Range(0, 10).Select(n => ($"{topic}-k{n % 3}", $"v{n}")), partition: 0);

        await using var cluster = await kafka.StartSiloAsync(topic, group, streamKey: KafkaStreamKey.Partition);
        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.AttemptsOf(topic, 5) >= 3, "the failing batch retried");
        Assert.DoesNotContain(ConsumerLog.Of(topic), r => r.Offset > 5);
        Assert.True(kafka.Committed(topic, group, 1)[0] <= 5, "committed past the undelivered record");

        ConsumerLog.Heal(topic, 5);
        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Select(r => r.Offset).Distinct().Count() == 10, "all 10 records delivered once healed");
        var firstDeliveries = ConsumerLog.Of(topic).Select(r => r.Offset).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(n => (long)n), firstDeliveries);
        Assert.Equal(
            Enumerable.Range(0, 10).Select(n => $"v{n.ToString(CultureInfo.InvariantCulture)}"),
            ConsumerLog.Of(topic).DistinctBy(r => r.Offset).Select(r => System.Text.Encoding.UTF8.GetString(r.Value)));
        await KafkaFixture.WaitUntilAsync(() => kafka.Committed(topic, group, 1)[0] == 10, "offset 10 committed once the batch went through");
    }
}
