using Payments.Actors.Payments;
using Payments.Actors.Wallets;

namespace Payments.Actors.Events;

/// <summary>
/// Renders a merchant event, <c>{id, object:"event", type, api_version, created, data:{object}}</c>, with the object as
/// the API shows it at that moment. The API owns the representation (it is implemented beside the API's contracts);
/// the grains render each event once, in the write unit of its change, so the list, the lookup and every webhook
/// attempt send the same bytes.
/// </summary>
public interface IMerchantEventRenderer
{
    /// <summary>A payment event: the payment after the change (with its refunds).</summary>
    string RenderPayment(Guid eventId, string type, DateTimeOffset created, PaymentSnapshot payment);

    /// <summary>A dispute event: the dispute after the change.</summary>
    string RenderDispute(Guid eventId, string type, DateTimeOffset created, DisputeSnapshot dispute);

    /// <summary>A wallet event: what the API answered for the change, the hold when there is one, else the operation.</summary>
    string RenderWallet(Guid eventId, string type, DateTimeOffset created, WalletOperationSnapshot? operation, WalletHoldSnapshot? hold);
}
