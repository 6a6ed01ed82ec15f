using Dapper;
using Microsoft.Data.Sqlite;
using Scoring.Storage;

namespace Scoring.Service.Tests.Cli;

/// <summary>Database files as an operator may hand them to check-backup or restore: made by this build's migrations or an earlier release's, or not Scoring's at all.</summary>
internal static class BackupFiles
{
    /// <summary>A Scoring database with the migrations named before <paramref name="before"/> (all of this build's without it), as that release left it.</summary>
    public static async Task<string> MigratedAsync(string path, string? before = null)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE schema_version (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
        foreach (var (name, sql) in Migrator.Scripts(StorageProvider.Sqlite).Where(m => before is null || string.CompareOrdinal(m.Name, before) < 0))
        {
            await connection.ExecuteAsync(sql);
            await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@name, '2026-11-01T00:00:00.0000000Z')", new { name });
        }
        return path;
    }

    /// <summary>Runs <paramref name="sql"/> on the file, on a connection of its own that is closed after.</summary>
    public static async Task ExecuteAsync(string path, string sql, object? values = null)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await connection.ExecuteAsync(sql, values);
    }

    public static async Task<T> OnFileAsync<T>(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException(sql);
    }

    /// <summary>A Scoring database one of whose pages (in the middle of a table) was overwritten, as a failing disk leaves it.</summary>
    public static async Task<string> DamagedAsync(string path)
    {
        await MigratedAsync(path);
        await ExecuteAsync(path, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) " +
            "INSERT INTO worker_leases (name, owner, lease_until) SELECT 'work-' || i, printf('%.200c', 'x'), '2026-11-01T00:00:00.0000000Z' FROM n");
        var pages = new FileInfo(path).Length / 4096;
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Seek((pages - 3) * 4096, SeekOrigin.Begin); // the table's pages are the last written
        file.Write(Enumerable.Repeat((byte)0x5A, 4096).ToArray());
        return path;
    }

    /// <summary>A SQLite database of some other program.</summary>
    public static async Task<string> ForeignAsync(string path)
    {
        await ExecuteAsync(path, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('红烧肉')");
        return path;
    }

    public static string OneLine(string text) =>
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>This build's newest migration, as the verbs name a schema.</summary>
    public static string LatestMigration => Migrator.Scripts(StorageProvider.Sqlite)[^1].Name;
}
