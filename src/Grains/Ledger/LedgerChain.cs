using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Actors.Grains.Ledger;

/// <summary>
/// The ledger's hash chain (tamper evidence, as Formance chains its logs): per book shard, entry n's hash is
/// SHA-256 of entry n-1's hash followed by entry n's canonical text. The text names everything that says what the
/// entry means (position, transaction, source event, leg, account, side, amount, currency, payment, wallet, memo,
/// effective time), so changing any of it, or removing or inserting an entry, breaks every link after it.
/// </summary>
public static class LedgerChain
{
    /// <summary>The hash before a shard's first entry.</summary>
    public static readonly byte[] Genesis = new byte[SHA256.HashSizeInBytes];

    /// <summary>Advisory lock class of the chain writers: one writer per shard at a time, even with two activations of a shard's grain.</summary>
    public const int LockClass = 0x4C43; // "LC"

    /// <summary>PostgreSQL keeps microseconds; the hash covers exactly what is stored.</summary>
    public static DateTimeOffset StoredTime(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    public static byte[] Hash(byte[] previous, Link link)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(link);
        var text = string.Join('\n',
            link.Seq.ToString(CultureInfo.InvariantCulture),
            link.TransactionId.ToString("D"),
            link.SourceSystem,
            link.SourceEventId.ToString("D"),
            link.EventType,
            link.Leg.ToString(CultureInfo.InvariantCulture),
            link.AccountCode,
            link.Side,
            link.AmountMinor.ToString(CultureInfo.InvariantCulture),
            link.Currency,
            link.PaymentId?.ToString("D") ?? "",
            link.WalletId ?? "",
            link.Memo ?? "",
            ((StoredTime(link.EffectiveAt).Ticks - DateTimeOffset.UnixEpoch.Ticks) / 10).ToString(CultureInfo.InvariantCulture));
        var bytes = new byte[previous.Length + Encoding.UTF8.GetByteCount(text)];
        previous.CopyTo(bytes, 0);
        Encoding.UTF8.GetBytes(text, bytes.AsSpan(previous.Length));
        return SHA256.HashData(bytes);
    }

    /// <summary>One entry as the chain sees it.</summary>
    public sealed record Link(long Seq, Guid TransactionId, string SourceSystem, Guid SourceEventId, string EventType, short Leg, string AccountCode,
        string Side, long AmountMinor, string Currency, Guid? PaymentId, string? WalletId, string? Memo, DateTimeOffset EffectiveAt);
}
