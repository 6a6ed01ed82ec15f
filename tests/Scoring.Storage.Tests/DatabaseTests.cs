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
