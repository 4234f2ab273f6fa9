namespace Payments.Actors.Payments;

/// <summary>
/// Card data as the merchant sent it. It lives only in memory on its way to the PSP: it is never
/// persisted, and <see cref="ToString"/> masks it so that no log line can carry a PAN or CVC.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.CardDetails")]
public sealed record CardDetails(
    [property: Id(0)] string Number,
    [property: Id(1)] int ExpMonth,
    [property: Id(2)] int ExpYear,
    [property: Id(3)] string? Cvc)
{
    public string Last4 => Number.Length >= 4 ? Number[^4..] : Number;

    public string Brand => Number switch
    {
        ['4', ..] => "visa",
        ['5', >= '1' and <= '5', ..] => "mastercard",
        ['2', ..] when Number.Length >= 4 && int.TryParse(Number.AsSpan(0, 4), out var bin) && bin is >= 2221 and <= 2720 => "mastercard",
        ['3', '4' or '7', ..] => "amex",
        ['6', ..] => "discover",
        _ => "unknown",
    };

    public override string ToString() => $"CardDetails {{ Brand = {Brand}, Last4 = {Last4}, Exp = {ExpMonth:00}/{ExpYear} }}";
}
