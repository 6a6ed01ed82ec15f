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
/// (docs/benchmarks.md). Parameters come from an anonymous object's properties like Dapper's, and
/// rows are mapped by Dapper's own row parsers, so results are the same as through Dapper.
/// Not thread-safe: like its connection, it serves one unit of work at a time.
/// </summary>
public sealed class PreparedStatements(SqliteConnection connection) : IDisposable
{
    // Keyed by the DialectSql instance (each is a static field, so identity is cheap and exact).
    private readonly Dictionary<object, Statement> _statements = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(SavepointStep, string), SqliteCommand> _savepoints = [];
    private static readonly DateTimeOffsetHandler Instants = new();

    /// <summary>
    /// Whether <paramref name="args"/> can be bound here; lists of rows and Dapper's own parameter
    /// bags go through Dapper instead.
    /// </summary>
    public static bool CanBind(object? args) => args is null || (args is not IEnumerable && args is not SqlMapper.IDynamicParameters);

    public List<T> Query<T>(DialectSql sql, object? args, DbTransaction? transaction)
    {
        var statement = Prepare(sql, args, transaction);
        using var reader = statement.Command.ExecuteReader();
        var rows = new List<T>();
        if (!reader.HasRows) return rows;
        var parse = statement.RowParser(typeof(T), reader);
        while (reader.Read()) rows.Add(Converted<T>(parse(reader))!);
        return rows;
    }

    public T? FirstOrDefault<T>(DialectSql sql, object? args, DbTransaction? transaction)
    {
        var statement = Prepare(sql, args, transaction);
        using var reader = statement.Command.ExecuteReader();
        return reader.Read() ? Converted<T>(statement.RowParser(typeof(T), reader)(reader)) : default;
    }

    public T? Scalar<T>(DialectSql sql, object? args, DbTransaction? transaction) =>
        Converted<T>(Prepare(sql, args, transaction).Command.ExecuteScalar());

    public int Execute(DialectSql sql, object? args, DbTransaction? transaction) =>
        Prepare(sql, args, transaction).Command.ExecuteNonQuery();

    /// <summary>
    /// Runs <c>SAVEPOINT</c>, <c>RELEASE</c> or <c>ROLLBACK TO</c> for a savepoint name — what
    /// SqliteTransaction.Save/Release/Rollback(name) do, but prepared once.
    /// </summary>
    public void Savepoint(SavepointStep step, string name, DbTransaction transaction)
    {
        var key = (step, name);
        if (!_savepoints.TryGetValue(key, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = step switch
            {
                SavepointStep.Save => "SAVEPOINT ",
                SavepointStep.Release => "RELEASE ",
                _ => "ROLLBACK TO ",
            } + "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            _savepoints[key] = command;
        }
        command.Transaction = (SqliteTransaction)transaction;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values) statement.Command.Dispose();
        foreach (var command in _savepoints.Values) command.Dispose();
        _statements.Clear();
        _savepoints.Clear();
    }

    private Statement Prepare(DialectSql sql, object? args, DbTransaction? transaction)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            var command = connection.CreateCommand();
            command.CommandText = sql.Sqlite;
            _statements[sql] = statement = new Statement(command);
        }
        statement.Command.Transaction = (SqliteTransaction?)transaction;
        statement.Bind(args);
        return statement;
    }

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

    private sealed class Statement(SqliteCommand command)
    {
        public SqliteCommand Command { get; } = command;
        private Type? _argsType;
        private Func<object, object?>[] _getters = [];
        private Type? _rowType;
        private Func<DbDataReader, object>? _parser;

        /// <summary>
        /// Dapper's row parser for this statement's columns, asked for once per row type. Dapper finds it again on
        /// every call by hashing and comparing the column names (a native call and a string per column), though
        /// a prepared statement's columns never change; that was ~5% of the single writer's time.
        /// </summary>
        public Func<DbDataReader, object> RowParser(Type rowType, DbDataReader reader)
        {
            if (rowType != _rowType || _parser is null)
            {
                _parser = reader.GetRowParser(rowType);
                _rowType = rowType;
            }
            return _parser;
        }

        public void Bind(object? args)
        {
            var type = args?.GetType();
            if (type != _argsType)
            {
                // Another call site with another anonymous type: name the parameters afresh.
                Command.Parameters.Clear();
                var properties = type is null ? [] : Properties.Of(type);
                _getters = properties.Select(p => p.Getter).ToArray();
                foreach (var property in properties) Command.Parameters.Add(new SqliteParameter("@" + property.Name, DBNull.Value));
                _argsType = type;
            }
            var parameters = Command.Parameters;
            for (var i = 0; i < _getters.Length; i++)
                parameters[i].Value = ToParameterValue(_getters[i](args!));
        }

        /// <summary>What Dapper would send for a value (DateTimeOffsetHandler's UTC text, enums as numbers).</summary>
        private static object ToParameterValue(object? value) => value switch
        {
            null => DBNull.Value,
            DateTimeOffset instant => DateTimeOffsetHandler.ToText(instant),
            Enum e => Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), CultureInfo.InvariantCulture),
            _ => value,
        };
    }

    /// <summary>Compiled getters for the public properties of an argument type, made once per type.</summary>
    private static class Properties
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
}

/// <summary>The three things done with a savepoint.</summary>
public enum SavepointStep { Save, Release, RollbackTo }
