using System.Runtime.CompilerServices;

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
/// and is answered with the stored replies. On SQL Server the records are found through a unique index of their keys;
/// on SQLite through <see cref="ProcessedActivityIndex"/>, one per database.
/// </summary>
public sealed class ProcessedActivityStore(Database database, TimeProvider time)
{
    private static readonly ConditionalWeakTable<Database, ProcessedActivityIndex> Indexes = new();

    // How SQL Server finds a record; SQLite uses its index instead, and this only when two keys share a fingerprint.
    internal static readonly DialectSql Find = DialectSql.Both(
        "SELECT replies_json FROM bot_processed_activity WHERE activity_key = @Key");

    // A record's columns, and the values RowOf gives them: how both ways of recording (this and the SQLite index) insert.
    internal const string InsertRecord =
        "INSERT INTO bot_processed_activity (activity_key, channel_id, conversation_id, activity_id, replies_json, processed_at) ";

    internal static object RowOf(ProcessedActivityKey key, string repliesJson, DateTimeOffset processedAt) =>
        new { Key = key.Hash, key.ChannelId, key.ConversationId, key.ActivityId, RepliesJson = repliesJson, ProcessedAt = processedAt };

    /// <summary>The same row with the replies bound from their UTF-8 bytes (SQLite's native statements).</summary>
    internal static object RowOf(ProcessedActivityKey key, Utf8Text repliesJson, DateTimeOffset processedAt) =>
        new { Key = key.Hash, key.ChannelId, key.ConversationId, key.ActivityId, RepliesJson = repliesJson, ProcessedAt = processedAt };

    // Insert-if-absent: the caller learns from the row count that another turn got there first. Run on SQL Server only:
    // SQLite records through its index (the SQLite text is what it would be there).
    private static readonly DialectSql Record = new(
        Sqlite:
            InsertRecord + "SELECT @Key, @ChannelId, @ConversationId, @ActivityId, @RepliesJson, @ProcessedAt " +
            "WHERE NOT EXISTS (SELECT 1 FROM bot_processed_activity WHERE activity_key = @Key)",
        SqlServer:
            InsertRecord + "SELECT @Key, @ChannelId, @ConversationId, @ActivityId, @RepliesJson, @ProcessedAt " +
            "WHERE NOT EXISTS (SELECT 1 FROM bot_processed_activity WITH (UPDLOCK, HOLDLOCK) WHERE activity_key = @Key)");

    private static readonly DialectSql Purge = DialectSql.Both(
        "DELETE FROM bot_processed_activity WHERE processed_at < @Before");

    private readonly ProcessedActivityIndex? _index =
        database.Provider == StorageProvider.Sqlite ? Indexes.GetValue(database, _ => new ProcessedActivityIndex()) : null;

    /// <summary>The replies stored for an activity already handled, or null if it is new.</summary>
    public async Task<string?> TryGetAsync(ProcessedActivityKey key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_index is null) return await database.ReadAsync(session => session.FirstOrDefaultAsync<string?>(Find, new { Key = key.Hash }), ct);
        // A reader knows the records this instance has seen; only the writer can tell that a key is new (it reads what
        // other instances recorded since, and the keys at all at first).
        return await database.ReadAsync(session => _index.FindKnownAsync(session, key.Hash), ct)
            ?? await database.WriteAsync(session => _index.FindAsync(session, key.Hash), ct);
    }

    /// <inheritdoc cref="TryGetAsync(ProcessedActivityKey, CancellationToken)"/>
    public Task<string?> TryGetAsync(Session session, ProcessedActivityKey key)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(key);
        return _index is null
            ? session.FirstOrDefaultAsync<string?>(Find, new { Key = key.Hash })
            : _index.FindAsync(session, key.Hash);
    }

    /// <summary>
    /// Records the activity and its replies in the caller's transaction. False when it was already
    /// recorded: the caller should roll back its effect and answer with the stored replies.
    /// </summary>
    public Task<bool> RecordAsync(Session session, ProcessedActivityKey key, string repliesJson)
    {
        ArgumentNullException.ThrowIfNull(repliesJson);
        return RecordAsync(session, key, Utf8Text.Of(repliesJson));
    }

    /// <inheritdoc cref="RecordAsync(Session, ProcessedActivityKey, string)"/>
    public async Task<bool> RecordAsync(Session session, ProcessedActivityKey key, Utf8Text repliesJson)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(repliesJson);
        if (_index is not null) return await _index.RecordAsync(session, key, repliesJson, time.GetUtcNow());
        return await session.ExecuteAsync(Record, RowOf(key, repliesJson.ToString(), time.GetUtcNow())) == 1;
    }

    /// <summary>Forgets activities handled before <paramref name="before"/>; channels re-deliver within minutes, not weeks.</summary>
    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken ct = default) =>
        database.WriteAsync(async session =>
        {
            var purged = await session.ExecuteAsync(Purge, new { Before = before });
            if (_index is not null) await _index.TrimAsync(session);
            return purged;
        }, ct);
}
