namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>A provider whose captures settle and can be disputed: PSP A and PSP B, not the Bank.</summary>
internal interface ICardProvider
{
    /// <summary>Settles every captured charge not yet settled; returns how many.</summary>
    int SettleCaptured();

    /// <summary>Opens a dispute on the charge named by its provider id or by our reference.</summary>
    DisputeCheck OpenDispute(DisputeRequest request, out Dispute? dispute);

    /// <summary>Closes an open dispute <c>won</c> or <c>lost</c>; false when it is already closed.</summary>
    bool CloseDispute(Dispute dispute, string outcome);
}
