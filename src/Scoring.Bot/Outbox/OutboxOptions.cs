namespace Scoring.Bot.Outbox;

/// <summary>The <c>Bot:Outbox</c> section: how the background sender drains the outbox.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Bot:Outbox";

    /// <summary>How often the outbox is looked at when nobody nudges the sender.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sends in flight at once from this instance (each to a different conversation).</summary>
    public int MaxConcurrentSends { get; set; } = 16;

    /// <summary>
    /// How long a claimed message belongs to this instance; another instance may take it over
    /// afterwards (after a crash). Must outlast one whole send.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a message is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Least time between two sends to one conversation (Teams allows about 7 a second, 60 per 30 s).</summary>
    public TimeSpan MinimumGapPerConversation { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Proactive sends a second to one channel host (serviceUrl) from this instance, evenly spaced.
    /// Channels limit a bot per tenant too (Teams answers 429 past it); a 429 holds the host's sends for its Retry-After
    /// and halves this pace for a while. Replies to someone who just wrote are counted but not held.
    /// </summary>
    public double SendsPerSecondPerServiceUrl { get; set; } = 20;

    /// <summary>
    /// A message the channel keeps answering 429 is tried again when it says, without counting towards
    /// <see cref="MaxAttempts"/>, until it has waited this long since it was enqueued; then it is dead-lettered.
    /// </summary>
    public TimeSpan GiveUpThrottledAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The first retry waits about this long, doubling each time (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Sent messages are deleted after this long.</summary>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Dead letters (GET /api/admin/outbox/dead-letters) are deleted this long after they were given up on: long enough for
    /// an admin to see why the channel refused, not for ever (each names people and their points, and nothing resends them).
    /// </summary>
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a handled activity is remembered for de-duplication; at least <see cref="LeastProcessedActivityRetention"/>.</summary>
    public TimeSpan ProcessedActivityRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The shortest <see cref="ProcessedActivityRetention"/> start-up accepts: channels redeliver within minutes, a client's
    /// retry of a lost answer comes within hours; an activity redelivered once forgotten is handled (a report recorded) again.
    /// </summary>
    public static readonly TimeSpan LeastProcessedActivityRetention = TimeSpan.FromDays(1);

    /// <summary>How often sent messages, dead letters and handled activities past their retention are deleted; at least a minute.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The shortest <see cref="PurgeInterval"/> start-up accepts: each purge is three deletes on the sender's loop.</summary>
    public static readonly TimeSpan LeastPurgeInterval = TimeSpan.FromMinutes(1);
}
