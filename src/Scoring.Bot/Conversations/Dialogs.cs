using System.Text.Json;
using Scoring.Storage;

namespace Scoring.Bot.Conversations;

/// <summary>
/// Where a chat user stands in a guided report: the command, the step the bot asked for, and what was
/// already given (tenant id, arrival text…). Empty when nothing is under way.
/// </summary>
public sealed record DialogState(Verb Verb, string Step, IReadOnlyDictionary<string, string> Values)
{
    public string? this[string slot] => Values.TryGetValue(slot, out var v) ? v : null;

    public DialogState With(string slot, string value) =>
        this with { Values = new Dictionary<string, string>(Values) { [slot] = value } };
}

/// <summary>A chat user's row: their dialog (if any), when it last moved, and when they were greeted.</summary>
public sealed record DialogRecord(string ChannelId, string UserId, DialogState? State, DateTimeOffset UpdatedAt, DateTimeOffset GreetedAt);

/// <summary>
/// The guided-step state of each chat user (channel + user), in the database so a restart or a second
/// instance picks up where the user left off. A dialog idle for <see cref="IdleLimit"/> is forgotten.
/// </summary>
public static class Dialogs
{
    public static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long what a dropped dialog was given (names, times, notes) is kept: the idle limit, and as long again for an
    /// instance whose clock lags to finish a turn on it. Only the values go; the step stays, so its writer is still told
    /// it was dropped.
    /// </summary>
    public static readonly TimeSpan KeepDropped = IdleLimit * 2;

    // A turn's start in one statement: who writes (bound or not) and their row, each of which may be missing.
    private const string TurnColumns =
        $"SELECT {PeopleStore.ChatPersonColumns}, {PeopleStore.ChatMoreRecordsColumn}, d.verb AS Verb, d.step AS Step, d.values_json AS ValuesJson, d.updated_at AS UpdatedAt, d.greeted_at AS GreetedAt " +
        "FROM (SELECT 1 AS one) one ";
    private const string TurnDialog = "LEFT JOIN chat_dialogs d ON d.dialog_key = @key";
    private static readonly DialectSql SelectTurn = new(
        $"{TurnColumns}LEFT JOIN chat_accounts a ON a.channel_id = @channelId AND a.user_id = @userId {PeopleStore.ChatPersonJoins} {TurnDialog}",
        $"{TurnColumns}LEFT JOIN chat_accounts a ON a.channel_id = @channelId AND a.user_key = {PeopleStore.SqlServerUserKeyOfUserId} {PeopleStore.ChatPersonJoins} {TurnDialog}");

    private static readonly DialectSql Upsert = new(
        Sqlite:
            "INSERT INTO chat_dialogs (dialog_key, channel_id, user_id, verb, step, values_json, updated_at, greeted_at) " +
            "VALUES (@Key, @ChannelId, @UserId, @Verb, @Step, @ValuesJson, @UpdatedAt, @GreetedAt) " +
            "ON CONFLICT (dialog_key) DO UPDATE SET verb = excluded.verb, step = excluded.step, values_json = excluded.values_json, " +
            "updated_at = excluded.updated_at, greeted_at = excluded.greeted_at",
        SqlServer:
            "UPDATE chat_dialogs WITH (UPDLOCK, SERIALIZABLE) SET verb = @Verb, step = @Step, values_json = @ValuesJson, updated_at = @UpdatedAt, greeted_at = @GreetedAt " +
            "WHERE dialog_key = @Key; " +
            "IF @@ROWCOUNT = 0 " +
            "INSERT INTO chat_dialogs (dialog_key, channel_id, user_id, verb, step, values_json, updated_at, greeted_at) " +
            "VALUES (@Key, @ChannelId, @UserId, @Verb, @Step, @ValuesJson, @UpdatedAt, @GreetedAt);");

    private static readonly DialectSql ForgetDroppedSql = DialectSql.Both(
        "UPDATE chat_dialogs SET values_json = NULL WHERE values_json IS NOT NULL AND updated_at < @before");

