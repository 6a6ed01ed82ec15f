using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Polly;
using Polly.Retry;

namespace Scoring.Storage;

/// <summary>
/// Opens connections to the configured database and runs units of work on them. Writes run in one
/// transaction each and are retried as a whole on transient faults (SQLite busy/locked, SQL Server
/// deadlocks and failovers) — safe, because a rolled-back transaction left nothing behind.
/// </summary>
public sealed class Database
{
    // One writer at a time inside a process: SQLite has a single write lock anyway, and waiting here is
    // far cheaper than Microsoft.Data.Sqlite's ~150 ms sleep-and-retry on a locked database.
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);
    private readonly ResiliencePipeline _retry;

    public Database(StorageProvider provider, string connectionString, TimeProvider? time = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        DateTimeOffsetHandler.Register();
        _retry = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<DbException>(TransientFaults.IsTransient),
                MaxRetryAttempts = 5,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
            })
            .Build();
    }

    public StorageProvider Provider { get; }
    public string ConnectionString { get; }

    public string Sql(DialectSql sql) => sql.For(Provider);

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection connection = Provider == StorageProvider.SqlServer
            ? new SqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        if (Provider == StorageProvider.Sqlite)
        {
            await using var pragma = connection.CreateCommand();
            // WAL lets readers run beside the writer; FULL makes acknowledged ledger writes survive power loss;
            // busy_timeout waits for another process's lock instead of failing at once.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA wal_autocheckpoint=250;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        return connection;
    }

    /// <summary>Runs a read on its own connection (no transaction).</summary>
    public Task<T> ReadAsync<T>(Func<Session, Task<T>> work, CancellationToken ct = default) =>
        _retry.ExecuteAsync(async token =>
        {
            await using var connection = await OpenAsync(token);
            return await work(new Session(connection, null, Provider, token));
        }, ct).AsTask();

    /// <summary>Runs a unit of work in one transaction; commits if it returns, rolls back if it throws.</summary>
    public Task<T> WriteAsync<T>(Func<Session, Task<T>> work, CancellationToken ct = default) =>
        _retry.ExecuteAsync(async token =>
        {
            var gated = Provider == StorageProvider.Sqlite;
            if (gated) await _sqliteWriter.WaitAsync(token);
            try
            {
                await using var connection = await OpenAsync(token);
                await using var tx = await connection.BeginTransactionAsync(token);
                var result = await work(new Session(connection, tx, Provider, token));
                await tx.CommitAsync(token);
                return result;
            }
            finally
            {
                if (gated) _sqliteWriter.Release();
            }
        }, ct).AsTask();

    public Task WriteAsync(Func<Session, Task> work, CancellationToken ct = default) =>
        WriteAsync(async s => { await work(s); return true; }, ct);
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
