using System.Collections.Concurrent;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// What the checking handler saw: the violations not yet reported (each test of the platform collection fails with those
/// of its own exchanges, <see cref="ContractCheckedAttribute"/>), and, within a coverage scope, which statuses each
/// operation was answered with.
/// </summary>
public sealed class ContractLedger
{
    private static readonly AsyncLocal<ConcurrentDictionary<string, ConcurrentBag<int>>?> Scope = new();
    private readonly ConcurrentQueue<ContractViolation> _violations = new();

    /// <summary>The one ledger of the test run: the platform's client writes to it, the collection's tests are judged by it.</summary>
    public static ContractLedger Shared { get; } = new();

    public void Record(ContractOperation? operation, ContractExchange exchange, IReadOnlyList<ContractViolation> violations)
    {
        var test = TestContext.Current.Test?.TestDisplayName;
        foreach (var violation in violations)
        {
            _violations.Enqueue(violation with { Test = test });
        }

        if (operation is not null)
        {
            Scope.Value?.GetOrAdd(operation.OperationId, _ => []).Add(exchange.Status);
        }
    }

    /// <summary>Every violation recorded since the last drain, oldest first.</summary>
    public IReadOnlyList<ContractViolation> Drain()
    {
        var drained = new List<ContractViolation>();
        while (_violations.TryDequeue(out var violation))
        {
            drained.Add(violation);
        }

        return drained;
    }

    /// <summary>
    /// Records, from now until the returned scope is disposed and only for exchanges of this async flow, which statuses each
    /// operation was answered with: what one test exercised, whatever ran before it.
    /// </summary>
    public static CoverageScope BeginCoverage()
    {
        var seen = new ConcurrentDictionary<string, ConcurrentBag<int>>(StringComparer.Ordinal);
        Scope.Value = seen;
        return new CoverageScope(seen);
    }

    public sealed class CoverageScope(ConcurrentDictionary<string, ConcurrentBag<int>> seen) : IDisposable
    {
        public IReadOnlyDictionary<string, IReadOnlyList<int>> Seen => seen.ToDictionary(s => s.Key, s => (IReadOnlyList<int>)[.. s.Value]);

        public void Dispose() => Scope.Value = null;
    }
}
