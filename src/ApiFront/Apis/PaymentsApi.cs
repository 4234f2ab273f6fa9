using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Errors;
using Payments.Actors.ApiFront.Idempotency;
using Payments.Actors.Payments;

namespace Payments.Actors.ApiFront.Apis;

/// <summary>
/// The merchant payments API, <c>/v1/payments</c>. Each handler validates, computes the idempotency
/// fingerprint, makes one grain call and renders the result; the same code runs in ApiFront's own
/// process and co-hosted in the silo.
/// </summary>
public static class PaymentsApi
{
    public static RouteGroupBuilder MapPaymentsApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/payments").WithTags("Payments");

        group.MapPost("/", CreateAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("CreatePayment")
            .WithSummary("Create a payment: authorise only (capture=false) or authorise and capture (default).")
            .Accepts<CreatePaymentRequest>("application/json")
            .Produces<PaymentResponse>(StatusCodes.Status201Created)
            .Produces<PaymentResponse>(StatusCodes.Status202Accepted)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/", ListAsync)
            .RequireAuthorization(Policies.PaymentsRead)
            .WithName("ListPayments")
            .WithSummary("List the merchant's payments, newest first, with cursor pagination.")
            .Produces<PaymentListResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);

        group.MapGet("/{id}", GetAsync)
            .RequireAuthorization(Policies.PaymentsRead)
            .WithName("GetPayment")
            .WithSummary("Get one payment.")
            .Produces<PaymentResponse>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        group.MapPost("/{id}/capture", CaptureAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("CapturePayment")
            .WithSummary("Capture an authorised payment, in full (no amount) or in part.")
            .Accepts<CaptureRequest>("application/json")
            .Produces<PaymentResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict)
            .Produces<ApiError>(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/{id}/void", VoidAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("VoidPayment")
            .WithSummary("Void (reverse) an authorised, uncaptured payment.")
            .Accepts<VoidRequest>("application/json")
            .Produces<PaymentResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/refund", RefundAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("RefundPayment")
            .WithSummary("Refund a captured payment, in full (no amount) or in part; several refunds may follow each other.")
            .Accepts<RefundRequest>("application/json")
            .Produces<PaymentResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict)
            .Produces<ApiError>(StatusCodes.Status422UnprocessableEntity);

        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains, IdempotencyCache cache, IOptions<ApiOptions> options)
    {
        if (Precheck(context, out var merchantId, out var key) is { } refused)
        {
            return refused;
        }

        var (request, bodyError) = await RequestBody.ReadAsync<CreatePaymentRequest>(context, allowEmpty: false);
        if (bodyError is not null)
        {
            return bodyError;
        }

        if (RequestValidation.Validate(request!, options.Value.AmountMinorMax) is { } failure)
        {
            return Invalid(context, failure);
        }

        var card = request!.Card;
        var walletId = request.PaymentMethod?.WalletId;
        var capture = request.Capture ?? true;
        var fingerprint = IdempotencyKey.Fingerprint("POST", "/v1/payments", merchantId, request.AmountMinor, request.Currency,
            card is null ? $"wallet:{walletId}" : $"card:{card.Number![^4..]}:{card.ExpMonth}/{card.ExpYear}", capture ? "capture" : "authorize");
        var command = new CreatePayment(merchantId, key, fingerprint, request.AmountMinor!.Value, request.Currency!, capture,
            card is null ? null : new CardDetails(card.Number!, card.ExpMonth!.Value, card.ExpYear!.Value, card.Cvc), request.Reference,
            request.Description, walletId);
        return await ExecuteAsync(context, cache, merchantId, key, fingerprint, StatusCodes.Status201Created,
            () => grains.GetGrain<IPaymentCreationGrain>(IPaymentCreationGrain.KeyOf(merchantId, key)).CreateAsync(command));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, IGrainFactory grains)
    {
        if (MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        var snapshot = TryParseId(id, out var paymentId) ? await grains.GetGrain<IPaymentGrain>(paymentId).GetAsync(merchantId) : null;
        return snapshot is null
            ? NotFound(context, id)
            : new RawJsonResult(StatusCodes.Status200OK, Serialize(PaymentResponse.From(snapshot)), replayed: false);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options,
        int? limit, [FromQuery(Name = "starting_after")] string? startingAfter, string? state)
    {
        if (MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        var settings = options.Value;
        var pageSize = limit ?? settings.ListLimitDefault;
        if (pageSize < 1 || pageSize > settings.ListLimitMax)
        {
            return Invalid(context, new ValidationFailure("limit", $"limit must be between 1 and {settings.ListLimitMax}."));
        }

        PaymentStatus? status = null;
        if (state is not null)
        {
            if (!Enum.TryParse<PaymentStatus>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(state, out _))
            {
                return Invalid(context, new ValidationFailure("state", $"'{state}' is not a payment state."));
            }

            status = parsed;
        }

        (DateTimeOffset CreatedAt, Guid Id)? cursor = null;
        if (startingAfter is not null)
        {
            if (Cursor.TryDecode(startingAfter) is not { } decoded)
            {
                return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidCursor,
                    "starting_after is not a cursor this API returned.", field: "starting_after");
            }

            cursor = decoded;
        }

        var page = await grains.GetGrain<IPaymentQueryGrain>(0).ListAsync(
            new PaymentListQuery(merchantId, pageSize, cursor?.CreatedAt, cursor?.Id, status));
        var next = page.HasMore && page.Items.Count > 0 ? Cursor.Encode(page.Items[^1].CreatedAt, page.Items[^1].Id) : null;
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new PaymentListResponse("list", [.. page.Items.Select(PaymentResponse.From)], page.HasMore, next), ApiJson.Options);
        return new RawJsonResult(StatusCodes.Status200OK, body, replayed: false);
    }

    private static async Task<IResult> CaptureAsync(HttpContext context, string id, IGrainFactory grains, IdempotencyCache cache, IOptions<ApiOptions> options)
    {
        if (Precheck(context, out var merchantId, out var key) is { } refused)
        {
            return refused;
        }

        var (request, bodyError) = await RequestBody.ReadAsync<CaptureRequest>(context, allowEmpty: true);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var amount = request?.AmountMinor;
        if (RequestValidation.ValidateAmount(amount, required: false, options.Value.AmountMinorMax) is { } failure)
        {
            return Invalid(context, failure);
        }

        var fingerprint = IdempotencyKey.Fingerprint("POST", $"/v1/payments/{CanonicalId(id)}/capture", merchantId, amount, null);
        return await FollowUpAsync(context, id, cache, merchantId, key, fingerprint, grain => grain.CaptureAsync(new CapturePayment(merchantId, key, fingerprint, amount)), grains);
    }

    private static async Task<IResult> VoidAsync(HttpContext context, string id, IGrainFactory grains, IdempotencyCache cache)
    {
        if (Precheck(context, out var merchantId, out var key) is { } refused)
        {
            return refused;
        }

        var (_, bodyError) = await RequestBody.ReadAsync<VoidRequest>(context, allowEmpty: true);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var fingerprint = IdempotencyKey.Fingerprint("POST", $"/v1/payments/{CanonicalId(id)}/void", merchantId, null, null);
        return await FollowUpAsync(context, id, cache, merchantId, key, fingerprint, grain => grain.VoidAsync(new VoidPayment(merchantId, key, fingerprint)), grains);
    }

    private static async Task<IResult> RefundAsync(HttpContext context, string id, IGrainFactory grains, IdempotencyCache cache, IOptions<ApiOptions> options)
    {
        if (Precheck(context, out var merchantId, out var key) is { } refused)
        {
            return refused;
        }

        var (request, bodyError) = await RequestBody.ReadAsync<RefundRequest>(context, allowEmpty: true);
        if (bodyError is not null)
        {
            return bodyError;
        }

        request ??= new RefundRequest(null, null);
        if (RequestValidation.Validate(request, options.Value.AmountMinorMax) is { } failure)
        {
            return Invalid(context, failure);
        }

        var fingerprint = IdempotencyKey.Fingerprint("POST", $"/v1/payments/{CanonicalId(id)}/refund", merchantId, request.AmountMinor, null, extra: request.Reason);
        return await FollowUpAsync(context, id, cache, merchantId, key, fingerprint,
            grain => grain.RefundAsync(new RefundPayment(merchantId, key, fingerprint, request.AmountMinor, request.Reason)), grains);
    }

    private static Task<IResult> FollowUpAsync(HttpContext context, string id, IdempotencyCache cache, string merchantId, string key,
        string fingerprint, Func<IPaymentGrain, Task<PaymentResult>> call, IGrainFactory grains) =>
        TryParseId(id, out var paymentId)
            ? ExecuteAsync(context, cache, merchantId, key, fingerprint, StatusCodes.Status200OK, () => call(grains.GetGrain<IPaymentGrain>(paymentId)))
            : Task.FromResult(NotFound(context, id));

    /// <summary>
    /// The idempotent execution every POST shares: Redis fast path (replay iff the fingerprint matches),
    /// else the grain (authoritative), then cache what finished.
    /// </summary>
    private static async Task<IResult> ExecuteAsync(HttpContext context, IdempotencyCache cache, string merchantId, string key,
        string fingerprint, int okStatus, Func<Task<PaymentResult>> call)
    {
        if (await cache.GetAsync(merchantId, key) is { } cached)
        {
            return cached.Fingerprint == fingerprint
                ? new RawJsonResult(cached.StatusCode, cached.Body, replayed: true, LocationOf(okStatus, cached.Body))
                : KeyReused(context, key);
        }

        var result = await call();
        switch (result.Code)
        {
            case PaymentResultCode.Ok:
                var body = Serialize(PaymentResponse.From(result.Payment!));
                await cache.SetAsync(merchantId, key, new CachedResponse(fingerprint, okStatus, body));
                return new RawJsonResult(okStatus, body, result.Replayed, LocationOf(okStatus, result.Payment!.Id));
            case PaymentResultCode.Pending:
                // Not cached: a replay while pending shows the payment as it is then.
                return new RawJsonResult(StatusCodes.Status202Accepted, Serialize(PaymentResponse.From(result.Payment!)), result.Replayed);
            default:
                return Rejected(context, result);
        }
    }

    private static IResult Rejected(HttpContext context, PaymentResult result)
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

    /// <summary>Merchant from the token, then a well-formed Idempotency-Key: both required on every POST.</summary>
    internal static IResult? Precheck(HttpContext context, out string merchantId, out string key)
    {
        key = string.Empty;
        if (MerchantOf(context, out merchantId) is { } refused)
        {
            return refused;
        }

        var values = context.Request.Headers[IdempotencyKey.HeaderName];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.IdempotencyKeyMissing,
                $"The {IdempotencyKey.HeaderName} header is required on every POST (a UUID is a good choice).");
        }

        if (values.Count > 1 || !IdempotencyKey.IsWellFormed(values[0]!))
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.IdempotencyKeyInvalid,
                $"The {IdempotencyKey.HeaderName} header must be one value of 1 to {IdempotencyKey.LengthMax} visible ASCII characters.");
        }

        key = values[0]!;
        return null;
    }

    internal static IResult? MerchantOf(HttpContext context, out string merchantId)
    {
        merchantId = context.User.GetMerchantId() ?? string.Empty;
        return merchantId.Length == 0
            ? ApiErrorResults.Error(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "The access token names no merchant.")
            : null;
    }

    /// <summary>Payment ids are UUIDv7 (they name their partition); any other id cannot be a payment, so no grain is asked.</summary>
    private static bool TryParseId(string id, out Guid paymentId) => Guid.TryParse(id, out paymentId) && paymentId.Version == 7;

    /// <summary>The id as the fingerprint sees it: a retry that spells the same id in other case or braces is the same request.</summary>
    private static string CanonicalId(string id) => Guid.TryParse(id, out var paymentId) ? paymentId.ToString("D") : id;

    private static IResult NotFound(HttpContext context, string id) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.PaymentNotFound, $"Payment '{id}' was not found.");

    internal static IResult Invalid(HttpContext context, ValidationFailure failure) =>
        ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, failure.Message, field: failure.Field);

    internal static IResult KeyReused(HttpContext context, string key) =>
        ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused,
            $"Idempotency-Key '{key}' was already used with a different request (method, path, amount, currency or card differ).");

    private static string? LocationOf(int okStatus, Guid id) => okStatus == StatusCodes.Status201Created ? $"/v1/payments/{id}" : null;

    private static string? LocationOf(int okStatus, byte[] body)
    {
        if (okStatus != StatusCodes.Status201Created)
        {
            return null;
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("id", out var id) ? $"/v1/payments/{id.GetString()}" : null;
    }

    private static byte[] Serialize(PaymentResponse response) => JsonSerializer.SerializeToUtf8Bytes(response, ApiJson.Options);

    /// <summary>Opaque list cursors: base64url of "created-at ticks:id".</summary>
    private static class Cursor
    {
        public static string Encode(DateTimeOffset createdAt, Guid id) =>
            Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{createdAt.UtcTicks}:{id:N}"));

        public static (DateTimeOffset, Guid)? TryDecode(string value)
        {
            try
            {
                var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value));
                var parts = text.Split(':');
                return parts.Length == 2 && long.TryParse(parts[0], out var ticks) && ticks > 0 && ticks < DateTimeOffset.MaxValue.UtcTicks
                    && Guid.TryParseExact(parts[1], "N", out var id)
                    ? (new DateTimeOffset(ticks, TimeSpan.Zero), id)
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
