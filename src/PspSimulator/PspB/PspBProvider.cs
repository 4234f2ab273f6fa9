using Microsoft.Extensions.Options;
using Payments.Actors.PspSimulator.Options;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.PspB;

/// <summary>PSP B's state: its transactions and its error dialect.</summary>
internal sealed class PspBProvider : ProviderState
{
    private static readonly byte[] ServerError = ErrorBody(PspBResponseCodes.SystemMalfunction);

    public PspBProvider(IOptionsMonitor<ProviderOptions> options, IOptions<SimulatorOptions> limits, TimeProvider time, ILogger<PspBProvider> logger)
        : base(ProviderNames.PspB, options.Get(ProviderNames.PspB), limits.Value, time, logger)
    {
        Transactions = new ChargeBook<PspBTransaction>(limits.Value.StoredChargesMax);
    }

    public ChargeBook<PspBTransaction> Transactions { get; }

    public override IChargeBook Charges => Transactions;

    public static byte[] ErrorBody(string responseCode, string? detail = null)
    {
        var text = PspBResponseCodes.Text(responseCode);
        return WireJson.Write(
            new PspBErrorResponse(responseCode, detail is null ? text : $"{text}: {detail}"),
            PspBJsonContext.Default.PspBErrorResponse);
    }

    public override byte[] ServerErrorBody() => ServerError;
}
