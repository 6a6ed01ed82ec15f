namespace Scoring.Storage.Activities;

/// <summary>
/// Where a chat user can be reached without them writing first: the last conversation they used
/// with us, the channel's service URL (it can change) and both accounts as JSON. <see cref="UnreachableSince"/> is set
/// while it reaches nobody (the bot removed or blocked): notices skip it until the user's next activity.
/// </summary>
public sealed record ConversationReference(
    string ChannelId,
    string UserId,
    string ConversationId,
    string ServiceUrl,
    string BotAccountJson,
    string UserAccountJson,
    string? Locale,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? UnreachableSince = null);

/// <summary>The conversation references, refreshed from every inbound activity.</summary>
public sealed class ConversationReferenceStore(Database database)
{
    private const string Columns =
        "channel_id AS ChannelId, user_id AS UserId, conversation_id AS ConversationId, service_url AS ServiceUrl, " +
        "bot_account_json AS BotAccountJson, user_account_json AS UserAccountJson, locale AS Locale, updated_at AS UpdatedAt, unreachable_since AS UnreachableSince";

    // An activity without a locale (a Web Chat page's join, a reaction) keeps the language the person's notices are written in;
    // any activity of the user's says they can be reached again.
    private static readonly DialectSql Upsert = new(
        Sqlite:
            "INSERT INTO bot_conversation_reference (reference_key, channel_id, user_id, conversation_id, service_url, bot_account_json, user_account_json, locale, updated_at) " +
            "VALUES (@Key, @ChannelId, @UserId, @ConversationId, @ServiceUrl, @BotAccountJson, @UserAccountJson, @Locale, @UpdatedAt) " +
            "ON CONFLICT (reference_key) DO UPDATE SET conversation_id = excluded.conversation_id, service_url = excluded.service_url, " +
            "bot_account_json = excluded.bot_account_json, user_account_json = excluded.user_account_json, locale = COALESCE(excluded.locale, locale), updated_at = excluded.updated_at, unreachable_since = NULL",
        SqlServer:
            "UPDATE bot_conversation_reference WITH (UPDLOCK, SERIALIZABLE) SET conversation_id = @ConversationId, service_url = @ServiceUrl, " +
            "bot_account_json = @BotAccountJson, user_account_json = @UserAccountJson, locale = COALESCE(@Locale, locale), updated_at = @UpdatedAt, unreachable_since = NULL " +
            "WHERE reference_key = @Key; " +
            "IF @@ROWCOUNT = 0 " +
            "INSERT INTO bot_conversation_reference (reference_key, channel_id, user_id, conversation_id, service_url, bot_account_json, user_account_json, locale, updated_at) " +
            "VALUES (@Key, @ChannelId, @UserId, @ConversationId, @ServiceUrl, @BotAccountJson, @UserAccountJson, @Locale, @UpdatedAt);");

    // Notices go only to bound chat accounts (ChatNotices.TellAsync): a reference of nobody bound reaches nobody.
    private static readonly DialectSql ForgetUnboundSql = new(
        "DELETE FROM bot_conversation_reference WHERE updated_at < @before AND NOT EXISTS (SELECT 1 FROM chat_accounts a " +
        "WHERE a.channel_id = bot_conversation_reference.channel_id AND a.user_id = bot_conversation_reference.user_id)",
        "DELETE FROM bot_conversation_reference WHERE updated_at < @before AND NOT EXISTS (SELECT 1 FROM chat_accounts a " +
        $"WHERE a.channel_id = bot_conversation_reference.channel_id AND a.user_key = {PeopleStore.SqlServerUserKey("bot_conversation_reference.user_id")})");

    // A mark already there stays: it says since when.
    private static readonly DialectSql MarkUserUnreachable = DialectSql.Both(
        "UPDATE bot_conversation_reference SET unreachable_since = @Now WHERE reference_key = @Key AND unreachable_since IS NULL");

    // By the conversation a send was refused in (the outbox knows no user): only a reference still pointing at it is marked.
    // No index: a refusal is rare, and the table holds one row per chat user.
    private static readonly DialectSql MarkConversationUnreachable = DialectSql.Both(
        "UPDATE bot_conversation_reference SET unreachable_since = @Now " +
        "WHERE channel_id = @ChannelId AND conversation_id = @ConversationId AND unreachable_since IS NULL");

    private static readonly DialectSql Find = DialectSql.Both(
        $"SELECT {Columns} FROM bot_conversation_reference WHERE reference_key = @Key");

    public Task UpsertAsync(ConversationReference reference, CancellationToken ct = default) =>
        database.WriteAsync(session => UpsertAsync(session, reference), ct);


    public Task UpsertAsync(Session session, ConversationReference reference)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(reference);
        return session.ExecuteAsync(Upsert, new
        {
            Key = CompositeKey.Of(reference.ChannelId, reference.UserId),
            reference.ChannelId,
            reference.UserId,
            reference.ConversationId,
            reference.ServiceUrl,
            reference.BotAccountJson,
            reference.UserAccountJson,
            reference.Locale,
            reference.UpdatedAt,
        });
    }

    /// <summary>Marks a user's reference as reaching nobody (they removed the bot) from <paramref name="now"/>; false when there is none, or it was marked already.</summary>
    public async Task<bool> MarkUnreachableAsync(string channelId, string userId, DateTimeOffset now, CancellationToken ct = default) =>
        await database.WriteAsync(s => s.ExecuteAsync(MarkUserUnreachable, new { Key = CompositeKey.Of(channelId, userId), Now = now }), ct) > 0;

    /// <summary>Marks the references whose conversation a channel refused as blocked or gone; how many were marked.</summary>
    public Task<int> MarkConversationUnreachableAsync(string channelId, string conversationId, DateTimeOffset now, CancellationToken ct = default) =>
        database.WriteAsync(s => s.ExecuteAsync(MarkConversationUnreachable, new { ChannelId = channelId, ConversationId = conversationId, Now = now }), ct);

    /// <summary>The stored reference of a channel user, or null if they never wrote to us.</summary>
    public Task<ConversationReference?> FindAsync(string channelId, string userId, CancellationToken ct = default) =>
        database.ReadAsync(session => FindAsync(session, channelId, userId), ct);

    /// <summary>
    /// Forgets the references of chat users with no bound account who last wrote before <paramref name="before"/> (their
    /// id, display name and conversation): nothing would be sent by them, and their next message writes one again.
    /// </summary>
    public static Task<int> ForgetUnboundAsync(Session session, DateTimeOffset before) => session.ExecuteAsync(ForgetUnboundSql, new { before });

    /// <summary>The same, inside the caller's unit of work (notices are enqueued in the transaction of their effect).</summary>
    public static async Task<ConversationReference?> FindAsync(Session session, string channelId, string userId)
    {
        var row = await session.FirstOrDefaultAsync<Row>(Find, new { Key = CompositeKey.Of(channelId, userId) });
        return row is null ? null : new ConversationReference(row.ChannelId, row.UserId, row.ConversationId, row.ServiceUrl,
            row.BotAccountJson, row.UserAccountJson, row.Locale, row.UpdatedAt, row.UnreachableSince);
    }

    private sealed class Row
    {
        public string ChannelId { get; set; } = "";
        public string UserId { get; set; } = "";
        public string ConversationId { get; set; } = "";
        public string ServiceUrl { get; set; } = "";
        public string BotAccountJson { get; set; } = "";
        public string UserAccountJson { get; set; } = "";
        public string? Locale { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }
        public DateTimeOffset? UnreachableSince { get; set; }
    }
}
