using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Scoring.Storage;

/// <summary>What a backup wrote, as a person checking it wants to see it: where, how big, how long, and what it holds.</summary>
public sealed record BackupCopy(string Path, long Bytes, TimeSpan Took, long Streets, long Subjects, long ScoreEvents, long PublishedLists);

/// <summary>
/// What a database file holds, as a person about to restore it wants to see it: its schema against this build's (the
/// newest migration it records and those it records that this build does not know), and the counts a backup prints, with
/// the time the newest score event was reported (how much a restore would give up). Counts and times only, never a row.
/// </summary>
public sealed record BackupContents(
    string Path, long Bytes, string? Schema, SchemaAge Age, IReadOnlyList<string> UnknownMigrations,
    long Streets, long Subjects, long ScoreEvents, long PublishedLists, DateTimeOffset? NewestEvent)
{
    /// <summary>This build's newest migration.</summary>
    public static string BuildSchema => SchemaStanding.BuildSchema(StorageProvider.Sqlite);

    /// <summary>Whether it is a Scoring database at all: its first migration is recorded.</summary>
    public bool IsScoring => Schema is not null;

    /// <summary>Why this build cannot run on it, in one line; null when it can.</summary>
    public string? Problem =>
        !IsScoring ? $"'{Path}' is not a Scoring database (it records none of Scoring's migrations)."
        : Age == SchemaAge.Newer ? $"'{Path}' is from a newer release than this build ({string.Join(", ", UnknownMigrations)} unknown here): this build cannot use it; restore it with the release that wrote it."
        : null;
}

