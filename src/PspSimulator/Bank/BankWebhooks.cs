using Payments.Actors.PspSimulator.Simulation;
using Payments.Actors.PspSimulator.Webhooks;

namespace Payments.Actors.PspSimulator.Bank;

/// <summary>The Bank's notification events and bodies (docs/psp-webhooks.md, "Bank").</summary>
internal static class BankWebhooks
{
    public const string TransferBooked = "transfer.booked";
    public const string TransferRejected = "transfer.rejected";

    /// <summary>The transfer's final state at <paramref name="at"/>: booked or rejected (a PENDING transfer is notified once it books).</summary>
    public static WebhookNotification Transfer(BankTransfer transfer, DateTimeOffset at)
    {
        var state = transfer.ToResponse(at);
        var type = state.State == BankCodes.Rejected ? TransferRejected : TransferBooked;
        var id = "BN" + Guid.CreateVersion7(at).ToString("N").ToUpperInvariant();
        var body = new BankNotification(id, type, WebhookSignatures.IsoSeconds(at), state);
        return new WebhookNotification(id, type, transfer.Reference, WireJson.Write(body, BankJsonContext.Default.BankNotification), at);
    }
}
