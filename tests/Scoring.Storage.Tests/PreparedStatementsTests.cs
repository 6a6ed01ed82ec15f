using Dapper;
using Microsoft.Data.Sqlite;
using Scoring.Domain;

namespace Scoring.Storage.Tests;

/// <summary>
/// The prepared statements kept per SQLite connection must give exactly what Dapper gives: the hot path
/// uses them and everything else (SQL Server, lists of rows) still goes through Dapper.
/// </summary>
public sealed class PreparedStatementsTests
{
    private static readonly DialectSql CreateTable = DialectSql.Both(
        "CREATE TABLE sample (id TEXT PRIMARY KEY, kind INTEGER NOT NULL, at TEXT, amount INTEGER, note TEXT)");
    private static readonly DialectSql InsertRow = DialectSql.Both(
        "INSERT INTO sample (id, kind, at, amount, note) VALUES (@Id, @Kind, @At, @Amount, @Note)");
    private static readonly DialectSql SelectRow = DialectSql.Both(
        "SELECT id AS Id, kind AS Kind, at AS At, amount AS Amount, note AS Note FROM sample WHERE id = @id");
    private static readonly DialectSql SelectAll = DialectSql.Both(
        "SELECT id AS Id, kind AS Kind, at AS At, amount AS Amount, note AS Note FROM sample ORDER BY id");
    private static readonly DialectSql SelectAt = DialectSql.Both("SELECT at FROM sample WHERE id = @id");
    private static readonly DialectSql SelectIds = DialectSql.Both("SELECT id FROM sample ORDER BY id");
    private static readonly DialectSql MaxAmount = DialectSql.Both(
        "SELECT id AS Id, (SELECT MAX(amount) FROM sample WHERE id = @id) AS Amount FROM sample WHERE id = @id");
    private static readonly DialectSql SumAmounts = DialectSql.Both("SELECT SUM(amount) FROM sample WHERE kind = @kind");

    public sealed record Row
    {
        public Row() { }

        public Row(string id, SubjectKind kind, DateTimeOffset? at, int? amount, string? note) =>
            (Id, Kind, At, Amount, Note) = (id, kind, at, amount, note);

        public string Id { get; init; } = "";
        public SubjectKind Kind { get; init; }
        public DateTimeOffset? At { get; init; }
        public int? Amount { get; init; }
        public string? Note { get; init; }
    }

    /// <summary>A connection with the test table and its prepared statements, disposed together.</summary>
    private sealed class Opened(SqliteConnection connection, PreparedStatements prepared) : IAsyncDisposable
    {
        public SqliteConnection Connection { get; } = connection;
        public PreparedStatements Prepared { get; } = prepared;

        public async ValueTask DisposeAsync()
        {
            Prepared.Dispose();
            await Connection.DisposeAsync();
        }
    }

    private static async Task<Opened> OpenAsync(StorageWorld world)
    {
        var connection = await world.OpenConnectionAsync();
        await new Session(connection, null, StorageProvider.Sqlite, default).ExecuteAsync(CreateTable);
        return new Opened(connection, new PreparedStatements(connection));
    }

    private static Session Plain(SqliteConnection c) => new(c, null, StorageProvider.Sqlite, default);

    private static Session Prepared(SqliteConnection c, PreparedStatements p) => new(c, null, StorageProvider.Sqlite, default) { Statements = p };

    [Fact]
    public async Task A_statement_with_a_bound_limit_is_planned_once_however_often_it_is_bound_again()
    {
        await using var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("s", "a");
        var db = world.NewDatabase(); // a fresh writer connection, so that every statement it prepares is seen

        var replanned = await db.WriteAsync(s => StorageWorld.PreparedAfterAsync(s, 5 /* SQLITE_STMTSTATUS_REPREPARE */, async () =>
        {
            for (var take = 1; take <= 5; take++) await s.RecentEventsAsync("a", take);
        }));
        // Readers are opened the same way; the setting that makes the difference is checked on one.
        var readerPlansAlike = await db.ReadAsync(s =>
        {
            SQLitePCL.raw.sqlite3_db_config(((SqliteConnection)s.Connection).Handle, 1007 /* SQLITE_DBCONFIG_ENABLE_QPSG */, -1, out var on);
            return Task.FromResult(on);
        });

        Assert.Contains(replanned, r => r.Sql.Contains("LIMIT @take", StringComparison.Ordinal));
        Assert.All(replanned, r => Assert.True(r.Count == 0, $"planned again {r.Count} times: {r.Sql}"));
        Assert.Equal(1, readerPlansAlike);
    }

    [Fact]
    public async Task Rows_written_and_read_through_prepared_statements_equal_those_through_Dapper()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var opened = await OpenAsync(world);
        var (connection, prepared) = (opened.Connection, opened.Prepared);
        var at = new DateTimeOffset(2026, 11, 18, 9, 30, 0, TimeSpan.FromHours(8));

        await Prepared(connection, prepared).ExecuteAsync(InsertRow, new Row("a", SubjectKind.ShopHead, at, 5, "铺长"));
        await Plain(connection).ExecuteAsync(InsertRow, new Row("b", SubjectKind.Landlord, null, null, null));

