using Microsoft.Data.Sqlite;
using Scoring.Storage;

namespace Scoring.Storage.Tests;

public class CombinedLogWritesTests : IAsyncLifetime
{
    private static readonly DialectSql Create = DialectSql.Both("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    private static readonly DialectSql Insert = DialectSql.Both("INSERT INTO items (id, name) VALUES (@id, @name)");
    private readonly string _dir = Directory.CreateTempSubdirectory("scoring-log-").FullName;
    private Database _db = null!;

    private string File => Path.Combine(_dir, "t.db");

    public async Task InitializeAsync()
    {
        _db = new Database(StorageProvider.Sqlite, $"Data Source={File}");
        await _db.WriteAsync(s => s.ExecuteAsync(Create));
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    [Fact]
    public async Task The_writers_commits_reach_the_log_in_a_few_writes_instead_of_two_per_page()
    {
        Assert.True(CombinedLogWrites.Installed);
        var padding = new string('x', 3000);
        var before = CombinedLogWrites.Counts;

        // Ten commits of ~40 pages each: unmixed, ~80 writes of the log per commit.
        for (var round = 0; round < 10; round++)
            await _db.WriteAsync(async s =>
            {
                for (var i = round * 40; i < round * 40 + 40; i++) await s.ExecuteAsync(Insert, new { id = i, name = $"{i}{padding}" });
            });

        // Other tests' writers count too (the counts are the process's), and gather the same way.
        var (gathered, flushed) = (CombinedLogWrites.Counts.Gathered - before.Gathered, CombinedLogWrites.Counts.Flushed - before.Flushed);
        Assert.True(gathered >= 10 * 80, $"{gathered} writes gathered");
        Assert.True(flushed * 10 <= gathered, $"{gathered} writes gathered went out in {flushed}");
    }

    [Fact]
    public async Task Every_acknowledged_commit_is_in_the_files_at_once()
    {
        for (var i = 0; i < 25; i++) await _db.WriteAsync(s => s.ExecuteAsync(Insert, new { id = i, name = $"item {i}" }));

        // The files as a crash would leave them: the database and its log, without the shared index of the log.
        var copy = Directory.CreateTempSubdirectory("scoring-log-copy-").FullName;
        try
        {
            System.IO.File.Copy(File, Path.Combine(copy, "t.db"));
            System.IO.File.Copy(File + "-wal", Path.Combine(copy, "t.db-wal"));
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(copy, "t.db")};Pooling=False");
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM items";
            Assert.Equal(25L, (long)(await count.ExecuteScalarAsync())!);
            count.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string)(await count.ExecuteScalarAsync())!);
        }
        finally
        {
            Directory.Delete(copy, true);
        }
    }
}
