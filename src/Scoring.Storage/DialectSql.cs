namespace Scoring.Storage;

/// <summary>The two database engines Scoring runs on.</summary>
public enum StorageProvider { Sqlite, SqlServer }

/// <summary>
/// One SQL statement in both dialects. Every statement the service runs is a static
/// <see cref="DialectSql"/> field, so a test can find and parse all the SQL Server text.
/// </summary>
public sealed record DialectSql(string Sqlite, string SqlServer)
{
    /// <summary>A statement that reads the same in both dialects.</summary>
    public static DialectSql Both(string sql) => new(sql, sql);

    public string For(StorageProvider provider) => provider == StorageProvider.SqlServer ? SqlServer : Sqlite;
}
