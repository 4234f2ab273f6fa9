using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// The connector to one PSP, keyed by its name. Reentrant: it only waits on I/O, so many calls
/// interleave and one slow PSP answer never holds up the next request.
/// </summary>
[Reentrant]
public sealed partial class PspAdapterGrain(IEnumerable<IPspConnector> connectors, ILogger<PspAdapterGrain> logger) : Grain, IPspAdapterGrain
{
    private IPspConnector _connector = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var name = this.GetPrimaryKeyString();
        _connector = connectors.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"No connector is registered for PSP '{name}'.");
        return Task.CompletedTask;
    }

    public async Task<PspResult> ExecuteAsync(PspRequest request)
    {
        var result = await _connector.ExecuteAsync(request, CancellationToken.None);
        LogOutcome(logger, _connector.Name, request.Operation, request.RequestId, result.Outcome);
        return result;
    }

    public async Task<PspResult> InquireAsync(PspRequest request)
    {
        var result = await _connector.InquireAsync(request, CancellationToken.None);
        LogInquiry(logger, _connector.Name, request.RequestId, result.Outcome);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "PSP {Psp} {Operation} {RequestId}: {Outcome}")]
    private static partial void LogOutcome(ILogger logger, string psp, PspOperation operation, string requestId, PspOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "PSP {Psp} status inquiry {RequestId}: {Outcome}")]
    private static partial void LogInquiry(ILogger logger, string psp, string requestId, PspOutcome outcome);
}
