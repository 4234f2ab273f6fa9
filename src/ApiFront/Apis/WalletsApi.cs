using System.Text.Json;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Errors;
using Payments.Actors.ApiFront.Idempotency;
using Payments.Actors.Money;
using Payments.Actors.Wallets;

namespace Payments.Actors.ApiFront.Apis;

/// <summary>
/// The merchant wallets API, <c>/v1/wallets/{wallet_id}</c>: cash-in and cash-out through the Bank,
/// holds, and the wallet's balances. Wallet ids are the merchant's own; the grain key pairs them with
/// the merchant from the token, so one merchant never sees another's wallet.
/// </summary>
public static class WalletsApi
{
    public const int WalletIdLengthMax = 64;
    public const int IbanLengthMax = 34;

    public static RouteGroupBuilder MapWalletsApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/wallets").WithTags("Wallets");

        group.MapGet("/{walletId}", GetAsync)
            .RequireAuthorization(Policies.PaymentsRead)
            .WithName("GetWallet")
            .WithSummary("Get a wallet: available, held and ledger balances, and its open holds.")
            .Produces<WalletResponse>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        group.MapPost("/{walletId}/cashin", CashInAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("CashIn")
            .WithSummary("Move money from the holder's bank account into the wallet (the first cash-in creates the wallet and fixes its currency).")
            .Accepts<WalletTransferRequest>("application/json")
            .Produces<WalletOperationResponse>(StatusCodes.Status201Created)
            .Produces<WalletOperationResponse>(StatusCodes.Status202Accepted)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/{walletId}/cashout", CashOutAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("CashOut")
            .WithSummary("Pay money out of the wallet to the holder's bank account; reserved before the Bank is asked, given back if it declines.")
            .Accepts<WalletTransferRequest>("application/json")
            .Produces<WalletOperationResponse>(StatusCodes.Status201Created)
            .Produces<WalletOperationResponse>(StatusCodes.Status202Accepted)
            .Produces<ApiError>(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/{walletId}/holds", PlaceHoldAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("PlaceHold")
            .WithSummary("Reserve part of the available balance until it is captured, released or expires.")
            .Accepts<HoldRequest>("application/json")
            .Produces<WalletHoldResponse>(StatusCodes.Status201Created)
            .Produces<ApiError>(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/{walletId}/holds/{holdId}/capture", CaptureHoldAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("CaptureHold")
            .WithSummary("Debit a hold, in full (no amount) or in part; the rest returns to the available balance.")
            .Accepts<HoldCaptureRequest>("application/json")
            .Produces<WalletHoldResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict);

        group.MapPost("/{walletId}/holds/{holdId}/release", ReleaseHoldAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("ReleaseHold")
            .WithSummary("Give a hold back to the available balance.")
            .Accepts<HoldReleaseRequest>("application/json")
            .Produces<WalletHoldResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict);

        return group;
    }

    private static async Task<IResult> GetAsync(HttpContext context, string walletId, IGrainFactory grains)
    {
        if (PaymentsApi.MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        var snapshot = IsWalletId(walletId) ? await grains.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(merchantId, walletId)).GetAsync() : null;
        return snapshot is null
            ? WalletNotFound(context, walletId)
            : new RawJsonResult(StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(WalletResponse.From(snapshot), ApiJson.Options), replayed: false);
    }

    private static Task<IResult> CashInAsync(HttpContext context, string walletId, IGrainFactory grains, IdempotencyCache cache, IOptions<ApiOptions> options) =>
        TransferAsync(context, walletId, "cashin", grains, cache, options, (grain, merchantId, key, fingerprint, request) =>
            grain.CashInAsync(new CashIn(merchantId, key, fingerprint, request.AmountMinor!.Value, request.Currency!, request.Iban)));

    private static Task<IResult> CashOutAsync(HttpContext context, string walletId, IGrainFactory grains, IdempotencyCache cache, IOptions<ApiOptions> options) =>
        TransferAsync(context, walletId, "cashout", grains, cache, options, (grain, merchantId, key, fingerprint, request) =>
            grain.CashOutAsync(new CashOut(merchantId, key, fingerprint, request.AmountMinor!.Value, request.Currency!, request.Iban)));

    private static async Task<IResult> TransferAsync(HttpContext context, string walletId, string operation, IGrainFactory grains, IdempotencyCache cache,
        IOptions<ApiOptions> options, Func<IWalletGrain, string, string, string, WalletTransferRequest, Task<WalletResult>> call)
    {
        if (PaymentsApi.Precheck(context, out var merchantId, out var key) is { } refused)
        {
            return refused;
        }

        if (!IsWalletId(walletId))
        {
            return PaymentsApi.Invalid(context, new ValidationFailure("wallet_id", WalletIdRule));
        }

        var (request, bodyError) = await RequestBody.ReadAsync<WalletTransferRequest>(context, allowEmpty: false);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var failure = ValidateMoney(request!.AmountMinor, request.Currency, options.Value.AmountMinorMax)
            ?? (request.Iban is { } iban && !IsIban(iban)
                ? new ValidationFailure("iban", "iban must be 15 to 34 upper-case letters and digits, starting with a country code and two check digits.")
                : null);
        if (failure is not null)
        {
            return PaymentsApi.Invalid(context, failure);
        }

        var fingerprint = IdempotencyKey.Fingerprint("POST", $"/v1/wallets/{walletId}/{operation}", merchantId, request.AmountMinor, request.Currency,
            request.Iban is null ? null : $"iban:{request.Iban}");
        var grain = grains.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(merchantId, walletId));
        return await ExecuteAsync(context, cache, merchantId, key, fingerprint, StatusCodes.Status201Created,
            () => call(grain, merchantId, key, fingerprint, request));
    }

