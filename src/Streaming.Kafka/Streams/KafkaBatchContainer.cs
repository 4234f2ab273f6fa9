using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace Payments.Actors.Streaming.Kafka.Streams;

/// <summary>
/// One Kafka record on its way through Orleans. Its sequence token is the record's offset within the reader's
/// generation (<see cref="DeliveryWatermark.Generation"/>): a broker that lost its log starts offsets again at 0,
/// and the tokens must still only grow.
/// </summary>
[GenerateSerializer, Immutable, Alias("payments.kafka.batch")]
public sealed record KafkaBatchContainer([property: Id(0)] StreamId StreamId, [property: Id(1)] KafkaRecord Record, [property: Id(2)] int ReaderGeneration = 0)
    : IBatchContainer
{
    /// <summary>Offsets of one generation stay below this (a trillion records per partition).</summary>
    private const int OffsetBits = 40;

    public StreamSequenceToken SequenceToken => new EventSequenceTokenV2(((long)ReaderGeneration << OffsetBits) + Record.Offset);

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        if (Record is T item)
        {
            yield return Tuple.Create(item, SequenceToken);
        }
    }

    public bool ImportRequestContext() => false;
}
