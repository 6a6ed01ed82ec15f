namespace Scoring.Storage.Tests.SqlServer;

/// <summary>
/// A test that needs a real SQL Server: it runs when <c>SCORING_TEST_SQLSERVER</c> holds a connection string
/// (a login that may create and drop databases) and is skipped, saying why, when it does not.
/// </summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string Variable = "SCORING_TEST_SQLSERVER";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs ? cs : null;

    public SqlServerFactAttribute()
    {
        if (ConnectionString is null) Skip = $"{Variable} is not set: no SQL Server to test against.";
    }
}
