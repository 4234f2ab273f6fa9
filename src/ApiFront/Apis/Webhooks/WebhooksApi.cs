using System.Diagnostics;
using System.Security.Cryptography;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.ApiFront.Observability;
using Payments.Actors.Webhooks;

namespace Payments.Actors.ApiFront.Apis.Webhooks;

/// <summary>Marks the webhook endpoint for the OpenAPI document: signed by the PSP, not OAuth2, no Idempotency-Key.</summary>
public sealed class WebhookEndpointMetadata;

/// <summary>
/// <c>POST /v1/webhooks/psp/{provider}</c> (docs/psp-webhooks.md, "Ingest rules"). No bearer token: the provider signs.
/// The checks run cheapest first (known provider, source address, size, signature and timestamp), then the ingest
/// grain stores the raw body and the notification, and only after that commit does the provider get 200. Nothing
/// refused here reaches a grain except its audit record.
/// </summary>
public static partial class WebhooksApi
{
    public const string Tag = "webhooks";

    public static RouteHandlerBuilder MapWebhooksApiV1(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/webhooks/psp/{provider}", ReceiveAsync)
            .AllowAnonymous()
            .WithTags(Tag)
            .WithName("ReceivePspWebhook")
            .WithSummary("A PSP's notification (psp-a, psp-b, bank), signed with the provider's secret; answered 200 only once stored.")
            .WithDescription("Not for merchants. The provider's source address must be allowed, the body at most 64 KiB, the signature " +
                "valid for one of the provider's secrets and its timestamp within 300 s. A notification already held answers 200 with " +
                "duplicate: true and changes nothing; 503 means nothing was stored: retry.")
            .WithMetadata(new WebhookEndpointMetadata())
            .Accepts<object>("application/json")
            .Produces<WebhookReceivedResponse>()
            .Produces<ApiError>(StatusCodes.Status401Unauthorized)
            .Produces<ApiError>(StatusCodes.Status403Forbidden)
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> ReceiveAsync(HttpContext context, string provider, IGrainFactory grains, WebhookEdge edge,
        WebhookMetrics metrics, TimeProvider time, ILogger<WebhookEdge> logger)
    {
        if (edge.Find(provider) is not { } source)
        {
            metrics.Rejected(provider, WebhookRejectionReasons.ProviderUnknown);
            return ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.WebhookProviderUnknown,
                $"No webhook provider '{WebhookLog.Printable(provider)}' is configured here; known providers are {string.Join(", ", WebhookProviders.All)}.");
        }

        var remote = context.Connection.RemoteIpAddress;
        if (!source.Allows(remote))
        {
            metrics.Rejected(provider, WebhookRejectionReasons.SourceForbidden);
            WebhookLog.SourceForbidden(logger, provider, remote?.ToString());
            return ApiErrorResults.Error(context, StatusCodes.Status403Forbidden, ErrorCodes.WebhookSourceForbidden,
                $"This address may not post {provider} notifications.");
        }

        var body = await WebhookBody.ReadAsync(context, WebhookOptions.BodyBytesMax);
        if (body.TooLarge)
        {
            await RejectAsync(context, grains, metrics, logger, provider, WebhookRejectionReasons.BodyTooLarge, body, "body too large");
            return ApiErrorResults.Error(context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.WebhookBodyTooLarge,
                $"Webhook bodies are limited to {WebhookOptions.BodyBytesMax} bytes.");
        }

        var check = source.Scheme.Verify(context.Request.Headers, body.Bytes, source.Secrets, time.GetUtcNow(), edge.Tolerance);
        if (check.Verdict != WebhookSignatureVerdict.Valid)
        {
            var stale = check.Verdict == WebhookSignatureVerdict.TimestampOutOfTolerance;
            await RejectAsync(context, grains, metrics, logger, provider,
                stale ? WebhookRejectionReasons.TimestampOutOfTolerance : WebhookRejectionReasons.SignatureInvalid, body, check.Problem);
            return stale
                ? ApiErrorResults.Error(context, StatusCodes.Status401Unauthorized, ErrorCodes.WebhookTimestampOutOfTolerance,
                    $"The signed timestamp is more than {edge.Tolerance.TotalSeconds:0} s from our clock.")
                : ApiErrorResults.Error(context, StatusCodes.Status401Unauthorized, ErrorCodes.WebhookSignatureInvalid,
                    "The signature is missing, malformed or does not match.");
        }

        return await StoreAsync(context, grains, metrics, logger, provider, body.Bytes!);
    }

