using Payments.Actors.Grains.Ledger;
using Payments.Actors.Ledger;

namespace Payments.Actors.IntegrationTests.Ledger;

/// <summary>Events and postings for ledger tests, made by the real posting rules from docs/events.md payloads.</summary>
public static class LedgerPostings
{
    public static LedgerEvent Capture(string merchant, Guid paymentId, long amount, string currency = "EUR", string psp = "psp-a") =>
        PaymentEvent("payment.captured", merchant, paymentId, amount, currency, psp);

    public static LedgerEvent Refund(string merchant, Guid paymentId, long amount, string currency = "EUR", string psp = "psp-a") =>
        PaymentEvent("payment.refunded", merchant, paymentId, amount, currency, psp);

    public static LedgerEvent CashIn(string merchant, string walletId, long amount, string currency = "EUR")
    {
        var id = Guid.CreateVersion7();
        return new LedgerEvent(LedgerSourceSystems.Wallets, id, "wallet.cashed_in",
            $$"""{"event_id":"{{id}}","event_type":"wallet.cashed_in","wallet_uid":"{{Guid.CreateVersion7()}}","merchant_id":"{{merchant}}","wallet_id":"{{walletId}}","amount_minor":{{amount}},"currency":"{{currency}}","operation_id":"{{Guid.CreateVersion7()}}","occurred_at":"{{DateTimeOffset.UtcNow:O}}"}""");
    }

    /// <summary>The posting the rules make of an event, with a fresh transaction id, ready for <see cref="LedgerStore.AppendAsync"/>.</summary>
    public static (Guid TransactionId, LedgerPosting Posting) Post(LedgerEvent e) =>
        (Guid.CreateVersion7(), PostingRules.Decide(e, DateTimeOffset.UtcNow).Posting ?? throw new InvalidOperationException($"{e.EventType} made no posting."));

    public static string NewMerchant() => $"ledger-it-{Guid.NewGuid():N}"[..20];

    public static LedgerEvent PaymentEvent(string type, string merchant, Guid paymentId, long amount, string currency = "EUR", string psp = "psp-a")
    {
        var id = Guid.CreateVersion7();
        return new LedgerEvent(LedgerSourceSystems.Payments, id, type,
            $$"""{"event_id":"{{id}}","event_type":"{{type}}","payment_id":"{{paymentId}}","merchant_id":"{{merchant}}","amount_minor":{{amount}},"currency":"{{currency}}","psp":"{{psp}}","psp_reference":"ref","refund_id":null,"state":"CAPTURED","payment_version":2,"occurred_at":"{{DateTimeOffset.UtcNow:O}}","wallet_id":null}""");
    }
}
