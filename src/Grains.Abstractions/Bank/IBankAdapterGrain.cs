using Payments.Actors.Psp;

namespace Payments.Actors.Bank;

/// <summary>The connector to the Bank (cash-in and cash-out transfers): timeouts, retries, breaker and normalisation live behind it.</summary>
[Alias("pa.IBankAdapterGrain")]
public interface IBankAdapterGrain : IGrainWithStringKey
{
    /// <summary>The only key: there is one Bank.</summary>
    public const string Key = "bank";

    Task<PspResult> TransferAsync(BankTransferOrder order);

    /// <summary>Asks the Bank what became of a transfer we sent before (by our request id), following a PENDING one to its current state.</summary>
    Task<PspResult> InquireAsync(BankTransferOrder order);
}
