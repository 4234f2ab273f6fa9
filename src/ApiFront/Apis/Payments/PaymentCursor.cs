using System.Buffers.Text;
using System.Text;

namespace Payments.Actors.ApiFront.Apis.Payments;

/// <summary>Opaque list cursors: base64url of "created-at ticks:id".</summary>
internal static class PaymentCursor
{
    public static string Encode(DateTimeOffset createdAt, Guid id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{createdAt.UtcTicks}:{id:N}"));

    public static (DateTimeOffset CreatedAt, Guid Id)? TryDecode(string value)
    {
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value));
            var parts = text.Split(':');
            return parts.Length == 2 && long.TryParse(parts[0], out var ticks) && ticks > 0 && ticks < DateTimeOffset.MaxValue.UtcTicks
                && Guid.TryParseExact(parts[1], "N", out var id)
                ? (new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
