namespace Payments.Actors.Events;

/// <summary>One merchant event as stored: <see cref="Body"/> is the whole event's JSON, rendered at its commit.</summary>
[GenerateSerializer, Immutable, Alias("pa.MerchantEventRecord")]
public sealed record MerchantEventRecord(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] string Body);
