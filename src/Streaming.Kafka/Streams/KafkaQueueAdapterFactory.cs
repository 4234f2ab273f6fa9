using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;
using Payments.Actors.Streaming.Kafka.Options;

namespace Payments.Actors.Streaming.Kafka.Streams;

/// <summary>
/// Builds the Kafka adapter: every partition of every configured topic becomes one Orleans queue, so the silos'
/// pulling agents share the partitions through Orleans' queue balancer (consistent ring by default).
/// </summary>
public sealed partial class KafkaQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly KafkaStreamOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly KafkaStreamFailureHandler _failureHandler;
    private HashRingBasedPartitionedStreamQueueMapper? _mapper;

    private KafkaQueueAdapterFactory(string name, KafkaStreamOptions options, ILoggerFactory loggerFactory)
    {
        _name = name;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<KafkaQueueAdapterFactory>();
        _cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions { CacheSize = options.CacheSize }, name, loggerFactory);
        _failureHandler = new KafkaStreamFailureHandler(loggerFactory.CreateLogger<KafkaStreamFailureHandler>());
    }

    public static KafkaQueueAdapterFactory Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(name);
        var failures = KafkaStreamOptionsValidator.Validate(name, options);
        if (failures.Count > 0)
        {
            throw new OrleansConfigurationException(string.Join(" ", failures));
        }

        return new KafkaQueueAdapterFactory(name, options, services.GetRequiredService<ILoggerFactory>());
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken)
    {
        var counts = _options.PartitionCount > 0
            ? _options.Topics.ToDictionary(t => t, _ => _options.PartitionCount, StringComparer.Ordinal)
            : await Task.Run(DiscoverPartitions, cancellationToken);
        var partitions = _options.Topics
            .SelectMany(topic => Enumerable.Range(0, counts[topic]).Select(p => new TopicPartition(topic, p)))
            .ToList();
        var mapper = new HashRingBasedPartitionedStreamQueueMapper(
            partitions.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Topic}/{p.Partition.Value}")).ToList(), _name);
        var queues = mapper.GetAllQueues().ToList();
        var byQueue = new Dictionary<QueueId, TopicPartition>(queues.Count);
        foreach (var queue in queues)
        {
            var id = mapper.QueueToPartition(queue);
            var slash = id.LastIndexOf('/');
            byQueue[queue] = new TopicPartition(id[..slash], int.Parse(id[(slash + 1)..], CultureInfo.InvariantCulture));
        }

        _mapper = mapper;
        LogQueues(_logger, _name, byQueue.Count, string.Join(", ", counts.Select(c => $"{c.Key}:{c.Value}")));
        return new KafkaQueueAdapter(_name, _options, byQueue, _loggerFactory);
    }

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() =>
        _mapper ?? throw new InvalidOperationException("The Kafka queue mapper exists once the adapter is created (partitions are discovered then).");

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(_failureHandler);

    private Dictionary<string, int> DiscoverPartitions()
    {
        using var admin = new AdminClientBuilder(KafkaClients.Admin(_options, $"{_name}-metadata")).SetLogHandler((_, _) => { }).Build();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in _options.Topics)
        {
            var metadata = admin.GetMetadata(topic, _options.MetadataTimeout).Topics.SingleOrDefault(t => t.Topic == topic);
            if (metadata is null || metadata.Error.IsError || metadata.Partitions.Count == 0)
            {
                throw new OrleansConfigurationException(
                    $"Kafka stream provider '{_name}': topic {topic} is not available at {_options.BootstrapServers} " +
                    $"({metadata?.Error.Reason ?? "no metadata"}); create it, or set PartitionCount to start without asking Kafka.");
            }

            counts[topic] = metadata.Partitions.Count;
        }

        return counts;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka stream provider {Provider}: {Queues} queues, one per partition ({Partitions}).")]
    private static partial void LogQueues(ILogger logger, string provider, int queues, string partitions);
}
