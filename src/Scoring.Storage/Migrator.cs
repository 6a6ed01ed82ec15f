using System.Reflection;
using Dapper;

namespace Scoring.Storage;

/// <summary>
/// Applies the embedded migrations of the configured dialect in order, each in its own transaction,
/// recording them in schema_version. Safe to run from several instances at once: a migration that
/// another instance applied first is skipped (SQLite's writes are serialised across processes; on SQL Server each step
/// first takes an application lock, which its transaction holds).
/// </summary>
public static partial class Migrator
{
    private static readonly DialectSql CreateVersionTable = new(
        "CREATE TABLE IF NOT EXISTS schema_version (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
        "IF OBJECT_ID(N'schema_version') IS NULL CREATE TABLE schema_version (version NVARCHAR(200) NOT NULL PRIMARY KEY, applied_at DATETIMEOFFSET NOT NULL)");
    private static readonly DialectSql IsApplied = DialectSql.Both("SELECT COUNT(*) FROM schema_version WHERE version = @version");
    private static readonly DialectSql Record = DialectSql.Both("INSERT INTO schema_version (version, applied_at) VALUES (@version, @at)");
    // sp_getapplock does not raise when it fails, it returns a negative number (-1 timed out, -3 chosen as a deadlock's
    // victim): going on without the lock would run a migration beside the instance that holds it. Ten minutes lets an
    // instance started during another's long migration wait for it and then skip it.
    private static readonly DialectSql TakeLock = new("SELECT 1",
        "DECLARE @taken int; " +
        "EXEC @taken = sp_getapplock @Resource = N'scoring-migrations', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 600000; " +
        "IF @taken < 0 BEGIN " +
        "DECLARE @why nvarchar(400) = CONCAT(N'Another instance is migrating the database (its lock was not granted in 10 minutes, sp_getapplock returned ', @taken, N'): start this one again once that migration is done.'); " +
        "THROW 50000, @why, 1; END");

    private static readonly DialectSql Latest = new(
        "SELECT version AS Version, applied_at AS AppliedAt FROM schema_version ORDER BY version DESC LIMIT 1",
        "SELECT TOP (1) version AS Version, applied_at AS AppliedAt FROM schema_version ORDER BY version DESC");

    /// <summary>The newest migration recorded in the database (names sort as they apply), or null before any.</summary>
    public static Task<AppliedMigration?> LatestAppliedAsync(Database db, CancellationToken ct = default) =>
        db.ReadAsync(s => s.FirstOrDefaultAsync<AppliedMigration>(Latest), ct);

    public static IReadOnlyList<(string Name, string Sql)> Scripts(StorageProvider provider)
    {
        var asm = typeof(Migrator).Assembly;
        var prefix = $"{asm.GetName().Name}.Migrations.{provider}.";
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[prefix.Length..^4], Read(asm, n)))
            .ToList();
    }

    private static string Read(Assembly asm, string name)
    {
        using var stream = asm.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>How long the first step may take before <see cref="MigrateAsync"/> says it is waiting for a lock.</summary>
    internal static readonly TimeSpan LockWaitNotice = TimeSpan.FromSeconds(3);

    /// <summary>What an instance says when its start waits for a lock another process holds.</summary>
    public static string WaitingForLock(StorageProvider provider) => provider == StorageProvider.SqlServer
        ? "Waiting for the database: another instance holds the migration lock (it is migrating the database); this one waits up to 10 minutes for it"
        : "Waiting for the database: another process holds its write lock (another instance migrating it, a restore, an sqlite3 shell inside a transaction); start-up stops if it is not let go within about 15 s";

    /// <param name="waiting">
    /// Told (<see cref="WaitingForLock"/>) when the first step, which only takes the lock and makes sure schema_version
    /// exists, has not finished within a few seconds: another process holds the lock, and the start would otherwise sit silent.
    /// </param>
    /// <returns>The names of the migrations applied now.</returns>
    public static async Task<IReadOnlyList<string>> MigrateAsync(Database db, TimeProvider time, CancellationToken ct = default, Action<string>? waiting = null)
    {
        using (waiting is null ? null : time.CreateTimer(_ => waiting(WaitingForLock(db.Provider)), null, LockWaitNotice, Timeout.InfiniteTimeSpan))
        {
            await db.WriteAsync(async s =>
            {
                await LockAsync(s);
                await s.ExecuteAsync(CreateVersionTable);
            }, ct);
        }
        var applied = new List<string>();
        foreach (var (name, sql) in Scripts(db.Provider))
        {
            var done = await db.WriteAsync(async s =>
            {
                await LockAsync(s);
                if (await s.ScalarAsync<long>(IsApplied, new { version = name }) > 0) return false;
                foreach (var batch in Batches(sql))
                    await s.Connection.ExecuteAsync(Command(db.Provider, batch, s.Transaction, ct));
                await s.ExecuteAsync(Record, new { version = name, at = time.GetUtcNow() });
                return true;
            }, ct);
            if (done) applied.Add(name);
        }
        return applied;
    }

    /// <summary>
    /// A migration's batch (or its lock) as sent. On SQL Server without a command timeout: a migration that rewrites or
    /// indexes a year's table takes as long as it takes, and under SqlClient's 30 s it was cancelled, retried as a transient
    /// fault, cancelled again, and the upgrade could never pass; the lock's wait is bounded by its own @LockTimeout. On
    /// SQLite the connection's own: never 0, which would try a locked statement for ever.
    /// </summary>
    internal static CommandDefinition Command(StorageProvider provider, string sql, System.Data.Common.DbTransaction? transaction, CancellationToken ct) =>
        new(sql, transaction: transaction, commandTimeout: provider == StorageProvider.SqlServer ? 0 : null, cancellationToken: ct);

    private static async Task LockAsync(Session s)
    {
        if (s.Provider == StorageProvider.SqlServer)
            await s.Connection.ExecuteAsync(Command(s.Provider, TakeLock.SqlServer, s.Transaction, s.CancellationToken));
    }

    /// <summary>
    /// SQL Server scripts may be split with GO lines; SQLite runs a script whole. A GO line is read as ScriptDom (and
    /// sqlcmd) read it, in any case, with blanks around it and on a script's last line: the tests parse each script with
    /// ScriptDom, and a GO line it takes as a separator but sent to the server inside a batch fails in production only.
    /// </summary>
    internal static IEnumerable<string> Batches(string sql) =>
        GoLine().Split(sql).Where(b => !string.IsNullOrWhiteSpace(b));

    [System.Text.RegularExpressions.GeneratedRegex(@"^[ \t]*GO[ \t]*\r?$", System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex GoLine();
}

/// <summary>A row of schema_version: a migration's name (0630_staff_actions) and when an instance applied it.</summary>
public sealed class AppliedMigration
{
    public string Version { get; init; } = "";
    public DateTimeOffset AppliedAt { get; init; }
}
