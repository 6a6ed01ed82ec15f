using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scoring.Bot.Protocol;

/// <summary>
/// A Bot Framework activity, read tolerantly: every field is optional here (the endpoint checks
/// the required ones), and fields we do not model survive a round trip in <see cref="Extra"/>.
/// </summary>
public sealed class Activity
{
    public string? Type { get; set; }
    public string? Id { get; set; }

    [JsonConverter(typeof(LenientTimestampConverter))]
    public DateTimeOffset? Timestamp { get; set; }

    [JsonConverter(typeof(LenientTimestampConverter))]
    public DateTimeOffset? LocalTimestamp { get; set; }

    public string? LocalTimezone { get; set; }
    public string? ServiceUrl { get; set; }
    public string? ChannelId { get; set; }
    public ChannelAccount? From { get; set; }
    public ConversationAccount? Conversation { get; set; }
    public ChannelAccount? Recipient { get; set; }
    public string? TextFormat { get; set; }
    public string? AttachmentLayout { get; set; }
    public List<ChannelAccount>? MembersAdded { get; set; }
    public List<ChannelAccount>? MembersRemoved { get; set; }
    public string? Locale { get; set; }
    public string? Text { get; set; }
    public string? Speak { get; set; }
    public string? InputHint { get; set; }
    public string? Summary { get; set; }
    public SuggestedActions? SuggestedActions { get; set; }
    public List<Attachment>? Attachments { get; set; }
    public List<JsonElement>? Entities { get; set; }
    public JsonElement? ChannelData { get; set; }
    public string? ReplyToId { get; set; }
    public string? Name { get; set; }
    public JsonElement? Value { get; set; }
    public string? ValueType { get; set; }
    public JsonElement? RelatesTo { get; set; }
    public string? DeliveryMode { get; set; }

    /// <summary>Fields this model does not name, kept so nothing a channel sent is lost.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>
    /// A secret the text carries (an enrolment code) that no row may keep in clear: the reply is kept sealed
    /// (<see cref="Scoring.Bot.Turns.ReplySeal"/>). Never on the wire.
    /// </summary>
    [JsonIgnore]
    public Withheld? Withheld { get; set; }

    /// <summary>The sender asked for the replies in the HTTP response instead of through the connector.</summary>
    [JsonIgnore]
    public bool ExpectsReplies => string.Equals(DeliveryMode, DeliveryModes.ExpectReplies, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A card button (Action.Submit) arrives as a message carrying <see cref="Value"/> and usually no text.
    /// </summary>
    [JsonIgnore]
    public bool IsCardSubmit =>
        string.Equals(Type, ActivityTypes.Message, StringComparison.OrdinalIgnoreCase)
        && Value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined }
        && string.IsNullOrEmpty(Text);

    /// <summary>
    /// The text without the bot's own @mention: in a group chat or channel (Teams, Slack…) a message addressed to the bot
    /// carries <c>&lt;at&gt;Bot&lt;/at&gt;</c> in its text, named by a <c>mention</c> entity whose <c>mentioned.id</c>
    /// is the recipient. Other people's mentions stay.
    /// </summary>
    /// <remarks>
    /// A leading <c>@</c> and the bot's name (or id) as people type it where the channel adds no entity (「@Scoring 榜单」 in a
    /// Telegram group) is dropped too, with the comma or colon after it.
    /// </remarks>
    [JsonIgnore]
    public string? TextToBot
    {
        get
        {
            if (Text is not { Length: > 0 } text || Recipient?.Id is not { Length: > 0 } bot) return Text;
            if (Entities is { Count: > 0 } entities)
                foreach (var entity in entities)
                    if (MentionOf(entity, bot) is { Length: > 0 } at) text = text.Replace(at, " ", StringComparison.Ordinal);
            return LeadingAtName(text) is > 0 and var length ? text[length..].TrimStart(' ', ',', '，', ':', '：') : text;
        }
    }

    /// <summary>
    /// The message names the bot: a <c>mention</c> entity of the recipient, or a leading <c>@</c> and its name or id
    /// (<see cref="TextToBot"/> reads the message without either).
    /// </summary>
    [JsonIgnore]
    public bool MentionsRecipient
    {
        get
        {
            if (Recipient?.Id is not { Length: > 0 } bot) return false;
            if (Entities is { Count: > 0 } entities)
                foreach (var entity in entities)
                    if (MentionOf(entity, bot) is not null) return true;
            return Text is { Length: > 0 } text && LeadingAtName(text) > 0;
        }
    }

