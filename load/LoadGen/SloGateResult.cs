namespace Payments.Actors.LoadGen;

/// <summary>One gate's verdict: what was required, what the measurement window showed.</summary>
public sealed record SloGateResult(string Option, string Requirement, string Measured, bool Passed)
{
    public override string ToString() =>
        $"{(Passed ? "PASS" : "FAIL")} {Option}: required {Requirement}, measured {Measured}";
}
