using Microsoft.Extensions.Options;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// Chooses the PSPs a new payment is offered to, in order: the first matching rule (or the default
/// order), only configured and enabled PSPs, then live health on this silo moves PSPs whose breaker
/// is not closed, whose recent success rate is low or whose p95 latency is near the timeout to the back,
/// and among equally healthy PSPs a lower routing priority (configured or set by an operator) goes first.
/// They stay in the list: a call to them fails fast without being sent and the next one is tried.
/// </summary>
public sealed class PspRouter(IOptionsMonitor<PspOptions> options, PspResilience resilience)
{
    public const double SuccessRateMin = 0.5;
    public const int HealthAttemptsMin = 10;
    public const double LatencyShareOfTimeoutMax = 0.8;

    /// <summary>
    /// PSPs an operator switched off go to the very back: a call to one is refused without being sent
    /// (<see cref="Payments.Actors.Psp.PspErrorCodes.Disabled"/>), so a payment only lands there if
    /// everything in front of it refused too, and then it fails with a clear, retryable code.
    /// </summary>
    public IReadOnlyList<string> Route(string merchantId, string currency, long amountMinor)
    {
        var current = options.CurrentValue;
        var order = Order(current, merchantId, currency, amountMinor, resilience.Health, resilience.SettingsOf);
        return [.. order.OrderBy(p => resilience.IsEnabled(p, resilience.SettingsOf(p)!) ? 0 : 1)];
    }

    /// <summary>How long an authorisation at <paramref name="psp"/> holds (a PSP not configured: the default).</summary>
    public TimeSpan AuthorizationValidityOf(string psp) =>
        options.CurrentValue.Providers.GetValueOrDefault(psp)?.AuthorizationValidity ?? PspProviderOptions.AuthorizationValidityDefault;

    /// <param name="settingsOf">The effective settings of a PSP (configuration with overrides); by default, configuration.</param>
    public static IReadOnlyList<string> Order(PspOptions options, string merchantId, string currency, long amountMinor, Func<string, PspHealth> health,
        Func<string, PspProviderOptions?>? settingsOf = null)
    {
        settingsOf ??= p => options.Providers.GetValueOrDefault(p);
        var preferred = options.Routing.Rules.FirstOrDefault(r => r.Matches(merchantId, currency, amountMinor))?.Psps
            ?? options.Routing.EffectiveOrder;
        var usable = preferred
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(p => (Psp: p, Settings: settingsOf(p)))
            .Where(p => p.Settings is { Enabled: true })
            .ToList();
        // A stable sort: equally healthy PSPs of equal priority keep the rule's order.
        return [.. usable
            .OrderBy(p => IsHealthy(health(p.Psp), p.Settings!) ? 0 : 1)
            .ThenBy(p => p.Settings!.RoutingPriority)
            .Select(p => p.Psp)];
    }

    /// <summary>Half-open counts as healthy: the probe has to come from somewhere.</summary>
    public static bool IsHealthy(PspHealth health, PspProviderOptions settings) =>
        health.BreakerState == "HalfOpen"
        || (health.BreakerState == "Closed" && (health.RecentAttempts < HealthAttemptsMin
            || (health.SuccessRate >= SuccessRateMin && health.LatencyP95Ms <= settings.RequestTimeout.TotalMilliseconds * LatencyShareOfTimeoutMax)));
}
