using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>A notification as ingest stores it: parsed (<see cref="Notification"/>) or not (<see cref="ParseError"/>), and where its raw body is.</summary>
public sealed record StoredNotification(
    Guid NotificationId,
    string Provider,
    string ProviderEventId,
    PspNotification? Notification,
    string? ParseError,
    string BlobKey,
    string BodySha256,
    int BodyBytes,
    DateTimeOffset ReceivedAt);

/// <summary>
/// All SQL of webhook ingest. A notification is one write unit for the <see cref="GroupCommitWriter"/>: its dedupe key
/// (<c>webhooks_in_keys</c>, <c>ON CONFLICT DO NOTHING</c>, which must insert a row), its <c>webhooks_in</c> row and its
/// outbox event commit together or not at all. The row and the event are written only if the key row is this
/// notification's (<see cref="KeyIsOurs"/>), so a key already taken leaves every statement a no-op and the unit a
/// <see cref="WriteOutcome.Conflict"/> with nothing written, also when a duplicate shares a group commit with the original.
/// </summary>
public sealed class WebhookStore(NpgsqlDataSource dataSource, GroupCommitWriter writer)
{
    /// <summary>Our id of a notification we already hold, or null.</summary>
    public async Task<Guid?> FindAsync(string provider, string providerEventId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT notification_id FROM webhooks_in_keys WHERE provider = $1 AND provider_event_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = provider });
        command.Parameters.Add(new NpgsqlParameter { Value = providerEventId });
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id ? id : null;
    }

    public Task<WriteOutcome> InsertAsync(StoredNotification stored, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(Unit(stored), cancellationToken);

    public Task RecordRejectionAsync(WebhookRejection rejection, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        writer.WriteAsync([new SqlStatement(
            "INSERT INTO webhooks_rejected (provider, reason, remote_address, body_sha256, body_bytes, headers, rejected_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [rejection.Provider, rejection.Reason, new SqlValue(Address(rejection.RemoteAddress), NpgsqlDbType.Inet), rejection.BodySha256,
                rejection.BodyBytes, SqlValue.Jsonb(JsonSerializer.Serialize(rejection.Headers)), at])], cancellationToken);

    /// <summary>Holds when the notification's key row was inserted by this unit: the key names this notification id ($n).</summary>
    private static string KeyIsOurs(int parameter) => $"EXISTS (SELECT 1 FROM webhooks_in_keys WHERE notification_id = ${parameter})";

    /// <summary>The statements of one notification, in the order the foreign key needs: key, row, outbox event.</summary>
    public static IReadOnlyList<SqlStatement> Unit(StoredNotification stored)
    {
        var n = stored.Notification;
        var key = new SqlStatement(
            "INSERT INTO webhooks_in_keys (provider, provider_event_id, notification_id, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            [stored.Provider, stored.ProviderEventId, stored.NotificationId, stored.ReceivedAt], Expect.AtLeastOneRow);
        var row = new SqlStatement(
            $"""
            INSERT INTO webhooks_in (provider, provider_event_id, received_at, notification_id, kind, payment_id, transfer_ref, psp_reference,
                operation_reference, amount_minor, currency, reason, dispute_outcome, dispute_due_by, occurred_at, parse_error, blob_key,
                body_sha256, body_bytes)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19
            WHERE {KeyIsOurs(4)}
            """,
            [stored.Provider, stored.ProviderEventId, stored.ReceivedAt, stored.NotificationId, n is null ? null : KindName(n.Kind),
                new SqlValue(n?.PaymentId, NpgsqlDbType.Uuid), n?.TransferRef, n?.PspReference, n?.OperationReference,
                new SqlValue(n?.AmountMinor, NpgsqlDbType.Bigint), n?.Currency, n?.Reason, n?.DisputeOutcome,
                new SqlValue(n?.DisputeDueBy?.ToUniversalTime(), NpgsqlDbType.TimestampTz),
                new SqlValue(n?.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz), stored.ParseError, stored.BlobKey, stored.BodySha256,
                stored.BodyBytes]);
        var outbox = n is not null
            ? SqlStatement.OutboxInsert(stored.NotificationId, AggregateTypes.PspNotification, OutboxKeyOf(n), PspNotificationEventTypes.Received,
                EventJson.Serialize(n), stored.ReceivedAt, KeyIsOurs(1))
            : SqlStatement.OutboxInsert(stored.NotificationId, AggregateTypes.PspNotification, stored.NotificationId, PspNotificationEventTypes.Unparseable,
                EventJson.Serialize(new UnparseablePspNotificationV1(stored.NotificationId, stored.Provider, stored.ProviderEventId, stored.ParseError!,
                    stored.BlobKey, stored.BodySha256, stored.ReceivedAt)), stored.ReceivedAt, KeyIsOurs(1));
        return [key, row, outbox];
    }

    /// <summary>
    /// The Kafka key of a notification on webhooks.in (the outbox's <c>agg_id</c>, a uuid): the payment id, so that a
    /// payment's notifications stay in order on one partition; for a bank transfer a UUID derived from its reference
    /// (<see cref="TransferKeyOf"/>), the same for every notification of that transfer.
    /// </summary>
    public static Guid OutboxKeyOf(PspNotification notification) =>
        notification.PaymentId ?? (notification.TransferRef is { } transfer ? TransferKeyOf(transfer) : notification.NotificationId);

    /// <summary>RFC 9562 version 8 (custom) UUID from the first 16 bytes of SHA-256("bank-transfer:" + reference).</summary>
    public static Guid TransferKeyOf(string transferRef)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("bank-transfer:" + transferRef));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>The kind as webhooks.in spells it (<c>capture_settled</c>).</summary>
    public static string KindName(PspNotificationKind kind) => JsonSerializer.Serialize(kind, EventJson.Options).Trim('"');

    private static IPAddress? Address(string? remoteAddress) => IPAddress.TryParse(remoteAddress, out var address) ? address : null;
}
