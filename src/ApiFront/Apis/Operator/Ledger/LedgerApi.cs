using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.ApiFront.Edge.OpenApi;
using Payments.Actors.Ledger;

namespace Payments.Actors.ApiFront.Apis.Operator.Ledger;

/// <summary>
/// The ledger's audit API, <c>/v1/operator/ledger</c> (operator scope): accounts with balances derived
/// from their entries, an account's entries newest first, a payment's entries, an account's balance as
/// of a time, and the verification that the books balance (200 balanced, 409 not).
/// </summary>
public static class LedgerApi
{
    public const int PageSizeDefault = 50;

    public const string LedgerUnbalanced = "LEDGER_UNBALANCED";
    public const string LedgerIncomplete = "LEDGER_INCOMPLETE";
    public const string LedgerTampered = "LEDGER_TAMPERED";

    /// <summary>Longest settle interval verify and repair accept (a day).</summary>
    public const int SettleSecondsMax = 86_400;

    public static RouteGroupBuilder MapLedgerApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/operator/ledger").WithTags("Ledger").RequireAuthorization(Policies.Operator);

        group.MapGet("/accounts", ListAccountsAsync)
            .WithName("ListLedgerAccounts")
            .WithSummary("Ledger accounts ordered by code, each with debits, credits and balance derived from its entries.")
            .Produces<LedgerAccountListResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);

        group.MapGet("/accounts/{code}", BalanceAsync)
            .WithName("LedgerAccountBalance")
            .WithSummary("One account's balance; with as_of (RFC 3339), from the entries recorded at or before that time only.")
            .Produces<LedgerAccountResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        group.MapGet("/accounts/{code}/entries", AccountEntriesAsync)
            .WithName("LedgerAccountEntries")
            .WithSummary("One account's entries, newest first; page on with starting_after=<next_cursor>; created[gte] and created[lt] (RFC 3339) bound when they were recorded.")
            .Produces<LedgerEntryListResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        group.MapGet("/payments/{paymentId}/entries", PaymentEntriesAsync)
            .WithName("LedgerPaymentEntries")
            .WithSummary("Every ledger entry of one payment (captures and refunds), oldest first.")
            .Produces<LedgerEntryListResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);

        group.MapGet("/verify", VerifyAsync)
            .WithName("VerifyLedger")
            .WithSummary("Proves the books balance (every transaction and currency, no orphaned entry) and are complete (every money event posted, " +
                "every payment and wallet equal to its postings; settle_seconds leaves out recent changes): 200, or 409 with the problems.")
            .Produces<LedgerVerifyResponse>()
            .Produces<LedgerVerifyResponse>(StatusCodes.Status409Conflict)
            .Produces<ApiError>(StatusCodes.Status400BadRequest);

        group.MapPost("/repair", RepairAsync)
            .WithName("RepairLedger")
            .WithoutIdempotencyKey()
            .WithSummary("Posts every money event that verify finds without its posting, through the same rules as the Kafka feed; " +
                "idempotent by event id, so running it twice posts nothing twice. Lists what it could not repair.")
            .Produces<LedgerRepairReport>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);

        return group;
    }

    private static async Task<IResult> ListAccountsAsync(HttpContext context, IGrainFactory grains,
        int? limit, [FromQuery(Name = "starting_after")] string? startingAfter)
    {
        if (PageSize(context, limit, out var size) is { } invalid)
        {
            return invalid;
        }

        var page = await grains.GetGrain<ILedgerQueryGrain>(0).ListAccountsAsync(size, startingAfter);
        var next = page.HasMore && page.Items.Count > 0 ? page.Items[^1].Code : null;
        return TypedResults.Json(new LedgerAccountListResponse("list", [.. page.Items.Select(LedgerAccountResponse.From)], page.HasMore, next),
            ApiJson.Options);
    }

    private static async Task<IResult> BalanceAsync(HttpContext context, string code, IGrainFactory grains, [FromQuery(Name = "as_of")] string? asOf)
    {
        DateTimeOffset? at = null;
        if (asOf is not null)
        {
            if (!DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                    "as_of must be an RFC 3339 time, e.g. 2026-11-24T05:00:00Z.", field: "as_of");
            }

            at = parsed;
        }

        var balance = await grains.GetGrain<ILedgerQueryGrain>(0).BalanceAsync(code, at);
        return balance is null ? UnknownAccount(context, code) : TypedResults.Json(LedgerAccountResponse.From(balance), ApiJson.Options);
    }

    private static async Task<IResult> AccountEntriesAsync(HttpContext context, string code, IGrainFactory grains,
        int? limit, [FromQuery(Name = "starting_after")] string? startingAfter,
        [FromQuery(Name = "created[gte]")] DateTimeOffset? createdGte, [FromQuery(Name = "created[lt]")] DateTimeOffset? createdLt)
    {
        if (PageSize(context, limit, out var size) is { } invalid)
        {
            return invalid;
        }

        long? before = null;
        if (startingAfter is not null)
        {
            if (!long.TryParse(startingAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidCursor,
                    "starting_after is not a cursor this API returned.", field: "starting_after");
            }

            before = id;
        }

        var page = await grains.GetGrain<ILedgerQueryGrain>(0).EntriesByAccountAsync(code, size, before, createdGte, createdLt);
        if (page is null)
        {
            return UnknownAccount(context, code);
        }

        var next = page.HasMore && page.Items.Count > 0 ? page.Items[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Json(new LedgerEntryListResponse("list", page.Items, page.HasMore, next), ApiJson.Options);
    }

    private static async Task<IResult> PaymentEntriesAsync(HttpContext context, string paymentId, IGrainFactory grains)
    {
        if (!Guid.TryParse(paymentId, out var id))
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                "The payment id must be a UUID.", field: "payment_id");
        }

        var entries = await grains.GetGrain<ILedgerQueryGrain>(0).EntriesByPaymentAsync(id);
        return TypedResults.Json(new LedgerEntryListResponse("list", entries, false, null), ApiJson.Options);
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, IGrainFactory grains, string? settle_seconds)
    {
        if (Settle(context, settle_seconds, out var settle) is { } invalid)
        {
            return invalid;
        }

        var report = await grains.GetGrain<ILedgerQueryGrain>(0).VerifyAsync(settle);
        return TypedResults.Json(LedgerVerifyResponse.From(report, context), ApiJson.Options,
            statusCode: report.Balanced && report.Complete && report.ChainIntact ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> RepairAsync(HttpContext context, IGrainFactory grains, string? settle_seconds)
    {
        if (Settle(context, settle_seconds, out var settle) is { } invalid)
        {
            return invalid;
        }

        var report = await grains.GetGrain<ILedgerQueryGrain>(0).RepairAsync(settle);
        return TypedResults.Json(report, ApiJson.Options);
    }

    /// <summary>The optional settle_seconds query value: whole seconds, 0 to a day; null when absent (the configured default).</summary>
    private static IResult? Settle(HttpContext context, string? value, out TimeSpan? settle)
    {
        settle = null;
        if (value is null)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > SettleSecondsMax)
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                $"settle_seconds must be a whole number of seconds from 0 to {SettleSecondsMax}.", field: "settle_seconds");
        }

        settle = TimeSpan.FromSeconds(seconds);
        return null;
    }

    private static IResult? PageSize(HttpContext context, int? limit, out int size)
    {
        size = limit ?? PageSizeDefault;
        return size is < 1 or > LedgerQueryLimits.PageSizeMax
            ? ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                $"limit must be between 1 and {LedgerQueryLimits.PageSizeMax}.", field: "limit")
            : null;
    }

    private static IResult UnknownAccount(HttpContext context, string code) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No ledger account '{code}'.");
}
