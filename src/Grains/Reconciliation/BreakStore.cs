using System.Text;
using Npgsql;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Outbox;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Reconciliation;

namespace Payments.Actors.Grains.Reconciliation;

/// <summary>
/// <c>reconciliation_breaks</c> and their append-only trail. A status change is one transaction: the row moves only
/// from the status the decision was made on (a concurrent operator's change wins, this one is refused), and its trail
/// entry and its <c>recon.events</c> event are written with it.
/// </summary>
public sealed class BreakStore(NpgsqlDataSource dataSource, OutboxSignal outboxSignal)
{
    private const string Columns =
        "id, kind, psp, payment_id, psp_reference, value_date, expected_minor, actual_minor, currency, detail, status, opened_at, updated_at, " +
        "closed_at, closed_by, resolution_reason";

    public async Task<BreakPage> ListAsync(BreakListQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM reconciliation_breaks WHERE true");
        var values = new List<object>();
        if (query.StartingAfter is { } after)
        {
            values.Add(after);
            sql.Append($" AND (opened_at, id) < (SELECT opened_at, id FROM reconciliation_breaks WHERE id = ${values.Count})");
        }

        foreach (var (column, value) in new[] { ("status", query.Status), ("kind", query.Kind), ("psp", query.Psp) })
        {
            if (value is not null)
            {
                values.Add(value);
                sql.Append($" AND {column} = ${values.Count}");
            }
        }

        values.Add(query.Limit + 1);
        sql.Append($" ORDER BY opened_at DESC, id DESC LIMIT ${values.Count}");
        await using var command = Command(sql.ToString(), values);
        var items = new List<BreakSnapshot>(query.Limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }

        return new BreakPage(items.Count > query.Limit ? items[..query.Limit] : items, items.Count > query.Limit);
    }

    public async Task<BreakSnapshot?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {Columns} FROM reconciliation_breaks WHERE id = $1") { Parameters = { new() { Value = id } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "SELECT action, from_status, to_status, actor, reason, at FROM reconciliation_break_events WHERE break_id = $1 ORDER BY id")
        {
            Parameters = { new() { Value = id } },
        });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var found = Read(reader);
        await reader.NextResultAsync(cancellationToken);
        var trail = new List<BreakTrailEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            trail.Add(new BreakTrailEntry(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return found with { Trail = trail };
    }

    /// <summary>Moves the break from <paramref name="from"/> to <paramref name="to"/> with its trail entry; false when it was no longer <paramref name="from"/>.</summary>
    public async Task<bool> TransitionAsync(Guid id, string from, string to, string action, string actor, string? reason, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var closing = BreakStatuses.IsFinal(to);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand(
            "UPDATE reconciliation_breaks SET status = $3, updated_at = $4, closed_at = $5, closed_by = $6, resolution_reason = $7 " +
            "WHERE id = $1 AND status = $2", connection, transaction))
        {
            foreach (var value in new object?[] { id, from, to, now, closing ? now : null, closing ? actor : null, closing ? reason : null })
            {
                update.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await using (var trail = new NpgsqlCommand(
            "INSERT INTO reconciliation_break_events (break_id, action, from_status, to_status, actor, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            connection, transaction))
        {
            foreach (var value in new object?[] { id, action, from, to, actor, reason, now })
            {
                trail.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            await trail.ExecuteNonQueryAsync(cancellationToken);
        }

        await BatchCommands.ExecuteAsync(connection, transaction,
            [BreakStatements.Event(ReconEventTypes.OfBreakStatus(to), "b.id = $7", now, id, actor, reason)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Pulse();
        return true;
    }

    private NpgsqlCommand Command(string sql, List<object> values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static BreakSnapshot Read(NpgsqlDataReader r) => new(
        Id: r.GetGuid(0),
        Kind: r.GetString(1),
        Psp: r.GetString(2),
        PaymentId: r.IsDBNull(3) ? null : r.GetGuid(3),
        PspReference: r.IsDBNull(4) ? null : r.GetString(4),
        ValueDate: r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5),
        ExpectedMinor: r.IsDBNull(6) ? null : r.GetInt64(6),
        ActualMinor: r.IsDBNull(7) ? null : r.GetInt64(7),
        Currency: r.IsDBNull(8) ? null : r.GetString(8),
        Detail: r.GetString(9),
        Status: r.GetString(10),
        OpenedAt: r.GetFieldValue<DateTimeOffset>(11),
        UpdatedAt: r.GetFieldValue<DateTimeOffset>(12),
        ClosedAt: r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13),
        ClosedBy: r.IsDBNull(14) ? null : r.GetString(14),
        ResolutionReason: r.IsDBNull(15) ? null : r.GetString(15));
}
