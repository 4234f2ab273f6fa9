using Payments.Actors.Reconciliation;

namespace Payments.Actors.Grains.Reconciliation;

/// <summary>
/// The lifecycle of a reconciliation break as a pure function: (status, action, reason) to the next status or a
/// refusal. Acknowledging says someone owns it; resolving (the cause is fixed or explained) and writing off (the
/// difference is accepted as a loss or gain) close it for good and need a reason, which the audit trail keeps.
/// </summary>
public static class BreakLifecycle
{
    public static (string? Next, string? Refusal) Decide(string status, string action, string? reason)
    {
        if (!BreakActions.All.Contains(action))
        {
            return (null, $"'{action}' is not an action on a break; use one of {string.Join(", ", BreakActions.All)}.");
        }

        if (BreakStatuses.IsFinal(status))
        {
            return (null, $"The break is already {status}; a closed break does not change.");
        }

        if (reason is { Length: > BreakActions.ReasonLengthMax })
        {
            return (null, $"reason must be at most {BreakActions.ReasonLengthMax} characters.");
        }

        return action switch
        {
            BreakActions.Acknowledge when status == BreakStatuses.Acknowledged => (null, "The break is already acknowledged."),
            BreakActions.Acknowledge => (BreakStatuses.Acknowledged, null),
            _ when string.IsNullOrWhiteSpace(reason) => (null, $"A break is closed ({action}) only with a reason."),
            BreakActions.Resolve => (BreakStatuses.Resolved, null),
            _ => (BreakStatuses.WrittenOff, null),
        };
    }
}
