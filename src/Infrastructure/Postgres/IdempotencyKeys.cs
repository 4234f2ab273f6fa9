namespace Payments.Actors.Infrastructure.Postgres;

/// <summary>
/// The merchant's idempotency keys in <c>idempotency_keys</c>: one key names one request across payments and
/// wallets, so both claim their keys here, in the write unit of the operation the key names.
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>The operation a wallet operation's key claim names; its record and replay live in <c>wallet_operations</c>.</summary>
    public const string WalletOperation = "wallet";

    /// <summary>
    /// Claims a merchant's key for this operation (<paramref name="paymentId"/> null: a wallet operation); an unexpired
    /// claim by anyone else makes the unit conflict. <paramref name="fieldDigests"/> (digests only, never a value) let a
    /// later refusal name the fields that differ.
    /// </summary>
    public static SqlStatement Claim(string merchantId, string key, string fingerprint, string? fieldDigests, string operation, Guid? paymentId,
        DateTimeOffset now, TimeSpan ttl) => new(
        "INSERT INTO idempotency_keys (merchant_id, key, fingerprint_hash, operation, payment_id, created_at, expires_at, field_digests) " +
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (merchant_id, key) DO UPDATE SET fingerprint_hash = EXCLUDED.fingerprint_hash, " +
        "field_digests = EXCLUDED.field_digests, " +
        "operation = EXCLUDED.operation, payment_id = EXCLUDED.payment_id, result_code = NULL, response = NULL, body_hash = NULL, " +
        "created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at WHERE idempotency_keys.expires_at <= EXCLUDED.created_at",
        [
            merchantId, key, Convert.FromHexString(fingerprint), operation,
            paymentId is { } id ? new SqlValue(id) : new SqlValue(null, NpgsqlTypes.NpgsqlDbType.Uuid), now, now + ttl,
            new SqlValue(fieldDigests, NpgsqlTypes.NpgsqlDbType.Text),
        ],
        Expect.AtLeastOneRow);
}
