using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Payments.Actors.KafkaEmbedded.Mock;
using Payments.Actors.Streaming.Kafka.Hosting;
using Payments.Actors.Streaming.Kafka.Options;

namespace Payments.Actors.StreamingTests;

/// <summary>One in-process mock Kafka for the test class, and helpers to produce, inspect offsets and run silos against it.</summary>
public sealed class KafkaFixture : IDisposable
{
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(60);

    public MockCluster Kafka { get; } = MockCluster.Start(brokerCount: 1);

    /// <summary>A new topic; prefix "st" reaches <see cref="RecordingConsumerGrain"/>, "stb" <see cref="BatchConsumerGrain"/>.</summary>
    public string NewTopic(int partitions, string prefix = "st")
    {
        var topic = $"{prefix}.{Guid.NewGuid():N}";
        Kafka.CreateTopic(topic, partitions);
        return topic;
    }

    /// <summary>Produces with an idempotent, acks=all producer; returns where each record landed, in order.</summary>
    public async Task<List<TopicPartitionOffset>> ProduceAsync(string topic, IEnumerable<(string Key, string Value)> records, int? partition = null)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = Kafka.Bootstraps,
            EnableIdempotence = true,
            Acks = Acks.All,
        }).Build();
        var offsets = new List<TopicPartitionOffset>();
        foreach (var (key, value) in records)
        {
            var message = new Message<string, string>
            {
                Key = key,
                Value = value,
                Headers = [new Header("event_id", Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()))],
            };
            var result = partition is { } p
                ? await producer.ProduceAsync(new TopicPartition(topic, p), message)
                : await producer.ProduceAsync(topic, message);
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
            offsets.Add(result.TopicPartitionOffset);
        }

        return offsets;
    }

    /// <summary>The group's committed offset of each partition (-1001, Offset.Unset, when none).</summary>
    public long[] Committed(string topic, string group, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = Kafka.Bootstraps,
            GroupId = group,
            EnableAutoCommit = false,
        }).Build();
        return consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10))
            .OrderBy(o => o.Partition.Value)
            .Select(o => o.Offset.Value)
            .ToArray();
    }

    /// <summary>A one-silo in-process Orleans cluster with the Kafka stream provider reading <paramref name="topic"/> as <paramref name="group"/>.</summary>
    public async Task<InProcessTestCluster> StartSiloAsync(string topic, string group, int cacheSize = KafkaStreamOptions.DefaultCacheSize,
        KafkaStreamKey streamKey = KafkaStreamKey.RecordKey)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        var bootstrap = Kafka.Bootstraps;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            silo.AddKafkaStreams("kafka", options =>
            {
                options.BootstrapServers = bootstrap;
                options.ConsumerGroupId = group;
                options.Topics.Add(topic);
                options.CacheSize = cacheSize;
                options.StreamKey = streamKey;
                options.DeliveryBackoffMin = TimeSpan.FromMilliseconds(50);
                options.DeliveryBackoffMax = TimeSpan.FromMilliseconds(200);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {WaitTimeout} waiting for: {what}");
            await Task.Delay(50);
        }
    }

    public void Dispose() => Kafka.Dispose();
}
