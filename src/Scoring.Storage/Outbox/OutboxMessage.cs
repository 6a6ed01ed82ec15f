namespace Scoring.Storage.Outbox;

/// <summary>An activity to send to a conversation, as the caller hands it to the outbox.</summary>
/// <param name="ReplyToId">The inbound activity this answers; null for a proactive message.</param>
/// <param name="ActivityJson">The activity exactly as it goes on the wire.</param>
public sealed record OutgoingActivity(
    string ServiceUrl,
    string ChannelId,
    string ConversationId,
    string? ReplyToId,
    string ActivityJson)
{
    /// <summary>Messages with the same key leave one at a time, in the order they were enqueued.</summary>
    public string ConversationKey => CompositeKey.Of(ChannelId, ConversationId);
}

/// <summary>One stored outbox row; <paramref name="Sequence"/> is the enqueue order.</summary>
/// <param name="PacedBy">The sender that last put it off to a moment its host's schedule gave it (and counted); null when its moment is a retry's.</param>
/// <param name="ThrottledSince">When the channel began answering this message 429; null once anything else came of it.</param>
public sealed record OutboxMessage(
    long Sequence,
    string Id,
    string ConversationKey,
    string ServiceUrl,
    string ChannelId,
    string ConversationId,
    string? ReplyToId,
    string ActivityJson,
    DateTimeOffset CreatedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LeaseOwner,
    DateTimeOffset? LeaseUntil,
    DateTimeOffset? SentAt,
    DateTimeOffset? DeadLetteredAt,
    string? LastError,
    DateTimeOffset? ThrottledSince = null,
    string? PacedBy = null);

/// <summary>The outbox at a glance: messages waiting (neither sent nor dead-lettered), the oldest one's enqueue time, and the dead letters.</summary>
public sealed record OutboxFigures(int Waiting, DateTimeOffset? OldestWaitingSince, int DeadLetters);
