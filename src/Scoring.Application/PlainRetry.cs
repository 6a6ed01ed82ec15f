namespace Scoring.Application;

/// <summary>
/// A request of a fixed-contract route sent again without an <c>Idempotency-Key</c> (its answer was lost, a button
/// pressed twice): the same person's same request within <see cref="Window"/> is taken for the first one and answered
/// as it was, where the domain can tell them apart by what the client sees. A client that means a second one alike
/// sends a key of its own (each key is a request), or sends it after the window.
/// </summary>
public static class PlainRetry
{
    /// <summary>
    /// How long after the first a copy without a key is still that request: clients retry a lost answer within seconds,
    /// a minute at most; two payments or codes alike asked for by one person within two minutes are far more often one
    /// sent twice than two.
    /// </summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether something done <paramref name="at"/> is within the window of a copy arriving <paramref name="now"/>: after
    /// now − <see cref="Window"/>, up to now. One boundary for every plain retry (a redemption, a code, a rule set version).
    /// </summary>
    public static bool Covers(DateTimeOffset at, DateTimeOffset now) => at > now - Window && at <= now;
}
