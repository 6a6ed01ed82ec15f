using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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

    private const string Columns = "channel_id AS ChannelId, user_id AS UserId, verb AS Verb, step AS Step, values_json AS ValuesJson, updated_at AS UpdatedAt, greeted_at AS GreetedAt";

    private static readonly DialectSql Select = DialectSql.Both($"SELECT {Columns} FROM chat_dialogs WHERE dialog_key = @Key");

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

    /// <summary>The user's row, or null for someone the bot has never met.</summary>
    public static async Task<DialogRecord?> LoadAsync(Session s, string channelId, string userId)
    {
        var row = await s.FirstOrDefaultAsync<Row>(Select, new { Key = KeyOf(channelId, userId) });
        if (row is null) return null;
        DialogState? state = null;
        if (row.Verb is { } verbText && Enum.TryParse<Verb>(verbText, out var verb) && row.Step is { } step)
        {
            var values = row.ValuesJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(row.ValuesJson);
            state = new DialogState(verb, step, values ?? []);
        }
        return new DialogRecord(row.ChannelId, row.UserId, state, row.UpdatedAt, row.GreetedAt);
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

    /// <summary>A fixed-length key; each part is length-prefixed so ("a:b", "c") and ("a", "b:c") differ.</summary>
    internal static string KeyOf(string channelId, string userId)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{channelId.Length}:{channelId}\n{userId.Length}:{userId}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private sealed class Row
    {
        public string ChannelId { get; set; } = "";
        public string UserId { get; set; } = "";
        public string? Verb { get; set; }
        public string? Step { get; set; }
        public string? ValuesJson { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }
        public DateTimeOffset GreetedAt { get; set; }
    }
}
