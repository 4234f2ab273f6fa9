using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>The result of a pure decision: either a new state with its events, or a rejection that changes nothing.</summary>
public sealed record Decision(PaymentState? NewState, IReadOnlyList<PaymentEvent> Events, PaymentResultCode? Rejection, string? Message)
{
    public bool IsRejected => Rejection is not null;

    public static Decision Accept(PaymentState state, params PaymentEvent[] events) => new(state, events, null, null);

    public static Decision Reject(PaymentResultCode code, string message) => new(null, [], code, message);

    /// <summary>Nothing to write: the outcome is still unknown.</summary>
    public static Decision Unchanged { get; } = new(null, [], null, null);
}
