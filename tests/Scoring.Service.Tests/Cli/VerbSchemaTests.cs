using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Scoring.Service.Cli;
using Scoring.Service.Tests.Rosters;
using Scoring.Storage;

namespace Scoring.Service.Tests.Cli;

/// <summary>
/// The verbs against the live database's schema: an operator runs them from the next release's folder while the current
/// release serves, so a verb migrates only when asked, a dry run never, and a newer release's database is refused.
/// </summary>
public sealed class VerbSchemaTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scoring-verb-schema-").FullName;
    private string DbFile => Path.Combine(_dir, "scoring.db");
    private string Connection => $"--ConnectionStrings:Scoring=Data Source={DbFile};Pooling=False";
    private static readonly IReadOnlyList<(string Name, string Sql)> Build = Migrator.Scripts(StorageProvider.Sqlite);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>The database the release before this one left: every migration but this build's last.</summary>
    private async Task OneReleaseBehindAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DbFile};Pooling=False");
        await connection.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE schema_version (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
        foreach (var (name, sql) in Build.SkipLast(1))
        {
            await connection.ExecuteAsync(sql);
            await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@name, '2026-11-01T00:00:00.0000000Z')", new { name });
        }
    }

    /// <summary>The database this build's service leaves.</summary>
    private async Task CurrentAsync()
    {
        await using var db = new Database(StorageProvider.Sqlite, $"Data Source={DbFile};Pooling=False", new FakeTimeProvider());
        await Migrator.MigrateAsync(db, new FakeTimeProvider());
    }

    /// <summary>This build's database, which a newer release has then migrated further.</summary>
    private async Task NewerAsync(string migration)
    {
        await CurrentAsync();
        await using var connection = new SqliteConnection($"Data Source={DbFile};Pooling=False");
        await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@migration, '2026-11-01T00:00:00.0000000Z')", new { migration });
    }

    private async Task<List<string>> SchemaVersionsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DbFile};Pooling=False");
        return (await connection.QueryAsync<string>("SELECT version FROM schema_version ORDER BY version")).ToList();
    }

    private string Roster()
    {
        var path = Path.Combine(_dir, "花名册.csv");
        File.WriteAllBytes(path, RosterFile.Csv([RosterFile.Header, ["房东", "xincun", "楼新民", "13711110001", "1号楼", "许佳", "301", ""]], RosterFile.Gbk));
        return path;
    }

    private static void AssertOneLineRefusal((int Exit, string Out, string Err) run, params string[] expected)
    {
        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Out);
        var line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("Scoring cannot start: ", line);
        foreach (var e in expected) Assert.Contains(e, line);
    }

    [Fact]
    public async Task A_dry_run_import_on_an_older_release_s_database_leaves_its_schema_as_it_was_and_says_why_it_stopped()
    {
        await OneReleaseBehindAsync();
        var before = await SchemaVersionsAsync();

        var run = await VerbRun.RunAsync((o, e) => ImportCommand.RunAsync(["import", Roster(), "--street", "jiangdong", "--new-street", "江东街道", "--dry-run", Connection], o, e));

        AssertOneLineRefusal(run, $"the database is at {Build[^2].Name}, older than this build ({Build[^1].Name})", "upgrade the service first");
        Assert.Equal(before, await SchemaVersionsAsync());
    }

    [Fact]
    public async Task A_dry_run_never_migrates_even_when_told_to()
    {
        await OneReleaseBehindAsync();
        var before = await SchemaVersionsAsync();

        var run = await VerbRun.RunAsync((o, e) => ImportCommand.RunAsync(["import", Roster(), "--street", "jiangdong", "--new-street", "江东街道", "--dry-run", "--migrate", Connection], o, e));

        AssertOneLineRefusal(run, "a dry run never migrates it");
        Assert.Equal(before, await SchemaVersionsAsync());
    }

    [Fact]
    public async Task Staff_token_on_an_older_release_s_database_is_refused_without_migrating_it()
    {
        await OneReleaseBehindAsync();
        var before = await SchemaVersionsAsync();

        var run = await VerbRun.RunAsync((o, e) => StaffCommands.RunAsync(["staff", "token", "officer-1", Connection], o, e));

        AssertOneLineRefusal(run, Build[^2].Name, "--migrate");
        Assert.Equal(before, await SchemaVersionsAsync());
    }

    [Fact]
    public async Task With_migrate_a_verb_migrates_an_older_release_s_database_and_says_so_on_standard_error()
    {
        await OneReleaseBehindAsync();

        var run = await VerbRun.RunAsync((o, e) => ImportCommand.RunAsync(["import", Roster(), "--street", "jiangdong", "--new-street", "江东街道", "--migrate", Connection], o, e));

        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains($"Migrated the database from {Build[^2].Name} to {Build[^1].Name}", run.Err);
        Assert.DoesNotContain("Migrated", run.Out);
        Assert.Equal(Build.Select(m => m.Name).Order(StringComparer.Ordinal), await SchemaVersionsAsync());
    }

    [Fact]
    public async Task A_verb_on_a_newer_release_s_database_is_refused_naming_what_this_build_does_not_know()
    {
        await NewerAsync("9990_from_a_newer_release");

        var staff = await VerbRun.RunAsync((o, e) => StaffCommands.RunAsync(["staff", "token", "officer-1", "--migrate", Connection], o, e));
        var import = await VerbRun.RunAsync((o, e) => ImportCommand.RunAsync(["import", Roster(), "--street", "jiangdong", "--new-street", "江东街道", Connection], o, e));

        AssertOneLineRefusal(staff, "9990_from_a_newer_release", "a newer release migrated it");
        AssertOneLineRefusal(import, "9990_from_a_newer_release");
    }

    [Fact]
    public async Task On_a_database_at_this_build_s_schema_a_verb_says_nothing_about_the_schema()
    {
        await CurrentAsync();

        var run = await VerbRun.RunAsync((o, e) => ImportCommand.RunAsync(["import", Roster(), "--street", "jiangdong", "--new-street", "江东街道", "--dry-run", Connection], o, e));

        Assert.True(run.Exit == 0, run.Err);
        Assert.DoesNotContain("Migrated", run.Err);
        Assert.DoesNotContain("Scoring cannot start", run.Err);
    }
}
