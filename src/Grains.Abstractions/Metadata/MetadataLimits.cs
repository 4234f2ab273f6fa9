namespace Payments.Actors;

/// <summary>
/// How much <see cref="Metadata"/> one object takes: Stripe's documented limits. Lengths count characters (Unicode code
/// points, as PostgreSQL's <c>char_length</c> does). A looser limit is a compatible change; a tighter one is not.
/// </summary>
public static class MetadataLimits
{
    public const int KeysMax = 50;
    public const int KeyLengthMax = 40;
    public const int ValueLengthMax = 500;
}
