using System.Reflection;
using System.Runtime.InteropServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;

namespace Scoring.Storage.Tests;

/// <summary>A fresh SQLite file in its own temp folder, migrated, with a fake clock. Nothing is mocked.</summary>
public sealed class StorageWorld : IAsyncDisposable
{
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    public static readonly DateTimeOffset Wednesday = new(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8));

    // In memory (/dev/shm) where there is one: every durable commit is an fsync, and power loss is not under test here.
    private readonly string _dir = Directory.Exists("/dev/shm")
        ? Directory.CreateDirectory(Path.Combine("/dev/shm", "scoring-storage-" + Guid.NewGuid().ToString("N")[..12])).FullName
        : Directory.CreateTempSubdirectory("scoring-storage-").FullName;
    private readonly List<Database> _databases = [];

    public FakeTimeProvider Clock { get; } = new(Wednesday);
    public string File => Path.Combine(_dir, "scoring.db");
    public string ConnectionString => $"Data Source={File};Pooling=False";
    public Database Db { get; }

    private StorageWorld() => Db = NewDatabase();

    /// <summary>
    /// A plain connection of the test's own on the world's file. It waits for locks as the service's connections do: the
    /// world's database (its checkpointer) may hold one for a moment, and statements run natively do not retry.
    /// </summary>
    public async Task<SqliteConnection> OpenConnectionAsync()
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var wait = connection.CreateCommand();
        wait.CommandText = "PRAGMA busy_timeout=5000";
        await wait.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>Another <see cref="Database"/> on the same file, as a second process or instance would have.</summary>
    public Database NewDatabase()
    {
        var db = new Database(StorageProvider.Sqlite, ConnectionString, Clock);
        _databases.Add(db);
        return db;
    }

    public static async Task<StorageWorld> CreateAsync(bool migrate = true)
    {
        var world = new StorageWorld();
        if (migrate) await Migrator.MigrateAsync(world.Db, world.Clock);
        return world;
    }

    /// <summary>
    /// The database as it stood before migration <paramref name="version"/>: every earlier script applied and recorded
    /// (on a world made with <c>migrate: false</c>), so that a test can put old rows in and then migrate.
    /// </summary>
    public Task MigrateBeforeAsync(string version) => Db.WriteAsync(async s =>
    {
        await s.Connection.ExecuteAsync("CREATE TABLE schema_version (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", transaction: s.Transaction);
        foreach (var (name, sql) in Migrator.Scripts(StorageProvider.Sqlite).Where(m => string.CompareOrdinal(m.Name, version) < 0))
        {
            await s.Connection.ExecuteAsync(sql, transaction: s.Transaction);
            await s.Connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@name, '2026-11-01T00:00:00+00:00')", new { name }, s.Transaction);
        }
    });

    /// <summary>A street with one community and the given subjects (all landlords unless said).</summary>
    public Task SeedStreetAsync(string streetId, params string[] subjectIds) => Db.WriteAsync(async s =>
    {
        await s.InsertStreetAsync(new Street { Id = streetId, Name = streetId }, Clock.GetUtcNow());
        await s.InsertCommunityAsync(new Community { Id = streetId + "-c", StreetId = streetId, Name = "方塘村" });
        foreach (var id in subjectIds)
            await s.InsertSubjectAsync(new Subject { Id = id, StreetId = streetId, CommunityId = streetId + "-c", Kind = SubjectKind.Landlord, Name = "房东" + id }, Clock.GetUtcNow());
    });

    private static int _events;

    public static ScoreEvent Event(string streetId, string subjectId, int delta, DateTimeOffset occurredAt, EventStatus status = EventStatus.Approved, string? source = null)
    {
        var n = Interlocked.Increment(ref _events);
        return new ScoreEvent
        {
            Id = $"E{n:D8}", StreetId = streetId, CommunityId = streetId + "-c", SubjectId = subjectId, RuleCode = "tenant-service", RuleVersion = 1,
            Delta = delta, OccurredAt = occurredAt, ReportedAt = occurredAt, ReporterId = subjectId, ReporterRole = ReporterRole.Self,
            Source = source ?? $"chat:{n}", Evidence = "证据", Status = status,
        };
    }

    public Task InsertAsync(params ScoreEvent[] events) => InsertAsync(CycleKind.WeekYear, events);

    /// <summary>Appends events as the use cases do: filed under the week (in Shanghai) and the cycle they occurred in.</summary>
    public Task InsertAsync(CycleKind cycle, params ScoreEvent[] events) => Db.WriteAsync(async s =>
    {
        foreach (var e in events) { var w = IsoWeek.Containing(e.OccurredAt, Shanghai); await s.InsertEventAsync(e, w, ScoringCycle.Containing(w, cycle)); }
    });

    /// <summary>The repository's root, compiled into the assembly (the tests run from an artifacts folder).</summary>
    public static string RepositoryRoot { get; } =
        typeof(StorageWorld).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>
    /// Runs <paramref name="work"/> and returns the statements that <paramref name="s"/>'s SQLite connection then holds
    /// prepared, each with one of its counters (<c>sqlite3_stmt_status</c>, e.g. 2 = SORT, 5 = REPREPARE): how tests look
    /// at the plans of the stores' statements. Asked of SQLite itself: the prepared statements are SQLite's own, which
    /// SQLitePCL does not know of.
    /// </summary>
    public static async Task<IReadOnlyList<(string Sql, int Count)>> PreparedAfterAsync(Session s, int counter, Func<Task> work)
    {
        var db = ((SqliteConnection)s.Connection).Handle!.DangerousGetHandle();
        await work();
        var statements = new List<(string, int)>();
        for (var stmt = NextStatement(db, 0); stmt != 0; stmt = NextStatement(db, stmt))
            statements.Add((Marshal.PtrToStringUTF8(StatementSql(stmt))!, StatementStatus(stmt, counter, 0)));
        return statements;
    }

    /// <summary>SQLite's own list of a connection's prepared statements: the one after <paramref name="stmt"/> (0 for the first).</summary>
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_next_stmt")]
    internal static extern nint NextStatement(nint db, nint stmt);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_sql")]
    private static extern nint StatementSql(nint stmt);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_stmt_status")]
    private static extern int StatementStatus(nint stmt, int counter, int reset);

    public async ValueTask DisposeAsync()
    {
        foreach (var db in _databases) await db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
