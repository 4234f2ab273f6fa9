using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Payments.Actors.ApiFront.Edge.Idempotency;

namespace Payments.Actors.ApiFront.Observability;

/// <summary>
/// The merchant API's own meter, <c>Payments.Actors.Api</c>: payments created by outcome and idempotent replays by
/// the layer that answered them. It watches finished POSTs from a middleware, so the endpoint code stays as it is.
/// Prometheus names: <c>payments_api_payments_created_total{outcome}</c>, <c>payments_api_idempotency_replays_total{layer,operation}</c>.
/// </summary>
public sealed class ApiMetrics
{
    public const string MeterName = "Payments.Actors.Api";

    // Set per request by the middleware; the Redis cache flags a hit on the same box further down the call chain.
    private static readonly AsyncLocal<StrongBox<bool>?> RedisHit = new();

    private readonly Counter<long> _paymentsCreated;
    private readonly Counter<long> _replays;

    public ApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _paymentsCreated = meter.CreateCounter<long>("payments.api.payments.created", unit: "{payment}",
            description: "POST /v1/payments that executed (not replays), by outcome: created (201), pending (202), rejected (4xx), failed (5xx).");
        _replays = meter.CreateCounter<long>("payments.api.idempotency.replays", unit: "{request}",
            description: "POSTs answered from an earlier execution with the same Idempotency-Key, by the layer that answered: redis or grain.");
    }

    /// <summary>Called by <see cref="IdempotencyCache"/> when Redis returned a stored response for this request.</summary>
    public static void MarkRedisHit()
    {
        if (RedisHit.Value is { } box)
        {
            box.Value = true;
        }
    }

    public async Task ObserveAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/v1/payments"))
        {
            await next(context);
            return;
        }

        var box = new StrongBox<bool>();
        RedisHit.Value = box;
        await next(context);

        var status = context.Response.StatusCode;
        var replayed = context.Response.Headers.ContainsKey(IdempotencyKey.ReplayedHeaderName);
        var isCreate = context.Request.Path.Value is "/v1/payments" or "/v1/payments/";
        if (replayed)
        {
            _replays.Add(1,
                new KeyValuePair<string, object?>("layer", box.Value ? "redis" : "grain"),
                new KeyValuePair<string, object?>("operation", isCreate ? "create" : "follow_up"));
        }
        else if (isCreate)
        {
            _paymentsCreated.Add(1, new KeyValuePair<string, object?>("outcome", status switch
            {
                StatusCodes.Status201Created => "created",
                StatusCodes.Status202Accepted => "pending",
                >= 500 => "failed",
                _ => "rejected",
            }));
        }
    }
}
