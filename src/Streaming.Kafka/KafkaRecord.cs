namespace Payments.Actors.Streaming.Kafka;

/// <summary>
/// One Kafka record as a stream consumer receives it: the raw value and headers, untouched. Delivered on the Orleans
/// stream <c>StreamId.Create(Topic, Key)</c> of the <c>kafka</c> provider (or <c>StreamId.Create(Topic, partition)</c>
/// with <see cref="Options.KafkaStreamKey.Partition"/>), in partition order per key, at least once: consumers
/// de-duplicate (by the <c>event_id</c> header for platform events).
/// </summary>
/// <param name="Topic">The topic, which is also the stream namespace.</param>
/// <param name="Partition">The partition it was read from.</param>
/// <param name="Offset">Its offset in that partition; (Topic, Partition, Offset) identifies the record.</param>
/// <param name="Key">The record key (the stream key), or null for a keyless record (delivered on the stream with key "").</param>
/// <param name="Value">The value bytes (UTF-8 JSON for platform events); empty for a null value.</param>
/// <param name="Headers">Headers decoded as UTF-8; of repeated names the last one wins.</param>
/// <param name="Timestamp">The record's timestamp (producer create time or broker log-append time).</param>
[GenerateSerializer, Immutable, Alias("payments.kafka.record")]
public sealed record KafkaRecord(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset,
    [property: Id(3)] string? Key,
    [property: Id(4)] byte[] Value,
    [property: Id(5)] IReadOnlyDictionary<string, string> Headers,
    [property: Id(6)] DateTimeOffset Timestamp)
{
    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
