using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>Listing payments Stripe's way: a page after or before a payment id or cursor, and windows of creation time.</summary>
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

    [Fact]
    public async Task EndingBeforeWalksBackExactlyThePagesStartingAfterWalkedForward()
    {
        var window = $"created[gte]={Utc(Truncated(DateTimeOffset.UtcNow))}";
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await platform.PostAsync("/v1/payments", Requests.Payment(amount: 710 + i))).Id);
        }

        // Forward by next_cursor from the top; back from the last page, once by payment id and once by next_cursor.
        var forward = await WalkAsync($"/v1/payments?limit=2&{window}", "starting_after", edge: page => page.Json.GetProperty("next_cursor").GetString()!);
        var lastPage = forward[^1];
        var byId = await WalkAsync($"/v1/payments?limit=2&{window}&ending_before={Ids(lastPage)[0]}", "ending_before", edge: page => Ids(page)[0].ToString());
        var byCursor = await WalkAsync($"/v1/payments?limit=2&{window}&ending_before={Ids(lastPage)[0]}", "ending_before",
            edge: page => page.Json.GetProperty("next_cursor").GetString()!);

        Assert.Equal([created[4], created[3], created[2], created[1], created[0]], forward.SelectMany(Ids));
        Assert.Equal([[created[2], created[1]], [created[4], created[3]]], byId.Select(Ids));
        Assert.Equal(byId.Select(Ids), byCursor.Select(Ids));
        Assert.Equal([true, false], byId.Select(page => page.Json.GetProperty("has_more").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, byId[^1].Json.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task PagingEitherWayMissesNoPaymentAndRepeatsNoneWhilePaymentsAreCreatedMeanwhile()
    {
        var window = $"created[gte]={Utc(Truncated(DateTimeOffset.UtcNow))}";
        var originals = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            originals.Add((await platform.PostAsync("/v1/payments", Requests.Payment(amount: 720 + i))).Id);
        }

        var duringForward = CreateAsync(6, 730);
        var forward = (await WalkAsync($"/v1/payments?limit=2&{window}", "starting_after", page => page.Json.GetProperty("next_cursor").GetString()!))
            .SelectMany(Ids).ToList();
        var newer = await duringForward;
        var duringBackward = CreateAsync(4, 740);
        var backward = (await WalkAsync($"/v1/payments?limit=2&{window}&ending_before={originals[0]}", "ending_before", page => Ids(page)[0].ToString()))
            .AsEnumerable().Reverse().SelectMany(Ids).ToList();
        var newest = await duringBackward;
        var final = Ids(await platform.GetAsync($"/v1/payments?limit=100&{window}"));

        Assert.Equal(forward.Count, forward.Distinct().Count());
        Assert.Equal(backward.Count, backward.Distinct().Count());
        Assert.Equal(originals.AsEnumerable().Reverse(), forward.Where(originals.Contains));
        Assert.All(forward, id => Assert.True(originals.Contains(id) || newer.Contains(id), $"{id} was not created by this test"));
        // Back from the oldest: every payment committed before the walk began, newest first, and each once.
        Assert.Equal(final.Where(id => id != originals[0] && !newest.Contains(id)), backward.Where(id => !newest.Contains(id)));
        Assert.Equal(final.Where(backward.Contains), backward);
        Assert.Equal(16, final.Count);
    }

    [Fact]
    public async Task StartingAfterWithEndingBeforeIsRefusedAndAnEndingBeforeThatIsNoPaymentOfTheCallerIsAnInvalidCursor()
    {
        var payment = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 702));
        var others = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 703), clientId: PlatformFixture.MerchantB);

        var both = await platform.GetAsync($"/v1/payments?starting_after={payment.Id}&ending_before={payment.Id}");
        var foreign = await platform.GetAsync($"/v1/payments?ending_before={others.Id}");
        var garbage = await platform.GetAsync("/v1/payments?ending_before=not-a-cursor");

        Assert.Equal((400, "VALIDATION_FAILED", "ending_before"), (both.Status, both.ErrorCode, both.Json.GetProperty("field").GetString()));
        Assert.All([foreign, garbage], refused =>
            Assert.Equal((400, "INVALID_CURSOR", "ending_before"), (refused.Status, refused.ErrorCode, refused.Json.GetProperty("field").GetString())));
    }

    /// <summary>Follows a list from <paramref name="first"/> while <c>has_more</c>, passing <paramref name="edge"/> of each page as <paramref name="cursor"/>.</summary>
    private async Task<List<ApiResponse>> WalkAsync(string first, string cursor, Func<ApiResponse, string> edge)
    {
        var pages = new List<ApiResponse> { await platform.GetAsync(first) };
        while (pages[^1].Json.GetProperty("has_more").GetBoolean())
        {
            Assert.True(pages.Count < 50, "The walk does not end.");
            var path = System.Text.RegularExpressions.Regex.Replace(first, $@"&{cursor}=[^&]*", "");
            pages.Add(await platform.GetAsync($"{path}&{cursor}={Uri.EscapeDataString(edge(pages[^1]))}"));
        }

        Assert.All(pages, page => Assert.True(page.Status == 200, page.ToString()));
        return pages;
    }

    private async Task<List<Guid>> CreateAsync(int count, long amount)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await platform.PostAsync("/v1/payments", Requests.Payment(amount: amount + i))).Id);
        }

        return ids;
    }

    /// <summary>To the millisecond, below the server's microsecond timestamps of the payments made next.</summary>
    private static DateTimeOffset Truncated(DateTimeOffset at) => at.AddTicks(-(at.UtcTicks % TimeSpan.TicksPerMillisecond));

    private static List<Guid> Ids(ApiResponse page) =>
        [.. page.Json.GetProperty("data").EnumerateArray().Select(p => Guid.Parse(p.GetProperty("id").GetString()!))];
}
