using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// PSP A: a Stripe-like JSON API (<c>/psp-a/v1</c>). Normalises its statuses and decline reasons.
/// The rule for ambiguity: only an answer that proves the PSP did not execute the request is
/// <see cref="PspOutcome.Rejected"/>; timeouts, resets and 5xx are <see cref="PspOutcome.Unknown"/>.
/// </summary>
public sealed class PspAConnector(IHttpClientFactory httpClientFactory, IOptionsMonitor<PspOptions> options, TimeProvider timeProvider) : IPspConnector
{
    public const string ProviderName = "psp-a";

    public string Name => ProviderName;

    public Task<PspResult> ExecuteAsync(PspRequest request, CancellationToken cancellationToken)
    {
        var (path, body) = request.Operation switch
        {
            PspOperation.Authorize => ("/psp-a/v1/payments", Write(w =>
            {
                var card = request.Card ?? throw new InvalidOperationException("An authorisation needs card details.");
                w.WriteString("reference", request.PaymentId.ToString("N"));
                w.WriteNumber("amount", request.AmountMinor);
                w.WriteString("currency", request.Currency);
                w.WriteBoolean("capture", request.Capture);
                w.WriteStartObject("card");
                w.WriteString("number", card.Number);
                w.WriteNumber("exp_month", card.ExpMonth);
                w.WriteNumber("exp_year", card.ExpYear);
                if (card.Cvc is not null)
                {
                    w.WriteString("cvc", card.Cvc);
                }

                w.WriteEndObject();
            })),
            PspOperation.Capture => ($"/psp-a/v1/payments/{Uri.EscapeDataString(RefOf(request))}/capture", Write(w => w.WriteNumber("amount", request.AmountMinor))),
            PspOperation.Void => ($"/psp-a/v1/payments/{Uri.EscapeDataString(RefOf(request))}/cancel", Write(_ => { })),
            PspOperation.Refund => ($"/psp-a/v1/payments/{Uri.EscapeDataString(RefOf(request))}/refunds", Write(w => w.WriteNumber("amount", request.AmountMinor))),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Operation, null),
        };
        return SendAsync(HttpMethod.Post, path, body, request, cancellationToken);
    }

    public Task<PspResult> InquireAsync(PspRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"/psp-a/v1/requests/{Uri.EscapeDataString(request.RequestId)}", [], request, cancellationToken);

    private async Task<PspResult> SendAsync(HttpMethod method, string path, byte[] body, PspRequest request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue.Providers.GetValueOrDefault(ProviderName)
            ?? throw new InvalidOperationException($"PSP '{ProviderName}' is not configured (Psp:Providers:{ProviderName}).");
        using var message = new HttpRequestMessage(method, new Uri(settings.BaseUrl!, path));
        if (method == HttpMethod.Post)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new("application/json");
            message.Headers.Add("Idempotency-Key", request.RequestId);
        }

        if (!string.IsNullOrEmpty(settings.HmacSecret))
        {
            message.Headers.Add(RequestSignature.HeaderName,
                RequestSignature.Sign(settings.HmacSecret, timeProvider.GetUtcNow().ToUnixTimeSeconds(), method.Method, path, body));
        }

        // Timeouts belong to the adapter's resilience pipeline: its token cancels this call.
        try
        {
            using var response = await httpClientFactory.CreateClient(ProviderName).SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return method == HttpMethod.Get
                ? NormaliseInquiry(response.StatusCode, content, request)
                : Normalise(response.StatusCode, content, request.Operation);
        }
        catch (HttpRequestException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            // Nothing was sent: the connection never opened.
            return new PspResult(PspOutcome.Rejected, null, PspErrorCodes.Unreachable, "PSP A refused the connection.");
        }
        catch (HttpRequestException exception)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"PSP A connection failed: {exception.HttpRequestError}.");
        }
    }

    private static PspResult NormaliseInquiry(HttpStatusCode status, byte[] content, PspRequest request)
    {
        if (status == HttpStatusCode.NotFound)
        {
            return new PspResult(PspOutcome.NotFound, null, null, "PSP A has no record of the request.");
        }

        if (status != HttpStatusCode.OK)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"PSP A status inquiry answered {(int)status}.");
        }

        using var document = JsonDocument.Parse(content);
        var root = document.RootElement;
        var originalStatus = (HttpStatusCode)root.GetProperty("status_code").GetInt32();
        var originalBody = JsonSerializer.SerializeToUtf8Bytes(root.GetProperty("response"));
        return Normalise(originalStatus, originalBody, request.Operation);
    }

    private static PspResult Normalise(HttpStatusCode status, byte[] content, PspOperation operation)
    {
        var code = (int)status;
        if (code >= 500 || code == 429)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"PSP A answered {code}.");
        }

        if (code >= 400)
        {
            return new PspResult(PspOutcome.Rejected, null, ErrorCodeOf(content, code), $"PSP A refused the request ({code}).");
        }

        using var document = JsonDocument.Parse(content);
        var root = document.RootElement;
        var id = root.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
        var pspStatus = root.TryGetProperty("status", out var statusElement) ? statusElement.GetString() : null;
        return (operation, pspStatus) switch
        {
            (PspOperation.Authorize, "authorized" or "captured") => new PspResult(PspOutcome.Approved, id, null, null),
            (PspOperation.Authorize, "declined") => new PspResult(PspOutcome.Declined, id, DeclineCodeOf(root), null),
            (PspOperation.Capture, "captured") => new PspResult(PspOutcome.Approved, id, null, null),
            (PspOperation.Void, "canceled") => new PspResult(PspOutcome.Approved, id, null, null),
            (PspOperation.Refund, "succeeded") => new PspResult(PspOutcome.Approved, null, null, null, OperationReference: id),
            (_, "declined" or "failed") => new PspResult(PspOutcome.Declined, id, DeclineCodeOf(root), null),
            _ => new PspResult(PspOutcome.Unknown, id, null, $"PSP A answered an unexpected status '{pspStatus}' to a {operation}."),
        };
    }

    /// <summary>PSP A's decline reasons mapped to our normalised decline codes.</summary>
    private static string DeclineCodeOf(JsonElement root) =>
        (root.TryGetProperty("decline_reason", out var reason) ? reason.GetString() : null) switch
        {
            "insufficient_funds" => "INSUFFICIENT_FUNDS",
            "expired_card" => "EXPIRED_CARD",
            "amount_limit" => "AMOUNT_LIMIT_EXCEEDED",
            "do_not_honor" => "DO_NOT_HONOR",
            _ => "DECLINED",
        };

    private static string ErrorCodeOf(byte[] content, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code) && code.GetString() is { } value)
            {
                return value.ToUpperInvariant();
            }
        }
        catch (JsonException)
        {
            // A non-JSON error body still is a refusal; the status says enough.
        }

        return $"PSP_HTTP_{status}";
    }

    private static string RefOf(PspRequest request) =>
        request.PspReference ?? throw new InvalidOperationException($"A {request.Operation} needs the PSP's payment reference.");

    private static byte[] Write(Action<Utf8JsonWriter> body)
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
}
