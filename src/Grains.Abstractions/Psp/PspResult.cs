using Payments.Actors.Payments;

namespace Payments.Actors.Psp;

[GenerateSerializer, Immutable, Alias("pa.PspResult")]
public sealed record PspResult(
    [property: Id(0)] PspOutcome Outcome,
    [property: Id(1)] string? PspReference,
    [property: Id(2)] string? DeclineCode,
    [property: Id(3)] string? Message,
    [property: Id(4)] string? OperationReference = null);
