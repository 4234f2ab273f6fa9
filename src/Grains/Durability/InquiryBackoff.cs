namespace Payments.Actors.Grains.Durability;

/// <summary>How long to wait before asking a counterparty again about an answer that is still unknown.</summary>
public static class InquiryBackoff
{
    /// <summary>
    /// Doubles from <paramref name="min"/> with every attempt, never beyond <paramref name="max"/>: a counterparty
    /// that is down is not hammered, and one that answers is asked again soon. The exponent is capped so it cannot overflow.
    /// </summary>
    public static TimeSpan Delay(int attempts, TimeSpan min, TimeSpan max) =>
        TimeSpan.FromTicks(Math.Min(max.Ticks, min.Ticks * (1L << Math.Min(attempts, 20))));
}
