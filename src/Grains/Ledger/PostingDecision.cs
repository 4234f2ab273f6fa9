namespace Payments.Actors.Grains.Ledger;

/// <summary>What the posting rules make of one event: a balanced posting, nothing to post, or a rejection with its reason.</summary>
public sealed record PostingDecision
{
    private PostingDecision(LedgerPosting? posting, string? rejection)
    {
        Posting = posting;
        Rejection = rejection;
    }

    public static PostingDecision NoPosting { get; } = new(null, null);

    /// <summary>The posting to append; null for no posting or a rejection.</summary>
    public LedgerPosting? Posting { get; }

    /// <summary>Why the event is poison; null unless rejected.</summary>
    public string? Rejection { get; }

    public static PostingDecision Post(LedgerPosting posting)
    {
        posting.AssertBalanced();
        return new(posting, null);
    }

    public static PostingDecision Reject(string reason) => new(null, reason);
}
