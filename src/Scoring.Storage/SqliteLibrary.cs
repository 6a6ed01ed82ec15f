using System.Runtime.InteropServices;

namespace Scoring.Storage;

/// <summary>
/// The e_sqlite3 library that Microsoft.Data.Sqlite loads, and the few of its functions that Scoring calls directly
/// (the prepared statements of <see cref="NativeStatement"/>, the page cache of <see cref="SqlitePageCache"/>).
/// </summary>
/// <remarks>
/// Called through plain function pointers: SQLitePCL's own calls take the statement as a SafeHandle, and counting
/// its references on every bind, step and column read was ~3% of the single writer's time (docs/benchmarks.md).
/// Statements are owned by one <see cref="PreparedStatements"/> and finalised by it, so nothing here needs a handle.
/// </remarks>
internal static unsafe class SqliteLibrary
{
    public const int Ok = 0, RowReady = 100, Done = 101;
    public const int Integer = 1, Float = 2, Text = 3, Blob = 4, Null = 5;
    public const uint PreparePersistent = 0x01;

    /// <summary>SQLITE_TRANSIENT: SQLite copies what it is given before the bind returns.</summary>
    public static readonly nint Transient = -1;

    private static readonly nint Library = NativeLibrary.TryLoad("e_sqlite3", typeof(SQLitePCL.raw).Assembly, null, out var library) ? library : 0;

    /// <summary>The address of one of SQLite's functions, or 0 when the library or the function is not there.</summary>
    public static nint Export(string name) => Library != 0 && NativeLibrary.TryGetExport(Library, name, out var f) ? f : 0;

    /// <summary>sqlite3_busy_handler (null when not there): how a connection waits for a lock another holds.</summary>
    public static readonly delegate* unmanaged<nint, delegate* unmanaged<nint, int, int>, nint, int> BusyHandler =
        (delegate* unmanaged<nint, delegate* unmanaged<nint, int, int>, nint, int>)Export("sqlite3_busy_handler");

    /// <summary>Whether every function below was found (otherwise statements run through Microsoft.Data.Sqlite).</summary>
    public static readonly bool Available;

    public static readonly delegate* unmanaged<nint, byte*, int, uint, nint*, byte**, int> Prepare;
    public static readonly delegate* unmanaged<nint, int> FinalizeStatement;
    public static readonly delegate* unmanaged<nint, int> Reset;
    public static readonly delegate* unmanaged<nint, int> Step;
    public static readonly delegate* unmanaged<nint, int> ParameterCount;
    public static readonly delegate* unmanaged<nint, int, byte*> ParameterName;
    public static readonly delegate* unmanaged<nint, int, int> BindNull;
    public static readonly delegate* unmanaged<nint, int, long, int> BindInt64;
    public static readonly delegate* unmanaged<nint, int, double, int> BindDouble;
    public static readonly delegate* unmanaged<nint, int, byte*, int, nint, int> BindText;
    public static readonly delegate* unmanaged<nint, int, byte*, int, nint, int> BindBlob;
    public static readonly delegate* unmanaged<nint, int> ColumnCount;
    public static readonly delegate* unmanaged<nint, int, int> ColumnType;
    public static readonly delegate* unmanaged<nint, int, long> ColumnInt64;
    public static readonly delegate* unmanaged<nint, int, double> ColumnDouble;
    public static readonly delegate* unmanaged<nint, int, byte*> ColumnText;
    public static readonly delegate* unmanaged<nint, int, byte*> ColumnBlob;
    public static readonly delegate* unmanaged<nint, int, int> ColumnBytes;
    public static readonly delegate* unmanaged<nint, int, byte*> ColumnName;
    public static readonly delegate* unmanaged<nint, int, byte*> ColumnDeclaredType;
    public static readonly delegate* unmanaged<nint, int> ReadOnly;
    public static readonly delegate* unmanaged<nint, int> Changes;

    static SqliteLibrary()
    {
        nint[] f =
        [
            Export("sqlite3_prepare_v3"), Export("sqlite3_finalize"), Export("sqlite3_reset"), Export("sqlite3_step"),
            Export("sqlite3_bind_parameter_count"), Export("sqlite3_bind_parameter_name"), Export("sqlite3_bind_null"),
            Export("sqlite3_bind_int64"), Export("sqlite3_bind_double"), Export("sqlite3_bind_text"), Export("sqlite3_bind_blob"),
            Export("sqlite3_column_count"), Export("sqlite3_column_type"), Export("sqlite3_column_int64"),
            Export("sqlite3_column_double"), Export("sqlite3_column_text"), Export("sqlite3_column_blob"),
            Export("sqlite3_column_bytes"), Export("sqlite3_column_name"), Export("sqlite3_column_decltype"),
            Export("sqlite3_stmt_readonly"), Export("sqlite3_changes"),
        ];
        if (Array.IndexOf(f, (nint)0) >= 0) return;
        Prepare = (delegate* unmanaged<nint, byte*, int, uint, nint*, byte**, int>)f[0];
        FinalizeStatement = (delegate* unmanaged<nint, int>)f[1];
        Reset = (delegate* unmanaged<nint, int>)f[2];
        Step = (delegate* unmanaged<nint, int>)f[3];
        ParameterCount = (delegate* unmanaged<nint, int>)f[4];
        ParameterName = (delegate* unmanaged<nint, int, byte*>)f[5];
        BindNull = (delegate* unmanaged<nint, int, int>)f[6];
        BindInt64 = (delegate* unmanaged<nint, int, long, int>)f[7];
        BindDouble = (delegate* unmanaged<nint, int, double, int>)f[8];
        BindText = (delegate* unmanaged<nint, int, byte*, int, nint, int>)f[9];
        BindBlob = (delegate* unmanaged<nint, int, byte*, int, nint, int>)f[10];
        ColumnCount = (delegate* unmanaged<nint, int>)f[11];
        ColumnType = (delegate* unmanaged<nint, int, int>)f[12];
        ColumnInt64 = (delegate* unmanaged<nint, int, long>)f[13];
        ColumnDouble = (delegate* unmanaged<nint, int, double>)f[14];
        ColumnText = (delegate* unmanaged<nint, int, byte*>)f[15];
        ColumnBlob = (delegate* unmanaged<nint, int, byte*>)f[16];
        ColumnBytes = (delegate* unmanaged<nint, int, int>)f[17];
        ColumnName = (delegate* unmanaged<nint, int, byte*>)f[18];
        ColumnDeclaredType = (delegate* unmanaged<nint, int, byte*>)f[19];
        ReadOnly = (delegate* unmanaged<nint, int>)f[20];
        Changes = (delegate* unmanaged<nint, int>)f[21];
        Available = true;
    }

    /// <summary>A zero-terminated UTF-8 string of SQLite's as a .NET string (null for a null pointer).</summary>
    public static string? Utf8(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((nint)text);
}
