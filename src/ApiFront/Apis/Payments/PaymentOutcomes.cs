using System.Text.Json;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.Payments;

namespace Payments.Actors.ApiFront.Apis.Payments;

/// <summary>What the payment grains' answers mean on the wire: the payment as the body, refusals in the error model.</summary>
public sealed class PaymentOutcomes : PostOutcomes<PaymentResult>
{
    public static readonly PaymentOutcomes Instance = new();

    private PaymentOutcomes()
    {
    }

    public override PostAnswer? Answer(PaymentResult result) => result.Code switch
    {
        PaymentResultCode.Ok => new(Serialize(result.Payment!), Pending: false, result.Replayed, PathOf(result.Payment!.Id)),
        PaymentResultCode.Pending => new(Serialize(result.Payment!), Pending: true, result.Replayed),
        _ => null,
    };

    public override bool IsKeyReused(PaymentResult result) => result.Code == PaymentResultCode.IdempotencyKeyReused;

    public override string? StoredFieldDigestsOf(PaymentResult result) => result.StoredFieldDigests;

    public override IResult Refuse(HttpContext context, PaymentResult result)
    {
        var state = result.Payment?.Status.ToWire();
        var message = result.Message ?? result.Code.ToString();
        return result.Code switch
        {
            PaymentResultCode.NotFound => ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.PaymentNotFound, message),
            PaymentResultCode.IdempotencyKeyReused => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused, message),
            PaymentResultCode.InvalidState => ApiErrorResults.Error(context, StatusCodes.Status409Conflict, ErrorCodes.InvalidState, message, currentState: state),
            PaymentResultCode.OperationInProgress => ApiErrorResults.Error(context, StatusCodes.Status409Conflict, ErrorCodes.OperationInProgress, message, retryable: true, currentState: state),
            PaymentResultCode.AmountExceedsAuthorized => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.AmountExceedsAuthorized, message, currentState: state, field: "amount_minor"),
            PaymentResultCode.AmountExceedsRefundable => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.AmountExceedsRefundable, message, currentState: state, field: "amount_minor"),
            PaymentResultCode.LimitExceeded => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.LimitExceeded, message, currentState: state),
            PaymentResultCode.PspRejected => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.PspRejected, message, currentState: state),
            PaymentResultCode.PspUnavailable => ApiErrorResults.Error(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.PspUnavailable, message, retryable: true),
            _ => throw new InvalidOperationException($"Unmapped payment result {result.Code}."),
        };
    }

    public override string? LocationOf(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("id", out var id) ? $"/v1/payments/{id.GetString()}" : null;
    }

    public static byte[] Serialize(PaymentSnapshot payment) => JsonSerializer.SerializeToUtf8Bytes(PaymentResponse.From(payment), ApiJson.Options);

    private static string PathOf(Guid id) => $"/v1/payments/{id}";
}
