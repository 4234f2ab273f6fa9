namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>Invariants checked in release builds too: a simulator that books nonsense hides adapter bugs.</summary>
internal static class Invariant
{
    public static void Assert(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Invariant violated: " + message);
        }
    }
}
