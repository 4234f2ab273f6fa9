namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>What a provider's decision function sees of one command.</summary>
/// <param name="Body">The raw request body.</param>
/// <param name="ForceDecline">The <c>decline_rate</c> fault chose this request to be declined.</param>
/// <param name="Now">The provider's clock when the request is decided.</param>
internal readonly record struct ProviderCommand(ReadOnlyMemory<byte> Body, bool ForceDecline, DateTimeOffset Now);
