using System.Text.Json;
using Payments.Actors.Events;
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
    /// <summary>
    /// Payloads above this size are refused unread. The largest a producer writes is a <c>payment.refunded</c> with the
    /// payment's and the refund's metadata at every limit, each character escaped as a surrogate pair: some 650,000
    /// characters (all ASCII once escaped, so under Kafka's default 1,000,000-byte message).
    /// </summary>
    public const int PayloadCharsMax = 1024 * 1024;

    /// <summary>Longest merchant id, PSP name or wallet id accepted into an account code.</summary>
    public const int NamePartCharsMax = 128;

    /// <summary>The PSP name of a payment paid from a wallet (docs/events.md).</summary>
    public const string WalletPsp = "wallet";

    private static readonly HashSet<string> PaymentEventsWithoutMoney = new(StringComparer.Ordinal)
    {
        PaymentEventTypes.Initiated, PaymentEventTypes.Authorized, PaymentEventTypes.Declined, PaymentEventTypes.Failed, PaymentEventTypes.Voided,
        PaymentEventTypes.DisputeLost,
    };

    /// <summary>
    /// The event types that move money, so each must have its posting: what the ledger's completeness check and verify
    /// look for, with the source system that posts them. Every other event type of a known source posts nothing.
    /// </summary>
    public static readonly IReadOnlyList<(string SourceSystem, string EventType)> MoneyEvents =
    [
        (LedgerSourceSystems.Payments, PaymentEventTypes.Captured),
        (LedgerSourceSystems.Payments, PaymentEventTypes.Refunded),
        (LedgerSourceSystems.Payments, PaymentEventTypes.DisputeCreated),
        (LedgerSourceSystems.Payments, PaymentEventTypes.DisputeWon),
        (LedgerSourceSystems.Wallets, WalletEventTypes.CashedIn),
        (LedgerSourceSystems.Wallets, WalletEventTypes.CashedOut),
        (LedgerSourceSystems.Wallets, WalletEventTypes.HoldCaptured),
    ];

    /// <summary>What a payload field that does not read says, by field; any other field says it has the wrong type.</summary>
    private static readonly Dictionary<string, string> FieldProblems = new(StringComparer.Ordinal)
    {
        ["amount_minor"] = "amount_minor is missing or not an integer",
        ["payment_id"] = "payment_id is missing or not a UUID",
        ["occurred_at"] = "occurred_at is not an RFC 3339 time",
        ["event_id"] = "payload event_id is not a UUID: it does not match the event id",
        ["event_type"] = "payload event_type is not a string: it does not match the event type",
    };

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

        return e.SourceSystem == LedgerSourceSystems.Payments
            ? Read<PaymentEventV1>(e, out var payment) ?? PaymentPosting(e, payment!, receivedAt)
            : Read<WalletEventV1>(e, out var wallet) ?? WalletPosting(e, wallet!, receivedAt);
    }

    /// <summary>Reads the payload as the contract's record; a rejection when it is not JSON, not an object, or a field does not fit.</summary>
    private static PostingDecision? Read<T>(LedgerEvent e, out T? payload)
        where T : class
    {
        payload = null;
        try
        {
            payload = EventJson.Deserialize<T>(e.PayloadJson);
        }
        catch (JsonException exception)
        {
            var field = exception.Path is ['$', '.', .. var name] ? name : null;
            return PostingDecision.Reject(string.IsNullOrEmpty(field)
                ? $"payload is not a JSON object: {exception.Message}"
                : FieldProblems.GetValueOrDefault(field) ?? $"{field} has the wrong type");
        }

        return payload is null ? PostingDecision.Reject("payload is not a JSON object") : null;
    }

    /// <summary>
    /// payment.captured: Dr psp_clearing:{psp} (or the paying wallet when psp is "wallet") / Cr merchant_payable.
    /// payment.refunded: the same legs reversed, for the refund amount.
    /// dispute.created: as a refund, for the disputed amount (the PSP took it back; the merchant is owed that much less).
    /// dispute.won: as a capture, for the disputed amount (the PSP gave it back). dispute.lost posts nothing more.
    /// Events of the other payment types post nothing once their payload reads.
    /// </summary>
    private static PostingDecision PaymentPosting(LedgerEvent e, PaymentEventV1 p, DateTimeOffset receivedAt)
    {
        var problem = Consistency(e, p.EventId, p.EventType)
            ?? (p.PaymentId == Guid.Empty ? "payment_id is missing or not a UUID" : null)
            ?? NameProblem("merchant_id", p.MerchantId)
            ?? AmountProblem(p.AmountMinor)
            ?? CurrencyProblem(p.Currency)
            ?? NameProblem("psp", p.Psp)
            ?? (p.Psp == WalletPsp ? WalletIdProblem(p.WalletId) : null);
        if (problem is not null)
        {
            return PostingDecision.Reject(problem);
        }

        if (PaymentEventsWithoutMoney.Contains(e.EventType))
        {
            return PostingDecision.NoPosting;
        }

        var walletId = p.Psp == WalletPsp ? p.WalletId : null;
        var funding = walletId is not null ? AccountCodes.Wallet(p.MerchantId, walletId, p.Currency) : AccountCodes.PspClearing(p.Psp, p.Currency);
        var payable = AccountCodes.MerchantPayable(p.MerchantId, p.Currency);
        var (credited, memo) = e.EventType switch
        {
            PaymentEventTypes.Captured => (true, $"capture of payment {p.PaymentId} via {p.Psp}"),
            PaymentEventTypes.Refunded => (false, $"refund {p.RefundId?.ToString() ?? "(no id)"} of payment {p.PaymentId} via {p.Psp}"),
            PaymentEventTypes.DisputeCreated => (false, $"dispute {p.DisputeId?.ToString() ?? "(no id)"} of payment {p.PaymentId} via {p.Psp}: funds withdrawn"),
            _ => (true, $"dispute {p.DisputeId?.ToString() ?? "(no id)"} of payment {p.PaymentId} via {p.Psp} won: funds reinstated"),
        };
        LedgerLeg[] legs = credited
            ? [new(funding, LedgerSide.Debit, p.AmountMinor), new(payable, LedgerSide.Credit, p.AmountMinor)]
            : [new(payable, LedgerSide.Debit, p.AmountMinor), new(funding, LedgerSide.Credit, p.AmountMinor)];
        return PostingDecision.Post(new LedgerPosting(e.SourceSystem, e.EventId, e.EventType, p.OccurredAt ?? receivedAt, p.PaymentId, walletId, memo, legs));
    }

    /// <summary>
    /// wallet.cashed_in: Dr bank / Cr wallet. wallet.cashed_out: Dr wallet / Cr bank. wallet.hold_captured: Dr wallet /
    /// Cr merchant_payable, as a captured wallet payment (the merchant who held the money is owed it).
    /// </summary>
    private static PostingDecision WalletPosting(LedgerEvent e, WalletEventV1 p, DateTimeOffset receivedAt)
    {
        var problem = Consistency(e, p.EventId, p.EventType)
            ?? NameProblem("merchant_id", p.MerchantId)
            ?? WalletIdProblem(p.WalletId)
            ?? AmountProblem(p.AmountMinor)
            ?? CurrencyProblem(p.Currency);
        if (problem is not null)
        {
            return PostingDecision.Reject(problem);
        }

        var wallet = AccountCodes.Wallet(p.MerchantId, p.WalletId, p.Currency);
        var bank = AccountCodes.Bank(p.Currency);
        var operation = p.OperationId == Guid.Empty ? "(no operation id)" : p.OperationId.ToString();
        var (memo, legs) = e.EventType switch
        {
            WalletEventTypes.CashedIn => ($"cash-in {operation} of wallet {p.WalletId}",
                new LedgerLeg[] { new(bank, LedgerSide.Debit, p.AmountMinor), new(wallet, LedgerSide.Credit, p.AmountMinor) }),
            WalletEventTypes.CashedOut => ($"cash-out {operation} of wallet {p.WalletId}",
                new LedgerLeg[] { new(wallet, LedgerSide.Debit, p.AmountMinor), new(bank, LedgerSide.Credit, p.AmountMinor) }),
            _ => ($"capture {operation} of hold {p.HoldId?.ToString() ?? "(no hold id)"} on wallet {p.WalletId}",
                new LedgerLeg[] { new(wallet, LedgerSide.Debit, p.AmountMinor), new(AccountCodes.MerchantPayable(p.MerchantId, p.Currency), LedgerSide.Credit, p.AmountMinor) }),
        };
        return PostingDecision.Post(new LedgerPosting(e.SourceSystem, e.EventId, e.EventType, p.OccurredAt ?? receivedAt, null, p.WalletId, memo, legs));
    }

    /// <summary>The payload's own event id and type, when present, must be the record's headers.</summary>
    private static string? Consistency(LedgerEvent e, Guid eventId, string? eventType) =>
        eventType is not null && eventType != e.EventType ? $"payload event_type '{eventType}' does not match the event type '{e.EventType}'"
        : eventId != Guid.Empty && eventId != e.EventId ? $"payload event_id {eventId} does not match the event id {e.EventId}"
        : null;

    /// <summary>A merchant id or PSP name: part of an account code, so no ':' and bounded.</summary>
    private static string? NameProblem(string name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? $"{name} is missing or empty"
        : value.Length > NamePartCharsMax || value.Contains(':', StringComparison.Ordinal) ? $"{name} must be at most {NamePartCharsMax} characters without ':'"
        : null;

    private static string? WalletIdProblem(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "wallet_id is missing or empty"
        : value.Length > NamePartCharsMax ? $"wallet_id must be at most {NamePartCharsMax} characters"
        : null;

    private static string? AmountProblem(long amount) => amount > 0 ? null : $"amount_minor must be positive, was {amount}";

    private static string? CurrencyProblem(string? currency) =>
        currency is null ? "currency is missing" : Currencies.IsKnown(currency) ? null : $"currency '{currency}' is not an active ISO 4217 code";
}
