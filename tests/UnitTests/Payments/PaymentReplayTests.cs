using Payments.Actors.Grains.Payments;
using Payments.Actors.Payments;
using Xunit;

namespace Payments.Actors.UnitTests.Payments;

public sealed class PaymentReplayTests
{
    private static readonly DateTimeOffset Expires = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, OperationRecord> Operations(string? digests) =>
        new() { ["k1"] = new OperationRecord("k1", "aa", "void", null, Expires, digests) };

    [Fact]
    public void AKeyReusedWithAnotherRequestIsRefusedWithTheDigestsOfItsFirstUse()
    {
        var refused = PaymentReplay.Replay(Operations("""{"path":"01"}"""), null, new VoidPayment("m", "k1", "bb") { FieldDigests = """{"path":"02"}""" }, "void");

        Assert.Equal((PaymentResultCode.IdempotencyKeyReused, """{"path":"01"}"""), (refused?.Code, refused?.StoredFieldDigests));
    }

    [Fact]
    public void AKeyStoredBeforeDigestsExistedIsRefusedWithoutDigests()
    {
        var refused = PaymentReplay.Replay(Operations(null), null, new VoidPayment("m", "k1", "bb") { FieldDigests = """{"path":"02"}""" }, "void");

        Assert.Equal((PaymentResultCode.IdempotencyKeyReused, (string?)null), (refused?.Code, refused?.StoredFieldDigests));
    }

    [Fact]
    public void TheSameFingerprintStillWaitsForThePspAndCarriesNoDigests()
    {
        var pending = PaymentReplay.Replay(Operations("""{"path":"01"}"""), null, new VoidPayment("m", "k1", "aa"), "void");

        Assert.Equal((PaymentResultCode.Pending, true, (string?)null), (pending?.Code, pending?.Replayed, pending?.StoredFieldDigests));
    }

    [Fact]
    public void AfterAConflictAKeyBoundToAnotherRequestIsRefusedWithItsDigests()
    {
        var binding = new KeyBinding(Guid.NewGuid(), "create", "aa", """{"reference":"01"}""");

        var refused = PaymentReplay.AfterConflict(binding, Guid.NewGuid(), null, new VoidPayment("m", "k1", "bb"), "void");

        Assert.Equal((PaymentResultCode.IdempotencyKeyReused, """{"reference":"01"}"""), (refused.Code, refused.StoredFieldDigests));
    }
}
