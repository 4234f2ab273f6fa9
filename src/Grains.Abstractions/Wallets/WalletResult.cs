namespace Payments.Actors.Wallets;

/// <summary>The answer to a wallet command: the operation (cash-in, cash-out, hold, capture, release) and the wallet after it.</summary>
[GenerateSerializer, Immutable, Alias("pa.WalletResult")]
public sealed record WalletResult(
    [property: Id(0)] WalletResultCode Code,
    [property: Id(1)] WalletOperationSnapshot? Operation,
    [property: Id(2)] WalletHoldSnapshot? Hold,
    [property: Id(3)] string? Message,
    [property: Id(4)] bool Replayed)
{
    /// <summary>
    /// With an IdempotencyKeyReused refusal: the field digests the key was first used with (see
    /// <see cref="Payments.IIdempotentCommand.FieldDigests"/>), so the edge can name the fields that differ; null otherwise.
    /// </summary>
    [Id(20)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? StoredFieldDigests { get; init; }

    public static WalletResult Rejected(WalletResultCode code, string message) => new(code, null, null, message, Replayed: false);
}
