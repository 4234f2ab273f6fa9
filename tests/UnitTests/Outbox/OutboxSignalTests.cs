using System.Diagnostics;
using Payments.Actors.Infrastructure.Outbox;
using Payments.Actors.Infrastructure.Kafka;
using Xunit;

namespace Payments.Actors.UnitTests.Outbox;

public sealed class OutboxSignalTests
{
    [Fact]
    public async Task A_pulse_given_before_the_relay_waits_is_not_lost()
    {
        var signal = new OutboxSignal();
        signal.Pulse();

        var wait = signal.WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);

        Assert.True(wait.IsCompletedSuccessfully);
        await wait;
    }

    [Fact]
    public async Task A_pulse_wakes_a_waiting_relay_before_its_poll_interval()
    {
        var signal = new OutboxSignal();
        var wait = signal.WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        Assert.False(wait.IsCompleted);

        signal.Pulse();

        var finished = await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Same(wait, finished);
    }

    [Fact]
    public async Task Many_pulses_collapse_into_one_wake_up()
    {
        var signal = new OutboxSignal();
        for (var i = 0; i < 100; i++)
        {
            signal.Pulse();
        }

        await signal.WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        var second = signal.WaitAsync(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);

        Assert.False(second.IsCompleted);
        await second;
    }

    [Fact]
    public async Task Without_a_pulse_the_wait_ends_after_the_poll_interval()
    {
        var signal = new OutboxSignal();
        var clock = Stopwatch.StartNew();

        await signal.WaitAsync(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(90), $"returned after {clock.Elapsed}");
    }
}
