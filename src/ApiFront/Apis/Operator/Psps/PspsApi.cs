using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.Psp;

namespace Payments.Actors.ApiFront.Apis.Operator.Psps;

/// <summary>
/// The operator API, <c>/v1/operator/psps</c>: per-PSP kill switches and runtime thresholds (routing
/// priority, timeouts, retries, breaker, bulkhead) with their audit trail, live health with the
/// thresholds in force, and a reset of the breaker and health window. Operator scope only; merchants are refused with 403 by the policy.
/// </summary>
public static class PspsApi
{
    public const int AuditLimitDefault = 50;

    public static RouteGroupBuilder MapPspsApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/operator/psps").WithTags("Operator").RequireAuthorization(Policies.Operator);

        group.MapGet("/", ListAsync)
            .WithName("ListPsps")
            .WithSummary("Every configured PSP: whether it is enabled, and its health (breaker, success rate, p95 latency, bulkhead rejections).")
            .Produces<PspListResponse>();

        group.MapPut("/{psp}", SetAsync)
            .WithName("SetPsp")
            .WithSummary("Switch a PSP on or off and/or change its thresholds at runtime; in force on every silo within seconds, audited per field.")
            .Accepts<SetPspRequest>("application/json")
            .Produces<PspResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        group.MapDelete("/{psp}/overrides", ResetAsync)
            .WithName("ResetPspOverrides")
            .WithSummary("Put every threshold of a PSP back to its configured value (the kill switch is left as it is), audited per field.")
            .Produces<PspResponse>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        group.MapDelete("/{psp}/health", ResetHealthAsync)
            .WithName("ResetPspHealth")
            .WithSummary("Make every silo forget the PSP's breaker state and health window (closed, no recent attempts) within seconds, audited.")
            .Produces<PspResponse>()
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

        var thresholds = request!.Thresholds();
        if (request.Enabled is null && thresholds.Count == 0)
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                $"Name at least one setting to change: enabled, {string.Join(", ", PspSettingNames.Thresholds)}.", field: PspSettingNames.Enabled);
        }

        return await UpdateAsync(context, grains, who => new UpdatePspSettings(psp, request.Enabled, thresholds, ResetThresholds: false, who));
    }

    private static Task<IResult> ResetAsync(HttpContext context, string psp, IGrainFactory grains) =>
        UpdateAsync(context, grains, who => new UpdatePspSettings(psp, null, new Dictionary<string, double>(), ResetThresholds: true, who));

    private static Task<IResult> ResetHealthAsync(HttpContext context, string psp, IGrainFactory grains) =>
        UpdateAsync(context, grains, who => new UpdatePspSettings(psp, null, new Dictionary<string, double>(), ResetThresholds: false, who, ResetHealth: true));

    private static async Task<IResult> UpdateAsync(HttpContext context, IGrainFactory grains, Func<string, UpdatePspSettings> command)
    {
        // The policy guarantees an authenticated token; every token we issue names its client in sub.
        if (OperatorRequests.Who(context) is not { } who)
        {
            return OperatorRequests.NoSubject(context);
        }

        var update = command(who);
        var updated = await grains.GetGrain<IPspControlGrain>(0).UpdateAsync(update);
        if (updated.InvalidField is { } field)
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, updated.Problem!, field: field);
        }

        return updated.Status is { } status ? TypedResults.Json(PspResponse.From(status), ApiJson.Options) : UnknownPsp(context, update.Psp);
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
