using Npgsql;

namespace Payments.Actors.IntegrationTests;

/// <summary>The operators' side of reconciliation breaks over HTTP: the lifecycle, its audit trail, and who may touch it.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ReconciliationBreakTests(PlatformFixture platform)
{
    private const string Path = "/v1/operator/reconciliation/breaks";

    [Fact]
    public async Task AnOperatorAcknowledgesAndResolvesABreakWithAReasonAndTheTrailShowsWhoAndWhen()
    {
        var id = await Breaks.SeedAsync(platform, "currency_mismatch", "psp-b");

        var listed = await platform.GetAsync($"{Path}?status=open&kind=currency_mismatch&psp=psp-b&limit=100", clientId: PlatformFixture.Operator);
        Assert.Contains(listed.Json.GetProperty("data").EnumerateArray(), b => b.GetProperty("id").GetString() == id.ToString());
        var acknowledged = await platform.PostAsync($"{Path}/{id}/acknowledge", null, clientId: PlatformFixture.Operator);
        Assert.True(acknowledged.Status == 200, acknowledged.ToString());
        var resolved = await platform.PostAsync($"{Path}/{id}/resolve", """{"reason":"the PSP re-sent the line in EUR"}""", clientId: PlatformFixture.Operator);
        Assert.True(resolved.Status == 200, resolved.ToString());

        var read = (await platform.GetAsync($"{Path}/{id}", clientId: PlatformFixture.Operator)).Json;
        Assert.Equal(("resolved", "the PSP re-sent the line in EUR", PlatformFixture.Operator),
            (read.GetProperty("status").GetString(), read.GetProperty("resolution_reason").GetString(), read.GetProperty("closed_by").GetString()));
        var trail = read.GetProperty("trail").EnumerateArray().ToList();
        Assert.Equal([("acknowledge", "open", "acknowledged"), ("resolve", "acknowledged", "resolved")],
            trail.Select(t => (t.GetProperty("action").GetString(), t.GetProperty("from_status").GetString(), t.GetProperty("to_status").GetString())));
        Assert.All(trail, t => Assert.Equal(PlatformFixture.Operator, t.GetProperty("actor").GetString()));
        Assert.All(trail, t => Assert.InRange(DateTimeOffset.Parse(t.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1)));
        var closedAgain = await platform.PostAsync($"{Path}/{id}/write_off", """{"reason":"twice"}""", clientId: PlatformFixture.Operator);
        Assert.True(closedAgain.Status == 409, closedAgain.ToString());
        Assert.Equal(2, await platform.ScalarAsync("SELECT count(*) FROM reconciliation_break_events WHERE break_id = $1", id));

        // Each step is an event on recon.events, made from the row as it then stood.
        var published = await Eventually.Until(
            () => platform.ScalarTextAsync(
                "SELECT string_agg(event_type || '/' || (payload->>'status') || '/' || (payload->>'actor') || '/' || coalesce(payload->>'reason', '-'), '|' " +
                "ORDER BY id) FROM outbox_events WHERE agg_type = 'reconciliation' AND agg_id = $1 AND status = 'PUBLISHED'", id),
            text => text.Split('|').Length == 2, TimeSpan.FromSeconds(15), "both steps of the break published on recon.events");
        Assert.Equal($"recon.break_acknowledged/acknowledged/{PlatformFixture.Operator}/-|recon.break_resolved/resolved/{PlatformFixture.Operator}/the PSP re-sent the line in EUR",
            published);
    }

    [Fact]
    public async Task AMerchantCannotSeeOrTouchBreaksAndTheTrailCannotBeRewritten()
    {
        var id = await Breaks.SeedAsync(platform);

        Assert.Equal(403, (await platform.GetAsync(Path)).Status);
        Assert.Equal(403, (await platform.PostAsync($"{Path}/{id}/write_off", """{"reason":"mine"}""")).Status);
        Assert.Equal(200, (await platform.PostAsync($"{Path}/{id}/write_off", """{"reason":"below 1 EUR"}""", clientId: PlatformFixture.Operator)).Status);

        var rewrite = await Assert.ThrowsAsync<PostgresException>(() =>
            platform.ScalarAsync("WITH changed AS (UPDATE reconciliation_break_events SET actor = 'someone else' WHERE break_id = $1 RETURNING 1) SELECT count(*) FROM changed", id));
        Assert.Contains("append-only", rewrite.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() =>
            platform.ScalarAsync("WITH gone AS (DELETE FROM reconciliation_break_events WHERE break_id = $1 RETURNING 1) SELECT count(*) FROM gone", id));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM reconciliation_break_events WHERE break_id = $1 AND actor = $2", id, PlatformFixture.Operator));
    }
}
