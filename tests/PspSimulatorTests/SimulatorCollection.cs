namespace Payments.Actors.PspSimulatorTests;

/// <summary>Tests sharing one simulator run one at a time, so faults set by one test never leak into another.</summary>
[CollectionDefinition(Name)]
public sealed class SimulatorCollection : ICollectionFixture<SimulatorFixture>
{
    public const string Name = "Simulator";
}
