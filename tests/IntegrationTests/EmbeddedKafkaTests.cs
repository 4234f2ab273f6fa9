using System.Text;
using Confluent.Kafka;

namespace Payments.Actors.IntegrationTests;

/// <summary>The embedded Kafka (librdkafka's mock cluster behind a fixed port) seen by an ordinary Confluent.Kafka client over TCP.</summary>
[Collection(PlatformCollection.Name)]
public sealed class EmbeddedKafkaTests(PlatformFixture platform)
{
    private static readonly TimeSpan ConsumeTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task IdempotentProduceIsConsumedByAConsumerGroupInOrderPerKey()
    {
        var topic = $"it.kafka.{Guid.NewGuid():N}";
        var keys = new[] { "a", "b", "c" };
        using (var producer = NewProducer())
        {
            for (var i = 0; i < 30; i++)
            {
                var key = keys[i % keys.Length];
                var result = await producer.ProduceAsync(topic, new Message<string, string>
                {
                    Key = key,
                    Value = $"{key}-{i / keys.Length}",
                    Headers = [new Header("event_id", Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()))],
                }, TestContext.Current.CancellationToken);
                Assert.Equal(PersistenceStatus.Persisted, result.Status);
            }
        }

        var received = Consume(topic, $"it-group-{Guid.NewGuid():N}", 30);

        foreach (var key in keys)
        {
            var values = received.Where(m => m.Message.Key == key).Select(m => m.Message.Value).ToList();
            Assert.Equal(Enumerable.Range(0, 10).Select(n => $"{key}-{n}"), values);
        }

        Assert.All(received, m => Assert.NotNull(m.Message.Headers.GetLastBytes("event_id")));
    }

    [Fact]
    public async Task ProduceWaitsWhileTheBrokerIsDownAndCompletesWhenItIsBackUp()
    {
        var topic = $"it.kafka.{Guid.NewGuid():N}";
        using var producer = NewProducer();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "before" }, TestContext.Current.CancellationToken);

        await platform.SetBrokerDownAsync(1);
        try
        {
            var pending = producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "during" }, TestContext.Current.CancellationToken);

            // A producer with a short delivery timeout proves the broker really is unreachable: its message expires.
            using var impatient = WithQuietLog(new ProducerBuilder<string, string>(new ProducerConfig
            {
                BootstrapServers = platform.KafkaBootstrap,
                MessageTimeoutMs = 1500,
            })).Build();
            var expired = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
                impatient.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "expired" }, TestContext.Current.CancellationToken));
            Assert.Equal(ErrorCode.Local_MsgTimedOut, expired.Error.Code);
            Assert.False(pending.IsCompleted, "a produce acknowledged while the only broker was down");

            await platform.SetBrokerUpAsync(1);
            var result = await pending.WaitAsync(ConsumeTimeout, TestContext.Current.CancellationToken);
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
        }
        finally
        {
            await platform.SetBrokerUpAsync(1);
        }

        var values = Consume(topic, $"it-group-{Guid.NewGuid():N}", 2).Select(m => m.Message.Value);
        Assert.Equal(["before", "during"], values);
    }

    private IProducer<string, string> NewProducer() => WithQuietLog(new ProducerBuilder<string, string>(new ProducerConfig
    {
        BootstrapServers = platform.KafkaBootstrap,
        EnableIdempotence = true,
        Acks = Acks.All,
        MessageTimeoutMs = 60_000,
    })).Build();

    /// <summary>
    /// While the broker is down librdkafka logs every reconnect attempt (dozens a second) to stderr, where they bury
    /// CI's summary; they go to the test's diagnostic messages instead.
    /// </summary>
    private static ProducerBuilder<string, string> WithQuietLog(ProducerBuilder<string, string> builder)
    {
        var context = TestContext.Current;
        return builder.SetLogHandler((_, message) => context.SendDiagnosticMessage($"librdkafka {message.Level} {message.Facility}: {message.Message}"));
    }

    private List<ConsumeResult<string, string>> Consume(string topic, string group, int count)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = platform.KafkaBootstrap,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var received = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + ConsumeTimeout;
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is not null)
            {
                received.Add(result);
                consumer.Commit(result);
            }
        }

        consumer.Close();
        Assert.True(received.Count == count, $"consumed {received.Count} of {count} messages from {topic} within {ConsumeTimeout}");
        return received;
    }
}
