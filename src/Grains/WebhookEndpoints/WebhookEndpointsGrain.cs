using Microsoft.Extensions.Options;
using Payments.Actors.Grains.Options;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;
using Payments.Actors.WebhookEndpoints;

namespace Payments.Actors.Grains.WebhookEndpoints;

/// <summary>
/// One merchant's webhook endpoints. The activation serialises creations, rotations and resends, so the limit per
/// merchant holds; every read goes to PostgreSQL, where the dispatchers of every silo record deliveries, breakers and
/// disabled endpoints. Each POST's key is claimed and its answer stored in the unit of its change, so a retry with the
/// key gets the same answer (the created secret included) and a refusal writes nothing.
/// </summary>
public sealed class WebhookEndpointsGrain(
    WebhookEndpointStore store,
    WebhookUrlPolicy urlPolicy,
    TimeProvider timeProvider,
    IOptions<WebhookOutOptions> options,
    IOptions<PaymentsOptions> paymentsOptions)
    : Grain, IWebhookEndpointsGrain
{
    private readonly WebhookOutOptions _options = options.Value;

    private string MerchantId => this.GetPrimaryKeyString();

    public Task<IReadOnlyList<WebhookEndpointSnapshot>> ListAsync() => store.ListAsync(MerchantId);

    public Task<WebhookEndpointSnapshot?> GetAsync(Guid endpointId) => store.GetAsync(MerchantId, endpointId);

    public Task<bool> DeleteAsync(Guid endpointId) => store.DeleteAsync(MerchantId, endpointId);

    public async Task<WebhookDeliveryPage?> ListDeliveriesAsync(Guid endpointId, int limit, Guid? startingAfter) =>
        await store.GetAsync(MerchantId, endpointId) is null ? null : await store.ListDeliveriesAsync(endpointId, limit, startingAfter);

    public async Task<WebhookEndpointResult> CreateAsync(CreateWebhookEndpoint command)
    {
        if (await ReplayAsync(command) is { } replay)
        {
            return replay;
        }

        if (await urlPolicy.CheckAsync(command.Url) is { } refused)
        {
            return WebhookEndpointResult.Rejected(WebhookEndpointResultCode.InvalidUrl, refused);
        }

        if ((await store.ListAsync(MerchantId)).Count >= _options.EndpointsPerMerchantMax)
        {
            return LimitExceeded();
        }

        var now = timeProvider.GetUtcNow();
        var endpoint = new WebhookEndpointSnapshot(UuidV7.New(now), command.Url, [.. command.EnabledEvents.Distinct()], "enabled", command.Description,
            command.Metadata, WebhookSecrets.New(), null, null, now, now);
        var result = new WebhookEndpointResult(WebhookEndpointResultCode.Ok, endpoint, null, null, Replayed: false);
        return await CommitAsync(command, WebhookEndpointStore.InsertEndpoint(MerchantId, endpoint, _options.EndpointsPerMerchantMax), result, now)
            ?? await ReplayAsync(command) ?? LimitExceeded();
    }

    public async Task<WebhookEndpointResult> RotateSecretAsync(RotateWebhookSecret command)
    {
        if (await ReplayAsync(command) is { } replay)
        {
            return replay;
        }

        if (await store.GetAsync(MerchantId, command.EndpointId) is not { } endpoint)
        {
            return NotFound(command.EndpointId);
        }

        var now = timeProvider.GetUtcNow();
        var secret = WebhookSecrets.New();
        var previousExpiresAt = now + command.PreviousExpiresIn;
        var rotated = endpoint with { Secret = secret, PreviousSecretExpiresAt = previousExpiresAt, UpdatedAt = now };
        var result = new WebhookEndpointResult(WebhookEndpointResultCode.Ok, rotated, null, null, Replayed: false);
        return await CommitAsync(command, WebhookEndpointStore.RotateSecret(MerchantId, endpoint.Id, secret, previousExpiresAt, now), result, now)
            ?? await ReplayAsync(command) ?? NotFound(command.EndpointId);
    }

    public async Task<WebhookEndpointResult> ResendAsync(ResendWebhookDelivery command)
    {
        if (await ReplayAsync(command) is { } replay)
        {
            return replay;
        }

        if (await store.GetAsync(MerchantId, command.EndpointId) is null)
        {
            return NotFound(command.EndpointId);
        }

        if (await store.GetDeliveryAsync(command.EndpointId, command.DeliveryId) is not { } delivery)
        {
            return WebhookEndpointResult.Rejected(WebhookEndpointResultCode.DeliveryNotFound, $"Delivery '{command.DeliveryId}' was not found.");
        }

        var now = timeProvider.GetUtcNow();
        var scheduled = delivery with { Status = "pending", NextAttemptAt = now };
        var result = new WebhookEndpointResult(WebhookEndpointResultCode.Ok, null, scheduled, null, Replayed: false);
        return await CommitAsync(command, WebhookEndpointStore.Resend(MerchantId, command.EndpointId, command.DeliveryId, now), result, now)
            ?? await ReplayAsync(command)
            ?? WebhookEndpointResult.Rejected(WebhookEndpointResultCode.DeliveryNotFound, $"Delivery '{command.DeliveryId}' was not found.");
    }

    /// <summary>The change, the key's claim and its stored answer in one unit; null when it did not apply (a conflict).</summary>
    private async Task<WebhookEndpointResult?> CommitAsync(IIdempotentCommand command, SqlStatement change, WebhookEndpointResult result, DateTimeOffset now)
    {
        var unit = new[]
        {
            change,
            IdempotencyKeys.Claim(command.MerchantId, command.IdempotencyKey, command.Fingerprint, command.FieldDigests, WebhookEndpointStore.KeyOperation,
                null, now, paymentsOptions.Value.IdempotencyKeyTtl),
            WebhookEndpointStore.CompleteKey(command.MerchantId, command.IdempotencyKey, result),
        };
        return await store.WriteAsync(unit) == WriteOutcome.Committed ? result : null;
    }

    /// <summary>The stored answer of the same request under this key, or a refusal when the key names another request; null when the key is free.</summary>
    private async Task<WebhookEndpointResult?> ReplayAsync(IIdempotentCommand command)
    {
        Invariant.Assert(command.MerchantId == MerchantId, $"The endpoints of {MerchantId} got a command of {command.MerchantId}.");
        if (await store.FindKeyAsync(command.MerchantId, command.IdempotencyKey) is not { } stored)
        {
            return null;
        }

        return stored.Operation == WebhookEndpointStore.KeyOperation
            && string.Equals(stored.Fingerprint, command.Fingerprint, StringComparison.OrdinalIgnoreCase)
            && stored.Response is { } response && WebhookEndpointStore.ReadResult(response) is { } first
            ? first with { Replayed = true }
            : WebhookEndpointResult.Rejected(WebhookEndpointResultCode.IdempotencyKeyReused,
                $"Idempotency-Key '{command.IdempotencyKey}' was already used for a different request.") with { StoredFieldDigests = stored.FieldDigests };
    }

    private WebhookEndpointResult LimitExceeded() => WebhookEndpointResult.Rejected(WebhookEndpointResultCode.LimitExceeded,
        $"A merchant has at most {_options.EndpointsPerMerchantMax} webhook endpoints; delete one first.");

    private static WebhookEndpointResult NotFound(Guid endpointId) =>
        WebhookEndpointResult.Rejected(WebhookEndpointResultCode.NotFound, $"Webhook endpoint '{endpointId}' was not found.");
}
