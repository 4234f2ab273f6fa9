using Payments.Actors.Grains.Payments;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Payments;
using Xunit;
using static Payments.Actors.UnitTests.Payments.PaymentScenario;

namespace Payments.Actors.UnitTests.Payments;

/// <summary>An authorisation holds for its PSP's validity: the payment knows until when, and nothing captures it after.</summary>
public sealed class AuthorizationExpiryTests
{
    [Fact]
    public void AnApprovedAuthorisationExpiresAfterItsPspsValidityAndASaleHasNoExpiry()
    {
        var authorized = Accepted(PaymentDecider.Complete(Initiated(), Approved(), T0.AddSeconds(1), TimeSpan.FromDays(5)));
        var sale = Accepted(PaymentDecider.Complete(Initiated(capture: true), Approved(), T0.AddSeconds(1), TimeSpan.FromDays(5)));
        var byDefault = Accepted(PaymentDecider.Complete(Initiated(), Approved(), T0.AddSeconds(1)));

        Assert.Equal(T0.AddSeconds(1).AddDays(5), authorized.AuthorizationExpiresAt);
        Assert.Null(sale.AuthorizationExpiresAt);
        Assert.Equal(T0.AddSeconds(1) + PspProviderOptions.AuthorizationValidityDefault, byDefault.AuthorizationExpiresAt);
    }

    [Fact]
    public void ACaptureOrAVoidEndsTheExpiryAndAFailedCaptureKeepsIt()
    {
        var authorized = Authorized();
        var capturing = Accepted(PaymentDecider.StartCapture(authorized, Capture(), 2, T0.AddSeconds(2)));
        var refused = PaymentDecider.Complete(capturing, Rejected("no"), T0.AddSeconds(3)).NewState!;
        var captured = Accepted(PaymentDecider.Complete(capturing, Approved(), T0.AddSeconds(3)));

        Assert.Equal(authorized.AuthorizationExpiresAt, refused.AuthorizationExpiresAt);
        Assert.Null(captured.AuthorizationExpiresAt);
        Assert.Null(Reversed().AuthorizationExpiresAt);
    }

    [Fact]
    public void AnExpiredAuthorisationCannotBeCapturedButCanBeVoided()
    {
        var authorized = Authorized();
        var expiry = authorized.AuthorizationExpiresAt!.Value;

        var late = PaymentDecider.StartCapture(authorized, Capture(), 2, expiry);
        var justInTime = PaymentDecider.StartCapture(authorized, Capture(), 2, expiry.AddTicks(-10));
        var voiding = PaymentDecider.StartVoid(authorized, Void(), 2, expiry.AddDays(1));

        Assert.Equal(PaymentResultCode.InvalidState, late.Rejection);
        Assert.Contains("expired", late.Message, StringComparison.Ordinal);
        Assert.False(justInTime.IsRejected);
        Assert.False(voiding.IsRejected);
    }
}
