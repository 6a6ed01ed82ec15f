namespace Scoring.Bot.Connector;

/// <summary>The <c>Bot:Connector</c> section: how hard one send tries before the outbox takes over.</summary>
public sealed class ConnectorOptions
{
    public const string Section = "Bot:Connector";

    /// <summary>One HTTP attempt is abandoned after this long.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>All attempts of one send together; must stay below the outbox lease.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Quick retries within one send; longer waits are the outbox's job.</summary>
    public int MaxRetryAttempts { get; set; } = 2;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A Retry-After longer than this is not waited out inside the send: the failure goes back to
    /// the outbox, which schedules the next attempt at that time.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}
