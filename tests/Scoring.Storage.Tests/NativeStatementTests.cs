using System.Reflection;
using System.Runtime.InteropServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Scoring.Domain;

namespace Scoring.Storage.Tests;

/// <summary>
/// A statement run through SQLite's own functions must bind, read, count and fail exactly as the same statement does
/// through Microsoft.Data.Sqlite (and Dapper), which is what every other path of the service uses. Each test compares
/// the two on the same database rather than against values written down here.
/// </summary>
public sealed class NativeStatementTests
{
    private const string Columns = "CREATE TABLE typed (a INTEGER, b TEXT, c REAL, d BLOB, e NUMERIC, f, g VARCHAR(5), h DATETIME, i BOOLEAN, j DECIMAL(5,2), k DOUBLE)";
    private const string AllColumns = "SELECT a, b, c, d, e, f, g, h, i, j, k, a + 1 AS sum, NULL AS empty, max(a) OVER () AS most, 'x' || b AS joined FROM typed ORDER BY rowid";

    private static async Task<SqliteConnection> TypedTableAsync(StorageWorld world, params string[] inserts)
    {
        var connection = await world.OpenConnectionAsync();
        await connection.ExecuteAsync(Columns);
        foreach (var insert in inserts) await connection.ExecuteAsync(insert);
        return connection;
    }

