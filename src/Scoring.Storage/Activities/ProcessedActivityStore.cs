namespace Scoring.Storage.Activities;

/// <summary>Identifies an inbound activity across re-deliveries (A2033: channels may send one twice).</summary>
public sealed record ProcessedActivityKey(string ChannelId, string ConversationId, string ActivityId)
{
    // Read-only (no `with`), so the hash, made once and part of the record's equality, always matches the parts.
    public string ChannelId { get; } = ChannelId;
    public string ConversationId { get; } = ConversationId;
    public string ActivityId { get; } = ActivityId;

    /// <summary>The key as stored: <see cref="CompositeKey.Of"/> of the three parts (a chat turn's ledger source reuses it).</summary>
    public string Hash { get; } = CompositeKey.Of(ChannelId, ConversationId, ActivityId);
}

/// <summary>
/// The inbound activities already handled and the replies they got. The conversation layer records
/// an activity in the same transaction as its effect, so a re-delivered activity changes nothing
/// and is answered with the stored replies.
/// </summary>
public sealed class ProcessedActivityStore(Database database, TimeProvider time)
{
    private static readonly DialectSql Find = DialectSql.Both(
        "SELECT replies_json FROM bot_processed_activity WHERE activity_key = @Key");

    // Insert-if-absent: the caller learns from the row count that another turn got there first.
    private static readonly DialectSql Record = new(
        Sqlite:
            "INSERT INTO bot_processed_activity (activity_key, channel_id, conversation_id, activity_id, replies_json, processed_at) " +
            "VALUES (@Key, @ChannelId, @ConversationId, @ActivityId, @RepliesJson, @ProcessedAt) " +
            "ON CONFLICT (activity_key) DO NOTHING",
        SqlServer:
            "INSERT INTO bot_processed_activity (activity_key, channel_id, conversation_id, activity_id, replies_json, processed_at) " +
            "SELECT @Key, @ChannelId, @ConversationId, @ActivityId, @RepliesJson, @ProcessedAt " +
            "WHERE NOT EXISTS (SELECT 1 FROM bot_processed_activity WITH (UPDLOCK, HOLDLOCK) WHERE activity_key = @Key)");

    private static readonly DialectSql Purge = DialectSql.Both(
        "DELETE FROM bot_processed_activity WHERE processed_at < @Before");

    /// <summary>The replies stored for an activity already handled, or null if it is new.</summary>
    public Task<string?> TryGetAsync(ProcessedActivityKey key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return database.ReadAsync(session => session.FirstOrDefaultAsync<string?>(Find, new { Key = key.Hash }), ct);
    }

    /// <inheritdoc cref="TryGetAsync(ProcessedActivityKey, CancellationToken)"/>
    public Task<string?> TryGetAsync(Session session, ProcessedActivityKey key)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(key);
        return session.FirstOrDefaultAsync<string?>(Find, new { Key = key.Hash });
    }


    /// <summary>
    /// Records the activity and its replies in the caller's transaction. False when it was already
    /// recorded: the caller should roll back its effect and answer with the stored replies.
    /// </summary>
    public async Task<bool> RecordAsync(Session session, ProcessedActivityKey key, string repliesJson)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(repliesJson);
        var inserted = await session.ExecuteAsync(Record, new
        {
            Key = key.Hash,
            key.ChannelId,
            key.ConversationId,
            key.ActivityId,
            RepliesJson = repliesJson,
            ProcessedAt = time.GetUtcNow(),
        });
        return inserted == 1;
    }


    /// <summary>Forgets activities handled before <paramref name="before"/>; channels re-deliver within minutes, not weeks.</summary>
    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken ct = default) =>
        database.WriteAsync(session => session.ExecuteAsync(Purge, new { Before = before }), ct);
}
