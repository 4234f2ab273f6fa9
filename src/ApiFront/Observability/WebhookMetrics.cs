using System.Diagnostics.Metrics;
using Payments.Actors.Webhooks;

namespace Payments.Actors.ApiFront.Observability;

/// <summary>
/// Webhook ingest on the meter <c>Payments.Actors.Webhooks</c>, counted at the edge where each answer is decided.
/// Prometheus names: <c>payments_webhooks_received_total{provider,outcome}</c> (verified deliveries: stored, duplicate,
/// unparseable, store_unavailable), <c>payments_webhooks_rejected_total{provider,reason}</c>,
/// <c>payments_webhooks_store_failures_total{provider}</c> and <c>payments_webhooks_ingest_duration_seconds{provider,outcome}</c>
/// (the store-then-acknowledge call). An unknown provider is counted as <c>unknown</c>, so a path cannot mint labels.
/// </summary>
public sealed class WebhookMetrics
{
    public const string MeterName = "Payments.Actors.Webhooks";

    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _storeFailures;
    private readonly Histogram<double> _duration;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>("payments.webhooks.received", "{delivery}",
            "Verified PSP notifications by outcome: stored, duplicate (already held), unparseable (stored, not understood), store_unavailable (503).");
        _rejected = meter.CreateCounter<long>("payments.webhooks.rejected", "{delivery}",
            "PSP notifications refused at the edge, by reason: source_forbidden, provider_unknown, body_too_large, signature_invalid, timestamp_out_of_tolerance.");
        _storeFailures = meter.CreateCounter<long>("payments.webhooks.store_failures", "{delivery}",
            "Verified PSP notifications answered 503 because the blob store or PostgreSQL failed.");
        _duration = meter.CreateHistogram<double>("payments.webhooks.ingest.duration", "s",
            "Time to store a verified notification (blob, then one transaction) and decide the answer.");
    }

    public void Received(string provider, string outcome, TimeSpan elapsed)
    {
        var tags = new System.Diagnostics.TagList { { "provider", provider }, { "outcome", outcome } };
        _received.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
        if (outcome == StoreUnavailable)
        {
            _storeFailures.Add(1, new KeyValuePair<string, object?>("provider", provider));
        }
    }

    public void Rejected(string provider, string reason) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("provider", WebhookProviders.IsKnown(provider) ? provider : "unknown"),
            new KeyValuePair<string, object?>("reason", reason));

    public const string Stored = "stored";
    public const string Duplicate = "duplicate";
    public const string Unparseable = "unparseable";
    public const string StoreUnavailable = "store_unavailable";
}
