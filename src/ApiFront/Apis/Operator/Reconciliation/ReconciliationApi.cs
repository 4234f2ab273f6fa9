using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.ApiFront.Edge.OpenApi;
using Payments.Actors.Reconciliation;

namespace Payments.Actors.ApiFront.Apis.Operator.Reconciliation;

/// <summary>
/// Reconciliation breaks for operators, <c>/v1/operator/reconciliation/breaks</c> (operator scope): list with filters,
/// read one with its audit trail, acknowledge, resolve or write off. Closing needs a reason; who did it is the token's subject.
/// </summary>
public static class ReconciliationApi
{
    public static RouteGroupBuilder MapReconciliationApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/operator/reconciliation/breaks").WithTags("Operator").RequireAuthorization(Policies.Operator);
        group.MapGet("/", ListAsync)
            .WithName("ListReconciliationBreaks")
            .WithSummary("Reconciliation breaks, newest first; filter by status, kind and psp; page with starting_after (a break id).")
            .Produces<BreakListResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);
        group.MapGet("/{id}", GetAsync)
            .WithName("GetReconciliationBreak")
            .WithSummary("One break with its audit trail.")
            .Produces<BreakResponse>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        foreach (var action in BreakActions.All)
        {
            group.MapPost($"/{{id}}/{action}", (HttpContext context, string id, IGrainFactory grains) => ActAsync(context, id, action, grains))
                .WithName(action switch { BreakActions.Acknowledge => "AcknowledgeReconciliationBreak", BreakActions.Resolve => "ResolveReconciliationBreak", _ => "WriteOffReconciliationBreak" })
                .WithoutIdempotencyKey()
                .WithSummary(action == BreakActions.Acknowledge
                    ? "Take ownership of an open break; a reason is optional."
                    : $"Close a break for good ({action}) with a reason; recorded with who and when.")
                .Accepts<BreakActionRequest>(isOptional: action == BreakActions.Acknowledge, "application/json")
                .Produces<BreakResponse>()
                .Produces<ApiError>(StatusCodes.Status400BadRequest)
                .Produces<ApiError>(StatusCodes.Status404NotFound)
                .Produces<ApiError>(StatusCodes.Status409Conflict);
        }

        return group;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options, int? limit,
        [FromQuery(Name = "starting_after")] string? startingAfter, string? status, string? kind, string? psp)
    {
        if (ListPaging.Bind(context, options.Value, limit, startingAfter, endingBefore: null, out var paging) is { } invalid)
        {
            return invalid;
        }

        if (status is not null && !BreakStatuses.All.Contains(status))
        {
            return ApiErrorResults.Invalid(context, new ValidationFailure("status", $"status must be one of {string.Join(", ", BreakStatuses.All)}."));
        }

        Guid cursor = default;
        if (paging.Cursor is { } value && !Guid.TryParse(value, out cursor))
        {
            return paging.InvalidCursor(context, "is not a break id");
        }

        var page = await grains.GetGrain<IReconciliationBreaksGrain>(0).ListAsync(
            new BreakListQuery(paging.Limit, paging.Cursor is null ? null : cursor, status, kind, psp));
        var next = page.HasMore && page.Items.Count > 0 ? page.Items[^1].Id.ToString() : null;
        return TypedResults.Json(new BreakListResponse("list", [.. page.Items.Select(BreakResponse.From)], page.HasMore, next), ApiJson.Options);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, IGrainFactory grains) =>
        Guid.TryParse(id, out var breakId) && await grains.GetGrain<IReconciliationBreaksGrain>(0).GetAsync(breakId) is { } found
            ? TypedResults.Json(BreakResponse.From(found), ApiJson.Options)
            : NotFound(context, id);

    private static async Task<IResult> ActAsync(HttpContext context, string id, string action, IGrainFactory grains)
    {
        if (OperatorRequests.Who(context) is not { } who)
        {
            return OperatorRequests.NoSubject(context);
        }

        var (request, bodyError) = await RequestBody.ReadAsync<BreakActionRequest>(context, allowEmpty: action == BreakActions.Acknowledge);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var reason = request?.Reason;
        if (action != BreakActions.Acknowledge && string.IsNullOrWhiteSpace(reason))
        {
            return ApiErrorResults.Invalid(context, new ValidationFailure("reason", $"A break is closed ({action}) only with a reason."));
        }

        if (reason is { Length: > BreakActions.ReasonLengthMax } || (reason is not null && reason.Any(char.IsControl)))
        {
            return ApiErrorResults.Invalid(context, new ValidationFailure("reason",
                $"reason must be at most {BreakActions.ReasonLengthMax} characters without control characters."));
        }

        if (!Guid.TryParse(id, out var breakId))
        {
            return NotFound(context, id);
        }

        var result = await grains.GetGrain<IReconciliationBreaksGrain>(0).ActAsync(breakId, action, who, reason);
        return result switch
        {
            { Break: null } => NotFound(context, id),
            { Refusal: { } refusal } => ApiErrorResults.Error(context, StatusCodes.Status409Conflict, ErrorCodes.InvalidState, refusal),
            _ => TypedResults.Json(BreakResponse.From(result.Break), ApiJson.Options),
        };
    }

    private static IResult NotFound(HttpContext context, string id) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"Reconciliation break '{id}' was not found.");
}
