using System.Globalization;
using System.Text.Json;
using Payments.Actors.Ledger;
using Payments.Actors.Money;

namespace Payments.Actors.Grains.Ledger;

/// <summary>
/// The posting rules of docs/events.md as a pure function: (event type, payload) to a balanced posting, no
/// posting, or a rejection. A rejection names what is wrong so the event can wait in the DLQ for a fix;
/// nothing here reads a clock, a database or a grain.
/// </summary>
public static class PostingRules
{
    /// <summary>Payloads above this size are refused unread.</summary>
    public const int PayloadCharsMax = 64 * 1024;

    /// <summary>Longest merchant id, PSP name or wallet id accepted into an account code.</summary>
    public const int NamePartCharsMax = 128;

    /// <summary>The PSP name of a payment paid from a wallet (docs/events.md).</summary>
    public const string WalletPsp = "wallet";

    private static readonly HashSet<string> PaymentEventsWithoutMoney = new(StringComparer.Ordinal)
    {
        "payment.initiated", "payment.authorized", "payment.declined", "payment.failed", "payment.voided",
    };

    /// <summary>
    /// The event types that move money, so each must have its posting: what the ledger's completeness check and verify
    /// look for, with the source system that posts them. Every other event type of a known source posts nothing.
    /// </summary>
    public static readonly IReadOnlyList<(string SourceSystem, string EventType)> MoneyEvents =
    [
        (LedgerSourceSystems.Payments, "payment.captured"),
        (LedgerSourceSystems.Payments, "payment.refunded"),
        (LedgerSourceSystems.Wallets, "wallet.cashed_in"),
        (LedgerSourceSystems.Wallets, "wallet.cashed_out"),
        (LedgerSourceSystems.Wallets, "wallet.hold_captured"),
    ];

    /// <summary>Decides the posting for one event. <paramref name="receivedAt"/> is the effective time when the payload names none.</summary>
    public static PostingDecision Decide(LedgerEvent e, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.SourceSystem is not (LedgerSourceSystems.Payments or LedgerSourceSystems.Wallets))
        {
            return PostingDecision.Reject($"unknown source system '{e.SourceSystem}'");
        }

        if (e.EventId == Guid.Empty)
        {
            return PostingDecision.Reject("event id is empty");
        }

        var known = MoneyEvents.Contains((e.SourceSystem, e.EventType))
            || (e.SourceSystem == LedgerSourceSystems.Payments && PaymentEventsWithoutMoney.Contains(e.EventType));
        if (!known)
        {
            return PostingDecision.Reject($"unknown event type '{e.EventType}' from {e.SourceSystem}");
        }

        if (e.PayloadJson is null || e.PayloadJson.Length > PayloadCharsMax)
        {
            return PostingDecision.Reject($"payload is missing or longer than {PayloadCharsMax} characters");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(e.PayloadJson);
        }
        catch (JsonException exception)
        {
            return PostingDecision.Reject($"payload is not JSON: {exception.Message}");
        }

        using (document)
        {
            var payload = new Payload(document.RootElement);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return PostingDecision.Reject("payload is not a JSON object");
            }

            if (payload.Consistency(e) is { } inconsistency)
            {
                return PostingDecision.Reject(inconsistency);
            }

            if (PaymentEventsWithoutMoney.Contains(e.EventType))
            {
                return PostingDecision.NoPosting;
            }

