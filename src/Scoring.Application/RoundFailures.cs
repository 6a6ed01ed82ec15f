using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Scoring.Application;

/// <summary>
/// How a background round's failures are logged, so that one failing every minute for days can be diagnosed from the log:
/// which step failed, the exception chain's types, the database's error code (SQLite's 5 busy, 11 corrupt, 13 full, 19 a
/// constraint; SQL Server's error number), how many rounds in a row have failed and since when, the stack traces when they
/// first appear or change, and a line when the work succeeds again. Never an exception's message: a database's can quote a
/// row's values (a phone, a name), as the request path's errors are logged (Errors.cs).
/// One per kind of work (a leased worker, a street's missed rounds), its rounds run one after another.
/// </summary>
public sealed class RoundFailures(string work, TimeProvider time, ILogger log, TimeSpan retryIn)
{
    private readonly Lock _lock = new();
    private string _step = "round";
    private int _inARow;
    private DateTimeOffset _since;
    private string? _lastStack;

    /// <summary>The step about to run, which a failure names; set before each step (no work, no allocation).</summary>
    public void Step(string name) => _step = name;

    /// <summary>Logs a failed round: the step it failed in, what failed and how often in a row; the stack traces when they changed.</summary>
    public void Failed(Exception e)
    {
        int inARow;
        DateTimeOffset since;
        bool newStack;
        var stack = StackOf(e);
        lock (_lock)
        {
            if (_inARow++ == 0) _since = time.GetUtcNow();
            (inARow, since) = (_inARow, _since);
            newStack = stack != _lastStack;
            _lastStack = stack;
        }
        var types = string.Join(" <- ", Chain(e).Select(x => x.GetType().FullName));
        var code = ErrorCodeOf(e);
        var trace = newStack ? Environment.NewLine + stack : "";
        if (code is { } number)
            log.LogWarning("{Work}: the {Step} step failed ({ExceptionType}, error {ErrorCode}), {Failures} rounds in a row since {Since:u}; retrying in {RetryIn}{StackTrace}",
                work, _step, types, number, inARow, since, retryIn, trace);
        else
            log.LogWarning("{Work}: the {Step} step failed ({ExceptionType}), {Failures} rounds in a row since {Since:u}; retrying in {RetryIn}{StackTrace}",
                work, _step, types, inARow, since, retryIn, trace);
    }

    /// <summary>A round that did its work: after failures, one line saying the work is done again.</summary>
    public void Succeeded()
    {
        int failed;
        DateTimeOffset since;
        lock (_lock)
        {
            if (_inARow == 0) return;
            (failed, since) = (_inARow, _since);
            (_inARow, _lastStack) = (0, null);
        }
        log.LogInformation("{Work} works again after {Failures} failed round(s) since {Since:u}", work, failed, since);
    }

    /// <summary>The database's own code for the first database error of the chain: what tells busy from full from a constraint.</summary>
    public static int? ErrorCodeOf(Exception e) => Chain(e).OfType<DbException>().FirstOrDefault() switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode,
        SqlException sql => sql.Number,
        DbException other => other.ErrorCode,
        _ => null,
    };

    private static string StackOf(Exception e) =>
        string.Join(Environment.NewLine + "--- inner ---" + Environment.NewLine, Chain(e).Select(x => x.StackTrace));

    /// <summary>An exception and its inner ones, outermost first (all of an aggregate's).</summary>
    private static IEnumerable<Exception> Chain(Exception e)
    {
        yield return e;
        var inner = e is AggregateException all ? all.InnerExceptions : e.InnerException is { } one ? [one] : (IReadOnlyList<Exception>)[];
        foreach (var x in inner.SelectMany(Chain)) yield return x;
    }
}
