using System.Text;
using Payments.Actors.ApiFront.Edge.Idempotency;
using Xunit;

namespace Payments.Actors.UnitTests.Api;

public sealed class RequestFingerprintTests
{
    private static RequestField[] Body(long? amount = 1_000, string? reference = "order-1", string? description = "books") =>
    [
        RequestField.Of("amount_minor", amount),
        RequestField.Of("currency", "EUR"),
        RequestField.Of("capture", true),
        RequestField.Of("card", present: true, "4242", "12", "2030"),
        RequestField.Of("reference", reference),
        RequestField.Of("description", description),
    ];

    private static RequestFingerprint Of(RequestField[] body, string path = "/v1/payments", string merchant = "mer_1") =>
        RequestFingerprint.Of(merchant, path, body);

    [Fact]
    public void TheHashIsSixtyFourLowerCaseHexDigitsAndTheSameForTheSameRequest()
    {
        var fingerprint = Of(Body());

        Assert.Equal(64, fingerprint.Hash.Length);
        Assert.All(fingerprint.Hash, c => Assert.True(char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)));
        Assert.Equal(fingerprint, Of(Body()));
    }

    [Fact]
    public void TheOrderInWhichFieldsAreGivenDoesNotMatter() =>
        Assert.Equal(Of(Body()), Of([.. Body().Reverse()]));

    public static TheoryData<string, RequestField[]> ChangedBodies() => new()
    {
        { "amount_minor", Body(amount: 1_001) },
        { "reference", Body(reference: "order-2") },
        { "description", Body(description: "more books") },
    };

    [Theory]
    [MemberData(nameof(ChangedBodies))]
    public void TheHashChangesAndTheDiffNamesExactlyTheFieldThatChanged(string field, RequestField[] body)
    {
        var (first, second) = (Of(Body()), Of(body));

        Assert.NotEqual(first.Hash, second.Hash);
        Assert.Equal([field], RequestFingerprint.DifferingFields(first.FieldDigests, second.FieldDigests));
    }

    [Fact]
    public void TwoChangedFieldsAreBothNamedInNameOrder() =>
        Assert.Equal(["amount_minor", "description"],
            RequestFingerprint.DifferingFields(Of(Body()).FieldDigests, Of(Body(amount: 5, description: "other")).FieldDigests));

    [Fact]
    public void AnotherRouteIsNamedAsThePath() =>
        Assert.Equal([RequestFingerprint.PathField],
            RequestFingerprint.DifferingFields(Of(Body()).FieldDigests, Of(Body(), path: "/v1/payments/x/refund").FieldDigests));

    [Fact]
    public void TheSameRequestDiffersInNoField() =>
        Assert.Empty(RequestFingerprint.DifferingFields(Of(Body()).FieldDigests, Of(Body()).FieldDigests)!);

    [Fact]
    public void AFieldPresentOnlyOnOneSideDiffers() =>
        Assert.Equal(["reason"], RequestFingerprint.DifferingFields(
            RequestFingerprint.Of("m", "/p", [RequestField.Of("amount_minor", 1L)]).FieldDigests,
            RequestFingerprint.Of("m", "/p", [RequestField.Of("amount_minor", 1L), RequestField.Of("reason", "x")]).FieldDigests));

    [Fact]
    public void AnotherMerchantChangesTheHash() =>
        Assert.NotEqual(Of(Body()).Hash, Of(Body(), merchant: "mer_2").Hash);

    [Fact]
    public void AnAbsentFieldAnEmptyOneAndOneSpellingTheAbsenceMarkerAreThreeDifferentRequests()
    {
        var hashes = new[] { null, "", "-1:", "-" }.Select(reference => Of(Body(reference: reference)).Hash).ToList();

        Assert.Equal(hashes.Count, hashes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void AnAmountOfZeroIsNotTheSameAsNoAmount() =>
        Assert.NotEqual(Of(Body(amount: 0)).Hash, Of(Body(amount: null)).Hash);

    [Fact]
    public void AnEmptyObjectIsNotTheSameAsAnAbsentOne() =>
        Assert.NotEqual(
            RequestFingerprint.Of("m", "/p", [RequestField.Of("payment_method", present: true, null, null)]).Hash,
            RequestFingerprint.Of("m", "/p", [RequestField.Of("payment_method", present: false)]).Hash);

    [Fact]
    public void AValueCannotImitateTheBoundaryBetweenTwoFields() =>
        Assert.NotEqual(
            RequestFingerprint.Of("m", "/p", [RequestField.Of("reference", "a"), RequestField.Of("description", "b")]).Hash,
            RequestFingerprint.Of("m", "/p", [RequestField.Of("reference", "a1:b"), RequestField.Of("description", (string?)null)]).Hash);

    [Fact]
    public void TheDigestsHoldNoValueOnlyFieldNamesAndDigests()
    {
        var digests = Of(Body(reference: "secret-reference")).FieldDigests!;

        Assert.DoesNotContain("secret-reference", digests, StringComparison.Ordinal);
        Assert.DoesNotContain("4242", digests, StringComparison.Ordinal);
        Assert.Contains("\"reference\":", digests, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyStoredWithoutDigestsNamesNoField()
    {
        Assert.Null(RequestFingerprint.DifferingFields(null, Of(Body()).FieldDigests));
        Assert.Null(RequestFingerprint.DifferingFields("not json", Of(Body()).FieldDigests));
    }

    [Fact]
    public void EachFieldIsFingerprintedOnce() =>
        Assert.Throws<ArgumentException>(() => RequestFingerprint.Of("m", "/p", [RequestField.Of("reference", "a"), RequestField.Of("reference", "b")]));

    [Fact]
    public void ACachedEntryWithDigestsReadsBackWhole()
    {
        var entry = new CachedResponse(Of(Body()).Hash, 201, "{\"id\":1}"u8.ToArray(), Of(Body()).FieldDigests);

        var read = IdempotencyCache.Decode(IdempotencyCache.Encode(entry))!;

        Assert.Equal((entry.Fingerprint, entry.StatusCode, entry.FieldDigests), (read.Fingerprint, read.StatusCode, read.FieldDigests));
        Assert.Equal(entry.Body, read.Body);
    }

    [Fact]
    public void ACachedEntryWrittenBeforeDigestsExistedReadsBackWithoutDigests()
    {
        var legacy = IdempotencyKey.Fingerprint("POST", "/v1/payments", "mer_1", 1_000, "EUR");
        var bytes = Encoding.ASCII.GetBytes(legacy).Concat(new byte[] { 0, 201 }).Concat("{}"u8.ToArray()).ToArray();

        var read = IdempotencyCache.Decode(bytes)!;

        Assert.Equal((legacy, 201, "{}", (string?)null), (read.Fingerprint, read.StatusCode, Encoding.UTF8.GetString(read.Body), read.FieldDigests));
    }
}
