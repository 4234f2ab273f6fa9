using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using Payments.Actors.Streaming.Kafka.Options;

namespace Payments.Actors.Streaming.Kafka.Streams;

/// <summary>
/// The provider's adapter: a receiver per partition, and the producing side (<c>stream.OnNextAsync</c> of a
/// <see cref="KafkaRecord"/> or <c>byte[]</c> produces to the topic named by the stream namespace, keyed by the stream key).
/// </summary>
internal sealed class KafkaQueueAdapter(
    string name, KafkaStreamOptions options, IReadOnlyDictionary<QueueId, TopicPartition> partitions, ILoggerFactory loggerFactory) : IQueueAdapter
{
    private readonly Lazy<IProducer<byte[]?, byte[]>> _producer = new(() =>
        new ProducerBuilder<byte[]?, byte[]>(KafkaClients.Producer(options, $"{name}-producer")).SetLogHandler((_, _) => { }).Build());

    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new KafkaQueueReceiver(name, partitions[queueId], options, loggerFactory.CreateLogger<KafkaQueueReceiver>());

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new NotSupportedException("Kafka assigns offsets; a sequence token cannot be given when producing.");
        }

        var topic = streamId.GetNamespace() ?? throw new ArgumentException("A Kafka stream needs a namespace (the topic).", nameof(streamId));
        var key = Encoding.UTF8.GetBytes(streamId.GetKeyAsString());
        foreach (var item in events)
        {
            var message = item switch
            {
                KafkaRecord record => new Message<byte[]?, byte[]> { Key = key, Value = record.Value, Headers = ToHeaders(record.Headers) },
                byte[] bytes => new Message<byte[]?, byte[]> { Key = key, Value = bytes },
                _ => throw new NotSupportedException($"The Kafka stream provider produces KafkaRecord or byte[], not {typeof(T).Name}."),
            };
            await _producer.Value.ProduceAsync(topic, message);
        }
    }

    private static Headers ToHeaders(IReadOnlyDictionary<string, string> headers)
    {
        var result = new Headers();
        foreach (var (key, value) in headers)
        {
            result.Add(key, Encoding.UTF8.GetBytes(value));
        }

        return result;
    }
}
