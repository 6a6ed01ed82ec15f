using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scoring.Storage.Activities;

namespace Scoring.Bot.Protocol;

/// <summary>Builds replies to an inbound activity and dresses them with buttons and cards.</summary>
public static class Reply
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>Who we speak as when a client did not tell us our own account (offline Direct Line sends no recipient).</summary>
    public static ChannelAccount DefaultBotAccount() => new() { Id = "scoring-bot", Name = "Scoring", Role = "bot" };

    /// <summary>
    /// A message in the inbound activity's conversation, from the account it was sent to, to its
    /// sender, threaded under it and in its locale.
    /// </summary>
    public static Activity To(Activity inbound, string? text = null, ChannelAccount? botAccount = null)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        return new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = inbound.ChannelId,
            ServiceUrl = inbound.ServiceUrl,
            Conversation = Copy(inbound.Conversation),
            From = Copy(inbound.Recipient) ?? Copy(botAccount) ?? DefaultBotAccount(),
            Recipient = Copy(inbound.From),
            ReplyToId = string.IsNullOrEmpty(inbound.Id) ? null : inbound.Id,
            Locale = inbound.Locale,
            Text = text,
            TextFormat = text is null ? null : "plain",
        };
    }

    /// <summary>
    /// A message to someone who is not waiting for one (a notice), sent to the conversation they
    /// last used with us; it threads under nothing.
    /// </summary>
    public static Activity Proactive(ConversationReference reference, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = reference.ChannelId,
            ServiceUrl = reference.ServiceUrl,
            Conversation = new ConversationAccount { Id = reference.ConversationId },
            From = JsonSerializer.Deserialize<ChannelAccount>(reference.BotAccountJson, ActivityJson.Options) ?? DefaultBotAccount(),
            Recipient = JsonSerializer.Deserialize<ChannelAccount>(reference.UserAccountJson, ActivityJson.Options),
            Locale = reference.Locale,
            Text = text,
            TextFormat = text is null ? null : "plain",
        };
    }

    /// <summary>An imBack button: tapping it sends <paramref name="value"/> (or the title) back as if typed.</summary>
    public static CardAction ImBack(string title, string? value = null) => new()
    {
        Type = CardActionTypes.ImBack,
        Title = title,
        Value = StringValue(value ?? title),
    };

    // Every reply carries a menu of the same few words: each one's JSON value is made once (an element never changes).
    private static readonly ConcurrentDictionary<string, JsonElement> Words = new(StringComparer.Ordinal);

    private static JsonElement StringValue(string text)
    {
        if (Words.TryGetValue(text, out var known)) return known;
        var value = JsonSerializer.SerializeToElement(text);
        // Only short words, and only so many: a title can carry a tenant's or an event's name. (Count takes every lock.)
        if (text.Length <= 32 && Words.Count < 1024) Words.TryAdd(text, value);
        return value;
    }

    /// <summary>Adds one imBack button per choice, each sending its own title.</summary>
    public static Activity WithSuggestedActions(this Activity reply, params IEnumerable<string> choices) =>
        reply.WithSuggestedActions(choices.Select(choice => ImBack(choice)));

    public static Activity WithSuggestedActions(this Activity reply, IEnumerable<CardAction> actions)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var buttons = reply.SuggestedActions ??= new SuggestedActions();
        buttons.Actions.AddRange(actions);
        return reply.ShowingToRecipient(buttons);
    }

    /// <summary>Gives a reply without buttons the buttons <paramref name="made"/>, a list made for it alone (it is not copied).</summary>
    internal static Activity WithOwnSuggestedActions(this Activity reply, List<CardAction> made)
    {
        if (reply.SuggestedActions is not null) throw new InvalidOperationException("The reply has buttons already.");
        return reply.ShowingToRecipient(reply.SuggestedActions = new SuggestedActions { Actions = made });
    }

    private static Activity ShowingToRecipient(this Activity reply, SuggestedActions buttons)
    {
        if (reply.Recipient?.Id is { Length: > 0 } recipient)
        {
            // Some channels show suggested actions only to the accounts listed here.
            buttons.To ??= [recipient];
        }
        return reply;
    }

    /// <summary>Attaches an Adaptive Card given as its JSON.</summary>
    public static Activity WithAdaptiveCard(this Activity reply, JsonElement card)
    {
        ArgumentNullException.ThrowIfNull(reply);
        reply.Attachments ??= [];
        reply.Attachments.Add(new Attachment { ContentType = AdaptiveCardContentType, Content = card.Clone() });
        return reply;
    }

    public static Activity WithAdaptiveCard(this Activity reply, JsonNode card) =>
        reply.WithAdaptiveCard(JsonSerializer.SerializeToElement(card));

    internal static ChannelAccount? Copy(ChannelAccount? account) => account is null ? null : new ChannelAccount
    {
        Id = account.Id,
        Name = account.Name,
        AadObjectId = account.AadObjectId,
        Role = account.Role,
        Extra = account.Extra is null ? null : new Dictionary<string, JsonElement>(account.Extra),
    };

    private static ConversationAccount? Copy(ConversationAccount? conversation) => conversation is null ? null : new ConversationAccount
    {
        Id = conversation.Id,
        Name = conversation.Name,
        IsGroup = conversation.IsGroup,
        ConversationType = conversation.ConversationType,
        TenantId = conversation.TenantId,
        AadObjectId = conversation.AadObjectId,
        Role = conversation.Role,
        Extra = conversation.Extra is null ? null : new Dictionary<string, JsonElement>(conversation.Extra),
    };
}
