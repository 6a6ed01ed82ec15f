using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Scoring.Storage;

/// <summary>A lease of background work that an instance held at the time a restore looked: who, which work, until when.</summary>
public sealed record LeaseHeld(string Work, string Owner, DateTimeOffset Until);

/// <summary>
/// Whether an instance may still be using the database file: <see cref="Open"/> when a process has it open (SQLite would
/// not grant a lock on it), <see cref="Leases"/> that an instance renewed recently enough to still hold, and
/// <see cref="Unreadable"/> when the file could not be looked into at all (damaged, not a database: nothing could tell).
/// </summary>
public sealed record DatabaseUse(bool Open, IReadOnlyList<LeaseHeld> Leases, string? Unreadable)
{
    public static readonly DatabaseUse Missing = new(false, [], null);
}

/// <summary>What a restore did: the copy that is now the database, and where the files it replaced went (null: there were none).</summary>
public sealed record RestoreDone(string Database, BackupContents Restored, string? MovedAsideTo, IReadOnlyList<string> MovedAside);

/// <summary>
/// Puts a backup in place of a SQLite database that no instance is using. The copy is written beside the database as
/// <c>&lt;database&gt;.restoring</c> (claimed with CreateNew: never over another restore's, readable by the service's user
/// only), from one read snapshot of the backup (<c>VACUUM INTO</c>, as backups are written), flushed, and checked with
/// <c>PRAGMA integrity_check</c>; only then are the database and the files SQLite keeps beside it moved into a folder of
/// their own under <c>replaced/</c>, and the copy renamed to the database's name. Nothing is overwritten or deleted but
/// the restore's own unfinished copy: interrupted before the rename, the database (or, during the moves, the part not yet
/// moved) is where it was; a file at the database's name is always whole.
/// </summary>
public static class Restores
{
    /// <summary>
    /// What SQLite keeps beside a database: its write-ahead log and that log's index, and a rollback journal. Left beside a
    /// restored file, a log or a hot journal of the old database would be replayed over it.
    /// </summary>
    public static readonly string[] Companions = ["-wal", "-shm", "-journal"];

    /// <summary>Why a database on SQL Server is not restored here.</summary>
    public const string SqlServerHasItsOwn =
        "The database is on SQL Server: restore it with SQL Server's own RESTORE DATABASE (or your DBA's tooling); Scoring restores only its embedded SQLite database.";

