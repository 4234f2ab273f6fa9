using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Payments.Actors.PspSimulatorTests;

[Collection(SettlementCollection.Name)]
public sealed class SettlementApiTests(SettlementFixture fixture)
{
    private readonly SimulatorHost _host = fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task APspAFileHasTheDaysCaptureRefundChargebackAndReversalForOurPaymentWithAVerifyingManifest()
    {
        var reference = Guid.NewGuid();
        var payment = await WebhookAssert.PostJsonAsync(
            _host, "/psp-a/v1/payments", Bodies.NewKey(), Bodies.PspAPayment(reference.ToString("N"), "4242424242424242", 10_000, capture: true, "EUR"), HttpStatusCode.OK, Ct);
        var paymentId = payment.GetProperty("id").GetString();
        await WebhookAssert.PostJsonAsync(_host, $"/psp-a/v1/payments/{paymentId}/refunds", Bodies.NewKey(), """{"amount":3000}""", HttpStatusCode.OK, Ct);
        var dispute = await WebhookAssert.AdminPostAsync(_host, "/admin/disputes/psp-a", $$"""{"reference":"{{paymentId}}","amount":2000}""", HttpStatusCode.Created, Ct);
        await WebhookAssert.AdminPostAsync(_host, $"/admin/disputes/psp-a/{dispute.GetProperty("id").GetString()}/close", """{"outcome":"won"}""", HttpStatusCode.OK, Ct);

        var result = await WebhookAssert.AdminPostAsync(_host, $"/admin/settlement-files/psp-a?date={Today}", "", HttpStatusCode.Created, Ct);

        var file = Assert.Single(result.GetProperty("files").EnumerateArray()).GetString()!;
        Assert.Equal($"settlement_psp-a_{Today.Replace("-", "", StringComparison.Ordinal)}_", file[..^7]);
        Assert.True(SettlementAssert.VerifiesOnDisk(fixture.Directory, file));
        Assert.Equal(result.GetProperty("sha256").GetString(), File.ReadAllText(Path.Combine(fixture.Directory, file + ".sha256"))[..64]);
        var ours = SettlementAssert.DataLines(fixture.Directory, file).Where(line => line[1] == reference.ToString("D")).ToList();
        Assert.Equal(["capture", "refund", "chargeback", "chargeback_reversal"], ours.Select(static line => line[2]));
        Assert.Equal(["10000,165,9835", "-3000,0,-3000", "-2000,0,-2000", "2000,0,2000"], ours.Select(static line => string.Join(',', line[3..6])));
        Assert.All(ours, line => Assert.Equal(["EUR", Today], line[6..]));
        Assert.Equal(paymentId, ours[0][0]);
        Assert.Contains(file, (await _host.GetJsonAsync("/admin/settlement-files/psp-a", Ct)).GetProperty("files").EnumerateArray().Select(static f => f.GetString()));
    }

    [Fact]
    public async Task APspBSaleIsACaptureLineWithPspBsFeeAndRegeneratingTheDayWritesNothingNew()
    {
        var reference = Guid.NewGuid();
        await WebhookAssert.PostJsonAsync(
            _host, "/psp-b/api/transactions", Bodies.NewKey(), Bodies.PspBTransaction(reference.ToString("N"), "4242424242424242", 2_500, "SALE"), HttpStatusCode.OK, Ct);

        var first = await WebhookAssert.AdminPostAsync(_host, $"/admin/settlement-files/psp-b?date={Today}", "", HttpStatusCode.Created, Ct);
        var again = await WebhookAssert.AdminPostAsync(_host, $"/admin/settlement-files/psp-b?date={Today}", "", HttpStatusCode.OK, Ct);

        var file = first.GetProperty("files")[0].GetString()!;
        var line = Assert.Single(SettlementAssert.DataLines(fixture.Directory, file), l => l[1] == reference.ToString("D"));
        Assert.Equal(["capture", "2500", "45", "2455", "USD"], line[2..7]);
        Assert.Equal(first.GetProperty("sha256").GetString(), again.GetProperty("sha256").GetString());
        Assert.Equal(file, again.GetProperty("files")[0].GetString());
        Assert.False(again.GetProperty("written").GetBoolean());
    }

