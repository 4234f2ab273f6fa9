namespace Payments.Actors.Events;

/// <summary>Events newest first; <see cref="HasMore"/>: more follow in the page's direction.</summary>
[GenerateSerializer, Immutable, Alias("pa.MerchantEventPage")]
public sealed record MerchantEventPage(
    [property: Id(0)] IReadOnlyList<MerchantEventRecord> Items,
    [property: Id(1)] bool HasMore);