    /// <summary>
    /// A reply to one of the bot's own messages, where the activity itself says whose message it answers: Telegram's update
    /// (Azure Bot Service's channelData) carries <c>message.reply_to_message.from</c>, a bot (<c>is_bot</c>) whose
    /// username is the recipient's id (or name). Telegram delivers such replies in a group even in privacy mode, as it
    /// delivers commands and mentions. Other channels' replies name no author the activity can be matched to without a
    /// look-up (a Slack thread's parent_user_id is the bot user's id, not the recipient's): false.
    /// </summary>
    [JsonIgnore]
    public bool RepliesToBot =>
        string.Equals(ChannelId, "telegram", StringComparison.OrdinalIgnoreCase)
        && ChannelData is { ValueKind: JsonValueKind.Object } data
        && data.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
        && message.TryGetProperty("reply_to_message", out var replied) && replied.ValueKind == JsonValueKind.Object
        && replied.TryGetProperty("from", out var author) && author.ValueKind == JsonValueKind.Object
        && author.TryGetProperty("is_bot", out var isBot) && isBot.ValueKind == JsonValueKind.True
        && author.TryGetProperty("username", out var username) && username.ValueKind == JsonValueKind.String
        && username.GetString() is { Length: > 0 } name
        && (name.Equals(Recipient?.Id, StringComparison.OrdinalIgnoreCase) || name.Equals(Recipient?.Name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The text a <c>mention</c> entity of <paramref name="bot"/> shows (empty when it shows none); null for any other entity.</summary>
    private static string? MentionOf(JsonElement entity, string bot) =>
        entity.ValueKind == JsonValueKind.Object
        && entity.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "mention"
        && entity.TryGetProperty("mentioned", out var mentioned) && mentioned.ValueKind == JsonValueKind.Object
        && mentioned.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == bot
            ? entity.TryGetProperty("text", out var shown) && shown.ValueKind == JsonValueKind.String ? shown.GetString() ?? "" : ""
            : null;

    /// <summary>The length of a leading 「@name」 word naming the recipient (its name or id, any case), after any white space; 0 when there is none.</summary>
    private int LeadingAtName(string text)
    {
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start])) start++;
        if (start == text.Length || text[start] is not ('@' or '＠')) return 0; // nearly every message: nothing more read
        foreach (var name in (ReadOnlySpan<string?>)[Recipient?.Name, Recipient?.Id])
        {
            if (name is not { Length: > 0 }) continue;
            var end = start + 1 + name.Length;
            if (end <= text.Length && text.AsSpan(start + 1, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                && (end == text.Length || char.IsWhiteSpace(text[end]) || text[end] is ',' or '，' or ':' or '：'))
                return end;
        }
        return 0;
    }

    /// <summary>
    /// Said where others read it — a group chat, a team's channel, a Slack channel — not in a private chat with the bot.
    /// <c>isGroup</c> alone does not say so: Azure Bot Service's Slack channel sets it by head count (a channel with the bot
    /// and one person is "not a group", botframework-sdk#3063) or leaves it out, so each channel's own shape is read too.
    /// </summary>
    [JsonIgnore]
    public bool InSharedConversation
    {
        get
        {
            if (Conversation is not { } conversation) return false;
            if (conversation.IsGroup == true
                || string.Equals(conversation.ConversationType, "channel", StringComparison.OrdinalIgnoreCase)
                || string.Equals(conversation.ConversationType, "groupChat", StringComparison.OrdinalIgnoreCase))
                return true;
            if (string.Equals(ChannelId, "slack", StringComparison.OrdinalIgnoreCase))
                return SlackShared(conversation.Id);
            // Telegram's group and supergroup chat ids are negative, a person's positive.
            return string.Equals(ChannelId, "telegram", StringComparison.OrdinalIgnoreCase) && conversation.Id is ['-', ..];
        }
    }

    /// <summary>
    /// A Slack conversation id is bot:team:channel, where a direct message's channel starts with D (C a channel, G a private
    /// channel or group DM); without that part, the event's channel_type says.
    /// </summary>
    private bool SlackShared(string? id)
    {
        if (id is { Length: > 0 }
            && id.IndexOf(':') is >= 0 and var first && id.IndexOf(':', first + 1) is >= 0 and var second && second + 1 < id.Length)
            return id[second + 1] != 'D';
        return SlackEvent() is { } e
            && e.TryGetProperty("channel_type", out var type) && type.ValueKind == JsonValueKind.String
            && type.GetString() is "channel" or "group" or "mpim";
    }

    /// <summary>
    /// Sent by a bot: one that says so (<c>role: "bot"</c>), this bot's own account (<c>from.id</c> is the recipient's),
    /// which channels that leave out the role deliver back (Slack's events, a Direct Line client naming itself), or on Slack
    /// another app, which its event names by <c>bot_id</c> or the older subtype <c>bot_message</c> (and no role).
    /// </summary>
    [JsonIgnore]
    public bool FromABot =>
        string.Equals(From?.Role, "bot", StringComparison.OrdinalIgnoreCase)
        || From?.Id is { Length: > 0 } from && from == Recipient?.Id
        || string.Equals(ChannelId, "slack", StringComparison.OrdinalIgnoreCase) && SlackEvent() is { } e
           && (e.TryGetProperty("bot_id", out var bot) && bot.ValueKind == JsonValueKind.String
               || e.TryGetProperty("subtype", out var subtype) && subtype.ValueKind == JsonValueKind.String && subtype.ValueEquals("bot_message"));

