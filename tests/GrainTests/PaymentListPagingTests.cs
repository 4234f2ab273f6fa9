using Payments.Actors.Payments;

namespace Payments.Actors.GrainTests;

/// <summary>The payment list pages both ways on PostgreSQL: before a cursor gives back exactly the pages after it gave, newest first.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PaymentListPagingTests(GrainClusterFixture cluster)
{
    [Fact]
    public async Task PagesBeforeACursorWalkBackExactlyThePagesAfterItWalkedForward()
    {
        var (merchant, all) = await SevenPaymentsAsync();
        var list = cluster.Client.GetGrain<IPaymentQueryGrain>(0);

        var forward = new List<PaymentPage> { await list.ListAsync(new PaymentListQuery(merchant, 3, null, null, null)) };
        while (forward[^1].HasMore)
        {
            var last = forward[^1].Items[^1];
            forward.Add(await list.ListAsync(new PaymentListQuery(merchant, 3, last.CreatedAt, last.Id, null)));
        }

        var backward = new List<PaymentPage>();
        var edge = forward[^1].Items[0];
        do
        {
            backward.Add(await list.ListAsync(new PaymentListQuery(merchant, 3, null, null, null, EndingBeforeCreatedAt: edge.CreatedAt, EndingBeforeId: edge.Id)));
            edge = backward[^1].Items[0];
        }
        while (backward[^1].HasMore);

        Assert.Equal([3, 3, 1], forward.Select(p => p.Items.Count));
        Assert.Equal(all, forward.SelectMany(p => p.Items).Select(p => p.Id));
        Assert.Equal([Ids(forward[1]), Ids(forward[0])], backward.Select(Ids));
        Assert.Equal([true, false], backward.Select(p => p.HasMore));
    }

    [Fact]
    public async Task PagingBeforeACursorKeepsToTheCreationWindowAndTheState()
    {
        var (merchant, all) = await SevenPaymentsAsync();
        var list = cluster.Client.GetGrain<IPaymentQueryGrain>(0);
        var everything = await list.ListAsync(new PaymentListQuery(merchant, 10, null, null, null));
        var (newest, oldest) = (everything.Items[0], everything.Items[^1]);

        // From the oldest up, in a window that ends before the newest: the two closest to the oldest, and more above them.
        var windowed = await list.ListAsync(new PaymentListQuery(merchant, 2, null, null, null, CreatedGte: oldest.CreatedAt, CreatedLt: newest.CreatedAt,
            EndingBeforeCreatedAt: oldest.CreatedAt, EndingBeforeId: oldest.Id));
        var window = await list.ListAsync(new PaymentListQuery(merchant, 10, null, null, null, CreatedGte: oldest.CreatedAt, CreatedLt: newest.CreatedAt,
            EndingBeforeCreatedAt: windowed.Items[0].CreatedAt, EndingBeforeId: windowed.Items[0].Id));
        var captured = await list.ListAsync(new PaymentListQuery(merchant, 10, null, null, PaymentStatus.Captured,
            EndingBeforeCreatedAt: oldest.CreatedAt, EndingBeforeId: oldest.Id));

        Assert.Equal(7, all.Count);
        Assert.Equal([all[4], all[5]], windowed.Items.Select(p => p.Id));
        Assert.True(windowed.HasMore);
        Assert.Equal([all[1], all[2], all[3]], window.Items.Select(p => p.Id));
        Assert.False(window.HasMore);
        Assert.Equal(all.Where((_, i) => i % 2 == 0 && i < 6), captured.Items.Select(p => p.Id));
    }

    /// <summary>Seven payments of a merchant of their own, alternately captured and authorised; their ids newest first, as the list orders them.</summary>
    private async Task<(string Merchant, List<Guid> NewestFirst)> SevenPaymentsAsync()
    {
        var merchant = $"m-list-{Guid.NewGuid():N}";
        for (var i = 0; i < 7; i++)
        {
            cluster.Clock.Advance(TimeSpan.FromMilliseconds(2));
            var created = await cluster.CreateAsync(Commands.Create(100 + i, capture: i % 2 == 0) with { MerchantId = merchant });
            Assert.Equal(PaymentResultCode.Ok, created.Code);
        }

        var page = await cluster.Client.GetGrain<IPaymentQueryGrain>(0).ListAsync(new PaymentListQuery(merchant, 10, null, null, null));
        return (merchant, [.. page.Items.Select(p => p.Id)]);
    }

    private static List<Guid> Ids(PaymentPage page) => [.. page.Items.Select(p => p.Id)];
}
