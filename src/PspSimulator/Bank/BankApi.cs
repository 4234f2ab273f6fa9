using Microsoft.AspNetCore.Mvc;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Bank;

/// <summary>The Bank: wallet cash-in, cash-out and payouts under <c>/bank/v2</c>, amounts as decimal strings.</summary>
internal static class BankApi
{
    public static RouteGroupBuilder MapBank(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/bank/v2");
        api.MapPost("/transfers", CreateTransferAsync);
        api.MapGet("/transfers/{bankTransferId}", GetTransferAsync);

        // Status inquiry lives under /{provider}/v1 for every provider, whatever its API version.
        app.MapGet("/bank/v1/requests/{idempotencyKey}", InquireAsync);
        return api;
    }

    private static Task CreateTransferAsync(HttpContext context, [FromServices] BankProvider bank) =>
        ProviderPipeline.ExecuteCommandAsync(context, bank, command => CreateTransfer(bank, command));

    private static Task GetTransferAsync(HttpContext context, string bankTransferId, [FromServices] BankProvider bank) =>
        ProviderPipeline.ExecuteQueryAsync(context, bank, () => bank.Transfers.TryGet(bankTransferId, out var transfer)
            ? Ok(transfer.ToResponse(bank.Time.GetUtcNow()))
            : ProviderReply.Decided(
                StatusCodes.Status404NotFound,
                BankProvider.ErrorBody(BankCodes.NotFound, $"No transfer '{bankTransferId}'.")));

    private static Task InquireAsync(HttpContext context, string idempotencyKey, [FromServices] BankProvider bank) =>
        ProviderPipeline.InquireAsync(context, bank, idempotencyKey);

    private static ProviderReply CreateTransfer(BankProvider bank, ProviderCommand command)
    {
        if (!WireJson.TryRead(command.Body, BankJsonContext.Default.BankTransferRequest, out var request))
        {
            return Invalid(BankCodes.FormatError, "The body is not a transfer request.");
        }

        if (request is not
            {
                TransferRef: { } transferRef,
                Direction: { } direction,
                Account.Iban: { } iban,
                Value: { Amount: { } amountText, Currency: { } currency },
            })
        {
            return Invalid(BankCodes.FormatError, "transfer_ref, direction, account.iban, value.amount and value.currency are required.");
        }

        if (!WireRules.IsReference(transferRef) || direction is not (BankCodes.Credit or BankCodes.Debit))
        {
            return Invalid(BankCodes.FormatError, $"transfer_ref must be 1-{WireRules.ReferenceLengthMax} characters and direction CREDIT or DEBIT.");
        }

        if (!BankTestAccounts.IsWellFormed(iban))
        {
            return Invalid(BankCodes.InvalidAccount, "account.iban is not an IBAN.");
        }

        if (!WireRules.IsCurrency(currency))
        {
            return Invalid(BankCodes.InvalidAmount, "value.currency must be an upper-case ISO 4217 code.");
        }

        var exponent = BankAmounts.Exponent(currency);
        if (!BankAmounts.TryToMinor(amountText, exponent, out var amountMinor))
        {
            return Invalid(BankCodes.InvalidAmount, $"value.amount must be a positive decimal with at most {exponent} decimals for {currency}.");
        }

        var decision = BankTestAccounts.Decide(iban, direction, amountMinor, command.ForceDecline);
        if (decision.Outcome == BankOutcome.ProcessingError)
        {
            return ProviderReply.Unrecorded(StatusCodes.Status500InternalServerError, bank.ServerErrorBody());
        }

        var transfer = new BankTransfer(transferRef, direction, amountMinor, currency, decision, command.Now, bank.PendingDuration);
        bank.Transfers.Add(transfer);

        // Decided now, whatever delay holds the answer back: the notification goes at once.
        bank.Decided(transfer, command.Now);
        return Ok(transfer.ToResponse(command.Now), decision.Slow ? bank.SlowCardDelay : TimeSpan.Zero);
    }

    private static ProviderReply Ok(BankTransferResponse transfer, TimeSpan delay = default) =>
        ProviderReply.Decided(StatusCodes.Status200OK, WireJson.Write(transfer, BankJsonContext.Default.BankTransferResponse), delay);

    // Input that fails validation is answered but not recorded: nothing began executing.
    private static ProviderReply Invalid(string code, string description) =>
        ProviderReply.Unrecorded(StatusCodes.Status400BadRequest, BankProvider.ErrorBody(code, description));
}
