using System.Collections.Concurrent;
using System.Text.Json;
using Scoring.Bot.Protocol;
using Scoring.Storage.Activities;

namespace Scoring.Bot.Endpoint;

/// <summary>
/// Keeps each chat user's conversation reference current from their inbound activities, so
/// notices can reach them later. Unchanged references are rewritten only every few minutes, to
/// spare the database a write per message.
/// </summary>
public sealed class ConversationReferenceTracker(ConversationReferenceStore store, TimeProvider time)
{
    private static readonly TimeSpan RewriteUnchangedAfter = TimeSpan.FromMinutes(10);
    private const int MaxRemembered = 50_000;

    private readonly ConcurrentDictionary<string, (string Fingerprint, DateTimeOffset WrittenAt)> written = new();

    public async Task RefreshAsync(Activity activity, CancellationToken ct)
    {
        if (activity is not
            {
                ChannelId: { Length: > 0 } channel,
                From: { Id: { Length: > 0 } userId } user,
                Conversation: { Id: { Length: > 0 } conversationId } conversation,
                ServiceUrl: { Length: > 0 } serviceUrl,
            })
        {
            return;
        }
        // A notice meant for one person must not land in a group chat, nor a bot's own echo count as a user.
        if (conversation.IsGroup == true || string.Equals(user.Role, "bot", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var botJson = JsonSerializer.Serialize(activity.Recipient ?? Reply.DefaultBotAccount(), ActivityJson.Options);
        var userJson = JsonSerializer.Serialize(user, ActivityJson.Options);
        var locale = activity.Locale is { Length: > 32 } tooLong ? tooLong[..32] : activity.Locale;
        var fingerprint = string.Join('\n', conversationId, serviceUrl, botJson, userJson, locale);
        var now = time.GetUtcNow();
        var memo = $"{channel}\n{userId}";
        if (written.TryGetValue(memo, out var seen) && seen.Fingerprint == fingerprint && now - seen.WrittenAt < RewriteUnchangedAfter)
        {
            return;
        }
        await store.UpsertAsync(new ConversationReference(channel, userId, conversationId, serviceUrl, botJson, userJson, locale, now), ct);
        if (written.Count >= MaxRemembered)
        {
            written.Clear();
        }
        written[memo] = (fingerprint, now);
    }
}
