namespace Payments.Actors.Events;

/// <summary>
/// Version 1 of the payload of <see cref="PspNotificationEventTypes.Unparseable"/>, serialised with <see cref="EventJson"/>:
/// a notification whose signature was good but whose body we could not read. The raw body stays in the blob store
/// (<see cref="BlobKey"/>); <see cref="ProviderEventId"/> is <c>sha256:&lt;hex of the body&gt;</c>.
/// </summary>
public sealed record UnparseablePspNotificationV1(
    Guid NotificationId,
    string Provider,
    string ProviderEventId,
    string ParseError,
    string BlobKey,
    string BodySha256,
    DateTimeOffset ReceivedAt);
