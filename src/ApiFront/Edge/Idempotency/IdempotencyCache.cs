using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Observability;
using StackExchange.Redis;

namespace Payments.Actors.ApiFront.Edge.Idempotency;

/// <summary>A finished response as first sent: replays return exactly these bytes.</summary>
/// <param name="FieldDigests">The request's field digests (<see cref="RequestFingerprint"/>); null in an entry cached before they existed.</param>
public sealed record CachedResponse(string Fingerprint, int StatusCode, byte[] Body, string? FieldDigests = null);

/// <summary>
/// The Redis fast path of idempotency. It is only a cache: the grain and PostgreSQL are the truth,
/// so a Redis error, stall or flush costs latency, never correctness, and is logged rather than surfaced.
/// A stall is a <see cref="RedisTimeoutException"/>, which is a <see cref="TimeoutException"/> and not a
/// <see cref="RedisException"/>: both are caught, or a slow cache would fail requests the grains can answer.
/// </summary>
public sealed partial class IdempotencyCache(RedisConnection redis, IOptions<ApiOptions> options, ILogger<IdempotencyCache> logger)
{
    private const int FingerprintLength = 64;

    public async Task<CachedResponse?> GetAsync(string merchantId, string key)
    {
        try
        {
            if (redis.Database is not { } database)
            {
                return null;
            }

            var value = await database.StringGetAsync(KeyOf(merchantId, key));
            if (!value.HasValue)
            {
                return null;
            }

            ApiMetrics.MarkRedisHit();
            return Decode((byte[])value!);
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            LogRedisUnavailable(logger, exception);
            return null;
        }
    }

    public async Task SetAsync(string merchantId, string key, CachedResponse response)
    {
        try
        {
            if (redis.Database is { } database)
            {
                // Fire and forget: the answer is final already, and a stalled Redis must not hold it
                // back (a duplicate that misses the cache is answered by the grain).
                await database.StringSetAsync(KeyOf(merchantId, key), Encode(response), options.Value.IdempotencyCacheTtl,
                    flags: CommandFlags.FireAndForget);
            }
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            LogRedisUnavailable(logger, exception);
        }
    }

    private static RedisKey KeyOf(string merchantId, string key) => $"pa:idem:{merchantId}:{key}";

    // An entry with field digests starts with this marker, which no hex fingerprint (the first bytes of an entry
    // cached before digests existed) can start with: both kinds are read until the older ones expire.
    private const byte DigestsMarker = (byte)'#';

    internal static byte[] Encode(CachedResponse response)
    {
        if (response.FieldDigests is not { } digests)
        {
            var legacy = new byte[FingerprintLength + 2 + response.Body.Length];
            Encoding.ASCII.GetBytes(response.Fingerprint, legacy);
            BinaryPrimitives.WriteUInt16BigEndian(legacy.AsSpan(FingerprintLength), (ushort)response.StatusCode);
            response.Body.CopyTo(legacy, FingerprintLength + 2);
            return legacy;
        }

        // Marker, fingerprint, status, digests' length, digests (ASCII JSON), body.
        var digestBytes = Encoding.UTF8.GetBytes(digests);
        var bytes = new byte[1 + FingerprintLength + 2 + 2 + digestBytes.Length + response.Body.Length];
        bytes[0] = DigestsMarker;
        Encoding.ASCII.GetBytes(response.Fingerprint, bytes.AsSpan(1));
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(1 + FingerprintLength), (ushort)response.StatusCode);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(1 + FingerprintLength + 2), (ushort)digestBytes.Length);
        digestBytes.CopyTo(bytes, 1 + FingerprintLength + 4);
        response.Body.CopyTo(bytes, 1 + FingerprintLength + 4 + digestBytes.Length);
        return bytes;
    }

    internal static CachedResponse? Decode(byte[] bytes)
    {
        if (bytes.Length > 0 && bytes[0] == DigestsMarker)
        {
            const int head = 1 + FingerprintLength + 4;
            if (bytes.Length < head)
            {
                return null;
            }

            var digestsLength = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(1 + FingerprintLength + 2));
            return bytes.Length < head + digestsLength
                ? null
                : new CachedResponse(
                    Encoding.ASCII.GetString(bytes, 1, FingerprintLength),
                    BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(1 + FingerprintLength)),
                    bytes[(head + digestsLength)..],
                    Encoding.UTF8.GetString(bytes, head, digestsLength));
        }

        return bytes.Length < FingerprintLength + 2
            ? null
            : new CachedResponse(
                Encoding.ASCII.GetString(bytes, 0, FingerprintLength),
                BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(FingerprintLength)),
                bytes[(FingerprintLength + 2)..]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable; idempotency falls back to the grains and PostgreSQL")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
