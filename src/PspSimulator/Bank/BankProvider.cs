using Microsoft.Extensions.Options;
using Payments.Actors.PspSimulator.Options;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Bank;

/// <summary>The Bank's state: its transfers and its error dialect.</summary>
internal sealed class BankProvider : ProviderState
{
    private static readonly byte[] ServerError = ErrorBody(BankCodes.SystemError, "The bank failed to process the request.");

    public BankProvider(IOptionsMonitor<ProviderOptions> options, IOptions<SimulatorOptions> limits, TimeProvider time, ILogger<BankProvider> logger)
        : base(ProviderNames.Bank, options.Get(ProviderNames.Bank), limits.Value, time, logger)
    {
        PendingDuration = TimeSpan.FromMilliseconds(options.Get(ProviderNames.Bank).PendingDurationMs);
        Transfers = new ChargeBook<BankTransfer>(limits.Value.StoredChargesMax);
    }

    public TimeSpan PendingDuration { get; }

    public ChargeBook<BankTransfer> Transfers { get; }

    public override IChargeBook Charges => Transfers;

    public static byte[] ErrorBody(string code, string description) =>
        WireJson.Write(new BankErrorResponse(code, description), BankJsonContext.Default.BankErrorResponse);

    public override byte[] ServerErrorBody() => ServerError;

    /// <summary>
    /// A transfer was decided: booked and rejected ones are notified at once, a PENDING one when it books
    /// (<c>PendingDurationMs</c> later, dated then).
    /// </summary>
    public void Decided(BankTransfer transfer, DateTimeOffset at)
    {
        if (!Webhooks.Enabled)
        {
            return;
        }

        if (transfer.StateAt(at) != BankCodes.Pending)
        {
            Webhooks.Publish(BankWebhooks.Transfer(transfer, at));
            return;
        }

        var bookedAt = at + PendingDuration;
        ScheduleAfter(PendingDuration, () => Webhooks.Publish(BankWebhooks.Transfer(transfer, bookedAt)));
    }
}
