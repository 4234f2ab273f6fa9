using System.Security.Claims;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge.Errors;

namespace Payments.Actors.ApiFront.Apis.Operator;

/// <summary>
/// What the operator endpoints share: the operator the token names, whom every change is audited to, and the
/// page size of the event backbone's lists (outbox and dead letters).
/// </summary>
public static class OperatorRequests
{
    public const int EventListLimitMax = 500;

    public const int EventListLimitDefault = 50;

    /// <summary>The token's subject; every token we issue names its client there.</summary>
    public static string? Who(HttpContext context) => context.User.FindFirstValue(AuthClaims.Subject) is { Length: > 0 } who ? who : null;

    public static IResult NoSubject(HttpContext context) =>
        ApiErrorResults.Error(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "The access token names no subject to audit.");

    /// <summary>Null when the optional limit is within 1 to <see cref="EventListLimitMax"/>; else the 400 to answer.</summary>
    public static IResult? EventListLimit(HttpContext context, int? limit) =>
        limit is < 1 or > EventListLimitMax
            ? ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                $"limit must be between 1 and {EventListLimitMax}.", field: "limit")
            : null;
}

/// <summary>How many items an operator action touched.</summary>
public sealed record CountResponse(int Count);
