using System.Collections.Concurrent;
using System.Text.Json;
using Scoring.Bot.Protocol;
using Scoring.Storage;
using Scoring.Storage.Activities;

namespace Scoring.Bot.Turns;

/// <summary>
/// Keeps each chat user's conversation reference current from their inbound activities, so
/// notices can reach them later. Unchanged references are rewritten only every few minutes, to
/// spare the database a write per message. A turn writes its reference in its own transaction
/// (<see cref="TurnRecorder"/>); other activities through <see cref="RefreshAsync"/>.
/// </summary>
public sealed class ConversationReferenceTracker(ConversationReferenceStore store, TimeProvider time)
{
    private static readonly TimeSpan RewriteUnchangedAfter = TimeSpan.FromMinutes(10);
    private const int MaxRemembered = 50_000;

    // By channel and user: what their reference was last written from. Compared field by field with each message's,
    // so that an unchanged sender (nearly every message) costs no string.
    private readonly ConcurrentDictionary<(string Channel, string User), Shown> written = new();

    /// <summary>What a reference was written from, and when.</summary>
    public sealed record Shown(string ConversationId, string ServiceUrl, ChannelAccount Bot, ChannelAccount User, string? Locale, DateTimeOffset WrittenAt)
    {
        internal bool Alike(string conversationId, string serviceUrl, ChannelAccount bot, ChannelAccount user, string? locale) =>
            ConversationId == conversationId && ServiceUrl == serviceUrl && Locale == locale && Bot.StoredAlike(bot) && User.StoredAlike(user);
    }

    /// <summary>A reference to write, and what to remember once it is written.</summary>
    public sealed record Due(ConversationReference Reference, Shown From);

    /// <summary>The reference <paramref name="activity"/> shows, unless it is one we cannot use or wrote recently unchanged.</summary>
    public Due? DueFor(Activity activity)
    {
        if (activity is not
            {
                ChannelId: { Length: > 0 } channel,
                From: { Id: { Length: > 0 } userId } user,
                Conversation.Id: { Length: > 0 } conversationId,
                ServiceUrl: { Length: > 0 } serviceUrl,
            })
        {
            return null;
        }
        // A notice meant for one person must not land where others read it, nor a bot's own echo count as a user.
        if (activity.InSharedConversation || activity.FromABot || activity.SaysBotLeft)
        {
            return null;
        }
        var bot = activity.Recipient ?? Reply.DefaultBotAccount();
        var now = time.GetUtcNow();
        var remembered = written.TryGetValue((channel, userId), out var seen);
        // An activity without a locale (a Web Chat page's join, a reaction) keeps the language last seen; the store keeps it too.
        var locale = activity.Locale is { Length: > 32 } tooLong ? tooLong[..32] : activity.Locale ?? seen?.Locale;
        if (remembered && now - seen!.WrittenAt < RewriteUnchangedAfter
            && seen.Alike(conversationId, serviceUrl, bot, user, locale))
        {
            return null;
        }
        var botJson = JsonSerializer.Serialize(bot, ActivityJson.Options);
        var userJson = JsonSerializer.Serialize(user, ActivityJson.Options);
        // Copies: the activity's accounts belong to its request.
        var shown = new Shown(conversationId, serviceUrl, Reply.Copy(bot)!, Reply.Copy(user)!, locale, now);
        return new Due(new ConversationReference(channel, userId, conversationId, serviceUrl, botJson, userJson, locale, now), shown);
    }

    /// <summary>Writes a due reference inside the caller's unit of work; call <see cref="Written"/> once it committed.</summary>
    public Task WriteAsync(Session session, Due due) => store.UpsertAsync(session, due.Reference);

    /// <summary>Remembers a committed reference, so an unchanged one is not written again for a while.</summary>
    public void Written(Due due)
    {
        if (written.Count >= MaxRemembered)
        {
            written.Clear();
        }
        written[(due.Reference.ChannelId, due.Reference.UserId)] = due.From;
    }

    /// <summary>
    /// Marks a user's reference as reaching nobody (they removed the bot): notices skip it. It is forgotten here, so that
    /// their next activity writes the reference again at once, which clears the mark.
    /// </summary>
    public async Task UnreachableAsync(string channel, string user, CancellationToken ct)
    {
        await store.MarkUnreachableAsync(channel, user, time.GetUtcNow(), ct);
        Forget(channel, user);
    }

    /// <summary>Marks the references of a conversation a channel refused a send to as blocked or gone (<see cref="UnreachableAsync"/>).</summary>
    public async Task RefusedAsync(string channel, string conversation, CancellationToken ct)
    {
        await store.MarkConversationUnreachableAsync(channel, conversation, time.GetUtcNow(), ct);
        // Rare: a scan of what is remembered, by the conversation the outbox knows.
        foreach (var (key, shown) in written)
            if (key.Channel == channel && shown.ConversationId == conversation) written.TryRemove(key, out _);
    }

    /// <summary>Forgets what a user's reference was written from: their next activity writes it again, whatever it shows.</summary>
    public void Forget(string channel, string user) => written.TryRemove((channel, user), out _);

    /// <summary>Writes the reference of an activity no turn handles (in a unit of its own).</summary>
    public async Task RefreshAsync(Activity activity, CancellationToken ct)
    {
        if (DueFor(activity) is not { } due)
        {
            return;
        }
        await store.UpsertAsync(due.Reference, ct);
        Written(due);
    }
}
