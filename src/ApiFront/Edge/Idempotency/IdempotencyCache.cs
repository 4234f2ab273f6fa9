using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Observability;
using StackExchange.Redis;

namespace Payments.Actors.ApiFront.Edge.Idempotency;

/// <summary>A finished response as first sent: replays return exactly these bytes.</summary>
public sealed record CachedResponse(string Fingerprint, int StatusCode, byte[] Body);

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

    private static byte[] Encode(CachedResponse response)
    {
        var bytes = new byte[FingerprintLength + 2 + response.Body.Length];
        Encoding.ASCII.GetBytes(response.Fingerprint, bytes);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(FingerprintLength), (ushort)response.StatusCode);
        response.Body.CopyTo(bytes, FingerprintLength + 2);
        return bytes;
    }

    private static CachedResponse? Decode(byte[] bytes) =>
        bytes.Length < FingerprintLength + 2
            ? null
            : new CachedResponse(
                Encoding.ASCII.GetString(bytes, 0, FingerprintLength),
                BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(FingerprintLength)),
                bytes[(FingerprintLength + 2)..]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable; idempotency falls back to the grains and PostgreSQL")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
