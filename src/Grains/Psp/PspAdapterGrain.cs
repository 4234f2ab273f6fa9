using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// The connector to one PSP, keyed by its name. A stateless worker: every silo calls its own local
/// activation, whose resilience state (breaker, bulkhead, health) is this silo's
/// <see cref="PspResilience"/>, so a PSP call never crosses silos and routing reads the same health
/// the adapter acts on. Reentrant: it only waits on I/O, so one slow answer never holds up the next.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed partial class PspAdapterGrain(IEnumerable<IPspConnector> connectors, PspResilience resilience, ILogger<PspAdapterGrain> logger)
    : Grain, IPspAdapterGrain
{
    private IPspConnector? _connector;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var name = this.GetPrimaryKeyString();
        _connector = connectors.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        return Task.CompletedTask;
    }

    public async Task<PspResult> ExecuteAsync(PspRequest request)
    {
        if (_connector is not { } connector)
        {
            return NoConnector();
        }

        var result = await resilience.ExecuteAsync(connector.Name, request.Operation, token => connector.ExecuteAsync(request, token), CancellationToken.None);
        LogOutcome(logger, connector.Name, request.Operation, request.RequestId, result.Outcome, result.DeclineCode);
        return result;
    }

    public async Task<PspResult> InquireAsync(PspRequest request)
    {
        if (_connector is not { } connector)
        {
            return NoConnector() with { Outcome = PspOutcome.Unknown };
        }

        var result = await resilience.InquireAsync(connector.Name, token => connector.InquireAsync(request, token), CancellationToken.None);
        LogInquiry(logger, connector.Name, request.RequestId, result.Outcome);
        return result;
    }

    public Task<PspHealth> GetHealthAsync() => Task.FromResult(resilience.Health(this.GetPrimaryKeyString()));

    private PspResult NoConnector() =>
        new(PspOutcome.Rejected, null, PspErrorCodes.NotConfigured, $"No connector is registered for PSP '{this.GetPrimaryKeyString()}'.");

    [LoggerMessage(Level = LogLevel.Debug, Message = "PSP {Psp} {Operation} {RequestId}: {Outcome} {Code}")]
    private static partial void LogOutcome(ILogger logger, string psp, PspOperation operation, string requestId, PspOutcome outcome, string? code);

    [LoggerMessage(Level = LogLevel.Information, Message = "PSP {Psp} status inquiry {RequestId}: {Outcome}")]
    private static partial void LogInquiry(ILogger logger, string psp, string requestId, PspOutcome outcome);
}