    // A stranger's row, once their conversation reference is gone too (ForgetUnbound, same period): a known user's message
    // with nothing under way writes no dialog row, so its updated_at alone would forget, and greet again, one still writing.
    // The reference is keyed as the dialog is (CompositeKey of channel and user: KeyOf).
    private static readonly DialectSql ForgetStrangersSql = new(
        "DELETE FROM chat_dialogs WHERE updated_at < @before " +
        "AND NOT EXISTS (SELECT 1 FROM bot_conversation_reference r WHERE r.reference_key = chat_dialogs.dialog_key) " +
        "AND NOT EXISTS (SELECT 1 FROM chat_accounts a WHERE a.channel_id = chat_dialogs.channel_id AND a.user_id = chat_dialogs.user_id)",
        "DELETE FROM chat_dialogs WHERE updated_at < @before " +
        "AND NOT EXISTS (SELECT 1 FROM bot_conversation_reference r WHERE r.reference_key = chat_dialogs.dialog_key) " +
        $"AND NOT EXISTS (SELECT 1 FROM chat_accounts a WHERE a.channel_id = chat_dialogs.channel_id AND a.user_key = {PeopleStore.SqlServerUserKey("chat_dialogs.user_id")})");

    /// <summary>
    /// What a turn starts from, read together: the person the chat account is bound to (null if unbound) and the
    /// user's row (null for someone the bot has never met).
    /// </summary>
    public static async Task<(ChatPerson? Person, DialogRecord? Record)> LoadTurnAsync(Session s, string channelId, string userId)
    {
        var row = (await s.FirstOrDefaultAsync<TurnRow>(SelectTurn, new { channelId, userId, key = KeyOf(channelId, userId) }))!;
        var record = row is { UpdatedAt: { } updated, GreetedAt: { } greeted }
            ? ToRecord(channelId, userId, row.Verb, row.Step, row.ValuesJson, updated, greeted)
            : null;
        return (await s.WithMoreRecordsAsync(channelId, userId, row.ToPerson()), record);
    }

    private static DialogRecord ToRecord(string channelId, string userId, string? verbText, string? step, string? valuesJson,
        DateTimeOffset updatedAt, DateTimeOffset greetedAt)
    {
        DialogState? state = null;
        if (verbText is not null && Enum.TryParse<Verb>(verbText, out var verb) && step is not null)
        {
            var values = valuesJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(valuesJson);
            state = new DialogState(verb, step, values ?? []);
        }
        return new DialogRecord(channelId, userId, state, updatedAt, greetedAt);
    }

    /// <summary>The dialog under way, unless it has been idle too long.</summary>
    public static DialogState? Current(DialogRecord? record, DateTimeOffset now) =>
        record?.State is { } state && now - record.UpdatedAt <= IdleLimit ? state : null;

    public static Task SaveAsync(Session s, DialogRecord record) => s.ExecuteAsync(Upsert, new
    {
        Key = KeyOf(record.ChannelId, record.UserId),
        record.ChannelId,
        record.UserId,
        Verb = record.State?.Verb.ToString(),
        record.State?.Step,
        ValuesJson = record.State is null ? null : JsonSerializer.Serialize(record.State.Values),
        record.UpdatedAt,
        record.GreetedAt,
    });

    /// <summary>Forgets what dialogs idle since before <paramref name="before"/> were given (see <see cref="KeepDropped"/>).</summary>
    public static Task<int> ForgetDroppedAsync(Session s, DateTimeOffset before) => s.ExecuteAsync(ForgetDroppedSql, new { before });

    /// <summary>
    /// Forgets the rows of chat users nobody bound who have been silent since before <paramref name="before"/> and whose
    /// conversation reference is forgotten already: nothing needs them (their next message greets them again).
    /// </summary>
    public static Task<int> ForgetStrangersAsync(Session s, DateTimeOffset before) => s.ExecuteAsync(ForgetStrangersSql, new { before });

    /// <summary>
    /// A fixed-length key; each part is length-prefixed so ("a:b", "c") and ("a", "b:c") differ. The conversation
    /// reference's key (and the erasure's) is the same, which <see cref="ForgetStrangersAsync"/> joins on.
    /// </summary>
    internal static string KeyOf(string channelId, string userId) => CompositeKey.Of(channelId, userId);

    private sealed class TurnRow : ChatPersonRow
    {
        public string? Verb { get; set; }
        public string? Step { get; set; }
        public string? ValuesJson { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        public DateTimeOffset? GreetedAt { get; set; }
    }
}
