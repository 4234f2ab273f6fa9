namespace Payments.Actors.UnitTests.Payments;

/// <summary>The operations a merchant can ask for once a payment exists; theory data for the decider tests.</summary>
public enum FollowUp
{
    FullCapture,
    PartialCapture,
    Void,
    FullRefund,
    PartialRefund,
}
