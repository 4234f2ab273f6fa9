namespace Payments.Actors.PspSimulatorTests;

/// <summary>Tests sharing the notifying simulator run one at a time, so webhook faults set by one test never leak into another.</summary>
[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookFixture>
{
    public const string Name = "Webhooks";
}
