using System.Diagnostics;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// The one way a test waits: for a condition, never for a fixed time. Every hand-written poll loop
/// used to pick its own interval and deadline and fail with its own message; this keeps the
/// interval short (a condition that holds is seen within it) and always fails with the reason and
/// the last thing seen, so a red test says what it was waiting for.
/// </summary>
public static class Eventually
{
    /// <summary>How often the condition is re-read: short against the seconds a test waits, long against a PostgreSQL round trip.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test with <paramref name="because"/> after <paramref name="timeout"/>.</summary>
    public static Task Until(Func<Task<bool>> condition, TimeSpan timeout, string because) => Until(condition, timeout, () => because);

    /// <summary>The same, the reason built only on failure (e.g. with a log tail, which is costly to read).</summary>
    public static Task Until(Func<Task<bool>> condition, TimeSpan timeout, Func<string> because) =>
        Until(async () => (await condition(), ""), timeout, because);

    /// <summary>
    /// Reads until <paramref name="done"/> holds for what <paramref name="read"/> returns and returns that value;
    /// fails the test with <paramref name="because"/> and the last value read after <paramref name="timeout"/>.
    /// </summary>
    public static Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string because) =>
        Until(read, done, timeout, () => because);

    /// <summary>The same, the reason built only on failure.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, Func<string> because)
    {
        var last = default(T);
        await Until(async () =>
        {
            last = await read();
            return (done(last), last?.ToString() ?? "null");
        }, timeout, because);
        return last!;
    }

    private static async Task Until(Func<Task<(bool Done, string Seen)>> check, TimeSpan timeout, Func<string> because)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        var seen = "";
        while (true)
        {
            bool done;
            (done, seen) = await check();
            if (done)
            {
                return;
            }

            if (clock.Elapsed >= timeout)
            {
                break;
            }

            await Task.Delay(Interval, cancellation);
        }

        Assert.Fail($"Not within {timeout.TotalSeconds:0.#} s: {because()}" + (seen.Length > 0 ? $"\nLast seen: {seen}" : ""));
    }
}
