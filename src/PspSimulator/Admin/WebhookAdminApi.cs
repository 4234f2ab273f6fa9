using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Payments.Actors.PspSimulator.Simulation;
using Payments.Actors.PspSimulator.Webhooks;

namespace Payments.Actors.PspSimulator.Admin;

/// <summary>Notification faults, counters, listings, flush and resend under <c>/admin/webhook-faults</c> and <c>/admin/webhooks</c>.</summary>
internal static class WebhookAdminApi
{
    public const int NotificationsListedMax = 1_000;

    public static void MapWebhookAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/webhook-faults/{provider}", GetFaults);
        admin.MapPut("/webhook-faults/{provider}", SetFaults);
        admin.MapDelete("/webhook-faults/{provider}", ClearFaults);
        admin.MapGet("/webhooks/{provider}", GetStats);
        admin.MapGet("/webhooks/{provider}/notifications", GetNotifications);
        admin.MapPost("/webhooks/{provider}/flush", Flush);
        admin.MapPost("/webhooks/{provider}/{notificationId}/resend", Resend);
    }

    private static Results<Ok<WebhookFaultSettings>, NotFound<AdminError>> GetFaults(string provider, [FromServices] ProviderRegistry registry) =>
        registry.TryGet(provider, out var state) ? TypedResults.Ok(state.Webhooks.Faults.Current) : AdminApi.UnknownProvider(provider);

    private static Results<Ok<WebhookFaultSettings>, NotFound<AdminError>, BadRequest<AdminError>> SetFaults(
        string provider, WebhookFaultSettings faults, [FromServices] ProviderRegistry registry, [FromServices] ILogger<ProviderRegistry> logger)
    {
        if (!registry.TryGet(provider, out var state))
        {
            return AdminApi.UnknownProvider(provider);
        }

        if (faults.FindProblem() is { } problem)
        {
            return TypedResults.BadRequest(new AdminError("invalid_webhook_faults", problem));
        }

        state.Webhooks.SetFaults(faults);
        SimulatorLog.WebhookFaultsSet(logger, state.Name, faults);
        return TypedResults.Ok(state.Webhooks.Faults.Current);
    }

    private static Results<Ok<WebhookFaultSettings>, NotFound<AdminError>> ClearFaults(
        string provider, [FromServices] ProviderRegistry registry, [FromServices] ILogger<ProviderRegistry> logger)
    {
        if (!registry.TryGet(provider, out var state))
        {
            return AdminApi.UnknownProvider(provider);
        }

        state.Webhooks.SetFaults(WebhookFaultSettings.None);
        SimulatorLog.WebhookFaultsSet(logger, state.Name, WebhookFaultSettings.None);
        return TypedResults.Ok(state.Webhooks.Faults.Current);
    }

    private static Results<Ok<WebhookStats>, NotFound<AdminError>> GetStats(string provider, [FromServices] ProviderRegistry registry) =>
        registry.TryGet(provider, out var state) ? TypedResults.Ok(state.Webhooks.Snapshot()) : AdminApi.UnknownProvider(provider);

    private static Results<Ok<WebhookNotificationList>, NotFound<AdminError>> GetNotifications(
        string provider, [FromQuery] string? reference, [FromServices] ProviderRegistry registry)
    {
        if (!registry.TryGet(provider, out var state))
        {
            return AdminApi.UnknownProvider(provider);
        }

        return TypedResults.Ok(new WebhookNotificationList(state.Name, reference, state.Webhooks.Find(reference, NotificationsListedMax)));
    }

    private static Results<Ok<WebhookFlushResult>, NotFound<AdminError>> Flush(string provider, [FromServices] ProviderRegistry registry) =>
        registry.TryGet(provider, out var state)
            ? TypedResults.Ok(new WebhookFlushResult(state.Name, state.Webhooks.Flush()))
            : AdminApi.UnknownProvider(provider);

    private static Results<Accepted<WebhookNotificationView>, NotFound<AdminError>, JsonHttpResult<AdminError>> Resend(
        string provider, string notificationId, [FromServices] ProviderRegistry registry)
    {
        if (!registry.TryGet(provider, out var state))
        {
            return AdminApi.UnknownProvider(provider);
        }

        var notification = state.Webhooks.Resend(notificationId, out var queued);
        if (notification is null)
        {
            return TypedResults.NotFound(new AdminError("notification_not_found", $"{state.Name} holds no notification '{notificationId}'."));
        }

        return queued
            ? TypedResults.Accepted((string?)null, notification.ToView())
            : TypedResults.Json(
                new AdminError("webhook_queue_full", $"{state.Name}'s webhook queue is full; nothing was queued."),
                AdminJsonContext.Default.AdminError,
                statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
