using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.ApiFront.Edge.Idempotency;
using Payments.Actors.Payments;

namespace Payments.Actors.ApiFront.Apis.Payments;

/// <summary>
/// The merchant payments API, <c>/v1/payments</c>. Each POST describes its checks, fingerprint and one
/// grain call to the <see cref="IdempotentPipeline"/>; the same code runs in ApiFront's own process and
/// co-hosted in the silo.
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
            .WithSummary("List the merchant's payments, newest first; page with starting_after (older) or ending_before (newer), a payment id or a next_cursor.")
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
            .Accepts<CaptureRequest>(isOptional: true, "application/json")
            .Produces<PaymentResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict)
            .Produces<ApiError>(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/{id}/void", VoidAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("VoidPayment")
            .WithSummary("Void (reverse) an authorised, uncaptured payment.")
            .Accepts<VoidRequest>(isOptional: true, "application/json")
            .Produces<PaymentResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/refund", RefundAsync)
            .RequireAuthorization(Policies.PaymentsWrite)
            .WithName("RefundPayment")
            .WithSummary("Refund a captured payment, in full (no amount) or in part; several refunds may follow each other.")
            .Accepts<RefundRequest>(isOptional: true, "application/json")
            .Produces<PaymentResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict)
            .Produces<ApiError>(StatusCodes.Status422UnprocessableEntity);

        return group;
    }

    private static Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains, IdempotentPipeline pipeline) =>
        pipeline.RunAsync(context, new IdempotentPost<CreatePaymentRequest, PaymentResult>
        {
            Outcomes = PaymentOutcomes.Instance,
            SuccessStatus = StatusCodes.Status201Created,
            Validate = PaymentValidation.Validate,
            Fingerprint = request => new("/v1/payments", request.AmountMinor, request.Currency,
                request.Card is { } card ? $"card:{card.Number![^4..]}:{card.ExpMonth}/{card.ExpYear}" : $"wallet:{request.PaymentMethod?.WalletId}",
                request.Capture ?? true ? "capture" : "authorize")
            {
                // The card enters as last four digits and expiry only, and the CVC not at all: a digest of a whole
                // PAN is brute-forceable, and a CVC may not be kept in any form after authorisation.
                Body =
                [
                    RequestField.Of("amount_minor", request.AmountMinor),
                    RequestField.Of("currency", request.Currency),
                    RequestField.Of("capture", request.Capture),
                    RequestField.Of("card", request.Card is not null, request.Card?.Number is { Length: >= 4 } number ? number[^4..] : null,
                        request.Card?.ExpMonth?.ToString(CultureInfo.InvariantCulture), request.Card?.ExpYear?.ToString(CultureInfo.InvariantCulture)),
                    RequestField.Of("payment_method", request.PaymentMethod is not null, request.PaymentMethod?.Type, request.PaymentMethod?.WalletId),
                    RequestField.Of("reference", request.Reference),
                    RequestField.Of("description", request.Description),
                    MetadataRules.Fingerprint(request.Metadata),
                ],
            },
            Call = post => grains.GetGrain<IPaymentCreationGrain>(IPaymentCreationGrain.KeyOf(post.MerchantId, post.Key)).CreateAsync(CommandOf(post)),
        });

    private static CreatePayment CommandOf(PostCall<CreatePaymentRequest> post)
    {
        var (request, card) = (post.Request, post.Request.Card);
        return new CreatePayment(post.MerchantId, post.Key, post.Fingerprint, request.AmountMinor!.Value, request.Currency!, request.Capture ?? true,
            card is null ? null : new CardDetails(card.Number!, card.ExpMonth!.Value, card.ExpYear!.Value, card.Cvc), request.Reference,
            request.Description, request.PaymentMethod?.WalletId, MetadataRules.ToMetadata(request.Metadata)) { FieldDigests = post.FieldDigests };
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, IGrainFactory grains)
    {
        if (Merchants.MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        var snapshot = ListPaging.TryParseId(id, out var paymentId) ? await grains.GetGrain<IPaymentGrain>(paymentId).GetAsync(merchantId) : null;
        return snapshot is null
            ? NotFound(context, id)
            : new RawJsonResult(StatusCodes.Status200OK, PaymentOutcomes.Serialize(snapshot), replayed: false);
    }

    /// <summary>
    /// A page of the merchant's payments, newest first: the older ones after <c>starting_after</c>, or the newer ones
    /// before <c>ending_before</c> (each a payment id or a cursor; not both). <c>has_more</c> and <c>next_cursor</c> look
    /// on in the page's direction: pass the cursor back as the same parameter.
    /// </summary>
    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options,
        int? limit, [FromQuery(Name = "starting_after")] string? startingAfter, [FromQuery(Name = "ending_before")] string? endingBefore, string? state,
        [FromQuery(Name = "created[gte]")] DateTimeOffset? createdGte, [FromQuery(Name = "created[lt]")] DateTimeOffset? createdLt)
    {
        if (Merchants.MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        if (ListPaging.Bind(context, options.Value, limit, startingAfter, endingBefore, out var paging) is { } invalid)
        {
            return invalid;
        }

        PaymentStatus? status = null;
        if (state is not null)
        {
            if (!Enum.TryParse<PaymentStatus>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(state, out _))
            {
                return ApiErrorResults.Invalid(context, new ValidationFailure("state", $"'{state}' is not a payment state."));
            }

            status = parsed;
        }

        var cursor = paging.Cursor is { } value ? await CursorAsync(grains, merchantId, value) : null;
        if (paging.Cursor is not null && cursor is null)
        {
            return paging.InvalidCursor(context, "is neither one of your payments nor a cursor this API returned");
        }

        var after = paging.Backwards ? null : cursor;
        var before = paging.Backwards ? cursor : null;
        var page = await grains.GetGrain<IPaymentQueryGrain>(0).ListAsync(new PaymentListQuery(merchantId, paging.Limit, after?.CreatedAt, after?.Id, status,
            createdGte, createdLt, before?.CreatedAt, before?.Id));
        // Onwards in the page's direction: past its oldest payment, or (before a cursor) past its newest.
        var edge = page.Items.Count == 0 ? null : paging.Backwards ? page.Items[0] : page.Items[^1];
        var next = page.HasMore && edge is not null ? PaymentCursor.Encode(edge.CreatedAt, edge.Id) : null;
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new PaymentListResponse("list", [.. page.Items.Select(PaymentResponse.From)], page.HasMore, next), ApiJson.Options);
        return new RawJsonResult(StatusCodes.Status200OK, body, replayed: false);
    }

    /// <summary>A payment id (as Stripe's cursors) or a cursor of an earlier page; null when it is neither one of the merchant's payments nor ours.</summary>
    private static async Task<(DateTimeOffset CreatedAt, Guid Id)?> CursorAsync(IGrainFactory grains, string merchantId, string value) =>
        ListPaging.TryParseId(value, out var id)
            ? await grains.GetGrain<IPaymentGrain>(id).GetAsync(merchantId) is { } payment ? (payment.CreatedAt, payment.Id) : null
            : PaymentCursor.TryDecode(value);

    private static Task<IResult> CaptureAsync(HttpContext context, string id, IGrainFactory grains, IdempotentPipeline pipeline) =>
        FollowUpAsync<CaptureRequest>(context, id, grains, pipeline, "capture", whenEmpty: () => new(null),
            validate: (request, amountMax) => RequestValidation.ValidateAmount(request.AmountMinor, required: false, amountMax),
            fingerprint: request => (request.AmountMinor, null, [RequestField.Of("amount_minor", request.AmountMinor)]),
            call: (grain, post) => grain.CaptureAsync(new CapturePayment(post.MerchantId, post.Key, post.Fingerprint, post.Request.AmountMinor) { FieldDigests = post.FieldDigests }));

    private static Task<IResult> VoidAsync(HttpContext context, string id, IGrainFactory grains, IdempotentPipeline pipeline) =>
        FollowUpAsync<VoidRequest>(context, id, grains, pipeline, "void", whenEmpty: () => new(), validate: null,
            fingerprint: _ => (null, null, []),
            call: (grain, post) => grain.VoidAsync(new VoidPayment(post.MerchantId, post.Key, post.Fingerprint) { FieldDigests = post.FieldDigests }));

    private static Task<IResult> RefundAsync(HttpContext context, string id, IGrainFactory grains, IdempotentPipeline pipeline) =>
        FollowUpAsync<RefundRequest>(context, id, grains, pipeline, "refund", whenEmpty: () => new(null, null),
            validate: PaymentValidation.Validate,
            fingerprint: request => (request.AmountMinor, request.Reason,
                [RequestField.Of("amount_minor", request.AmountMinor), RequestField.Of("reason", request.Reason), MetadataRules.Fingerprint(request.Metadata)]),
            call: (grain, post) => grain.RefundAsync(new RefundPayment(post.MerchantId, post.Key, post.Fingerprint, post.Request.AmountMinor, post.Request.Reason,
                MetadataRules.ToMetadata(post.Request.Metadata))
            {
                FieldDigests = post.FieldDigests,
            }));

    /// <summary>
    /// A POST on an existing payment, <c>/v1/payments/{id}/{operation}</c>: a malformed id is answered 404 after the
    /// body's checks, without asking the cache or a grain. Its fingerprint covers the body's fields (its legacy one an amount and one extra value).
    /// </summary>
    private static Task<IResult> FollowUpAsync<TRequest>(HttpContext context, string id, IGrainFactory grains, IdempotentPipeline pipeline,
        string operation, Func<TRequest> whenEmpty, Func<TRequest, long, ValidationFailure?>? validate,
        Func<TRequest, (long? AmountMinor, string? Extra, IReadOnlyList<RequestField> Body)> fingerprint, Func<IPaymentGrain, PostCall<TRequest>, Task<PaymentResult>> call)
        where TRequest : class
    {
        var known = ListPaging.TryParseId(id, out var paymentId);
        return pipeline.RunAsync(context, new IdempotentPost<TRequest, PaymentResult>
        {
            Outcomes = PaymentOutcomes.Instance,
            WhenEmpty = whenEmpty,
            Validate = validate,
            FindTarget = () => known ? null : NotFound(context, id),
            Fingerprint = request =>
            {
                var (amount, extra, body) = fingerprint(request);
                return new($"/v1/payments/{CanonicalId(id)}/{operation}", amount, null, Extra: extra) { Body = body };
            },
            Call = post => call(grains.GetGrain<IPaymentGrain>(paymentId), post),
        });
    }

    /// <summary>The id as the fingerprint sees it: a retry that spells the same id in other case or braces is the same request.</summary>
    private static string CanonicalId(string id) => Guid.TryParse(id, out var paymentId) ? paymentId.ToString("D") : id;

    private static IResult NotFound(HttpContext context, string id) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.PaymentNotFound, $"Payment '{id}' was not found.");
}
