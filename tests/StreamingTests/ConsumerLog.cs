using System.Collections.Concurrent;
using Payments.Actors.Streaming.Kafka;

namespace Payments.Actors.StreamingTests;

/// <summary>
/// What the test consumer grains saw, shared with the tests (the in-process silos run in this process). Topics are
/// unique per test, so tests never see each other's records.
/// </summary>
public static class ConsumerLog
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<KafkaRecord>> Delivered = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(string Topic, long Offset), int> Attempts = new();
    private static readonly ConcurrentDictionary<(string Topic, long Offset), int> FailuresLeft = new();
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<(string StreamKey, int Size)>> Batches = new(StringComparer.Ordinal);

    /// <summary>The next <paramref name="times"/> deliveries of this record throw (int.MaxValue: until <see cref="Heal"/>).</summary>
    public static void Poison(string topic, long offset, int times) => FailuresLeft[(topic, offset)] = times;

    public static void Heal(string topic, long offset) => FailuresLeft.TryRemove((topic, offset), out _);

    public static int AttemptsOf(string topic, long offset) => Attempts.GetValueOrDefault((topic, offset));

    /// <summary>Every successful delivery of a record of <paramref name="topic"/>, duplicates included, in delivery order.</summary>
    public static IReadOnlyList<KafkaRecord> Of(string topic) =>
        Delivered.TryGetValue(topic, out var records) ? records.ToArray() : [];

    /// <summary>Every delivery a batch consumer received for <paramref name="topic"/>: its stream key and how many records it carried.</summary>
    public static IReadOnlyList<(string StreamKey, int Size)> BatchesOf(string topic) =>
        Batches.TryGetValue(topic, out var batches) ? batches.ToArray() : [];

    /// <summary>A batch consumer's delivery: each record is recorded in order (a poisoned one throws, failing the batch).</summary>
    internal static void RecordBatch(string streamKey, IReadOnlyList<KafkaRecord> records)
    {
        foreach (var topic in records.Select(r => r.Topic).Distinct())
        {
            Batches.GetOrAdd(topic, _ => new ConcurrentQueue<(string, int)>()).Enqueue((streamKey, records.Count(r => r.Topic == topic)));
        }

        foreach (var record in records)
        {
            Record(record);
        }
    }

    internal static void Record(KafkaRecord record)
    {
        Attempts.AddOrUpdate((record.Topic, record.Offset), 1, (_, n) => n + 1);
        if (FailuresLeft.TryGetValue((record.Topic, record.Offset), out var left) && left > 0)
        {
            FailuresLeft[(record.Topic, record.Offset)] = left == int.MaxValue ? left : left - 1;
            throw new InvalidOperationException($"poisoned record {record.Topic}@{record.Offset} (test)");
        }

        Delivered.GetOrAdd(record.Topic, _ => new ConcurrentQueue<KafkaRecord>()).Enqueue(record);
    }
}
