using System.Text.Json.Serialization;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.Ledger;

namespace Payments.Actors.ApiFront.Apis.Operator.Ledger;

public sealed record LedgerAccountListResponse(string Object, IReadOnlyList<LedgerAccountResponse> Data, bool HasMore, string? NextCursor);

public sealed record LedgerAccountResponse(string Code, string Type, string Currency, string? MerchantId, string? OwnerRef,
    DateTimeOffset CreatedAt, long DebitsMinor, long CreditsMinor, long BalanceMinor, long Entries, DateTimeOffset? AsOf)
{
    public static LedgerAccountResponse From(LedgerAccountBalance b) =>
        new(b.Code, b.Type, b.Currency, b.MerchantId, b.OwnerRef, b.CreatedAt, b.DebitsMinor, b.CreditsMinor, b.BalanceMinor, b.Entries, b.AsOf);
}

public sealed record LedgerEntryListResponse(string Object, IReadOnlyList<LedgerEntryView> Data, bool HasMore, string? NextCursor);

/// <summary>
/// The verification report. When the books do not balance (409) it also carries the error model's
/// fields, so that every non-2xx answer of the API has an error_code.
/// </summary>
public sealed record LedgerVerifyResponse(bool Balanced, long Transactions, long Entries, long Accounts,
    IReadOnlyList<LedgerCurrencyTotal> Currencies, IReadOnlyList<LedgerProblem> Problems, long ProblemsTotal, DateTimeOffset VerifiedAt, bool Complete,
    bool ChainIntact, long UnchainedEntries)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorCode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Retryable { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CorrelationId { get; init; }

    public static LedgerVerifyResponse From(LedgerVerifyReport r, HttpContext context)
    {
        var response = new LedgerVerifyResponse(r.Balanced, r.Transactions, r.Entries, r.Accounts, r.Currencies, r.Problems, r.ProblemsTotal, r.VerifiedAt,
            r.Complete, r.ChainIntact, r.UnchainedEntries);
        // The gravest finding names the error: an unbalanced journal, then one tampered with, then gaps.
        var (code, message) = (r.Balanced, r.ChainIntact, r.Complete) switch
        {
            (false, _, _) => (LedgerApi.LedgerUnbalanced, $"The ledger does not balance: {r.ProblemsTotal} problem(s)."),
            (_, false, _) => (LedgerApi.LedgerTampered, $"The ledger's hash chain is broken: entries were altered, removed or inserted; {r.ProblemsTotal} problem(s)."),
            (_, _, false) => (LedgerApi.LedgerIncomplete,
                $"The ledger balances but is incomplete: {r.ProblemsTotal} gap(s); POST /v1/operator/ledger/repair posts what is missing."),
            _ => ((string?)null, (string?)null),
        };
        return code is null
            ? response
            : response with { ErrorCode = code, Message = message, Retryable = false, CorrelationId = ApiError.CorrelationIdOf(context) };
    }
}
