namespace Payments.Actors.Psp;

/// <summary>Limits of the operator's PSP control, shared by the grain and the API that validates first.</summary>
public static class PspControlLimits
{
    public const int AuditEntriesMax = 500;
}
