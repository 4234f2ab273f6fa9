using System.Security.Cryptography;
using System.Text;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulatorTests;

public sealed class RequestSignatureTests
{
    private const string Secret = "unit-secret-0123456789";
    private const long Timestamp = 1_700_000_000;
    private static readonly byte[] Body = """{"amount":1000}"""u8.ToArray();

    [Fact]
    public void SignatureIsHmacSha256OverTimestampMethodTargetAndBody()
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(Secret),
            Encoding.UTF8.GetBytes("1700000000.POST./psp-a/v1/payments?x=1.{\"amount\":1000}")));

        var signature = RequestSignature.Sign(Secret, Timestamp, "post", "/psp-a/v1/payments?x=1", Body);

        Assert.Equal($"t=1700000000,v1={expected}", signature);
    }

    [Fact]
    public void SignatureVerifiesForTheRequestItSigned()
    {
        var signature = RequestSignature.Sign(Secret, Timestamp, "POST", "/p", Body);

        Assert.Equal(SignatureVerdict.Valid, RequestSignature.Verify(Secret, signature, "POST", "/p", Body, Timestamp + 10));
    }

    [Theory]
    [InlineData("GET", "/p", """{"amount":1000}""")]
    [InlineData("POST", "/q", """{"amount":1000}""")]
    [InlineData("POST", "/p", """{"amount":1001}""")]
    public void AnyChangeToMethodTargetOrBodyIsAMismatch(string method, string target, string body)
    {
        var signature = RequestSignature.Sign(Secret, Timestamp, "POST", "/p", Body);

        Assert.Equal(SignatureVerdict.Mismatch, RequestSignature.Verify(Secret, signature, method, target, Encoding.UTF8.GetBytes(body), Timestamp));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void TimestampsOutsideTheToleranceAreStale(long skewSeconds)
    {
        var signature = RequestSignature.Sign(Secret, Timestamp, "POST", "/p", Body);

        Assert.Equal(SignatureVerdict.Stale, RequestSignature.Verify(Secret, signature, "POST", "/p", Body, Timestamp + skewSeconds));
    }

    [Theory]
    [InlineData(null, SignatureVerdict.Missing)]
    [InlineData("", SignatureVerdict.Missing)]
    [InlineData("garbage", SignatureVerdict.Malformed)]
    [InlineData("t=abc,v1=00", SignatureVerdict.Malformed)]
    [InlineData("t=1700000000", SignatureVerdict.Malformed)]
    [InlineData("t=1700000000,v1=zz", SignatureVerdict.Malformed)]
    public void BrokenHeadersAreMissingOrMalformed(string? header, SignatureVerdict verdict)
    {
        Assert.Equal(verdict, RequestSignature.Verify(Secret, header, "POST", "/p", Body, Timestamp));
    }

    [Fact]
    public void AnyOfSeveralSignaturesMayMatchDuringSecretRotation()
    {
        var old = RequestSignature.Sign("old-secret-0123456789", Timestamp, "POST", "/p", Body);
        var current = RequestSignature.Sign(Secret, Timestamp, "POST", "/p", Body);
        var header = $"{old},{current["t=1700000000,".Length..]}";

        Assert.Equal(SignatureVerdict.Valid, RequestSignature.Verify(Secret, header, "POST", "/p", Body, Timestamp));
    }
}
