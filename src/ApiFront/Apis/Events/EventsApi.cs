using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.Events;

namespace Payments.Actors.ApiFront.Apis.Events;

/// <summary>
/// The merchant events API, <c>/v1/events</c>: every payment and wallet change of the caller, newest first, for
/// the retention of the maintenance service (30 days). Events are stored
/// rendered, so they are sent as stored: the same bytes as the webhook deliveries of the same event.
/// </summary>
public static class EventsApi
{
    public static RouteGroupBuilder MapEventsApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/events").WithTags("Events");

        group.MapGet("/", ListAsync)
            .RequireAuthorization(Policies.PaymentsRead)
            .WithName("ListEvents")
            .WithSummary("List the merchant's events of the last 30 days, newest first; page with starting_after (older) or ending_before (newer), an event id; filter by type (exact, family.* or *) and created.")
            .Produces<EventListResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);

        group.MapGet("/{id}", GetAsync)
            .RequireAuthorization(Policies.PaymentsRead)
            .WithName("GetEvent")
            .WithSummary("Get one event.")
            .Produces<EventResponse>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        return group;
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, IGrainFactory grains)
    {
        if (Merchants.MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        var record = ListPaging.TryParseId(id, out var eventId) ? await grains.GetGrain<IMerchantEventQueryGrain>(0).GetAsync(merchantId, eventId) : null;
        return record is null
            ? ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.EventNotFound, $"Event '{id}' was not found.")
            : new RawJsonResult(StatusCodes.Status200OK, System.Text.Encoding.UTF8.GetBytes(record.Body), replayed: false);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options,
        int? limit, [FromQuery(Name = "starting_after")] string? startingAfter, [FromQuery(Name = "ending_before")] string? endingBefore, string? type,
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

        if (type is not null && !MerchantEventTypes.IsPattern(type))
        {
            return ApiErrorResults.Invalid(context, new ValidationFailure("type",
                $"'{type}' is not an event type, a family of them (such as payment.*) or *."));
        }

        Guid cursor = default;
        if (paging.Cursor is { } value && !ListPaging.TryParseId(value, out cursor))
        {
            return paging.InvalidCursor(context, "is not an event id");
        }

        Guid? bound = paging.Cursor is null ? null : cursor;
        var page = await grains.GetGrain<IMerchantEventQueryGrain>(0).ListAsync(new MerchantEventListQuery(merchantId, paging.Limit,
            paging.Backwards ? null : bound, paging.Backwards ? bound : null, type, createdGte, createdLt));
        var edge = page.Items.Count == 0 ? null : paging.Backwards ? page.Items[0] : page.Items[^1];
        return new RawJsonResult(StatusCodes.Status200OK, ListBody(page, page.HasMore ? edge?.Id.ToString() : null), replayed: false);
    }

    /// <summary>The list object around the stored events, each written as stored.</summary>
    private static byte[] ListBody(MerchantEventPage page, string? nextCursor)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ApiJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var item in page.Items)
            {
                writer.WriteRawValue(item.Body, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("has_more", page.HasMore);
            writer.WriteString("next_cursor", nextCursor);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
