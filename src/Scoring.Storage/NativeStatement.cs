using System.Buffers;
using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using static Scoring.Storage.SqliteLibrary;

namespace Scoring.Storage;

/// <summary>
/// One SQL statement prepared once on a long-lived connection and run through SQLite's own functions: bind, step,
/// read the columns, reset. It binds and reads what Microsoft.Data.Sqlite binds and reads for the same values (tests
/// compare the two), without that library's objects per execution (a command's parameter binders, a data reader and
/// record, statement enumerators, a SafeHandle's reference count at every call): a point lookup takes about half the
/// time (<c>bench/run --statements</c>; docs/benchmarks.md, eleventh session).
/// </summary>
/// <remarks>Not thread-safe; its <see cref="PreparedStatements"/> serves one unit of work at a time.</remarks>
[SkipLocalsInit] // the stack buffer for text is written before it is read
internal sealed unsafe class NativeStatement : IDisposable
{
    private const int StackText = 512; // bytes of UTF-8 encoded on the stack before renting a buffer

    private readonly SqliteConnection _connection;
    private readonly nint _db; // the connection's sqlite3*, which lives as long as the connection and so this statement
    private nint _stmt;
    private Type? _argsType;
    private (int Index, Func<object, object?> Get)[] _bindings = [];

    private NativeStatement(SqliteConnection connection, nint stmt)
    {
        _connection = connection;
        _db = connection.Handle!.DangerousGetHandle();
        _stmt = stmt;
        Row = new NativeRow(this);
    }

    /// <summary>The current row, for Dapper's row parsers; valid between a <see cref="Step"/> that returned true and <see cref="Reset"/>.</summary>
    public DbDataReader Row { get; }

