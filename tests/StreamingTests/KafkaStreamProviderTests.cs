using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Streams;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using Payments.Actors.Streaming.Kafka;
using Payments.Actors.KafkaEmbedded.Mock;

namespace Payments.Actors.StreamingTests;

/// <summary>The Kafka persistent stream provider in a real (in-process) Orleans silo against librdkafka's mock Kafka.</summary>
public sealed class KafkaStreamProviderTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task EveryRecordIsDeliveredOnceInPartitionOrderPerKeyAndItsOffsetCommitted()
    {
        var topic = kafka.NewTopic(partitions: 4);
        var group = $"g-{Guid.NewGuid():N}";
        var keys = Enumerable.Range(0, 10).Select(k => $"{topic}-k{k}").ToArray();
        var produced = await kafka.ProduceAsync(topic,
            Enumerable.Range(0, 20).SelectMany(n => keys.Select(key => (key, n.ToString(System.Globalization.CultureInfo.InvariantCulture)))));

        await using var cluster = await kafka.StartSiloAsync(topic, group);
        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Count >= produced.Count, $"{produced.Count} records delivered");

        var delivered = ConsumerLog.Of(topic);
        Assert.Equal(produced.Count, delivered.Count);
        Assert.Equal(produced.Count, delivered.Select(r => (r.Partition, r.Offset)).Distinct().Count());
        foreach (var key in keys)
        {
            Assert.Equal(Enumerable.Range(0, 20).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                delivered.Where(r => r.Key == key).Select(r => Encoding.UTF8.GetString(r.Value)));
        }

        Assert.All(delivered, r => Assert.NotNull(r.Header("event_id")));
        var ends = EndOffsets(produced, partitions: 4);
        await KafkaFixture.WaitUntilAsync(() => kafka.Committed(topic, group, 4).SequenceEqual(ends), $"committed offsets reach {string.Join(",", ends)}");
    }

    [Fact]
    public async Task AfterARestartWithTheSameGroupDeliveryResumesAtTheCommittedOffsetsAndNothingIsLost()
    {
        var topic = kafka.NewTopic(partitions: 4);
        var group = $"g-{Guid.NewGuid():N}";
        var first = await kafka.ProduceAsync(topic, Enumerable.Range(0, 100).Select(n => ($"{topic}-k{n % 7}", $"first-{n}")));
        await using (var cluster = await kafka.StartSiloAsync(topic, group))
        {
            await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Count >= first.Count, "the first 100 records delivered");
            var ends = EndOffsets(first, partitions: 4);
            await KafkaFixture.WaitUntilAsync(() => kafka.Committed(topic, group, 4).SequenceEqual(ends), "the first batch committed");
            await cluster.StopAllSilosAsync(TestContext.Current.CancellationToken);
        }

        var committedAtStop = kafka.Committed(topic, group, 4);
        var deliveredBeforeRestart = ConsumerLog.Of(topic).Count;
        var second = await kafka.ProduceAsync(topic, Enumerable.Range(0, 100).Select(n => ($"{topic}-k{n % 7}", $"second-{n}")));
        await using (var restarted = await kafka.StartSiloAsync(topic, group))
        {
            await KafkaFixture.WaitUntilAsync(
                () => ConsumerLog.Of(topic).Select(r => (r.Partition, r.Offset)).Distinct().Count() >= first.Count + second.Count,
                "all 200 records delivered after the restart");
        }

        var afterRestart = ConsumerLog.Of(topic).Skip(deliveredBeforeRestart).ToList();
        var duplicates = ConsumerLog.Of(topic).Count - ConsumerLog.Of(topic).Select(r => (r.Partition, r.Offset)).Distinct().Count();
        TestContext.Current.SendDiagnosticMessage($"restart: {afterRestart.Count} deliveries after restart, {duplicates} duplicates");
        foreach (var partition in afterRestart.GroupBy(r => r.Partition))
        {
            // Resumed exactly at the committed offset: nothing before it again, nothing after it skipped.
            Assert.Equal(committedAtStop[partition.Key], partition.Min(r => r.Offset));
        }

        Assert.All(afterRestart, r => Assert.StartsWith("second-", Encoding.UTF8.GetString(r.Value), StringComparison.Ordinal));
        Assert.Equal(0, duplicates);
    }

    [Fact]
    public async Task RecordsWhoseOffsetCommitsFailedAreDeliveredAgainAfterARestartAndNothingIsLost()
    {
        var topic = kafka.NewTopic(partitions: 4);
        var group = $"g-{Guid.NewGuid():N}";
        var first = await kafka.ProduceAsync(topic, Enumerable.Range(0, 100).Select(n => ($"{topic}-k{n % 13}", $"first-{n}")));
        var cluster = await kafka.StartSiloAsync(topic, group);
        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Count >= first.Count, "the first 100 records delivered");
        var committedBefore = EndOffsets(first, partitions: 4);
        await KafkaFixture.WaitUntilAsync(() => kafka.Committed(topic, group, 4).SequenceEqual(committedBefore), "the first batch committed");

        // From now on every offset commit fails: the next 100 records are delivered but never committed.
        kafka.Kafka.PushRequestErrors(KafkaApiKey.OffsetCommit, Enumerable.Repeat(ErrorCode.OffsetMetadataTooLarge, 10_000).ToList());
        var second = await kafka.ProduceAsync(topic, Enumerable.Range(0, 100).Select(n => ($"{topic}-k{n % 13}", $"second-{n}")));
        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Count >= first.Count + second.Count, "the second 100 records delivered");
        // A stop, not an in-process kill: a killed in-process silo may still finish its final commit in the background.
        // The final commit fails like the others, so the group still points at the end of the first batch.
        await cluster.StopAllSilosAsync(TestContext.Current.CancellationToken);
        await cluster.DisposeAsync();
        Assert.Equal(committedBefore, kafka.Committed(topic, group, 4));
        kafka.Kafka.ClearRequestErrors(KafkaApiKey.OffsetCommit);

        var deliveredBeforeRestart = ConsumerLog.Of(topic).Count;
        await using (var restarted = await kafka.StartSiloAsync(topic, group))
        {
            await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Count >= deliveredBeforeRestart + second.Count, "the uncommitted 100 records delivered again");
            await KafkaFixture.WaitUntilAsync(() => kafka.Committed(topic, group, 4).SequenceEqual(EndOffsets(first.Concat(second), 4)), "everything committed");
        }

        var afterRestart = ConsumerLog.Of(topic).Skip(deliveredBeforeRestart).ToList();
        foreach (var partition in afterRestart.GroupBy(r => r.Partition))
        {
            Assert.Equal(committedBefore[partition.Key], partition.Min(r => r.Offset));
        }

        // Exactly the uncommitted records came again (duplicates, which consumers de-duplicate by event_id); none is lost.
        Assert.Equal(second.Select(o => (o.Partition.Value, o.Offset.Value)).Order(), afterRestart.Select(r => (r.Partition, r.Offset)).Order());
        Assert.Equal(first.Count + second.Count, ConsumerLog.Of(topic).Select(r => (r.Partition, r.Offset)).Distinct().Count());
    }

    [Fact]
    public async Task AFailedOffsetCommitIsRetriedOnItsOwnWithoutAnotherRecordArriving()
    {
        var topic = kafka.NewTopic(partitions: 1);
        var group = $"g-{Guid.NewGuid():N}";
        // Every commit fails while the records are delivered: what a broker that is down or just back answers.
        kafka.Kafka.PushRequestErrors(KafkaApiKey.OffsetCommit, Enumerable.Repeat(ErrorCode.OffsetMetadataTooLarge, 10_000).ToList());
        var produced = await kafka.ProduceAsync(topic, Enumerable.Range(0, 10).Select(n => ($"{topic}-k{n % 3}", $"v{n}")));
        await using var cluster = await kafka.StartSiloAsync(topic, group);
        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Count >= produced.Count, "all 10 records delivered");
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.True(kafka.Committed(topic, group, 1)[0] < 0, "no commit can have succeeded yet");

        // The broker accepts commits again; nothing new is produced, so no later delivery could carry the commit.
        kafka.Kafka.ClearRequestErrors(KafkaApiKey.OffsetCommit);
        await KafkaFixture.WaitUntilAsync(() => kafka.Committed(topic, group, 1)[0] == 10, "offset 10 committed by a retry");
        Assert.Equal(produced.Count, ConsumerLog.Of(topic).Count);
    }

    [Fact]
    public async Task AConsumerThatThrowsGetsTheSameRecordAgainAndLaterRecordsOfItsKeyWaitForIt()
    {
        var topic = kafka.NewTopic(partitions: 1);
        var group = $"g-{Guid.NewGuid():N}";
        var (a, b) = ($"{topic}-A", $"{topic}-B");
        ConsumerLog.Poison(topic, offset: 2, times: 3);
        var produced = await kafka.ProduceAsync(topic, Enumerable.Range(0, 10).Select(n => (n % 2 == 0 ? a : b, $"v{n}")));

        await using var cluster = await kafka.StartSiloAsync(topic, group);
        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Count >= produced.Count, "all 10 records delivered");

        Assert.Equal(4, ConsumerLog.AttemptsOf(topic, 2));
        Assert.Equal(["v0", "v2", "v4", "v6", "v8"], ConsumerLog.Of(topic).Where(r => r.Key == a).Select(r => Encoding.UTF8.GetString(r.Value)));
        await KafkaFixture.WaitUntilAsync(() => kafka.Committed(topic, group, 1)[0] == 10, "offset 10 committed");
    }

    [Fact]
    public async Task OffsetsAreNotCommittedPastARecordWhoseDeliveryKeepsFailingAndAdvanceOnceItIsDelivered()
    {
        var topic = kafka.NewTopic(partitions: 1);
        var group = $"g-{Guid.NewGuid():N}";
        var (a, b) = ($"{topic}-A", $"{topic}-B");
        ConsumerLog.Poison(topic, offset: 2, times: int.MaxValue);
        await kafka.ProduceAsync(topic, Enumerable.Range(0, 10).Select(n => (n % 2 == 0 ? a : b, $"v{n}")));

        // A small cache purges (reports delivered) record by record, so the commit position can move up to the stuck record.
        await using var cluster = await kafka.StartSiloAsync(topic, group, cacheSize: 10);
        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Count(r => r.Key == b) == 5, "key B's 5 records delivered past the stuck one");
        await KafkaFixture.WaitUntilAsync(() => kafka.Committed(topic, group, 1)[0] == 2, "offsets 0 and 1 committed");

        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.AttemptsOf(topic, 2) >= 3, "the failing record retried");
        Assert.Equal(["v0"], ConsumerLog.Of(topic).Where(r => r.Key == a).Select(r => Encoding.UTF8.GetString(r.Value)));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal(2, kafka.Committed(topic, group, 1)[0]);

        ConsumerLog.Heal(topic, 2);
        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Count == 10, "all 10 records delivered once healed");
        Assert.Equal(["v0", "v2", "v4", "v6", "v8"], ConsumerLog.Of(topic).Where(r => r.Key == a).Select(r => Encoding.UTF8.GetString(r.Value)));
        await KafkaFixture.WaitUntilAsync(() => kafka.Committed(topic, group, 1)[0] == 10, "offset 10 committed once the record was delivered");
    }

    [Fact]
    public async Task OnNextOfAStreamProducesToItsTopicAndComesBackAsAKafkaRecord()
    {
        var topic = kafka.NewTopic(partitions: 2);
        var group = $"g-{Guid.NewGuid():N}";
        await using var cluster = await kafka.StartSiloAsync(topic, group);
        var provider = cluster.GetSiloServiceProvider().GetRequiredKeyedService<IStreamProvider>("kafka");
        var (bytesKey, recordKey) = ($"{topic}-bytes", $"{topic}-record");

        // An Orleans stream has one item type, so raw bytes and whole records go to two keys.
        await provider.GetStream<byte[]>(StreamId.Create(topic, bytesKey)).OnNextAsync(Encoding.UTF8.GetBytes("hello"));
        await provider.GetStream<KafkaRecord>(StreamId.Create(topic, recordKey)).OnNextAsync(
            new KafkaRecord(topic, 0, 0, recordKey, Encoding.UTF8.GetBytes("world"), new Dictionary<string, string> { ["event_id"] = "e-1" }, DateTimeOffset.UnixEpoch));

        await KafkaFixture.WaitUntilAsync(() => ConsumerLog.Of(topic).Count >= 2, "both produced records consumed");
        var records = ConsumerLog.Of(topic);
        Assert.Equal("hello", Encoding.UTF8.GetString(Assert.Single(records, r => r.Key == bytesKey).Value));
        var record = Assert.Single(records, r => r.Key == recordKey);
        Assert.Equal("world", Encoding.UTF8.GetString(record.Value));
        Assert.Equal("e-1", record.Header("event_id"));
    }

    private static long[] EndOffsets(IEnumerable<TopicPartitionOffset> produced, int partitions)
    {
        var ends = new long[partitions];
        foreach (var offset in produced)
        {
            ends[offset.Partition.Value] = Math.Max(ends[offset.Partition.Value], offset.Offset.Value + 1);
        }

        return ends;
    }
}