    /// <summary>
    /// Looks whether an instance uses <paramref name="database"/>. A process with the file open holds a lock SQLite keeps
    /// for as long as a connection is open (in WAL mode every connection does, readers too), so an exclusive lock is tried
    /// without waiting: refused, someone has it open. Granted, the leases of background work are read, which every running
    /// instance takes or renews each minute for two: one held past <paramref name="now"/> was renewed by an instance in the
    /// last two minutes (an hour while it copies a backup). The lock is released before anything is moved.
    /// </summary>
    public static async Task<DatabaseUse> UseOfAsync(string database, DateTimeOffset now, CancellationToken ct = default)
    {
        if (!File.Exists(database)) return DatabaseUse.Missing;
        // ReadWrite, not ReadWriteCreate: a file that vanished meanwhile is not created. A second, not SQLite's usual wait:
        // an instance's connections stay open, so waiting would not make the lock free.
        var settings = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 1 };
        try
        {
            await using var connection = new SqliteConnection(settings.ToString());
            await connection.OpenAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA busy_timeout=0; PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE", cancellationToken: ct));
            IReadOnlyList<LeaseHeld> leases = [];
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'worker_leases'", cancellationToken: ct)) > 0)
                leases = (await connection.QueryAsync<(string Name, string Owner, string Until)>(new CommandDefinition(
                        "SELECT name, owner, lease_until FROM worker_leases WHERE lease_until > @now ORDER BY lease_until DESC, name",
                        new { now = DateTimeOffsetHandler.ToText(now) }, cancellationToken: ct)))
                    .Select(l => new LeaseHeld(l.Name, l.Owner, DateTimeOffset.Parse(l.Until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)))
                    .ToList();
            await connection.ExecuteAsync(new CommandDefinition("ROLLBACK", cancellationToken: ct));
            return new DatabaseUse(false, leases, null);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            return new DatabaseUse(true, [], null);
        }
        catch (SqliteException e)
        {
            // Not a database, or damaged where its header or the leases are: SQLite's message names no row.
            return new DatabaseUse(false, [], e.Message);
        }
    }

    /// <summary>The checks of a backup before it is restored over <paramref name="database"/>: not the database itself, whole, Scoring's, a schema this build can use.</summary>
    /// <exception cref="BackupProblem">Why it cannot be restored, in one line.</exception>
    public static async Task<BackupContents> CheckAsync(string backup, string database, CancellationToken ct = default)
    {
        if (SameFile(Path.GetFullPath(backup), Path.GetFullPath(database)))
            throw new BackupProblem($"'{Path.GetFullPath(backup)}' is the database itself: give a backup's file.");
        var contents = await Backups.InspectAsync(backup, ct);
        return contents.Problem is { } unusable ? throw new BackupProblem(unusable) : contents;
    }

    /// <summary>
    /// Puts <paramref name="backup"/> in place of <paramref name="database"/> (which may be missing) and moves the files it
    /// replaces to <c>replaced/&lt;time&gt;Z/</c> beside it. The caller has checked the backup (<see cref="CheckAsync"/>) and
    /// that no instance uses the database (<see cref="UseOfAsync"/>); the copy it writes is checked again before it is put in place.
    /// </summary>
    /// <exception cref="BackupProblem">
    /// The backup is the database, a restore's copy is already there, the copy failed or is not usable, or a database appeared at the name meanwhile.
    /// </exception>
    public static async Task<RestoreDone> RestoreAsync(string backup, string database, TimeProvider time, CancellationToken ct = default)
    {
        backup = Path.GetFullPath(backup);
        database = Path.GetFullPath(database);
        if (SameFile(backup, database)) throw new BackupProblem($"'{backup}' is the database itself: give a backup's file.");

        var folder = Path.GetDirectoryName(database)!;
        var copy = database + ".restoring";
        try
        {
            // The disk that died took the folder with it: made as backups make theirs, for the service's user only.
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var claim = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) claim.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            new FileStream(copy, claim).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(copy))
                throw new BackupProblem($"'{copy}' exists: another restore is under way, or one was interrupted (delete it if none runs).", e);
            throw new BackupProblem($"Cannot write to '{folder}': {e.Message}", e);
        }

        BackupContents restored;
        try
        {
            // From one read snapshot of the backup, whatever state its own files are in (a copy with a log beside it too);
            // VACUUM INTO fills the claimed empty file and keeps its mode.
            await using (var source = new SqliteConnection(Backups.ReadOnly(backup)))
            {
                await source.OpenAsync(ct);
                await source.ExecuteAsync(new CommandDefinition("VACUUM INTO @copy", new { copy }, cancellationToken: ct));
            }
            // A nightly copy holds the lease its instance took to write it (for up to an hour), under an owner that never
            // runs again: left, the restarted service could not take that work, nor a second restore go ahead, till it ran
            // out. Nobody holds anything in a copy: every lease runs out now (a later run's clock takes them).
            await using (var restoring = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString()))
            {
                await restoring.OpenAsync(ct);
                if (await restoring.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'worker_leases'", cancellationToken: ct)) > 0)
                    await restoring.ExecuteAsync(new CommandDefinition("UPDATE worker_leases SET lease_until = @now WHERE lease_until > @now",
                        new { now = DateTimeOffsetHandler.ToText(time.GetUtcNow()) }, cancellationToken: ct));
            }
            using (var written = new FileStream(copy, FileMode.Open, FileAccess.ReadWrite))
                written.Flush(flushToDisk: true);
            restored = await Backups.InspectAsync(copy, ct);
            if (restored.Problem is { } problem) throw new BackupProblem(problem);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException or BackupProblem)
        {
            TryDelete(copy);
            throw new BackupProblem($"The copy of '{backup}' failed, nothing was moved: {e.Message}", e);
        }
        catch
        {
            TryDelete(copy);
            throw;
        }

        // The database first: interrupted after it, the service cannot start on a file whose log was taken from it.
        var present = new[] { "" }.Concat(Companions).Select(suffix => database + suffix).Where(File.Exists).ToList();
        string? aside = null;
        var moved = new List<string>();
        try
        {
            if (present.Count > 0)
            {
                aside = NewFolder(Path.Combine(folder, "replaced"), time.GetUtcNow());
                foreach (var file in present)
                {
                    File.Move(file, Path.Combine(aside, Path.GetFileName(file)), overwrite: false);
                    moved.Add(Path.GetFileName(file));
                }
            }
            File.Move(copy, database, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(copy);
            var where = moved.Count == 0 ? "nothing was moved" : $"{string.Join(", ", moved)} moved to '{aside}'";
            throw new BackupProblem(File.Exists(database)
                ? $"A database appeared at '{database}' during the restore (was an instance started?); {where}, nothing restored."
                : $"The restore stopped: {e.Message}; {where}, nothing restored.", e);
        }
        return new RestoreDone(database, restored with { Path = database }, aside, moved);
    }

    /// <summary>A folder of its own for the files a restore replaces, named by the time (UTC); -2, -3… when one has that name.</summary>
    private static string NewFolder(string parent, DateTimeOffset now)
    {
        var name = now.UtcDateTime.ToString("yyyy-MM-dd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        // Readable by the service's user only, as backups are: the files hold everyone's names and phone numbers.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(parent);
        else if (!Directory.Exists(parent)) Directory.CreateDirectory(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // One restore at a time (its copy is claimed first), so a name seen free stays free for it.
        for (var n = 1; ; n++)
        {
            var folder = Path.Combine(parent, n == 1 ? name : $"{name}-{n}");
            if (Directory.Exists(folder) || File.Exists(folder)) continue;
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return folder;
        }
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(a, b, OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
        || Companions.Any(suffix => string.Equals(a, b + suffix, StringComparison.Ordinal));

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the first problem is the one to report
    }
}
