using System.Net;
using Microsoft.Extensions.Options;
using Payments.Actors.KafkaEmbedded.Options;
using Payments.Actors.KafkaEmbedded.Mock;

namespace Payments.Actors.KafkaEmbedded;

/// <summary>
/// Owns the mock cluster and the fixed-port forwarders for the life of the process. Started before the admin API
/// answers (hosted services start before Kestrel), so a 200 from /health means Kafka is reachable.
/// </summary>
public sealed partial class EmbeddedKafka(IOptions<EmbeddedKafkaOptions> options, ILogger<EmbeddedKafka> logger) : IHostedService, IAsyncDisposable
{
    private readonly EmbeddedKafkaOptions _options = options.Value;
    private readonly List<BrokerForwarder> _forwarders = [];
    private readonly Dictionary<int, bool> _brokerUp = [];
    private readonly Dictionary<string, int> _topics = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private MockCluster? _cluster;

    /// <summary>What clients put in bootstrap.servers: the forwarders' addresses.</summary>
    public string Bootstrap { get; private set; } = "";

    public MockCluster Cluster => _cluster ?? throw new InvalidOperationException("The embedded Kafka is not started.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var cluster = MockCluster.Start(_options.BrokerCount);
        _cluster = cluster;
        var address = IPAddress.Parse(_options.Host);
        var endpoints = new List<string>();
        for (var broker = 1; broker <= cluster.BrokerCount; broker++)
        {
            var forwarder = new BrokerForwarder(address, broker == 1 ? _options.Port : 0,
                new IPEndPoint(IPAddress.Loopback, cluster.BrokerPort(broker)), logger);
            forwarder.Start();
            _forwarders.Add(forwarder);
            // Clients must come back through the forwarder after the first Metadata response, not to the random port.
            cluster.SetBrokerAdvertisedAddress(broker, _options.Host, forwarder.Port);
            endpoints.Add($"{_options.Host}:{forwarder.Port}");
            _brokerUp[broker] = true;
        }

        foreach (var topic in _options.Topics.Distinct(StringComparer.Ordinal))
        {
            cluster.CreateTopic(topic, _options.Partitions, replicationFactor: cluster.BrokerCount);
            for (var partition = 0; partition < _options.Partitions && cluster.BrokerCount > 1; partition++)
            {
                cluster.SetPartitionLeader(topic, partition, (partition % cluster.BrokerCount) + 1);
            }

            _topics[topic] = _options.Partitions;
        }

        Bootstrap = string.Join(',', endpoints);
        if (!string.IsNullOrEmpty(_options.BootstrapFile))
        {
            File.WriteAllText(_options.BootstrapFile, Bootstrap);
        }

        LogStarted(logger, Bootstrap, cluster.BrokerCount, _topics.Count, _options.Partitions, LibrdkafkaNative.Path);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public IReadOnlyDictionary<int, bool> Brokers()
    {
        lock (_gate)
        {
            return new Dictionary<int, bool>(_brokerUp);
        }
    }

    public IReadOnlyDictionary<string, int> Topics()
    {
        lock (_gate)
        {
            return new Dictionary<string, int>(_topics, StringComparer.Ordinal);
        }
    }

    public void SetBroker(int brokerId, bool up)
    {
        lock (_gate)
        {
            if (up)
            {
                Cluster.SetBrokerUp(brokerId);
            }
            else
            {
                Cluster.SetBrokerDown(brokerId);
            }

            _brokerUp[brokerId] = up;
        }

        LogBrokerState(logger, brokerId, up ? "up" : "down");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var forwarder in _forwarders)
        {
            await forwarder.DisposeAsync();
        }

        _forwarders.Clear();
        _cluster?.Dispose();
        _cluster = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Kafka (librdkafka mock cluster, in memory) listening on {Bootstrap}: {Brokers} broker(s), {Topics} topic(s) of {Partitions} partitions; native library {Library}")]
    private static partial void LogStarted(ILogger logger, string bootstrap, int brokers, int topics, int partitions, string library);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker {BrokerId} set {State} by the admin API.")]
    private static partial void LogBrokerState(ILogger logger, int brokerId, string state);
}
