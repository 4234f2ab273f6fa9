using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Payments.Actors.PspSimulator.Settlement;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Admin;

/// <summary>Settlement files and their faults under <c>/admin/settlement-files</c> and <c>/admin/settlement-faults</c>; card providers only.</summary>
internal static class SettlementAdminApi
{
    public static void MapSettlementAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/settlement-files/{provider}", WriteFile);
        admin.MapGet("/settlement-files/{provider}", ListFiles);
        admin.MapPost("/settlement-files/{provider}/release", Release);
        admin.MapGet("/settlement-faults/{provider}", GetFaults);
        admin.MapPut("/settlement-faults/{provider}", SetFaults);
        admin.MapDelete("/settlement-faults/{provider}", ClearFaults);
    }

    private static Results<Created<SettlementFileResult>, Ok<SettlementFileResult>, Accepted<SettlementFileResult>, NotFound<AdminError>, BadRequest<AdminError>> WriteFile(
        string provider, [FromQuery] string? date, [FromServices] ProviderRegistry registry, [FromServices] SettlementFiles files)
    {
        if (!TryGetCardProvider(registry, provider, out var state))
        {
            return NotCardProvider(provider);
        }

        DateOnly valueDate;
        if (date is null)
        {
            valueDate = DateOnly.FromDateTime(state.Time.GetUtcNow().UtcDateTime);
        }
        else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out valueDate))
        {
            return TypedResults.BadRequest(new AdminError("invalid_date", $"date must be yyyy-MM-dd (got '{date}')."));
        }

        var result = files.Write(state.Name, valueDate, SettlementWriter.Lines(state.Name, valueDate, state.Settlement.On(valueDate)));
        if (result.Late)
        {
            return TypedResults.Accepted((string?)null, result);
        }

        return result.Written ? TypedResults.Created((string?)null, result) : TypedResults.Ok(result);
    }

    private static Results<Ok<SettlementFileList>, NotFound<AdminError>> ListFiles(
        string provider, [FromServices] ProviderRegistry registry, [FromServices] SettlementFiles files) =>
        TryGetCardProvider(registry, provider, out var state)
            ? TypedResults.Ok(new SettlementFileList(state.Name, files.Directory, files.List(state.Name)))
            : NotCardProvider(provider);

    private static Results<Ok<SettlementReleaseResult>, NotFound<AdminError>> Release(
        string provider, [FromServices] ProviderRegistry registry, [FromServices] SettlementFiles files) =>
        TryGetCardProvider(registry, provider, out var state)
            ? TypedResults.Ok(new SettlementReleaseResult(state.Name, files.Release(state.Name)))
            : NotCardProvider(provider);

    private static Results<Ok<SettlementFaultSettings>, NotFound<AdminError>> GetFaults(
        string provider, [FromServices] ProviderRegistry registry, [FromServices] SettlementFiles files) =>
        TryGetCardProvider(registry, provider, out var state) ? TypedResults.Ok(files.Faults(state.Name)) : NotCardProvider(provider);

    private static Results<Ok<SettlementFaultSettings>, NotFound<AdminError>> SetFaults(
        string provider, SettlementFaultSettings faults, [FromServices] ProviderRegistry registry, [FromServices] SettlementFiles files)
    {
        if (!TryGetCardProvider(registry, provider, out var state))
        {
            return NotCardProvider(provider);
        }

        files.SetFaults(state.Name, faults);
        return TypedResults.Ok(files.Faults(state.Name));
    }

    private static Results<Ok<SettlementFaultSettings>, NotFound<AdminError>> ClearFaults(
        string provider, [FromServices] ProviderRegistry registry, [FromServices] SettlementFiles files)
    {
        if (!TryGetCardProvider(registry, provider, out var state))
        {
            return NotCardProvider(provider);
        }

        files.SetFaults(state.Name, SettlementFaultSettings.None);
        return TypedResults.Ok(files.Faults(state.Name));
    }

    private static bool TryGetCardProvider(ProviderRegistry registry, string provider, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ProviderState state) =>
        registry.TryGet(provider, out state) && state is ICardProvider;

    private static NotFound<AdminError> NotCardProvider(string provider) =>
        TypedResults.NotFound(new AdminError("unknown_card_provider", $"No card provider '{provider}'; settlement files exist for {ProviderNames.PspA} and {ProviderNames.PspB}."));
}
