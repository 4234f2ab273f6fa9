using System.Text.Json;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.Wallets;

namespace Payments.Actors.ApiFront.Apis.Wallets;

/// <summary>
/// What the wallet grain's answers mean on the wire: a hold operation answers with the hold, a cash-in or
/// cash-out with the operation; refusals in the error model.
/// </summary>
public sealed class WalletOutcomes : PostOutcomes<WalletResult>
{
    public static readonly WalletOutcomes Instance = new();

    private WalletOutcomes()
    {
    }

    public override PostAnswer? Answer(WalletResult result) => result.Code switch
    {
        WalletResultCode.Ok => new(Render(result), Pending: false, result.Replayed),
        WalletResultCode.Pending => new(Render(result), Pending: true, result.Replayed),
        _ => null,
    };

    public override bool IsKeyReused(WalletResult result) => result.Code == WalletResultCode.IdempotencyKeyReused;

    public override string? StoredFieldDigestsOf(WalletResult result) => result.StoredFieldDigests;

    public override IResult Refuse(HttpContext context, WalletResult result)
    {
        var message = result.Message ?? result.Code.ToString();
        return result.Code switch
        {
            WalletResultCode.NotFound => ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.WalletNotFound, message),
            WalletResultCode.HoldNotFound => ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.HoldNotFound, message),
            WalletResultCode.IdempotencyKeyReused => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused, message),
            WalletResultCode.CurrencyMismatch => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.CurrencyMismatch, message, field: "currency"),
            WalletResultCode.InsufficientFunds => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.InsufficientFunds, message, field: "amount_minor"),
            WalletResultCode.AmountExceedsHeld => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.AmountExceedsHeld, message, field: "amount_minor"),
            WalletResultCode.InvalidState => ApiErrorResults.Error(context, StatusCodes.Status409Conflict, ErrorCodes.InvalidState, message),
            WalletResultCode.LimitExceeded => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.LimitExceeded, message),
            WalletResultCode.OperationInProgress => ApiErrorResults.Error(context, StatusCodes.Status409Conflict, ErrorCodes.OperationInProgress, message, retryable: true),
            WalletResultCode.BankUnavailable => ApiErrorResults.Error(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.BankUnavailable, message, retryable: true),
            _ => throw new InvalidOperationException($"Unmapped wallet result {result.Code}."),
        };
    }

    private static byte[] Render(WalletResult result) => result.Hold is { } hold
        ? JsonSerializer.SerializeToUtf8Bytes(WalletHoldResponse.From(hold), ApiJson.Options)
        : JsonSerializer.SerializeToUtf8Bytes(WalletOperationResponse.From(result.Operation!), ApiJson.Options);
}
