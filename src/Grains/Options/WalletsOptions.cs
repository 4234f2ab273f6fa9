using Microsoft.Extensions.Options;

namespace Payments.Actors.Grains.Options;

/// <summary>Limits of the wallet grains (section <c>Wallets</c>). Timings of Bank status inquiries are shared with payments (<see cref="PaymentsOptions"/>).</summary>
public sealed class WalletsOptions
{
    public const string SectionName = "Wallets";

    public const int HoldsPerWalletMaxDefault = 1_000;
    public const int PendingTransfersPerWalletMaxDefault = 100;
    public static readonly TimeSpan HoldExpiryMaxDefault = TimeSpan.FromDays(30);

    /// <summary>
    /// The account at the Bank a cash-in is pulled from and a cash-out paid to when the request names
    /// none (the merchant's settlement account; in the simulator, an IBAN that the Bank books).
    /// </summary>
    public string SettlementIban { get; set; } = "DE89370400440532013000";

    /// <summary>Holds a wallet may have open at once; each lives in the grain's memory.</summary>
    public int HoldsPerWalletMax { get; set; } = HoldsPerWalletMaxDefault;

    /// <summary>Bank transfers of one wallet waiting for the Bank's answer at once.</summary>
    public int PendingTransfersPerWalletMax { get; set; } = PendingTransfersPerWalletMaxDefault;

    /// <summary>The longest a merchant's hold may last before it is released by expiry.</summary>
    public TimeSpan HoldExpiryMax { get; set; } = HoldExpiryMaxDefault;
}

public sealed class WalletsOptionsValidator : IValidateOptions<WalletsOptions>
{
    public ValidateOptionsResult Validate(string? name, WalletsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SettlementIban))
        {
            failures.Add("Wallets:SettlementIban is required.");
        }

        if (options.HoldsPerWalletMax is < 1 or > 100_000)
        {
            failures.Add("Wallets:HoldsPerWalletMax must be between 1 and 100000.");
        }

        if (options.PendingTransfersPerWalletMax is < 1 or > 10_000)
        {
            failures.Add("Wallets:PendingTransfersPerWalletMax must be between 1 and 10000.");
        }

        if (options.HoldExpiryMax < TimeSpan.FromSeconds(1) || options.HoldExpiryMax > TimeSpan.FromDays(365))
        {
            failures.Add("Wallets:HoldExpiryMax must be between 1 second and 365 days.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
