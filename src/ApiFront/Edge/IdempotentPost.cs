namespace Payments.Actors.ApiFront.Edge;

/// <summary>
/// One resource's idempotent POST, described as data: which body it reads, what it checks and in which
/// order, what identifies the request, and the one grain call it makes. <see cref="IdempotentPipeline"/>
/// runs every POST of the API from such a description, so the key, cache and replay rules are written once.
/// </summary>
/// <typeparam name="TRequest">The JSON body.</typeparam>
/// <typeparam name="TResult">What the grain answers.</typeparam>
public sealed class IdempotentPost<TRequest, TResult> where TRequest : class
{
    /// <summary>How the grain's answers become responses.</summary>
    public required PostOutcomes<TResult> Outcomes { get; init; }

    /// <summary>201 for a POST that creates a resource (its answer carries a Location), else 200.</summary>
    public int SuccessStatus { get; init; } = StatusCodes.Status200OK;

    /// <summary>The request an empty body stands for; null when a body is required.</summary>
    public Func<TRequest>? WhenEmpty { get; init; }

    /// <summary>A route value refused before the body is read.</summary>
    public Func<IResult?>? CheckRoute { get; init; }

    /// <summary>The body's rules, given the largest amount one request may carry.</summary>
    public Func<TRequest, long, ValidationFailure?>? Validate { get; init; }

    /// <summary>A target that cannot exist (a malformed id), answered after validation without asking a grain or the cache.</summary>
    public Func<IResult?>? FindTarget { get; init; }

    /// <summary>What makes two requests the same request for the Idempotency-Key.</summary>
    public required Func<TRequest, FingerprintFields> Fingerprint { get; init; }

    /// <summary>The grain call, the one side effect of the POST.</summary>
    public required Func<PostCall<TRequest>, Task<TResult>> Call { get; init; }
}

/// <summary>
/// What the fingerprint covers besides method and merchant: the route and every body field (<see cref="Body"/>, see
/// <see cref="Idempotency.RequestFingerprint"/>). The positional members are the parts of the fingerprint of keys stored
/// before body fields were all covered (<see cref="Idempotency.IdempotencyKey.Fingerprint"/>), so their retries still replay.
/// </summary>
public sealed record FingerprintFields(string Path, long? AmountMinor, string? Currency, string? PaymentMethod = null, string? Extra = null)
{
    /// <summary>Every field of the body, by wire name, absent ones with a null value.</summary>
    public required IReadOnlyList<Idempotency.RequestField> Body { get; init; }
}

/// <summary>A request that passed every check, as the grain call sees it.</summary>
/// <param name="FieldDigests">The request's field digests, stored with the key (see <see cref="Idempotency.RequestFingerprint"/>).</param>
public sealed record PostCall<TRequest>(string MerchantId, string Key, string Fingerprint, string? FieldDigests, TRequest Request);

/// <summary>A grain's answer to render: finished (cached, replayed as is) or still pending (never cached).</summary>
/// <param name="Location">Where a created resource lives; sent only with a 201.</param>
public sealed record PostAnswer(byte[] Body, bool Pending, bool Replayed, string? Location = null);

/// <summary>What one resource's grain answers mean at the edge.</summary>
public abstract class PostOutcomes<TResult>
{
    /// <summary>The body to send, or null when the grain refused the operation (<see cref="Refuse"/> says how).</summary>
    public abstract PostAnswer? Answer(TResult result);

    /// <summary>A refusal in the error model.</summary>
    public abstract IResult Refuse(HttpContext context, TResult result);

    /// <summary>Whether the grain refused because the key names a different request.</summary>
    public abstract bool IsKeyReused(TResult result);

    /// <summary>The field digests the key was first used with, from a <see cref="IsKeyReused"/> refusal; null when unknown.</summary>
    public virtual string? StoredFieldDigestsOf(TResult result) => null;

    /// <summary>The Location of a created resource, read back from a cached 201 body.</summary>
    public virtual string? LocationOf(byte[] body) => null;
}
