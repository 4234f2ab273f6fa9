namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>The simulated providers, as they appear in paths, configuration and the admin API.</summary>
internal static class ProviderNames
{
    public const string PspA = "psp-a";
    public const string PspB = "psp-b";
    public const string Bank = "bank";

    public static IReadOnlyList<string> All { get; } = [PspA, PspB, Bank];
}
