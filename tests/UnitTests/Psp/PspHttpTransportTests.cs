using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Psp;
using Xunit;

namespace Payments.Actors.UnitTests.Psp;

/// <summary>
/// The shared PSP transport over real loopback sockets: a request that provably never left (the connection did not
/// open) is a refusal that allows failover; one that may have reached the PSP is an unknown outcome.
/// </summary>
public sealed class PspHttpTransportTests
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task ARefusedConnectionIsAnUnsentRefusalThatAllowsFailover()
    {
        int port;
        using (var closed = new TcpListener(IPAddress.Loopback, 0))
        {
            closed.Start();
            port = ((IPEndPoint)closed.LocalEndpoint).Port;
            closed.Stop();
        }

        var result = await AuthoriseAsync(port);

        Assert.Equal((PspOutcome.Rejected, PspErrorCodes.Unreachable), (result.Outcome, result.DeclineCode));
        Assert.True(PspErrorCodes.AllowsFailover(result));
    }

    [Fact]
    public async Task AConnectionThePspNeverAcceptsTimesOutAsAnUnsentRefusalThatAllowsFailover()
    {
        // A listener that never accepts, its accept queue filled: the kernel drops further SYNs and connecting hangs.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var queued = new List<Socket>();
        try
        {
            while (queued.Count < 16 && await ConnectsWithinAsync(endpoint, TimeSpan.FromMilliseconds(500), queued))
            {
            }

            Assert.True(queued.Count < 16, "the listener's accept queue never filled");
            var started = Stopwatch.GetTimestamp();

            var result = await AuthoriseAsync(endpoint.Port);

            Assert.Equal((PspOutcome.Rejected, PspErrorCodes.Unreachable), (result.Outcome, result.DeclineCode));
            Assert.Contains("longer than 300 ms", result.Message, StringComparison.Ordinal);
            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5), "the connect timeout, not the client's, ended the call");
        }
        finally
        {
            queued.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task AConnectionClosedAfterTheRequestWasSentIsAnUnknownOutcomeNeverARefusal()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
            var buffer = new byte[4096];
            await accepted.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
            accepted.Close(); // the request arrived; no answer ever does
        }, TestContext.Current.CancellationToken);

        var result = await AuthoriseAsync(((IPEndPoint)listener.LocalEndpoint).Port);
        await server;

        Assert.Equal((PspOutcome.Unknown, null), (result.Outcome, result.DeclineCode));
        Assert.False(PspErrorCodes.AllowsFailover(result));
    }

    private static async Task<PspResult> AuthoriseAsync(int port)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = (context, token) => PspHttp.ConnectAsync(context, ConnectTimeout, token),
        })
        { Timeout = TimeSpan.FromSeconds(20) };
        return await PspHttp.SendAsync(client, new PspProviderOptions { BaseUrl = new Uri($"http://127.0.0.1:{port}") }, TimeProvider.System,
            "PSP T", HttpMethod.Post, "/authorize", "{}"u8.ToArray(), "request-1",
            (_, _) => new PspResult(PspOutcome.Approved, "reference", null, null), TestContext.Current.CancellationToken);
    }

    private static async Task<bool> ConnectsWithinAsync(IPEndPoint endpoint, TimeSpan within, List<Socket> queued)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        queued.Add(socket);
        using var deadline = new CancellationTokenSource(within);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
