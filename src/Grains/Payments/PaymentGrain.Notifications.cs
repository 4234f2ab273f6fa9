using Microsoft.Extensions.Logging;
using Payments.Actors.Grains.Webhooks;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Payments;

/// <summary>PSP notifications: the PSP tells the payment what happened, often before an inquiry would have asked.</summary>
public sealed partial class PaymentGrain
{
    public async Task<PspNotificationOutcome> ApplyNotificationAsync(PspNotification notification)
    {
        await EnsureLoadedAsync();
        if (_state is null)
        {
            return PspNotificationOutcome.UnknownPayment;
        }

        var now = Now();
        var verdict = NotificationRules.Judge(_state, notification, now, UuidV7.New(now));
        switch (verdict.Outcome)
        {
            case PspNotificationOutcome.Applied when verdict.Changes is { } decision:
                if (await WriteAsync(PaymentWriteUnit.Dispute(_state, decision, now, merchantEvents)) == WriteOutcome.Conflict)
                {
                    // Another activation moved this payment on: the consumer offers the notification again, judged against what is true then.
                    throw new InvalidOperationException($"Payment {Id}: notification {notification.ProviderEventId} lost to a concurrent change; it is offered again.");
                }

                _state = decision.NewState;
                LogDisputeChanged(logger, Id, notification.Provider, notification.ProviderEventId, verdict.Detail);
                break;
            case PspNotificationOutcome.Applied:
                var pending = _state.Pending!;
                var result = await CompleteAsync(verdict.Settles!);
                if (_state?.Pending == pending)
                {
                    // The commit lost to another activation, or the answer was still unknown: nothing was applied. The
                    // consumer offers the notification again and it is judged against what is true then.
                    throw new InvalidOperationException($"Payment {Id}: notification {notification.ProviderEventId} could not settle the {pending.WireName} ({result.Code}).");
                }

                LogApplied(logger, Id, notification.Provider, notification.ProviderEventId, NotificationRules.Wire(notification.Kind), pending.WireName);
                break;
            case PspNotificationOutcome.Discrepancy:
                await store.WriteAsync([PspDiscrepancies.Insert(notification, _state, verdict.Detail, Now())]);
                LogDiscrepancy(logger, Id, notification.Provider, notification.ProviderEventId, verdict.Detail);
                break;
        }

        return verdict.Outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId}: {Provider} notification {EventId} ({Kind}) settled the pending {Operation}")]
    private static partial void LogApplied(ILogger logger, Guid paymentId, string provider, string eventId, string kind, string operation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId}: {Provider} notification {EventId}: {Detail}")]
    private static partial void LogDisputeChanged(ILogger logger, Guid paymentId, string provider, string eventId, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: {Provider} notification {EventId} contradicts the payment, recorded as a discrepancy: {Detail}")]
    private static partial void LogDiscrepancy(ILogger logger, Guid paymentId, string provider, string eventId, string detail);
}
