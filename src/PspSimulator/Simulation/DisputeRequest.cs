using System.Buffers;

namespace Payments.Actors.PspSimulator.Simulation;

/// <summary><c>POST /admin/disputes/{provider}</c>: <c>reference</c> is our payment id or the provider's id of the charge.</summary>
internal sealed record DisputeRequest(string? Reference, long? Amount, string? Reason, int? DueInDays)
{
    public const string ReasonDefault = "fraudulent";
    public const int DueInDaysDefault = 7;
    public const int DueInDaysMax = 120;
    public const int ReasonLengthMax = 64;

    private static readonly SearchValues<char> ReasonCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>Returns why the request is invalid, or null when it is valid.</summary>
    public string? FindProblem()
    {
        if (!WireRules.IsReference(Reference))
        {
            return $"reference is required: our payment id or the provider's id of the charge (1-{WireRules.ReferenceLengthMax} characters).";
        }

        if (Amount is not null && !WireRules.IsAmount(Amount))
        {
            return $"amount must be 1-{WireRules.AmountMinorMax} minor units.";
        }

        if (Reason is not null && (Reason.Length is 0 or > ReasonLengthMax || Reason.AsSpan().ContainsAnyExcept(ReasonCharacters)))
        {
            return $"reason must be 1-{ReasonLengthMax} lower-case letters, digits or '_'.";
        }

        return DueInDays is null or (>= 1 and <= DueInDaysMax) ? null : $"due_in_days must be between 1 and {DueInDaysMax}.";
    }
}
