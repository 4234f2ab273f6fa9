using System.Text;
using Microsoft.AspNetCore.Http;
using Payments.Actors.ApiFront.Apis.Webhooks;
using Payments.Actors.IntegrationTests.Infrastructure;
using Xunit;

namespace Payments.Actors.UnitTests.Webhooks;

/// <summary>Each provider's signature scheme (docs/psp-webhooks.md) against deliveries signed as the provider would sign them.</summary>
public sealed class WebhookSignatureTests
{
    private const string Current = "whsec-current-0123456789";
    private const string Previous = "whsec-previous-9876543210";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"payment.captured"}""");

    public static TheoryData<string> Providers => ["psp-a", "psp-b", "bank"];

    [Theory]
    [MemberData(nameof(Providers))]
    public void ABodySignedWithTheCurrentSecretNowIsValid(string provider)
    {
        Assert.Equal(WebhookSignatureVerdict.Valid, Verify(provider, Signed(provider, Body, Current, Now), Body));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void ABodyWithOneByteAlteredAfterSigningIsInvalid(string provider)
    {
        var headers = Signed(provider, Body, Current, Now);
        var altered = (byte[])Body.Clone();
        altered[10] ^= 0x01;

        Assert.Equal(WebhookSignatureVerdict.SignatureInvalid, Verify(provider, headers, altered));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void ABodySignedWithASecretWeDoNotHoldIsInvalid(string provider)
    {
        Assert.Equal(WebhookSignatureVerdict.SignatureInvalid, Verify(provider, Signed(provider, Body, "someone-elses-secret", Now), Body));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void ABodySignedWithThePreviousSecretIsValidWhileTheRotationKeepsIt(string provider)
    {
        var headers = Signed(provider, Body, Previous, Now);

        Assert.Equal(WebhookSignatureVerdict.Valid, Verify(provider, headers, Body, Configured(provider, Current, Previous)));
        Assert.Equal(WebhookSignatureVerdict.SignatureInvalid, Verify(provider, headers, Body, Configured(provider, Current)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void ASignatureMadeMoreThanThreeHundredSecondsAgoOrAheadIsOutOfTolerance(string provider)
    {
        Assert.Equal(WebhookSignatureVerdict.TimestampOutOfTolerance, Verify(provider, Signed(provider, Body, Current, Now.AddSeconds(-301)), Body));
        Assert.Equal(WebhookSignatureVerdict.TimestampOutOfTolerance, Verify(provider, Signed(provider, Body, Current, Now.AddSeconds(301)), Body));
        Assert.Equal(WebhookSignatureVerdict.Valid, Verify(provider, Signed(provider, Body, Current, Now.AddSeconds(-300)), Body));
        Assert.Equal(WebhookSignatureVerdict.Valid, Verify(provider, Signed(provider, Body, Current, Now.AddSeconds(300)), Body));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void AStaleTimestampWithABadSignatureIsAnInvalidSignatureNotAStaleOne(string provider)
    {
        Assert.Equal(WebhookSignatureVerdict.SignatureInvalid, Verify(provider, Signed(provider, Body, "wrong", Now.AddHours(-2)), Body));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void NoSignatureHeaderIsInvalid(string provider)
    {
        Assert.Equal(WebhookSignatureVerdict.SignatureInvalid, Verify(provider, new HeaderDictionary(), Body));
    }

    [Theory]
    [InlineData("psp-a", "X-Request-Signature", "garbage")]
    [InlineData("psp-a", "X-Request-Signature", "t=abc,v1=00")]
    [InlineData("psp-a", "X-Request-Signature", "v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("psp-a", "X-Request-Signature", "t=1764756000")]
    [InlineData("psp-a", "X-Request-Signature", "t=1764756000,t=1764756001,v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("psp-a", "X-Request-Signature", "t=1764756000,v1=zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("psp-b", "X-PSPB-Signature", "not base64!")]
    [InlineData("psp-b", "X-PSPB-Timestamp", "yesterday")]
    [InlineData("psp-b", "X-PSPB-Timestamp", "2026-12-03T10:00:00")]
    [InlineData("bank", "X-Bank-Signature", "ts=1764756000,sig=00")]
    [InlineData("bank", "X-Bank-Signature", "keyId=k1,sig=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("bank", "X-Bank-Signature", "keyId=k1;ts=1764756000;sig=00")]
    public void AMalformedHeaderIsInvalid(string provider, string header, string value)
    {
        var headers = Signed(provider, Body, Current, Now);
        headers[header] = value;

        Assert.Equal(WebhookSignatureVerdict.SignatureInvalid, Verify(provider, headers, Body));
    }

    [Fact]
    public void PspAAcceptsAnyOfSeveralV1SignaturesAndIgnoresOtherSchemes()
    {
        var headers = new HeaderDictionary { ["X-Request-Signature"] = WebhookSigning.PspA(Now.ToUnixTimeSeconds(), Body, "unknown", Current) + ",v0=abc" };

        Assert.Equal(WebhookSignatureVerdict.Valid, Verify("psp-a", headers, Body));
    }

    [Fact]
    public void PspBAcceptsTwoCommaSeparatedSignaturesWhenOneMatches()
    {
        var timestamp = WebhookSigning.PspBTimestamp(Now);
        var headers = new HeaderDictionary
        {
            ["X-PSPB-Timestamp"] = timestamp,
            ["X-PSPB-Signature"] = WebhookSigning.PspB(timestamp, Body, "unknown", Current),
        };

        Assert.Equal(WebhookSignatureVerdict.Valid, Verify("psp-b", headers, Body));
    }

    [Fact]
    public void PspBSignsTheTimestampHeaderSoChangingItBreaksTheSignature()
    {
        var headers = Signed("psp-b", Body, Current, Now);
        headers["X-PSPB-Timestamp"] = WebhookSigning.PspBTimestamp(Now.AddSeconds(1));

        Assert.Equal(WebhookSignatureVerdict.SignatureInvalid, Verify("psp-b", headers, Body));
    }

    [Fact]
    public void TheBanksKeyIdPicksTheSecretAndAnUnknownKeyIdIsInvalid()
    {
        var ts = Now.ToUnixTimeSeconds();
        string[] secrets = ["k2:" + Current, "k1:" + Previous];

        Assert.Equal(WebhookSignatureVerdict.Valid, Verify("bank", Header("X-Bank-Signature", WebhookSigning.Bank("k1", Previous, ts, Body)), Body, secrets));
        Assert.Equal(WebhookSignatureVerdict.SignatureInvalid, Verify("bank", Header("X-Bank-Signature", WebhookSigning.Bank("k1", Current, ts, Body)), Body, secrets));
        Assert.Equal(WebhookSignatureVerdict.SignatureInvalid, Verify("bank", Header("X-Bank-Signature", WebhookSigning.Bank("k9", Current, ts, Body)), Body, secrets));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void NoConfiguredSecretVerifiesNothing(string provider)
    {
        Assert.Equal(WebhookSignatureVerdict.SignatureInvalid, Verify(provider, Signed(provider, Body, Current, Now), Body, []));
    }

    private static WebhookSignatureVerdict Verify(string provider, IHeaderDictionary headers, byte[] body, IReadOnlyList<string>? secrets = null) =>
        Scheme(provider).Verify(headers, body, secrets ?? Configured(provider, Current), Now, Tolerance).Verdict;

    private static IWebhookSignatureScheme Scheme(string provider) => provider switch
    {
        "psp-a" => new PspASignature(),
        "psp-b" => new PspBSignature(),
        _ => new BankSignature(),
    };

    /// <summary>Secrets as configured: the Bank's named by key id (the current one k2, the previous one k1).</summary>
    private static string[] Configured(string provider, params string[] secrets) =>
        provider == "bank" ? [.. secrets.Select(s => (s == Previous ? "k1:" : "k2:") + s)] : secrets;

    private static HeaderDictionary Signed(string provider, byte[] body, string secret, DateTimeOffset at)
    {
        var unix = at.ToUnixTimeSeconds();
        switch (provider)
        {
            case "psp-a":
                return Header("X-Request-Signature", WebhookSigning.PspA(unix, body, secret));
            case "psp-b":
                var timestamp = WebhookSigning.PspBTimestamp(at);
                return new HeaderDictionary { ["X-PSPB-Timestamp"] = timestamp, ["X-PSPB-Signature"] = WebhookSigning.PspB(timestamp, body, secret) };
            default:
                return Header("X-Bank-Signature", WebhookSigning.Bank(secret == Previous ? "k1" : "k2", secret, unix, body));
        }
    }

    private static HeaderDictionary Header(string name, string value) => new() { [name] = value };
}
