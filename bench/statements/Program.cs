// Times one SQLite statement per call, two ways side by side on the same connection and data:
//   command  = a Microsoft.Data.Sqlite command prepared once, its parameter set per call, rows read through its data
//              reader by Dapper's row parser (how PreparedStatements ran statements before the eleventh session);
//   prepared = Scoring.Storage.PreparedStatements (SQLite's own functions, the same Dapper row parser).
// Rounds alternate the two; the table shows each one's median µs and bytes allocated per call, and their ratio.
// Usage: dotnet run -c Release --project bench/statements [-- --quick]
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Scoring.Storage;

var quick = args.Contains("--quick");
var calls = quick ? 2_000 : 200_000;
var rounds = quick ? 1 : 5;

var dir = Directory.CreateTempSubdirectory("scoring-statements-");
try
{
    using var connection = new SqliteConnection($"Data Source={Path.Combine(dir.FullName, "bench.db")};Pooling=False");
    connection.Open();
    connection.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL");
    connection.Execute("CREATE TABLE events (id TEXT PRIMARY KEY, subject_id TEXT NOT NULL, delta INTEGER NOT NULL, status INTEGER NOT NULL, reported_at TEXT NOT NULL) WITHOUT ROWID");
    connection.Execute("CREATE INDEX ix_events_subject ON events (subject_id, reported_at)");
    using (var tx = connection.BeginTransaction())
    {
        for (var i = 0; i < 10_000; i++)
            connection.Execute(Sql.Insert.Sqlite, new { id = "e" + i, subjectId = "s" + (i % 1000), delta = i % 5, status = 1, reportedAt = "2026-11-18T01:00:00.0000000Z" }, tx);
        tx.Commit();
    }

    var cases = new (string Name, Func<Runner, int, object?> Run)[]
    {
        ("point lookup by text key (a row of 5 columns)", (r, i) => r.First(Sql.Point, new { id = "e" + i % 10_000 })),
        ("a subject's latest 8 rows by index", (r, i) => r.List(Sql.Latest, new { subjectId = "s" + i % 1000 })),
        ("insert of 5 values (in a transaction)", (r, i) => r.Execute(Sql.Insert, new { id = "n" + r.Name + i, subjectId = "s1", delta = 1, status = 0, reportedAt = "2026-11-18T02:00:00.0000000Z" })),
    };

    DateTimeOffsetHandler.Register();
    using var command = new CommandRunner(connection);
    using var statements = new PreparedRunner(connection);
    var results = cases.ToDictionary(c => c.Name, _ => new Dictionary<string, List<(double Us, double Bytes)>> { ["command"] = [], ["prepared"] = [] });
    for (var round = 0; round < rounds; round++)
    {
        foreach (var runner in new Runner[] { command, statements })
        {
            foreach (var c in cases)
            {
                using var tx = connection.BeginTransaction();
                runner.Transaction = tx;
                for (var i = calls; i < calls + 2_000; i++) c.Run(runner, i); // warm (and tier up) before timing, on keys of its own
                GC.Collect();
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < calls; i++) c.Run(runner, i);
                watch.Stop();
                results[c.Name][runner.Name].Add((watch.Elapsed.TotalMicroseconds / calls, (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)calls));
                tx.Rollback(); // inserts are undone, so every round inserts the same keys
            }
        }
    }

    static double Median(IEnumerable<double> xs) { var s = xs.Order().ToArray(); return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2; }
    Console.WriteLine($"{calls:N0} calls per case and round, {rounds} rounds alternating; medians per call");
    Console.WriteLine();
    Console.WriteLine("| statement | command µs | prepared µs | command / prepared | command B | prepared B |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    foreach (var c in cases)
    {
        var a = results[c.Name]["command"];
        var b = results[c.Name]["prepared"];
        var (au, bu) = (Median(a.Select(x => x.Us)), Median(b.Select(x => x.Us)));
        Console.WriteLine($"| {c.Name} | {au:F2} | {bu:F2} | {au / bu:F2}× | {Median(a.Select(x => x.Bytes)):F0} | {Median(b.Select(x => x.Bytes)):F0} |");
    }
    // Both ways must read the same thing, or the comparison means nothing.
    command.Transaction = statements.Transaction = null;
    if (!Equals(command.First(Sql.Point, new { id = "e42" }), statements.First(Sql.Point, new { id = "e42" }))
        || !command.List(Sql.Latest, new { subjectId = "s7" }).SequenceEqual(statements.List(Sql.Latest, new { subjectId = "s7" })))
    {
        Console.Error.WriteLine("statements: the two ways read different rows");
        return 1;
    }
    Console.WriteLine();
    Console.WriteLine("statements: ok (both ways read the same rows)");
    return 0;
}
finally
{
    SqliteConnection.ClearAllPools();
    dir.Delete(recursive: true);
}

