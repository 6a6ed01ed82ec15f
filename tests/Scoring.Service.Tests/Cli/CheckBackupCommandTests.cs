using System.Globalization;
using Microsoft.Data.Sqlite;
using Scoring.Service.Cli;
using Scoring.Service.Hosting;
using Scoring.Storage;
using static Scoring.Service.Tests.Cli.BackupFiles;

namespace Scoring.Service.Tests.Cli;

/// <summary>
/// <c>check-backup &lt;file&gt;</c>: whether a copy can be restored, tried before the day it is needed: whole, Scoring's, a
/// schema this build can use, when it was taken and what it holds. A copy that is not usable is one line and exit code 1.
/// </summary>
public sealed class CheckBackupCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scoring-cli-check-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static Task<(int Exit, string Out, string Err)> CheckAsync(params string[] args) =>
        VerbRun.RunAsync((output, error) => CheckBackupCommand.RunAsync(["check-backup", .. args], output, error));

    private static string Utc(string stored) =>
        DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_nightly_copy_is_usable_and_the_check_says_when_it_was_taken_and_what_it_holds()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        var copy = await Backups.WriteAsync(world.Db, Path.Combine(_dir, NightlyBackups.NameFor(world.Clock.GetUtcNow())), world.Clock);

        var (exit, output, error) = await CheckAsync(copy.Path);

        Assert.Equal((0, ""), (exit, error));
        Assert.Contains($"'{copy.Path}': a Scoring database, integrity check ok", output);
        Assert.Contains("taken 2026-11-24 01:00 UTC (from its name)", output);
        Assert.Contains($"schema {LatestMigration}, this build's", output);
        var subjects = await OnFileAsync<long>(copy.Path, "SELECT COUNT(*) FROM subjects");
        var events = await OnFileAsync<long>(copy.Path, "SELECT COUNT(*) FROM score_events");
        var lists = await OnFileAsync<long>(copy.Path, "SELECT COUNT(*) FROM published_lists");
        Assert.Contains($"1 street(s), {subjects} subjects, {events} score events, {lists} published lists", output);
        Assert.Contains($"newest score event {Utc(await OnFileAsync<string>(copy.Path, "SELECT MAX(reported_at) FROM score_events"))}", output);
        Assert.DoesNotContain("应天乐", output); // counts, never a person
    }

    [Fact]
    public async Task A_copy_from_an_earlier_release_is_usable_and_is_migrated_when_the_service_starts_on_it()
    {
        var file = await MigratedAsync(Path.Combine(_dir, "before-upgrade.db"), before: "0500");
        var bytes = await File.ReadAllBytesAsync(file);

        var (exit, output, error) = await CheckAsync(file);

        Assert.Equal((0, ""), (exit, error));
        Assert.Contains($"schema 0490_enrolment_codes_replaced, older than this build's ({LatestMigration}): migrated when the service starts on it", output);
        Assert.Contains("0 street(s), 0 subjects, 0 score events, 0 published lists; no score events", output);
        Assert.Contains("file last written", output); // not a nightly copy's name: when it was taken is not known
        // Opened read-only: the copy is as it was, and nothing was left beside it.
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file));
        Assert.Equal(["before-upgrade.db"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_database_in_WAL_mode_is_checked_without_leaving_files_beside_it()
    {
        // A database the service ran on (one moved aside by a restore, say): WAL mode, its log folded in when it stopped;
        // in a folder whose name is no plain URI.
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "备份 #1 %20")).FullName;
        var file = await MigratedAsync(Path.Combine(folder, "scoring.db"));
        await ExecuteAsync(file, "PRAGMA journal_mode=WAL");
        Assert.Equal(["scoring.db"], Directory.GetFiles(folder).Select(Path.GetFileName));

        var (exit, _, error) = await CheckAsync(file);

        Assert.Equal((0, ""), (exit, error));
        Assert.Equal(["scoring.db"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_copy_from_a_newer_release_is_not_usable_by_this_build()
    {
        var file = await MigratedAsync(Path.Combine(_dir, "newer.db"));
        await ExecuteAsync(file, "INSERT INTO schema_version (version, applied_at) VALUES ('9990_from_a_later_release', '2027-01-01T00:00:00.0000000Z')");

        var (exit, output, error) = await CheckAsync(file);

        Assert.Equal(1, exit);
        Assert.Contains("schema 9990_from_a_later_release, newer than this build's", output);
        var line = OneLine(error);
        Assert.Contains("this build cannot use it", line);
        Assert.Contains("9990_from_a_later_release", line);
    }

    [Fact]
    public async Task A_SQLite_database_of_another_program_is_not_a_Scoring_database()
    {
        var file = await ForeignAsync(Path.Combine(_dir, "recipes.db"));

        var (exit, _, error) = await CheckAsync(file);

        Assert.Equal(1, exit);
        Assert.Contains("not a Scoring database", OneLine(error));
    }

    [Fact]
    public async Task A_file_that_is_not_a_SQLite_database_is_refused_in_one_line()
    {
        var file = Path.Combine(_dir, "scoring.db");
        await File.WriteAllTextAsync(file, "姓名,电话\n应天乐,13900000001\n");

        var (exit, output, error) = await CheckAsync(file);

        Assert.Equal((1, ""), (exit, output));
        Assert.Contains("not a SQLite database", OneLine(error));
        Assert.DoesNotContain("13900000001", error);
    }

    [Fact]
    public async Task A_damaged_copy_fails_the_integrity_check()
    {
        var file = await DamagedAsync(Path.Combine(_dir, "damaged.db"));

        var (exit, output, error) = await CheckAsync(file);

        Assert.Equal((1, ""), (exit, output));
        Assert.Contains("integrity check", OneLine(error));
    }

    [Fact]
    public async Task A_missing_file_is_refused_and_not_created()
    {
        var missing = Path.Combine(_dir, "backups", "monday.db");

        var (exit, output, error) = await CheckAsync(missing);

        Assert.Equal((1, ""), (exit, output));
        Assert.Contains($"No file '{missing}'", OneLine(error));
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task Check_backup_without_a_file_or_with_two_shows_the_usage()
    {
        Assert.Equal(64, (await CheckAsync()).Exit);
        var (exit, _, error) = await CheckAsync("a.db", "b.db");
        Assert.Equal(64, exit);
        Assert.Contains("check-backup <file>", error);
    }
}
