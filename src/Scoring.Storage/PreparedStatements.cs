using System.Collections;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Scoring.Storage;

/// <summary>
/// The SQLite statements one long-lived connection has prepared, kept for its lifetime.
/// Microsoft.Data.Sqlite prepares a statement again for every new command and Dapper makes a new
/// command per call; on the chat hot path preparing was a third of the single writer's time
/// (docs/benchmarks.md). Each statement runs through SQLite's own functions (<see cref="NativeStatement"/>):
/// parameters come from an anonymous object's properties like Dapper's, and rows are mapped by Dapper's
/// own row parsers, so results are the same as through Dapper. A batch of statements, or a value of a type
/// not bound natively, goes through Dapper itself.
/// Not thread-safe: like its connection, it serves one unit of work at a time.
/// </summary>
public sealed class PreparedStatements(SqliteConnection connection) : IDisposable
{
    // Keyed by the DialectSql instance (each is a static field, so identity is cheap and exact).
    private readonly Dictionary<object, Statement> _statements = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(SavepointStep, string), NativeStatement?> _savepoints = [];
    private static readonly DateTimeOffsetHandler Instants = new();

    /// <summary>
    /// Whether <paramref name="args"/> can be bound here; lists of rows and Dapper's own parameter
    /// bags go through Dapper instead.
    /// </summary>
    public static bool CanBind(object? args) => args is null || (args is not IEnumerable && args is not SqlMapper.IDynamicParameters);

    /// <summary>How many statements this connection runs natively and how many through Dapper (for tests).</summary>
    internal (int Native, int ThroughDapper) Counts =>
        (_statements.Values.Count(s => s.Native is not null), _statements.Values.Count(s => s.Native is null));

    public List<T> Query<T>(DialectSql sql, object? args, DbTransaction? transaction)
    {
        if (Bound(sql, args) is not { } statement) return connection.Query<T>(Command(sql, args, transaction)).AsList();
        try
        {
            var rows = new List<T>();
            if (!statement.Native!.Step()) return rows;
            var parse = statement.RowParser(typeof(T));
            do rows.Add(Converted<T>(parse(statement.Native.Row))!);
            while (statement.Native.Step());
            return rows;
        }
        finally
        {
            statement.Native!.Reset();
        }
    }

    public T? FirstOrDefault<T>(DialectSql sql, object? args, DbTransaction? transaction)
    {
        if (Bound(sql, args) is not { } statement) return connection.QueryFirstOrDefault<T>(Command(sql, args, transaction));
        try
        {
            return statement.Native!.Step() ? Converted<T>(statement.RowParser(typeof(T))(statement.Native.Row)) : default;
        }
        finally
        {
            statement.Native!.Reset();
        }
    }

    public T? Scalar<T>(DialectSql sql, object? args, DbTransaction? transaction)
    {
        if (Bound(sql, args) is not { } statement) return connection.ExecuteScalar<T>(Command(sql, args, transaction));
        try
        {
            return statement.Native!.Step() ? Converted<T>(statement.Native.Row.GetValue(0)) : default;
        }
        finally
        {
            statement.Native!.Reset();
        }
    }

    public int Execute(DialectSql sql, object? args, DbTransaction? transaction) =>
        Bound(sql, args) is { } statement ? statement.Native!.Run() : connection.Execute(Command(sql, args, transaction));

    /// <summary>
    /// Runs <c>SAVEPOINT</c>, <c>RELEASE</c> or <c>ROLLBACK TO</c> for a savepoint name — what
    /// SqliteTransaction.Save/Release/Rollback(name) do, but prepared once.
    /// </summary>
    public void Savepoint(SavepointStep step, string name, DbTransaction transaction)
    {
        var key = (step, name);
        if (!_savepoints.TryGetValue(key, out var statement)) _savepoints[key] = statement = NativeStatement.TryPrepare(connection, SavepointSql(step, name));
        if (statement is null) connection.Execute(SavepointSql(step, name), transaction: transaction);
        else statement.Run();
    }

    private static string SavepointSql(SavepointStep step, string name) => step switch
    {
        SavepointStep.Save => "SAVEPOINT ",
        SavepointStep.Release => "RELEASE ",
        _ => "ROLLBACK TO ",
    } + "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public void Dispose()
    {
        foreach (var statement in _statements.Values) statement.Native?.Dispose();
        foreach (var statement in _savepoints.Values) statement?.Dispose();
        _statements.Clear();
        _savepoints.Clear();
    }

    /// <summary>The statement for <paramref name="sql"/> with <paramref name="args"/> bound, or null when Dapper must run it.</summary>
    private Statement? Bound(DialectSql sql, object? args)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            _statements[sql] = statement = new Statement(NativeStatement.TryPrepare(connection, sql.Sqlite));
        }
        if (statement.Native is not { } native) return null;
        if (native.Bind(args)) return statement;
        native.Reset();
        return null;
    }

    private static CommandDefinition Command(DialectSql sql, object? args, DbTransaction? transaction) => new(sql.Sqlite, args, transaction);

    /// <summary>Dapper's conversions of a value read: null for NULL, the time handler for instants, otherwise a plain conversion.</summary>
    private static T? Converted<T>(object? value)
    {
        if (value is null or DBNull) return default;
        if (value is T same) return same;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (target == typeof(DateTimeOffset)) return (T)(object)Instants.Parse(value);
        if (target.IsEnum) return (T)Enum.ToObject(target, value);
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    private sealed class Statement(NativeStatement? native)
    {
        /// <summary>The prepared statement; null for SQL that Dapper runs (a batch of statements).</summary>
        public NativeStatement? Native { get; } = native;
        private Type? _rowType;
        private Func<DbDataReader, object>? _parser;

        /// <summary>
        /// Dapper's row parser for this statement's columns, asked for once per row type. Dapper finds it again on
        /// every call by hashing and comparing the column names (a native call and a string per column), though
        /// a prepared statement's columns never change; that was ~5% of the single writer's time.
        /// </summary>
        public Func<DbDataReader, object> RowParser(Type rowType)
        {
            if (rowType != _rowType || _parser is null)
            {
                _parser = Native!.Row.GetRowParser(rowType);
                _rowType = rowType;
            }
            return _parser;
        }
    }
}

/// <summary>Compiled getters for the public properties of an argument type, made once per type.</summary>
internal static class ArgumentProperties
{
    private static readonly ConcurrentDictionary<Type, (string Name, Func<object, object?> Getter)[]> Known = new();

    public static (string Name, Func<object, object?> Getter)[] Of(Type type) => Known.GetOrAdd(type, static t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => (p.Name, Compile(t, p)))
            .ToArray());

    private static Func<object, object?> Compile(Type type, PropertyInfo property)
    {
        var instance = Expression.Parameter(typeof(object));
        var read = Expression.Property(Expression.Convert(instance, type), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), instance).Compile();
    }
}

/// <summary>The three things done with a savepoint.</summary>
public enum SavepointStep { Save, Release, RollbackTo }
