namespace Payments.Actors.Payments;

/// <summary>A dispute's status on the wire: open until the PSP closes it won or lost.</summary>
public static class DisputeStatuses
{
    /// <summary>Open: the funds are withdrawn and the merchant may answer until the evidence deadline.</summary>
    public const string NeedsResponse = "needs_response";

    /// <summary>Closed in the merchant's favour: the funds are reinstated.</summary>
    public const string Won = "won";

    /// <summary>Closed for the cardholder: the funds stay withdrawn.</summary>
    public const string Lost = "lost";

    public static IReadOnlyList<string> All { get; } = [NeedsResponse, Won, Lost];
}
