using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Payments.Actors.ServiceDefaults;

/// <summary>
/// Observability wiring in one place (eShop ServiceDefaults): OpenTelemetry traces, metrics and logs for every
/// process of the grid. Prometheus scraping is always on; OTLP export is switched on by configuring
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, so one machine needs no collector and production needs no code change.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The standard OpenTelemetry variable; when absent nothing is pushed anywhere.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Fraction of root traces recorded (0..1). Defaults to 1 with an OTLP endpoint and 0 without one.</summary>
    public const string TraceSampleRatioKey = "Observability:TraceSampleRatio";

    public const string MetricsPath = "/metrics";

    private static readonly double[] RequestDurationBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 0.75, 1, 1.2, 1.5, 2.5, 5, 10];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        var configuration = builder.Configuration;
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        // Spans nobody exports are pure cost on the hot path; without a collector only trace ids are kept
        // (they still flow through grain calls and into every log line, so logs correlate either way).
        var sampleRatio = configuration.GetValue(TraceSampleRatioKey, otlp ? 1.0 : 0.0);
        if (sampleRatio is < 0 or > 1 || double.IsNaN(sampleRatio))
        {
            throw new InvalidOperationException($"{TraceSampleRatioKey} must be between 0 and 1, not {sampleRatio}.");
        }

        builder.Logging.Configure(options =>
            options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        // Structured console logs; the trace and span ids travel as scopes. Callers never log request bodies,
        // so neither a PAN nor a secret can reach a log line from here.
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            options.UseUtcTimestamp = true;
        });
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(TelemetryNames.OrleansMeter)
                .AddMeter(TelemetryNames.OurMetersWildcard)
                // Bucket edges on the SLO thresholds (p50 150 ms, p99 200 ms target, p95 500 ms, p99 1.2 s), so the
                // alert rules and dashboards compare against exact edges rather than interpolations.
                .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = RequestDurationBuckets })
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(sampleRatio)))
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsPlumbing(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(TelemetryNames.OrleansRuntimeSource, TelemetryNames.OrleansApplicationSource, TelemetryNames.OurSourcesWildcard));

        if (otlp)
        {
            // Reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL and _HEADERS itself.
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The Prometheus scrape endpoint, always on. It is anonymous, as scrape endpoints are; keep it off public ingress.</summary>
    public static IEndpointRouteBuilder MapServiceDefaults(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
        return endpoints;
    }

    private static bool IsPlumbing(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health") || path.StartsWithSegments("/dashboard");
}
