using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.ApiFront.Edge.OpenApi;
using Payments.Actors.Events;

namespace Payments.Actors.ApiFront.Apis.Operator.Outbox;

/// <summary>
/// The outbox relay's operator API, <c>/v1/operator/outbox</c> (operator scope): its backlog and parked events,
/// and a requeue of the parked ones. The requeue is safe to repeat: a second finds nothing new to do.
/// </summary>
public static class OutboxApi
{
    public static RouteGroupBuilder MapOutboxApiV1(this IEndpointRouteBuilder app)
    {
        var outbox = app.MapGroup("/v1/operator/outbox").WithTags("Operator").RequireAuthorization(Policies.Operator);
        outbox.MapGet("/", OutboxAsync)
            .WithName("GetOutbox")
            .WithSummary("Outbox counts (pending, published, parked), the oldest pending event's age, and the parked events.")
            .Produces<OutboxResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);
        outbox.MapPost("/requeue-parked", RequeueAsync)
            .WithName("RequeueParkedOutboxEvents")
            .WithoutIdempotencyKey()
            .WithSummary("Puts every parked outbox event back in the relay's queue, attempts reset.")
            .Produces<CountResponse>();
        return outbox;
    }

    private static async Task<IResult> OutboxAsync(HttpContext context, IGrainFactory grains, int? limit)
    {
        if (OperatorRequests.EventListLimit(context, limit) is { } error)
        {
            return error;
        }

        var status = await grains.GetGrain<IEventBackboneGrain>(0).GetOutboxAsync(limit ?? OperatorRequests.EventListLimitDefault);
        return TypedResults.Json(new OutboxResponse(status.Pending, status.OldestPendingAgeSeconds, status.Published, status.Parked,
            [.. status.ParkedEvents.Select(e => new ParkedEventResponse(e.EventId, e.AggType, e.AggId, e.EventType, e.Attempts, e.LastError, e.CreatedAt))]),
            ApiJson.Options);
    }

    private static async Task<IResult> RequeueAsync(HttpContext context, IGrainFactory grains)
    {
        if (OperatorRequests.Who(context) is not { } who)
        {
            return OperatorRequests.NoSubject(context);
        }

        var count = await grains.GetGrain<IEventBackboneGrain>(0).RequeueParkedAsync(who);
        return TypedResults.Json(new CountResponse(count), ApiJson.Options);
    }
}

public sealed record OutboxResponse(long Pending, double OldestPendingAgeSeconds, long Published, long Parked, IReadOnlyList<ParkedEventResponse> ParkedEvents);

public sealed record ParkedEventResponse(Guid EventId, string AggType, Guid AggId, string EventType, int Attempts, string? LastError, DateTimeOffset CreatedAt);
