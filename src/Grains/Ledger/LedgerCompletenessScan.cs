namespace Payments.Actors.Grains.Ledger;

/// <summary>One money event past the completeness watermark, as the check reads it (in outbox commit order).</summary>
public sealed record MoneyEventRow(long Seq, Guid Id, string Status, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt, int Redrives, bool Booked);

/// <summary>What one completeness check concluded: where the watermark moves, what to re-drive, and what to report.</summary>
public sealed record CompletenessVerdict(long Watermark, IReadOnlyList<Guid> Redrive, int Unbooked, TimeSpan OldestUnbooked, int Exhausted);

/// <summary>
/// The completeness check's decision as a pure function. The watermark moves over booked events up to the first
/// unbooked one, never past it, so nothing behind it is forgotten. A published event not booked within its grace
/// (doubling with each re-drive) is re-driven, up to the limit; right after a broker loss or a start every one is,
/// since what Kafka held may be gone. Events not yet published (NEW) or parked are the relay's, not re-driven here.
/// </summary>
public static class LedgerCompletenessScan
{
    /// <summary>Re-drive graces double up to this many times (2 min becomes at most about 2 h).</summary>
    public const int GraceDoublingsMax = 6;

    public static CompletenessVerdict Decide(long watermark, IReadOnlyList<MoneyEventRow> rows, DateTimeOffset now,
        TimeSpan redriveAfter, int redrivesMax, bool redriveAll)
    {
        var redrive = new List<Guid>();
        var gapSeen = false;
        var unbooked = 0;
        var exhausted = 0;
        var oldest = TimeSpan.Zero;
        var previous = watermark;
        foreach (var row in rows)
        {
            Invariant.Assert(row.Seq > previous, $"Outbox row {row.Seq} is not past {previous}: the rows must come in commit order past the watermark.");
            previous = row.Seq;
            if (row.Booked)
            {
                if (!gapSeen)
                {
                    watermark = row.Seq;
                }

                continue;
            }

            gapSeen = true;
            unbooked++;
            oldest = TimeSpan.FromTicks(Math.Max(oldest.Ticks, (now - row.CreatedAt).Ticks));
            if (row.Status != "PUBLISHED" || row.PublishedAt is not { } publishedAt)
            {
                continue;
            }

            if (row.Redrives >= redrivesMax)
            {
                exhausted++;
                continue;
            }

            var grace = redriveAfter * (1 << Math.Min(row.Redrives, GraceDoublingsMax));
            if (redriveAll || now - publishedAt >= grace)
            {
                redrive.Add(row.Id);
            }
        }

        return new CompletenessVerdict(watermark, redrive, unbooked, oldest, exhausted);
    }
}
