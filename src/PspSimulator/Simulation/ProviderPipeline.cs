using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// What every simulated provider does around its own decisions: injected faults, signature checks,
/// idempotency on <c>Idempotency-Key</c>, recording for status inquiry, and delays.
/// The order matters: an outcome is decided and recorded before any delay, so a client that times
/// out can still learn through inquiry what really happened.
/// </summary>
internal static class ProviderPipeline
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int IdempotencyKeyLengthMax = 255;

    private const string JsonContentType = "application/json";
    private static readonly byte[] InvalidSignatureBody = """{"error":"invalid_signature"}"""u8.ToArray();
    private static readonly byte[] IdempotencyKeyRequiredBody = """{"error":"idempotency_key_required"}"""u8.ToArray();
    private static readonly byte[] IdempotencyKeyTooLongBody = """{"error":"idempotency_key_too_long"}"""u8.ToArray();
    private static readonly byte[] IdempotencyKeyReusedBody = """{"error":"idempotency_key_reused"}"""u8.ToArray();
    private static readonly byte[] NotFoundBody = """{"error":"not_found"}"""u8.ToArray();

    /// <summary>Runs a POST command through faults, signature and idempotency, then <paramref name="decide"/> at most once per key.</summary>
    public static async Task ExecuteCommandAsync(HttpContext context, ProviderState provider, Func<ProviderCommand, ProviderReply> decide)
    {
        provider.Stats.CountReceived();
        var faults = provider.Faults.Settings;
        if (faults.Down)
        {
            Abort(context, provider);
            return;
        }

        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (!HasValidSignature(context, provider, body))
        {
            provider.Stats.CountRejected();
            await WriteAsync(context, provider, faults, StatusCodes.Status401Unauthorized, InvalidSignatureBody, TimeSpan.Zero);
            return;
        }

        var key = context.Request.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length is 0 or > IdempotencyKeyLengthMax)
        {
            provider.Stats.CountRejected();
            var problem = key.Length == 0 ? IdempotencyKeyRequiredBody : IdempotencyKeyTooLongBody;
            await WriteAsync(context, provider, faults, StatusCodes.Status400BadRequest, problem, TimeSpan.Zero);
            return;
        }

        if (provider.Faults.ShouldFail(faults))
        {
            provider.Stats.CountFaulted();
            SimulatorLog.FaultInjected(provider.Logger, provider.Name, faults.ErrorStatus, context.Request.Method, context.Request.Path);
            await WriteAsync(context, provider, faults, faults.ErrorStatus, provider.ServerErrorBody(), TimeSpan.Zero);
            return;
        }

        var fingerprint = Fingerprint(context.Request.Method, RawTarget(context), body);
        var candidate = new IdempotencyEntry(fingerprint);
        var entry = provider.Requests.GetOrAdd(key, candidate);
        var replay = !ReferenceEquals(entry, candidate);
        ProviderReply reply;
        if (replay)
        {
            if (!entry.Matches(fingerprint))
            {
                provider.Stats.CountRejected();
                await WriteAsync(context, provider, faults, StatusCodes.Status422UnprocessableEntity, IdempotencyKeyReusedBody, TimeSpan.Zero);
                return;
            }

            // The first request decides synchronously, so this waits microseconds at most; the
            // replay answers at once even when the original is still held back by a delay.
            reply = (await entry.Outcome) with { Delay = TimeSpan.Zero };
            provider.Stats.CountReplayed();
        }
        else
        {
            reply = Decide(provider, key, candidate, new ProviderCommand(body, FaultInjector.Roll(faults.DeclineRate), provider.Time.GetUtcNow()), decide);
        }

        var delay = reply.Delay;
        if (reply.Recorded && FaultInjector.Roll(faults.TimeoutRate))
        {
            provider.Stats.CountTimeoutInjected();
            delay += provider.TimeoutHang;
        }

        SimulatorLog.CommandAnswered(
            provider.Logger, provider.Name, context.Request.Method, context.Request.Path, key, reply.StatusCode, reply.Recorded, replay, delay);
        await WriteAsync(context, provider, faults, reply.StatusCode, reply.Body, delay);
    }

    /// <summary>Runs a GET through the faults that apply to reads (down, latency) and the signature check.</summary>
    public static async Task ExecuteQueryAsync(HttpContext context, ProviderState provider, Func<ProviderReply> answer)
    {
        provider.Stats.CountReceived();
        var faults = provider.Faults.Settings;
        if (faults.Down)
        {
            Abort(context, provider);
            return;
        }

        if (!HasValidSignature(context, provider, ReadOnlySpan<byte>.Empty))
        {
            provider.Stats.CountRejected();
            await WriteAsync(context, provider, faults, StatusCodes.Status401Unauthorized, InvalidSignatureBody, TimeSpan.Zero);
            return;
        }

        var reply = answer();
        await WriteAsync(context, provider, faults, reply.StatusCode, reply.Body, TimeSpan.Zero);
    }

    /// <summary><c>GET /{provider}/v1/requests/{idempotencyKey}</c>: the recorded answer, or 404 if the provider never processed the key.</summary>
    public static Task InquireAsync(HttpContext context, ProviderState provider, string idempotencyKey) =>
        ExecuteQueryAsync(context, provider, () =>
        {
            provider.Stats.CountInquiry();
            if (!provider.Requests.TryGet(idempotencyKey, out var entry) || !entry.TryGetRecorded(out var recorded))
            {
                return ProviderReply.Decided(StatusCodes.Status404NotFound, NotFoundBody);
            }

            var buffer = new ArrayBufferWriter<byte>(recorded.Body.Length + 128);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("idempotency_key", idempotencyKey);
                writer.WriteNumber("status_code", recorded.StatusCode);
                writer.WritePropertyName("response");
                writer.WriteRawValue(recorded.Body, skipInputValidation: true);
                writer.WriteEndObject();
            }

            return ProviderReply.Decided(StatusCodes.Status200OK, buffer.WrittenSpan.ToArray());
        });

    private static ProviderReply Decide(
        ProviderState provider, string key, IdempotencyEntry entry, ProviderCommand command, Func<ProviderCommand, ProviderReply> decide)
    {
        ProviderReply reply;
        try
        {
            reply = decide(command);
        }
        catch (Exception exception)
        {
            // A bug, not an outcome: release the duplicates waiting on this key and let the host answer 500.
            entry.Fail(exception);
            provider.Requests.TryRemove(key, entry);
            throw;
        }

        entry.Complete(reply);
        if (reply.Recorded)
        {
            provider.Stats.CountProcessed();
        }
        else
        {
            provider.Stats.CountUnrecorded();
            provider.Requests.TryRemove(key, entry);
        }

        return reply;
    }

    private static void Abort(HttpContext context, ProviderState provider)
    {
        provider.Stats.CountAborted();
        SimulatorLog.Aborted(provider.Logger, provider.Name, context.Request.Method, context.Request.Path);
        context.Abort();
    }

    private static bool HasValidSignature(HttpContext context, ProviderState provider, ReadOnlySpan<byte> body)
    {
        if (provider.HmacSecret is null)
        {
            return true;
        }

        var verdict = RequestSignature.Verify(
            provider.HmacSecret,
            context.Request.Headers[RequestSignature.HeaderName].ToString(),
            context.Request.Method,
            RawTarget(context),
            body,
            provider.Time.GetUtcNow().ToUnixTimeSeconds(),
            provider.SignatureToleranceSeconds);
        if (verdict == SignatureVerdict.Valid)
        {
            return true;
        }

        SimulatorLog.SignatureRejected(provider.Logger, provider.Name, context.Request.Method, context.Request.Path, verdict);
        return false;
    }

    /// <summary>The request target exactly as the client sent it, which is what the client signed.</summary>
    private static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();

    private static byte[] Fingerprint(string method, string target, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(method + "\n" + target + "\n"));
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Kestrel's MaxRequestBodySize bounds what this can read.
        if (request.ContentLength == 0)
        {
            return [];
        }

        using var buffer = new MemoryStream(request.ContentLength is > 0 and <= PspSimulatorApp.RequestBodyBytesMax ? (int)request.ContentLength : 1024);
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static async Task WriteAsync(HttpContext context, ProviderState provider, FaultSettings faults, int statusCode, byte[] body, TimeSpan delay)
    {
        delay += FaultInjector.Latency(faults);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, provider.Time, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client gave up waiting; the outcome is already recorded for inquiry.
                return;
            }
        }

        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, CancellationToken.None);
    }
}
