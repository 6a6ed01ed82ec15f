using Scoring.Bot.Conversations;
using Scoring.Bot.Protocol;

namespace Scoring.Bot.Tests.Conversations;

public class ChatTurnTests
{
    private static ChatTurn Turn() => new(null!, new Activity
    {
        Type = ActivityTypes.Message,
        Id = "a-1",
        ChannelId = "webchat",
        ServiceUrl = "https://channel.example/",
        Locale = "zh-CN",
        From = new ChannelAccount { Id = "user-1" },
        Recipient = new ChannelAccount { Id = "bot" },
        Conversation = new ConversationAccount { Id = "c-1" },
        Text = "积分",
    }, null, ChatWorld.Wednesday);

    [Fact]
    public void A_question_shows_its_buttons_in_order_without_blanks_or_repeats_and_at_most_twelve()
    {
        string[] offered = ["积分", " ", "榜单", "积分", "", .. Enumerable.Range(1, 20).Select(i => $"选项{i}")];

        var reply = Turn().Ask("选一个", offered);

        Assert.Equal(["积分", "榜单", .. Enumerable.Range(1, 10).Select(i => $"选项{i}")], reply.SuggestedActions!.Actions.Select(a => a.Title));
        Assert.All(reply.SuggestedActions.Actions, a => Assert.Equal(CardActionTypes.ImBack, a.Type));
        Assert.Equal(["user-1"], reply.SuggestedActions.To!);
    }

    [Fact]
    public void Each_question_gets_a_list_of_buttons_of_its_own()
    {
        var turn = Turn();
        string[] offered = ["积分", "榜单"];

        var first = turn.Ask("选一个", offered);
        var second = turn.Ask("再选一个", offered);
        first.SuggestedActions!.Actions.RemoveAt(0);

        Assert.Equal(2, second.SuggestedActions!.Actions.Count);
    }
}
