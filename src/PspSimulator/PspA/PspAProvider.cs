using Microsoft.Extensions.Options;
using Payments.Actors.PspSimulator.Options;
using Payments.Actors.PspSimulator.Settlement;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.PspA;

/// <summary>PSP A's state: its payments, its error dialect, settlement and disputes, and its notifications.</summary>
internal sealed class PspAProvider : ProviderState, ICardProvider
{
    public const string InvalidRequestType = "invalid_request";
    public const string ApiErrorType = "api_error";

    private static readonly byte[] ServerError = ErrorBody(ApiErrorType, "server_error", "The provider failed to process the request.");

    public PspAProvider(IOptionsMonitor<ProviderOptions> options, IOptions<SimulatorOptions> limits, TimeProvider time, ILogger<PspAProvider> logger)
        : base(ProviderNames.PspA, options.Get(ProviderNames.PspA), limits.Value, time, logger)
    {
        Payments = new ChargeBook<PspAPayment>(limits.Value.StoredChargesMax);
    }

    public ChargeBook<PspAPayment> Payments { get; }

    public override IChargeBook Charges => Payments;

    public static byte[] ErrorBody(string type, string code, string message) =>
        WireJson.Write(new PspAErrorResponse(new PspAError(type, code, message)), PspAJsonContext.Default.PspAErrorResponse);

    public override byte[] ServerErrorBody() => ServerError;

    /// <summary>Publishes a payment change; a capture also schedules its automatic settlement when configured.</summary>
    public void Changed(string type, PspAPayment payment, PspAPaymentResponse snapshot, DateTimeOffset at)
    {
        if (type == PspAWebhooks.PaymentCaptured)
        {
            Settlement.Record(new SettlementEntry(at, payment.Id, payment.Reference, SettlementTypes.Capture, snapshot.CapturedAmount, payment.Currency));
        }

        if (Webhooks.Enabled)
        {
            Webhooks.Publish(PspAWebhooks.Payment(type, snapshot, at));
        }

        if (type == PspAWebhooks.PaymentCaptured && SettleAfter > TimeSpan.Zero)
        {
            ScheduleAfter(SettleAfter, () => Settle(payment));
        }
    }

    public void Refunded(PspARefundResponse refund, PspAPayment payment, DateTimeOffset at)
    {
        Settlement.Record(new SettlementEntry(at, refund.Id, payment.Reference, SettlementTypes.Refund, -refund.Amount, payment.Currency));
        if (Webhooks.Enabled)
        {
            Webhooks.Publish(PspAWebhooks.Refund(refund, payment, at));
        }
    }

    public int SettleCaptured() => CardDesk.SettleCaptured(Payments, payment => NotifySettled(payment));

    public DisputeCheck OpenDispute(DisputeRequest request, out Dispute? dispute) =>
        CardDesk.Open(
            this,
            Payments,
            request,
            static _ => "dp_" + Guid.NewGuid().ToString("N"),
            (_, opened) =>
            {
                RecordDispute(opened, SettlementTypes.Chargeback);
                NotifyDispute(PspAWebhooks.DisputeCreated, opened, status: null);
            },
            out dispute);

    public bool CloseDispute(Dispute dispute, string outcome) =>
        dispute.TryClose(outcome, Time.GetUtcNow(), () =>
        {
            if (outcome == Dispute.Won)
            {
                RecordDispute(dispute, SettlementTypes.ChargebackReversal);
            }

            NotifyDispute(PspAWebhooks.DisputeClosed, dispute, outcome);
        });

    private bool Settle(PspAPayment payment) => payment.TrySettle(() => NotifySettled(payment));

    private void NotifySettled(PspAPayment payment)
    {
        if (Webhooks.Enabled)
        {
            Webhooks.Publish(PspAWebhooks.Payment(PspAWebhooks.PaymentSettled, payment.ToResponse(), Time.GetUtcNow()));
        }
    }

    private void NotifyDispute(string type, Dispute dispute, string? status)
    {
        if (Webhooks.Enabled)
        {
            Webhooks.Publish(PspAWebhooks.Dispute(type, dispute, status, Time.GetUtcNow()));
        }
    }
}