    [Fact]
    public async Task FaultKnobsAreSetShownAppliedToTheNextFileOnlyAndClearedByDelete()
    {
        await DecidePspACaptureAsync();
        var set = await PutFaultsAsync("""{"missing_line":true,"corrupt_file":true}""");
        Assert.True(set.GetProperty("missing_line").GetBoolean());

        var faulty = await WebhookAssert.AdminPostAsync(_host, "/admin/settlement-files/psp-a", "", HttpStatusCode.Created, Ct);

        Assert.False(SettlementAssert.VerifiesOnDisk(fixture.Directory, faulty.GetProperty("files")[0].GetString()!));
        Assert.False((await _host.GetJsonAsync("/admin/settlement-faults/psp-a", Ct)).GetProperty("corrupt_file").GetBoolean());
        var clean = await WebhookAssert.AdminPostAsync(_host, "/admin/settlement-files/psp-a", "", HttpStatusCode.Created, Ct);
        Assert.Equal(faulty.GetProperty("lines").GetInt32() + 1, clean.GetProperty("lines").GetInt32());
        Assert.True(SettlementAssert.VerifiesOnDisk(fixture.Directory, clean.GetProperty("files")[0].GetString()!));

        await PutFaultsAsync("""{"extra_line":true}""");
        using var cleared = await _host.Client.DeleteAsync("/admin/settlement-faults/psp-a", Ct);
        var none = await SimulatorHost.ReadJsonAsync(cleared, Ct);
        Assert.All(none.EnumerateObject(), static knob => Assert.False(knob.Value.GetBoolean()));
    }

    [Fact]
    public async Task ALateFileIsAcceptedButNotWrittenUntilItIsReleased()
    {
        await DecidePspACaptureAsync();
        await PutFaultsAsync("""{"late":true}""");
        var before = await ListAsync();

        var held = await WebhookAssert.AdminPostAsync(_host, "/admin/settlement-files/psp-a", "", HttpStatusCode.Accepted, Ct);
        var whileHeld = await ListAsync();
        var released = await WebhookAssert.AdminPostAsync(_host, "/admin/settlement-files/psp-a/release", "", HttpStatusCode.OK, Ct);

        Assert.True(held.GetProperty("late").GetBoolean());
        Assert.Equal(before, whileHeld);
        var file = Assert.Single(released.GetProperty("released").EnumerateArray()).GetProperty("files")[0].GetString()!;
        Assert.Equal([.. before, file], await ListAsync());
        Assert.True(SettlementAssert.VerifiesOnDisk(fixture.Directory, file));
    }

    [Theory]
    [InlineData("/admin/settlement-files/bank", HttpStatusCode.NotFound)]
    [InlineData("/admin/settlement-files/psp-z", HttpStatusCode.NotFound)]
    [InlineData("/admin/settlement-files/psp-a?date=14.03.2026", HttpStatusCode.BadRequest)]
    public async Task OnlyCardProvidersAndIsoDatesAreAccepted(string path, HttpStatusCode expected) =>
        await WebhookAssert.AdminPostAsync(_host, path, "", expected, Ct);

    private async Task DecidePspACaptureAsync() =>
        await WebhookAssert.PostJsonAsync(
            _host, "/psp-a/v1/payments", Bodies.NewKey(), Bodies.PspAPayment(Guid.NewGuid().ToString("N"), "4242424242424242", 1_000, capture: true), HttpStatusCode.OK, Ct);

    private async Task<JsonElement> PutFaultsAsync(string json)
    {
        using var response = await _host.Client.PutAsync("/admin/settlement-faults/psp-a", SimulatorHost.Json(json), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SimulatorHost.ReadJsonAsync(response, Ct);
    }

    private async Task<List<string>> ListAsync() =>
        (await _host.GetJsonAsync("/admin/settlement-files/psp-a", Ct)).GetProperty("files").EnumerateArray().Select(static f => f.GetString()!).ToList();
}
