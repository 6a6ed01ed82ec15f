using Scoring.Bot.Conversations;
using Scoring.Bot.Protocol;
using Scoring.Bot.Turns;

namespace Scoring.Bot.Endpoint;

/// <summary>
/// The stand-in conversation until the real one is registered: greets newcomers and echoes
/// messages, following the full turn contract (record + enqueue in one transaction).
/// </summary>
internal sealed class GreetingHandler(TurnRecorder recorder) : IActivityHandler
{
    public Task<TurnOutcome> HandleAsync(Activity activity, bool expectReplies, CancellationToken ct) =>
        string.Equals(activity.Type, ActivityTypes.Message, StringComparison.OrdinalIgnoreCase)
        || string.Equals(activity.Type, ActivityTypes.ConversationUpdate, StringComparison.OrdinalIgnoreCase)
            ? recorder.RunOnceAsync(activity, expectReplies, _ => Task.FromResult<IReadOnlyList<Activity>>(Compose(activity)), ct)
            : Task.FromResult(TurnOutcome.Silent); // an edit or deletion is not echoed

    private static List<Activity> Compose(Activity activity)
    {
        var english = !Phrases.IsChinese(activity.Locale);
        if (string.Equals(activity.Type, ActivityTypes.ConversationUpdate, StringComparison.OrdinalIgnoreCase))
        {
            var newcomers = activity.MembersAdded?.Where(member => member.Id is { Length: > 0 } id && id != activity.Recipient?.Id).ToList() ?? [];
            return newcomers.Count == 0 ? [] : [Greeting(activity, english)];
        }
        if (activity.IsCardSubmit)
        {
            return [Reply.To(activity, english ? "Got your card." : "已收到你的卡片。")];
        }
        var said = activity.Text?.Trim() ?? "";
        var text = english
            ? $"Hello! This is the Houzhai scoring assistant; it is still being set up. You said: {said}"
            : $"你好！这里是后宅积分助手，正在准备中。你说：{said}";
        return [Reply.To(activity, text).WithSuggestedActions(english ? "help" : "帮助")];
    }

    private static Activity Greeting(Activity activity, bool english) => Reply.To(activity, english
        ? "Welcome to the Houzhai scoring assistant."
        : "欢迎使用后宅积分助手。");
}
