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
        Assert.Matches(@"^PSP T connection failed: \w+ \(.+\)\.$", result.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AKeptAliveConnectionThePspClosedWhileIdleIsNotReusedAndTheNextRequestIsAnswered(bool reset)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closed = new TaskCompletionSource();
        var server = Task.Run(async () =>
        {
            // Each connection answers one request as HTTP/1.1 keep-alive, then the PSP's side closes it as an idle
            // timeout would: with a FIN, or with a RST (linger 0), as some load balancers do.
            // A connection the client opens and drops without a request (a pooled connection it gave up on) is not one
            // of the two requests: only answered requests count.
            for (var answered = 0; answered < 2;)
            {
                using var accepted = await listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
                if (!await TryReadRequestAsync(accepted))
                {
                    continue;
                }

                answered++;
                await accepted.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray(), TestContext.Current.CancellationToken);
                if (reset)
                {
                    accepted.LingerState = new LingerOption(true, 0);
                }

                accepted.Close();
                closed.TrySetResult();
            }
        }, TestContext.Current.CancellationToken);
        using var client = Client();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var first = await AuthoriseAsync(client, port);
        await closed.Task;
        await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken); // the connection sits idle, closed by the PSP
        var second = await AuthoriseAsync(client, port);
        await server;

        Assert.Equal((PspOutcome.Approved, PspOutcome.Approved), (first.Outcome, second.Outcome));
    }

    /// <summary>Reads one small request: its headers, then as many body bytes as Content-Length says; false when the
    /// client closed the connection before a whole request arrived.</summary>
    private static async Task<bool> TryReadRequestAsync(Socket socket)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
            if (read == 0)
            {
                return false;
            }

            received.AddRange(buffer.AsSpan(0, read));
            var text = System.Text.Encoding.ASCII.GetString([.. received]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            var length = System.Text.RegularExpressions.Regex.Match(text, @"Content-Length: (\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            if (received.Count >= end + 4 + (length.Success ? int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0))
            {
                return true;
            }
        }
    }

    /// <summary>A client on the production handler (<see cref="PspHttp.CreateHandler"/>).</summary>
    private static HttpClient Client() => new(PspHttp.CreateHandler(() => ConnectTimeout, connectionsMax: 4)) { Timeout = TimeSpan.FromSeconds(20) };

    private static async Task<PspResult> AuthoriseAsync(int port)
    {
        using var client = Client();
        return await AuthoriseAsync(client, port);
    }

    private static Task<PspResult> AuthoriseAsync(HttpClient client, int port) =>
        PspHttp.SendAsync(client, new PspProviderOptions { BaseUrl = new Uri($"http://127.0.0.1:{port}") }, TimeProvider.System,
            "PSP T", HttpMethod.Post, "/authorize", "{}"u8.ToArray(), "request-1",
            (_, _) => new PspResult(PspOutcome.Approved, "reference", null, null), TestContext.Current.CancellationToken);

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
