namespace Payments.Actors.Ledger;

public static class LedgerQueryLimits
{
    /// <summary>Largest page of accounts or entries.</summary>
    public const int PageSizeMax = 200;

    /// <summary>Entries returned for one payment (a capture and up to 50 refunds, two legs each, fit).</summary>
    public const int PaymentEntriesMax = 500;

    /// <summary>Problems listed by a verification report; the report still counts all of them.</summary>
    public const int VerifyProblemsMax = 100;

    /// <summary>Missing postings one repair posts; run it again for more.</summary>
    public const int RepairEventsMax = 1_000;
}
