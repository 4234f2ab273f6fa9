using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.Payments;

namespace Payments.Actors.ApiFront.Apis.Disputes;

/// <summary>
/// The disputes API, <c>/v1/disputes</c>: the merchant's chargebacks, newest first. Disputes are opened and closed by
/// the PSPs' notifications, never through this API; the merchant reads them here and hears of them as <c>dispute.*</c> events.
/// </summary>
public static class DisputesApi
{
    public static RouteGroupBuilder MapDisputesApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/disputes").WithTags("Disputes");

        group.MapGet("/", ListAsync)
            .RequireAuthorization(Policies.PaymentsRead)
            .WithName("ListDisputes")
            .WithSummary("List the merchant's disputes, newest first; page with starting_after (older) or ending_before (newer), a dispute id; filter by payment_id, status and created.")
            .Produces<DisputeListResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);

        group.MapGet("/{id}", GetAsync)
            .RequireAuthorization(Policies.PaymentsRead)
            .WithName("GetDispute")
            .WithSummary("Get one dispute.")
            .Produces<DisputeResponse>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        return group;
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, IGrainFactory grains)
    {
        if (Merchants.MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        var dispute = ListPaging.TryParseId(id, out var disputeId) ? await grains.GetGrain<IDisputeQueryGrain>(0).GetAsync(merchantId, disputeId) : null;
        return dispute is null
            ? ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.DisputeNotFound, $"Dispute '{id}' was not found.")
            : Json(DisputeResponse.From(dispute));
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options,
        int? limit, [FromQuery(Name = "starting_after")] string? startingAfter, [FromQuery(Name = "ending_before")] string? endingBefore,
        [FromQuery(Name = "payment_id")] string? paymentId, string? status,
        [FromQuery(Name = "created[gte]")] DateTimeOffset? createdGte, [FromQuery(Name = "created[lt]")] DateTimeOffset? createdLt)
    {
        if (Merchants.MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        if (ListPaging.Bind(context, options.Value, limit, startingAfter, endingBefore, out var paging) is { } invalid)
        {
            return invalid;
        }

        Guid payment = default;
        if (paymentId is not null && !ListPaging.TryParseId(paymentId, out payment))
        {
            return ApiErrorResults.Invalid(context, new ValidationFailure("payment_id", $"'{paymentId}' is not a payment id."));
        }

        if (status is not null && !DisputeStatuses.All.Contains(status))
        {
            return ApiErrorResults.Invalid(context, new ValidationFailure("status", $"status must be one of {string.Join(", ", DisputeStatuses.All)}."));
        }

        Guid cursor = default;
        if (paging.Cursor is { } value && !ListPaging.TryParseId(value, out cursor))
        {
            return paging.InvalidCursor(context, "is not a dispute id");
        }

        Guid? bound = paging.Cursor is null ? null : cursor;
        var page = await grains.GetGrain<IDisputeQueryGrain>(0).ListAsync(new DisputeListQuery(merchantId, paging.Limit,
            paging.Backwards ? null : bound, paging.Backwards ? bound : null, paymentId is null ? null : payment, status, createdGte, createdLt));
        var edge = page.Items.Count == 0 ? null : paging.Backwards ? page.Items[0] : page.Items[^1];
        return Json(new DisputeListResponse("list", [.. page.Items.Select(DisputeResponse.From)], page.HasMore, page.HasMore ? edge?.Id.ToString() : null));
    }

    private static RawJsonResult Json<T>(T body) =>
        new(StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options), replayed: false);
}