        foreach (var session in new[] { Plain(connection), Prepared(connection, prepared) })
        {
            Assert.Equal(
                [new Row("a", SubjectKind.ShopHead, at, 5, "铺长"), new Row("b", SubjectKind.Landlord, null, null, null)],
                (await session.QueryAsync<Row>(SelectAll)).ToList());
            Assert.Equal(new Row("a", SubjectKind.ShopHead, at, 5, "铺长"), await session.FirstOrDefaultAsync<Row>(SelectRow, new { id = "a" }));
            Assert.Null(await session.FirstOrDefaultAsync<Row>(SelectRow, new { id = "nobody" }));
            Assert.Equal(at, await session.ScalarAsync<DateTimeOffset?>(SelectAt, new { id = "a" }));
            Assert.Null(await session.ScalarAsync<DateTimeOffset?>(SelectAt, new { id = "b" }));
            Assert.Equal(["a", "b"], (await session.QueryAsync<string>(SelectIds)).ToList());
            Assert.Equal(5, await session.ScalarAsync<int>(SumAmounts, new { kind = SubjectKind.ShopHead }));
            Assert.Equal(0, await session.ScalarAsync<int>(SumAmounts, new { kind = SubjectKind.Landlord }));
        }
        // Stored in the same UTC text either way, so times sort as instants.
        Assert.Equal("2026-11-18T01:30:00.0000000Z", await connection.ExecuteScalarAsync<string>("SELECT at FROM sample WHERE id = 'a'"));
    }

    [Fact]
    public async Task One_statement_called_with_differently_shaped_arguments_binds_each_by_name()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var opened = await OpenAsync(world);
        var (connection, prepared) = (opened.Connection, opened.Prepared);
        var session = Prepared(connection, prepared);

        await session.ExecuteAsync(InsertRow, new { Id = "x", Kind = 1, At = (DateTimeOffset?)null, Amount = 2, Note = "first" });
        await session.ExecuteAsync(InsertRow, new { Note = "second", Amount = 3, Kind = 0, Id = "y", At = (string?)null });

        Assert.Equal("second", (await session.FirstOrDefaultAsync<Row>(SelectRow, new { id = "y" }))!.Note);
        Assert.Equal(3, (await session.FirstOrDefaultAsync<Row>(SelectRow, new { id = "y" }))!.Amount);
        Assert.Equal("first", (await session.FirstOrDefaultAsync<Row>(SelectRow, new { id = "x" }))!.Note);
    }

    [Fact]
    public async Task A_rolled_back_savepoint_undoes_only_what_came_after_it()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var opened = await OpenAsync(world);
        var (connection, prepared) = (opened.Connection, opened.Prepared);
        await using (var tx = await connection.BeginTransactionAsync())
        {
            var session = new Session(connection, tx, StorageProvider.Sqlite, default) { Statements = prepared };
            await session.ExecuteAsync(InsertRow, new Row("kept", SubjectKind.Landlord, null, 1, null));
            await session.SaveAsync("step");
            await session.ExecuteAsync(InsertRow, new Row("undone", SubjectKind.Landlord, null, 1, null));
            await session.RollbackToAsync("step");
            await session.ReleaseAsync("step");
            await session.SaveAsync("step");
            await session.ExecuteAsync(InsertRow, new Row("also kept", SubjectKind.Landlord, null, 1, null));
            await session.ReleaseAsync("step");
            await tx.CommitAsync();
        }

        Assert.Equal(["also kept", "kept"], (await Plain(connection).QueryAsync<string>(SelectIds)).ToList());
    }

    [Fact]
    public async Task A_read_that_fails_leaves_later_reads_working()
    {
        await using var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("houzhai", "L1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => world.Db.ReadAsync<int>(async s =>
        {
            await s.GetSubjectAsync("L1");
            throw new InvalidOperationException("the work itself failed");
        }));

        for (var i = 0; i < 3; i++)
            Assert.Equal("房东L1", (await world.Db.ReadAsync(s => s.GetSubjectAsync("L1")))!.Name);
    }

    [Fact]
    public async Task Reads_on_kept_connections_see_every_write_acknowledged_before_them()
    {
        await using var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("houzhai");
        for (var i = 0; i < 20; i++)
        {
            var id = $"S{i}";
            await world.Db.WriteAsync(s => s.InsertSubjectAsync(
                new Subject { Id = id, StreetId = "houzhai", CommunityId = "houzhai-c", Kind = SubjectKind.Landlord, Name = id }, world.Clock.GetUtcNow()));
            var reads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => world.Db.ReadAsync(s => s.GetSubjectAsync(id))));
            Assert.All(reads, subject => Assert.Equal(id, subject?.Name));
        }
    }

    public sealed record Figure
    {
        public Figure() { }
        public Figure(string id, long? amount) => (Id, Amount) = (id, amount);
        public string Id { get; init; } = "";
        public long? Amount { get; init; }
    }

    [Fact]
    public async Task A_statement_s_kept_row_parser_reads_a_value_after_a_null_and_a_null_after_a_value_of_the_same_column()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var opened = await OpenAsync(world);
        var session = Prepared(opened.Connection, opened.Prepared);
        await session.ExecuteAsync(InsertRow, new Row("empty", SubjectKind.Landlord, null, null, null));
        await session.ExecuteAsync(InsertRow, new Row("full", SubjectKind.Landlord, StorageWorld.Wednesday, 7, "有"));

        // Table columns (declared types) and an expression column (none), each read first as NULL and then as a value.
        foreach (var order in new[] { new[] { "empty", "full", "empty" }, new[] { "full", "empty", "full" } })
        {
            foreach (var id in order)
            {
                var full = id == "full";
                Assert.Equal(full ? new Row("full", SubjectKind.Landlord, StorageWorld.Wednesday, 7, "有") : new Row("empty", SubjectKind.Landlord, null, null, null),
                    await session.FirstOrDefaultAsync<Row>(SelectRow, new { id }));
                Assert.Equal(new Figure(id, full ? 7 : null), await session.FirstOrDefaultAsync<Figure>(MaxAmount, new { id }));
                // The same statement read as another row type gets that type's parser.
                Assert.Equal(new Figure(id, full ? 7 : null), await session.FirstOrDefaultAsync<Figure>(SelectRow, new { id }));
            }
            opened.Prepared.Dispose(); // the second order starts with fresh statements
        }
    }
}
