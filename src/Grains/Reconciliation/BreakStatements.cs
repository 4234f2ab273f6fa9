using NpgsqlTypes;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Reconciliation;

namespace Payments.Actors.Grains.Reconciliation;

/// <summary>
/// The writes of matchers to <c>reconciliation_breaks</c>, as statements for the caller's unit: opening a break (once
/// per dedupe key) and closing one the matcher finds explained. Each step writes its trail entry and its
/// <c>recon.events</c> outbox event in the same statement unit, the event made from the row itself.
/// </summary>
public static class BreakStatements
{
    /// <summary>The actor of steps the matchers take (the trail's <c>actor</c>, a closed break's <c>closed_by</c>).</summary>
    public const string SystemActor = "reconciliation";

    /// <summary>Opens the break unless its dedupe key is taken (then nothing is written); <paramref name="now"/> in microseconds.</summary>
    public static IReadOnlyList<SqlStatement> Open(BreakDraft d, DateTimeOffset now)
    {
        var id = UuidV7.New(now);
        return
        [
            new SqlStatement(
                """
                WITH opened AS (
                    INSERT INTO reconciliation_breaks (id, dedupe_key, kind, psp, payment_id, psp_reference, value_date, expected_minor, actual_minor,
                        currency, detail, opened_at, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
                    ON CONFLICT (dedupe_key) DO NOTHING
                    RETURNING id)
                INSERT INTO reconciliation_break_events (break_id, action, from_status, to_status, actor, reason, at)
                SELECT id, 'open', NULL, 'open', $13, $11, $12 FROM opened
                """,
                [
                    id, d.DedupeKey, d.Kind, d.Psp, new SqlValue(d.PaymentId, NpgsqlDbType.Uuid), new SqlValue(d.PspReference, NpgsqlDbType.Text),
                    new SqlValue(d.ValueDate, NpgsqlDbType.Date), new SqlValue(d.ExpectedMinor, NpgsqlDbType.Bigint),
                    new SqlValue(d.ActualMinor, NpgsqlDbType.Bigint), new SqlValue(d.Currency, NpgsqlDbType.Char), d.Detail, now, SystemActor,
                ]),
            Event(ReconEventTypes.BreakOpened, "b.id = $7", now, id, SystemActor, null),
        ];
    }

    /// <summary>Resolves the open or acknowledged break of <paramref name="dedupeKey"/>, if there is one, as explained by <paramref name="reason"/>.</summary>
    public static IReadOnlyList<SqlStatement> Explained(string dedupeKey, string reason, DateTimeOffset now) =>
    [
        new SqlStatement(
            """
            WITH target AS (
                SELECT id, status FROM reconciliation_breaks WHERE dedupe_key = $1 AND status IN ('open', 'acknowledged') FOR UPDATE),
            closed AS (
                UPDATE reconciliation_breaks b SET status = 'resolved', updated_at = $3, closed_at = $3, closed_by = $4, resolution_reason = $2
                FROM target t WHERE b.id = t.id
                RETURNING b.id, t.status AS from_status)
            INSERT INTO reconciliation_break_events (break_id, action, from_status, to_status, actor, reason, at)
            SELECT id, 'resolve', from_status, 'resolved', $4, $2, $3 FROM closed
            """,
            [dedupeKey, reason, now, SystemActor]),
        Event(ReconEventTypes.BreakResolved, "b.dedupe_key = $7 AND b.closed_at = $3 AND b.closed_by = $4", now, dedupeKey, SystemActor, reason),
    ];

    /// <summary>
    /// The <c>recon.events</c> event of the step just taken on the break <paramref name="which"/> selects ($7 is
    /// <paramref name="key"/>): its payload is the break as it now stands, with who and why.
    /// </summary>
    public static SqlStatement Event(string eventType, string which, DateTimeOffset now, SqlValue key, string actor, string? reason) =>
        SqlStatement.OutboxInsertSelect(
            $"""
            SELECT $1, $2, b.id, $5, jsonb_build_object(
                'event_id', $1, 'event_type', $5, 'occurred_at', $3, 'break_id', b.id, 'kind', b.kind, 'status', b.status, 'psp', b.psp,
                'payment_id', b.payment_id, 'psp_reference', b.psp_reference, 'value_date', b.value_date, 'expected_minor', b.expected_minor,
                'actual_minor', b.actual_minor, 'currency', b.currency, 'detail', b.detail, 'actor', $4, 'reason', $6::text), $3
            FROM reconciliation_breaks b WHERE {which}
            """,
            [UuidV7.New(now), AggregateTypes.Reconciliation, now, actor, eventType, new SqlValue(reason, NpgsqlDbType.Text), key]);
}
