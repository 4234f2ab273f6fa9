using Payments.Actors.Grains.Payments;
using Payments.Actors.Psp;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>
/// What a notification means for a payment, decided by <see cref="NotificationRules"/>: the PSP answer it gives the pending operation
/// (<see cref="Settles"/>), a change of its own (<see cref="Changes"/>: a dispute opened or closed), or why it changes nothing
/// (<see cref="Detail"/>).
/// </summary>
public sealed record NotificationVerdict(PspNotificationOutcome Outcome, PspResult? Settles, string Detail, Decision? Changes = null)
{
    public static NotificationVerdict Settle(PspResult result, string detail) => new(PspNotificationOutcome.Applied, result, detail);

    public static NotificationVerdict Change(Decision decision, string detail) => new(PspNotificationOutcome.Applied, null, detail, decision);

    public static NotificationVerdict Reflected(string detail) => new(PspNotificationOutcome.AlreadyReflected, null, detail);

    public static NotificationVerdict Record(string detail) => new(PspNotificationOutcome.Recorded, null, detail);

    public static NotificationVerdict Contradicts(string detail) => new(PspNotificationOutcome.Discrepancy, null, detail);

    public static NotificationVerdict NotSupported(string detail) => new(PspNotificationOutcome.Unsupported, null, detail);
}
