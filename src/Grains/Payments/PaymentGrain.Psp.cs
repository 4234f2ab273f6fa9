using Microsoft.Extensions.Logging;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Payments;

/// <summary>The payment's conversation with whoever answers it (a PSP, or the wallet it is paid from): calls, inquiries about unknown answers, the backstop.</summary>
public sealed partial class PaymentGrain
{
    private Task<PspResult> CallPspAsync(PspRequest request)
    {
        var state = _state!;
        return AskAsync(() => PaymentCounterparty.ExecuteAsync(GrainFactory, state, request),
            exception => LogPspCallFailed(logger, exception, Id, request.RequestId));
    }

    protected override async Task ResolvePendingAsync(CancellationToken cancellationToken)
    {
        CancelInquiryTimer();
        if (_state?.Pending is not { } pending)
        {
            await StopInquiryAsync();
            return;
        }

        BeginInquiryRound();
        var state = _state;
        var request = new PspRequest(pending.RequestId, pending.Operation, Id, pending.AmountMinor, state.Currency, state.Capture, null, state.PspReference);
        var result = await AskAsync(() => PaymentCounterparty.InquireAsync(GrainFactory, state, request),
            exception => LogPspCallFailed(logger, exception, Id, request.RequestId));
        await CompleteAsync(WithinNotFoundGrace(result, pending.StartedAt, "the PSP"));
    }

    private void ScheduleInquiryWithBackstop()
    {
        if (ScheduleInquiry() && InquiryAttempts == 0)
        {
            // Durable backstop: if this silo dies, the reminder brings the payment back to finish the job.
            RegisterReminderInBackground();
        }
    }

    /// <summary>
    /// Nothing is waiting any more. The reminder is looked up only if this activation registered (or was woken by) it:
    /// a payment that never waited for a PSP answer has none, and looking costs a round trip on every payment.
    /// </summary>
    private async Task StopInquiryAsync()
    {
        CancelInquiryTimer();
        if (ReminderRegistered && (InquiryAttempts > 0 || _state?.Pending is null))
        {
            await UnregisterReminderAsync();
        }

        ResetInquiryBackoff();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: the PSP's answer to {Operation} {RequestId} is unknown ({Reason}); it stays pending")]
    private static partial void LogOutcomeUnknown(ILogger logger, Guid paymentId, string operation, string requestId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: PSP call {RequestId} failed; treating the outcome as unknown")]
    private static partial void LogPspCallFailed(ILogger logger, Exception exception, Guid paymentId, string requestId);
}
