using System.Globalization;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace Payments.Actors.KafkaEmbedded.Mock;

/// <summary>
/// librdkafka's in-memory Kafka mock cluster (rdkafka_mock.h), reachable over TCP on 127.0.0.1 by any Kafka client.
/// Brokers are numbered 1..<see cref="BrokerCount"/>. Known limits of the mock: nothing survives
/// <see cref="Dispose"/>; a downed broker does not move partition leaders; records of aborted transactions are
/// visible to read-committed consumers; each partition keeps at most 100 000 message sets or 5 MB (older ones are
/// dropped, like retention); the CreateTopics admin API is not supported (use <see cref="CreateTopic"/>).
/// </summary>
public sealed class MockCluster : IDisposable
{
    private const int ErrorTextSize = 512;
    private readonly MockClusterHandle _cluster;

    private MockCluster(MockClusterHandle cluster, int brokerCount, string bootstraps)
    {
        _cluster = cluster;
        BrokerCount = brokerCount;
        Bootstraps = bootstraps;
        BrokerEndpoints = bootstraps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public int BrokerCount { get; }

    /// <summary>The brokers' own listeners, <c>host:port</c> comma-separated (random ports chosen by the kernel).</summary>
    public string Bootstraps { get; }

    /// <summary>The listener of broker <c>i + 1</c> at index <c>i</c>.</summary>
    public IReadOnlyList<string> BrokerEndpoints { get; }

    /// <summary>Starts a mock cluster of <paramref name="brokerCount"/> brokers listening on 127.0.0.1.</summary>
    public static MockCluster Start(int brokerCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        MockNativeMethods.Initialize();
        var conf = MockNativeMethods.ConfNew();
        var errorText = new byte[ErrorTextSize];
        try
        {
            Set(conf, "client.id", "payments-mock-cluster", errorText);
            // The owning handle never connects anywhere; without this it logs "no bootstrap.servers" at notice level.
            Set(conf, "log_level", "4", errorText);
        }
        catch
        {
            MockNativeMethods.ConfDestroy(conf);
            throw;
        }

        var kafka = MockNativeMethods.KafkaNew(MockNativeMethods.ProducerType, conf, errorText, (nuint)errorText.Length);
        if (kafka.IsInvalid)
        {
            MockNativeMethods.ConfDestroy(conf);
            throw new KafkaException(new Error(ErrorCode.Local_Fail, "rd_kafka_new failed: " + Text(errorText)));
        }

        var raw = MockNativeMethods.ClusterNew(kafka, brokerCount);
        if (raw == IntPtr.Zero)
        {
            kafka.Dispose();
            throw new KafkaException(new Error(ErrorCode.Local_Fail, "rd_kafka_mock_cluster_new failed (see librdkafka's log)."));
        }

        var cluster = new MockClusterHandle(raw, kafka);
        // The cluster handle holds its own reference to the client instance; ours can go.
        kafka.Dispose();
        var bootstraps = Marshal.PtrToStringUTF8(MockNativeMethods.ClusterBootstraps(cluster))
            ?? throw new InvalidOperationException("rd_kafka_mock_cluster_bootstraps returned nothing.");
        return new MockCluster(cluster, brokerCount, bootstraps);
    }

    /// <summary>Creates a topic (the mock does not implement the CreateTopics API). Replication is capped at the broker count.</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        Check(MockNativeMethods.TopicCreate(_cluster, topic, partitions, Math.Clamp(replicationFactor, 1, BrokerCount)), $"create topic {topic}");
    }

    /// <summary>Makes <paramref name="brokerId"/> the leader of one partition (the mock picks leaders at random otherwise).</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        CheckBroker(brokerId);
        Check(MockNativeMethods.PartitionSetLeader(_cluster, topic, partition, brokerId), $"set leader of {topic}[{partition}]");
    }

    /// <summary>Closes the broker's connections and refuses new ones. Leaders do not move (a mock limit).</summary>
    public void SetBrokerDown(int brokerId)
    {
        CheckBroker(brokerId);
        Check(MockNativeMethods.BrokerSetDown(_cluster, brokerId), $"set broker {brokerId} down");
    }

    public void SetBrokerUp(int brokerId)
    {
        CheckBroker(brokerId);
        Check(MockNativeMethods.BrokerSetUp(_cluster, brokerId), $"set broker {brokerId} up");
    }

    /// <summary>
    /// Changes the address the broker advertises in Metadata and FindCoordinator responses; it keeps listening where
    /// it is. Used to put a TCP forwarder on a fixed port in front of a broker.
    /// </summary>
    public void SetBrokerAdvertisedAddress(int brokerId, string host, int port)
    {
        CheckBroker(brokerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        MockNativeMethods.BrokerSetHostPort(_cluster, brokerId, host, port);
    }

    /// <summary>The next <paramref name="errors"/>.Count requests of <paramref name="api"/> fail with these errors, in order.</summary>
    public void PushRequestErrors(KafkaApiKey api, IReadOnlyList<ErrorCode> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            return;
        }

        var codes = errors.Select(e => (int)e).ToArray();
        MockNativeMethods.PushRequestErrors(_cluster, (short)api, (nuint)codes.Length, codes);
    }

    /// <summary>Forgets the errors still stacked for <paramref name="api"/>.</summary>
    public void ClearRequestErrors(KafkaApiKey api) => MockNativeMethods.ClearRequestErrors(_cluster, (short)api);

    /// <summary>The port broker <paramref name="brokerId"/> really listens on.</summary>
    public int BrokerPort(int brokerId)
    {
        CheckBroker(brokerId);
        var endpoint = BrokerEndpoints[brokerId - 1];
        return int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>librdkafka's name of an error code, e.g. <c>NOT_LEADER_FOR_PARTITION</c>.</summary>
    public static string ErrorName(ErrorCode error)
    {
        MockNativeMethods.Initialize();
        return MockNativeMethods.ErrorNameOf((int)error);
    }

    public void Dispose() => _cluster.Dispose();

    private void CheckBroker(int brokerId)
    {
        if (brokerId < 1 || brokerId > BrokerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"Brokers are 1..{BrokerCount}.");
        }
    }

    private static void Set(IntPtr conf, string name, string value, byte[] errorText)
    {
        if (MockNativeMethods.ConfSet(conf, name, value, errorText, (nuint)errorText.Length) != 0)
        {
            throw new ArgumentException($"librdkafka rejected {name}={value}: {Text(errorText)}");
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new KafkaException(new Error((ErrorCode)error, $"mock cluster: {what} failed: {MockNativeMethods.ErrorTextOf(error)}"));
        }
    }

    private static string Text(byte[] buffer)
    {
        var length = Array.IndexOf(buffer, (byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
    }
}
