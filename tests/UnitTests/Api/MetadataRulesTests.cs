using System.Text.Json;
using Payments.Actors.ApiFront.Apis.Payments;
using Payments.Actors.ApiFront.Apis.Wallets;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Idempotency;
using Xunit;

namespace Payments.Actors.UnitTests.Api;

/// <summary>Stripe's metadata rules at the edge: the limits, each refused naming the field, and how a request's metadata is kept and fingerprinted.</summary>
public sealed class MetadataRulesTests
{
    private static Dictionary<string, string?> Pairs(params (string Key, string? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static Dictionary<string, string?> Keys(int count) => Enumerable.Range(0, count).ToDictionary(i => $"k{i:00}", i => (string?)$"v{i}");

    private static void AssertRefusedNaming(string field, Dictionary<string, string?> metadata)
    {
        var failure = MetadataRules.Validate(metadata);

        Assert.NotNull(failure);
        Assert.Equal(field, failure.Field);
        Assert.False(string.IsNullOrWhiteSpace(failure.Message));
    }

    [Fact]
    public void NoMetadataAndMetadataAtEveryLimitPass()
    {
        Assert.Null(MetadataRules.Validate(null));
        Assert.Null(MetadataRules.Validate(Pairs()));
        Assert.Null(MetadataRules.Validate(Keys(MetadataLimits.KeysMax)));
        Assert.Null(MetadataRules.Validate(Pairs((new string('k', MetadataLimits.KeyLengthMax), new string('v', MetadataLimits.ValueLengthMax)))));
        // Characters are code points: 40 emoji are 80 UTF-16 units, and still 40 characters.
        Assert.Null(MetadataRules.Validate(Pairs((string.Concat(Enumerable.Repeat("😀", MetadataLimits.KeyLengthMax)), "ok"))));
        Assert.Null(MetadataRules.Validate(Pairs(("order_id", ""), ("Ünïcödé key", "value with spaces, \"quotes\" and é"))));
    }

    [Fact]
    public void MoreThanFiftyKeysAreRefusedNamingMetadata() => AssertRefusedNaming("metadata", Keys(MetadataLimits.KeysMax + 1));

    [Fact]
    public void AKeyLongerThanFortyCharactersIsRefusedNamingMetadata() =>
        AssertRefusedNaming("metadata", Pairs((new string('k', MetadataLimits.KeyLengthMax + 1), "v")));

    [Fact]
    public void AnEmptyKeyIsRefusedNamingMetadata() => AssertRefusedNaming("metadata", Pairs(("", "v")));

    [Theory]
    [InlineData("a[b")]
    [InlineData("a]b")]
    [InlineData("[0]")]
    public void AKeyWithASquareBracketIsRefusedNamingTheKey(string key) => AssertRefusedNaming($"metadata.{key}", Pairs((key, "v")));

    [Fact]
    public void AValueLongerThanFiveHundredCharactersIsRefusedNamingTheKey() =>
        AssertRefusedNaming("metadata.note", Pairs(("a", "ok"), ("note", new string('v', MetadataLimits.ValueLengthMax + 1))));

    [Fact]
    public void ANullValueIsRefusedNamingTheKey() => AssertRefusedNaming("metadata.order_id", Pairs(("order_id", null)));

    [Fact]
    public void TextPostgresCannotStoreIsRefusedInAValueNamingTheKeyAndInAKeyNamingMetadata()
    {
        // Built here, not as theory data: the runner would replace an unpaired surrogate before the test saw it.
        foreach (var text in new[] { "nul\u0000inside", "lone " + (char)0xD800 + " surrogate", "reversed " + (char)0xDC00 + (char)0xD800 })
        {
            AssertRefusedNaming("metadata.k", Pairs(("k", text)));
            AssertRefusedNaming("metadata", Pairs((text, "v")));
        }
    }

    [Fact]
    public void TheFirstFailureInKeyOrderIsReported() =>
        AssertRefusedNaming("metadata.a", Pairs(("b", null), ("a", new string('v', MetadataLimits.ValueLengthMax + 1))));

    [Fact]
    public void EveryCreateValidatesItsMetadata()
    {
        var tooMany = Keys(MetadataLimits.KeysMax + 1);
        var card = new CardRequest("4242424242424242", 12, 2030, "123");

        Assert.Equal("metadata", PaymentValidation.Validate(new CreatePaymentRequest(100, "EUR", true, card, null, null, Metadata: tooMany), 1_000)?.Field);
        Assert.Equal("metadata", PaymentValidation.Validate(
            new CreatePaymentRequest(100, "EUR", true, null, null, null, new PaymentMethodRequest("wallet", "w1"), tooMany), 1_000)?.Field);
        Assert.Equal("metadata", PaymentValidation.Validate(new RefundRequest(100, null, tooMany), 1_000)?.Field);
        Assert.Equal("metadata", WalletValidation.Validate(new WalletTransferRequest(100, "EUR", null, tooMany), 1_000)?.Field);
        Assert.Equal("metadata", WalletValidation.Validate(new HoldRequest(100, "EUR", 60, tooMany), 1_000)?.Field);
    }

    [Fact]
    public void WhatIsKeptIsInOrdinalKeyOrderWithoutTheKeysOfEmptyValues()
    {
        var kept = MetadataRules.ToMetadata(Pairs(("b", "2"), ("a", "1"), ("gone", ""), ("B", "3")));

        Assert.NotNull(kept);
        Assert.Equal(["B", "a", "b"], kept.Keys);
        Assert.Equal("1", kept["a"]);
        Assert.False(kept.ContainsKey("gone"));
        Assert.Null(MetadataRules.ToMetadata(Pairs(("gone", ""))));
        Assert.Null(MetadataRules.ToMetadata(null));
    }

    [Fact]
    public void TheFingerprintIgnoresKeyOrderButTellsAbsentEmptyAndEveryDifferentPairApart()
    {
        static string? Digest(Dictionary<string, string?>? metadata) => MetadataRules.Fingerprint(metadata).Value;

        Assert.Equal("metadata", MetadataRules.Fingerprint(null).Name);
        Assert.Equal(Digest(Pairs(("a", "1"), ("b", "2"))), Digest(Pairs(("b", "2"), ("a", "1"))));
        string?[] different =
        [
            Digest(null), Digest(Pairs()), Digest(Pairs(("a", ""))), Digest(Pairs(("a", "1"))), Digest(Pairs(("a", "2"))),
            Digest(Pairs(("A", "1"))), Digest(Pairs(("a", "1"), ("b", "2"))), Digest(Pairs(("a1", ""))),
        ];
        Assert.Equal(different.Length, different.Distinct().Count());
    }

    [Fact]
    public void AReusedKeyWithOtherMetadataDiffersInTheMetadataFieldOnly()
    {
        RequestField[] Body(string orderId) => [RequestField.Of("amount_minor", 100L), MetadataRules.Fingerprint(Pairs(("order_id", orderId)))];
        var first = RequestFingerprint.Of("mer_1", "/v1/payments", Body("1"));
        var second = RequestFingerprint.Of("mer_1", "/v1/payments", Body("2"));

        Assert.NotEqual(first.Hash, second.Hash);
        Assert.Equal(["metadata"], RequestFingerprint.DifferingFields(first.FieldDigests, second.FieldDigests));
    }

    [Fact]
    public void ARequestBodyReadsMetadataWithItsKeysAsSent()
    {
        var request = JsonSerializer.Deserialize<CreatePaymentRequest>("""{"amount_minor":1,"metadata":{"orderId":"7","Order-Ref":"x"}}""", ApiJson.Options)!;

        Assert.Equal(Pairs(("orderId", "7"), ("Order-Ref", "x")), request.Metadata);
    }
}
