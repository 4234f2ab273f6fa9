using Microsoft.AspNetCore.Mvc;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.PspA;

/// <summary>PSP A: a Stripe-like JSON API under <c>/psp-a/v1</c>.</summary>
internal static class PspAApi
{
    private const int ExpYearMin = 2000;
    private const int ExpYearMax = 2099;

    public static RouteGroupBuilder MapPspA(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/psp-a/v1");
        api.MapPost("/payments", CreatePaymentAsync);
        api.MapPost("/payments/{id}/capture", CaptureAsync);
        api.MapPost("/payments/{id}/cancel", CancelAsync);
        api.MapPost("/payments/{id}/refunds", RefundAsync);
        api.MapGet("/requests/{idempotencyKey}", InquireAsync);
        return api;
    }

    private static Task CreatePaymentAsync(HttpContext context, [FromServices] PspAProvider psp) =>
        ProviderPipeline.ExecuteCommandAsync(context, psp, command => CreatePayment(psp, command));

    private static Task CaptureAsync(HttpContext context, string id, [FromServices] PspAProvider psp) =>
        ProviderPipeline.ExecuteCommandAsync(context, psp, command => Capture(psp, id, command));

    private static Task CancelAsync(HttpContext context, string id, [FromServices] PspAProvider psp) =>
        ProviderPipeline.ExecuteCommandAsync(context, psp, command => Cancel(psp, id, command));

    private static Task RefundAsync(HttpContext context, string id, [FromServices] PspAProvider psp) =>
        ProviderPipeline.ExecuteCommandAsync(context, psp, command => Refund(psp, id, command));

    private static Task InquireAsync(HttpContext context, string idempotencyKey, [FromServices] PspAProvider psp) =>
        ProviderPipeline.InquireAsync(context, psp, idempotencyKey);

    private static ProviderReply CreatePayment(PspAProvider psp, ProviderCommand command)
    {
        if (!WireJson.TryRead(command.Body, PspAJsonContext.Default.PspACreatePaymentRequest, out var request))
        {
            return InvalidJson();
        }

        if (request is not { Reference: { } reference, Amount: { } amount, Currency: { } currency, Card: { Number: { } number } card })
        {
            return InvalidParameter("parameter_missing", "reference, amount, currency and card.number are required.");
        }

        if (!WireRules.IsReference(reference) || !WireRules.IsAmount(amount) || !WireRules.IsCurrency(currency))
        {
            return InvalidParameter(
                "parameter_invalid",
                $"reference must be 1-{WireRules.ReferenceLengthMax} characters, amount 1-{WireRules.AmountMinorMax} minor units, currency an upper-case ISO 4217 code.");
        }

        if (card.ExpMonth is not (>= 1 and <= 12) || card.ExpYear is not (>= ExpYearMin and <= ExpYearMax)
            || (card.Cvc is not null && !WireRules.IsDigits(card.Cvc, 3, 4)))
        {
            return InvalidParameter("invalid_card_details", "card.exp_month must be 1-12, card.exp_year four digits, card.cvc 3-4 digits.");
        }

        var decision = TestCards.Decide(number, amount, command.ForceDecline);
        var delay = decision.Slow ? psp.SlowCardDelay : TimeSpan.Zero;
        string? declineReason;
        switch (decision.Outcome)
        {
            case CardOutcome.InvalidCard:
                return ProviderReply.Decided(
                    StatusCodes.Status400BadRequest,
                    PspAProvider.ErrorBody(PspAProvider.InvalidRequestType, "invalid_card", "The card number is not a valid card number."));
            case CardOutcome.ProcessingError:
                return ProviderReply.Unrecorded(StatusCodes.Status500InternalServerError, psp.ServerErrorBody());
            case CardOutcome.IssuerUnavailable:
                return ProviderReply.Unrecorded(
                    StatusCodes.Status502BadGateway,
                    PspAProvider.ErrorBody(PspAProvider.ApiErrorType, "issuer_unavailable", "The card issuer could not be reached; nothing was charged."));
            case CardOutcome.Approved:
                declineReason = null;
                break;
            case CardOutcome.DeclinedDoNotHonor:
                declineReason = "do_not_honor";
                break;
            case CardOutcome.DeclinedInsufficientFunds:
                declineReason = "insufficient_funds";
                break;
            case CardOutcome.DeclinedExpiredCard:
                declineReason = "expired_card";
                break;
            case CardOutcome.DeclinedAmountLimit:
                declineReason = "amount_limit";
                break;
            default:
                throw new InvalidOperationException($"Card outcome {decision.Outcome} has no PSP A answer.");
        }

        var status = declineReason is not null ? PspAPaymentStatus.Declined
            : request.Capture == true ? PspAPaymentStatus.Captured
            : PspAPaymentStatus.Authorized;
        var payment = new PspAPayment(PspAPayment.NewId(), reference, amount, currency, status, declineReason, command.Now);
        psp.Payments.Add(payment);
        var response = payment.ToResponse();

        // Decided now, whatever delay holds the answer back: the notification goes at once.
        psp.Changed(PspAWebhooks.TypeOfNew(response), payment, response, command.Now);
        return Ok(response, delay);
    }

