namespace Payments.Actors.Events;

/// <summary>The event types of <see cref="EventTopics.WalletsEvents"/>; their payload is <see cref="WalletEventV1"/>.</summary>
public static class WalletEventTypes
{
    public const string CashedIn = "wallet.cashed_in";
    public const string CashedOut = "wallet.cashed_out";

    /// <summary>A merchant's hold on the wallet was captured: the captured part leaves the wallet for the merchant.</summary>
    public const string HoldCaptured = "wallet.hold_captured";

    /// <summary>Every wallet event type.</summary>
    public static IReadOnlyList<string> All { get; } = [CashedIn, CashedOut, HoldCaptured];
}
