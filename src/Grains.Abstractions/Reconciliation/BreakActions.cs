namespace Payments.Actors.Reconciliation;

/// <summary>What an operator does to a break (<c>POST …/breaks/{id}/{action}</c>).</summary>
public static class BreakActions
{
    public const string Acknowledge = "acknowledge";
    public const string Resolve = "resolve";
    public const string WriteOff = "write_off";

    /// <summary>Longest reason an operator may give; the trail keeps it whole.</summary>
    public const int ReasonLengthMax = 500;

    public static IReadOnlyList<string> All { get; } = [Acknowledge, Resolve, WriteOff];
}
