namespace Payments.Actors.Grains;

/// <summary>
/// Deactivates a grain a while after it has nothing left to do, instead of letting it idle until its
/// collection age limit. Live activations cost the silo even when idle: the Orleans Dashboard's meter
/// reader walks every activation each second.
/// </summary>
internal static class GrainLinger
{
    /// <summary>
    /// Long enough for the duplicates and follow-ups sent together with a request to find the activation
    /// warm; deactivating at once would hand requests queued behind the deactivation to a new activation,
    /// one after another, until Orleans refuses to forward them again.
    /// </summary>
    public static readonly TimeSpan AfterFinal = TimeSpan.FromSeconds(10);

    /// <summary>
    /// One-shot: after <see cref="AfterFinal"/>, deactivates <paramref name="grain"/> once idle if
    /// <paramref name="stillDone"/> holds then. A later call reactivates it from its durable state.
    /// </summary>
    public static IGrainTimer DeactivateLater(this IGrainBase grain, Func<bool> stillDone) =>
        grain.RegisterGrainTimer(() =>
        {
            if (stillDone())
            {
                grain.DeactivateOnIdle();
            }

            return Task.CompletedTask;
        }, AfterFinal, Timeout.InfiniteTimeSpan);
}
