using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Payments.Actors.Bank;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Bank;

/// <summary>
/// The connector to the Bank, like <see cref="PspAdapterGrain"/>: a local stateless worker on every
/// silo whose breaker, bulkhead, retries and budget are this silo's <see cref="PspResilience"/>
/// pipeline for the provider <c>bank</c> (configured under <c>Psp:Providers:bank</c>). Reentrant:
/// it only waits on I/O.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed partial class BankAdapterGrain(BankConnector connector, PspResilience resilience, ILogger<BankAdapterGrain> logger)
    : Grain, IBankAdapterGrain
{
    public async Task<PspResult> TransferAsync(BankTransferOrder order)
    {
        var result = await resilience.ExecuteAsync(BankConnector.ProviderName, order.Kind == BankTransferKind.CashIn ? "cashin" : "cashout",
            token => connector.TransferAsync(order, token), CancellationToken.None);
        LogOutcome(logger, order.Kind, order.RequestId, result.Outcome, result.DeclineCode);
        return result;
    }

    public async Task<PspResult> InquireAsync(BankTransferOrder order)
    {
        var result = await resilience.InquireAsync(BankConnector.ProviderName, token => connector.InquireAsync(order, token), CancellationToken.None);
        LogInquiry(logger, order.RequestId, result.Outcome);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bank {Operation} {RequestId}: {Outcome} {Code}")]
    private static partial void LogOutcome(ILogger logger, BankTransferKind operation, string requestId, PspOutcome outcome, string? code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bank status inquiry {RequestId}: {Outcome}")]
    private static partial void LogInquiry(ILogger logger, string requestId, PspOutcome outcome);
}
