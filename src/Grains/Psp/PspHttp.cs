using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// The transport every HTTP connector shares: our request id as the PSP's Idempotency-Key, HMAC
/// signing, the inquiry envelope, and the rule for ambiguity — only a refused connection proves
/// nothing was sent (<see cref="PspOutcome.Rejected"/>); any other transport failure is
/// <see cref="PspOutcome.Unknown"/>. Each connector keeps its own wire format and normalisation.
/// Timeouts belong to the adapter's resilience pipeline, whose token cancels the call.
/// </summary>
internal static class PspHttp
{
    /// <summary>Normalises one answer of the provider (status and body) to our outcome.</summary>
    public delegate PspResult Normaliser(HttpStatusCode status, byte[] content);

    public static Task<PspResult> SendAsync(HttpClient client, PspProviderOptions settings, TimeProvider timeProvider, string displayName,
        HttpMethod method, string path, byte[] body, string requestId, Normaliser normalise, CancellationToken cancellationToken) =>
        SendCoreAsync(client, settings, timeProvider, displayName, method, path, body, requestId, normalise, inquiryEnvelope: method == HttpMethod.Get, cancellationToken);

    /// <summary>A plain signed GET of a provider resource (not the inquiry envelope): <paramref name="normalise"/> reads the answer as it comes.</summary>
    public static Task<PspResult> GetResourceAsync(HttpClient client, PspProviderOptions settings, TimeProvider timeProvider, string displayName,
        string path, Normaliser normalise, CancellationToken cancellationToken) =>
        SendCoreAsync(client, settings, timeProvider, displayName, HttpMethod.Get, path, [], string.Empty, normalise, inquiryEnvelope: false, cancellationToken);

    private static async Task<PspResult> SendCoreAsync(HttpClient client, PspProviderOptions settings, TimeProvider timeProvider, string displayName,
        HttpMethod method, string path, byte[] body, string requestId, Normaliser normalise, bool inquiryEnvelope, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, new Uri(settings.BaseUrl!, path));
        if (method == HttpMethod.Post)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new("application/json");
            message.Headers.Add("Idempotency-Key", requestId);
        }

        if (!string.IsNullOrEmpty(settings.HmacSecret))
        {
            message.Headers.Add(RequestSignature.HeaderName,
                RequestSignature.Sign(settings.HmacSecret, timeProvider.GetUtcNow().ToUnixTimeSeconds(), method.Method, path, body));
        }

        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return inquiryEnvelope
                ? NormaliseInquiry(displayName, response.StatusCode, content, normalise)
                : normalise(response.StatusCode, content);
        }
        catch (HttpRequestException exception) when (NeverConnected(exception))
        {
            // Nothing was sent: a request is written only on an open connection, and this one never opened.
            return new PspResult(PspOutcome.Rejected, null, PspErrorCodes.Unreachable, $"{displayName} could not be reached: {exception.InnerException!.Message}");
        }
        catch (HttpRequestException exception)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"{displayName} connection failed: {exception.HttpRequestError} ({RootCause(exception)}).");
        }
    }

    /// <summary>
    /// The innermost exception's message, e.g. "Connection reset by peer": <see cref="HttpRequestError"/> alone says
    /// Unknown for any I/O error while the request or its answer was on the wire, which tells an operator nothing.
    /// </summary>
    private static string RootCause(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception.Message;
    }

    /// <summary>
    /// Idle pooled connections are closed after this long: sooner than the idle timeouts PSPs' servers and load
    /// balancers commonly use (60 s and up), so that our side closes first and a request is not written onto a
    /// connection the other side is closing at that moment, which would leave its outcome unknown.
    /// </summary>
    public static readonly TimeSpan PooledConnectionIdleTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The handler every PSP client uses: our connect (with the timeout in force now), bounded connections, no proxy.</summary>
    public static SocketsHttpHandler CreateHandler(Func<TimeSpan> connectTimeout, int connectionsMax) => new()
    {
        ConnectCallback = (context, token) => ConnectAsync(context, connectTimeout(), token),
        MaxConnectionsPerServer = connectionsMax,
        PooledConnectionIdleTimeout = PooledConnectionIdleTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    };

    /// <summary>The connection was refused, had no route, or did not open within the connect timeout (<see cref="ConnectAsync"/>).</summary>
    private static bool NeverConnected(HttpRequestException exception) => exception.InnerException is
        SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable }
        or PspConnectTimeoutException;

    /// <summary>The simulators' status inquiry: 404 = never processed; 200 = the original answer, normalised as if it had just arrived.</summary>
    private static PspResult NormaliseInquiry(string displayName, HttpStatusCode status, byte[] content, Normaliser normalise)
    {
        if (status == HttpStatusCode.NotFound)
        {
            return new PspResult(PspOutcome.NotFound, null, null, $"{displayName} has no record of the request.");
        }

        if (status != HttpStatusCode.OK)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"{displayName} status inquiry answered {(int)status}.");
        }

        using var document = JsonDocument.Parse(content);
        var root = document.RootElement;
        var originalStatus = (HttpStatusCode)root.GetProperty("status_code").GetInt32();
        var originalBody = JsonSerializer.SerializeToUtf8Bytes(root.GetProperty("response"));
        return normalise(originalStatus, originalBody);
    }

    /// <summary>A JSON object body, written straight to bytes (they are also what the signature covers).</summary>
    public static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Opens the TCP connection for a request within <paramref name="timeout"/>; the handler turns a failure into an <see cref="HttpRequestException"/>.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, deadline.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new PspConnectTimeoutException($"Connecting to {context.DnsEndPoint} took longer than {timeout.TotalMilliseconds:0} ms.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static PspProviderOptions SettingsOf(PspOptions options, string provider) =>
        options.Providers.GetValueOrDefault(provider)
        ?? throw new InvalidOperationException($"PSP '{provider}' is not configured (Psp:Providers:{provider}).");
}
