using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Scoring.Storage;

/// <summary>Opens connections to the configured database, set up the way Scoring needs them.</summary>
public sealed class Database(StorageProvider provider, string connectionString)
{
    public StorageProvider Provider { get; } = provider;
    public string ConnectionString { get; } = connectionString;

    public string Sql(DialectSql sql) => sql.For(Provider);

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection connection = Provider == StorageProvider.SqlServer
            ? new SqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        if (Provider == StorageProvider.Sqlite)
        {
            await using var pragma = connection.CreateCommand();
            // WAL lets readers run beside the writer; FULL makes acknowledged ledger writes survive power loss;
            // busy_timeout waits for the lock instead of Microsoft.Data.Sqlite's ~150 ms retry sleeps.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA wal_autocheckpoint=250;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        return connection;
    }
}
