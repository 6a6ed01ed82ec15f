using System.Data.Common;
using Dapper;

namespace Scoring.Storage;

/// <summary>A connection (and, for writes, its transaction) that speaks the configured dialect.</summary>
public sealed record Session(DbConnection Connection, DbTransaction? Transaction, StorageProvider Provider, CancellationToken CancellationToken)
{
    /// <summary>Short-lived copies of streets and rule sets (none in sessions made outside a <see cref="Database"/>).</summary>
    public ReferenceCache? Cache { get; init; }

    private CommandDefinition Command(DialectSql sql, object? args) => new(sql.For(Provider), args, Transaction, cancellationToken: CancellationToken);

    public Task<IEnumerable<T>> QueryAsync<T>(DialectSql sql, object? args = null) => Connection.QueryAsync<T>(Command(sql, args));
    public Task<T?> FirstOrDefaultAsync<T>(DialectSql sql, object? args = null) => Connection.QueryFirstOrDefaultAsync<T>(Command(sql, args));
    public Task<T?> ScalarAsync<T>(DialectSql sql, object? args = null) => Connection.ExecuteScalarAsync<T>(Command(sql, args));
    public Task<int> ExecuteAsync(DialectSql sql, object? args = null) => Connection.ExecuteAsync(Command(sql, args));
}
