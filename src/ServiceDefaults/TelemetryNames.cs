namespace Payments.Actors.ServiceDefaults;

/// <summary>Names of the activity sources and meters the grid listens to.</summary>
public static class TelemetryNames
{
    public const string OrleansMeter = "Microsoft.Orleans";
    public const string OrleansRuntimeSource = "Microsoft.Orleans.Runtime";
    public const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    /// <summary>Every meter of ours is named <c>Payments.Actors.&lt;area&gt;</c>, e.g. <c>Payments.Actors.Api</c>.</summary>
    public const string OurMetersWildcard = "Payments.Actors.*";

    public const string OurSourcesWildcard = "Payments.Actors.*";
}
