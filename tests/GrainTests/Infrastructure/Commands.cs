using System.Security.Cryptography;
using System.Text;
using Payments.Actors.Payments;
using Payments.Actors.Wallets;

namespace Payments.Actors.GrainTests.Infrastructure;

/// <summary>Commands as the edge would build them: a fresh idempotency key and the request's fingerprint (a SHA-256, hex).</summary>
public static class Commands
{
    public const string Merchant = "merchant-grain-tests";
    public const string Currency = "EUR";

    public static readonly CardDetails Card = new("4242424242424242", 12, 2035, "123");

    public static string NewKey() => Guid.NewGuid().ToString("N");

    public static string FingerprintOf(string request) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request)));

    public static CreatePayment Create(long amountMinor, bool capture, string? key = null) =>
        new(Merchant, key ?? NewKey(), FingerprintOf($"create {amountMinor} {capture}"), amountMinor, Currency, capture, Card, "order-1", null);

    public static CapturePayment Capture(long? amountMinor = null) => new(Merchant, NewKey(), FingerprintOf($"capture {amountMinor}"), amountMinor);

    public static VoidPayment Void() => new(Merchant, NewKey(), FingerprintOf("void"));

    public static RefundPayment Refund(long amountMinor) => new(Merchant, NewKey(), FingerprintOf($"refund {amountMinor}"), amountMinor, "customer asked");

    public static CashIn CashIn(long amountMinor) => new(Merchant, NewKey(), FingerprintOf($"cashin {amountMinor}"), amountMinor, Currency, "DE89370400440532013000");

    public static CashOut CashOut(long amountMinor) => new(Merchant, NewKey(), FingerprintOf($"cashout {amountMinor}"), amountMinor, Currency, "DE89370400440532013000");

    public static PlaceHold Hold(long amountMinor) => new(Merchant, NewKey(), FingerprintOf($"hold {amountMinor}"), amountMinor, Currency, TimeSpan.FromMinutes(10));

    /// <summary>What two answers about one payment must agree on (the snapshot's refunds are a list, compared by reference in record equality).</summary>
    public static object Essence(PaymentResult result) => result.Payment is not { } p
        ? new { result.Code }
        : new { result.Code, p.Id, p.Status, p.AuthorizedMinor, p.CapturedMinor, p.RefundedMinor, p.Psp, p.PspReference, p.Version, p.UpdatedAt };
}
