using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Bot.Protocol;
using Scoring.Bot.Tests.Conversations;
using Scoring.Bot.Turns;

namespace Scoring.Bot.Tests.Protocol;

public sealed class ReplyFittingTests
{
    private static Activity Inbound(string channel) => new()
    {
        Type = ActivityTypes.Message,
        Id = "in-1",
        ChannelId = channel,
        ServiceUrl = "https://connector.example",
        Conversation = new ConversationAccount { Id = "conv-1" },
        From = new ChannelAccount { Id = "user-1" },
        Recipient = new ChannelAccount { Id = "bot" },
        Locale = "zh-CN",
    };

    private static string Lines(int count, string line) => string.Join("\n", Enumerable.Range(0, count).Select(i => $"{i:D4} {line}"));

    [Fact]
    public void Replies_that_fit_are_sent_as_they_are_not_copied()
    {
        IReadOnlyList<Activity> replies = [Reply.To(Inbound("telegram"), "好").WithSuggestedActions("积分"), Reply.To(Inbound("msteams"), Lines(100, "一行"))];

        Assert.Same(replies, ReplyFitting.Fit(replies));
    }

    /// <summary>What a channel counts of a text: characters, or on SMS the bytes (Twilio counts a Chinese character as several).</summary>
    private static int Counted(string channel, string text) => channel == "sms" ? System.Text.Encoding.UTF8.GetByteCount(text) : text.Length;

