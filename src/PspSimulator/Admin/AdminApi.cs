using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Admin;

/// <summary>
/// Fault injection, counters and charge listings for tests and operators, under <c>/admin</c>; notifications
/// (<see cref="WebhookAdminApi"/>), settlement and disputes (<see cref="DisputeAdminApi"/>) too.
/// Not signed: it is the test harness's side door, not a provider API.
/// </summary>
internal static class AdminApi
{
    public const int ChargesListedMax = 1_000;

    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin");
        admin.MapGet("/faults/{provider}", GetFaults);
        admin.MapPut("/faults/{provider}", SetFaults);
        admin.MapDelete("/faults/{provider}", ClearFaults);
        admin.MapGet("/stats/{provider}", GetStats);
        admin.MapGet("/charges/{provider}", GetCharges);
        admin.MapPost("/reset", Reset);
        admin.MapWebhookAdmin();
        admin.MapDisputeAdmin();
        admin.MapSettlementAdmin();
        return admin;
    }

    private static Results<Ok<FaultSettings>, NotFound<AdminError>> GetFaults(string provider, [FromServices] ProviderRegistry registry) =>
        registry.TryGet(provider, out var state) ? TypedResults.Ok(state.Faults.Current) : UnknownProvider(provider);

    private static Results<Ok<FaultSettings>, NotFound<AdminError>, BadRequest<AdminError>> SetFaults(
        string provider, FaultSettings faults, [FromServices] ProviderRegistry registry, [FromServices] ILogger<ProviderRegistry> logger)
    {
        if (!registry.TryGet(provider, out var state))
        {
            return UnknownProvider(provider);
        }

        if (faults.FindProblem() is { } problem)
        {
            return TypedResults.BadRequest(new AdminError("invalid_faults", problem));
        }

        state.Faults.Set(faults);
        SimulatorLog.FaultsSet(logger, state.Name, faults);
        return TypedResults.Ok(state.Faults.Current);
    }

    private static Results<Ok<FaultSettings>, NotFound<AdminError>> ClearFaults(
        string provider, [FromServices] ProviderRegistry registry, [FromServices] ILogger<ProviderRegistry> logger)
    {
        if (!registry.TryGet(provider, out var state))
        {
            return UnknownProvider(provider);
        }

        state.Faults.Reset();
        SimulatorLog.FaultsSet(logger, state.Name, FaultSettings.None);
        return TypedResults.Ok(state.Faults.Current);
    }

    private static Results<Ok<ProviderStatsSnapshot>, NotFound<AdminError>> GetStats(string provider, [FromServices] ProviderRegistry registry) =>
        registry.TryGet(provider, out var state) ? TypedResults.Ok(state.Snapshot()) : UnknownProvider(provider);

    private static Results<Ok<ChargeList>, NotFound<AdminError>> GetCharges(
        string provider, [FromQuery] string? reference, [FromServices] ProviderRegistry registry)
    {
        if (!registry.TryGet(provider, out var state))
        {
            return UnknownProvider(provider);
        }

        var charges = state.Charges.Find(reference, state.Time.GetUtcNow(), ChargesListedMax);
        return TypedResults.Ok(new ChargeList(state.Name, reference, charges));
    }

    private static NoContent Reset([FromServices] ProviderRegistry registry, [FromServices] ILogger<ProviderRegistry> logger)
    {
        foreach (var state in registry.All)
        {
            state.Reset();
        }

        SimulatorLog.Reset(logger);
        return TypedResults.NoContent();
    }

    public static NotFound<AdminError> UnknownProvider(string provider) =>
        TypedResults.NotFound(new AdminError("unknown_provider", $"No provider '{provider}'; known: {string.Join(", ", ProviderNames.All)}."));
}