    private static ProviderReply Capture(PspAProvider psp, string id, ProviderCommand command)
    {
        if (!TryReadAmount(command.Body, out var amount))
        {
            return InvalidJson();
        }

        if (!psp.Payments.TryGet(id, out var payment))
        {
            return ResourceMissing(id);
        }

        var result = payment.Capture(amount, captured => psp.Changed(PspAWebhooks.PaymentCaptured, payment, captured, command.Now), out var response);
        return result == PspAOperationResult.Done ? Ok(response) : Refused(result);
    }

    private static ProviderReply Cancel(PspAProvider psp, string id, ProviderCommand command)
    {
        if (!psp.Payments.TryGet(id, out var payment))
        {
            return ResourceMissing(id);
        }

        var result = payment.Cancel(canceled => psp.Changed(PspAWebhooks.PaymentCanceled, payment, canceled, command.Now), out var response);
        return result == PspAOperationResult.Done ? Ok(response) : Refused(result);
    }

    private static ProviderReply Refund(PspAProvider psp, string id, ProviderCommand command)
    {
        if (!TryReadAmount(command.Body, out var amount))
        {
            return InvalidJson();
        }

        if (!psp.Payments.TryGet(id, out var payment))
        {
            return ResourceMissing(id);
        }

        var result = payment.Refund(amount, refunded => psp.Refunded(refunded, payment, command.Now), out var refund);
        return refund is not null
            ? ProviderReply.Decided(StatusCodes.Status200OK, WireJson.Write(refund, PspAJsonContext.Default.PspARefundResponse))
            : Refused(result);
    }

    /// <summary>Capture and refund bodies are optional; an empty body means "the whole remaining amount".</summary>
    private static bool TryReadAmount(ReadOnlyMemory<byte> body, out long? amount)
    {
        amount = null;
        if (body.IsEmpty)
        {
            return true;
        }

        if (!WireJson.TryRead(body, PspAJsonContext.Default.PspAAmountRequest, out var request))
        {
            return false;
        }

        amount = request.Amount;
        return true;
    }

    private static ProviderReply Ok(PspAPaymentResponse payment, TimeSpan delay = default) =>
        ProviderReply.Decided(StatusCodes.Status200OK, WireJson.Write(payment, PspAJsonContext.Default.PspAPaymentResponse), delay);

    private static ProviderReply Refused(PspAOperationResult result)
    {
        var (status, code, message) = result switch
        {
            PspAOperationResult.InvalidAmount => (StatusCodes.Status400BadRequest, "invalid_amount", "amount must be positive."),
            PspAOperationResult.AmountExceedsAuthorized => (StatusCodes.Status400BadRequest, "amount_too_large", "The capture exceeds the authorized amount."),
            PspAOperationResult.RefundExceedsCaptured => (StatusCodes.Status400BadRequest, "refund_exceeds_captured", "Refunds would exceed the captured amount."),
            PspAOperationResult.RefundLimitReached => (StatusCodes.Status400BadRequest, "refund_limit_reached", $"A payment takes at most {PspAPayment.RefundsMax} refunds."),
            PspAOperationResult.AlreadyCaptured => (StatusCodes.Status409Conflict, "payment_already_captured", "The payment is already captured."),
            PspAOperationResult.NotCapturable => (StatusCodes.Status409Conflict, "payment_not_capturable", "Only an authorized payment can be captured."),
            PspAOperationResult.NotCancelable => (StatusCodes.Status409Conflict, "payment_not_cancelable", "Only an authorized, uncaptured payment can be canceled."),
            PspAOperationResult.NotRefundable => (StatusCodes.Status409Conflict, "payment_not_refundable", "Only a captured payment can be refunded."),
            _ => throw new InvalidOperationException($"{result} is not a refusal."),
        };
        return ProviderReply.Decided(status, PspAProvider.ErrorBody(PspAProvider.InvalidRequestType, code, message));
    }

    private static ProviderReply ResourceMissing(string id) =>
        ProviderReply.Decided(
            StatusCodes.Status404NotFound,
            PspAProvider.ErrorBody(PspAProvider.InvalidRequestType, "resource_missing", $"No such payment: '{id}'."));

    // Input that fails validation is answered but not recorded, like Stripe: nothing began executing.
    private static ProviderReply InvalidParameter(string code, string message) =>
        ProviderReply.Unrecorded(StatusCodes.Status400BadRequest, PspAProvider.ErrorBody(PspAProvider.InvalidRequestType, code, message));

    private static ProviderReply InvalidJson() =>
        InvalidParameter("invalid_json", "The body is not the JSON this endpoint expects.");
}