    /// <summary>Every column of every row as Microsoft.Data.Sqlite's reader shows it: name, type, declared type, value.</summary>
    private static List<List<(string, Type, string, object)>> ThroughMicrosoftData(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<List<(string, Type, string, object)>>();
        while (reader.Read())
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => (reader.GetName(i), reader.GetFieldType(i), reader.GetDataTypeName(i), reader.GetValue(i)))]);
        return rows;
    }

    private static List<List<(string, Type, string, object)>> ThroughNative(SqliteConnection connection, string sql)
    {
        using var statement = NativeStatement.TryPrepare(connection, sql)!;
        Assert.True(statement.Bind(null));
        var rows = new List<List<(string, Type, string, object)>>();
        try
        {
            var r = statement.Row;
            while (statement.Step())
                rows.Add([.. Enumerable.Range(0, r.FieldCount).Select(i => (r.GetName(i), r.GetFieldType(i), r.GetDataTypeName(i), r.GetValue(i)))]);
        }
        finally
        {
            statement.Reset();
        }
        return rows;
    }

    [Fact]
    public async Task Each_column_reads_with_the_name_type_and_value_Microsoft_Data_Sqlite_gives_also_for_nulls_and_mixed_storage()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var connection = await TypedTableAsync(world,
            "INSERT INTO typed VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
            "INSERT INTO typed VALUES (7, '房东', 1.5, x'0102', 3, 'free', 'abc', '2026-11-18 09:00:00', 1, 2.25, 4)",
            "INSERT INTO typed VALUES ('text in an integer column', 12, 'x', 'text', 1.5, x'', '', 'now', 'yes', 'many', NULL)",
            "INSERT INTO typed VALUES (-9223372036854775808, '', 0.0, x'', -1, 2.5, NULL, 5, 0, 0, 1e300)");

        var expected = ThroughMicrosoftData(connection, AllColumns);
        var actual = ThroughNative(connection, AllColumns);

        Assert.Equal(4, expected.Count);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (row, (wanted, got)) in expected.Zip(actual).Index())
        {
            Assert.Equal(wanted.Count, got.Count);
            foreach (var (w, g) in wanted.Zip(got))
            {
                var what = $"row {row}, column {w.Item1}";
                Assert.Equal((w.Item1, w.Item2, w.Item3), (g.Item1, g.Item2, g.Item3));
                if (w.Item4 is byte[] bytes) Assert.Equal(bytes, Assert.IsType<byte[]>(g.Item4));
                else Assert.True(Equals(w.Item4, g.Item4), $"{what}: {w.Item4} ({w.Item4.GetType()}) expected, {g.Item4} ({g.Item4.GetType()}) read");
            }
        }
    }

    public static TheoryData<string, object?> Values => new()
    {
        { "null", null },
        { "DBNull", DBNull.Value },
        { "empty text", "" },
        { "text", "返回 租客1 今天 08:00" },
        { "long text (past the stack buffer)", new string('长', 400) + "end" },
        { "text with a NUL", "a\0b" },
        { "UTF-8 text", Utf8Text.Of("[{\"text\":\"已登记：租客1 08:00 到达\"}]") },
        { "empty UTF-8 text", Utf8Text.Of("") },
        { "long UTF-8 text", Utf8Text.Of(new string('长', 400) + "end") },
        { "long", long.MinValue },
        { "int", int.MaxValue },
        { "short", (short)-3 },
        { "byte", (byte)200 },
        { "sbyte", (sbyte)-5 },
        { "ushort", (ushort)65535 },
        { "uint", uint.MaxValue },
        { "ulong", ulong.MaxValue },
        { "true", true },
        { "false", false },
        { "double", 1.25 },
        { "float", 2.5f },
        { "empty blob", Array.Empty<byte>() },
        { "blob", new byte[] { 0, 1, 255 } },
        { "instant", new DateTimeOffset(2026, 11, 18, 9, 30, 0, TimeSpan.FromHours(8)) },
        { "enum", SubjectKind.ShopHead },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task A_value_binds_as_Dapper_binds_it(string what, object? value)
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var connection = await world.OpenConnectionAsync();
        DateTimeOffsetHandler.Register();
        const string sql = "SELECT @v AS Value, typeof(@v) AS Kind, length(@v) AS Length";

        var args = Typed(value); // as the stores pass values: in properties of the value's own type
        var expected = (await connection.QueryAsync(sql, args)).Select(r => ((object?)r.Value, (string)r.Kind, (object?)r.Length)).Single();
        using var statement = NativeStatement.TryPrepare(connection, sql)!;
        Assert.True(statement.Bind(args), what);
        Assert.True(statement.Step());
        var actual = (statement.Row.IsDBNull(0) ? null : statement.Row.GetValue(0), statement.Row.GetString(1), statement.Row.IsDBNull(2) ? null : statement.Row.GetValue(2));
        statement.Reset();

        Assert.Equal(expected.Item2, actual.Item2);
        Assert.Equal(expected.Item3, actual.Item3);
        Assert.Equal(expected.Item1, actual.Item1);
    }

    private static object Typed(object? value) => value is null or DBNull
        ? new { v = value }
        : typeof(NativeStatementTests).GetMethod(nameof(Wrapped), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(value.GetType()).Invoke(null, [value])!;

    private static object Wrapped<T>(T v) => new { v };

    [Fact]
    public async Task A_value_of_a_type_not_bound_natively_goes_through_Dapper_with_the_same_result()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var connection = await world.OpenConnectionAsync();
        using var prepared = new PreparedStatements(connection);
        var echo = DialectSql.Both("SELECT @v || '|' || typeof(@v)");

        foreach (var value in new object[] { Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), 1.5m, 'c', new DateTime(2026, 11, 18, 9, 0, 0, DateTimeKind.Utc) })
        {
            Assert.Equal(
                await connection.ExecuteScalarAsync<string>(echo.Sqlite, new { v = value }),
                prepared.Scalar<string>(echo, new { v = value }, null));
        }
        Assert.Equal("2.5|real", prepared.Scalar<string>(echo, new { v = 2.5 }, null)); // the same statement, natively again
    }

    [Fact]
    public async Task NaN_is_refused_as_Microsoft_Data_Sqlite_refuses_it()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var connection = await world.OpenConnectionAsync();
        using var statement = NativeStatement.TryPrepare(connection, "SELECT @v")!;

        var expected = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.ExecuteScalarAsync("SELECT @v", new { v = double.NaN }));
        var actual = Assert.Throws<InvalidOperationException>(() => statement.Bind(new { v = double.NaN }));
        Assert.Equal(expected.Message, actual.Message);
    }

    [Fact]
    public async Task A_parameter_without_a_value_is_refused_with_Microsoft_Data_Sqlite_s_message()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var connection = await world.OpenConnectionAsync();
        const string sql = "SELECT @x + @y";
        using var statement = NativeStatement.TryPrepare(connection, sql)!;

        using var command = connection.CreateCommand(); // named as the properties are, as PreparedStatements named them
        command.CommandText = sql;
        command.Parameters.AddWithValue("@x", 1);
        command.Parameters.AddWithValue("@z", 2);
        var expected = Assert.Throws<InvalidOperationException>(() => command.ExecuteScalar());
        var actual = Assert.Throws<InvalidOperationException>(() => statement.Bind(new { x = 1, z = 2 }));
        Assert.Equal(expected.Message, actual.Message);
    }

    [Fact]
    public async Task Rows_changed_are_counted_as_ExecuteNonQuery_counts_them()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        string[] steps =
        [
            "CREATE TABLE counted (id INTEGER PRIMARY KEY, note TEXT)",
            "INSERT INTO counted (id, note) VALUES (1, 'a'), (2, 'b')",
            "CREATE UNIQUE INDEX ux_counted_note ON counted (note)",
            "INSERT INTO counted (id, note) VALUES (1, 'again') ON CONFLICT DO NOTHING",
            "UPDATE counted SET note = 'c' WHERE id = 99",
            "UPDATE counted SET note = note || '!'",
            "SELECT * FROM counted",
            "INSERT INTO counted (id, note) VALUES (3, 'd') RETURNING id",
            "DELETE FROM counted WHERE id > 1 RETURNING note",
            "SAVEPOINT s",
            "RELEASE s",
            "PRAGMA user_version = 4",
            "DELETE FROM counted",
        ];
        await using var left = await world.OpenConnectionAsync();
        await using var right = new SqliteConnection(world.ConnectionString.Replace(".db", "-native.db", StringComparison.Ordinal));
        await right.OpenAsync();

        foreach (var sql in steps)
        {
            using var command = left.CreateCommand();
            command.CommandText = sql;
            var expected = command.ExecuteNonQuery();
            using var statement = NativeStatement.TryPrepare(right, sql)!;
            Assert.True(statement.Bind(null));
            var actual = statement.Run();
            Assert.True(expected == actual, $"{sql}: {expected} expected, {actual} counted");
        }
    }

    [Fact]
    public async Task A_unique_violation_throws_SQLite_s_codes_and_leaves_the_statement_ready_for_the_next_call()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var connection = await world.OpenConnectionAsync();
        await connection.ExecuteAsync("CREATE TABLE once (id TEXT PRIMARY KEY)");
        using var prepared = new PreparedStatements(connection);
        var insert = DialectSql.Both("INSERT INTO once (id) VALUES (@id)");
        prepared.Execute(insert, new { id = "a" }, null);

        var expected = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(insert.Sqlite, new { id = "a" }));
        var actual = Assert.Throws<SqliteException>(() => prepared.Execute(insert, new { id = "a" }, null));

        Assert.Equal((expected.SqliteErrorCode, expected.SqliteExtendedErrorCode, expected.Message), (actual.SqliteErrorCode, actual.SqliteExtendedErrorCode, actual.Message));
        Assert.Equal(1, prepared.Execute(insert, new { id = "b" }, null));
    }

    [Fact]
    public async Task A_locked_database_throws_the_transient_busy_error_at_once_instead_of_sleeping_on_it()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var holder = await world.OpenConnectionAsync();
        await holder.ExecuteAsync("PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER)");
        await using var waiter = await world.OpenConnectionAsync();
        await waiter.ExecuteAsync("PRAGMA busy_timeout=0");
        using var prepared = new PreparedStatements(waiter);
        var insert = DialectSql.Both("INSERT INTO t (id) VALUES (1)");

        await using (var tx = await holder.BeginTransactionAsync())
        {
            await holder.ExecuteAsync("INSERT INTO t (id) VALUES (0)", transaction: tx);
            var busy = Assert.Throws<SqliteException>(() => prepared.Execute(insert, null, null));
            Assert.True(TransientFaults.IsTransient(busy), $"code {busy.SqliteErrorCode}");
        }
        Assert.Equal(1, prepared.Execute(insert, null, null));
    }

    [Fact]
    public async Task SQL_that_SQLite_refuses_throws_as_it_does_through_Microsoft_Data_Sqlite()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var connection = await world.OpenConnectionAsync();
        const string sql = "SELEC 1";

        var expected = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(sql));
        var actual = Assert.Throws<SqliteException>(() => NativeStatement.TryPrepare(connection, sql));
        Assert.Equal((expected.SqliteErrorCode, expected.Message), (actual.SqliteErrorCode, actual.Message));
    }

    [Fact]
    public async Task A_batch_of_statements_runs_through_Dapper_which_steps_through_each()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var connection = await world.OpenConnectionAsync();
        using var prepared = new PreparedStatements(connection);
        var batch = DialectSql.Both("CREATE TABLE b (id INTEGER); INSERT INTO b VALUES (1), (2); SELECT count(*) FROM b;");

        Assert.Null(NativeStatement.TryPrepare(connection, "SELECT 1; SELECT 2"));
        Assert.Equal(2, prepared.Scalar<long>(batch, null, null));
        Assert.Equal((0, 1), prepared.Counts);
    }

    [Fact]
    public async Task No_statement_is_left_running_after_a_call_that_read_only_the_first_of_many_rows_or_failed()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var connection = await TypedTableAsync(world, "INSERT INTO typed (a) VALUES (1), (2), (3)");
        using var prepared = new PreparedStatements(connection);

        Assert.Equal(1, prepared.FirstOrDefault<long>(DialectSql.Both("SELECT a FROM typed ORDER BY a"), null, null));
        Assert.Equal(1, prepared.Scalar<long>(DialectSql.Both("SELECT a FROM typed ORDER BY a"), null, null));
        Assert.ThrowsAny<Exception>(() => prepared.Query<int>(DialectSql.Both("SELECT 1 / 0.0 + abs(-9223372036854775808)"), null, null));

        var db = connection.Handle!.DangerousGetHandle();
        for (var stmt = StorageWorld.NextStatement(db, 0); stmt != 0; stmt = StorageWorld.NextStatement(db, stmt))
            Assert.Equal(0, StatementBusy(stmt));
    }

    [Fact]
    public async Task Every_statement_the_service_runs_prepares_natively_on_the_migrated_schema_except_its_batches()
    {
        await using var world = await StorageWorld.CreateAsync();
        await using var connection = await world.OpenConnectionAsync();
        var statements = typeof(Database).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(f => f.FieldType == typeof(DialectSql) && !f.DeclaringType!.IsGenericTypeDefinition)
            .Select(f => (Name: f.DeclaringType!.Name + "." + f.Name, Sql: ((DialectSql)f.GetValue(null)!).Sqlite))
            .ToList();

        var batches = new List<string>();
        foreach (var (name, sql) in statements)
        {
            using var native = NativeStatement.TryPrepare(connection, sql);
            if (native is null) batches.Add(name);
        }

        Assert.True(statements.Count > 50, $"found only {statements.Count} statements");
        Assert.All(batches, name => Assert.Contains(';', statements.Single(s => s.Name == name).Sql.TrimEnd().TrimEnd(';')));
    }

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_stmt_busy")]
    private static extern int StatementBusy(nint stmt);
}
