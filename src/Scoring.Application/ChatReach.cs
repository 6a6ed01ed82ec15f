using Scoring.Storage;
using Scoring.Storage.Activities;

namespace Scoring.Application;

/// <summary>Whether the bot can still reach a person in chat: what staff views say beside a person.</summary>
public static class ChatReach
{
    /// <summary>
    /// Since when every chat account of the person that has a conversation reference reaches nobody (the bot removed or
    /// blocked: the latest such mark, when the last way to reach them went); null while any of them reaches them, and for
    /// someone who never wrote from a bound account (there is nothing to have lost).
    /// </summary>
    public static async Task<DateTimeOffset?> UnreachableSinceAsync(Session s, string personKind, string personId)
    {
        DateTimeOffset? since = null;
        foreach (var account in await s.ChatAccountsOfAsync(personKind, personId))
        {
            if (await ConversationReferenceStore.FindAsync(s, account.ChannelId, account.UserId) is not { } reference) continue;
            if (reference.UnreachableSince is not { } marked) return null;
            if (since is null || marked > since) since = marked;
        }
        return since;
    }
}
