using System.Globalization;
using Scoring.Service.Hosting;
using Scoring.Storage;

namespace Scoring.Service.Cli;

/// <summary>
/// <c>check-backup &lt;file&gt;</c>: whether a copy of the database can be restored by this build, tried on an ordinary day
/// rather than the morning it is needed. Opens the file read-only (nothing is written to it or left beside it), runs
/// SQLite's integrity check, and says whether it is a Scoring database, its schema against this build's (older: migrated
/// when the service starts on it; newer: this build cannot use it), when it was taken where that is known, and what it
/// holds (the counts a backup prints, and when its newest score event was reported). Needs no configuration and starts
/// nothing. Exit code 0 when the copy is usable, 1 when it is not (missing, not SQLite, damaged, not Scoring's, newer), 64
/// on a usage error.
/// </summary>
public static class CheckBackupCommand
{
    public const string Usage = "Usage: dotnet run --project src/Scoring.Service -- check-backup <file>   (e.g. check-backup data/backups/scoring-2026-11-24T1800Z.db)";

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "check-backup";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args is not [_, var file] || string.IsNullOrWhiteSpace(file) || file.StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync(Usage);
            return 64;
        }

        BackupContents contents;
        try
        {
            contents = await Backups.InspectAsync(file);
        }
        catch (BackupProblem problem)
        {
            await error.WriteLineAsync(problem.Message);
            return 1;
        }
        await output.WriteLineAsync(Describe(contents, TakenLine(contents.Path)));
        if (contents.Problem is { } unusable)
        {
            await error.WriteLineAsync(unusable);
            return 1;
        }
        await output.WriteLineAsync($"Usable by this build: restore it with 'restore {contents.Path}' once every instance of the service is stopped.");
        return 0;
    }

    /// <summary>What a checked file is and holds, in lines: the same counts a backup prints, and how its schema stands to this build's.</summary>
    internal static string Describe(BackupContents c, string taken)
    {
        if (!c.IsScoring)
            return $"'{c.Path}': a SQLite database, integrity check ok, {BackupCommand.Size(c.Bytes)}, {taken}; not a Scoring database.";
        return string.Join(Environment.NewLine,
            $"'{c.Path}': a Scoring database, integrity check ok, {BackupCommand.Size(c.Bytes)}, {taken}.",
            $"It has {Schema(c)}.",
            $"It holds {Holds(c.Streets, c.Subjects, c.ScoreEvents, c.PublishedLists)}; {Newest(c.NewestEvent)}.");
    }

    /// <summary>What a copy holds, as the backup verb and the checks print it.</summary>
    internal static string Holds(long streets, long subjects, long scoreEvents, long publishedLists) =>
        $"{streets} street(s), {subjects} subjects, {scoreEvents} score events, {publishedLists} published lists";

    internal static string Schema(BackupContents c) => c.Age switch
    {
        SchemaAge.Current => $"schema {c.Schema}, this build's",
        SchemaAge.Older => $"schema {c.Schema}, older than this build's ({BackupContents.BuildSchema}): migrated when the service starts on it",
        _ => $"schema {c.Schema}, newer than this build's ({BackupContents.BuildSchema})",
    };

    private static string Newest(DateTimeOffset? at) => at is { } t ? $"newest score event {Utc(t)}" : "no score events";

    /// <summary>When the copy was taken: from a nightly copy's name; otherwise only when the file was last written is known.</summary>
    internal static string TakenLine(string file) =>
        NightlyBackups.TakenAt(Path.GetFileName(file)) is { } at ? $"taken {Utc(at)} (from its name)"
        : $"file last written {Utc(new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero))}, when it was taken is not known";

    internal static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
