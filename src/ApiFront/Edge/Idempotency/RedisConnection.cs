using StackExchange.Redis;

namespace Payments.Actors.ApiFront.Edge.Idempotency;

/// <summary>
/// The API's one Redis connection, opened while the host starts. Opened lazily instead, the first
/// requests after a start would each block a thread-pool thread on the connect (and queue their
/// commands behind it) before the cache could answer or fail; here a request finds the connection
/// ready, reconnecting by itself, or not yet there, which the cache treats as Redis being down.
/// </summary>
public sealed class RedisConnection(IConfiguration configuration) : IHostedService, IAsyncDisposable
{
    private readonly ConfigurationOptions _options = OptionsOf(configuration);
    private ConnectionMultiplexer? _multiplexer;

    /// <summary>Null until the host has started.</summary>
    public IDatabase? Database => _multiplexer?.GetDatabase();

    public async Task StartAsync(CancellationToken cancellationToken) =>
        // With AbortOnConnectFail off this returns within the connect timeout even when Redis is
        // down, and the multiplexer keeps reconnecting in the background.
        _multiplexer = await ConnectionMultiplexer.ConnectAsync(_options);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is not null)
        {
            await _multiplexer.DisposeAsync();
        }
    }

    private static ConfigurationOptions OptionsOf(IConfiguration configuration)
    {
        var redis = configuration.GetConnectionString("Redis")
            ?? throw new InvalidOperationException("ConnectionStrings:Redis is required (e.g. 127.0.0.1:6379).");
        var options = ConfigurationOptions.Parse(redis);
        // Redis is a cache in front of the grains: the API starts and serves without it.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 1000;
        options.AsyncTimeout = 1000;
        // While disconnected a command fails at once (and the request goes to the grains) rather
        // than waiting in a backlog for a reconnect that may be seconds away.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}
