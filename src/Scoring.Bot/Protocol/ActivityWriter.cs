using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scoring.Bot.Protocol;

/// <summary>
/// Writes an activity as the serialiser's own object converter writes it (camelCase, in declared order, nulls left out,
/// properties this model does not name last), field by field. Every reply is serialised once per turn, and the general
/// converter asked each of an activity's ~30 properties and its buttons' for a getter and an ignore rule (~1% of a chat
/// message's CPU in a profile); a test holds the two to the same bytes. Reading stays the serialiser's.
/// </summary>
internal sealed class ActivityWriter(JsonSerializerOptions plain) : JsonConverter<Activity>
{
    public override Activity? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<Activity>(ref reader, plain);

    public override void Write(Utf8JsonWriter writer, Activity a, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        String(writer, Names.Type, a.Type);
        String(writer, Names.Id, a.Id);
        Time(writer, Names.Timestamp, a.Timestamp);
        Time(writer, Names.LocalTimestamp, a.LocalTimestamp);
        String(writer, Names.LocalTimezone, a.LocalTimezone);
        String(writer, Names.ServiceUrl, a.ServiceUrl);
        String(writer, Names.ChannelId, a.ChannelId);
        Account(writer, Names.From, a.From);
        Conversation(writer, a.Conversation);
        Account(writer, Names.Recipient, a.Recipient);
        String(writer, Names.TextFormat, a.TextFormat);
        String(writer, Names.AttachmentLayout, a.AttachmentLayout);
        Accounts(writer, Names.MembersAdded, a.MembersAdded);
        Accounts(writer, Names.MembersRemoved, a.MembersRemoved);
        String(writer, Names.Locale, a.Locale);
        String(writer, Names.Text, a.Text);
        String(writer, Names.Speak, a.Speak);
        String(writer, Names.InputHint, a.InputHint);
        String(writer, Names.Summary, a.Summary);
        Suggested(writer, a.SuggestedActions);
        if (a.Attachments is { } attachments)
        {
            writer.WritePropertyName(Names.Attachments);
            JsonSerializer.Serialize(writer, attachments, plain);
        }
        if (a.Entities is { } entities)
        {
            writer.WritePropertyName(Names.Entities);
            writer.WriteStartArray();
            foreach (var entity in entities) entity.WriteTo(writer);
            writer.WriteEndArray();
        }
        Element(writer, Names.ChannelData, a.ChannelData);
        String(writer, Names.ReplyToId, a.ReplyToId);
        String(writer, Names.Name, a.Name);
        Element(writer, Names.Value, a.Value);
        String(writer, Names.ValueType, a.ValueType);
        Element(writer, Names.RelatesTo, a.RelatesTo);
        String(writer, Names.DeliveryMode, a.DeliveryMode);
        Extra(writer, a.Extra);
        writer.WriteEndObject();
    }

    private static void Account(Utf8JsonWriter writer, JsonEncodedText name, ChannelAccount? account)
    {
        if (account is null) return;
        writer.WritePropertyName(name);
        Account(writer, account);
    }

    private static void Account(Utf8JsonWriter writer, ChannelAccount account)
    {
        writer.WriteStartObject();
        String(writer, Names.Id, account.Id);
        String(writer, Names.Name, account.Name);
        String(writer, Names.AadObjectId, account.AadObjectId);
        String(writer, Names.Role, account.Role);
        Extra(writer, account.Extra);
        writer.WriteEndObject();
    }

