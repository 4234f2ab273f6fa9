using Payments.Actors.Bank;
using Payments.Actors.Events;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Ledger;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Payments.Actors.Reconciliation;
using Payments.Actors.Wallets;
using Payments.Actors.WebhookEndpoints;
using Payments.Actors.Webhooks;

namespace Payments.Actors.GrainTests.Serialization;

/// <summary>
/// One instance of every <c>[GenerateSerializer]</c> type of the grains' assemblies, every member set to a value
/// that is not its default: a member the serializer drops would come back as its default and be caught.
/// A new serializable type fails <see cref="SerializerRoundTripTests"/> until it has a sample here.
/// </summary>
public static class SerializerSamples
{
    private static readonly DateTimeOffset At = new(2026, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);
    private static readonly Guid IdA = Guid.Parse("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    private static readonly Guid IdB = Guid.Parse("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c");
    private const string Digests = """{"amount_minor":"0f1e2d3c4b5a6978"}""";
    private static readonly Dictionary<string, double> Thresholds = new() { ["breaker_failure_ratio"] = 0.35, ["request_timeout_ms"] = 1500 };
    private static readonly Metadata Tags = Metadata.Of(new Dictionary<string, string> { ["order_id"] = "6735", ["Channel"] = "web shop" })!;
    private static readonly Metadata RefundTags = Metadata.Of(new Dictionary<string, string> { ["ticket"] = "T-42" })!;

    private static readonly RefundSnapshot Refund = new(IdB, 300, "SUCCEEDED", "re_1", "damaged", At, RefundTags);
    private static readonly DisputeSnapshot Dispute = new(IdB, IdA, "merchant-a", "psp-b", "dp_1", 400, "EUR", DisputeStatuses.Won, "fraudulent",
        At.AddDays(7), At, At.AddDays(3), At.AddDays(3));
    private static readonly BreakSnapshot BreakSample = new(IdA, "amount_mismatch", "psp-a", IdB, "pa_1", new DateOnly(2026, 12, 3), 1_000, 999, "EUR",
        "off by one", "resolved", At, At.AddHours(1), At.AddHours(1), "operator", "fixed",
        [new BreakTrailEntry("resolve", "open", "resolved", "operator", "fixed", At)]);
    private static readonly PaymentSnapshot Payment = new(IdA, "merchant-a", PaymentStatus.Captured, 1_000, "EUR", true, 1_000, 900, 300,
        "psp-b", "ch_1", "do_not_honor", "none", "visa", "4242", "order-7", "two books", "refund", [Refund], At, At.AddSeconds(1), 4, "w-1", Tags, [Dispute], At.AddDays(7));
    private static readonly CardDetails Card = new("4242424242424242", 12, 2035, "123");
    private static readonly PendingOperation Pending = new(PspOperation.Refund, "req_1", 300, "key-9", IdB, "damaged", At, RefundTags);
    private static readonly WalletOperationSnapshot WalletOperation = new(IdA, WalletOperationKinds.CashOut, "w-1", 250, "EUR",
        WalletOperationStates.Succeeded, "bt_1", "AM04", 750, 100, At, At.AddSeconds(2), Tags);
    private static readonly WalletHoldSnapshot Hold = new(IdB, "w-1", 400, 100, "EUR", WalletHoldStates.Held, At.AddMinutes(10), IdA, At, At.AddSeconds(3),
        Tags);
    private static readonly PspHealth Health = new("psp-a", true, "HalfOpen", 0.75, 212.5, 40, 41, 9, 3, 2, 1, Thresholds, 6);
    private static readonly PspStatus Status = new("psp-a", true, At, "operator", Health, Thresholds);
    private static readonly LedgerAccountBalance Balance = new("2100-EUR-merchant-a", "liability", "EUR", "merchant-a", "w-1", At, 500, 1_500, 1_000, 12, At);
    private static readonly LedgerEntryView Entry = new(77, IdA, "payments", IdB, "payment.captured", 2, "1100-EUR", "DEBIT", 900, "EUR", IdA, "w-1", "capture", At, At);
    private static readonly LedgerProblem Problem = new("unbalanced", IdA, "EUR", "debits 10 != credits 9", IdB, IdA, "w-1", 77);

    public static IReadOnlyList<object> All { get; } =
    [
        // Enums: a value other than the default.
        BankTransferKind.CashOut,
        LedgerAppendOutcome.Duplicate,
        PaymentResultCode.AmountExceedsRefundable,
        PaymentStatus.Refunded,
        PspOperation.Void,
        PspOutcome.Unknown,
        PspNotificationKind.DisputeClosed,
        PspNotificationOutcome.Discrepancy,
        WebhookIngestOutcome.StoreUnavailable,
        WalletResultCode.InsufficientFunds,
        WebhookEndpointResultCode.InvalidUrl,

        // Metadata (its pairs are a private field: the JSON comparison of the round trip covers them).
        Tags,

        // Payments.
        Card,
        new CreatePayment("merchant-a", "key-1", "ab12", 1_000, "EUR", true, Card, "order-7", "two books", "w-1", Tags) { FieldDigests = Digests },
        new CapturePayment("merchant-a", "key-2", "ab13", 900) { FieldDigests = Digests },
        new VoidPayment("merchant-a", "key-3", "ab14") { FieldDigests = Digests },
        new RefundPayment("merchant-a", "key-4", "ab15", 300, "damaged", RefundTags) { FieldDigests = Digests },
        Refund,
        Dispute,
        BreakSample,
        new BreakTrailEntry("resolve", "open", "resolved", "operator", "fixed", At),
        new BreakListQuery(50, IdA, "open", "amount_mismatch", "psp-a"),
        new BreakPage([BreakSample], true),
        new BreakActionResult(BreakSample, "already resolved"),
        new DisputeListQuery("merchant-a", 50, IdA, IdB, IdA, DisputeStatuses.NeedsResponse, At.AddDays(-1), At),
        new DisputePage([Dispute], true),
        Payment,
        new PaymentResult(PaymentResultCode.Pending, Payment, "waiting for the PSP", true) { StoredFieldDigests = Digests },
        new PaymentListQuery("merchant-a", 50, At, IdA, PaymentStatus.Authorized, At.AddDays(-1), At.AddDays(1), At.AddHours(1), IdB),
        new PaymentPage([Payment], true),
        Pending,
        new PaymentState(IdA, "merchant-a", 1_000, "EUR", true, PaymentStatus.Captured, 1_000, 900, 300, "psp-b", "ch_1", "do_not_honor",
            "none", "visa", "4242", "order-7", "two books", Pending, [Refund], [Dispute], "key-1", "ab12", 4, At, At.AddSeconds(1), "w-1", Tags, At.AddDays(7)),

        // PSPs.
        new PspRequest("req_1", PspOperation.Capture, IdA, 900, "EUR", true, Card, "ch_1"),
        new PspResult(PspOutcome.Declined, "ch_1", "do_not_honor", "declined", "op_1"),
        Health,
        Status,
        new PspAuditEntry(5, "psp-a", "enabled", "true", "false", "operator", At),
        new UpdatePspSettings("psp-a", true, Thresholds, true, "operator", true),
        new PspSettingsUpdated(Status, "request_timeout_ms", "too large"),

        // Wallets and the Bank.
        new CashIn("merchant-a", "key-5", "ab16", 1_000, "EUR", "DE89370400440532013000", Tags) { FieldDigests = Digests },
        new CashOut("merchant-a", "key-6", "ab17", 250, "EUR", "DE89370400440532013000", Tags) { FieldDigests = Digests },
        new PlaceHold("merchant-a", "key-7", "ab18", 400, "EUR", TimeSpan.FromMinutes(10), Tags) { FieldDigests = Digests },
        new CaptureHold("merchant-a", "key-8", "ab19", IdB, 300) { FieldDigests = Digests },
        new ReleaseHold("merchant-a", "key-9", "ab1a", IdB) { FieldDigests = Digests },
        WalletOperation,
        Hold,
        new WalletResult(WalletResultCode.Pending, WalletOperation, Hold, "waiting for the Bank", true) { StoredFieldDigests = Digests },
        new WalletSnapshot(IdA, "w-1", "EUR", 750, 100, 150, 1_000, [Hold], At, At.AddSeconds(4), 9, 1_000),
        new BankTransferOrder("req_2", BankTransferKind.CashOut, "tr_2", 250, "EUR", "DE89370400440532013000"),

        // Ledger and events.
        new LedgerEvent("payments", IdA, "payment.captured", """{"amount_minor":900}"""),
        new LedgerAppendResult(IdA, LedgerAppendOutcome.Rejected, "unknown account", IdB),
        Balance,
        new LedgerAccountPage([Balance], true),
        Entry,
        new LedgerEntryPage([Entry], true),
        Problem,
        new LedgerCurrencyTotal("EUR", 3, 6, 1_500, 1_500, true),
        new LedgerVerifyReport(true, 3, 6, 4, [new LedgerCurrencyTotal("EUR", 3, 6, 1_500, 1_500, true)], [Problem], 1, At, true, true, 2),
        new LedgerRepairReport(2, 1, [Problem], [Problem], At),
        new OutboxStatus(3, 1.5, 40, 1, [new ParkedEvent(IdA, "payment", IdB, "payment.captured", 5, "broker down", At)]),
        new ParkedEvent(IdA, "payment", IdB, "payment.captured", 5, "broker down", At),
        new DeadLetter("payments.events.dlq", 2, 41, "key", "evt_1", "payment.captured", "bad payload", "payments.events", 1, 40, At),

        // Webhooks.
        new PspNotification(IdA, "psp-a", "evt_1", PspNotificationKind.DisputeClosed, IdB, "tr-1", "pa_1", "dp_1", 1_250, "EUR", "fraudulent", "lost",
            At.AddDays(7), At),
        new WebhookDelivery("psp-b", [0x7b, 0x7d]),
        new WebhookIngestResult(WebhookIngestOutcome.Duplicate, IdA, "type 'x' is not one this platform knows"),
        new WebhookRejection("bank", WebhookRejectionReasons.TimestampOutOfTolerance, "203.0.113.9", new string('a', 64), 512,
            new Dictionary<string, string> { ["x-bank-signature"] = "keyId=k1,ts=1,sig=00" }),

        // Merchant events and webhook endpoints.
        new MerchantEventListQuery("merchant-a", 25, IdA, IdB, "payment.*", At, At.AddDays(1)),
        new MerchantEventRecord(IdA, "payment.captured", At, """{"id":"evt"}"""),
        new MerchantEventPage([new MerchantEventRecord(IdA, "payment.captured", At, """{"id":"evt"}""")], true),
        new CreateWebhookEndpoint("merchant-a", "key-5", "ab12", "https://shop.example/hooks", ["payment.*"], "orders", Tags) { FieldDigests = Digests },
        new RotateWebhookSecret("merchant-a", "key-6", "ab12", IdA, TimeSpan.FromHours(2)) { FieldDigests = Digests },
        new ResendWebhookDelivery("merchant-a", "key-7", "ab12", IdA, IdB) { FieldDigests = Digests },
        Endpoint,
        Delivery,
        new WebhookDeliveryPage([Delivery], true),
        new WebhookEndpointResult(WebhookEndpointResultCode.LimitExceeded, Endpoint, Delivery, "too many", true) { StoredFieldDigests = Digests },
    ];

    private static WebhookEndpointSnapshot Endpoint => new(IdA, "https://shop.example/hooks", ["payment.captured"], "disabled", "orders", Tags,
        "whsec_abc", At.AddDays(1), "failing", At, At.AddSeconds(5));

    private static WebhookDeliverySnapshot Delivery => new(IdB, IdA, IdB, "payment.captured", "failed", 4, At.AddMinutes(1), At, 500, "HTTP 500",
        At.AddSeconds(1), At);
}
