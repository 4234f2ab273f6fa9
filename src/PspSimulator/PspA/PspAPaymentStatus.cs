namespace Payments.Actors.PspSimulator.PspA;

/// <summary>The statuses of a PSP A payment, as they appear on the wire.</summary>
internal static class PspAPaymentStatus
{
    public const string Authorized = "authorized";
    public const string Captured = "captured";
    public const string Declined = "declined";
    public const string Canceled = "canceled";
}
