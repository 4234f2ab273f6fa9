using System.Net;
using System.Net.Sockets;

namespace Payments.Actors.KafkaEmbedded;

/// <summary>
/// A TCP forwarder on a fixed port in front of one mock broker: librdkafka's mock brokers bind random loopback
/// ports, and the platform's default configuration names 127.0.0.1:9092. When the broker is down its listener
/// refuses connections, so each accepted client is closed at once, as a real downed broker would be.
/// </summary>
internal sealed partial class BrokerForwarder : IAsyncDisposable
{
    private const int ConnectionsMax = 1024;
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<long, (Socket Client, Socket Broker)> _connections = [];
    private readonly Lock _gate = new();
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextId;

    public BrokerForwarder(IPAddress address, int port, IPEndPoint target, ILogger logger)
    {
        _listener = new TcpListener(address, port);
        _target = target;
        _logger = logger;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Start()
    {
        _listener.Start(backlog: 128);
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_gate)
        {
            foreach (var (client, broker) in _connections.Values)
            {
                client.Dispose();
                broker.Dispose();
            }

            _connections.Clear();
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException && cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        client.NoDelay = true;
        var broker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        long id;
        lock (_gate)
        {
            if (_connections.Count >= ConnectionsMax)
            {
                client.Dispose();
                broker.Dispose();
                return;
            }

            id = ++_nextId;
            _connections[id] = (client, broker);
        }

        try
        {
            await broker.ConnectAsync(_target, cancellationToken);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // Either direction ending (the broker went down, the client left) ends both.
            await Task.WhenAny(PumpAsync(client, broker, linked.Token), PumpAsync(broker, client, linked.Token));
            await linked.CancelAsync();
        }
        catch (SocketException exception)
        {
            LogBrokerRefused(_logger, _target.Port, exception.SocketErrorCode);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        finally
        {
            lock (_gate)
            {
                _connections.Remove(id);
            }

            client.Dispose();
            broker.Dispose();
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, cancellationToken);
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A closed side ends the connection; the other pump is cancelled by the caller.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Broker on port {Port} refused a forwarded connection ({Error}); it is down.")]
    private static partial void LogBrokerRefused(ILogger logger, int port, SocketError error);
}
