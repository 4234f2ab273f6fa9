using System.Security.Claims;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Errors;
using Payments.Actors.Psp;

namespace Payments.Actors.ApiFront.Apis;

/// <summary>
/// The operator API, <c>/v1/operator/psps</c>: per-PSP kill switches with their audit trail, and
/// live health. Operator scope only; merchants are refused with 403 by the policy.
/// </summary>
public static class OperatorApi
{
    public const int AuditLimitDefault = 50;

    public static RouteGroupBuilder MapOperatorApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/operator/psps").WithTags("Operator").RequireAuthorization(Policies.Operator);

        group.MapGet("/", ListAsync)
            .WithName("ListPsps")
            .WithSummary("Every configured PSP: whether it is enabled, and its health (breaker, success rate, p95 latency, bulkhead rejections).")
            .Produces<PspListResponse>();

        group.MapPut("/{psp}", SetAsync)
            .WithName("SetPsp")
            .WithSummary("Switch a PSP on or off at runtime; in force on every silo within seconds, audited.")
            .Accepts<SetPspRequest>("application/json")
            .Produces<PspResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        group.MapGet("/{psp}/audit", AuditAsync)
            .WithName("PspAudit")
            .WithSummary("The PSP's settings audit trail, newest first.")
            .Produces<PspAuditResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        return group;
    }

    private static async Task<IResult> ListAsync(IGrainFactory grains)
    {
        var psps = await grains.GetGrain<IPspControlGrain>(0).ListAsync();
        return TypedResults.Json(new PspListResponse("list", [.. psps.Select(PspResponse.From)]), ApiJson.Options);
    }

    private static async Task<IResult> SetAsync(HttpContext context, string psp, IGrainFactory grains)
    {
        var (request, bodyError) = await RequestBody.ReadAsync<SetPspRequest>(context, allowEmpty: false);
        if (bodyError is not null)
        {
            return bodyError;
        }

        if (request!.Enabled is not { } enabled)
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                "enabled is required and must be true or false.", field: "enabled");
        }

        // The policy guarantees an authenticated token; every token we issue names its client in sub.
        var who = context.User.FindFirstValue(AuthClaims.Subject);
        if (string.IsNullOrEmpty(who))
        {
            return ApiErrorResults.Error(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "The access token names no subject to audit.");
        }

        var status = await grains.GetGrain<IPspControlGrain>(0).SetEnabledAsync(new SetPspEnabled(psp, enabled, who));
        return status is null ? UnknownPsp(context, psp) : TypedResults.Json(PspResponse.From(status), ApiJson.Options);
    }

    private static async Task<IResult> AuditAsync(HttpContext context, string psp, IGrainFactory grains, int? limit)
    {
        var count = limit ?? AuditLimitDefault;
        if (count is < 1 or > PspControlLimits.AuditEntriesMax)
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                $"limit must be between 1 and {PspControlLimits.AuditEntriesMax}.", field: "limit");
        }

        var entries = await grains.GetGrain<IPspControlGrain>(0).AuditAsync(psp, count);
        return entries is null
            ? UnknownPsp(context, psp)
            : TypedResults.Json(new PspAuditResponse("list", [.. entries.Select(PspAuditEntryResponse.From)]), ApiJson.Options);
    }

    private static IResult UnknownPsp(HttpContext context, string psp) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No PSP named '{psp}' is configured.");
}

public sealed record SetPspRequest(bool? Enabled);

public sealed record PspListResponse(string Object, IReadOnlyList<PspResponse> Data);

public sealed record PspResponse(string Psp, bool Enabled, DateTimeOffset? UpdatedAt, string? UpdatedBy, PspHealthResponse Health)
{
    public static PspResponse From(PspStatus status) =>
        new(status.Psp, status.Enabled, status.UpdatedAt, status.UpdatedBy, PspHealthResponse.From(status.Health));
}

public sealed record PspHealthResponse(string BreakerState, double SuccessRate, double LatencyP95Ms, int RecentAttempts,
    long Requests, long Failures, long Retries, long BulkheadRejections, long BreakerRejections)
{
    public static PspHealthResponse From(PspHealth health) =>
        new(health.BreakerState, health.SuccessRate, health.LatencyP95Ms, health.RecentAttempts,
            health.Requests, health.Failures, health.Retries, health.BulkheadRejections, health.BreakerRejections);
}

public sealed record PspAuditResponse(string Object, IReadOnlyList<PspAuditEntryResponse> Data);

public sealed record PspAuditEntryResponse(long Id, string Psp, string Field, string? OldValue, string NewValue, string ChangedBy, DateTimeOffset ChangedAt)
{
    public static PspAuditEntryResponse From(PspAuditEntry entry) =>
        new(entry.Id, entry.Psp, entry.Field, entry.OldValue, entry.NewValue, entry.ChangedBy, entry.ChangedAt);
}