/// <summary>
/// Why a backup was not taken or not kept, in one line fit for an operator's terminal or the service's log: it names
/// files, never a connection string (which may hold a password) or a row's contents.
/// </summary>
public sealed class BackupProblem(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Copies the live SQLite database while the service runs. Copying the file itself could give a torn copy (in WAL mode
/// the latest commits are in the -wal file, and a copy made across a checkpoint mixes two states); <c>VACUUM INTO</c>
/// writes the copy from one read snapshot instead, beside the writer, which it never holds up. The copy is written
/// to <c>&lt;target&gt;.partial</c>, flushed to disk (SQLite does not flush it), opened read-only and checked with
/// <c>PRAGMA integrity_check</c>, and only then moved to the target name: a file at the target is always a whole,
/// checked backup, and an existing file is never replaced.
/// </summary>
public static class Backups
{
    /// <summary>The tables whose rows a backup counts (a database not yet migrated may lack some: they count 0).</summary>
    private static readonly string[] Counted = ["streets", "subjects", "score_events", "published_lists"];

    /// <summary>Why a database on SQL Server is not copied here.</summary>
    public const string SqlServerHasItsOwn =
        "The database is on SQL Server: back it up with SQL Server's own BACKUP DATABASE (or your DBA's tooling); Scoring copies only its embedded SQLite database.";

    /// <summary>Writes a checked copy of <paramref name="db"/> to <paramref name="target"/>, which must not exist.</summary>
    /// <exception cref="BackupProblem">The database is not a SQLite file, the target exists or cannot be written, or the copy failed its check.</exception>
    public static async Task<BackupCopy> WriteAsync(Database db, string target, TimeProvider time, CancellationToken ct = default)
    {
        if (db.Provider != StorageProvider.Sqlite) throw new BackupProblem(SqlServerHasItsOwn);
        var source = SourceFile(db.ConnectionString);
        if (!File.Exists(source)) throw new BackupProblem($"No database file at '{source}': nothing to back up.");

        var started = time.GetTimestamp();
        target = System.IO.Path.GetFullPath(target);
        var partial = target + ".partial";
        if (File.Exists(target) || Directory.Exists(target))
            throw new BackupProblem($"'{target}' already exists; a backup never replaces a file: choose a new name.");
        var folder = System.IO.Path.GetDirectoryName(target)!;
        try
        {
            // A copy holds everyone's phone numbers and names: readable by the service's user only (as the demo's
            // credentials are), whatever the umask gives the database itself. VACUUM INTO keeps the mode of the file it fills.
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // Claimed with CreateNew: two copies to one name cannot both start, and what is deleted on failure is this copy's own.
            // VACUUM INTO accepts an empty file.
            var claim = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) claim.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            new FileStream(partial, claim).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(partial))
                throw new BackupProblem($"'{partial}' exists: another backup to this name is under way, or one was interrupted (delete it if none runs).", e);
            throw new BackupProblem($"Cannot write to '{folder}': {e.Message}", e);
        }

        try
        {
            // A connection of its own, outside any transaction: VACUUM refuses to run inside one, and the database's kept
            // readers hold one open for each read.
            await using (var connection = await db.OpenAsync(forWriting: false, ct))
            await using (var vacuum = connection.CreateCommand())
            {
                vacuum.CommandText = "VACUUM INTO @path";
                var path = vacuum.CreateParameter();
                path.ParameterName = "@path";
                path.Value = partial;
                vacuum.Parameters.Add(path);
                await vacuum.ExecuteNonQueryAsync(ct);
            }
            using (var written = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite))
                written.Flush(flushToDisk: true);

            BackupContents contents;
            try { contents = await InspectAsync(partial, ct); }
            catch (BackupProblem e) { throw new BackupProblem($"The copy was not kept: {e.Message}", e); } // deleted below
            try
            {
                File.Move(partial, target, overwrite: false);
            }
            catch (IOException e) when (File.Exists(target))
            {
                throw new BackupProblem($"'{target}' already exists; a backup never replaces a file: choose a new name.", e);
            }
            return new BackupCopy(target, new FileInfo(target).Length, time.GetElapsedTime(started), contents.Streets, contents.Subjects, contents.ScoreEvents, contents.PublishedLists);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(partial);
            throw new BackupProblem($"Cannot write '{partial}': {e.Message}", e);
        }
        catch (SqliteException e)
        {
            // SQLite's message names the fault (a full disk, a file it cannot open), not the connection string.
            TryDelete(partial);
            throw new BackupProblem($"The copy failed: {e.Message}", e);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
    }

    /// <summary>The file of a SQLite connection string, as SQLite will open it (relative to the working folder).</summary>
    public static string SourceFile(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
            throw new BackupProblem("The database is in memory: there is no file to back up or restore.");
        return System.IO.Path.GetFullPath(builder.DataSource);
    }

    /// <summary>
    /// Opens a database file read-only, refuses it unless SQLite finds it whole, and says what it holds: whether it is a
    /// Scoring database, its schema against this build's, the counts a backup prints and its newest score event. Nothing is
    /// written to the file or left beside it.
    /// </summary>
    /// <exception cref="BackupProblem">The file is missing, is not a SQLite database, or fails SQLite's integrity check.</exception>
    public static async Task<BackupContents> InspectAsync(string file, CancellationToken ct = default)
    {
        file = System.IO.Path.GetFullPath(file);
        if (!File.Exists(file)) throw new BackupProblem($"No file '{file}'.");
        try
        {
            await using var connection = new SqliteConnection(ReadOnly(file));
            await connection.OpenAsync(ct);
            var problems = (await connection.QueryAsync<string>(new CommandDefinition("PRAGMA integrity_check(5)", cancellationToken: ct))).ToList();
            if (problems is not ["ok"])
                // SQLite's findings name pages, tables and indexes, not values.
                throw new BackupProblem($"'{file}' failed SQLite's integrity check ({string.Join("; ", problems)}).");
            var tables = (await connection.QueryAsync<string>(new CommandDefinition("SELECT name FROM sqlite_schema WHERE type = 'table'", cancellationToken: ct))).ToHashSet();
            var counts = new long[Counted.Length];
            for (int i = 0; i < Counted.Length; i++)
                if (tables.Contains(Counted[i]))
                    counts[i] = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {Counted[i]}", cancellationToken: ct));
            var applied = tables.Contains("schema_version")
                ? (await connection.QueryAsync<string>(new CommandDefinition("SELECT version FROM schema_version", cancellationToken: ct))).ToHashSet(StringComparer.Ordinal)
                : [];
            // Stored as sortable UTC text (DateTimeOffsetHandler): the greatest is the newest.
            var newest = tables.Contains("score_events")
                ? await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT MAX(reported_at) FROM score_events", cancellationToken: ct))
                : null;

            var schema = SchemaStanding.Of(applied, StorageProvider.Sqlite);
            return new BackupContents(file, new FileInfo(file).Length, schema.Newest, schema.Age, schema.Unknown, counts[0], counts[1], counts[2], counts[3],
                newest is null ? null : DateTimeOffset.Parse(newest, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 26) // SQLITE_NOTADB
        {
            throw new BackupProblem($"'{file}' is not a SQLite database.", e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 14) // SQLITE_CANTOPEN
        {
            throw new BackupProblem($"'{file}' cannot be opened ({e.Message}).", e);
        }
        catch (SqliteException e)
        {
            // A damaged file often stops the check itself (database disk image is malformed): SQLite's message names no row.
            throw new BackupProblem($"'{file}' failed SQLite's integrity check ({e.Message}).", e);
        }
    }

    /// <summary>
    /// A connection string that reads <paramref name="file"/> as it is. A database in WAL mode (one the service ran on), even
    /// opened read-only, gets a -wal and a -shm file made beside it; without a log beside it there is nothing for them to
    /// hold, so it is opened immutable: no lock, no file made. With a log beside it, the log is part of the database and is
    /// read with it. No pooling: the file may be moved or deleted next, and a pooled connection would keep it open.
    /// </summary>
    internal static string ReadOnly(string file)
    {
        if (OperatingSystem.IsWindows() || File.Exists(file + "-wal") || File.Exists(file + "-journal"))
            return new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        return new SqliteConnectionStringBuilder { DataSource = FileUri(file) + "?immutable=1", Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
    }

    /// <summary>A full path as a SQLite file: URI, every byte but letters, digits, '/' and '-._~' percent-encoded (a folder may be named '备份 #1', or '%20').</summary>
    private static string FileUri(string path)
    {
        var uri = new System.Text.StringBuilder("file:");
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(path))
            if (b < 0x80 && (char.IsAsciiLetterOrDigit((char)b) || (char)b is '/' or '-' or '.' or '_' or '~')) uri.Append((char)b);
            else uri.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        return uri.ToString();
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the first problem is the one to report
    }
}
