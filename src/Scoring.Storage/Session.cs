using System.Data.Common;
using Dapper;

namespace Scoring.Storage;

/// <summary>A connection (and, for writes, its transaction) that speaks the configured dialect.</summary>
public sealed record Session(DbConnection Connection, DbTransaction? Transaction, StorageProvider Provider, CancellationToken CancellationToken)
{
    /// <summary>Short-lived copies of streets and rule sets (none in sessions made outside a <see cref="Database"/>).</summary>
    public ReferenceCache? Cache { get; init; }

    /// <summary>The statements this session's (long-lived SQLite) connection keeps prepared; null runs everything through Dapper.</summary>
    public PreparedStatements? Statements { get; init; }

    private CommandDefinition Command(DialectSql sql, object? args) => new(sql.For(Provider), args, Transaction, cancellationToken: CancellationToken);

    // SQLite's calls are synchronous underneath Microsoft.Data.Sqlite's async methods anyway.
    private PreparedStatements? Prepared(object? args)
    {
        if (Statements is null || !PreparedStatements.CanBind(args)) return null;
        CancellationToken.ThrowIfCancellationRequested();
        return Statements;
    }

    public Task<IEnumerable<T>> QueryAsync<T>(DialectSql sql, object? args = null) =>
        Prepared(args) is { } p ? Task.FromResult<IEnumerable<T>>(p.Query<T>(sql, args, Transaction)) : Connection.QueryAsync<T>(Command(sql, args));
    public Task<T?> FirstOrDefaultAsync<T>(DialectSql sql, object? args = null) =>
        Prepared(args) is { } p ? Task.FromResult(p.FirstOrDefault<T>(sql, args, Transaction)) : Connection.QueryFirstOrDefaultAsync<T>(Command(sql, args));
    public Task<T?> ScalarAsync<T>(DialectSql sql, object? args = null) =>
        Prepared(args) is { } p ? Task.FromResult(p.Scalar<T>(sql, args, Transaction)) : Connection.ExecuteScalarAsync<T>(Command(sql, args));
    /// <summary>Marks a savepoint in the session's transaction (see <see cref="ReleaseAsync"/>, <see cref="RollbackToAsync"/>).</summary>
    public Task SaveAsync(string savepoint) => SavepointAsync(SavepointStep.Save, savepoint);

    /// <summary>Forgets a savepoint, keeping what was done since it.</summary>
    public Task ReleaseAsync(string savepoint) => SavepointAsync(SavepointStep.Release, savepoint);

    /// <summary>Undoes what was done since a savepoint; the savepoint stays until released.</summary>
    public Task RollbackToAsync(string savepoint) => SavepointAsync(SavepointStep.RollbackTo, savepoint);

    private Task SavepointAsync(SavepointStep step, string savepoint)
    {
        var tx = Transaction ?? throw new InvalidOperationException("Savepoints need a transaction.");
        if (Statements is { } prepared)
        {
            prepared.Savepoint(step, savepoint, tx);
            return Task.CompletedTask;
        }
        return step switch
        {
            SavepointStep.Save => tx.SaveAsync(savepoint, CancellationToken),
            SavepointStep.Release => tx.ReleaseAsync(savepoint, CancellationToken),
            _ => tx.RollbackAsync(savepoint, CancellationToken),
        };
    }

    public Task<int> ExecuteAsync(DialectSql sql, object? args = null) =>
        Prepared(args) is { } p ? Task.FromResult(p.Execute(sql, args, Transaction)) : Connection.ExecuteAsync(Command(sql, args));
}
