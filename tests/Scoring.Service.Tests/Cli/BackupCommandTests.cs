using Dapper;
using Microsoft.Data.Sqlite;
using Scoring.Service.Cli;
using Scoring.Storage;

namespace Scoring.Service.Tests.Cli;

/// <summary><c>backup &lt;file&gt;</c>: a checked copy of the running service's database, taken as found; every refusal one line and a non-zero exit.</summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scoring-cli-backup-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static Task<(int Exit, string Out, string Err)> BackupAsync(params string[] args) =>
        VerbRun.RunAsync((output, error) => BackupCommand.RunAsync(["backup", .. args], output, error));

    private static string Database(string path) => $"--ConnectionStrings:Scoring=Data Source={path}";

    private static string OneLine(string text) =>
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static async Task<T> OnFileAsync<T>(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException(sql);
    }

    [Fact]
    public async Task Backup_copies_the_running_service_s_database_and_says_what_the_copy_holds()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var target = Path.Combine(_dir, "backups", "2026-11-24.db");

        var (exit, output, error) = await BackupAsync(target, Database(world.DatabasePath));

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var line = OneLine(output);
        Assert.Contains($"to '{target}'", line);
        Assert.Contains("integrity check ok", line);
        var subjects = await OnFileAsync<long>(world.DatabasePath, "SELECT COUNT(*) FROM subjects");
        Assert.Contains($"1 street(s), {subjects} subjects", line);
        Assert.Equal("ok", await OnFileAsync<string>(target, "PRAGMA integrity_check"));
        Assert.Equal(subjects, await OnFileAsync<long>(target, "SELECT COUNT(*) FROM subjects"));
    }

    [Fact]
    public async Task Backup_takes_the_database_as_found_without_migrating_it_first()
    {
        // A database of an earlier release: the migrations before 0500 only, as an operator has it before upgrading.
        var file = Path.Combine(_dir, "scoring.db");
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync("CREATE TABLE schema_version (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
            foreach (var (name, sql) in Migrator.Scripts(StorageProvider.Sqlite).Where(m => string.CompareOrdinal(m.Name, "0500") < 0))
            {
                await connection.ExecuteAsync(sql);
                await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@name, '2026-11-01T00:00:00+00:00')", new { name });
            }
        }
        var applied = await OnFileAsync<long>(file, "SELECT COUNT(*) FROM schema_version");

        var (exit, _, error) = await BackupAsync(Path.Combine(_dir, "before-upgrade.db"), Database(file));

        Assert.Equal((0, ""), (exit, error));
        Assert.Equal(applied, await OnFileAsync<long>(file, "SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(applied, await OnFileAsync<long>(Path.Combine(_dir, "before-upgrade.db"), "SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task A_backup_file_that_exists_is_not_replaced()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var target = Path.Combine(_dir, "monday.db");
        await File.WriteAllTextAsync(target, "Monday's backup");

        var (exit, output, error) = await BackupAsync(target, Database(world.DatabasePath));

        Assert.Equal((1, ""), (exit, output));
        Assert.Contains("already exists", OneLine(error));
        Assert.Equal("Monday's backup", await File.ReadAllTextAsync(target));
    }

    [Fact]
    public async Task A_folder_that_cannot_be_written_is_refused_in_one_line()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var notAFolder = Path.Combine(_dir, "backups");
        await File.WriteAllTextAsync(notAFolder, "a file where the folder would be");

        var (exit, output, error) = await BackupAsync(Path.Combine(notAFolder, "x.db"), Database(world.DatabasePath));

        Assert.Equal((1, ""), (exit, output));
        Assert.StartsWith("Cannot write to ", OneLine(error));
    }

    [Fact]
    public async Task A_missing_database_file_is_refused_and_not_created()
    {
        var missing = Path.Combine(_dir, "data", "scoring.db");

        var (exit, output, error) = await BackupAsync(Path.Combine(_dir, "x.db"), Database(missing));

        Assert.Equal((1, ""), (exit, output));
        Assert.Contains($"No database file at '{missing}'", OneLine(error));
        Assert.False(File.Exists(missing));
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
        Assert.False(File.Exists(Path.Combine(_dir, "x.db")));
    }

    [Fact]
    public async Task SQL_Server_is_sent_to_its_own_backup_without_showing_the_connection_string()
    {
        var (exit, output, error) = await BackupAsync(Path.Combine(_dir, "x.db"), "--Storage:Provider=SqlServer",
            "--ConnectionStrings:Scoring=Server=db.example;Database=Scoring;User Id=scoring;Password=Secret-42");

        Assert.Equal((1, ""), (exit, output));
        Assert.Contains("BACKUP DATABASE", OneLine(error));
        Assert.DoesNotContain("Secret-42", error);
        Assert.DoesNotContain("db.example", error);
        Assert.False(File.Exists(Path.Combine(_dir, "x.db")));
    }

    [Fact]
    public async Task Backup_without_a_file_or_with_two_shows_the_usage()
    {
        Assert.Equal(64, (await BackupAsync()).Exit);
        var (exit, _, error) = await BackupAsync("a.db", "b.db");
        Assert.Equal(64, exit);
        Assert.Contains("backup <file>", error);
    }
}
