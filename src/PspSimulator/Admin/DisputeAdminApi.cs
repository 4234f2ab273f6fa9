using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Admin;

/// <summary>Settlement and chargebacks of card providers under <c>/admin/settle</c> and <c>/admin/disputes</c>; the Bank has neither.</summary>
internal static class DisputeAdminApi
{
    public static void MapDisputeAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/settle/{provider}", Settle);
        admin.MapPost("/disputes/{provider}", Open);
        admin.MapGet("/disputes/{provider}/{disputeId}", Get);
        admin.MapPost("/disputes/{provider}/{disputeId}/close", Close);
    }

    private static Results<Ok<SettlementResult>, NotFound<AdminError>, BadRequest<AdminError>> Settle(string provider, [FromServices] ProviderRegistry registry)
    {
        if (!registry.TryGet(provider, out var state))
        {
            return AdminApi.UnknownProvider(provider);
        }

        return state is ICardProvider card
            ? TypedResults.Ok(new SettlementResult(state.Name, card.SettleCaptured()))
            : NotSupported(state.Name);
    }

    private static Results<Created<DisputeView>, NotFound<AdminError>, BadRequest<AdminError>, Conflict<AdminError>> Open(
        string provider, DisputeRequest request, [FromServices] ProviderRegistry registry)
    {
        if (!registry.TryGet(provider, out var state))
        {
            return AdminApi.UnknownProvider(provider);
        }

        if (state is not ICardProvider card)
        {
            return NotSupported(state.Name);
        }

        if (request.FindProblem() is { } problem)
        {
            return TypedResults.BadRequest(new AdminError("invalid_dispute", problem));
        }

        return card.OpenDispute(request, out var dispute) switch
        {
            DisputeCheck.Opened => TypedResults.Created($"/admin/disputes/{state.Name}/{dispute!.Id}", dispute.ToView(state.Name)),
            DisputeCheck.ChargeNotFound => TypedResults.NotFound(new AdminError("charge_not_found", $"{state.Name} has no charge '{request.Reference}'.")),
            DisputeCheck.NotCaptured => TypedResults.Conflict(new AdminError("charge_not_captured", "Only a captured charge can be disputed.")),
            DisputeCheck.AlreadyDisputed => TypedResults.Conflict(new AdminError("charge_already_disputed", "The charge already has its dispute.")),
            DisputeCheck.InvalidAmount => TypedResults.BadRequest(new AdminError("invalid_dispute", "amount exceeds the captured amount.")),
            var other => throw new InvalidOperationException($"Dispute check {other} has no answer."),
        };
    }

    private static Results<Ok<DisputeView>, NotFound<AdminError>> Get(string provider, string disputeId, [FromServices] ProviderRegistry registry)
    {
        if (!registry.TryGet(provider, out var state))
        {
            return AdminApi.UnknownProvider(provider);
        }

        return state.Disputes.TryGet(disputeId, out var dispute) ? TypedResults.Ok(dispute.ToView(state.Name)) : DisputeNotFound(state.Name, disputeId);
    }

    private static Results<Ok<DisputeView>, NotFound<AdminError>, BadRequest<AdminError>, Conflict<AdminError>> Close(
        string provider, string disputeId, DisputeCloseRequest request, [FromServices] ProviderRegistry registry)
    {
        if (!registry.TryGet(provider, out var state))
        {
            return AdminApi.UnknownProvider(provider);
        }

        if (state is not ICardProvider card)
        {
            return NotSupported(state.Name);
        }

        if (request.Outcome is not (Dispute.Won or Dispute.Lost))
        {
            return TypedResults.BadRequest(new AdminError("invalid_outcome", "outcome must be \"won\" or \"lost\"."));
        }

        if (!state.Disputes.TryGet(disputeId, out var dispute))
        {
            return DisputeNotFound(state.Name, disputeId);
        }

        return card.CloseDispute(dispute, request.Outcome)
            ? TypedResults.Ok(dispute.ToView(state.Name))
            : TypedResults.Conflict(new AdminError("dispute_closed", "The dispute is already closed."));
    }

    private static BadRequest<AdminError> NotSupported(string provider) =>
        TypedResults.BadRequest(new AdminError("not_supported", $"{provider} has no card settlement or disputes."));

    private static NotFound<AdminError> DisputeNotFound(string provider, string disputeId) =>
        TypedResults.NotFound(new AdminError("dispute_not_found", $"{provider} has no dispute '{disputeId}'."));
}
