using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.PspB;

/// <summary>PSP B: JSON with ISO 8583-style response codes under <c>/psp-b/api</c>.</summary>
internal static partial class PspBApi
{
    public const string TxnTypeAuth = "AUTH";
    public const string TxnTypeSale = "SALE";

    public static RouteGroupBuilder MapPspB(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/psp-b/api");
        api.MapPost("/transactions", CreateTransactionAsync);
        api.MapPost("/transactions/{txnId}/settle", SettleAsync);
        api.MapPost("/transactions/{txnId}/reverse", ReverseAsync);
        api.MapPost("/transactions/{txnId}/credit", CreditAsync);

        // Status inquiry lives under /{provider}/v1 for every provider, whatever its API prefix.
        app.MapGet("/psp-b/v1/requests/{idempotencyKey}", InquireAsync);
        return api;
    }

    private static Task CreateTransactionAsync(HttpContext context, [FromServices] PspBProvider psp) =>
        ProviderPipeline.ExecuteCommandAsync(context, psp, command => CreateTransaction(psp, command));

    // Each operation publishes its notification from inside the transaction's lock (see PspBTransaction).
    private static Task SettleAsync(HttpContext context, string txnId, [FromServices] PspBProvider psp) =>
        ProviderPipeline.ExecuteCommandAsync(context, psp, command => WithAmount(
            psp, txnId, command, (txn, amount) => txn.Settle(amount, settled => psp.Captured(txn, settled, command.Now))));

    private static Task ReverseAsync(HttpContext context, string txnId, [FromServices] PspBProvider psp) =>
        ProviderPipeline.ExecuteCommandAsync(context, psp, command => WithAmount(
            psp, txnId, command, (txn, _) => txn.Reverse(reversed => psp.Reversed(reversed, command.Now))));

    private static Task CreditAsync(HttpContext context, string txnId, [FromServices] PspBProvider psp) =>
        ProviderPipeline.ExecuteCommandAsync(context, psp, command => WithAmount(
            psp, txnId, command, (txn, amount) => txn.Credit(amount, (credited, reference, cents) => psp.Credited(credited, reference, cents, command.Now))));

    private static Task InquireAsync(HttpContext context, string idempotencyKey, [FromServices] PspBProvider psp) =>
        ProviderPipeline.InquireAsync(context, psp, idempotencyKey);

    private static ProviderReply CreateTransaction(PspBProvider psp, ProviderCommand command)
    {
        if (!WireJson.TryRead(command.Body, PspBJsonContext.Default.PspBTransactionRequest, out var request))
        {
            return FormatError("body is not a transaction request");
        }

        if (request is not { MerchantTxnId: { } merchantTxnId, AmountCents: { } amountCents, Ccy: { } ccy, TxnType: { } txnType, Pan: { } pan, Expiry: { } expiry })
        {
            return FormatError("merchantTxnId, amountCents, ccy, txnType, pan and expiry are required");
        }

        if (!WireRules.IsReference(merchantTxnId) || !WireRules.IsAmount(amountCents) || !WireRules.IsCurrency(ccy)
            || txnType is not (TxnTypeAuth or TxnTypeSale) || !ExpiryPattern().IsMatch(expiry)
            || (request.Cvv is not null && !WireRules.IsDigits(request.Cvv, 3, 4)))
        {
            return FormatError("a field is out of range (txnType AUTH|SALE, expiry MM/YY, cvv 3-4 digits)");
        }

        var decision = TestCards.Decide(pan, amountCents, command.ForceDecline);
        if (decision.Outcome == CardOutcome.InvalidCard)
        {
            return ProviderReply.Decided(StatusCodes.Status400BadRequest, PspBProvider.ErrorBody(PspBResponseCodes.InvalidCardNumber));
        }

        if (decision.Outcome == CardOutcome.ProcessingError)
        {
            return ProviderReply.Unrecorded(StatusCodes.Status500InternalServerError, psp.ServerErrorBody());
        }

        var responseCode = decision.Outcome switch
        {
            CardOutcome.Approved => PspBResponseCodes.Approved,
            CardOutcome.DeclinedDoNotHonor => PspBResponseCodes.DoNotHonour,
            CardOutcome.DeclinedInsufficientFunds => PspBResponseCodes.InsufficientFunds,
            CardOutcome.DeclinedExpiredCard => PspBResponseCodes.ExpiredCard,
            CardOutcome.DeclinedAmountLimit => PspBResponseCodes.ExceedsAmountLimit,
            CardOutcome.IssuerUnavailable => PspBResponseCodes.IssuerUnavailable,
            _ => throw new InvalidOperationException($"Card outcome {decision.Outcome} has no PSP B answer."),
        };
        var transaction = new PspBTransaction(merchantTxnId, txnType, amountCents, ccy, responseCode, command.Now);
        psp.Transactions.Add(transaction);
        var response = transaction.ToResponse();

        // Decided now, whatever delay holds the answer back: the notification goes at once.
        psp.Created(transaction, response, command.Now);
        return Ok(response, decision.Slow ? psp.SlowCardDelay : TimeSpan.Zero);
    }

    private static ProviderReply WithAmount(
        PspBProvider psp, string txnId, ProviderCommand command, Func<PspBTransaction, long?, PspBTransactionResponse> operation)
    {
        long? amountCents = null;
        if (!command.Body.IsEmpty)
        {
            if (!WireJson.TryRead(command.Body, PspBJsonContext.Default.PspBAmountRequest, out var request))
            {
                return FormatError("body is not an amount request");
            }

            amountCents = request.AmountCents;
        }

        if (!psp.Transactions.TryGet(txnId, out var transaction))
        {
            return ProviderReply.Decided(StatusCodes.Status404NotFound, PspBProvider.ErrorBody(PspBResponseCodes.RecordNotFound));
        }

        return Ok(operation(transaction, amountCents));
    }

    private static ProviderReply Ok(PspBTransactionResponse response, TimeSpan delay = default) =>
        ProviderReply.Decided(StatusCodes.Status200OK, WireJson.Write(response, PspBJsonContext.Default.PspBTransactionResponse), delay);

    // Input that fails validation is answered but not recorded: nothing began executing.
    private static ProviderReply FormatError(string detail) =>
        ProviderReply.Unrecorded(StatusCodes.Status400BadRequest, PspBProvider.ErrorBody(PspBResponseCodes.FormatError, detail));

    [GeneratedRegex("^(0[1-9]|1[0-2])/[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpiryPattern();
}
