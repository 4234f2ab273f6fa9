using System.Diagnostics.CodeAnalysis;

namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>The providers by name, for the admin API.</summary>
internal sealed class ProviderRegistry(IEnumerable<ProviderState> providers)
{
    private readonly Dictionary<string, ProviderState> _byName =
        providers.ToDictionary(static provider => provider.Name, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ProviderState> All => _byName.Values;

    public bool TryGet(string name, [MaybeNullWhen(false)] out ProviderState provider) => _byName.TryGetValue(name, out provider);
}
