using Microsoft.Extensions.Options;
using Payments.Actors.PspSimulator.Options;
using Payments.Actors.PspSimulator.Settlement;
using Payments.Actors.PspSimulator.Simulation;
using Payments.Actors.PspSimulator.Webhooks;

namespace Payments.Actors.PspSimulator.PspB;

/// <summary>PSP B's state: its transactions, its error dialect, settlement and disputes, and its notifications.</summary>
internal sealed class PspBProvider : ProviderState, ICardProvider
{
    private static readonly byte[] ServerError = ErrorBody(PspBResponseCodes.SystemMalfunction);

    public PspBProvider(IOptionsMonitor<ProviderOptions> options, IOptions<SimulatorOptions> limits, TimeProvider time, ILogger<PspBProvider> logger)
        : base(ProviderNames.PspB, options.Get(ProviderNames.PspB), limits.Value, time, logger)
    {
        Transactions = new ChargeBook<PspBTransaction>(limits.Value.StoredChargesMax);
    }

    public ChargeBook<PspBTransaction> Transactions { get; }

    public override IChargeBook Charges => Transactions;

    public static byte[] ErrorBody(string responseCode, string? detail = null)
    {
        var text = PspBResponseCodes.Text(responseCode);
        return WireJson.Write(
            new PspBErrorResponse(responseCode, detail is null ? text : $"{text}: {detail}"),
            PspBJsonContext.Default.PspBErrorResponse);
    }

    public override byte[] ServerErrorBody() => ServerError;

    /// <summary>A new transaction was decided: AUTHORISATION, or CAPTURE for an approved SALE.</summary>
    public void Created(PspBTransaction transaction, PspBTransactionResponse txn, DateTimeOffset at)
    {
        Publish(() => PspBWebhooks.New(txn, at));
        if (txn.ResponseCode == PspBResponseCodes.Approved && txn.State == PspBState.Settled)
        {
            RecordCapture(txn, at);
            ScheduleSettlement(transaction);
        }
    }

    public void Captured(PspBTransaction transaction, PspBTransactionResponse txn, DateTimeOffset at)
    {
        RecordCapture(txn, at);
        Publish(() => PspBWebhooks.Transaction(PspBWebhooks.Capture, txn, txn.SettledCents, at));
        ScheduleSettlement(transaction);
    }

    public void Reversed(PspBTransactionResponse txn, DateTimeOffset at) =>
        Publish(() => PspBWebhooks.Transaction(PspBWebhooks.Cancellation, txn, txn.AmountCents, at));

    public void Credited(PspBTransactionResponse txn, string creditReference, long amountCents, DateTimeOffset at)
    {
        Settlement.Record(new SettlementEntry(at, creditReference, txn.MerchantTxnId, SettlementTypes.Refund, -amountCents, txn.Ccy));
        Publish(() => PspBWebhooks.Credit(txn, creditReference, amountCents, at));
    }

    public int SettleCaptured() => CardDesk.SettleCaptured(Transactions, NotifySettled);

    public DisputeCheck OpenDispute(DisputeRequest request, out Dispute? dispute) =>
        CardDesk.Open(
            this,
            Transactions,
            request,
            static transaction => transaction.TxnId + ":D1",
            (_, opened) =>
            {
                RecordDispute(opened, SettlementTypes.Chargeback);
                Publish(() => PspBWebhooks.Dispute(PspBWebhooks.Chargeback, opened, Time.GetUtcNow()));
            },
            out dispute);

    public bool CloseDispute(Dispute dispute, string outcome) =>
        dispute.TryClose(
            outcome,
            Time.GetUtcNow(),
            () =>
            {
                if (outcome == Dispute.Won)
                {
                    RecordDispute(dispute, SettlementTypes.ChargebackReversal);
                }

                Publish(() => PspBWebhooks.Dispute(
                    outcome == Dispute.Won ? PspBWebhooks.ChargebackReversed : PspBWebhooks.ChargebackFinal, dispute, Time.GetUtcNow()));
            });

    private void RecordCapture(PspBTransactionResponse txn, DateTimeOffset at) =>
        Settlement.Record(new SettlementEntry(at, txn.TxnId, txn.MerchantTxnId, SettlementTypes.Capture, txn.SettledCents, txn.Ccy));

    private void NotifySettled(PspBTransaction transaction) =>
        Publish(() =>
        {
            var txn = transaction.ToResponse();
            return PspBWebhooks.Transaction(PspBWebhooks.Settlement, txn, txn.SettledCents, Time.GetUtcNow());
        });

    private void ScheduleSettlement(PspBTransaction transaction)
    {
        if (SettleAfter > TimeSpan.Zero)
        {
            ScheduleAfter(SettleAfter, () => transaction.TrySettle(() => NotifySettled(transaction)));
        }
    }

    /// <summary>Builds the notification only when webhooks are on, so a simulator without them pays nothing.</summary>
    private void Publish(Func<WebhookNotification> notification)
    {
        if (Webhooks.Enabled)
        {
            Webhooks.Publish(notification());
        }
    }
}