    private static void Accounts(Utf8JsonWriter writer, JsonEncodedText name, List<ChannelAccount>? accounts)
    {
        if (accounts is null) return;
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var account in accounts)
        {
            if (account is null) writer.WriteNullValue();
            else Account(writer, account);
        }
        writer.WriteEndArray();
    }

    private static void Conversation(Utf8JsonWriter writer, ConversationAccount? conversation)
    {
        if (conversation is null) return;
        writer.WritePropertyName(Names.Conversation);
        writer.WriteStartObject();
        String(writer, Names.Id, conversation.Id);
        String(writer, Names.Name, conversation.Name);
        if (conversation.IsGroup is { } isGroup) writer.WriteBoolean(Names.IsGroup, isGroup);
        String(writer, Names.ConversationType, conversation.ConversationType);
        String(writer, Names.TenantId, conversation.TenantId);
        String(writer, Names.AadObjectId, conversation.AadObjectId);
        String(writer, Names.Role, conversation.Role);
        Extra(writer, conversation.Extra);
        writer.WriteEndObject();
    }

    private static void Suggested(Utf8JsonWriter writer, SuggestedActions? suggested)
    {
        if (suggested is null) return;
        writer.WritePropertyName(Names.SuggestedActions);
        writer.WriteStartObject();
        if (suggested.To is { } to)
        {
            writer.WritePropertyName(Names.To);
            writer.WriteStartArray();
            foreach (var id in to) writer.WriteStringValue(id);
            writer.WriteEndArray();
        }
        if (suggested.Actions is { } actions)
        {
            writer.WritePropertyName(Names.Actions);
            writer.WriteStartArray();
            foreach (var action in actions)
            {
                if (action is null)
                {
                    writer.WriteNullValue();
                    continue;
                }
                writer.WriteStartObject();
                String(writer, Names.Type, action.Type);
                String(writer, Names.Title, action.Title);
                String(writer, Names.Image, action.Image);
                String(writer, Names.Text, action.Text);
                String(writer, Names.DisplayText, action.DisplayText);
                Element(writer, Names.Value, action.Value);
                Element(writer, Names.ChannelData, action.ChannelData);
                Extra(writer, action.Extra);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        Extra(writer, suggested.Extra);
        writer.WriteEndObject();
    }

    private static void String(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null) writer.WriteString(name, value);
    }

    private static void Time(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset? value)
    {
        if (value is { } v) writer.WriteString(name, v);
    }

    private static void Element(Utf8JsonWriter writer, JsonEncodedText name, JsonElement? value)
    {
        if (value is not { } v) return;
        writer.WritePropertyName(name);
        v.WriteTo(writer);
    }

    private static void Extra(Utf8JsonWriter writer, Dictionary<string, JsonElement>? extra)
    {
        if (extra is null) return;
        foreach (var (name, value) in extra)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }

    private static class Names
    {
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
        public static readonly JsonEncodedText LocalTimestamp = JsonEncodedText.Encode("localTimestamp");
        public static readonly JsonEncodedText LocalTimezone = JsonEncodedText.Encode("localTimezone");
        public static readonly JsonEncodedText ServiceUrl = JsonEncodedText.Encode("serviceUrl");
        public static readonly JsonEncodedText ChannelId = JsonEncodedText.Encode("channelId");
        public static readonly JsonEncodedText From = JsonEncodedText.Encode("from");
        public static readonly JsonEncodedText Conversation = JsonEncodedText.Encode("conversation");
        public static readonly JsonEncodedText Recipient = JsonEncodedText.Encode("recipient");
        public static readonly JsonEncodedText TextFormat = JsonEncodedText.Encode("textFormat");
        public static readonly JsonEncodedText AttachmentLayout = JsonEncodedText.Encode("attachmentLayout");
        public static readonly JsonEncodedText MembersAdded = JsonEncodedText.Encode("membersAdded");
        public static readonly JsonEncodedText MembersRemoved = JsonEncodedText.Encode("membersRemoved");
        public static readonly JsonEncodedText Locale = JsonEncodedText.Encode("locale");
        public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
        public static readonly JsonEncodedText Speak = JsonEncodedText.Encode("speak");
        public static readonly JsonEncodedText InputHint = JsonEncodedText.Encode("inputHint");
        public static readonly JsonEncodedText Summary = JsonEncodedText.Encode("summary");
        public static readonly JsonEncodedText SuggestedActions = JsonEncodedText.Encode("suggestedActions");
        public static readonly JsonEncodedText Attachments = JsonEncodedText.Encode("attachments");
        public static readonly JsonEncodedText Entities = JsonEncodedText.Encode("entities");
        public static readonly JsonEncodedText ChannelData = JsonEncodedText.Encode("channelData");
        public static readonly JsonEncodedText ReplyToId = JsonEncodedText.Encode("replyToId");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
        public static readonly JsonEncodedText ValueType = JsonEncodedText.Encode("valueType");
        public static readonly JsonEncodedText RelatesTo = JsonEncodedText.Encode("relatesTo");
        public static readonly JsonEncodedText DeliveryMode = JsonEncodedText.Encode("deliveryMode");
        public static readonly JsonEncodedText AadObjectId = JsonEncodedText.Encode("aadObjectId");
        public static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
        public static readonly JsonEncodedText IsGroup = JsonEncodedText.Encode("isGroup");
        public static readonly JsonEncodedText ConversationType = JsonEncodedText.Encode("conversationType");
        public static readonly JsonEncodedText TenantId = JsonEncodedText.Encode("tenantId");
        public static readonly JsonEncodedText To = JsonEncodedText.Encode("to");
        public static readonly JsonEncodedText Actions = JsonEncodedText.Encode("actions");
        public static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
        public static readonly JsonEncodedText Image = JsonEncodedText.Encode("image");
        public static readonly JsonEncodedText DisplayText = JsonEncodedText.Encode("displayText");
    }
}
