using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace Payments.Actors.Streaming.Kafka.Streams;

/// <summary>One Kafka record on its way through Orleans; its sequence token is the record's offset.</summary>
[GenerateSerializer, Immutable, Alias("payments.kafka.batch")]
public sealed record KafkaBatchContainer([property: Id(0)] StreamId StreamId, [property: Id(1)] KafkaRecord Record) : IBatchContainer
{
    public StreamSequenceToken SequenceToken => new EventSequenceTokenV2(Record.Offset);

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        if (Record is T item)
        {
            yield return Tuple.Create(item, SequenceToken);
        }
    }

    public bool ImportRequestContext() => false;
}
