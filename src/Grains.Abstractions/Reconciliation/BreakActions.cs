namespace Payments.Actors.Reconciliation;

/// <summary>What an operator does to a break (<c>POST …/breaks/{id}/{action}</c>).</summary>
public static class BreakActions
{
    public const string Acknowledge = "acknowledge";
    public const string Resolve = "resolve";
    public const string WriteOff = "write_off";

    public static IReadOnlyList<string> All { get; } = [Acknowledge, Resolve, WriteOff];
}
