using System.Text.Json.Serialization;

namespace Payments.Actors.Webhooks;

/// <summary>What a PSP notification says happened, whatever provider sent it (docs/psp-webhooks.md). On the wire
/// (<see cref="Events.EventJson"/>, the <c>kind</c> of webhooks.in) each is its snake_case name.</summary>
[GenerateSerializer]
[JsonConverter(typeof(JsonStringEnumConverter<PspNotificationKind>))]
public enum PspNotificationKind
{
    [JsonStringEnumMemberName("authorized")] Authorized = 0,
    [JsonStringEnumMemberName("captured")] Captured = 1,
    [JsonStringEnumMemberName("voided")] Voided = 2,
    [JsonStringEnumMemberName("declined")] Declined = 3,
    [JsonStringEnumMemberName("refunded")] Refunded = 4,
    [JsonStringEnumMemberName("capture_settled")] CaptureSettled = 5,
    [JsonStringEnumMemberName("dispute_opened")] DisputeOpened = 6,
    [JsonStringEnumMemberName("dispute_closed")] DisputeClosed = 7,
    [JsonStringEnumMemberName("transfer_booked")] TransferBooked = 8,
    [JsonStringEnumMemberName("transfer_rejected")] TransferRejected = 9,
}
