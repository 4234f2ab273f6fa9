namespace Payments.Actors.Events;

/// <summary>
/// The event types a merchant sees (<c>GET /v1/events</c>, webhooks): the outbox's, one merchant event per outbox event.
/// A filter or an endpoint's enabled event is an exact type, a family (<c>payment.*</c>) or every type (<c>*</c>).
/// </summary>
public static class MerchantEventTypes
{
    /// <summary>Every type, <c>*</c>.</summary>
    public const string Any = "*";

    /// <summary>Every type a merchant event can have, payments' then wallets'.</summary>
    public static IReadOnlyList<string> All { get; } = [.. PaymentEventTypes.All, .. WalletEventTypes.All];

    /// <summary>The families (<c>payment</c>, <c>wallet</c>): the part of a type before its first dot.</summary>
    public static IReadOnlyList<string> Families { get; } = [.. All.Select(FamilyOf).Distinct()];

    public static string FamilyOf(string type) => type.Split('.')[0];

    /// <summary>Whether <paramref name="pattern"/> names known types: a known type, a known family's <c>family.*</c>, or <c>*</c>.</summary>
    public static bool IsPattern(string pattern) =>
        pattern == Any || All.Contains(pattern) || (pattern.EndsWith(".*", StringComparison.Ordinal) && Families.Contains(pattern[..^2]));

    /// <summary>Whether <paramref name="type"/> is matched by <paramref name="pattern"/> (the same rule as the SQL that inserts deliveries).</summary>
    public static bool Matches(string pattern, string type) =>
        pattern == Any || pattern == type || pattern == FamilyOf(type) + ".*";
}
