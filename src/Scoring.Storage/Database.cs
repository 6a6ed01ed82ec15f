using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Polly;
using Polly.Retry;

namespace Scoring.Storage;

/// <summary>
/// Opens connections to the configured database and runs units of work on them. Every write is one
/// unit of work: it commits if it returns and leaves nothing behind if it throws, and the whole unit is
/// retried on transient faults (SQLite busy/locked, SQL Server deadlocks and failovers).
/// <para>
/// On SQLite, writes go through a single writer with group commit: units of work queued at the same
/// moment run one after another in one transaction, each inside its own savepoint, and are acknowledged
/// together after one durable commit. SQLite has one write lock anyway; this turns many fsyncs into one
/// and avoids Microsoft.Data.Sqlite's ~150 ms sleep-and-retry on a locked database.
/// </para>
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private const int MaxKeptReaders = 32;
    private readonly ResiliencePipeline _retry;
    private readonly Channel<WriteItem>? _writes;
    private readonly Task? _writer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<KeptReader>? _readers;

    public Database(StorageProvider provider, string connectionString, TimeProvider? time = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Cache = new ReferenceCache(time ?? TimeProvider.System);
        DateTimeOffsetHandler.Register();
        _retry = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<DbException>(TransientFaults.IsTransient),
                // Each attempt already waits up to busy_timeout (5 s) for another process's lock: three attempts bound a
                // write at ~15 s, after which the caller answers 503 + Retry-After instead of outwaiting the client.
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
            })
            .Build();
        if (provider == StorageProvider.Sqlite)
        {
            _readers = [];
            _writes = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
            _writer = Task.Run(WriteLoopAsync);
        }
    }

    public StorageProvider Provider { get; }
    public string ConnectionString { get; }
    public ReferenceCache Cache { get; }

    public string Sql(DialectSql sql) => sql.For(Provider);

    /// <summary>A new open connection; for SQLite, set up for writing (WAL, durable commits, foreign keys, lock wait).</summary>
    public Task<DbConnection> OpenAsync(CancellationToken ct = default) => OpenAsync(forWriting: true, ct);

    private async Task<DbConnection> OpenAsync(bool forWriting, CancellationToken ct)
    {
        DbConnection connection = Provider == StorageProvider.SqlServer
            ? new SqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        if (Provider == StorageProvider.Sqlite && forWriting)
        {
            await using var pragma = connection.CreateCommand();
            // WAL lets readers run beside the writer; FULL makes acknowledged writes survive power loss;
            // busy_timeout waits for another process's lock instead of failing at once; a small
            // auto-checkpoint keeps the WAL (and the tail latency of readers) short.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA wal_autocheckpoint=250;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        return connection;
    }

    /// <summary>Runs a read on its own connection (no transaction). SQLite readers in WAL mode never wait for the writer.</summary>
    public Task<T> ReadAsync<T>(Func<Session, Task<T>> work, CancellationToken ct = default) =>
        _retry.ExecuteAsync(async token =>
        {
            if (_readers is null)
            {
                await using var connection = await OpenAsync(forWriting: false, token);
                return await work(new Session(connection, null, Provider, token) { Cache = Cache });
            }
            // SQLite: a kept reader connection with its prepared statements; one that failed is not kept.
            var reader = _readers.TryTake(out var kept) ? kept : new KeptReader((SqliteConnection)await OpenAsync(forWriting: false, token));
            T result;
            try
            {
                result = await work(new Session(reader.Connection, null, Provider, token) { Cache = Cache, Statements = reader.Statements });
            }
            catch
            {
                reader.Dispose();
                throw;
            }
            if (_readers.Count < MaxKeptReaders) _readers.Add(reader);
            else reader.Dispose();
            return result;
        }, ct).AsTask();

    /// <summary>Runs a unit of work in one transaction; commits if it returns, rolls back if it throws.</summary>
    public Task<T> WriteAsync<T>(Func<Session, Task<T>> work, CancellationToken ct = default) =>
        _retry.ExecuteAsync(async token =>
        {
            if (_writes is not null)
            {
                var item = new WriteItem<T>(work, token);
                if (!_writes.Writer.TryWrite(item)) throw new ObjectDisposedException(nameof(Database));
                return await item.Result;
            }
            await using var connection = await OpenAsync(forWriting: true, token);
            await using var tx = await connection.BeginTransactionAsync(token);
            var result = await work(new Session(connection, tx, Provider, token) { Cache = Cache });
            await tx.CommitAsync(token);
            return result;
        }, ct).AsTask();

    public Task WriteAsync(Func<Session, Task> work, CancellationToken ct = default) =>
        WriteAsync(async s => { await work(s); return true; }, ct);

    private async Task WriteLoopAsync()
    {
        var reader = _writes!.Reader;
        var batch = new List<WriteItem>(MaxBatch);
        SqliteConnection? connection = null;
        PreparedStatements? statements = null;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var item))
                    if (!item.CancellationToken.IsCancellationRequested) batch.Add(item);
                    else item.Cancel();
                if (batch.Count == 0) continue;
                try
                {
                    connection ??= (SqliteConnection)await OpenAsync(forWriting: true, _stopping.Token);
                    statements ??= new PreparedStatements(connection);
                    await RunBatchAsync(connection, statements, batch);
                }
                catch (Exception e)
                {
                    // BEGIN or COMMIT failed: nothing of this batch is durable. Everyone hears it (a transient
                    // fault is retried by the caller's pipeline) and the next batch starts on a fresh connection.
                    foreach (var item in batch) item.Fail(e);
                    statements?.Dispose();
                    statements = null;
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { }
        finally
        {
            statements?.Dispose();
            if (connection is not null) await connection.DisposeAsync();
            while (reader.TryRead(out var left)) left.Fail(new ObjectDisposedException(nameof(Database)));
        }
    }

    private async Task RunBatchAsync(SqliteConnection connection, PreparedStatements statements, List<WriteItem> batch)
    {
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(_stopping.Token);
        var session = new Session(connection, tx, Provider, _stopping.Token) { Cache = Cache, Statements = statements };
        bool single = batch.Count == 1;
        foreach (var item in batch)
        {
            if (!single) await session.SaveAsync("unit");
            try
            {
                await item.RunAsync(session with { CancellationToken = item.CancellationToken });
                if (!single) await session.ReleaseAsync("unit");
            }
            catch (Exception e)
            {
                if (single) { await tx.RollbackAsync(); item.Fail(e); return; }
                await session.RollbackToAsync("unit");
                await session.ReleaseAsync("unit");
                item.Fail(e);
            }
        }
        await tx.CommitAsync();
        foreach (var item in batch) item.Complete();
    }

    public async ValueTask DisposeAsync()
    {
        if (_readers is not null)
            while (_readers.TryTake(out var reader)) reader.Dispose();
        if (_writes is null) return;
        _writes.Writer.TryComplete();
        try { await _writer!.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (TimeoutException) { await _stopping.CancelAsync(); }
        _stopping.Dispose();
    }

    /// <summary>A reader connection kept open between reads, with the statements it has prepared.</summary>
    private sealed class KeptReader(SqliteConnection connection) : IDisposable
    {
        public SqliteConnection Connection { get; } = connection;
        public PreparedStatements Statements { get; } = new(connection);
        public void Dispose() { Statements.Dispose(); Connection.Dispose(); }
    }

    private abstract class WriteItem(CancellationToken ct)
    {
        public CancellationToken CancellationToken { get; } = ct;
        public abstract Task RunAsync(Session session);
        public abstract void Complete();
        public abstract void Fail(Exception e);
        public abstract void Cancel();
    }

    private sealed class WriteItem<T>(Func<Session, Task<T>> work, CancellationToken ct) : WriteItem(ct)
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private bool _failed;
        public Task<T> Result => _done.Task;
        public override async Task RunAsync(Session session) => _result = await work(session);
        public override void Complete() { if (!_failed) _done.TrySetResult(_result!); }
        public override void Fail(Exception e) { _failed = true; _done.TrySetException(e); }
        public override void Cancel() => _done.TrySetCanceled(CancellationToken);
    }
}

/// <summary>Which database errors are worth retrying the whole unit of work for.</summary>
public static class TransientFaults
{
    // SQL Server: deadlock victim, lock timeout, failover / resource limits, connection drops.
    private static readonly HashSet<int> SqlServerNumbers = [1205, 1222, 40197, 40501, 40613, 49918, 49919, 49920, 4060, 4221, 10928, 10929, 233, 64, -2];

    public static bool IsTransient(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        SqlException s => SqlServerNumbers.Contains(s.Number),
        _ => false,
    };

    /// <summary>SQLite's disk-full / I/O errors and SQL Server's log-full: the write cannot happen now, try later.</summary>
    public static bool IsUnavailable(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode is 5 or 6 or 10 or 13 or 14, // BUSY, LOCKED, IOERR, FULL, CANTOPEN
        SqlException s => s.Number is 9002 or 1105 || SqlServerNumbers.Contains(s.Number),
        _ => false,
    };

    public static bool IsUniqueViolation(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException s => s.Number is 2601 or 2627,
        _ => false,
    };
}