    private static async Task<IResult> PlaceHoldAsync(HttpContext context, string walletId, IGrainFactory grains, IdempotencyCache cache, IOptions<ApiOptions> options)
    {
        if (PaymentsApi.Precheck(context, out var merchantId, out var key) is { } refused)
        {
            return refused;
        }

        if (!IsWalletId(walletId))
        {
            return WalletNotFound(context, walletId);
        }

        var (request, bodyError) = await RequestBody.ReadAsync<HoldRequest>(context, allowEmpty: false);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var failure = ValidateMoney(request!.AmountMinor, request.Currency, options.Value.AmountMinorMax)
            ?? (request.ExpiresInSeconds is null or < 1
                ? new ValidationFailure("expires_in_seconds", "expires_in_seconds is required: a positive number of seconds.")
                : null);
        if (failure is not null)
        {
            return PaymentsApi.Invalid(context, failure);
        }

        var expiresIn = TimeSpan.FromSeconds(Math.Min(request.ExpiresInSeconds!.Value, (long)TimeSpan.MaxValue.TotalSeconds / 2));
        var fingerprint = IdempotencyKey.Fingerprint("POST", $"/v1/wallets/{walletId}/holds", merchantId, request.AmountMinor, request.Currency,
            extra: request.ExpiresInSeconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var command = new PlaceHold(merchantId, key, fingerprint, request.AmountMinor!.Value, request.Currency!, expiresIn);
        return await ExecuteAsync(context, cache, merchantId, key, fingerprint, StatusCodes.Status201Created,
            () => grains.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(merchantId, walletId)).PlaceHoldAsync(command));
    }

