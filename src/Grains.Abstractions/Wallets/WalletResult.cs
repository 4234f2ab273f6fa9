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
    public static WalletResult Rejected(WalletResultCode code, string message) => new(code, null, null, message, Replayed: false);
}
