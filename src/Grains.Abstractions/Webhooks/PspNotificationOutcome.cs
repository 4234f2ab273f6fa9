namespace Payments.Actors.Webhooks;

/// <summary>What processing a PSP notification did (docs/psp-webhooks.md, "Processing").</summary>
[GenerateSerializer]
public enum PspNotificationOutcome
{
    /// <summary>It settled the payment's (or the wallet's) pending operation, exactly as a status inquiry would have.</summary>
    Applied = 0,

    /// <summary>The payment already says so (a duplicate, or a notification older than what we know): nothing changed.</summary>
    AlreadyReflected = 1,

    /// <summary>It tells us something that moves no state of ours today (a settled capture): kept for reconciliation.</summary>
    Recorded = 2,

    /// <summary>It contradicts our state: nothing changed, a discrepancy was recorded for reconciliation and alerts.</summary>
    Discrepancy = 3,

    /// <summary>No payment of ours has this reference: the notification goes to the dead-letter topic.</summary>
    UnknownPayment = 4,

    /// <summary>A kind this platform does not process yet: the notification goes to the dead-letter topic, to be replayed later.</summary>
    Unsupported = 5,

    /// <summary>No wallet cash-in or cash-out of ours has this bank transfer reference: the notification goes to the dead-letter topic.</summary>
    UnknownTransfer = 6,
}
