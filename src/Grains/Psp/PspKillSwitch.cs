using System.Collections.Frozen;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// This silo's copy of the operators' kill switches, published by <see cref="PspSettingsRefresher"/>.
/// A PSP without a stored setting is on: the switch can only take away what configuration allows.
/// </summary>
public sealed class PspKillSwitch
{
    private volatile FrozenDictionary<string, bool> _enabled = FrozenDictionary<string, bool>.Empty;

    public bool IsEnabled(string psp) => _enabled.GetValueOrDefault(psp, true);

    public void Publish(IEnumerable<KeyValuePair<string, bool>> settings) =>
        _enabled = settings.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
}