    [Theory]
    [InlineData("telegram", 4096)]
    [InlineData("sms", 1600)]
    [InlineData("slack", 4000)]
    public void A_text_longer_than_the_channel_takes_is_sent_in_parts_cut_between_lines_with_the_buttons_on_the_last(string channel, int max)
    {
        var text = Lines(400, "王小明 · 参与矛盾调解 +1 · 02YEJ1TNP");
        var reply = Reply.To(Inbound(channel), text).WithSuggestedActions("待核查", "帮助");

        var parts = ReplyFitting.Fit([reply]);

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(Counted(channel, p.Text!) <= max));
        Assert.Equal(text, string.Join("\n", parts.Select(p => p.Text)));
        Assert.All(parts, p => Assert.Equal(("in-1", "conv-1", "user-1", "zh-CN", "plain"), (p.ReplyToId, p.Conversation!.Id, p.Recipient!.Id, p.Locale, p.TextFormat)));
        Assert.All(parts.SkipLast(1), p => Assert.Null(p.SuggestedActions));
        Assert.Equal(["待核查", "帮助"], parts[^1].SuggestedActions!.Actions.Select(a => a.Title));
    }

    [Fact]
    public void A_line_longer_than_a_message_is_cut_where_it_must_but_never_inside_a_character()
    {
        var text = "原因：" + string.Concat(Enumerable.Repeat("😀楼", 3000));

        var parts = ReplyFitting.Fit([Reply.To(Inbound("sms"), text)]);

        Assert.All(parts, p => Assert.True(Counted("sms", p.Text!) <= 1600));
        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p.Text![^1])));
        Assert.Equal(text, string.Concat(parts.Select(p => p.Text)));
    }

    [Fact]
    public void A_line_of_twice_an_SMS_is_sent_as_two_messages_not_eight()
    {
        // Each SMS is paid for: a run of the line is as long as the message takes, not a guess at the worst character.
        var text = new string('x', 3200);

        var parts = ReplyFitting.Fit([Reply.To(Inbound("sms"), text)]);

        Assert.Equal([1600, 1600], parts.Select(p => p.Text!.Length));
        Assert.Equal(text, string.Concat(parts.Select(p => p.Text)));
    }

    [Fact]
    public void The_lines_around_a_line_longer_than_a_message_share_its_first_and_last_messages()
    {
        var text = "head\n" + new string('x', 9000) + "\ntail";

        var parts = ReplyFitting.Fit([Reply.To(Inbound("telegram"), text)]);

        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.True(p.Text!.Length <= 4096));
        Assert.StartsWith("head\nx", parts[0].Text);
        Assert.EndsWith("x\ntail", parts[^1].Text);
        Assert.Equal(text, string.Concat(parts.Select(p => p.Text)));
    }

    [Fact]
    public void A_line_of_emoji_joined_into_one_is_never_cut_inside_one()
    {
        const string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"; // one family: 11 UTF-16 units, 25 bytes
        var text = string.Concat(Enumerable.Repeat(family, 400));

        var parts = ReplyFitting.Fit([Reply.To(Inbound("sms"), text)]);

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(Counted("sms", p.Text!) <= 1600));
        Assert.All(parts, p => Assert.False(p.Text![^1] == '\u200D' || char.IsHighSurrogate(p.Text[^1]), $"a part ends inside a family: U+{(int)p.Text[^1]:X4}"));
        Assert.All(parts, p => Assert.Equal(0, p.Text!.Length % family.Length));
        Assert.Equal(text, string.Concat(parts.Select(p => p.Text)));
    }

    [Fact]
    public void On_a_channel_of_many_bytes_a_reply_past_its_bytes_is_split_by_bytes()
    {
        // 20,000 Chinese characters: 60 KB in UTF-8, past the 40 KB Teams and Direct Line are held to.
        var text = Lines(1000, "房东应天乐参与矛盾调解记录一条");

        var parts = ReplyFitting.Fit([Reply.To(Inbound("msteams"), text)]);

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(ReplyFitting.Bytes(ActivityJson.Serialize(p)) <= ChannelLimits.Default.MaxBytes));
        Assert.Equal(text, string.Join("\n", parts.Select(p => p.Text)));
    }

    [Fact]
    public void On_Telegram_a_button_whose_value_passes_64_bytes_is_left_out_and_the_message_and_the_other_buttons_go()
    {
        var tenant = "阿卜杜热合曼·买买提依明·阿卜杜克热木·艾力"; // 73 bytes with 返回
        var reply = Reply.To(Inbound("telegram"), $"租客提醒：您的租客{tenant}预计今天返回。").WithSuggestedActions($"返回 {tenant}", "积分");

        var part = Assert.Single(ReplyFitting.Fit([reply]));

        Assert.Equal(reply.Text, part.Text);
        Assert.Equal(["积分"], part.SuggestedActions!.Actions.Select(a => a.Title));
        Assert.Equal(["user-1"], part.SuggestedActions.To);
        // Elsewhere the button goes as it is.
        Assert.Equal(2, Assert.Single(ReplyFitting.Fit([Reply.To(Inbound("msteams"), "好").WithSuggestedActions($"返回 {tenant}", "积分")])).SuggestedActions!.Actions.Count);
    }

    [Fact]
    public void A_Telegram_reply_with_a_menu_of_buttons_that_fits_costs_no_allocation_to_check()
    {
        // Every Telegram message with buttons is checked for values past 64 bytes, the single writer held for some of them.
        string[] menu = ["积分", "待核查", "返回 王小明", "返回 阿卜杜热合曼·买买提依明", "巡查", "帮助", "榜单", "周报", "发布", "调解", "代办", "取消"];
        IReadOnlyList<Activity> replies = [Reply.To(Inbound("telegram"), "请选择：").WithSuggestedActions(menu)];
        for (int i = 0; i < 100; i++) Assert.Same(replies, ReplyFitting.Fit(replies)); // past the JIT's first tiers

        var before = GC.GetAllocatedBytesForCurrentThread();
        var fitted = ReplyFitting.Fit(replies);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Same(replies, fitted);
        Assert.Equal(0, allocated);
    }

    private static JsonObject Card(string id) => new()
    {
        ["type"] = "AdaptiveCard",
        ["version"] = "1.3",
        ["body"] = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = "应天乐（房东）" },
            new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray { new JsonObject { ["title"] = "编号", ["value"] = id }, new JsonObject { ["title"] = "Points", ["value"] = "+1" } } },
            new JsonObject { ["type"] = "Input.Text", ["id"] = "reason", ["placeholder"] = "驳回原因" },
        },
        ["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.Submit", ["title"] = "通过", ["data"] = new JsonObject { ["action"] = "approve", ["id"] = id } } },
    };

    [Fact]
    public void Where_a_channel_shows_no_cards_their_text_blocks_and_facts_follow_the_text_and_their_inputs_and_buttons_do_not()
    {
        var reply = Reply.To(Inbound("telegram"), "待核查 2 条").WithAdaptiveCard(Card("A1")).WithAdaptiveCard(Card("B2"));
        reply.AttachmentLayout = "list";

        var part = Assert.Single(ReplyFitting.Fit([reply]));

        Assert.Null(part.Attachments);
        Assert.Null(part.AttachmentLayout);
        Assert.Equal("待核查 2 条\n\n应天乐（房东）\n编号：A1\nPoints: +1\n\n应天乐（房东）\n编号：B2\nPoints: +1", part.Text);
    }

    private static JsonObject InputOnlyCard() => new()
    {
        ["type"] = "AdaptiveCard",
        ["version"] = "1.3",
        ["body"] = new JsonArray { new JsonObject { ["type"] = "Input.Text", ["id"] = "reason", ["placeholder"] = "驳回原因" } },
    };

    [Theory]
    [InlineData("telegram")]
    [InlineData("sms")]
    [InlineData("slack")]
    public void A_card_with_nothing_to_read_on_a_channel_without_cards_is_never_sent_as_an_empty_message(string channel)
    {
        // Telegram refuses a message without text (400 message text is empty): the outbox would give it up as a dead letter.
        var bare = Reply.To(Inbound(channel), "").WithAdaptiveCard(InputOnlyCard());
        var withButtons = Reply.To(Inbound(channel), "").WithAdaptiveCard(InputOnlyCard()).WithSuggestedActions("帮助");

        var parts = ReplyFitting.Fit([bare, withButtons]);

        Assert.All(parts, p => Assert.False(string.IsNullOrEmpty(p.Text), "a part with no text"));
        var part = Assert.Single(parts);
        Assert.Equal(["帮助"], part.SuggestedActions!.Actions.Select(a => a.Title));
    }

    [Fact]
    public void Cards_past_a_message_s_bytes_follow_the_text_in_messages_of_their_own_in_order()
    {
        var reply = Reply.To(Inbound("msteams"), "待核查 30 条");
        for (int i = 0; i < 30; i++)
        {
            var card = Card($"ID{i:D2}");
            ((JsonArray)card["body"]!).Add(new JsonObject { ["type"] = "TextBlock", ["text"] = new string('楼', 600) });
            reply.WithAdaptiveCard(card);
        }
        reply.AttachmentLayout = "list";

        var parts = ReplyFitting.Fit([reply]);

        Assert.True(parts.Count > 1);
        Assert.Equal("待核查 30 条", parts[0].Text);
        Assert.All(parts.Skip(1), p => Assert.Null(p.Text));
        Assert.All(parts, p => Assert.True(ReplyFitting.Bytes(ActivityJson.Serialize(p)) <= ChannelLimits.Default.MaxBytes));
        Assert.All(parts, p => Assert.Equal("list", p.AttachmentLayout));
        var ids = parts.SelectMany(p => p.Attachments!).Select(a => a.Content!.Value.GetProperty("actions")[0].GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"ID{i:D2}"), ids);
    }

    [Fact]
    public async Task A_notice_too_long_for_its_channel_waits_in_the_outbox_in_parts_in_order()
    {
        await using var world = await ChatWorld.CreateAsync();
        var text = Lines(200, "超时上报：应天乐（方塘村）「楼道未消毒」-1（编号 02YEJ1TNP），26小时前上报");
        var notice = Reply.To(Inbound("sms"), text);
        notice.ReplyToId = null;

        await world.Db.WriteAsync(s => world.Services.GetRequiredService<TurnRecorder>().EnqueueAsync(s, [notice]));

        var queued = (await world.Db.ReadAsync(s => s.Connection.QueryAsync<string>(
            "SELECT activity_json FROM bot_outbox WHERE conversation_id = 'conv-1' ORDER BY seq"))).Select(json => ActivityJson.Parse(json)!).ToList();
        Assert.True(queued.Count > 1);
        Assert.All(queued, a => Assert.True(Counted("sms", a.Text!) <= 1600));
        Assert.Equal(text, string.Join("\n", queued.Select(a => a.Text)));
    }
}
