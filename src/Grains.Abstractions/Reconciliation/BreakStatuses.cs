namespace Payments.Actors.Reconciliation;

/// <summary>A break's lifecycle: open → acknowledged → resolved or written off (both final, with a reason).</summary>
public static class BreakStatuses
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";
    public const string WrittenOff = "written_off";

    public static IReadOnlyList<string> All { get; } = [Open, Acknowledged, Resolved, WrittenOff];

    public static bool IsFinal(string status) => status is Resolved or WrittenOff;
}