    /// <summary>
    /// Prepares <paramref name="sql"/> on <paramref name="connection"/>, or returns null when it holds more or less than one
    /// statement (those run through Dapper and Microsoft.Data.Sqlite, which step through a batch). SQL that SQLite refuses
    /// throws the <see cref="SqliteException"/> Microsoft.Data.Sqlite would.
    /// </summary>
    public static NativeStatement? TryPrepare(SqliteConnection connection, string sql)
    {
        if (!Available || connection.Handle is not { } handle) return null;
        var text = Encoding.UTF8.GetBytes(sql);
        nint stmt = 0;
        byte* tail = null;
        int rc;
        fixed (byte* p = text)
        {
            rc = Prepare(handle.DangerousGetHandle(), p, text.Length, PreparePersistent, &stmt, &tail);
            if (rc == Ok && stmt != 0 && !string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(tail, (int)(p + text.Length - tail))))
            {
                FinalizeStatement(stmt); // a batch: the rest would need a statement of its own
                return null;
            }
        }
        if (rc != Ok)
        {
            if (stmt != 0) FinalizeStatement(stmt);
            SqliteException.ThrowExceptionForRC(rc, handle);
        }
        return stmt == 0 ? null : new NativeStatement(connection, stmt);
    }

    /// <summary>
    /// Binds the public properties of <paramref name="args"/> to the statement's <c>@Name</c> parameters. False, binding
    /// nothing more, when a value is of a type not bound here (the caller then runs the statement through Dapper).
    /// </summary>
    public bool Bind(object? args)
    {
        var type = args?.GetType();
        if (type != _argsType) Map(type);
        foreach (var (index, get) in _bindings)
        {
            if (!BindValue(index, get(args!))) return false;
        }
        return true;
    }

    /// <summary>Steps to the next row: true on a row, false when done; SQLite's errors throw as Microsoft.Data.Sqlite's do.</summary>
    public bool Step()
    {
        var rc = SqliteLibrary.Step(_stmt);
        if (rc == RowReady) return true;
        if (rc == Done) return false;
        SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        return false;
    }

    /// <summary>Runs the statement to its end and resets it: the rows changed, or -1 for a query (as <c>ExecuteNonQuery</c> counts).</summary>
    public int Run()
    {
        try
        {
            while (Step()) { }
            // Microsoft.Data.Sqlite counts SQLite's changes after any statement without result columns, and after one
            // with them (RETURNING) only when it writes.
            return ColumnCount(_stmt) == 0 || ReadOnly(_stmt) == 0 ? Changes(_db) : -1;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Ends the current run (always call it, also after a failure) so the statement holds no lock.</summary>
    public void Reset() => SqliteLibrary.Reset(_stmt);

    public void Dispose()
    {
        if (_stmt == 0) return;
        FinalizeStatement(_stmt);
        _stmt = 0;
    }

    private void Map(Type? type)
    {
        var properties = type is null ? [] : ArgumentProperties.Of(type);
        var bindings = new List<(int, Func<object, object?>)>();
        var missing = new List<string>();
        for (var i = 1; i <= ParameterCount(_stmt); i++)
        {
            var name = Utf8(ParameterName(_stmt, i)) ?? "?" + i;
            var match = Array.FindIndex(properties, p => name.Length == p.Name.Length + 1 && name[0] == '@' && name.AsSpan(1).SequenceEqual(p.Name));
            if (match < 0) missing.Add(name);
            else bindings.Add((i, properties[match].Getter));
        }
        if (missing.Count > 0)
        {
            throw new InvalidOperationException("Must add values for the following parameters: " + string.Join(", ", missing));
        }
        _bindings = [.. bindings];
        _argsType = type;
    }

    /// <summary>Binds one value as Dapper and Microsoft.Data.Sqlite would; false for a type not handled here.</summary>
    private bool BindValue(int index, object? value)
    {
        int rc;
        switch (value)
        {
            case null or DBNull: rc = BindNull(_stmt, index); break;
            case string s: rc = BindString(index, s); break;
            case long l: rc = BindInt64(_stmt, index, l); break;
            case int i: rc = BindInt64(_stmt, index, i); break;
            case bool b: rc = BindInt64(_stmt, index, b ? 1 : 0); break;
            case short i: rc = BindInt64(_stmt, index, i); break;
            case byte i: rc = BindInt64(_stmt, index, i); break;
            case sbyte i: rc = BindInt64(_stmt, index, i); break;
            case ushort i: rc = BindInt64(_stmt, index, i); break;
            case uint i: rc = BindInt64(_stmt, index, i); break;
            case ulong i: rc = BindInt64(_stmt, index, unchecked((long)i)); break;
            case double d: rc = BindDouble(_stmt, index, NotNaN(d)); break;
            case float f: rc = BindDouble(_stmt, index, NotNaN(f)); break;
            case byte[] bytes: rc = BindBytes(index, bytes); break;
            case Utf8Text text: rc = BindUtf8(index, text.Bytes); break;
            case DateTimeOffset instant: rc = BindString(index, DateTimeOffsetHandler.ToText(instant)); break;
            case Enum e: return BindValue(index, Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), CultureInfo.InvariantCulture));
            default: return false;
        }
        if (rc != Ok) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        return true;
    }

    private static double NotNaN(double d) => double.IsNaN(d) ? throw new InvalidOperationException("Cannot store 'NaN' values.") : d;

    private int BindString(int index, string s)
    {
        var most = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (most <= StackText)
        {
            var buffer = stackalloc byte[StackText];
            var length = Encoding.UTF8.GetBytes(s, new Span<byte>(buffer, StackText));
            return BindText(_stmt, index, buffer, length, Transient);
        }
        var rented = ArrayPool<byte>.Shared.Rent(most);
        try
        {
            var length = Encoding.UTF8.GetBytes(s, rented);
            fixed (byte* p = rented) return BindText(_stmt, index, p, length, Transient);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private int BindUtf8(int index, byte[] utf8)
    {
        // A null pointer would bind NULL; empty text needs a pointer to nothing.
        byte none = 0;
        fixed (byte* p = utf8) return BindText(_stmt, index, utf8.Length == 0 ? &none : p, utf8.Length, Transient);
    }

    private int BindBytes(int index, byte[] bytes)
    {
        // A null pointer would bind NULL; an empty blob needs a pointer to nothing.
        byte none = 0;
        fixed (byte* p = bytes) return BindBlob(_stmt, index, bytes.Length == 0 ? &none : p, bytes.Length, Transient);
    }

    /// <summary>A row of the statement as a data reader, read the way Microsoft.Data.Sqlite's reader reads it.</summary>
    private sealed class NativeRow(NativeStatement statement) : DbDataReader
    {
        private nint Stmt => statement._stmt;

        public override int FieldCount => ColumnCount(Stmt);
        public override string GetName(int ordinal) => Utf8(ColumnName(Stmt, Checked(ordinal)))!;
        public override int GetOrdinal(string name)
        {
            for (var i = 0; i < FieldCount; i++)
                if (string.Equals(GetName(i), name, StringComparison.Ordinal)) return i;
            for (var i = 0; i < FieldCount; i++)
                if (string.Equals(GetName(i), name, StringComparison.OrdinalIgnoreCase)) return i;
            throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }

        /// <summary>The declared type without its size (<c>VARCHAR(5)</c> is <c>VARCHAR</c>); a computed column's storage class.</summary>
        public override string GetDataTypeName(int ordinal) => Utf8(ColumnDeclaredType(Stmt, Checked(ordinal))) is { } declared
            ? declared.Split('(')[0]
            : ColumnType(Stmt, ordinal) switch
        {
            Integer => "INTEGER",
            Float => "REAL",
            Text => "TEXT",
            _ => "BLOB",
        };

        /// <summary>The type of the value in this row; for a NULL, the type the column's declared type gives (SQLite's affinity rules).</summary>
        public override Type GetFieldType(int ordinal) => ColumnType(Stmt, Checked(ordinal)) switch
        {
            Integer => typeof(long),
            Float => typeof(double),
            Text => typeof(string),
            Blob => typeof(byte[]),
            _ => TypeOfAffinity(Utf8(ColumnDeclaredType(Stmt, ordinal))),
        };

        public override object GetValue(int ordinal) => ColumnType(Stmt, Checked(ordinal)) switch
        {
            Integer => ColumnInt64(Stmt, ordinal),
            Float => ColumnDouble(Stmt, ordinal),
            Text => GetString(ordinal),
            Blob => GetBlob(ordinal),
            _ => DBNull.Value,
        };

        public override object this[int ordinal] => GetValue(ordinal);
        public override object this[string name] => GetValue(GetOrdinal(name));
        public override bool IsDBNull(int ordinal) => ColumnType(Stmt, Checked(ordinal)) == Null;

        public override int GetValues(object[] values)
        {
            var n = Math.Min(values.Length, FieldCount);
            for (var i = 0; i < n; i++) values[i] = GetValue(i);
            return n;
        }

        public override long GetInt64(int ordinal) => IsDBNull(ordinal) ? throw NullValue(ordinal) : ColumnInt64(Stmt, ordinal);
        public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));
        public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));
        public override byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));
        public override bool GetBoolean(int ordinal) => GetInt64(ordinal) != 0;
        public override double GetDouble(int ordinal) => IsDBNull(ordinal) ? throw NullValue(ordinal) : ColumnDouble(Stmt, ordinal);
        public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);
        public override decimal GetDecimal(int ordinal) => decimal.Parse(GetString(ordinal), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        public override DateTime GetDateTime(int ordinal) => DateTime.Parse(GetString(ordinal), CultureInfo.InvariantCulture);
        public override Guid GetGuid(int ordinal) => ColumnType(Stmt, Checked(ordinal)) == Blob ? new Guid(GetBlob(ordinal)) : Guid.Parse(GetString(ordinal));
        public override char GetChar(int ordinal) => GetString(ordinal)[0];

        public override string GetString(int ordinal)
        {
            if (IsDBNull(ordinal)) throw NullValue(ordinal);
            var text = ColumnText(Stmt, ordinal); // before the length: asking for the text may convert the value
            return Encoding.UTF8.GetString(text, ColumnBytes(Stmt, ordinal));
        }

        private byte[] GetBlob(int ordinal)
        {
            var blob = ColumnBlob(Stmt, ordinal);
            return new ReadOnlySpan<byte>(blob, ColumnBytes(Stmt, ordinal)).ToArray();
        }

        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
        {
            var blob = GetBlob(ordinal);
            if (buffer is null) return blob.Length;
            var n = (int)Math.Max(0, Math.Min(length, blob.Length - dataOffset));
            Array.Copy(blob, dataOffset, buffer, bufferOffset, n);
            return n;
        }

        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
        {
            var text = GetString(ordinal);
            if (buffer is null) return text.Length;
            var n = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
            text.CopyTo((int)dataOffset, buffer, bufferOffset, n);
            return n;
        }

        // Rows are stepped by PreparedStatements; this reader only ever shows the current one.
        public override bool Read() => throw new NotSupportedException("A prepared statement's rows are stepped by PreparedStatements.");
        public override bool NextResult() => false;
        public override bool HasRows => true;
        public override bool IsClosed => false;
        public override int Depth => 0;
        public override int RecordsAffected => -1;
        public override IEnumerator GetEnumerator() => throw new NotSupportedException();

        private int Checked(int ordinal) =>
            (uint)ordinal < (uint)FieldCount ? ordinal : throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, null);

        private InvalidCastException NullValue(int ordinal) => new($"The value of column '{GetName(ordinal)}' is NULL.");

        /// <summary>SQLite's rules for a declared type's affinity, as Microsoft.Data.Sqlite maps them to .NET types.</summary>
        internal static Type TypeOfAffinity(string? declared)
        {
            if (declared is null) return typeof(byte[]);
            if (declared.Contains("INT", StringComparison.OrdinalIgnoreCase)) return typeof(long);
            if (declared.Contains("CHAR", StringComparison.OrdinalIgnoreCase) || declared.Contains("CLOB", StringComparison.OrdinalIgnoreCase)
                || declared.Contains("TEXT", StringComparison.OrdinalIgnoreCase)) return typeof(string);
            if (declared.Length == 0 || declared.Contains("BLOB", StringComparison.OrdinalIgnoreCase)) return typeof(byte[]);
            if (declared.Contains("REAL", StringComparison.OrdinalIgnoreCase) || declared.Contains("FLOA", StringComparison.OrdinalIgnoreCase)
                || declared.Contains("DOUB", StringComparison.OrdinalIgnoreCase)) return typeof(double);
            return typeof(string); // NUMERIC
        }
    }
}
