namespace Payments.Actors.Webhooks;

/// <summary>
/// Webhook ingest behind the edge (<c>POST /v1/webhooks/psp/{provider}</c>), which has already checked the source,
/// size, signature and timestamp. A stateless worker keyed by provider: store the raw body, then the normalised row
/// and its outbox event in one transaction, and only then answer (docs/psp-webhooks.md, "Store then acknowledge").
/// </summary>
[Alias("pa.IWebhookIngestGrain")]
public interface IWebhookIngestGrain : IGrainWithStringKey
{
    /// <summary>Stores a verified notification. Never throws for a store failure: that is <see cref="WebhookIngestOutcome.StoreUnavailable"/>.</summary>
    Task<WebhookIngestResult> IngestAsync(WebhookDelivery delivery);

    /// <summary>Records a refused delivery in <c>webhooks_rejected</c> for audit (never its body).</summary>
    Task RecordRejectionAsync(WebhookRejection rejection);
}

/// <summary>A delivery whose source, size, signature and timestamp the edge verified: the raw body, byte for byte.</summary>
[GenerateSerializer, Immutable, Alias("pa.WebhookDelivery")]
public sealed record WebhookDelivery(
    [property: Id(0)] string Provider,
    [property: Id(1)] byte[] Body);

[GenerateSerializer]
public enum WebhookIngestOutcome
{
    /// <summary>New: the raw body, the <c>webhooks_in</c> row and its outbox event are durable.</summary>
    Stored = 0,

    /// <summary>We already hold this <c>(provider, provider_event_id)</c>: nothing was written.</summary>
    Duplicate = 1,

    /// <summary>The blob store or PostgreSQL failed: nothing of the row was written; the provider must retry (503).</summary>
    StoreUnavailable = 2,
}

/// <summary>
/// What ingest did. <see cref="NotificationId"/> is our id of the notification (the first one's, for a duplicate);
/// <see cref="ParseError"/> says why a stored body could not be read (it is stored and acknowledged all the same).
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.WebhookIngestResult")]
public sealed record WebhookIngestResult(
    [property: Id(0)] WebhookIngestOutcome Outcome,
    [property: Id(1)] Guid? NotificationId,
    [property: Id(2)] string? ParseError);

/// <summary>
/// A refused delivery for the audit table: who sent it, why it was refused, and the body's SHA-256 and size (null hash
/// when the body was not read to its end). Headers are those the edge keeps (<c>WebhookAuditHeaders</c>): no credentials.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.WebhookRejection")]
public sealed record WebhookRejection(
    [property: Id(0)] string Provider,
    [property: Id(1)] string Reason,
    [property: Id(2)] string? RemoteAddress,
    [property: Id(3)] string? BodySha256,
    [property: Id(4)] long BodyBytes,
    [property: Id(5)] IReadOnlyDictionary<string, string> Headers);

/// <summary>Why a delivery was refused: the <c>reason</c> of <c>webhooks_rejected</c> and of the rejection metric.</summary>
public static class WebhookRejectionReasons
{
    public const string SignatureInvalid = "signature_invalid";
    public const string TimestampOutOfTolerance = "timestamp_out_of_tolerance";
    public const string BodyTooLarge = "body_too_large";
    public const string SourceForbidden = "source_forbidden";
    public const string ProviderUnknown = "provider_unknown";
}
