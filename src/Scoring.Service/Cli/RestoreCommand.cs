using System.Globalization;
using Scoring.Service.Hosting;
using Scoring.Storage;

namespace Scoring.Service.Cli;

/// <summary>
/// <c>restore &lt;file&gt; [--force]</c>: puts a backup in place of the embedded SQLite database while no instance of the
/// service uses it (see <see cref="Restores"/>). First the checks of <c>check-backup</c> (whole, Scoring's, a schema this
/// build can use); then whether an instance still uses the database: a process that has it open is always a refusal (SQLite
/// will not grant a lock on it), and so is a lease of background work that an instance renewed in the last two minutes,
/// unless <c>--force</c> says every instance is stopped (one that was killed keeps its leases that long; an hour when it was
/// copying a backup). The database and its -wal, -shm and -journal files are moved into <c>replaced/&lt;time&gt;Z/</c>
/// beside it, never overwritten or deleted; a missing database (the disk died) is restored all the same. The database is
/// taken as found: not created, not migrated (the service migrates an older copy when it starts). Exit code 0 when the copy
/// is in place, 1 when refused, 2 when the configuration cannot work, 64 on a usage error.
/// </summary>
/// <remarks>
/// What it cannot see: an instance that has not started yet, or starts during the restore (it would find no database for a
/// moment; the restore then refuses to put its copy over the one that instance made); and, when the database file is
/// missing, an instance still running on the deleted file. Stop every instance first, as README says.
/// </remarks>
public static class RestoreCommand
{
    public const string Usage = "Usage: dotnet run --project src/Scoring.Service -- restore <file> [--force] [--Key=value ...]   (e.g. restore data/backups/scoring-2026-11-24T1800Z.db)";

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "restore";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var words = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var force = args.Contains("--force");
        var settings = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--force").ToArray();
        if (words is not [var backup] || string.IsNullOrWhiteSpace(backup))
        {
            await error.WriteLineAsync(Usage);
            return 64;
        }

        return await CommandStart.RunAsync(settings, error, async services =>
        {
            var config = services.GetRequiredService<ScoringConfiguration>();
            var time = services.GetRequiredService<TimeProvider>();
            string database;
            BackupContents contents;
            try
            {
                if (config.Provider != StorageProvider.Sqlite) throw new BackupProblem(Restores.SqlServerHasItsOwn);
                database = Backups.SourceFile(config.ConnectionString);
                contents = await Restores.CheckAsync(backup, database);
            }
            catch (BackupProblem problem)
            {
                await error.WriteLineAsync($"{problem.Message.TrimEnd('.')}; nothing was restored.");
                return 1;
            }

            var use = await Restores.UseOfAsync(database, time.GetUtcNow());
            if (use.Open)
            {
                // No --force: the instance would go on writing to the file moved aside, and what it wrote would be lost.
                await error.WriteLineAsync($"'{database}' is in use: a process has it open (an instance of the service, a backup under way, an sqlite3 shell). Stop every instance and run restore again; nothing was restored.");
                return 1;
            }
            if (use.Leases is [var lease, ..])
            {
                var held = $"an instance ({lease.Owner}) held the lease of '{lease.Work}' until {lease.Until.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC";
                if (!force)
                {
                    await error.WriteLineAsync($"The service may still be running: {held}; an instance renews its leases every minute, so it stopped less than two minutes ago, was killed, or runs where this machine cannot see its locks. " +
                        "Make sure every instance is stopped, then wait until that time or add --force; nothing was restored.");
                    return 1;
                }
                await error.WriteLineAsync($"Warning: {held}; restoring anyway (--force).");
            }
            if (use.Unreadable is { } why)
                await error.WriteLineAsync($"Warning: the current database cannot be read ({why}), so whether an instance still uses it cannot be told: make sure every instance is stopped.");

            RestoreDone done;
            try
            {
                done = await Restores.RestoreAsync(backup, database, time);
            }
            catch (BackupProblem problem)
            {
                await error.WriteLineAsync(problem.Message);
                return 1;
            }
            await output.WriteLineAsync($"Restored '{contents.Path}' to '{done.Database}': integrity check ok, {CheckBackupCommand.TakenLine(contents.Path)}, {CheckBackupCommand.Schema(done.Restored)}; " +
                $"{CheckBackupCommand.Holds(done.Restored.Streets, done.Restored.Subjects, done.Restored.ScoreEvents, done.Restored.PublishedLists)}.");
            await output.WriteLineAsync(done.MovedAsideTo is { } aside
                ? $"The files it replaced ({string.Join(", ", done.MovedAside)}) are in '{aside}'; nothing was deleted."
                : $"No database was at '{done.Database}': nothing to move aside.");
            await output.WriteLineAsync("Start the service.");
            return 0;
        }, prepareDatabase: false);
    }
}
