using System.Security.Claims;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Errors;
using Payments.Actors.Events;

namespace Payments.Actors.ApiFront.Apis;

/// <summary>
/// The operator API of the event backbone: the outbox relay's backlog and parked events
/// (<c>/v1/operator/outbox</c>) and the Kafka dead-letter topics (<c>/v1/operator/dead-letters/{topic}</c>).
/// Both actions are safe to repeat: a second requeue or replay finds nothing new to do.
/// </summary>
public static class EventsApi
{
    public const int ListLimitMax = 500;

    public static IEndpointRouteBuilder MapEventsApiV1(this IEndpointRouteBuilder app)
    {
        var outbox = app.MapGroup("/v1/operator/outbox").WithTags("Operator").RequireAuthorization(Policies.Operator);
        outbox.MapGet("/", OutboxAsync)
            .WithName("GetOutbox")
            .WithSummary("Outbox counts (pending, published, parked), the oldest pending event's age, and the parked events.")
            .Produces<OutboxResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);
        outbox.MapPost("/requeue-parked", RequeueAsync)
            .WithName("RequeueParkedOutboxEvents")
            .WithSummary("Puts every parked outbox event back in the relay's queue, attempts reset.")
            .Produces<CountResponse>();

        var dlq = app.MapGroup("/v1/operator/dead-letters").WithTags("Operator").RequireAuthorization(Policies.Operator);
        dlq.MapGet("/{topic}", DeadLettersAsync)
            .WithName("ListDeadLetters")
            .WithSummary("Dead letters of a topic not yet replayed, with the error and origin of each.")
            .Produces<DeadLettersResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        dlq.MapPost("/{topic}/replay", ReplayAsync)
            .WithName("ReplayDeadLetters")
            .WithSummary("Produces every dead letter not yet replayed back to its topic (after the cause is fixed).")
            .Produces<CountResponse>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> OutboxAsync(HttpContext context, IGrainFactory grains, int? limit)
    {
        if (Limit(context, limit) is { } error)
        {
            return error;
        }

        var status = await grains.GetGrain<IEventBackboneGrain>(0).GetOutboxAsync(limit ?? 50);
        return TypedResults.Json(new OutboxResponse(status.Pending, status.OldestPendingAgeSeconds, status.Published, status.Parked,
            [.. status.ParkedEvents.Select(e => new ParkedEventResponse(e.EventId, e.AggType, e.AggId, e.EventType, e.Attempts, e.LastError, e.CreatedAt))]),
            ApiJson.Options);
    }

    private static async Task<IResult> RequeueAsync(HttpContext context, IGrainFactory grains)
    {
        if (Who(context) is not { } who)
        {
            return NoSubject(context);
        }

        var count = await grains.GetGrain<IEventBackboneGrain>(0).RequeueParkedAsync(who);
        return TypedResults.Json(new CountResponse(count), ApiJson.Options);
    }

    private static async Task<IResult> DeadLettersAsync(HttpContext context, string topic, IGrainFactory grains, int? limit)
    {
        if (Limit(context, limit) is { } error)
        {
            return error;
        }

        var letters = await grains.GetGrain<IEventBackboneGrain>(0).ListDeadLettersAsync(topic, limit ?? 50);
        return letters is null
            ? UnknownTopic(context, topic)
            : TypedResults.Json(new DeadLettersResponse("list", letters), ApiJson.Options);
    }

    private static async Task<IResult> ReplayAsync(HttpContext context, string topic, IGrainFactory grains)
    {
        if (Who(context) is not { } who)
        {
            return NoSubject(context);
        }

        var count = await grains.GetGrain<IEventBackboneGrain>(0).ReplayDeadLettersAsync(topic, who);
        return count is null ? UnknownTopic(context, topic) : TypedResults.Json(new CountResponse(count.Value), ApiJson.Options);
    }

    private static IResult? Limit(HttpContext context, int? limit) =>
        limit is < 1 or > ListLimitMax
            ? ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                $"limit must be between 1 and {ListLimitMax}.", field: "limit")
            : null;

    private static string? Who(HttpContext context) => context.User.FindFirstValue(AuthClaims.Subject) is { Length: > 0 } who ? who : null;

    private static IResult NoSubject(HttpContext context) =>
        ApiErrorResults.Error(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "The access token names no subject to audit.");

    private static IResult UnknownTopic(HttpContext context, string topic) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"'{topic}' is not a topic of this platform.");
}

public sealed record OutboxResponse(long Pending, double OldestPendingAgeSeconds, long Published, long Parked, IReadOnlyList<ParkedEventResponse> ParkedEvents);

public sealed record ParkedEventResponse(Guid EventId, string AggType, Guid AggId, string EventType, int Attempts, string? LastError, DateTimeOffset CreatedAt);

public sealed record DeadLettersResponse(string Object, IReadOnlyList<DeadLetter> Data);

public sealed record CountResponse(int Count);