    /// <summary>The Slack event in channelData (<c>SlackMessage.event</c>), as Azure Bot Service's Slack channel passes it on; null when there is none.</summary>
    private JsonElement? SlackEvent() =>
        ChannelData is { ValueKind: JsonValueKind.Object } data
        && data.TryGetProperty("SlackMessage", out var slack) && slack.ValueKind == JsonValueKind.Object
        && slack.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.Object
            ? e : null;

    /// <summary>
    /// Word that the bot is gone from the conversation: an installationUpdate remove, or a conversationUpdate whose
    /// membersRemoved holds the bot (Teams sends both for a personal uninstall, in either order). Never a sign the person
    /// can be reached there.
    /// </summary>
    [JsonIgnore]
    public bool SaysBotLeft =>
        string.Equals(Type, ActivityTypes.InstallationUpdate, StringComparison.OrdinalIgnoreCase)
            ? Extra?.TryGetValue("action", out var action) == true && action.ValueKind == JsonValueKind.String
              && string.Equals(action.GetString(), "remove", StringComparison.OrdinalIgnoreCase)
            : string.Equals(Type, ActivityTypes.ConversationUpdate, StringComparison.OrdinalIgnoreCase)
              && Recipient?.Id is { Length: > 0 } bot && MembersRemoved?.Exists(m => m?.Id == bot) == true;
}

/// <summary>
/// A secret in a reply's text, and the text to show instead where the reply is kept and read without it (an admin's view
/// of a dead letter, a redelivery the seal cannot be opened for): it says what became of the secret and what to do.
/// </summary>
public sealed record Withheld(string Secret, string Instead)
{
    /// <summary>More secrets the same text carries (a second code typed in the message a reply quotes); Instead hides them too.</summary>
    public IReadOnlyList<string> Others { get; init; } = [];

    /// <summary>Whether <paramref name="text"/> (the reply, or one part of it) carries any of the secrets.</summary>
    public bool IsIn(string text)
    {
        if (text.Contains(Secret, StringComparison.Ordinal)) return true;
        foreach (var other in Others)
            if (text.Contains(other, StringComparison.Ordinal)) return true;
        return false;
    }
}

/// <summary>A user or bot on a channel.</summary>
public sealed class ChannelAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? Role { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>
    /// Whether this account would be stored as <paramref name="other"/> is: the same fields, and the same JSON when either
    /// carries more than those (a conversation reference compares accounts on every message, without making anything,
    /// and serialises them only when it is written). Kept beside the fields so that a field added above is added here too.
    /// </summary>
    internal bool StoredAlike(ChannelAccount other) =>
        Id == other.Id && Name == other.Name && AadObjectId == other.AadObjectId && Role == other.Role
        && (Extra is not { Count: > 0 } && other.Extra is not { Count: > 0 }
            || JsonSerializer.Serialize(this, ActivityJson.Options) == JsonSerializer.Serialize(other, ActivityJson.Options));
}

/// <summary>The conversation an activity belongs to.</summary>
public sealed class ConversationAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public bool? IsGroup { get; set; }
    public string? ConversationType { get; set; }
    public string? TenantId { get; set; }
    public string? AadObjectId { get; set; }
    public string? Role { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A file or card attached to an activity; the content stays raw JSON (an Adaptive Card, a hero card…).</summary>
public sealed class Attachment
{
    public string? ContentType { get; set; }
    public string? ContentUrl { get; set; }
    public JsonElement? Content { get; set; }
    public string? Name { get; set; }
    public string? ThumbnailUrl { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Buttons shown under a message that disappear once the user taps one.</summary>
public sealed class SuggestedActions
{
    public List<string>? To { get; set; }
    public List<CardAction> Actions { get; set; } = [];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>One button.</summary>
public sealed class CardAction
{
    public string? Type { get; set; }
    public string? Title { get; set; }
    public string? Image { get; set; }
    public string? Text { get; set; }
    public string? DisplayText { get; set; }
    public JsonElement? Value { get; set; }
    public JsonElement? ChannelData { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The activity types this layer tells apart; anything else is ignored (A2014).</summary>
public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string Typing = "typing";
    public const string Invoke = "invoke";
    public const string InvokeResponse = "invokeResponse";
    /// <summary>The app added to or removed from a user's chat (Teams), its <c>action</c> add or remove.</summary>
    public const string InstallationUpdate = "installationUpdate";
    /// <summary>A user's message edited (Teams): the activity's id is the message's.</summary>
    public const string MessageUpdate = "messageUpdate";
    /// <summary>A user's message deleted (Teams): the activity's id is the message's.</summary>
    public const string MessageDelete = "messageDelete";
}

public static class DeliveryModes
{
    public const string Normal = "normal";
    public const string ExpectReplies = "expectReplies";
}

public static class CardActionTypes
{
    public const string ImBack = "imBack";
    public const string PostBack = "postBack";
    public const string MessageBack = "messageBack";
}
