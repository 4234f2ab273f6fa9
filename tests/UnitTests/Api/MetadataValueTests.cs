using System.Text.Json;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;
using Xunit;

namespace Payments.Actors.UnitTests.Api;

/// <summary>The metadata value: one canonical order, keys written exactly as sent by every JSON setting we use, and never printed.</summary>
public sealed class MetadataValueTests
{
    private static readonly Metadata Sample = Metadata.Of(new Dictionary<string, string>
    {
        ["orderId"] = "6735",
        ["Customer Name"] = "Zoë \"Z\" <z@example.com>",
        ["a"] = "1",
    })!;

    [Fact]
    public void ThePairsAreKeptInOrdinalKeyOrderWhateverOrderTheyCameIn()
    {
        var reversed = Metadata.Of(Sample.Reverse())!;

        Assert.Equal(["Customer Name", "a", "orderId"], Sample.Keys);
        Assert.Equal(Sample, reversed);
        Assert.Equal(Sample.GetHashCode(), reversed.GetHashCode());
        Assert.NotEqual(Sample, Metadata.Of([new("a", "1")]));
        Assert.Null(Metadata.Of([]));
        Assert.True(Sample.TryGetValue("orderId", out var orderId) && orderId == "6735");
        Assert.False(Sample.ContainsKey("orderid"));
    }

    [Fact]
    public void EveryJsonSettingWritesTheKeysAsSentAndReadsThemBack()
    {
        foreach (var options in new[] { ApiJson.Options, StoreJson.Options, EventJson.Options, JsonSerializerOptions.Default })
        {
            var json = JsonSerializer.Serialize(Sample, options);

            Assert.StartsWith("""{"Customer Name":""", json, StringComparison.Ordinal);
            Assert.Contains("\"orderId\":\"6735\"", json, StringComparison.Ordinal);
            Assert.Equal(Sample, JsonSerializer.Deserialize<Metadata>(json, options));
        }

        Assert.Equal("{}", JsonSerializer.Serialize(Metadata.Empty, ApiJson.Options));
    }

    [Theory]
    [InlineData("""{"a":1}""")]
    [InlineData("""{"a":null}""")]
    [InlineData("""["a"]""")]
    [InlineData("""{"a":{"b":"c"}}""")]
    public void JsonThatIsNoObjectOfStringsDoesNotRead(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Metadata>(json, StoreJson.Options));

    [Fact]
    public void AnEventPayloadCarriesTheMetadataAndAnOlderPayloadWithoutItStillReads()
    {
        var payload = new PaymentEventV1(Guid.NewGuid(), "payment.captured", Guid.NewGuid(), "mer_1", 100, "EUR", "psp-a", null, null, "CAPTURED", 2,
            DateTimeOffset.UnixEpoch, null, Sample, null);

        var json = EventJson.Serialize(payload);
        var older = EventJson.Deserialize<PaymentEventV1>(json.Replace(",\"metadata\":" + JsonSerializer.Serialize(Sample), "", StringComparison.Ordinal))!;

        Assert.Contains("\"metadata\":{\"Customer Name\"", json, StringComparison.Ordinal);
        Assert.Contains("\"refund_metadata\":null", json, StringComparison.Ordinal);
        Assert.Equal(Sample, EventJson.Deserialize<PaymentEventV1>(json)!.Metadata);
        Assert.Null(older.Metadata);
    }

    [Fact]
    public void ItPrintsHowManyPairsItHoldsButNoneOfThem()
    {
        var printed = new CreatePayment("mer_1", "k", "f", 100, "EUR", true, null, null, null, null, Sample).ToString();

        Assert.Contains("Metadata { 3 keys }", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("6735", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("orderId", printed, StringComparison.Ordinal);
    }
}
