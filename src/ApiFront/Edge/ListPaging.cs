using Payments.Actors.ApiFront.Edge.Errors;

namespace Payments.Actors.ApiFront.Edge;

/// <summary>
/// The paging every list takes, Stripe's way: <c>limit</c> (default and maximum from <see cref="ApiOptions"/>), and one
/// cursor, <c>starting_after</c> (older) or <c>ending_before</c> (newer), never both. What a cursor names is the
/// list's to read; <see cref="CursorName"/> is how the caller spelled it, for the error that refuses it.
/// </summary>
public readonly record struct ListPaging(int Limit, string? Cursor, bool Backwards)
{
    public string CursorName => Backwards ? "ending_before" : "starting_after";

    /// <summary>The paging, or the 400 that refuses it.</summary>
    public static IResult? Bind(HttpContext context, ApiOptions settings, int? limit, string? startingAfter, string? endingBefore, out ListPaging paging)
    {
        paging = new ListPaging(limit ?? settings.ListLimitDefault, endingBefore ?? startingAfter, endingBefore is not null);
        if (paging.Limit < 1 || paging.Limit > settings.ListLimitMax)
        {
            return ApiErrorResults.Invalid(context, new ValidationFailure("limit", $"limit must be between 1 and {settings.ListLimitMax}."));
        }

        return startingAfter is not null && endingBefore is not null
            ? ApiErrorResults.Invalid(context, new ValidationFailure("ending_before", "Send starting_after or ending_before, not both."))
            : null;
    }

    /// <summary>The 400 for a cursor the list cannot read.</summary>
    public IResult InvalidCursor(HttpContext context, string problem) =>
        ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidCursor, $"{CursorName} {problem}.", field: CursorName);

    /// <summary>Ids of the lists paged by id are UUIDv7 (they name their creation time); any other value names nothing.</summary>
    public static bool TryParseId(string value, out Guid id) => Guid.TryParse(value, out id) && id.Version == 7;
}
