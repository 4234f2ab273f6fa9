namespace Payments.Actors.Events;

/// <summary>
/// The event types of <see cref="EventTopics.ReconEvents"/> (agg_type <see cref="AggregateTypes.Reconciliation"/>): every step
/// of every break, and what each settlement file and reconciliation run came to. The payload is JSON documented in
/// docs/events.md; the key is the break's, the file's or the run's id.
/// </summary>
public static class ReconEventTypes
{
    public const string BreakOpened = "recon.break_opened";
    public const string BreakAcknowledged = "recon.break_acknowledged";
    public const string BreakResolved = "recon.break_resolved";
    public const string BreakWrittenOff = "recon.break_written_off";
    public const string FileLoaded = "recon.settlement_file_loaded";
    public const string FileRejected = "recon.settlement_file_rejected";
    public const string RunCompleted = "recon.run_completed";

    /// <summary>Every event type of recon.events.</summary>
    public static IReadOnlyList<string> All { get; } =
        [BreakOpened, BreakAcknowledged, BreakResolved, BreakWrittenOff, FileLoaded, FileRejected, RunCompleted];

    /// <summary>The event a break's move to <paramref name="status"/> publishes.</summary>
    public static string OfBreakStatus(string status) => status switch
    {
        Reconciliation.BreakStatuses.Open => BreakOpened,
        Reconciliation.BreakStatuses.Acknowledged => BreakAcknowledged,
        Reconciliation.BreakStatuses.Resolved => BreakResolved,
        Reconciliation.BreakStatuses.WrittenOff => BreakWrittenOff,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a break status"),
    };
}
