using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Bot.Turns;
using Scoring.Domain;
using Scoring.Storage.Activities;

namespace Scoring.Bot.Conversations;

public sealed partial class ConversationHandler
{
    private static bool IsRevision(Activity a) => Is(a.Type, ActivityTypes.MessageUpdate) || Is(a.Type, ActivityTypes.MessageDelete);

    /// <summary>
    /// An edit or deletion of a message (Teams names it by the activity's id): of one the bot acted on, what it recorded stands
    /// as first sent, and the person is told so once per message, with how to have it corrected — a user who edits 15:00
    /// into a return would otherwise believe it changed. Of any other message (never seen, or long forgotten) it is ignored.
    /// </summary>
    private async Task<TurnOutcome> RevisedAsync(Activity a, bool expectReplies, CancellationToken ct)
    {
        if (a is not { ChannelId: { Length: > 0 } channel, Conversation.Id: { Length: > 0 } conversation, From.Id: { Length: > 0 } userId }
            || a.FromABot
            // Nothing is recorded from a shared conversation (reports are asked for in private): nothing to say there.
            || a.InSharedConversation
            || !(await HandledAsync(channel, conversation, a.Id, ct) || await HandledAsync(channel, conversation, a.ReplyToId, ct)))
        {
            return TurnOutcome.Silent;
        }
        var deleted = Is(a.Type, ActivityTypes.MessageDelete);
        // Recorded under a key of its own: a re-delivery, or a second edit of the same message, is not answered again.
        var said = (deleted ? "delete:" : "edit:") + (a.Id ?? a.ReplyToId);
        var key = new ProcessedActivityKey(channel, conversation, said.Length > MaxRevisionIdLength ? said[..MaxRevisionIdLength] : said);
        return await recorder.RunOnceAsync(a, expectReplies, async s =>
        {
            // A deletion carries no locale on some channels: the language the person's notices are written in.
            var zh = Phrases.IsChinese(a.Locale ?? (await ConversationReferenceStore.FindAsync(s, channel, userId))?.Locale);
            var who = await Enrolment.IdentifyInAsync(s, channel, userId);
            // Staff who verify correct a record themselves; anyone else through their secretary.
            var verifies = who?.Staff is { Role: not StaffRole.GridWorker };
            var text = (deleted, zh) switch
            {
                (false, true) => "修改消息不会改变已登记的内容，记录以第一次发送的为准。",
                (true, true) => "撤回消息不会撤销已登记的内容，记录以第一次发送的为准。",
                (false, false) => "Editing a message does not change what was recorded: it stands as first sent.",
                (true, false) => "Deleting a message does not withdraw what was recorded: it stands as first sent.",
            } + (verifies
                ? zh ? "如需更正：待核查的可以「驳回」，已通过的可以发送「撤销 编号 原因」，再重新上报。"
                    : " To correct it, reject it while it is pending, or send \"revoke <id> <reason>\" once approved, then report it again."
                : zh ? "如需更正，请联系村/社区书记。" : " To have it corrected, ask your village/community secretary.");
            return [Reply.To(a, text)];
        }, ct, key);
    }

    // As the endpoint allows an activity's id (BotEndpoint.MaxIdLength), which the processed-activity record keeps.
    private const int MaxRevisionIdLength = 1024;

    private Task<bool> HandledAsync(string channel, string conversation, string? id, CancellationToken ct) =>
        id is { Length: > 0 } ? recorder.HandledAsync(new ProcessedActivityKey(channel, conversation, id), ct) : Task.FromResult(false);
}
