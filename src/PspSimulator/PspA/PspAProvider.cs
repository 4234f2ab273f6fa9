using Microsoft.Extensions.Options;
using Payments.Actors.PspSimulator.Options;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.PspA;

/// <summary>PSP A's state: its payments and its error dialect.</summary>
internal sealed class PspAProvider : ProviderState
{
    public const string InvalidRequestType = "invalid_request";
    public const string ApiErrorType = "api_error";

    private static readonly byte[] ServerError = ErrorBody(ApiErrorType, "server_error", "The provider failed to process the request.");

    public PspAProvider(IOptionsMonitor<ProviderOptions> options, IOptions<SimulatorOptions> limits, TimeProvider time, ILogger<PspAProvider> logger)
        : base(ProviderNames.PspA, options.Get(ProviderNames.PspA), limits.Value, time, logger)
    {
        Payments = new ChargeBook<PspAPayment>(limits.Value.StoredChargesMax);
    }

    public ChargeBook<PspAPayment> Payments { get; }

    public override IChargeBook Charges => Payments;

    public static byte[] ErrorBody(string type, string code, string message) =>
        WireJson.Write(new PspAErrorResponse(new PspAError(type, code, message)), PspAJsonContext.Default.PspAErrorResponse);

    public override byte[] ServerErrorBody() => ServerError;
}
