using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>One provider's wire format: builds its requests and normalises its answers to <see cref="PspResult"/>.</summary>
public interface IPspConnector
{
    string Name { get; }

    Task<PspResult> ExecuteAsync(PspRequest request, CancellationToken cancellationToken);

    Task<PspResult> InquireAsync(PspRequest request, CancellationToken cancellationToken);
}
