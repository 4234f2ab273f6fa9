using System.Net;
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
            PspOperation.Authorize => ("/psp-a/v1/payments", PspHttp.Json(w =>
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
            PspOperation.Capture => ($"/psp-a/v1/payments/{Uri.EscapeDataString(RefOf(request))}/capture", PspHttp.Json(w => w.WriteNumber("amount", request.AmountMinor))),
            PspOperation.Void => ($"/psp-a/v1/payments/{Uri.EscapeDataString(RefOf(request))}/cancel", PspHttp.Json(_ => { })),
            PspOperation.Refund => ($"/psp-a/v1/payments/{Uri.EscapeDataString(RefOf(request))}/refunds", PspHttp.Json(w => w.WriteNumber("amount", request.AmountMinor))),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Operation, null),
        };
        return SendAsync(HttpMethod.Post, path, body, request, cancellationToken);
    }

    public Task<PspResult> InquireAsync(PspRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"/psp-a/v1/requests/{Uri.EscapeDataString(request.RequestId)}", [], request, cancellationToken);

    private Task<PspResult> SendAsync(HttpMethod method, string path, byte[] body, PspRequest request, CancellationToken cancellationToken) =>
        PspHttp.SendAsync(httpClientFactory.CreateClient(ProviderName), PspHttp.SettingsOf(options.CurrentValue, ProviderName), timeProvider,
            "PSP A", method, path, body, request.RequestId, (status, content) => Normalise(status, content, request.Operation), cancellationToken);

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
}
