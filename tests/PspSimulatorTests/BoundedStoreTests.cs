using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulatorTests;

public sealed class BoundedStoreTests
{
    [Fact]
    public void OldestEntriesAreForgottenBeyondCapacity()
    {
        var store = new BoundedStore<string>(capacity: 3);

        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            store.Add(key, key.ToUpperInvariant());
        }

        Assert.False(store.TryGet("a", out _));
        Assert.True(store.TryGet("d", out var newest));
        Assert.Equal("D", newest);
        Assert.Equal(3, store.Values.Count());
    }

    [Fact]
    public void RemovalOnlyRemovesTheValueItNames()
    {
        var store = new BoundedStore<string>(capacity: 3);
        var first = new string('x', 1);
        store.Add("k", first);
        Assert.True(store.TryRemove("k", first));
        var second = new string('y', 1);
        store.Add("k", second);

        Assert.False(store.TryRemove("k", first));
        Assert.True(store.TryGet("k", out var kept));
        Assert.Same(second, kept);
    }
}
