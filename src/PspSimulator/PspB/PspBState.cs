namespace Payments.Actors.PspSimulator.PspB;

/// <summary>The states of a PSP B transaction, as they appear on the wire.</summary>
internal static class PspBState
{
    public const string Authorised = "AUTHORISED";
    public const string Settled = "SETTLED";
    public const string Refused = "REFUSED";
    public const string Reversed = "REVERSED";
}
