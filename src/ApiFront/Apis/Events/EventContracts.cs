namespace Payments.Actors.ApiFront.Apis.Events;

/// <summary>
/// A merchant event, as <c>GET /v1/events/{id}</c> answers and every webhook delivery sends it. <c>data.object</c> is
/// the payment, wallet operation or wallet hold as the API showed it right after the change.
/// </summary>
public sealed record EventResponse(Guid Id, string Object, string Type, string ApiVersion, DateTimeOffset Created, EventData Data);

/// <summary>The object the event is about: a <c>payment</c>, <c>wallet_operation</c> or <c>wallet_hold</c> (its <c>object</c> member says which).</summary>
public sealed record EventData(object Object);

public sealed record EventListResponse(string Object, IReadOnlyList<EventResponse> Data, bool HasMore, string? NextCursor);