    private static async Task<IResult> StoreAsync(HttpContext context, IGrainFactory grains, WebhookMetrics metrics, ILogger logger,
        string provider, byte[] body)
    {
        var started = Stopwatch.GetTimestamp();
        WebhookIngestResult result;
        try
        {
            result = await grains.GetGrain<IWebhookIngestGrain>(provider).IngestAsync(new WebhookDelivery(provider, body));
        }
        catch (Exception exception)
        {
            // The grain could not be reached or did not answer: whether it stored is unknown, and a retry is safe either way.
            WebhookLog.IngestCallFailed(logger, exception, provider);
            result = new WebhookIngestResult(WebhookIngestOutcome.StoreUnavailable, null, null);
        }

        var outcome = result switch
        {
            { Outcome: WebhookIngestOutcome.StoreUnavailable } => WebhookMetrics.StoreUnavailable,
            { Outcome: WebhookIngestOutcome.Duplicate } => WebhookMetrics.Duplicate,
            { ParseError: not null } => WebhookMetrics.Unparseable,
            _ => WebhookMetrics.Stored,
        };
        metrics.Received(provider, outcome, Stopwatch.GetElapsedTime(started));
        if (result is not { Outcome: not WebhookIngestOutcome.StoreUnavailable, NotificationId: { } id })
        {
            return ApiErrorResults.Error(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.WebhookStoreUnavailable,
                "The notification could not be stored; nothing was recorded. Deliver it again later.", retryable: true);
        }

        return TypedResults.Json(new WebhookReceivedResponse(true, id, result.Outcome == WebhookIngestOutcome.Duplicate), ApiJson.Options);
    }

    /// <summary>Counts, logs and audits a refused delivery; a failed audit write never changes the answer.</summary>
    private static async Task RejectAsync(HttpContext context, IGrainFactory grains, WebhookMetrics metrics, ILogger logger, string provider,
        string reason, WebhookBody body, string? problem)
    {
        metrics.Rejected(provider, reason);
        var remote = context.Connection.RemoteIpAddress;
        WebhookLog.Rejected(logger, provider, reason, problem, remote?.ToString(), body.BytesSeen);
        var rejection = new WebhookRejection(provider, reason, remote?.ToString(),
            body.Bytes is { } bytes ? Convert.ToHexStringLower(SHA256.HashData(bytes)) : null, body.BytesSeen, WebhookAuditHeaders.Of(context.Request.Headers));
        try
        {
            await grains.GetGrain<IWebhookIngestGrain>(provider).RecordRejectionAsync(rejection);
        }
        catch (Exception exception)
        {
            WebhookLog.AuditFailed(logger, exception, provider, reason);
        }
    }
}

/// <summary>What a provider gets back for a stored (or already held) notification.</summary>
public sealed record WebhookReceivedResponse(bool Received, Guid Id, bool Duplicate);

internal static partial class WebhookLog
{
    /// <summary>At most 64 printable characters of a caller's value, for a message.</summary>
    public static string Printable(string value) => new([.. value.Where(c => !char.IsControl(c)).Take(64)]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for {Provider} from {RemoteAddress} refused: the address is not in the provider's allowed networks")]
    public static partial void SourceForbidden(ILogger logger, string provider, string? remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for {Provider} from {RemoteAddress} refused ({Reason}: {Problem}); {Bytes} body bytes, audited in webhooks_rejected")]
    public static partial void Rejected(ILogger logger, string provider, string reason, string? problem, string? remoteAddress, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook for {Provider}: the ingest grain could not be called; answered 503")]
    public static partial void IngestCallFailed(ILogger logger, Exception exception, string provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook for {Provider}: the audit record of a {Reason} refusal could not be written")]
    public static partial void AuditFailed(ILogger logger, Exception exception, string provider, string reason);
}
