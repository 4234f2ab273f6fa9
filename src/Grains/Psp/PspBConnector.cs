using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// PSP B: camelCase JSON with ISO 8583-style response codes (<c>/psp-b/api</c>). Follow-ups answer
/// HTTP 200 with a response code, so the code, not the status, carries the outcome. The same rule of
/// ambiguity as PSP A: only an answer proving nothing executed is <see cref="PspOutcome.Rejected"/>.
/// </summary>
public sealed class PspBConnector(IHttpClientFactory httpClientFactory, IOptionsMonitor<PspOptions> options, TimeProvider timeProvider) : IPspConnector
{
    public const string ProviderName = "psp-b";

    public string Name => ProviderName;

    public Task<PspResult> ExecuteAsync(PspRequest request, CancellationToken cancellationToken)
    {
        var (path, body) = request.Operation switch
        {
            PspOperation.Authorize => ("/psp-b/api/transactions", PspHttp.Json(w =>
            {
                var card = request.Card ?? throw new InvalidOperationException("An authorisation needs card details.");
                w.WriteString("merchantTxnId", request.PaymentId.ToString("N"));
                w.WriteNumber("amountCents", request.AmountMinor);
                w.WriteString("ccy", request.Currency);
                w.WriteString("txnType", request.Capture ? "SALE" : "AUTH");
                w.WriteString("pan", card.Number);
                w.WriteString("expiry", string.Create(CultureInfo.InvariantCulture, $"{card.ExpMonth:00}/{card.ExpYear % 100:00}"));
                if (card.Cvc is not null)
                {
                    w.WriteString("cvv", card.Cvc);
                }
            })),
            PspOperation.Capture => ($"/psp-b/api/transactions/{Uri.EscapeDataString(RefOf(request))}/settle", PspHttp.Json(w => w.WriteNumber("amountCents", request.AmountMinor))),
            PspOperation.Void => ($"/psp-b/api/transactions/{Uri.EscapeDataString(RefOf(request))}/reverse", PspHttp.Json(_ => { })),
            PspOperation.Refund => ($"/psp-b/api/transactions/{Uri.EscapeDataString(RefOf(request))}/credit", PspHttp.Json(w => w.WriteNumber("amountCents", request.AmountMinor))),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Operation, null),
        };
        return SendAsync(HttpMethod.Post, path, body, request, cancellationToken);
    }

    public Task<PspResult> InquireAsync(PspRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"/psp-b/v1/requests/{Uri.EscapeDataString(request.RequestId)}", [], request, cancellationToken);

    /// <summary>PSP B's answer normalised: public and pure so every response code is unit-tested.</summary>
    public static PspResult Normalise(HttpStatusCode status, ReadOnlySpan<byte> content, PspOperation operation, string requestId)
    {
        var code = (int)status;
        string? responseCode = null;
        string? txnId = null;
        string? state = null;
        long credited = 0;
        string? creditRef = null;
        try
        {
            var reader = new Utf8JsonReader(content);
            if (JsonDocument.TryParseValue(ref reader, out var document))
            {
                using (document)
                {
                    var root = document.RootElement;
                    responseCode = root.TryGetProperty("responseCode", out var rc) ? rc.GetString() : null;
                    txnId = root.TryGetProperty("txnId", out var id) ? id.GetString() : null;
                    state = root.TryGetProperty("state", out var st) ? st.GetString() : null;
                    credited = root.TryGetProperty("creditedCents", out var cr) && cr.TryGetInt64(out var c) ? c : 0;
                    creditRef = root.TryGetProperty("creditRef", out var cref) && cref.ValueKind == JsonValueKind.String ? cref.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the HTTP status alone decides below.
        }

        if (code >= 500 || code == 429 || responseCode == "96")
        {
            return new PspResult(PspOutcome.Unknown, txnId, null, $"PSP B answered {code} ({responseCode ?? "no response code"}).");
        }

        if (code >= 400)
        {
            // 14 invalid card, 25 unknown transaction, 30 format error: executed nothing.
            return new PspResult(PspOutcome.Rejected, null, ErrorCodeOf(responseCode, code), $"PSP B refused the request ({code}, {responseCode}).");
        }

        return (operation, responseCode, state) switch
        {
            (PspOperation.Authorize, "00", "AUTHORISED" or "SETTLED") => new PspResult(PspOutcome.Approved, txnId, null, null),
            (PspOperation.Authorize, "00", _) => new PspResult(PspOutcome.Unknown, txnId, null, $"PSP B approved but reported state '{state}'."),
            (PspOperation.Authorize, { } declined, _) => new PspResult(PspOutcome.Declined, txnId, DeclineCodeOf(declined), null),
            (PspOperation.Capture, "00", _) => new PspResult(PspOutcome.Approved, txnId, null, null),
            (PspOperation.Void, "00", _) => new PspResult(PspOutcome.Approved, txnId, null, null),
            // PSP B names each credit (creditRef), as its REFUND notification does; without one, our request id identifies it.
            (PspOperation.Refund, "00", _) => new PspResult(PspOutcome.Approved, null, null, null,
                OperationReference: creditRef is { Length: > 0 } ? creditRef : $"{txnId}:{requestId}"),
            (_, "12" or "13", _) => new PspResult(PspOutcome.Rejected, txnId, responseCode == "12" ? "INVALID_TRANSACTION" : "INVALID_AMOUNT",
                $"PSP B refused the {operation} ({responseCode}); credited so far {credited}."),
            _ => new PspResult(PspOutcome.Unknown, txnId, null, $"PSP B answered an unexpected response code '{responseCode}' to a {operation}."),
        };
    }

    /// <summary>ISO 8583 response codes mapped to our normalised decline codes.</summary>
    public static string DeclineCodeOf(string responseCode) => responseCode switch
    {
        "05" => "DO_NOT_HONOR",
        "51" => "INSUFFICIENT_FUNDS",
        "54" => "EXPIRED_CARD",
        "61" => "AMOUNT_LIMIT_EXCEEDED",
        "91" => "ISSUER_UNAVAILABLE",
        _ => "DECLINED",
    };

    private static string ErrorCodeOf(string? responseCode, int status) => responseCode switch
    {
        "14" => "INVALID_CARD",
        "25" => "RESOURCE_MISSING",
        "30" => "FORMAT_ERROR",
        _ => $"PSP_HTTP_{status}",
    };

    private Task<PspResult> SendAsync(HttpMethod method, string path, byte[] body, PspRequest request, CancellationToken cancellationToken) =>
        PspHttp.SendAsync(httpClientFactory.CreateClient(ProviderName), PspHttp.SettingsOf(options.CurrentValue, ProviderName), timeProvider,
            "PSP B", method, path, body, request.RequestId, (status, content) => Normalise(status, content, request.Operation, request.RequestId), cancellationToken);

    private static string RefOf(PspRequest request) =>
        request.PspReference ?? throw new InvalidOperationException($"A {request.Operation} needs the PSP's payment reference.");
}
