using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge.Errors;

namespace Payments.Actors.ApiFront.Edge;

/// <summary>The merchant a request acts for: the one its access token names, never one from the path or body.</summary>
public static class Merchants
{
    /// <summary>Null when the token names a merchant; else the 403 to answer.</summary>
    public static IResult? MerchantOf(HttpContext context, out string merchantId)
    {
        merchantId = context.User.GetMerchantId() ?? string.Empty;
        return merchantId.Length == 0
            ? ApiErrorResults.Error(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "The access token names no merchant.")
            : null;
    }
}
