using System.Text;
using Npgsql;
using NpgsqlTypes;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Disputes;

/// <summary>
/// The <c>disputes</c> table: written by the payment grain in the write unit of the change (<see cref="Upsert"/>), read
/// merchant-scoped by the API. A dispute id is a UUIDv7 whose time is its <c>created_at</c>, so an id is a cursor.
/// </summary>
public sealed class DisputeStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, payment_id, merchant_id, psp, psp_reference, amount_minor, currency, status, reason, evidence_due_by, created_at, updated_at, closed_at";

    /// <summary>The dispute as the payment now holds it: inserted when it opens, its status and times updated when it closes.</summary>
    public static SqlStatement Upsert(DisputeSnapshot d) => new(
        $"""
        INSERT INTO disputes ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at
        """,
        [
            d.Id, d.PaymentId, d.MerchantId, d.Psp, d.PspReference, d.AmountMinor, d.Currency, d.Status, new SqlValue(d.Reason, NpgsqlDbType.Text),
            new SqlValue(d.EvidenceDueBy?.ToUniversalTime(), NpgsqlDbType.TimestampTz), d.CreatedAt.ToUniversalTime(), d.UpdatedAt.ToUniversalTime(),
            new SqlValue(d.ClosedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz),
        ],
        Expect.AtLeastOneRow);

    public async Task<DisputeSnapshot?> GetAsync(string merchantId, Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM disputes WHERE id = $1 AND merchant_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Keyset paging on (created_at, id), newest first; before a cursor the closest newer ones, shown newest first too.</summary>
    public async Task<DisputePage> ListAsync(DisputeListQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM disputes WHERE merchant_id = $1");
        var values = new List<object> { query.MerchantId };
        var backwards = KeysetPaging.AppendCursor(sql, values, CursorOf(query.StartingAfter), CursorOf(query.EndingBefore));
        if (query.PaymentId is { } paymentId)
        {
            values.Add(paymentId);
            sql.Append(" AND payment_id = $").Append(values.Count);
        }

        if (query.Status is { } status)
        {
            values.Add(status);
            sql.Append(" AND status = $").Append(values.Count);
        }

        await using var command = KeysetPaging.Finish(dataSource, sql, values, query.CreatedGte, query.CreatedLt, backwards, query.Limit);
        var (page, hasMore) = await KeysetPaging.ReadPageAsync(command, Read, query.Limit, backwards, cancellationToken);
        return new DisputePage(page, hasMore);
    }

    private static (DateTimeOffset, Guid)? CursorOf(Guid? id) => id is { } value ? (UuidV7.TimestampOf(value), value) : null;

    private static DisputeSnapshot Read(NpgsqlDataReader r) => new(
        Id: r.GetGuid(0),
        PaymentId: r.GetGuid(1),
        MerchantId: r.GetString(2),
        Psp: r.GetString(3),
        PspReference: r.GetString(4),
        AmountMinor: r.GetInt64(5),
        Currency: r.GetString(6),
        Status: r.GetString(7),
        Reason: r.IsDBNull(8) ? null : r.GetString(8),
        EvidenceDueBy: r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(10),
        UpdatedAt: r.GetFieldValue<DateTimeOffset>(11),
        ClosedAt: r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12));
}
