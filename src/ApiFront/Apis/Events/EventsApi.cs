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

        var record = TryParseId(id, out var eventId) ? await grains.GetGrain<IMerchantEventQueryGrain>(0).GetAsync(merchantId, eventId) : null;
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

        var settings = options.Value;
        var pageSize = limit ?? settings.ListLimitDefault;
        if (pageSize < 1 || pageSize > settings.ListLimitMax)
        {
            return ApiErrorResults.Invalid(context, new ValidationFailure("limit", $"limit must be between 1 and {settings.ListLimitMax}."));
        }

        if (type is not null && !MerchantEventTypes.IsPattern(type))
        {
            return ApiErrorResults.Invalid(context, new ValidationFailure("type",
                $"'{type}' is not an event type, a family of them (such as payment.*) or *."));
        }

        if (startingAfter is not null && endingBefore is not null)
        {
            return ApiErrorResults.Invalid(context, new ValidationFailure("ending_before", "Send starting_after or ending_before, not both."));
        }

        var (name, value) = endingBefore is null ? ("starting_after", startingAfter) : ("ending_before", endingBefore);
        Guid cursor = default;
        if (value is not null && !TryParseId(value, out cursor))
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidCursor, $"{name} is not an event id.", field: name);
        }

        var page = await grains.GetGrain<IMerchantEventQueryGrain>(0).ListAsync(new MerchantEventListQuery(merchantId, pageSize,
            value is not null && endingBefore is null ? cursor : null, endingBefore is null ? null : cursor, type, createdGte, createdLt));
        var edge = page.Items.Count == 0 ? null : endingBefore is null ? page.Items[^1] : page.Items[0];
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

    /// <summary>Event ids are UUIDv7 (they name their partition); any other id cannot be an event.</summary>
    private static bool TryParseId(string id, out Guid eventId) => Guid.TryParse(id, out eventId) && eventId.Version == 7;
}
