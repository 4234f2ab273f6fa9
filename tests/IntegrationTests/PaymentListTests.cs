namespace Payments.Actors.IntegrationTests;

/// <summary>Listing payments Stripe's way: a page after a payment id, and windows of creation time.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PaymentListTests(PlatformFixture platform)
{
    private static string Utc(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task APageStartsAfterAPaymentIdAndCreationTimeBoundsTheList()
    {
        // To the millisecond, below the server's microsecond timestamps of the payments made next.
        var now = DateTimeOffset.UtcNow;
        var before = now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMillisecond));
        var created = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await platform.PostAsync("/v1/payments", Requests.Payment(amount: 700 + i))).Id);
        }

        var window = $"created[gte]={Utc(before)}&created[lt]={Utc(DateTimeOffset.UtcNow.AddMinutes(1))}";
        var all = await platform.GetAsync($"/v1/payments?limit=10&{window}");
        var afterNewest = await platform.GetAsync($"/v1/payments?limit=10&{window}&starting_after={created[2]}");
        var future = await platform.GetAsync($"/v1/payments?limit=10&created[gte]={Utc(DateTimeOffset.UtcNow.AddHours(1))}");

        Assert.Equal([created[2], created[1], created[0]], Ids(all));
        Assert.Equal([created[1], created[0]], Ids(afterNewest));
        Assert.Empty(Ids(future));
    }

    [Fact]
    public async Task AStartingAfterThatIsNoPaymentOfTheCallerIsRefused()
    {
        var others = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 701), clientId: PlatformFixture.MerchantB);

        var response = await platform.GetAsync($"/v1/payments?starting_after={others.Id}");

        Assert.Equal(400, response.Status);
        Assert.Equal("INVALID_CURSOR", response.Json.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task ACreationBoundThatIsNoTimeIsA400NamingIt()
    {
        var response = await platform.GetAsync("/v1/payments?created[gte]=yesterday");

        Assert.Equal(400, response.Status);
        Assert.Equal("created[gte]", response.Json.GetProperty("field").GetString());
    }

    private static List<Guid> Ids(ApiResponse page) =>
        [.. page.Json.GetProperty("data").EnumerateArray().Select(p => Guid.Parse(p.GetProperty("id").GetString()!))];
}
