using System.Text.Json;
using Payments.Actors.ApiFront.Apis.Disputes;
using Payments.Actors.ApiFront.Apis.Payments;
using Payments.Actors.ApiFront.Apis.Wallets;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.Events;
using Payments.Actors.Payments;
using Payments.Actors.Wallets;

namespace Payments.Actors.ApiFront.Apis.Events;

/// <summary>
/// The API's rendering of a merchant event, given to the grains (the silo registers it), so an event's object is
/// exactly what the API answers for the same payment, operation or hold: the same contracts, the same JSON options.
/// </summary>
public sealed class MerchantEventRenderer : IMerchantEventRenderer
{
    public const string ApiVersion = "v1";

    public string RenderPayment(Guid eventId, string type, DateTimeOffset created, PaymentSnapshot payment) =>
        Render(eventId, type, created, PaymentResponse.From(payment));

    public string RenderDispute(Guid eventId, string type, DateTimeOffset created, DisputeSnapshot dispute) =>
        Render(eventId, type, created, DisputeResponse.From(dispute));

    public string RenderWallet(Guid eventId, string type, DateTimeOffset created, WalletOperationSnapshot? operation, WalletHoldSnapshot? hold) =>
        Render(eventId, type, created, hold is not null ? (object)WalletHoldResponse.From(hold)
            : operation is not null ? (object)WalletOperationResponse.From(operation)
            : throw new ArgumentException($"Event {eventId} ({type}) shows neither an operation nor a hold."));

    private static string Render(Guid eventId, string type, DateTimeOffset created, object shown) =>
        JsonSerializer.Serialize(new EventResponse(eventId, "event", type, ApiVersion, created, new EventData(shown)), ApiJson.Options);
}