internal sealed record EventRow(string Id, string SubjectId, long Delta, long Status, DateTimeOffset ReportedAt);

internal static class Sql
{
    public static readonly DialectSql Point = DialectSql.Both("SELECT id AS Id, subject_id AS SubjectId, delta AS Delta, status AS Status, reported_at AS ReportedAt FROM events WHERE id = @id");
    public static readonly DialectSql Latest = DialectSql.Both("SELECT id AS Id, subject_id AS SubjectId, delta AS Delta, status AS Status, reported_at AS ReportedAt FROM events WHERE subject_id = @subjectId ORDER BY reported_at DESC LIMIT 8");
    public static readonly DialectSql Insert = DialectSql.Both("INSERT INTO events (id, subject_id, delta, status, reported_at) VALUES (@id, @subjectId, @delta, @status, @reportedAt)");
}

internal abstract class Runner(string name) : IDisposable
{
    public string Name { get; } = name;
    public SqliteTransaction? Transaction { get; set; }
    public abstract EventRow? First(DialectSql sql, object args);
    public abstract List<EventRow> List(DialectSql sql, object args);
    public abstract int Execute(DialectSql sql, object args);
    public virtual void Dispose() { }
}

/// <summary>Statements through Microsoft.Data.Sqlite: a command per statement kept prepared, parameters named from the arguments' properties.</summary>
internal sealed class CommandRunner(SqliteConnection connection) : Runner("command")
{
    private readonly Dictionary<DialectSql, (SqliteCommand Command, Func<object, object?>[] Getters, Func<System.Data.Common.DbDataReader, object>? Parser)> _commands =
        new(ReferenceEqualityComparer.Instance);

    private SqliteCommand Bound(DialectSql sql, object args)
    {
        if (!_commands.TryGetValue(sql, out var entry))
        {
            var command = connection.CreateCommand();
            command.CommandText = sql.Sqlite;
            var properties = args.GetType().GetProperties();
            foreach (var p in properties) command.Parameters.Add(new SqliteParameter("@" + p.Name, DBNull.Value));
            entry = (command, properties.Select(p => (Func<object, object?>)p.GetValue).ToArray(), null);
            _commands[sql] = entry;
        }
        entry.Command.Transaction = Transaction;
        for (var i = 0; i < entry.Getters.Length; i++) entry.Command.Parameters[i].Value = entry.Getters[i](args) ?? DBNull.Value;
        return entry.Command;
    }

    private Func<System.Data.Common.DbDataReader, object> Parser(DialectSql sql, System.Data.Common.DbDataReader reader)
    {
        var entry = _commands[sql];
        if (entry.Parser is null) _commands[sql] = entry = entry with { Parser = reader.GetRowParser(typeof(EventRow)) };
        return entry.Parser!;
    }

    public override EventRow? First(DialectSql sql, object args)
    {
        using var reader = Bound(sql, args).ExecuteReader();
        return reader.Read() ? (EventRow)Parser(sql, reader)(reader) : null;
    }

    public override List<EventRow> List(DialectSql sql, object args)
    {
        using var reader = Bound(sql, args).ExecuteReader();
        var rows = new List<EventRow>();
        while (reader.Read()) rows.Add((EventRow)Parser(sql, reader)(reader));
        return rows;
    }

    public override int Execute(DialectSql sql, object args) => Bound(sql, args).ExecuteNonQuery();

    public override void Dispose()
    {
        foreach (var entry in _commands.Values) entry.Command.Dispose();
    }
}

internal sealed class PreparedRunner(SqliteConnection connection) : Runner("prepared")
{
    private readonly PreparedStatements _statements = new(connection);
    public override EventRow? First(DialectSql sql, object args) => _statements.FirstOrDefault<EventRow>(sql, args, Transaction);
    public override List<EventRow> List(DialectSql sql, object args) => _statements.Query<EventRow>(sql, args, Transaction);
    public override int Execute(DialectSql sql, object args) => _statements.Execute(sql, args, Transaction);
    public override void Dispose() => _statements.Dispose();
}
