using Payments.Actors.Payments;

namespace Payments.Actors.Wallets;

/// <summary>Moves money from the holder's bank account into the wallet. The first cash-in creates the wallet and fixes its currency.</summary>
[GenerateSerializer, Immutable, Alias("pa.CashIn")]
public sealed record CashIn(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] string? Iban) : IIdempotentCommand
{
    public override string ToString() => $"CashIn {{ MerchantId = {MerchantId}, AmountMinor = {AmountMinor}, Currency = {Currency} }}";
}

/// <summary>Pays money out of the wallet to the holder's bank account.</summary>
[GenerateSerializer, Immutable, Alias("pa.CashOut")]
public sealed record CashOut(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] string? Iban) : IIdempotentCommand
{
    public override string ToString() => $"CashOut {{ MerchantId = {MerchantId}, AmountMinor = {AmountMinor}, Currency = {Currency} }}";
}

/// <summary>Reserves an amount of the available balance until it is captured, released, or it expires.</summary>
[GenerateSerializer, Immutable, Alias("pa.PlaceHold")]
public sealed record PlaceHold(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] TimeSpan ExpiresIn) : IIdempotentCommand;

/// <summary>Debits a hold, in full (no amount) or in part; the rest goes back to the available balance.</summary>
[GenerateSerializer, Immutable, Alias("pa.CaptureHold")]
public sealed record CaptureHold(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] Guid HoldId,
    [property: Id(4)] long? AmountMinor) : IIdempotentCommand;

/// <summary>Gives a hold's amount back to the available balance.</summary>
[GenerateSerializer, Immutable, Alias("pa.ReleaseHold")]
public sealed record ReleaseHold(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] Guid HoldId) : IIdempotentCommand;
