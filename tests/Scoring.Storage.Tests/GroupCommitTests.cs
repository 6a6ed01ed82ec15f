using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Scoring.Storage;

namespace Scoring.Storage.Tests;

public class GroupCommitTests : IAsyncLifetime
{
    private static readonly DialectSql Create = DialectSql.Both("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
    private static readonly DialectSql Insert = DialectSql.Both("INSERT INTO items (id, name) VALUES (@id, @name)");
    private static readonly DialectSql Count = DialectSql.Both("SELECT COUNT(*) FROM items");
    private readonly string _dir = Directory.CreateTempSubdirectory("scoring-gc-").FullName;
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _db = new Database(StorageProvider.Sqlite, $"Data Source={Path.Combine(_dir, "t.db")}");
        await _db.WriteAsync(s => s.ExecuteAsync(Create));
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    [Fact]
    public async Task Concurrent_units_of_work_all_commit_and_a_failing_one_leaves_nothing_behind()
    {
        var writes = Enumerable.Range(0, 500).Select(i => _db.WriteAsync(async s =>
        {
            await s.ExecuteAsync(Insert, new { id = i, name = $"n{i}" });
            if (i % 50 == 7)
            {
                await s.ExecuteAsync(Insert, new { id = 10_000 + i, name = $"half-{i}" });
                throw new InvalidOperationException("refused after writing");
            }
            return i;
        })).ToList();

        var outcomes = await Task.WhenAll(writes.Select(async w => { try { await w; return true; } catch (InvalidOperationException) { return false; } }));

        Assert.Equal(10, outcomes.Count(ok => !ok));
        Assert.Equal(490L, await _db.ReadAsync(s => s.ScalarAsync<long>(Count)));
    }

    [Fact]
    public async Task A_unique_violation_fails_only_its_own_unit_of_work()
    {
        await _db.WriteAsync(s => s.ExecuteAsync(Insert, new { id = 1, name = "taken" }));
        var duplicate = _db.WriteAsync(s => s.ExecuteAsync(Insert, new { id = 2, name = "taken" }));
        var fine = _db.WriteAsync(s => s.ExecuteAsync(Insert, new { id = 3, name = "free" }));

        var error = await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.True(TransientFaults.IsUniqueViolation(error));
        await fine;
        Assert.Equal(2L, await _db.ReadAsync(s => s.ScalarAsync<long>(Count)));
    }

    [Fact]
    public async Task The_log_stays_short_while_writes_keep_coming_and_readers_keep_reading()
    {
        var wal = Path.Combine(_dir, "t.db-wal");
        var reading = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++) await _db.ReadAsync(s => s.ScalarAsync<long>(Count));
        });
        var padding = new string('x', 3000); // about a page per row: 8,000 rows would make a ~32 MB log unchecked
        for (var round = 0; round < 40; round++)
        {
            await Task.WhenAll(Enumerable.Range(round * 200, 200).Select(i => _db.WriteAsync(s => s.ExecuteAsync(Insert, new { id = i, name = $"{i}-{padding}" }))));
        }
        await reading;

        Assert.Equal(8_000, await _db.ReadAsync(s => s.ScalarAsync<long>(Count)));
        Assert.True(new FileInfo(wal).Length < 16 * 1024 * 1024, $"the log grew to {new FileInfo(wal).Length / 1024 / 1024} MB");
    }

    [Fact]
    public async Task Units_of_work_do_not_run_on_thread_pool_threads()
    {
        var onPool = await _db.WriteAsync(_ => Task.FromResult(Thread.CurrentThread.IsThreadPoolThread));

        Assert.False(onPool);
    }

    [Fact]
    public async Task A_log_left_by_a_stopped_process_is_folded_into_the_database_at_start_without_any_write()
    {
        var file = Path.Combine(_dir, "left.db");
        await using var earlier = new SqliteConnection($"Data Source={file};Pooling=False");
        await earlier.OpenAsync();
        await using (var setup = earlier.CreateCommand())
        {
            // A process that wrote a lot and stopped before checkpointing (it stays open here, idle, so the log stays).
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);" +
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO items SELECT i, printf('%d-%.3000c', i, 'x') FROM n;";
            await setup.ExecuteNonQueryAsync();
        }
        var before = new FileInfo(file).Length;

        await using var started = new Database(StorageProvider.Sqlite, $"Data Source={file};Pooling=False");
        var folded = Stopwatch.StartNew();
        while (new FileInfo(file).Length < 4 * 1024 * 1024 && folded.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);

        Assert.True(before < 1024 * 1024, $"the log was folded in before the test: {before} bytes");
        Assert.True(new FileInfo(file).Length >= 4 * 1024 * 1024, $"the database file is still {new FileInfo(file).Length} bytes");
        Assert.Equal(2000L, await started.ReadAsync(s => s.ScalarAsync<long>(Count)));
    }
}
