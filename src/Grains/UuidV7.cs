namespace Payments.Actors.Grains;

/// <summary>RFC 9562 version 7 ids: time-ordered, so inserts stay local and the id names its partition.</summary>
public static class UuidV7
{
    /// <summary>A new id whose timestamp is <paramref name="now"/> truncated to the millisecond.</summary>
    public static Guid New(DateTimeOffset now) => Guid.CreateVersion7(now);

    /// <summary>The millisecond timestamp embedded in a version 7 id.</summary>
    public static DateTimeOffset TimestampOf(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        Invariant.Assert((bytes[6] >> 4) == 7, $"Id {id} is not a UUID version 7.");
        long unixMs = 0;
        for (var i = 0; i < 6; i++)
        {
            unixMs = (unixMs << 8) | bytes[i];
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
    }

    public static bool IsVersion7(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return (bytes[6] >> 4) == 7;
    }
}
