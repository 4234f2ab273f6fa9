using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.ApiFront.Edge.OpenApi;
using Payments.Actors.Events;

namespace Payments.Actors.ApiFront.Apis.Operator.DeadLetters;

/// <summary>
/// The Kafka dead-letter topics' operator API, <c>/v1/operator/dead-letters/{topic}</c> (operator scope): the letters
/// not yet replayed, and their replay. The replay is safe to repeat: a second finds nothing new to do.
/// </summary>
public static class DeadLettersApi
{
    public static RouteGroupBuilder MapDeadLettersApiV1(this IEndpointRouteBuilder app)
    {
        var dlq = app.MapGroup("/v1/operator/dead-letters").WithTags("Operator").RequireAuthorization(Policies.Operator);
        dlq.MapGet("/{topic}", DeadLettersAsync)
            .WithName("ListDeadLetters")
            .WithSummary("Dead letters of a topic not yet replayed, with the error and origin of each.")
            .Produces<DeadLettersResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        dlq.MapPost("/{topic}/replay", ReplayAsync)
            .WithName("ReplayDeadLetters")
            .WithoutIdempotencyKey()
            .WithSummary("Produces every dead letter not yet replayed back to its topic (after the cause is fixed).")
            .Produces<CountResponse>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        return dlq;
    }

    private static async Task<IResult> DeadLettersAsync(HttpContext context, string topic, IGrainFactory grains, int? limit)
    {
        if (OperatorRequests.EventListLimit(context, limit) is { } error)
        {
            return error;
        }

        var letters = await grains.GetGrain<IEventBackboneGrain>(0).ListDeadLettersAsync(topic, limit ?? OperatorRequests.EventListLimitDefault);
        return letters is null
            ? UnknownTopic(context, topic)
            : TypedResults.Json(new DeadLettersResponse("list", letters), ApiJson.Options);
    }

    private static async Task<IResult> ReplayAsync(HttpContext context, string topic, IGrainFactory grains)
    {
        if (OperatorRequests.Who(context) is not { } who)
        {
            return OperatorRequests.NoSubject(context);
        }

        var count = await grains.GetGrain<IEventBackboneGrain>(0).ReplayDeadLettersAsync(topic, who);
        return count is null ? UnknownTopic(context, topic) : TypedResults.Json(new CountResponse(count.Value), ApiJson.Options);
    }

    private static IResult UnknownTopic(HttpContext context, string topic) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"'{topic}' is not a topic of this platform.");
}

public sealed record DeadLettersResponse(string Object, IReadOnlyList<DeadLetter> Data);
