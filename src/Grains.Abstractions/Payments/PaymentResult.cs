namespace Payments.Actors.Payments;

[GenerateSerializer, Immutable, Alias("pa.PaymentResult")]
public sealed record PaymentResult(
    [property: Id(0)] PaymentResultCode Code,
    [property: Id(1)] PaymentSnapshot? Payment,
    [property: Id(2)] string? Message,
    [property: Id(3)] bool Replayed)
{
    /// <summary>
    /// With an IdempotencyKeyReused refusal: the field digests the key was first used with (see
    /// <see cref="Payments.IIdempotentCommand.FieldDigests"/>), so the edge can name the fields that differ; null otherwise.
    /// </summary>
    [Id(20)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? StoredFieldDigests { get; init; }

    public static PaymentResult Rejected(PaymentResultCode code, string message, PaymentSnapshot? current = null) =>
        new(code, current, message, Replayed: false);
}
