using Payments.Actors.ApiFront.Edge.Idempotency;
using Xunit;

namespace Payments.Actors.UnitTests.Api;

public sealed class IdempotencyKeyTests
{
    [Theory]
    [InlineData("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")]
    [InlineData("x")]
    [InlineData("order-17/attempt:2")]
    [InlineData("!~")]
    public void VisibleAsciiKeyIsWellFormed(string key) => Assert.True(IdempotencyKey.IsWellFormed(key));

    [Fact]
    public void KeyOfExactlyTheMaximumLengthIsWellFormed() =>
        Assert.True(IdempotencyKey.IsWellFormed(new string('k', IdempotencyKey.LengthMax)));

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("two words")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("tab\there")]
    [InlineData("line\nbreak")]
    [InlineData("clé")]
    [InlineData("ключ")]
    [InlineData("key\u0000")]
    [InlineData("key\u007f")]
    public void EmptySpacedControlOrNonAsciiKeyIsMalformed(string key) => Assert.False(IdempotencyKey.IsWellFormed(key));

    [Fact]
    public void KeyLongerThanTheMaximumIsMalformed()
    {
        Assert.Equal(255, IdempotencyKey.LengthMax);
        Assert.False(IdempotencyKey.IsWellFormed(new string('k', 256)));
    }

    private static string Baseline() =>
        IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_1", 1_000, "EUR", "card:4242:12/2030", "capture");

    [Fact]
    public void FingerprintIsSixtyFourLowerCaseHexDigits()
    {
        var fingerprint = Baseline();

        Assert.Equal(64, fingerprint.Length);
        Assert.All(fingerprint, c => Assert.True(char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c), $"'{c}' is not lower-case hex."));
    }

    [Fact]
    public void FingerprintIsTheSameForTheSameRequest()
    {
        Assert.Equal(Baseline(), Baseline());
        Assert.Equal(
            IdempotencyKey.Fingerprint("POST", "/v1/payments/x/void", "mer_1", null, null),
            IdempotencyKey.Fingerprint("POST", "/v1/payments/x/void", "mer_1", null, null));
    }

    [Fact]
    public void FingerprintIgnoresTheCaseOfTheMethod() =>
        Assert.Equal(Baseline(), IdempotencyKey.Fingerprint("post", "/v1/payments", "mer_1", 1_000, "EUR", "card:4242:12/2030", "capture"));

    public static TheoryData<string, string> ChangedFingerprints() => new()
    {
        { "method", IdempotencyKey.Fingerprint("PUT", "/v1/payments", "mer_1", 1_000, "EUR", "card:4242:12/2030", "capture") },
        { "path", IdempotencyKey.Fingerprint("POST", "/v1/payments/", "mer_1", 1_000, "EUR", "card:4242:12/2030", "capture") },
        { "path case", IdempotencyKey.Fingerprint("POST", "/V1/payments", "mer_1", 1_000, "EUR", "card:4242:12/2030", "capture") },
        { "merchant", IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_2", 1_000, "EUR", "card:4242:12/2030", "capture") },
        { "amount", IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_1", 1_001, "EUR", "card:4242:12/2030", "capture") },
        { "no amount", IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_1", null, "EUR", "card:4242:12/2030", "capture") },
        { "currency", IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_1", 1_000, "USD", "card:4242:12/2030", "capture") },
        { "no currency", IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_1", 1_000, null, "card:4242:12/2030", "capture") },
        { "payment method", IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_1", 1_000, "EUR", "card:4444:12/2030", "capture") },
        { "expiry", IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_1", 1_000, "EUR", "card:4242:11/2030", "capture") },
        { "no payment method", IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_1", 1_000, "EUR", null, "capture") },
        { "extra", IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_1", 1_000, "EUR", "card:4242:12/2030", "authorize") },
        { "no extra", IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_1", 1_000, "EUR", "card:4242:12/2030") },
    };

    [Theory]
    [MemberData(nameof(ChangedFingerprints))]
    public void FingerprintChangesWhenAnyPartOfTheRequestChanges(string changed, string fingerprint) =>
        Assert.True(Baseline() != fingerprint, $"Changing the {changed} left the fingerprint unchanged.");

    [Fact]
    public void AllChangedFingerprintsDifferFromEachOther()
    {
        var fingerprints = ChangedFingerprints().Select(row => row.Data.Item2).Append(Baseline()).ToList();

        Assert.Equal(fingerprints.Count, fingerprints.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void AnAmountOfZeroIsNotTheSameAsNoAmount() =>
        Assert.NotEqual(
            IdempotencyKey.Fingerprint("POST", "/v1/payments/x/capture", "mer_1", 0, null),
            IdempotencyKey.Fingerprint("POST", "/v1/payments/x/capture", "mer_1", null, null));

    [Fact]
    public void AnAbsentFieldAndAFieldSpellingTheAbsenceMarkerFingerprintDifferently() =>
        Assert.NotEqual(
            IdempotencyKey.Fingerprint("POST", "/v1/payments/x/refund", "m", null, null, extra: null),
            IdempotencyKey.Fingerprint("POST", "/v1/payments/x/refund", "m", null, null, extra: "-"));

    [Fact]
    public void AFieldCannotImitateTheBoundaryBetweenTwoFields() =>
        Assert.NotEqual(
            IdempotencyKey.Fingerprint("POST", "/v1/payments", "m", 10, "USD", paymentMethod: "a\nb", extra: null),
            IdempotencyKey.Fingerprint("POST", "/v1/payments", "m", 10, "USD", paymentMethod: "a", extra: "b"));
}
