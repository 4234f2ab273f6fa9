using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Payments.Actors.PspSimulatorTests;

/// <summary>Configurations other than the shared fixture's; each test starts its own receiver and simulator.</summary>
public sealed class WebhookConfigurationTests
{
    private const string PreviousSecret = "previous-webhook-secret-0123456789";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NothingIsSentForAProviderWithoutAUrl()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookFixture.Secrets());
        await using var host = await SimulatorHost.StartAsync(
        [
            $"Providers:psp-a:Webhooks:Url={receiver.UrlFor("psp-a")}",
            $"Providers:psp-a:Webhooks:Secret={WebhookFixture.PspASecret}",
        ]);
        var silent = WebhookAssert.NewPaymentId();
        var silentTransfer = Bodies.NewReference();
        var barrier = WebhookAssert.NewPaymentId();

        await WebhookAssert.DecideOneAsync(host, "psp-b", silent, Ct);
        await WebhookAssert.DecideOneAsync(host, "bank", silentTransfer, Ct);
        await WebhookAssert.DecideOneAsync(host, "psp-a", barrier, Ct);
        await receiver.WaitForAsync(barrier, 1, Ct);

        Assert.Equal(["psp-a"], receiver.Received.Select(static w => w.Provider));
        foreach (var provider in new[] { "psp-b", "bank" })
        {
            var stats = await WebhookAssert.StatsAsync(host, provider, Ct);
            Assert.False(stats.GetProperty("enabled").GetBoolean());
            Assert.Equal(0, stats.GetProperty("notifications").GetInt64());
        }

        Assert.Empty((await WebhookAssert.NotificationsAsync(host, "psp-b", silent, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task DuringARotationPspAAndPspBSignWithBothSecretsAndTheBankNamesItsCurrentKey()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookFixture.Secrets());
        var settings = WebhookFixture.Settings(receiver);
        settings.AddRange(WebhookFixture.Providers.Select(static provider => $"Providers:{provider}:Webhooks:PreviousSecret={PreviousSecret}"));
        await using var host = await SimulatorHost.StartAsync(settings);
        var reference = WebhookAssert.NewPaymentId();

        foreach (var provider in WebhookFixture.Providers)
        {
            await WebhookAssert.DecideOneAsync(host, provider, reference, Ct);
        }

        var received = await receiver.WaitForAsync(reference, 3, Ct);

        WebhookAssert.AllSignedAndClean(received);
        var pspA = received.Single(static w => w.Provider == "psp-a");
        var signatures = WebhookVerifier.Parts(pspA.Headers["X-Request-Signature"]);
        Assert.Equal(["t", "v1", "v1"], signatures.Select(static p => p.Key));
        var signed = Encoding.UTF8.GetBytes(signatures[0].Value + ".").Concat(pspA.Body).ToArray();
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(PreviousSecret), signed)), signatures[2].Value);
        var pspB = received.Single(static w => w.Provider == "psp-b");
        Assert.Equal(2, pspB.Headers["X-PSPB-Signature"].Split(',').Length);
        Assert.Equal(
            WebhookVerdict.Valid,
            WebhookVerifier.Verify("psp-b", pspB.Headers, pspB.Body, [("", PreviousSecret)], TimeProvider.System.GetUtcNow()));
        var bank = received.Single(static w => w.Provider == "bank");
        Assert.Equal(WebhookFixture.BankKeyId, WebhookVerifier.Parts(bank.Headers["X-Bank-Signature"])[0].Value);
    }

    [Fact]
    public async Task CapturesSettleByThemselvesAfterSettleAfterMs()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookFixture.Secrets());
        var settings = WebhookFixture.Settings(receiver);
        settings.AddRange(["Providers:psp-a:Webhooks:SettleAfterMs=100", "Providers:psp-b:Webhooks:SettleAfterMs=100"]);
        await using var host = await SimulatorHost.StartAsync(settings);
        var sale = WebhookAssert.NewPaymentId();
        var authorised = WebhookAssert.NewPaymentId();

        await WebhookAssert.PostJsonAsync(host, "/psp-a/v1/payments", Bodies.NewKey(), Bodies.PspAPayment(sale, "4242424242424242", capture: true), HttpStatusCode.OK, Ct);
        var txn = await WebhookAssert.DecideOneAsync(host, "psp-b", authorised, Ct);
        await WebhookAssert.PostJsonAsync(host, $"/psp-b/api/transactions/{txn.GetProperty("txnId").GetString()}/settle", Bodies.NewKey(), "", HttpStatusCode.OK, Ct);

        var pspA = await receiver.WaitForAsync(sale, 2, Ct);
        var pspB = await receiver.WaitForAsync(authorised, 3, Ct);

        Assert.Equal(["payment.captured", "payment.settled"], pspA.Select(static w => w.Type));
        Assert.Equal(["AUTHORISATION", "CAPTURE", "SETTLEMENT"], pspB.Select(static w => w.Type));
        Assert.True(Assert.Single((await host.ChargesAsync("psp-a", sale, Ct)).EnumerateArray()).GetProperty("settled").GetBoolean());
        var settledAgain = await WebhookAssert.AdminPostAsync(host, "/admin/settle/psp-a", "", HttpStatusCode.OK, Ct);
        Assert.Equal(0, settledAgain.GetProperty("settled").GetInt32());
    }

    [Fact]
    public async Task MaxInFlightBoundsTheAttemptsWaitingForAnAnswer()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookFixture.Secrets());
        var settings = WebhookFixture.Settings(receiver);
        settings.Add("Providers:psp-b:Webhooks:MaxInFlight=2");
        await using var host = await SimulatorHost.StartAsync(settings);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.AnswerGate = gate.Task;
        var references = Enumerable.Range(0, 3).Select(static _ => WebhookAssert.NewPaymentId()).ToList();

        foreach (var reference in references)
        {
            await WebhookAssert.DecideOneAsync(host, "psp-b", reference, Ct);
        }

        await receiver.WaitForAsync(references[1], 1, Ct);

        // The third may only go once one of the two unanswered ones is answered; give it time to show it waits.
        await Task.Delay(150, Ct);
        Assert.Empty(receiver.For(references[2]));
        Assert.Equal(2, (await WebhookAssert.StatsAsync(host, "psp-b", Ct)).GetProperty("in_flight").GetInt64());
        gate.SetResult();
        Assert.Single(await receiver.WaitForAsync(references[2], 1, Ct));
    }

    [Fact]
    public async Task AFullQueueDropsNewNotificationsAndResendsAndCountsThem()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookFixture.Secrets());
        var settings = WebhookFixture.Settings(receiver);
        settings.Add("Providers:bank:Webhooks:QueueCapacity=2");
        await using var host = await SimulatorHost.StartAsync(settings);
        await WebhookAssert.SetWebhookFaultsAsync(host, "bank", """{"paused":true}""", Ct);

        var references = Enumerable.Range(0, 3).Select(static _ => Bodies.NewReference()).ToList();
        foreach (var reference in references)
        {
            await WebhookAssert.DecideOneAsync(host, "bank", reference, Ct);
        }

        var queued = Assert.Single((await WebhookAssert.NotificationsAsync(host, "bank", references[0], Ct)).EnumerateArray());
        using var resend = await host.Client.PostAsync($"/admin/webhooks/bank/{queued.GetProperty("id").GetString()}/resend", content: null, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, resend.StatusCode);
        Assert.Equal("webhook_queue_full", (await SimulatorHost.ReadJsonAsync(resend, Ct)).GetProperty("error").GetString());
        var stats = await WebhookAssert.StatsAsync(host, "bank", Ct);
        Assert.Equal([2L, 2, 3], new[] { "queued", "dropped", "notifications" }.Select(n => stats.GetProperty(n).GetInt64()));
    }

    [Theory]
    [InlineData("Providers:psp-a:Webhooks:Url=http://127.0.0.1:1/hook")]
    [InlineData("Providers:psp-b:Webhooks:Url=ftp://127.0.0.1/hook", "Providers:psp-b:Webhooks:Secret=0123456789abcdef0123")]
    [InlineData("Providers:bank:Webhooks:Secret=short")]
    [InlineData("Providers:bank:Webhooks:KeyId=key,with=separators")]
    [InlineData("Providers:psp-a:Webhooks:RetryBaseMs=0")]
    [InlineData("Providers:psp-a:Webhooks:RetryMaxMs=10", "Providers:psp-a:Webhooks:RetryBaseMs=500")]
    [InlineData("Providers:psp-b:Webhooks:MaxAttempts=0")]
    public async Task InvalidWebhookSettingsFailStartUp(params string[] settings)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => SimulatorHost.StartAsync(settings));

        Assert.Contains(":Webhooks:", exception.Message, StringComparison.Ordinal);
    }
}
