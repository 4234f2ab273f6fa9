using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.ApiFront.Edge.Idempotency;

namespace Payments.Actors.ApiFront.Edge;

/// <summary>
/// The one idempotent-POST pipeline of the API. In order: the merchant from the token
/// and the Idempotency-Key, the route, the body, its validation, the target, the fingerprint; then the Redis
/// fast path (a replay iff the fingerprint of the whole request matches), else the grain, which is authoritative; then what
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
        var fingerprint = RequestFingerprint.Of(merchantId, fields.Path, fields.Body);
        var created = post.SuccessStatus == StatusCodes.Status201Created;
        if (await cache.GetAsync(merchantId, key) is { } cached)
        {
            // An entry without field digests was cached before every field was covered: it holds the legacy fingerprint.
            var same = cached.FieldDigests is null ? cached.Fingerprint == LegacyFingerprint(merchantId, fields) : cached.Fingerprint == fingerprint.Hash;
            return same
                ? new RawJsonResult(cached.StatusCode, cached.Body, replayed: true, created ? post.Outcomes.LocationOf(cached.Body) : null)
                : KeyReused(context, key, RequestFingerprint.DifferingFields(cached.FieldDigests, fingerprint.FieldDigests));
        }

        var (result, stored) = (await post.Call(new PostCall<TRequest>(merchantId, key, fingerprint.Hash, fingerprint.FieldDigests, request)), fingerprint);
        if (post.Outcomes.IsKeyReused(result))
        {
            // A key stored before every field was covered holds the legacy fingerprint (and no field digests): its
            // retries replay as they did then, until the key expires. The key is bound, so this call replays or refuses;
            // only a claim freed in between (its operation failed unsent) lets it run, as any retry on a free key would.
            var legacy = new RequestFingerprint(LegacyFingerprint(merchantId, fields), FieldDigests: null);
            var retried = await post.Call(new PostCall<TRequest>(merchantId, key, legacy.Hash, legacy.FieldDigests, request));
            if (post.Outcomes.IsKeyReused(retried))
            {
                return KeyReused(context, key, RequestFingerprint.DifferingFields(post.Outcomes.StoredFieldDigestsOf(result), fingerprint.FieldDigests));
            }

            (result, stored) = (retried, legacy);
        }

        if (post.Outcomes.Answer(result) is not { } answer)
        {
            return post.Outcomes.Refuse(context, result);
        }

        if (answer.Pending)
        {
            // Not cached: a replay while pending shows the resource as it is then.
            return new RawJsonResult(StatusCodes.Status202Accepted, answer.Body, answer.Replayed);
        }

        await cache.SetAsync(merchantId, key, new CachedResponse(stored.Hash, post.SuccessStatus, answer.Body, stored.FieldDigests));
        return new RawJsonResult(post.SuccessStatus, answer.Body, answer.Replayed, created ? answer.Location : null);
    }

    private static string LegacyFingerprint(string merchantId, FingerprintFields fields) =>
        IdempotencyKey.Fingerprint("POST", fields.Path, merchantId, fields.AmountMinor, fields.Currency, fields.PaymentMethod, fields.Extra);

    /// <summary>Merchant from the token, then a well-formed Idempotency-Key: both required on every POST, and checked first.</summary>
    private static IResult? Precheck(HttpContext context, out string merchantId, out string key)
    {
        key = string.Empty;
        return Merchants.MerchantOf(context, out merchantId) ?? IdempotencyKey.Read(context, out key);
    }

    /// <summary>
    /// 422 naming the fields that differ from the key's first use, by wire name only (never a value); a key stored
    /// before field digests existed names none.
    /// </summary>
    private static IResult KeyReused(HttpContext context, string key, IReadOnlyList<string>? fields) =>
        ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused,
            fields is { Count: > 0 }
                ? $"Idempotency-Key '{key}' was already used with a different request: {string.Join(", ", fields)} {(fields.Count == 1 ? "differs" : "differ")} from its first use."
                : $"Idempotency-Key '{key}' was already used with a different request: the request differs from the first use of this key.",
            fields: fields is { Count: > 0 } ? fields : null);
}
