using Payments.Actors.Payments;

namespace Payments.Actors.Psp;

/// <summary>A connector to one PSP: timeouts, retries, breaker and normalisation live behind this interface.</summary>
[Alias("pa.IPspAdapterGrain")]
public interface IPspAdapterGrain : IGrainWithStringKey
{
    Task<PspResult> ExecuteAsync(PspRequest request);

    /// <summary>Asks the PSP what happened to a request we sent before (by our request id).</summary>
    Task<PspResult> InquireAsync(PspRequest request);

    /// <summary>This silo's view of the PSP: breaker state, recent success rate and latency, rejections.</summary>
    Task<PspHealth> GetHealthAsync();
}
