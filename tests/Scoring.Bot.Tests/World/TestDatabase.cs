using Dapper;
using Scoring.Storage;

namespace Scoring.Bot.Tests.World;

/// <summary>A fresh SQLite file in its own temp folder with the bot tables in it (migration 0100, 0430 that stores the processed activities in order, 0750 that keeps when a message's throttling began and who put it off for the pace, and 0830 that marks a reference unreachable).</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "scoring-bot-tests", Guid.NewGuid().ToString("N"));

    private TestDatabase(TimeProvider time)
    {
        Directory.CreateDirectory(folder);
        ConnectionString = $"Data Source={Path.Combine(folder, "scoring.db")};Pooling=False";
        Database = new Database(StorageProvider.Sqlite, ConnectionString, time);
    }

    public string ConnectionString { get; }
    public Database Database { get; }

    public static async Task<TestDatabase> CreateAsync(TimeProvider time)
    {
        var db = new TestDatabase(time);
        await using var connection = await db.Database.OpenAsync();
        await connection.ExecuteAsync(MigrationText("Sqlite"));
        await connection.ExecuteAsync(MigrationText("Sqlite", "0430_processed_activities_in_order"));
        await connection.ExecuteAsync(MigrationText("Sqlite", "0750_outbox_throttled_since_and_paced_by"));
        await connection.ExecuteAsync(MigrationText("Sqlite", "0830_conversation_reference_unreachable_since"));
        return db;
    }

    /// <summary>The text of one of the storage's migrations (the bot's tables by default).</summary>
    public static string MigrationText(string dialect, string migration = "0100_bot")
    {
        var assembly = typeof(Database).Assembly;
        var name = $"Scoring.Storage.Migrations.{dialect}.{migration}.sql";
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow runner; the temp folder is cleaned by the OS eventually.
        }
    }
}