    private static async Task<IResult> CaptureHoldAsync(HttpContext context, string walletId, string holdId, IGrainFactory grains, IdempotencyCache cache,
        IOptions<ApiOptions> options)
    {
        if (PaymentsApi.Precheck(context, out var merchantId, out var key) is { } refused)
        {
            return refused;
        }

        var (request, bodyError) = await RequestBody.ReadAsync<HoldCaptureRequest>(context, allowEmpty: true);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var amount = request?.AmountMinor;
        if (RequestValidation.ValidateAmount(amount, required: false, options.Value.AmountMinorMax) is { } failure)
        {
            return PaymentsApi.Invalid(context, failure);
        }

        if (!IsWalletId(walletId) || !Guid.TryParse(holdId, out var hold))
        {
            return HoldNotFound(context, holdId);
        }

        var fingerprint = IdempotencyKey.Fingerprint("POST", $"/v1/wallets/{walletId}/holds/{hold:D}/capture", merchantId, amount, null);
        var command = new CaptureHold(merchantId, key, fingerprint, hold, amount);
        return await ExecuteAsync(context, cache, merchantId, key, fingerprint, StatusCodes.Status200OK,
            () => grains.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(merchantId, walletId)).CaptureHoldAsync(command));
    }

    private static async Task<IResult> ReleaseHoldAsync(HttpContext context, string walletId, string holdId, IGrainFactory grains, IdempotencyCache cache)
    {
        if (PaymentsApi.Precheck(context, out var merchantId, out var key) is { } refused)
        {
            return refused;
        }

        var (_, bodyError) = await RequestBody.ReadAsync<HoldReleaseRequest>(context, allowEmpty: true);
        if (bodyError is not null)
        {
            return bodyError;
        }

        if (!IsWalletId(walletId) || !Guid.TryParse(holdId, out var hold))
        {
            return HoldNotFound(context, holdId);
        }

        var fingerprint = IdempotencyKey.Fingerprint("POST", $"/v1/wallets/{walletId}/holds/{hold:D}/release", merchantId, null, null);
        var command = new ReleaseHold(merchantId, key, fingerprint, hold);
        return await ExecuteAsync(context, cache, merchantId, key, fingerprint, StatusCodes.Status200OK,
            () => grains.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(merchantId, walletId)).ReleaseHoldAsync(command));
    }

    /// <summary>The idempotent execution every POST shares (as for payments): Redis fast path, else the grain, then cache what finished.</summary>
    private static async Task<IResult> ExecuteAsync(HttpContext context, IdempotencyCache cache, string merchantId, string key,
        string fingerprint, int okStatus, Func<Task<WalletResult>> call)
    {
        if (await cache.GetAsync(merchantId, key) is { } cached)
        {
            return cached.Fingerprint == fingerprint
                ? new RawJsonResult(cached.StatusCode, cached.Body, replayed: true)
                : PaymentsApi.KeyReused(context, key);
        }

        var result = await call();
        switch (result.Code)
        {
            case WalletResultCode.Ok:
                var body = Render(result);
                await cache.SetAsync(merchantId, key, new CachedResponse(fingerprint, okStatus, body));
                return new RawJsonResult(okStatus, body, result.Replayed);
            case WalletResultCode.Pending:
                // Not cached: a replay while pending shows the operation as it is then.
                return new RawJsonResult(StatusCodes.Status202Accepted, Render(result), result.Replayed);
            default:
                return Rejected(context, result);
        }
    }

    /// <summary>A hold operation answers with the hold; a cash-in or cash-out with the operation.</summary>
    private static byte[] Render(WalletResult result) => result.Hold is { } hold
        ? JsonSerializer.SerializeToUtf8Bytes(WalletHoldResponse.From(hold), ApiJson.Options)
        : JsonSerializer.SerializeToUtf8Bytes(WalletOperationResponse.From(result.Operation!), ApiJson.Options);

    private static IResult Rejected(HttpContext context, WalletResult result)
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

    private static ValidationFailure? ValidateMoney(long? amountMinor, string? currency, long amountMinorMax)
    {
        if (RequestValidation.ValidateAmount(amountMinor, required: true, amountMinorMax) is { } failure)
        {
            return failure;
        }

        if (string.IsNullOrEmpty(currency))
        {
            return new("currency", "currency is required: an ISO 4217 code such as \"EUR\".");
        }

        return Currencies.IsKnown(currency)
            ? null
            : new("currency", $"'{currency}' is not an active ISO 4217 currency code (three upper-case letters, e.g. \"EUR\").");
    }

    private const string WalletIdRule = "wallet_id must be 1 to 64 letters, digits, '-' or '_'.";

    /// <summary>The merchant's wallet id: 1-64 of [A-Za-z0-9_-], so it can never contain the '/' of the grain key.</summary>
    public static bool IsWalletId(string walletId) =>
        walletId.Length is >= 1 and <= WalletIdLengthMax && walletId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>IBAN shape: country, check digits, 11-30 upper-case alphanumerics. The Bank checks the rest.</summary>
    public static bool IsIban(string iban) =>
        iban.Length is >= 15 and <= IbanLengthMax && char.IsAsciiLetterUpper(iban[0]) && char.IsAsciiLetterUpper(iban[1])
        && char.IsAsciiDigit(iban[2]) && char.IsAsciiDigit(iban[3]) && iban.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c));

    private static IResult WalletNotFound(HttpContext context, string walletId) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.WalletNotFound, $"Wallet '{walletId}' was not found.");

    private static IResult HoldNotFound(HttpContext context, string holdId) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.HoldNotFound, $"Hold '{holdId}' was not found.");
}
