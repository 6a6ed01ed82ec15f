using System.Text.Json;
using Scoring.Bot.Protocol;
using Scoring.Storage;
using Scoring.Storage.Activities;
using Scoring.Storage.Outbox;

namespace Scoring.Bot.Turns;

/// <summary>
/// Writes what a turn answered inside the caller's transaction: the processed-activity record
/// (for de-duplication), the replies in the outbox and the sender's conversation reference when it
/// is due. Also enqueues proactive notices. A reply that carries a secret (<see cref="Activity.Withheld"/>) is kept in
/// both only sealed (<see cref="ReplySeal"/>), and opened again for a redelivery.
/// </summary>
public sealed class TurnRecorder(Database database, OutboxStore outbox, ProcessedActivityStore processedActivities,
    ConversationReferenceTracker references, ReplySeal seal)
{
    /// <summary>The de-duplication key of an inbound activity; null when it has no id (then it cannot be recognised again).</summary>
    public static ProcessedActivityKey? KeyOf(Activity inbound) =>
        inbound is { ChannelId: { Length: > 0 } channel, Conversation.Id: { Length: > 0 } conversation, Id: { Length: > 0 } id }
            ? new ProcessedActivityKey(channel, conversation, id)
            : null;

    /// <summary>
    /// Runs a turn exactly once: in one transaction, answers a re-delivered activity with its stored
    /// replies, or runs <paramref name="turn"/> (the effect, returning the replies) and records the
    /// activity and enqueues the replies (unless <paramref name="expectReplies"/>) with it. The turn
    /// may run again if the database reports a transient fault, so it must only write through the
    /// session it is given. A caller that has made the activity's <see cref="KeyOf"/> already passes it as
    /// <paramref name="key"/>, so it is hashed once per turn.
    /// </summary>
    public async Task<TurnOutcome> RunOnceAsync(Activity inbound, bool expectReplies,
        Func<Session, Task<IReadOnlyList<Activity>>> turn, CancellationToken ct = default, ProcessedActivityKey? key = null)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(turn);
        var reference = references.DueFor(inbound);
        key ??= KeyOf(inbound); // looked up, then recorded: made (and hashed) once
        try
        {
            var (outcome, recorded) = await database.WriteAsync(async session =>
            {
                // Looked up inside the writer, whose page cache is warm (a reader's is emptied by every write).
                if (key is not null && Parse(await processedActivities.TryGetAsync(session, key)) is { } stored)
                {
                    return (new TurnOutcome(stored), false);
                }
                // In parts each channel takes, before they are recorded: a delivery again is answered with the same parts.
                var replies = ReplyFitting.Fit(await turn(session));
                var json = ActivityJson.SerializeAllUtf8(replies);
                if (!await RecordAsync(session, key, inbound, replies, Kept(replies, json), expectReplies, reference))
                {
                    throw new RecordedMeanwhile();
                }
                return (new TurnOutcome(replies) { RepliesJson = json }, true);
            }, ct);
            if (recorded && reference is not null) references.Written(reference);
            return outcome;
        }
        catch (RecordedMeanwhile)
        {
            // Another delivery of the same activity committed first; ours rolled back.
            return new TurnOutcome(await FindRepliesAsync(inbound, ct) ?? []);
        }
    }

    /// <summary>
    /// Answers a turn that only reads: <paramref name="read"/> runs on a reader connection beside the single
    /// writer, and the writer then only records the activity with its replies and enqueues them; a delivery
    /// of the same activity that got there first wins. With <paramref name="expectReplies"/> nothing is
    /// recorded (only a due conversation reference is written): the answer goes back in this response and
    /// nowhere else, so a question sent again is simply answered again. Null when <paramref name="read"/>
    /// returned null: the turn needs <see cref="RunOnceAsync"/> instead.
    /// </summary>
    public async Task<TurnOutcome?> AnswerReadingAsync(Activity inbound, bool expectReplies,
        Func<Session, Task<IReadOnlyList<Activity>?>> read, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(read);
        var answered = await database.ReadAsync(read, ct);
        if (answered is null)
        {
            return null;
        }
        var replies = ReplyFitting.Fit(answered);
        var reference = references.DueFor(inbound);
        if (expectReplies)
        {
            if (reference is not null)
            {
                await database.WriteAsync(s => references.WriteAsync(s, reference), ct);
                references.Written(reference);
            }
            return new TurnOutcome(replies);
        }
        if (!await database.WriteAsync(s => RecordAsync(s, KeyOf(inbound), inbound, replies, Kept(replies, ActivityJson.SerializeAllUtf8(replies)), expectReplies, reference), ct))
        {
            return new TurnOutcome(await FindRepliesAsync(inbound, ct) ?? []);
        }
        if (reference is not null) references.Written(reference);
        return new TurnOutcome(replies);
    }

    /// <summary>The replies' JSON as the activity's record keeps it: <paramref name="json"/>, unless a reply withholds a secret.</summary>
    private byte[] Kept(IReadOnlyList<Activity> replies, byte[] json) =>
        ReplySeal.AnyWithheld(replies) ? ActivityJson.SerializeAllUtf8(replies.Select(seal.Sealed).ToList()) : json;

    /// <summary>
    /// Records <paramref name="inbound"/> as handled (under <paramref name="key"/>; an activity without an id has none and is not
    /// recorded) with <paramref name="replies"/> (serialised as <paramref name="repliesJson"/>) and, unless
    /// <paramref name="expectReplies"/>, enqueues the replies, with the sender's conversation reference when due. Returns false, writing nothing, when
    /// the activity was already recorded: the caller must roll back its effect and answer with
    /// the stored replies (<see cref="RunOnceAsync"/> does all this).
    /// </summary>
    private async Task<bool> RecordAsync(Session session, ProcessedActivityKey? key, Activity inbound, IReadOnlyList<Activity> replies, byte[] repliesJson,
        bool expectReplies, ConversationReferenceTracker.Due? reference)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(replies);
        if (key is not null
            && !await processedActivities.RecordAsync(session, key, new Utf8Text(repliesJson)))
        {
            return false;
        }
        if (reference is not null)
        {
            await references.WriteAsync(session, reference);
        }
        if (!expectReplies)
        {
            await EnqueueFittedAsync(session, replies);
        }
        return true;
    }

    /// <summary>Replies fitted before the writer was taken (a card is not measured again while it is held).</summary>
    private Task<IReadOnlyList<string>> EnqueueFittedAsync(Session session, IReadOnlyList<Activity> fitted) =>
        outbox.EnqueueAsync(session, fitted.Select(ToOutgoing).ToList());

    /// <summary>
    /// Puts activities (replies or proactive notices) into the outbox in the caller's transaction, each in the parts its
    /// channel takes (<see cref="ReplyFitting"/>), in order. A turn's replies, fitted already, are enqueued without this.
    /// </summary>
    public Task<IReadOnlyList<string>> EnqueueAsync(Session session, IEnumerable<Activity> activities) =>
        outbox.EnqueueAsync(session, ReplyFitting.Fit(activities as IReadOnlyList<Activity> ?? activities.ToList()).Select(ToOutgoing).ToList());

    /// <summary>Whether the activity named by <paramref name="key"/> was handled (and is still remembered).</summary>
    public async Task<bool> HandledAsync(ProcessedActivityKey key, CancellationToken ct = default) =>
        await processedActivities.TryGetAsync(key, ct) is not null;

    /// <summary>The replies stored for an activity already handled, or null if it is new.</summary>
    public async Task<IReadOnlyList<Activity>?> FindRepliesAsync(Activity inbound, CancellationToken ct = default) =>
        KeyOf(inbound) is { } key ? Parse(await processedActivities.TryGetAsync(key, ct)) : null;

    private List<Activity>? Parse(string? json)
    {
        if (json is null) return null;
        var replies = JsonSerializer.Deserialize<List<Activity>>(json, ActivityJson.Options) ?? [];
        if (json.Contains(ReplySeal.Property, StringComparison.Ordinal))
            foreach (var reply in replies) seal.Open(reply);
        return replies;
    }

    private OutgoingActivity ToOutgoing(Activity activity)
    {
        if (activity is not { ServiceUrl: { Length: > 0 } serviceUrl, ChannelId: { Length: > 0 } channel, Conversation.Id: { Length: > 0 } conversation })
        {
            throw new ArgumentException("An outgoing activity needs serviceUrl, channelId and conversation.id (build it with Reply.To or Reply.Proactive).", nameof(activity));
        }
        return new OutgoingActivity(serviceUrl, channel, conversation, activity.ReplyToId, ActivityJson.Serialize(seal.Sealed(activity)));
    }

    private sealed class RecordedMeanwhile : Exception;
}
