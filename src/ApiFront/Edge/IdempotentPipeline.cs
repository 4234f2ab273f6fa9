using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.ApiFront.Edge.Idempotency;

namespace Payments.Actors.ApiFront.Edge;

/// <summary>
/// The one idempotent-POST pipeline of the API. In order: the merchant from the token
/// and the Idempotency-Key, the route, the body, its validation, the target, the fingerprint; then the Redis
/// fast path (a replay iff the fingerprint matches), else the grain, which is authoritative; then what
/// finished is cached. Every check comes before any side effect, so a refused request changes nothing.
/// </summary>
public sealed class IdempotentPipeline(IdempotencyCache cache, IOptions<ApiOptions> options)
{
    public async Task<IResult> RunAsync<TRequest, TResult>(HttpContext context, IdempotentPost<TRequest, TResult> post) where TRequest : class
    {
        if ((Precheck(context, out var merchantId, out var key) ?? post.CheckRoute?.Invoke()) is { } refused)
        {
            return refused;
        }

        var (body, bodyError) = await RequestBody.ReadAsync<TRequest>(context, allowEmpty: post.WhenEmpty is not null);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var request = body ?? post.WhenEmpty!();
        if (post.Validate?.Invoke(request, options.Value.AmountMinorMax) is { } failure)
        {
            return ApiErrorResults.Invalid(context, failure);
        }

        if (post.FindTarget?.Invoke() is { } missing)
        {
            return missing;
        }

        var fields = post.Fingerprint(request);
        var fingerprint = IdempotencyKey.Fingerprint("POST", fields.Path, merchantId, fields.AmountMinor, fields.Currency, fields.PaymentMethod, fields.Extra);
        var created = post.SuccessStatus == StatusCodes.Status201Created;
        if (await cache.GetAsync(merchantId, key) is { } cached)
        {
            return cached.Fingerprint == fingerprint
                ? new RawJsonResult(cached.StatusCode, cached.Body, replayed: true, created ? post.Outcomes.LocationOf(cached.Body) : null)
                : KeyReused(context, key);
        }

        var result = await post.Call(new PostCall<TRequest>(merchantId, key, fingerprint, request));
        if (post.Outcomes.Answer(result) is not { } answer)
        {
            return post.Outcomes.Refuse(context, result);
        }

        if (answer.Pending)
        {
            // Not cached: a replay while pending shows the resource as it is then.
            return new RawJsonResult(StatusCodes.Status202Accepted, answer.Body, answer.Replayed);
        }

        await cache.SetAsync(merchantId, key, new CachedResponse(fingerprint, post.SuccessStatus, answer.Body));
        return new RawJsonResult(post.SuccessStatus, answer.Body, answer.Replayed, created ? answer.Location : null);
    }

    /// <summary>Merchant from the token, then a well-formed Idempotency-Key: both required on every POST, and checked first.</summary>
    private static IResult? Precheck(HttpContext context, out string merchantId, out string key)
    {
        key = string.Empty;
        return Merchants.MerchantOf(context, out merchantId) ?? IdempotencyKey.Read(context, out key);
    }

    private static IResult KeyReused(HttpContext context, string key) =>
        ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused,
            $"Idempotency-Key '{key}' was already used with a different request (method, path, amount, currency or card differ).");
}
