using System.Globalization;
using System.Text.Json;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.ApiFront.Edge.Idempotency;
using Payments.Actors.Wallets;

namespace Payments.Actors.ApiFront.Apis.Wallets;

/// <summary>
/// The merchant wallets API, <c>/v1/wallets/{wallet_id}</c>: cash-in and cash-out through the Bank,
/// holds, and the wallet's balances. Wallet ids are the merchant's own; the grain key pairs them with
/// the merchant from the token, so one merchant never sees another's wallet.
/// </summary>
public static class WalletsApi
{
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
            .Accepts<HoldCaptureRequest>(isOptional: true, "application/json")
            .Produces<WalletHoldResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict);

        group.MapPost("/{walletId}/holds/{holdId}/release", ReleaseHoldAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("ReleaseHold")
            .WithSummary("Give a hold back to the available balance.")
            .Accepts<HoldReleaseRequest>(isOptional: true, "application/json")
            .Produces<WalletHoldResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict);

        return group;
    }

    private static async Task<IResult> GetAsync(HttpContext context, string walletId, IGrainFactory grains)
    {
        if (Merchants.MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        var snapshot = WalletValidation.IsWalletId(walletId) ? await grains.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(merchantId, walletId)).GetAsync() : null;
        return snapshot is null
            ? WalletNotFound(context, walletId)
            : new RawJsonResult(StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(WalletResponse.From(snapshot), ApiJson.Options), replayed: false);
    }

    private static Task<IResult> CashInAsync(HttpContext context, string walletId, IGrainFactory grains, IdempotentPipeline pipeline) =>
        TransferAsync(context, walletId, "cashin", grains, pipeline, (grain, post) => grain.CashInAsync(
            new CashIn(post.MerchantId, post.Key, post.Fingerprint, post.Request.AmountMinor!.Value, post.Request.Currency!, post.Request.Iban,
                MetadataRules.ToMetadata(post.Request.Metadata)) { FieldDigests = post.FieldDigests }));

    private static Task<IResult> CashOutAsync(HttpContext context, string walletId, IGrainFactory grains, IdempotentPipeline pipeline) =>
        TransferAsync(context, walletId, "cashout", grains, pipeline, (grain, post) => grain.CashOutAsync(
            new CashOut(post.MerchantId, post.Key, post.Fingerprint, post.Request.AmountMinor!.Value, post.Request.Currency!, post.Request.Iban,
                MetadataRules.ToMetadata(post.Request.Metadata)) { FieldDigests = post.FieldDigests }));

    /// <summary>A cash-in or cash-out: a malformed wallet id is a 400 (the first one creates the wallet), refused before the body is read.</summary>
    private static Task<IResult> TransferAsync(HttpContext context, string walletId, string operation, IGrainFactory grains, IdempotentPipeline pipeline,
        Func<IWalletGrain, PostCall<WalletTransferRequest>, Task<WalletResult>> call) =>
        pipeline.RunAsync(context, new IdempotentPost<WalletTransferRequest, WalletResult>
        {
            Outcomes = WalletOutcomes.Instance,
            SuccessStatus = StatusCodes.Status201Created,
            CheckRoute = () => WalletValidation.IsWalletId(walletId)
                ? null
                : ApiErrorResults.Invalid(context, new ValidationFailure("wallet_id", WalletValidation.WalletIdRule)),
            Validate = WalletValidation.Validate,
            Fingerprint = request => new($"/v1/wallets/{walletId}/{operation}", request.AmountMinor, request.Currency,
                request.Iban is null ? null : $"iban:{request.Iban}")
            {
                Body =
                [
                    RequestField.Of("amount_minor", request.AmountMinor), RequestField.Of("currency", request.Currency), RequestField.Of("iban", request.Iban),
                    MetadataRules.Fingerprint(request.Metadata),
                ],
            },
            Call = post => call(Wallet(grains, post.MerchantId, walletId), post),
        });

    private static Task<IResult> PlaceHoldAsync(HttpContext context, string walletId, IGrainFactory grains, IdempotentPipeline pipeline) =>
        pipeline.RunAsync(context, new IdempotentPost<HoldRequest, WalletResult>
        {
            Outcomes = WalletOutcomes.Instance,
            SuccessStatus = StatusCodes.Status201Created,
            CheckRoute = () => WalletValidation.IsWalletId(walletId) ? null : WalletNotFound(context, walletId),
            Validate = WalletValidation.Validate,
            Fingerprint = request => new($"/v1/wallets/{walletId}/holds", request.AmountMinor, request.Currency,
                Extra: request.ExpiresInSeconds!.Value.ToString(CultureInfo.InvariantCulture))
            {
                Body =
                [
                    RequestField.Of("amount_minor", request.AmountMinor), RequestField.Of("currency", request.Currency),
                    RequestField.Of("expires_in_seconds", request.ExpiresInSeconds), MetadataRules.Fingerprint(request.Metadata),
                ],
            },
            Call = post => Wallet(grains, post.MerchantId, walletId).PlaceHoldAsync(new PlaceHold(post.MerchantId, post.Key, post.Fingerprint,
                post.Request.AmountMinor!.Value, post.Request.Currency!,
                TimeSpan.FromSeconds(Math.Min(post.Request.ExpiresInSeconds!.Value, (long)TimeSpan.MaxValue.TotalSeconds / 2)),
                MetadataRules.ToMetadata(post.Request.Metadata))
            {
                FieldDigests = post.FieldDigests,
            }),
        });

    private static Task<IResult> CaptureHoldAsync(HttpContext context, string walletId, string holdId, IGrainFactory grains, IdempotentPipeline pipeline) =>
        HoldFollowUpAsync<HoldCaptureRequest>(context, walletId, holdId, grains, pipeline, "capture", whenEmpty: () => new(null),
            validate: (request, amountMax) => RequestValidation.ValidateAmount(request.AmountMinor, required: false, amountMax),
            amount: request => request.AmountMinor, body: request => [RequestField.Of("amount_minor", request.AmountMinor)],
            call: (grain, hold, post) => grain.CaptureHoldAsync(new CaptureHold(post.MerchantId, post.Key, post.Fingerprint, hold, post.Request.AmountMinor)
            {
                FieldDigests = post.FieldDigests,
            }));

    private static Task<IResult> ReleaseHoldAsync(HttpContext context, string walletId, string holdId, IGrainFactory grains, IdempotentPipeline pipeline) =>
        HoldFollowUpAsync<HoldReleaseRequest>(context, walletId, holdId, grains, pipeline, "release", whenEmpty: () => new(), validate: null,
            amount: _ => null, body: _ => [],
            call: (grain, hold, post) => grain.ReleaseHoldAsync(new ReleaseHold(post.MerchantId, post.Key, post.Fingerprint, hold) { FieldDigests = post.FieldDigests }));

    /// <summary>
    /// A POST on an open hold, <c>/v1/wallets/{walletId}/holds/{holdId}/{operation}</c>: a malformed wallet or hold id is
    /// answered 404 after the body's checks, without asking the cache or the grain.
    /// </summary>
    private static Task<IResult> HoldFollowUpAsync<TRequest>(HttpContext context, string walletId, string holdId, IGrainFactory grains,
        IdempotentPipeline pipeline, string operation, Func<TRequest> whenEmpty, Func<TRequest, long, ValidationFailure?>? validate,
        Func<TRequest, long?> amount, Func<TRequest, IReadOnlyList<RequestField>> body, Func<IWalletGrain, Guid, PostCall<TRequest>, Task<WalletResult>> call)
        where TRequest : class
    {
        var known = WalletValidation.IsWalletId(walletId) & Guid.TryParse(holdId, out var hold);
        return pipeline.RunAsync(context, new IdempotentPost<TRequest, WalletResult>
        {
            Outcomes = WalletOutcomes.Instance,
            WhenEmpty = whenEmpty,
            Validate = validate,
            FindTarget = () => known ? null : HoldNotFound(context, holdId),
            Fingerprint = request => new($"/v1/wallets/{walletId}/holds/{hold:D}/{operation}", amount(request), null)
            {
                Body = body(request),
            },
            Call = post => call(Wallet(grains, post.MerchantId, walletId), hold, post),
        });
    }

    /// <summary>The grain key pairs the merchant's own wallet id with the merchant from the token.</summary>
    private static IWalletGrain Wallet(IGrainFactory grains, string merchantId, string walletId) =>
        grains.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(merchantId, walletId));

    private static IResult WalletNotFound(HttpContext context, string walletId) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.WalletNotFound, $"Wallet '{walletId}' was not found.");

    private static IResult HoldNotFound(HttpContext context, string holdId) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.HoldNotFound, $"Hold '{holdId}' was not found.");
}