            return e.SourceSystem == LedgerSourceSystems.Payments ? PaymentPosting(e, payload, receivedAt) : WalletPosting(e, payload, receivedAt);
        }
    }

    /// <summary>
    /// payment.captured: Dr psp_clearing:{psp} (or the paying wallet when psp is "wallet") / Cr merchant_payable.
    /// payment.refunded: the same legs reversed, for the refund amount.
    /// </summary>
    private static PostingDecision PaymentPosting(LedgerEvent e, Payload p, DateTimeOffset receivedAt)
    {
        if (p.Uuid("payment_id", out var paymentId) is { } a) { return PostingDecision.Reject(a); }
        if (p.Name("merchant_id", out var merchant) is { } b) { return PostingDecision.Reject(b); }
        if (p.Amount(out var amount) is { } c) { return PostingDecision.Reject(c); }
        if (p.Currency(out var currency) is { } d) { return PostingDecision.Reject(d); }
        if (p.Name("psp", out var psp) is { } f) { return PostingDecision.Reject(f); }
        if (p.OccurredAt(receivedAt, out var effectiveAt) is { } g) { return PostingDecision.Reject(g); }

        string? walletId = null;
        LedgerAccountRef funding;
        if (psp == WalletPsp)
        {
            if (p.WalletId(out var wallet) is { } h) { return PostingDecision.Reject(h); }
            walletId = wallet;
            funding = AccountCodes.Wallet(merchant, wallet, currency);
        }
        else
        {
            funding = AccountCodes.PspClearing(psp, currency);
        }

        var payable = AccountCodes.MerchantPayable(merchant, currency);
        var captured = e.EventType == "payment.captured";
        var refundId = p.OptionalText("refund_id");
        var memo = captured
            ? $"capture of payment {paymentId} via {psp}"
            : $"refund {refundId ?? "(no id)"} of payment {paymentId} via {psp}";
        LedgerLeg[] legs = captured
            ? [new(funding, LedgerSide.Debit, amount), new(payable, LedgerSide.Credit, amount)]
            : [new(payable, LedgerSide.Debit, amount), new(funding, LedgerSide.Credit, amount)];
        return PostingDecision.Post(new LedgerPosting(e.SourceSystem, e.EventId, e.EventType, effectiveAt, paymentId, walletId, memo, legs));
    }

    /// <summary>
    /// wallet.cashed_in: Dr bank / Cr wallet. wallet.cashed_out: Dr wallet / Cr bank. wallet.hold_captured: Dr wallet /
    /// Cr merchant_payable, as a captured wallet payment (the merchant who held the money is owed it).
    /// </summary>
    private static PostingDecision WalletPosting(LedgerEvent e, Payload p, DateTimeOffset receivedAt)
    {
        if (p.Name("merchant_id", out var merchant) is { } a) { return PostingDecision.Reject(a); }
        if (p.WalletId(out var walletId) is { } b) { return PostingDecision.Reject(b); }
        if (p.Amount(out var amount) is { } c) { return PostingDecision.Reject(c); }
        if (p.Currency(out var currency) is { } d) { return PostingDecision.Reject(d); }
        if (p.OccurredAt(receivedAt, out var effectiveAt) is { } f) { return PostingDecision.Reject(f); }

        var wallet = AccountCodes.Wallet(merchant, walletId, currency);
        var operation = p.OptionalText("operation_id") ?? "(no operation id)";
        var (memo, legs) = e.EventType switch
        {
            "wallet.cashed_in" => ($"cash-in {operation} of wallet {walletId}",
                new LedgerLeg[] { new(AccountCodes.Bank(currency), LedgerSide.Debit, amount), new(wallet, LedgerSide.Credit, amount) }),
            "wallet.cashed_out" => ($"cash-out {operation} of wallet {walletId}",
                new LedgerLeg[] { new(wallet, LedgerSide.Debit, amount), new(AccountCodes.Bank(currency), LedgerSide.Credit, amount) }),
            _ => ($"capture {operation} of hold {p.OptionalText("hold_id") ?? "(no hold id)"} on wallet {walletId}",
                new LedgerLeg[] { new(wallet, LedgerSide.Debit, amount), new(AccountCodes.MerchantPayable(merchant, currency), LedgerSide.Credit, amount) }),
        };
        return PostingDecision.Post(new LedgerPosting(e.SourceSystem, e.EventId, e.EventType, effectiveAt, null, walletId, memo, legs));
    }

    /// <summary>Reads one payload; each method returns null when the field is good, or the reason it is not.</summary>
    private readonly struct Payload(JsonElement root)
    {
        public string? Consistency(LedgerEvent e)
        {
            if (root.TryGetProperty("event_type", out var type) && (type.ValueKind != JsonValueKind.String || type.GetString() != e.EventType))
            {
                return $"payload event_type {type} does not match the event type '{e.EventType}'";
            }

            if (root.TryGetProperty("event_id", out var id)
                && (id.ValueKind != JsonValueKind.String || !Guid.TryParse(id.GetString(), out var parsed) || parsed != e.EventId))
            {
                return $"payload event_id {id} does not match the event id {e.EventId}";
            }

            return null;
        }

        public string? Uuid(string name, out Guid value)
        {
            value = Guid.Empty;
            return root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String && Guid.TryParse(p.GetString(), out value) && value != Guid.Empty
                ? null
                : $"{name} is missing or not a UUID";
        }

        /// <summary>A merchant id or PSP name: part of an account code, so no ':' and bounded.</summary>
        public string? Name(string name, out string value)
        {
            value = "";
            if (!root.TryGetProperty(name, out var p) || p.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(p.GetString()))
            {
                return $"{name} is missing or empty";
            }

            value = p.GetString()!;
            return value.Length > NamePartCharsMax || value.Contains(':', StringComparison.Ordinal)
                ? $"{name} must be at most {NamePartCharsMax} characters without ':'"
                : null;
        }

        public string? WalletId(out string value)
        {
            value = "";
            if (!root.TryGetProperty("wallet_id", out var p) || p.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(p.GetString()))
            {
                return "wallet_id is missing or empty";
            }

            value = p.GetString()!;
            return value.Length > NamePartCharsMax ? $"wallet_id must be at most {NamePartCharsMax} characters" : null;
        }

        public string? Amount(out long value)
        {
            value = 0;
            if (!root.TryGetProperty("amount_minor", out var p) || p.ValueKind != JsonValueKind.Number || !p.TryGetInt64(out value))
            {
                return "amount_minor is missing or not an integer";
            }

            return value > 0 ? null : $"amount_minor must be positive, was {value}";
        }

        public string? Currency(out string value)
        {
            value = "";
            if (!root.TryGetProperty("currency", out var p) || p.ValueKind != JsonValueKind.String)
            {
                return "currency is missing";
            }

            value = p.GetString()!;
            return Currencies.IsKnown(value) ? null : $"currency '{value}' is not an active ISO 4217 code";
        }

        /// <summary>occurred_at is optional; when present it must be an RFC 3339 time.</summary>
        public string? OccurredAt(DateTimeOffset fallback, out DateTimeOffset value)
        {
            value = fallback;
            if (!root.TryGetProperty("occurred_at", out var p) || p.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return p.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(p.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
                ? null
                : "occurred_at is not an RFC 3339 time";
        }

        public string? OptionalText(string name) =>
            root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
    }
}
