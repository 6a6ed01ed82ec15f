using System.Net;
using Microsoft.Data.Sqlite;
using Scoring.Service.Cli;
using Scoring.Service.Hosting;
using Scoring.Storage;
using static Scoring.Service.Tests.Cli.BackupFiles;

namespace Scoring.Service.Tests.Cli;

/// <summary>
/// <c>restore &lt;file&gt;</c>: a checked copy put in place of the database while no instance uses it; the files it
/// replaces are moved aside into a folder of their own, never overwritten or deleted. Every refusal is one line, exit
/// code 1, and leaves the database as it was.
/// </summary>
public sealed class RestoreCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scoring-cli-restore-").FullName;

    // The clock a verb runs on where a test needs it (leases, the moved-aside folder's name): Wednesday 09:00 in Houzhai.
    private static readonly string[] OnWednesday = ["--environment=Testing", "--Clock:Now=2026-11-18T09:00:00+08:00"];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static Task<(int Exit, string Out, string Err)> RestoreAsync(params string[] args) =>
        VerbRun.RunAsync((output, error) => RestoreCommand.RunAsync(["restore", .. args], output, error));

    private static string Database(string path) => $"--ConnectionStrings:Scoring=Data Source={path}";

    /// <summary>The folders the replaced files were moved to, beside the database.</summary>
    private static string[] Replaced(string database)
    {
        var folder = Path.Combine(Path.GetDirectoryName(database)!, "replaced");
        return Directory.Exists(folder) ? Directory.GetDirectories(folder).Order(StringComparer.Ordinal).ToArray() : [];
    }

    private static string[] Names(string folder) => Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task A_backup_is_put_in_place_of_the_database_and_the_service_serves_it_again_with_the_replaced_files_kept_aside()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var kept = await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        var backup = await Backups.WriteAsync(world.Db, Path.Combine(_dir, NightlyBackups.NameFor(world.Clock.GetUtcNow())), world.Clock);
        var lost = await world.ScoreAsync("landlord-2"); // after the night's copy: what a restore gives up

        (int Exit, string Out, string Err) restore = default;
        await world.RestartAsync(async () => restore = await RestoreAsync(backup.Path, Database(world.DatabasePath)));

        Assert.Equal((0, ""), (restore.Exit, restore.Err));
        Assert.Contains($"Restored '{backup.Path}' to '{world.DatabasePath}'", restore.Out);
        Assert.Contains($"schema {LatestMigration}, this build's", restore.Out);
        // The service serves the copy: its list, its ledger, its staff tokens; not what came after it.
        Assert.Equal(HttpStatusCode.OK, (await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W47?kind=landlord")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Client("officer-1").GetAsync("/api/subjects/landlord-1")).StatusCode);
        Assert.NotNull(await world.Db.ReadAsync(s => s.GetEventAsync(kept)));
        Assert.Null(await world.Db.ReadAsync(s => s.GetEventAsync(lost)));
        // The database it replaced is whole in a folder of its own, and the output says where.
        var aside = Assert.Single(Replaced(world.DatabasePath));
        Assert.Contains($"'{aside}'", restore.Out);
        Assert.Contains("scoring.db", Names(aside));
        Assert.Equal(1, await OnFileAsync<long>(Path.Combine(aside, "scoring.db"), $"SELECT COUNT(*) FROM score_events WHERE id = '{lost}'"));
        Assert.DoesNotContain(Directory.GetFiles(Path.GetDirectoryName(world.DatabasePath)!), f => f.EndsWith(".restoring", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(world.DatabasePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(aside));
        }
    }

    [Fact]
    public async Task A_copy_from_an_earlier_release_is_restored_and_migrated_when_the_service_starts_on_it()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var kept = await world.ScoreAsync("landlord-1");
        var backup = await Backups.WriteAsync(world.Db, Path.Combine(_dir, "before-upgrade.db"), world.Clock);
        // As the release before 0650 left it: no worker_leases.last_completed_at, no 0650 recorded.
        await ExecuteAsync(backup.Path, "ALTER TABLE worker_leases DROP COLUMN last_completed_at; DELETE FROM schema_version WHERE version = '0650_worker_rounds_completed'");

        (int Exit, string Out, string Err) restore = default;
        await world.RestartAsync(async () => restore = await RestoreAsync(backup.Path, Database(world.DatabasePath)));

        Assert.Equal((0, ""), (restore.Exit, restore.Err));
        Assert.Contains("older than this build's", restore.Out);
        Assert.Equal(Migrator.Scripts(StorageProvider.Sqlite).Count, await OnFileAsync<long>(world.DatabasePath, "SELECT COUNT(*) FROM schema_version"));
        Assert.NotNull(await world.Db.ReadAsync(s => s.GetEventAsync(kept)));
        Assert.Equal(HttpStatusCode.OK, (await world.Client("officer-1").GetAsync("/api/subjects/landlord-1")).StatusCode);
    }

    [Fact]
    public async Task A_database_lost_with_its_disk_is_restored_into_a_new_folder()
    {
        var backup = await MigratedAsync(Path.Combine(_dir, "monday.db"));
        var database = Path.Combine(_dir, "data", "scoring.db");

        var (exit, output, error) = await RestoreAsync(backup, Database(database));

        Assert.Equal((0, ""), (exit, error));
        Assert.Equal(LatestMigration, await OnFileAsync<string>(database, "SELECT MAX(version) FROM schema_version"));
        Assert.Contains($"No database was at '{database}'", output);
        Assert.Empty(Replaced(database));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database));
    }

    [Fact]
    public async Task A_log_left_without_its_database_is_moved_aside_and_not_replayed_over_the_restored_copy()
    {
        var backup = await MigratedAsync(Path.Combine(_dir, "monday.db"));
        var database = Path.Combine(_dir, "scoring.db");
        await File.WriteAllTextAsync(database + "-wal", "the log of a database that is gone");
        await File.WriteAllTextAsync(database + "-shm", "its index");

        var (exit, _, error) = await RestoreAsync(backup, Database(database));

        Assert.Equal((0, ""), (exit, error));
        Assert.False(File.Exists(database + "-wal"));
        Assert.Equal(["scoring.db-shm", "scoring.db-wal"], Names(Assert.Single(Replaced(database))));
        Assert.Equal("ok", await OnFileAsync<string>(database, "PRAGMA integrity_check"));
    }

    [Fact]
    public async Task Restore_is_refused_while_the_service_runs_on_the_database_even_with_force()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var backup = await Backups.WriteAsync(world.Db, Path.Combine(_dir, "monday.db"), world.Clock);

        foreach (var force in new[] { false, true })
        {
            var (exit, output, error) = await RestoreAsync([backup.Path, Database(world.DatabasePath), .. force ? ["--force"] : Array.Empty<string>()]);

            Assert.Equal((1, ""), (exit, output));
            Assert.Contains("in use", OneLine(error));
        }
        Assert.Empty(Replaced(world.DatabasePath));
        Assert.True(File.Exists(world.DatabasePath));
        Assert.False(File.Exists(world.DatabasePath + ".restoring"));
        Assert.Equal(HttpStatusCode.OK, (await world.Client().GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Restore_is_refused_while_an_instance_s_lease_is_held_and_goes_ahead_with_force()
    {
        var backup = await MigratedAsync(Path.Combine(_dir, "monday.db"));
        var database = await MigratedAsync(Path.Combine(_dir, "scoring.db"));
        // An instance renewed its lease a minute ago (till 01:01 UTC; the verb's clock reads 01:00), one lease ran out long ago.
        await ExecuteAsync(database, "INSERT INTO worker_leases (name, owner, lease_until) VALUES " +
            "('verification-clock', 'office-pc:4242:0123456789abcdef0123456789abcdef', '2026-11-18T01:01:00.0000000Z'), " +
            "('chat-notices', 'office-pc:17:fedcba9876543210fedcba9876543210', '2026-11-17T23:00:00.0000000Z')");

        var refused = await RestoreAsync([backup, Database(database), .. OnWednesday]);

        Assert.Equal((1, ""), (refused.Exit, refused.Out));
        var line = OneLine(refused.Err);
        Assert.Contains("verification-clock", line);
        Assert.Contains("office-pc:4242", line);
        Assert.Contains("01:01:00 UTC", line);
        Assert.Contains("--force", line);
        Assert.DoesNotContain("chat-notices", line);
        Assert.Empty(Replaced(database));

        var forced = await RestoreAsync([backup, Database(database), "--force", .. OnWednesday]);

        Assert.Equal(0, forced.Exit);
        Assert.Equal(["scoring.db"], Names(Assert.Single(Replaced(database))));
        Assert.Equal(0, await OnFileAsync<long>(database, "SELECT COUNT(*) FROM worker_leases"));
    }

    [Fact]
    public async Task The_lease_a_nightly_copy_was_taken_under_has_run_out_in_the_restored_database_so_a_second_restore_goes_ahead()
    {
        // A nightly copy holds the lease its instance took to write it (an hour), under an owner that will never run again.
        var backup = await MigratedAsync(Path.Combine(_dir, "monday.db"));
        await ExecuteAsync(backup, "INSERT INTO worker_leases (name, owner, lease_until) VALUES " +
            "('nightly-backups', 'office-pc:4242:0123456789abcdef0123456789abcdef', '2026-11-18T01:50:00.0000000Z')");
        var database = Path.Combine(_dir, "scoring.db");

        var first = await RestoreAsync([backup, Database(database), .. OnWednesday]);
        var second = await RestoreAsync([backup, Database(database), "--environment=Testing", "--Clock:Now=2026-11-18T09:01:00+08:00"]); // a minute later, the copy's lease still 49 minutes to run

        Assert.Equal((0, ""), (first.Exit, first.Err));
        Assert.Equal((0, ""), (second.Exit, second.Err));
        // Run out when the second restore ran (01:01 UTC and the moments it took), no longer held till 01:50.
        Assert.Equal(0, await OnFileAsync<long>(database, "SELECT COUNT(*) FROM worker_leases WHERE lease_until > '2026-11-18T01:02:00.0000000Z'"));
        Assert.Equal(1, await OnFileAsync<long>(backup, "SELECT COUNT(*) FROM worker_leases WHERE lease_until > '2026-11-18T01:00:00.0000000Z'")); // the backup itself is read, never written
    }

    public static TheoryData<string> Unusable => ["newer", "foreign", "not-sqlite", "damaged", "missing"];

    [Theory]
    [MemberData(nameof(Unusable))]
    public async Task A_backup_this_build_cannot_use_is_refused_and_the_database_is_left_as_it_was(string kind)
    {
        var database = await MigratedAsync(Path.Combine(_dir, "scoring.db"));
        var before = await File.ReadAllBytesAsync(database);
        var backup = Path.Combine(_dir, "backup.db");
        switch (kind)
        {
            case "newer":
                await MigratedAsync(backup);
                await ExecuteAsync(backup, "INSERT INTO schema_version (version, applied_at) VALUES ('9990_from_a_later_release', '2027-01-01T00:00:00.0000000Z')");
                break;
            case "foreign": await ForeignAsync(backup); break;
            case "not-sqlite": await File.WriteAllTextAsync(backup, "not a database"); break;
            case "damaged": await DamagedAsync(backup); break;
        }

        var (exit, _, error) = await RestoreAsync(backup, Database(database));

        Assert.Equal(1, exit);
        Assert.Contains("nothing was restored", OneLine(error));
        Assert.Equal(before, await File.ReadAllBytesAsync(database));
        Assert.Empty(Replaced(database));
        Assert.False(File.Exists(database + ".restoring"));
    }

    [Fact]
    public async Task The_database_itself_is_not_taken_for_its_backup()
    {
        var database = await MigratedAsync(Path.Combine(_dir, "scoring.db"));

        var (exit, _, error) = await RestoreAsync(database, Database(database));

        Assert.Equal(1, exit);
        Assert.Contains("is the database itself", OneLine(error));
        Assert.True(File.Exists(database));
        Assert.Empty(Replaced(database));
    }

    [Fact]
    public async Task A_restore_under_way_or_interrupted_is_not_overwritten()
    {
        var backup = await MigratedAsync(Path.Combine(_dir, "monday.db"));
        var database = await MigratedAsync(Path.Combine(_dir, "scoring.db"));
        await File.WriteAllTextAsync(database + ".restoring", "another restore's copy");

        var (exit, _, error) = await RestoreAsync(backup, Database(database));

        Assert.Equal(1, exit);
        Assert.Contains($"'{database}.restoring' exists", OneLine(error));
        Assert.Equal("another restore's copy", await File.ReadAllTextAsync(database + ".restoring"));
        Assert.Empty(Replaced(database));
    }

    [Fact]
    public async Task Two_restores_at_the_same_moment_move_what_they_replace_into_folders_of_their_own()
    {
        var monday = await MigratedAsync(Path.Combine(_dir, "monday.db"));
        var tuesday = await MigratedAsync(Path.Combine(_dir, "tuesday.db"));
        await ExecuteAsync(tuesday, "INSERT INTO worker_leases (name, owner, lease_until) VALUES ('tuesday', 'x', '2026-11-17T00:00:00.0000000Z')");
        var database = await MigratedAsync(Path.Combine(_dir, "scoring.db"));

        Assert.Equal(0, (await RestoreAsync([tuesday, Database(database), .. OnWednesday])).Exit);
        Assert.Equal(0, (await RestoreAsync([monday, Database(database), .. OnWednesday])).Exit);

        var folders = Replaced(database);
        Assert.Equal(2, folders.Length);
        Assert.StartsWith("2026-11-18T010000Z", Path.GetFileName(folders[0]));
        // The first restore's database (Tuesday's copy) is kept too: moved aside by the second, not overwritten.
        Assert.Contains(folders, f => File.Exists(Path.Combine(f, "scoring.db")) && OnFileAsync<long>(Path.Combine(f, "scoring.db"), "SELECT COUNT(*) FROM worker_leases WHERE name = 'tuesday'").Result == 1);
    }

    [Fact]
    public async Task Restore_on_SQL_Server_is_refused_without_showing_the_connection_string()
    {
        var backup = await MigratedAsync(Path.Combine(_dir, "monday.db"));

        var (exit, output, error) = await RestoreAsync(backup, "--Storage:Provider=SqlServer",
            "--ConnectionStrings:Scoring=Server=db.example;Database=Scoring;User Id=scoring;Password=Secret-42");

        Assert.Equal((1, ""), (exit, output));
        Assert.Contains("RESTORE DATABASE", OneLine(error));
        Assert.DoesNotContain("Secret-42", error);
        Assert.DoesNotContain("db.example", error);
    }

    [Fact]
    public async Task Restore_without_a_file_or_with_two_shows_the_usage()
    {
        Assert.Equal(64, (await RestoreAsync()).Exit);
        var (exit, _, error) = await RestoreAsync("a.db", "b.db");
        Assert.Equal(64, exit);
        Assert.Contains("restore <file>", error);
    }
}
