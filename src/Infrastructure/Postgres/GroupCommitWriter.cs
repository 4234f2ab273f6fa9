using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Actors.Infrastructure.Outbox;
using Payments.Actors.Infrastructure.Kafka;

namespace Payments.Actors.Infrastructure.Postgres;

public sealed class GroupCommitOptions
{
    public const string SectionName = "Storage:GroupCommit";

    /// <summary>Write units one transaction may carry.</summary>
    public int BatchUnitsMax { get; set; } = 128;

    /// <summary>Transactions in flight at once (each on its own connection).</summary>
    public int WritersMax { get; set; } = 4;

    /// <summary>Units waiting for a writer before callers are made to wait (back-pressure).</summary>
    public int QueueUnitsMax { get; set; } = 10_000;
}

/// <summary>
/// Group commit (the commit is the scarce resource). Grains hand in write units;
/// a few writer loops each take whatever is queued, run it as one transaction and complete every
/// waiter only after the commit, so nothing is acknowledged before it is durable. A unit whose
/// expectation fails (a version check, a unique key) must not sink its neighbours: the batch is
/// rolled back and its units are retried one transaction each.
/// </summary>
public sealed partial class GroupCommitWriter : BackgroundService
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly OutboxSignal _outboxSignal;
    private readonly WebhookSignal _webhookSignal;
    private readonly GroupCommitOptions _options;
    private readonly ILogger<GroupCommitWriter> _logger;
    private readonly Channel<PendingUnit> _queue;

    public GroupCommitWriter(NpgsqlDataSource dataSource, OutboxSignal outboxSignal, WebhookSignal webhookSignal, IOptions<GroupCommitOptions> options,
        ILogger<GroupCommitWriter> logger)
    {
        _dataSource = dataSource;
        _outboxSignal = outboxSignal;
        _webhookSignal = webhookSignal;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingUnit>(new BoundedChannelOptions(_options.QueueUnitsMax)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <summary>Completes once the unit is durable (<see cref="WriteOutcome.Committed"/>) or provably not written (<see cref="WriteOutcome.Conflict"/>).
    /// Throws when the outcome is unknown (the connection broke during commit): callers must reload from the database.</summary>
    public async Task<WriteOutcome> WriteAsync(IReadOnlyList<SqlStatement> unit, CancellationToken cancellationToken = default)
    {
        Invariant.Assert(unit.Count > 0, "A write unit needs at least one statement.");
        var pending = new PendingUnit(unit);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Completion.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.WritersMax).Select(_ => Task.Run(() => WriterLoopAsync(stoppingToken), CancellationToken.None)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Let queued units drain: callers are waiting for them.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriterLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingUnit>(_options.BatchUnitsMax);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _options.BatchUnitsMax && _queue.Reader.TryRead(out var unit))
            {
                batch.Add(unit);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await CommitBatchAsync(batch);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested || exception is not OperationCanceledException)
            {
                LogBatchFailed(_logger, exception, batch.Count);
                foreach (var unit in batch)
                {
                    unit.Completion.TrySetException(exception);
                }
            }
        }
    }

    private async Task CommitBatchAsync(List<PendingUnit> batch)
    {
        if (batch.Count > 1)
        {
            bool allApplied;
            try
            {
                allApplied = await TryCommitAsync(batch);
            }
            catch (PostgresException exception) when (!IsConnectionLevel(exception))
            {
                // One unit broke a constraint; find it by running each alone.
                LogBatchSplit(_logger, exception.SqlState, batch.Count);
                allApplied = false;
            }

            if (allApplied)
            {
                foreach (var unit in batch)
                {
                    unit.Completion.TrySetResult(WriteOutcome.Committed);
                }

                return;
            }

            foreach (var unit in batch)
            {
                try
                {
                    var applied = await TryCommitAsync([unit]);
                    unit.Completion.TrySetResult(applied ? WriteOutcome.Committed : WriteOutcome.Conflict);
                }
                catch (Exception exception)
                {
                    unit.Completion.TrySetException(exception);
                }
            }

            return;
        }

        var single = batch[0];
        var ok = await TryCommitAsync(batch);
        single.Completion.TrySetResult(ok ? WriteOutcome.Committed : WriteOutcome.Conflict);
    }

    /// <summary>Runs the units in one transaction; commits and returns true only if every expectation held.</summary>
    private async Task<bool> TryCommitAsync(List<PendingUnit> units)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var npgsqlBatch = new NpgsqlBatch(connection, transaction);
        foreach (var unit in units)
        {
            foreach (var statement in unit.Statements)
            {
                npgsqlBatch.BatchCommands.Add(statement.ToBatchCommand());
            }
        }

        await npgsqlBatch.ExecuteNonQueryAsync();
        var index = 0;
        var deliveries = false;
        foreach (var unit in units)
        {
            foreach (var statement in unit.Statements)
            {
                var affected = npgsqlBatch.BatchCommands[index++].RecordsAffected;
                if (statement.Expect == Expect.AtLeastOneRow && affected < 1)
                {
                    await transaction.RollbackAsync();
                    return false;
                }

                deliveries |= statement.WakesWebhooks && affected > 0;
            }
        }

        await transaction.CommitAsync();
        if (units.Exists(unit => unit.Statements.Any(statement => statement.WritesOutbox)))
        {
            _outboxSignal.Pulse();
        }

        if (deliveries)
        {
            _webhookSignal.Pulse();
        }

        return true;
    }

    private static bool IsConnectionLevel(PostgresException exception) =>
        exception.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
        || exception.SqlState.StartsWith("57", StringComparison.Ordinal) // operator intervention (shutdown)
        || exception.SqlState.StartsWith("53", StringComparison.Ordinal); // insufficient resources

    private sealed class PendingUnit(IReadOnlyList<SqlStatement> statements)
    {
        public IReadOnlyList<SqlStatement> Statements { get; } = statements;

        public TaskCompletionSource<WriteOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Units} write units failed; its callers were told the outcome is unknown")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int units);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Units} units hit {SqlState}; retrying the units one by one")]
    private static partial void LogBatchSplit(ILogger logger, string sqlState, int units);
}
