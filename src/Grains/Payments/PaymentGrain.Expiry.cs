using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// An authorisation not captured within its PSP's validity is voided by the platform, so the cardholder's funds are
/// not held for nothing and the PSP never lets it lapse behind our back. The deadline is the payment's
/// (<see cref="PaymentState.AuthorizationExpiresAt"/>, shown to the merchant); a reminder wakes the payment then, and
/// the pending sweeper wakes any whose reminder was lost. The void is an ordinary void under a key of the platform's
/// own, so it is recorded, answered and replayed like the merchant's, and a capture racing it is serialised by the
/// activation: whichever comes first wins, the other is refused.
/// </summary>
public sealed partial class PaymentGrain
{
    private const string ExpiryReminderName = "authorization-expiry";

    /// <summary>The expiry reminder repeats until the void is done: a PSP that is down is asked again an hour later.</summary>
    private static readonly TimeSpan ExpiryRetryPeriod = TimeSpan.FromHours(1);

    private static readonly string AutoVoidFingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("platform:auto-void")));

    /// <summary>The platform's key for the automatic void of one payment: never one a merchant can send (it has a space).</summary>
    public static string AutoVoidKeyOf(Guid paymentId) => $"auto void {paymentId:N}";

    /// <summary>Keeps the expiry reminder in step with the payment: registered while it is authorised, gone once it is not.</summary>
    private async Task SyncExpiryReminderAsync(PaymentState before, PaymentState after)
    {
        try
        {
            await SyncExpiryReminderCoreAsync(before, after);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The change is committed and answered as such; the pending sweeper finds an expired authorisation without
            // its reminder, and a stale reminder finds its payment no longer authorised.
            LogReminderFailed(logger, exception, Id);
        }
    }

    private async Task SyncExpiryReminderCoreAsync(PaymentState before, PaymentState after)
    {
        if (after.AuthorizationExpiresAt is { } expiry && before.AuthorizationExpiresAt is null)
        {
            var due = expiry - Now();
            await this.RegisterOrUpdateReminder(ExpiryReminderName, due > TimeSpan.FromMinutes(1) ? due : TimeSpan.FromMinutes(1), ExpiryRetryPeriod);
        }
        else if (after.AuthorizationExpiresAt is null && before.AuthorizationExpiresAt is not null && await this.GetReminder(ExpiryReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Voids the payment if its authorisation has expired; otherwise nothing.</summary>
    private async Task VoidIfExpiredAsync()
    {
        if (_state is not { Status: PaymentStatus.Authorized, Pending: null, AuthorizationExpiresAt: { } expiry } state || Now() < expiry)
        {
            return;
        }

        var result = await VoidAsync(new VoidPayment(state.MerchantId, AutoVoidKeyOf(Id), AutoVoidFingerprint));
        LogExpired(logger, Id, expiry, result.Code, result.Payment?.Status.ToWire());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: its authorisation-expiry reminder could not be kept in step; the pending sweeper is the backstop")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, Guid paymentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId}: the authorisation expired at {Expiry}; the platform's void answered {Code} ({State})")]
    private static partial void LogExpired(ILogger logger, Guid paymentId, DateTimeOffset expiry, PaymentResultCode code, string? state);
}
