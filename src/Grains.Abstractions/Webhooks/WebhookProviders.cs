namespace Payments.Actors.Webhooks;

/// <summary>The providers that post notifications to <c>POST /v1/webhooks/psp/{provider}</c> (docs/psp-webhooks.md).</summary>
public static class WebhookProviders
{
    public const string PspA = "psp-a";
    public const string PspB = "psp-b";
    public const string Bank = "bank";

    public static IReadOnlyList<string> All { get; } = [PspA, PspB, Bank];

    public static bool IsKnown(string? provider) => provider is PspA or PspB or Bank;
}
