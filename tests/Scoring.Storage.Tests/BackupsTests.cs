using Dapper;
using Microsoft.Data.Sqlite;
using Scoring.Storage;

namespace Scoring.Storage.Tests;

/// <summary>A backup is a consistent copy of the live database, checked before it is put in place, and never put over a file.</summary>
public class BackupsTests
{
    private static string Backups(StorageWorld world, string name = "backup.db")
    {
        var dir = Path.Combine(Path.GetDirectoryName(world.File)!, "backups");
        return Path.Combine(dir, name);
    }

    private static async Task<T> OnCopyAsync<T>(string path, Func<SqliteConnection, Task<T>> read)
    {
        await using var copy = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync();
        return await read(copy);
    }

    [Fact]
    public async Task A_backup_holds_the_database_and_says_what_it_copied()
    {
        await using var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("houzhai", "s1", "s2", "s3");
        await world.InsertAsync(StorageWorld.Event("houzhai", "s1", 2, StorageWorld.Wednesday), StorageWorld.Event("houzhai", "s2", -1, StorageWorld.Wednesday));
        var target = Backups(world);

        var copy = await Storage.Backups.WriteAsync(world.Db, target, world.Clock);

        Assert.Equal(Path.GetFullPath(target), copy.Path);
        Assert.Equal(new FileInfo(target).Length, copy.Bytes);
        Assert.True(copy.Bytes > 0);
        Assert.Equal((1, 3, 2, 0), (copy.Streets, copy.Subjects, copy.ScoreEvents, copy.PublishedLists));
        Assert.False(File.Exists(target + ".partial"));
        Assert.Equal("ok", await OnCopyAsync(target, c => c.ExecuteScalarAsync<string>("PRAGMA integrity_check")));
        Assert.Equal(2, await OnCopyAsync(target, c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM score_events")));
    }

    [Fact]
    public async Task A_backup_and_a_folder_made_for_it_are_readable_by_the_service_s_user_only()
    {
        if (OperatingSystem.IsWindows()) return; // file modes are Unix's
        await using var world = await StorageWorld.CreateAsync();

        var copy = await Storage.Backups.WriteAsync(world.Db, Backups(world), world.Clock);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(copy.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(copy.Path)!));
    }

    [Fact]
    public async Task A_backup_taken_under_concurrent_writes_holds_every_write_acknowledged_before_it_started()
    {
        await using var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("houzhai", "s1");
        // Enough pages (~24 MB) that the copy takes a while, so that writes land while it runs.
        var evidence = new string('证', 1000);
        for (int batch = 0; batch < 16; batch++)
            await world.InsertAsync(Enumerable.Range(0, 500).Select(_ => StorageWorld.Event("houzhai", "s1", 1, StorageWorld.Wednesday) with { Evidence = evidence }).ToArray());
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var e = StorageWorld.Event("houzhai", "s1", 1, StorageWorld.Wednesday);
                await world.InsertAsync(e);
                acknowledged.Add(e.Id);
            }
        })).ToArray();
        while (acknowledged.Count < 50) await Task.Delay(5);

        // A fast copy can end before any write lands during it; then it is taken again (to a new file), so that the
        // test always covers writes acknowledged while a copy runs, however quick the machine.
        var whileCopying = 0;
        for (int attempt = 0; attempt < 10 && whileCopying == 0; attempt++)
        {
            var before = acknowledged.ToHashSet();
            var copy = await Storage.Backups.WriteAsync(world.Db, Backups(world, $"backup-{attempt}.db"), world.Clock);
            whileCopying = acknowledged.Count - before.Count;

            Assert.Equal("ok", await OnCopyAsync(copy.Path, c => c.ExecuteScalarAsync<string>("PRAGMA integrity_check")));
            var copied = (await OnCopyAsync(copy.Path, c => c.QueryAsync<string>("SELECT id FROM score_events"))).ToHashSet();
            Assert.Empty(before.Except(copied));
            Assert.Equal(copied.Count, copy.ScoreEvents);
        }
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(whileCopying > 0, "no write was acknowledged while a copy ran, in ten copies: nothing concurrent was tested");
    }

    [Fact]
    public async Task A_backup_is_never_written_over_an_existing_file()
    {
        await using var world = await StorageWorld.CreateAsync();
        var target = Backups(world);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await File.WriteAllTextAsync(target, "last week's backup");

        var refused = await Assert.ThrowsAsync<BackupProblem>(() => Storage.Backups.WriteAsync(world.Db, target, world.Clock));

        Assert.Contains("already exists", refused.Message);
        Assert.Equal("last week's backup", await File.ReadAllTextAsync(target));
        Assert.False(File.Exists(target + ".partial"));
    }

    [Fact]
    public async Task A_copy_under_way_to_the_same_file_is_left_alone()
    {
        await using var world = await StorageWorld.CreateAsync();
        var target = Backups(world);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await File.WriteAllTextAsync(target + ".partial", "another copy's pages");

        var refused = await Assert.ThrowsAsync<BackupProblem>(() => Storage.Backups.WriteAsync(world.Db, target, world.Clock));

        Assert.Contains(".partial", refused.Message);
        Assert.Equal("another copy's pages", await File.ReadAllTextAsync(target + ".partial"));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task A_backup_into_a_folder_that_cannot_be_made_is_refused_in_one_line()
    {
        await using var world = await StorageWorld.CreateAsync();
        var blocker = Backups(world, "not-a-folder");
        Directory.CreateDirectory(Path.GetDirectoryName(blocker)!);
        await File.WriteAllTextAsync(blocker, "a file where the folder would be");

        var refused = await Assert.ThrowsAsync<BackupProblem>(() => Storage.Backups.WriteAsync(world.Db, Path.Combine(blocker, "backup.db"), world.Clock));

        Assert.StartsWith("Cannot write to ", refused.Message);
        Assert.DoesNotContain("\n", refused.Message);
    }

    [Fact]
    public async Task A_database_on_SQL_Server_is_sent_to_its_own_backup()
    {
        await using var db = new Database(StorageProvider.SqlServer, "Server=db;Database=Scoring;User Id=sa;Password=secret-1");

        var refused = await Assert.ThrowsAsync<BackupProblem>(() => Storage.Backups.WriteAsync(db, "backup.db", TimeProvider.System));

        Assert.Contains("BACKUP DATABASE", refused.Message);
        Assert.DoesNotContain("secret-1", refused.Message);
        Assert.False(File.Exists("backup.db"));
    }
}
