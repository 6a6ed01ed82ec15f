using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Scoring.Storage;

namespace Scoring.Storage.Tests;

/// <summary>Transient faults (a lock held elsewhere) are tried again under the retry pipeline's rules: three attempts in all.</summary>
public class DatabaseTests : IAsyncLifetime
{
    private const int SqliteBusy = 5, SqliteConstraint = 19;
    private readonly string _dir = Directory.CreateTempSubdirectory("scoring-db-").FullName;
    private Database _db = null!;

    public Task InitializeAsync()
    {
        // Not a StorageWorld: its fake clock would hold the retry pipeline's waits (Polly waits on the database's
        // TimeProvider) until the test moved it; these tests need the waits to pass as they do in service.
        _db = new Database(StorageProvider.Sqlite, $"Data Source={Path.Combine(_dir, "t.db")}");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    [Fact]
    public async Task A_connection_has_no_mutex_of_its_own_for_SQLite_to_take_around_every_call()
    {
        // Each connection is used by one caller at a time (docs: multi-thread mode), so locking it around each bind,
        // step and column read is work for nothing.
        await using var connection = (SqliteConnection)await _db.OpenAsync();

        Assert.Equal(0, DbMutex(connection.Handle!.DangerousGetHandle()));
    }

    private delegate nint DbMutexFunction(nint db);

    private static nint DbMutex(nint db) =>
        System.Runtime.InteropServices.Marshal.GetDelegateForFunctionPointer<DbMutexFunction>(SqliteLibrary.Export("sqlite3_db_mutex"))(db);

    [Fact]
    public async Task A_connection_leaves_waiting_for_a_lock_to_busy_timeout_not_to_the_drivers_own_thirty_second_retry()
    {
        // Microsoft.Data.Sqlite retries a busy statement itself until the command's timeout (30 s unless set), each try
        // waiting a whole busy_timeout: a write behind another process's lock then waited minutes, not ~15 s.
        await using var writer = (SqliteConnection)await _db.OpenAsync();
        await using var reader = (SqliteConnection)await _db.OpenAsync(forWriting: false, CancellationToken.None);
        await using var command = writer.CreateCommand();

        Assert.Equal((1, 1, 1), (writer.DefaultTimeout, reader.DefaultTimeout, command.CommandTimeout));
    }

    [Fact]
    public async Task A_write_behind_another_connections_lock_gives_up_after_three_busy_timeouts_so_the_caller_can_answer_503()
    {
        await _db.WriteAsync(s => s.Connection.ExecuteAsync("CREATE TABLE t (x INTEGER)", transaction: s.Transaction));
        await using var other = new SqliteConnection($"Data Source={Path.Combine(_dir, "t.db")};Pooling=False");
        await other.OpenAsync();
        await other.ExecuteAsync("BEGIN IMMEDIATE");
        var waited = Stopwatch.StartNew();

        var write = _db.WriteAsync(s => s.Connection.ExecuteAsync("INSERT INTO t VALUES (1)", transaction: s.Transaction));
        // Held until the write gives up, or 25 s if it does not (then it would go through once the lock is let go).
        await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(25)));
        var gaveUpAfter = waited.Elapsed;
        await other.ExecuteAsync("ROLLBACK");

        var fault = await Assert.ThrowsAsync<SqliteException>(() => write);
        Assert.Equal(SqliteBusy, fault.SqliteErrorCode);
        // Three attempts of one busy_timeout (5 s) each and the pipeline's short pauses: ~15 s, as Database promises;
        // 20 s leaves room for a loaded machine and is still well short of one of the driver's 30 s loops.
        Assert.True(gaveUpAfter < TimeSpan.FromSeconds(20), $"the write gave up after {gaveUpAfter.TotalSeconds:0.0} s");
        Assert.True(gaveUpAfter > TimeSpan.FromSeconds(10), $"the write gave up after {gaveUpAfter.TotalSeconds:0.0} s, before waiting out its attempts");
    }

    [Fact]
    public async Task Writes_queued_behind_one_waiting_for_a_lock_give_up_as_soon_as_it_does_not_a_busy_timeout_later_each_time()
    {
        // In service the outbox's claims queue beside a request's write: each attempt of one waited out the other's try at
        // the lock before its own, and a request took ~25-30 s to be answered 503 instead of ~15 s.
        await _db.WriteAsync(s => s.Connection.ExecuteAsync("CREATE TABLE t (x INTEGER)", transaction: s.Transaction));
        await using var other = new SqliteConnection($"Data Source={Path.Combine(_dir, "t.db")};Pooling=False");
        await other.OpenAsync();
        await other.ExecuteAsync("BEGIN IMMEDIATE");

        var first = TimedAsync(() => _db.WriteAsync(s => s.Connection.ExecuteAsync("INSERT INTO t VALUES (1)", transaction: s.Transaction)));
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // queued while the first waits for the lock
        var second = TimedAsync(() => _db.WriteAsync(s => s.Connection.ExecuteAsync("INSERT INTO t VALUES (2)", transaction: s.Transaction)));
        await Task.WhenAny(Task.WhenAll(first, second), Task.Delay(TimeSpan.FromSeconds(27)));
        await other.ExecuteAsync("ROLLBACK");

        var waited = await Task.WhenAll(first, second);
        Assert.All(waited, w => Assert.Equal(SqliteBusy, w.Fault?.SqliteErrorCode));
        Assert.All(waited, w => Assert.True(w.Seconds < 20, $"a write gave up after {w.Seconds:0.0} s"));
    }

    private static async Task<(SqliteException? Fault, double Seconds)> TimedAsync(Func<Task> write)
    {
        var clock = Stopwatch.StartNew();
        try { await write(); return (null, clock.Elapsed.TotalSeconds); }
        catch (SqliteException e) { return (e, clock.Elapsed.TotalSeconds); }
    }

    [Fact]
    public async Task A_write_that_meets_a_transient_fault_once_succeeds_on_its_next_attempt()
    {
        var attempts = 0;

        var result = await _db.WriteAsync(s => ++attempts == 1 ? throw new SqliteException("database is locked", SqliteBusy) : Task.FromResult(42));

        Assert.Equal((42, 2), (result, attempts));
    }

    [Fact]
    public async Task A_write_that_keeps_meeting_a_transient_fault_gives_up_after_three_attempts()
    {
        var attempts = 0;

        var fault = await Assert.ThrowsAsync<SqliteException>(() => _db.WriteAsync<int>(s => { attempts++; throw new SqliteException("database is locked", SqliteBusy); }));

        Assert.Equal((SqliteBusy, 3), (fault.SqliteErrorCode, attempts));
    }

    [Fact]
    public async Task A_fault_that_is_not_transient_is_not_tried_again()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<SqliteException>(() => _db.WriteAsync<int>(s => { attempts++; throw new SqliteException("UNIQUE constraint failed", SqliteConstraint); }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_read_that_meets_a_transient_fault_is_tried_again()
    {
        var attempts = 0;

        var result = await _db.ReadAsync(s => ++attempts < 3 ? throw new SqliteException("database is locked", SqliteBusy) : Task.FromResult("read"));

        Assert.Equal(("read", 3), (result, attempts));
    }
}
