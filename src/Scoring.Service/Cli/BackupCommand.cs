using System.Globalization;
using Scoring.Service.Hosting;
using Scoring.Storage;

namespace Scoring.Service.Cli;

/// <summary>
/// <c>backup &lt;file&gt;</c>: a checked copy of the embedded SQLite database (see <see cref="Backups"/>), taken while the
/// service runs, by whoever runs it. A backup is what one takes before an upgrade, so the database is opened as found:
/// not created, not migrated. Prints where the copy went, its size, how long it took and what it holds. Exit code 0
/// when the copy is in place, 1 when refused (the file exists, its folder cannot be written, the database is on SQL
/// Server or its file is missing, the copy failed its check), 2 when the configuration cannot work, 64 on a usage error.
/// </summary>
public static class BackupCommand
{
    public const string Usage = "Usage: dotnet run --project src/Scoring.Service -- backup <file> [--Key=value ...]   (e.g. backup data/backups/2026-11-24.db)";

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "backup";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var words = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var settings = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (words is not [var target] || string.IsNullOrWhiteSpace(target))
        {
            await error.WriteLineAsync(Usage);
            return 64;
        }

        return await CommandStart.RunAsync(settings, error, async services =>
        {
            var config = services.GetRequiredService<ScoringConfiguration>();
            string source;
            try
            {
                if (config.Provider != StorageProvider.Sqlite) throw new BackupProblem(Backups.SqlServerHasItsOwn);
                source = Backups.SourceFile(config.ConnectionString);
                // Before the database is opened: opening it would create the missing file, and the copy of an empty one.
                if (!File.Exists(source)) throw new BackupProblem($"No database file at '{source}' (ConnectionStrings:Scoring): nothing to back up.");
            }
            catch (BackupProblem problem)
            {
                await error.WriteLineAsync(problem.Message);
                return 1;
            }

            BackupCopy copy;
            try
            {
                copy = await Backups.WriteAsync(services.GetRequiredService<Database>(), target, services.GetRequiredService<TimeProvider>());
            }
            catch (BackupProblem problem)
            {
                await error.WriteLineAsync(problem.Message);
                return 1;
            }
            await output.WriteLineAsync(Summary(source, copy));
            return 0;
        }, prepareDatabase: false);
    }

    /// <summary>One line: what was copied where, how big, how long, and what the copy holds.</summary>
    public static string Summary(string source, BackupCopy copy) => string.Create(CultureInfo.InvariantCulture,
        $"Backed up '{source}' to '{copy.Path}': {Size(copy.Bytes)} in {copy.Took.TotalSeconds:0.0} s, integrity check ok; " +
        $"{CheckBackupCommand.Holds(copy.Streets, copy.Subjects, copy.ScoreEvents, copy.PublishedLists)}.");

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GB"),
    };
}
