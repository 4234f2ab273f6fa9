namespace Payments.Actors.ApiFront.Edge.Errors;

/// <summary>The stable, documented <c>error_code</c> values. Clients branch on these; never rename one.</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "INVALID_JSON";
    public const string ValidationFailed = "VALIDATION_FAILED";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string IdempotencyKeyMissing = "IDEMPOTENCY_KEY_MISSING";
    public const string IdempotencyKeyInvalid = "IDEMPOTENCY_KEY_INVALID";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string PaymentNotFound = "PAYMENT_NOT_FOUND";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string InvalidState = "INVALID_STATE";
    public const string OperationInProgress = "OPERATION_IN_PROGRESS";
    public const string AmountExceedsAuthorized = "AMOUNT_EXCEEDS_AUTHORIZED";
    public const string AmountExceedsRefundable = "AMOUNT_EXCEEDS_REFUNDABLE";
    public const string LimitExceeded = "LIMIT_EXCEEDED";
    public const string InvalidCursor = "INVALID_CURSOR";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";
    public const string Overloaded = "OVERLOADED";
    public const string InternalError = "INTERNAL_ERROR";
    public const string PspRejected = "PSP_REJECTED";
    public const string PspUnavailable = "PSP_UNAVAILABLE";
    public const string WalletNotFound = "WALLET_NOT_FOUND";
    public const string HoldNotFound = "HOLD_NOT_FOUND";
    public const string CurrencyMismatch = "CURRENCY_MISMATCH";
    public const string InsufficientFunds = "INSUFFICIENT_FUNDS";
    public const string AmountExceedsHeld = "AMOUNT_EXCEEDS_HELD";
    public const string BankUnavailable = "BANK_UNAVAILABLE";
    public const string WebhookProviderUnknown = "WEBHOOK_PROVIDER_UNKNOWN";
    public const string WebhookSourceForbidden = "WEBHOOK_SOURCE_FORBIDDEN";
    public const string WebhookBodyTooLarge = "WEBHOOK_BODY_TOO_LARGE";
    public const string WebhookSignatureInvalid = "WEBHOOK_SIGNATURE_INVALID";
    public const string WebhookTimestampOutOfTolerance = "WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE";
    public const string WebhookStoreUnavailable = "WEBHOOK_STORE_UNAVAILABLE";
    public const string EventNotFound = "EVENT_NOT_FOUND";
    public const string DisputeNotFound = "DISPUTE_NOT_FOUND";
    public const string WebhookEndpointNotFound = "WEBHOOK_ENDPOINT_NOT_FOUND";
    public const string WebhookDeliveryNotFound = "WEBHOOK_DELIVERY_NOT_FOUND";
}
