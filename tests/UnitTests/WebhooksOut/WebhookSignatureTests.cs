using System.Security.Cryptography;
using System.Text;
using Payments.Actors.Grains.WebhookEndpoints;
using Xunit;

namespace Payments.Actors.UnitTests.WebhooksOut;

public sealed class WebhookSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 5, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","object":"event"}""");

    [Fact]
    public void TheHeaderIsTheUnixTimeAndTheHexHmacOfTimeDotBodyUnderTheSecret()
    {
        var header = WebhookSignature.Header(Now, Body, ["whsec_one"]);

        var t = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_one"), Encoding.ASCII.GetBytes(t + ".").Concat(Body).ToArray()));
        Assert.Equal($"t={t},v1={expected}", header);
    }

    [Fact]
    public void DuringARotationBothSecretsSignAndEitherVerifies()
    {
        var header = WebhookSignature.Header(Now, Body, ["whsec_new", "whsec_old"]);

        Assert.Equal(2, header.Split(',').Count(part => part.StartsWith("v1=", StringComparison.Ordinal)));
        Assert.True(WebhookSignature.Verify(header, Body, "whsec_new", Now, TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify(header, Body, "whsec_old", Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(header, Body, "whsec_other", Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void AChangedBodyOrAStaleTimestampDoesNotVerify()
    {
        var header = WebhookSignature.Header(Now, Body, ["whsec_one"]);

        Assert.False(WebhookSignature.Verify(header, [.. Body, (byte)' '], "whsec_one", Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(header, Body, "whsec_one", Now.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify(header, Body, "whsec_one", Now.AddMinutes(4), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void SecretsAreWhsecAndThirtyTwoRandomBytesNeverTheSameTwice()
    {
        var (a, b) = (WebhookSecrets.New(), WebhookSecrets.New());

        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(a.AsSpan(6)).Length);
        Assert.NotEqual(a, b);
    }
}
