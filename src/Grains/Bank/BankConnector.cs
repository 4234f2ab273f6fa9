using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Payments.Actors.Bank;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Money;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Bank;

/// <summary>
/// The Bank: snake_case JSON under <c>/bank/v2</c>, amounts as decimal strings in major units, states
/// BOOKED / PENDING / REJECTED with ISO 20022-style reason codes. A cash-in is a DEBIT of the wallet
/// holder's account, a cash-out a CREDIT to it. Rides on the shared signed transport
/// (<see cref="PspHttp"/>) and the same rule of ambiguity as the card PSPs: only an answer proving
/// the Bank executed nothing is <see cref="PspOutcome.Rejected"/>; a PENDING transfer is
/// <see cref="PspOutcome.Unknown"/> (with its reference) until the Bank books or rejects it.
/// </summary>
public sealed class BankConnector(IHttpClientFactory httpClientFactory, IOptionsMonitor<PspOptions> options, TimeProvider timeProvider)
{
    public const string ProviderName = IBankAdapterGrain.Key;
    private const string DisplayName = "The Bank";

    public Task<PspResult> TransferAsync(BankTransferOrder order, CancellationToken cancellationToken)
    {
        var direction = order.Kind switch
        {
            BankTransferKind.CashIn => "DEBIT",
            BankTransferKind.CashOut => "CREDIT",
            _ => throw new ArgumentOutOfRangeException(nameof(order), order.Kind, "The Bank only makes cash-in and cash-out transfers."),
        };
        var iban = order.Iban ?? throw new InvalidOperationException("A Bank transfer needs the account's IBAN.");
        var body = PspHttp.Json(w =>
        {
            w.WriteString("transfer_ref", order.TransferRef);
            w.WriteString("direction", direction);
            w.WriteStartObject("account");
            w.WriteString("iban", iban);
            w.WriteEndObject();
            w.WriteStartObject("value");
            w.WriteString("amount", ToMajor(order.AmountMinor, order.Currency));
            w.WriteString("currency", order.Currency);
            w.WriteEndObject();
        });
        return PspHttp.SendAsync(Client, Settings, timeProvider, DisplayName, HttpMethod.Post, "/bank/v2/transfers", body, order.RequestId,
            Normalise, cancellationToken);
    }

    /// <summary>
    /// The recorded answer to our request id; a transfer that was PENDING then is read again as it is
    /// now, because the Bank's record of the request keeps the answer it gave at the time.
    /// </summary>
    public async Task<PspResult> InquireAsync(BankTransferOrder order, CancellationToken cancellationToken)
    {
        var recorded = await PspHttp.SendAsync(Client, Settings, timeProvider, DisplayName, HttpMethod.Get,
            $"/bank/v1/requests/{Uri.EscapeDataString(order.RequestId)}", [], order.RequestId, Normalise, cancellationToken);
        return recorded is { Outcome: PspOutcome.Unknown, PspReference: { } transferId }
            ? await PspHttp.GetResourceAsync(Client, Settings, timeProvider, DisplayName,
                $"/bank/v2/transfers/{Uri.EscapeDataString(transferId)}", Normalise, cancellationToken)
            : recorded;
    }

    /// <summary>The Bank's answer normalised: public and pure so every state and reason code is unit-tested.</summary>
    public static PspResult Normalise(HttpStatusCode status, byte[] content)
    {
        var code = (int)status;
        string? state = null;
        string? transferId = null;
        string? reason = null;
        string? errorCode = null;
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                state = StringOf(root, "state");
                transferId = StringOf(root, "bank_transfer_id");
                reason = StringOf(root, "reason_code");
                errorCode = StringOf(root, "error_code");
            }
        }
        catch (JsonException)
        {
            // Not JSON: the HTTP status alone decides below.
        }

        if (code >= 500 || code == 429)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"The Bank answered {code} ({errorCode ?? "no error code"}).");
        }

        if (code >= 400)
        {
            // Validation failures are answered before anything executes: nothing moved.
            return new PspResult(PspOutcome.Rejected, null, ErrorCodeOf(errorCode, code), $"The Bank refused the transfer ({code}, {errorCode}).");
        }

        return state switch
        {
            "BOOKED" => new PspResult(PspOutcome.Approved, transferId, null, null),
            "REJECTED" => new PspResult(PspOutcome.Declined, transferId, DeclineCodeOf(reason), null),
            "PENDING" => new PspResult(PspOutcome.Unknown, transferId, null, "The Bank has not booked the transfer yet (PENDING)."),
            _ => new PspResult(PspOutcome.Unknown, transferId, null, $"The Bank answered an unexpected state '{state}'."),
        };
    }

    /// <summary>The Bank's ISO 20022 reason codes mapped to our normalised decline codes.</summary>
    public static string DeclineCodeOf(string? reasonCode) => reasonCode switch
    {
        "AM04" => "INSUFFICIENT_FUNDS",
        "AC04" => "ACCOUNT_CLOSED",
        "AG01" => "TRANSACTION_NOT_ALLOWED",
        _ => "DECLINED",
    };

    /// <summary>Minor units as the Bank writes them: "12.30" EUR, "1000" JPY, "1.500" KWD. Decimal, never floating point.</summary>
    public static string ToMajor(long amountMinor, string currency) =>
        Currencies.ToMajorUnits(amountMinor, currency).ToString("F" + Currencies.ExponentOf(currency).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string ErrorCodeOf(string? errorCode, int status) => errorCode switch
    {
        "AC01" => "INVALID_ACCOUNT",
        "AM12" => "INVALID_AMOUNT",
        "FF01" => "FORMAT_ERROR",
        "NOT_FOUND" => "RESOURCE_MISSING",
        _ => $"BANK_HTTP_{status}",
    };

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private HttpClient Client => httpClientFactory.CreateClient(ProviderName);

    private PspProviderOptions Settings => PspHttp.SettingsOf(options.CurrentValue, ProviderName);
}
