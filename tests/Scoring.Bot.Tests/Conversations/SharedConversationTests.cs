using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Bot.Protocol;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// What a conversation is (a private chat, or one others read: a group, a channel) and who in it the bot answers: in a
/// shared one only what is addressed to it, never whoever added someone, never itself; notices only to a private one.
/// </summary>
public sealed class SharedConversationTests
{
    private const string SlackDm = "B0BOT:T0TEAM:D0DIRECT";

    /// <summary>A message on <paramref name="channel"/> in <paramref name="conversation"/>, addressed to the bot as Teams and Slack mention it.</summary>
    private static Activity On(ChatWorld world, string channel, string conversation, string who, string text, bool mentioningTheBot = true)
    {
        var message = world.Message(who, text);
        message.ChannelId = channel;
        message.Conversation = new ConversationAccount { Id = conversation };
        if (mentioningTheBot)
            message.Entities = [JsonSerializer.SerializeToElement(new { type = "mention", mentioned = new { id = "bot", name = "Scoring" }, text = "<at>Scoring</at>" })];
        return message;
    }

    private static Task<string?> ReferenceOfAsync(ChatWorld world, string channel, string who) =>
        world.Db.ReadAsync(s => Dapper.SqlMapper.ExecuteScalarAsync<string?>(s.Connection,
            "SELECT conversation_id FROM bot_conversation_reference WHERE channel_id = @channel AND user_id = @user", new { channel, user = ChatWorld.UserOf(who) }));

    private static Task<long> DialogsOfAsync(ChatWorld world, string who) =>
        world.CountAsync($"SELECT COUNT(*) FROM chat_dialogs WHERE user_id = '{ChatWorld.UserOf(who)}'");

    [Fact]
    public async Task A_slack_channel_with_one_person_in_it_is_still_a_channel_and_notices_stay_in_the_private_chat()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.DeliverAsync(On(world, "slack", SlackDm, "secretary-fangtang", $"绑定 {world.CodeOf("secretary-fangtang")}", mentioningTheBot: false));
        world.Clock.Advance(TimeSpan.FromMinutes(11)); // past the time an unchanged reference is not written again
        // Azure Bot Service says isGroup false while the channel has two members (botframework-sdk#3063).
        var inChannel = On(world, "slack", "B0BOT:T0TEAM:C0CHANNEL", "secretary-fangtang", "<at>Scoring</at> 待核查");
        inChannel.Conversation!.IsGroup = false;

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(inChannel));

        Assert.Contains("请私聊我", reply, StringComparison.Ordinal);
        Assert.Equal(SlackDm, await ReferenceOfAsync(world, "slack", "secretary-fangtang"));
    }

    [Fact]
    public async Task A_reference_kept_from_a_slack_channel_before_is_not_told_a_notice()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.DeliverAsync(On(world, "slack", SlackDm, "landlord-1", $"绑定 {world.CodeOf("landlord-1")}", mentioningTheBot: false));
        await world.DeliverAsync(On(world, "slack", SlackDm, "landlord-1", "代办 王小明 复工备案", mentioningTheBot: false));
        // Written from the channel while a channel with two members passed for a private chat.
        await world.Db.WriteAsync(s => Dapper.SqlMapper.ExecuteAsync(s.Connection,
            "UPDATE bot_conversation_reference SET conversation_id = 'B0BOT:T0TEAM:C0CHANNEL' WHERE user_id = 'chat-landlord-1'", transaction: s.Transaction));

        var decided = await world.Services.GetRequiredService<Scoring.Application.Verification>()
            .ApproveAsync(await world.StaffAsync("secretary-fangtang"), await world.LatestEventIdAsync());

        Assert.True(decided.Succeeded);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM bot_outbox WHERE conversation_id = 'B0BOT:T0TEAM:C0CHANNEL'"));
    }

    [Theory]
    [InlineData("slack", "B0BOT:T0TEAM:G0PRIVATE", null, null)]
    [InlineData("slack", "B0BOT:T0TEAM", null, "channel")]
    [InlineData("slack", "B0BOT:T0TEAM", null, "mpim")]
    [InlineData("telegram", "-1001234567890", null, null)]
    [InlineData("test", "19:meeting@thread.v2", "groupChat", null)]
    [InlineData("test", "19:general@thread.tacv2", "channel", null)]
    public async Task A_conversation_a_channel_shows_as_shared_is_a_group_whatever_its_isGroup(string channel, string conversation, string? type, string? slackChannelType)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.DeliverAsync(On(world, channel, "private-" + channel, "landlord-1", $"绑定 {world.CodeOf("landlord-1")}", mentioningTheBot: false));
        var message = On(world, channel, conversation, "landlord-1", "<at>Scoring</at> 积分");
        message.Conversation!.ConversationType = type;
        if (slackChannelType is not null)
            message.ChannelData = JsonSerializer.SerializeToElement(new { SlackMessage = new { @event = new { channel_type = slackChannelType } } });

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(message));

        Assert.Contains("请私聊我", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("当前积分", reply, StringComparison.Ordinal);
        Assert.Equal("private-" + channel, await ReferenceOfAsync(world, channel, "landlord-1"));
    }

    [Theory]
    [InlineData("slack", SlackDm)]
    [InlineData("telegram", "123456789")]
    public async Task A_direct_message_stays_private(string channel, string conversation)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.DeliverAsync(On(world, channel, conversation, "landlord-1", $"绑定 {world.CodeOf("landlord-1")}", mentioningTheBot: false));

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(On(world, channel, conversation, "landlord-1", "积分", mentioningTheBot: false)));

        Assert.Contains("当前积分", reply, StringComparison.Ordinal);
        Assert.Equal(conversation, await ReferenceOfAsync(world, channel, "landlord-1"));
    }

    [Fact]
    public async Task Group_chatter_not_addressed_to_the_bot_gets_no_reply_and_leaves_no_dialog()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var photo = world.GroupMessage("landlord-1", "");
        photo.Text = null;
        photo.Attachments = [new Attachment { ContentType = "image/jpeg", ContentUrl = "https://example.test/p.jpg" }];

        var stranger = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("landlord-2", "大家好，明天几点开会？")));
        var greeting = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("landlord-2", "你好")));
        var bound = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("landlord-1", "收到，谢谢")));
        var picture = ChatWorld.ActivityText(await world.DeliverAsync(photo));

        Assert.Equal("", stranger + greeting + bound + picture);
        Assert.Equal(0, await DialogsOfAsync(world, "landlord-2"));
    }

    /// <summary>
    /// A message in a Telegram group as Azure Bot Service delivers it: the bot's account named by its Telegram username, the
    /// Telegram update in channelData, with the message it answers (<c>reply_to_message</c>) when it is a reply.
    /// </summary>
    private static Activity TelegramGroupMessage(ChatWorld world, string who, string text, object? repliedToSender)
    {
        var message = On(world, "telegram", "-1001234567890", who, text, mentioningTheBot: false);
        message.Recipient = new ChannelAccount { Id = "scoring_bot", Name = "Scoring" };
        message.ChannelData = JsonSerializer.SerializeToElement(new
        {
            update_id = 1,
            message = new
            {
                message_id = 7,
                chat = new { id = -1001234567890, type = "supergroup" },
                text,
                reply_to_message = repliedToSender is null ? null : new { message_id = 6, from = repliedToSender, text = "本周红黑榜" },
            },
        });
        return message;
    }

    [Fact]
    public async Task A_reply_in_a_telegram_group_to_the_bots_own_message_is_addressed_to_the_bot()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.DeliverAsync(On(world, "telegram", "123456789", "landlord-1", $"绑定 {world.CodeOf("landlord-1")}", mentioningTheBot: false));

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(TelegramGroupMessage(world, "landlord-1", "我的积分",
            new { id = 5550001, is_bot = true, first_name = "Scoring", username = "Scoring_Bot" })));

        Assert.Contains("请私聊我", reply, StringComparison.Ordinal);
    }

    public static TheoryData<string> NotTheBots() => new()
    {
        // Another bot of the group, a person who shares the bot's display name, and no reply at all.
        JsonSerializer.Serialize(new { id = 5550002, is_bot = true, first_name = "Weather", username = "weather_bot" }),
        JsonSerializer.Serialize(new { id = 5550003, is_bot = false, first_name = "Scoring", username = "Scoring" }),
        "",
    };

    [Theory]
    [MemberData(nameof(NotTheBots))]
    public async Task A_reply_in_a_telegram_group_to_anyone_else_s_message_is_not_addressed_to_the_bot(string repliedToSender)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var replies = await world.DeliverAsync(TelegramGroupMessage(world, "landlord-1", "我的积分",
            repliedToSender.Length == 0 ? null : JsonSerializer.Deserialize<JsonElement>(repliedToSender)));

        Assert.True(replies.Count == 0, ChatWorld.ActivityText(replies));
    }

    [Fact]
    public async Task A_strangers_bind_begun_in_a_group_does_not_take_their_chatter_as_a_code()
    {
        await using var world = await ChatWorld.CreateAsync();
        var begun = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("landlord-2", "<at>Scoring</at> 绑定", mentioningTheBot: true)));

        var chatter = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("landlord-2", "好的我晚点看看ABCD1234")));
        var privately = ChatWorld.ActivityText(await world.SayAsync("landlord-2", world.CodeOf("landlord-2")));

        Assert.Contains("绑定码", begun, StringComparison.Ordinal);
        Assert.Equal("", chatter);
        Assert.Contains("绑定成功", privately, StringComparison.Ordinal); // the bind still waits for the code, in private
    }

    [Theory]
    [InlineData("@Scoring 榜单")]
    [InlineData("＠scoring，榜单")]
    [InlineData("/list")]
    [InlineData("/list@Scoring")]
    [InlineData("榜单")] // the group's own buttons send their titles
    public async Task A_message_addressed_to_the_bot_in_a_group_is_answered(string text)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("landlord-1", text)));

        Assert.Contains("红黑榜", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("请私聊我", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/weather@OtherBot 北京")] // Telegram: a command for another bot, delivered with privacy mode off
    [InlineData("/list@OtherBot")]
    [InlineData("/weather 北京")] // no command of ours
    public async Task A_slash_command_for_another_bot_or_unknown_to_us_in_a_group_gets_no_reply(string text)
    {
        await using var world = await ChatWorld.CreateAsync();

        var replies = await world.DeliverAsync(world.GroupMessage("landlord-1", text));

        Assert.True(replies.Count == 0, ChatWorld.ActivityText(replies));
    }

    [Theory]
    [InlineData("/start")]
    [InlineData("/help")]
    [InlineData("/start@Scoring")]
    public async Task Start_and_help_as_slash_commands_in_a_group_are_ours(string text)
    {
        await using var world = await ChatWorld.CreateAsync();

        var replies = await world.DeliverAsync(world.GroupMessage("landlord-2", text));

        Assert.NotEmpty(replies);
    }

    [Fact]
    public async Task A_card_press_in_a_group_is_answered()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        var press = world.GroupMessage("secretary-fangtang", "");
        press.Text = null;
        press.Value = JsonSerializer.SerializeToElement(new { action = "approve", id = "K8TYAB8JP" });

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(press));

        Assert.Contains("请私聊我", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_added_to_a_group_is_not_welcomed_as_the_person_who_added_them()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        var join = world.Join("secretary-fangtang");
        join.Conversation = new ConversationAccount { Id = "group-1", IsGroup = true };
        join.MembersAdded = [new ChannelAccount { Id = "chat-newcomer", Name = "新人" }];

        var replies = await world.DeliverAsync(join);

        Assert.Empty(replies);
    }

    [Fact]
    public async Task The_bot_added_to_a_group_introduces_itself_once_naming_no_one()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        var secretary = await world.StaffAsync("secretary-fangtang");
        var added = world.Join("secretary-fangtang");
        added.Conversation = new ConversationAccount { Id = "group-1", IsGroup = true };
        added.MembersAdded = [new ChannelAccount { Id = "bot" }, new ChannelAccount { Id = "chat-newcomer" }];

        var replies = await world.DeliverAsync(added);

        var intro = Assert.Single(replies);
        Assert.Contains("私聊我", intro.Text, StringComparison.Ordinal);
        Assert.Contains("榜单", intro.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(secretary.Name, intro.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("待核查", intro.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installing_the_bot_in_a_personal_chat_greets_the_user_once()
    {
        await using var world = await ChatWorld.CreateAsync();
        Activity Install()
        {
            var install = world.Join("landlord-1");
            install.Conversation!.ConversationType = "personal";
            install.MembersAdded = [new ChannelAccount { Id = "bot" }];
            return install;
        }

        var first = ChatWorld.ActivityText(await world.DeliverAsync(Install()));
        var again = await world.DeliverAsync(Install());

        Assert.Contains("绑定 绑定码", first, StringComparison.Ordinal);
        Assert.Empty(again);
    }

    [Fact]
    public async Task Direct_line_announcing_the_bot_then_the_user_greets_once()
    {
        await using var world = await ChatWorld.CreateAsync();
        var bot = world.Join("landlord-1");
        bot.MembersAdded = [new ChannelAccount { Id = "bot" }];
        var user = world.Join("landlord-1");
        user.MembersAdded = [new ChannelAccount { Id = ChatWorld.UserOf("landlord-1") }];

        var replies = (await world.DeliverAsync(bot)).Concat(await world.DeliverAsync(user));

        Assert.Single(replies);
    }

    [Fact]
    public async Task The_bots_own_message_echoed_back_is_not_answered_nor_remembered()
    {
        await using var world = await ChatWorld.CreateAsync();
        var echo = world.Message("x", "您好！我是街道积分助手（房东十二分制、铺长制）。");
        echo.From = new ChannelAccount { Id = "bot", Name = "Scoring" }; // no role, as several channels send it

        var replies = await world.DeliverAsync(echo);

        Assert.Empty(replies);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM bot_conversation_reference WHERE user_id = 'bot'"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM chat_dialogs WHERE user_id = 'bot'"));
    }

    [Theory]
    [InlineData("""{"type":"message","bot_id":"B0OTHER","app_id":"A0OTHER","text":"帮助"}""")]
    [InlineData("""{"type":"message","subtype":"bot_message","username":"Reminders","text":"帮助"}""")]
    public async Task A_slack_message_from_another_app_is_not_answered_nor_remembered(string slackEvent)
    {
        // Slack names another app's post by the event's bot_id (or the older subtype bot_message), not by a role.
        await using var world = await ChatWorld.CreateAsync();
        var posted = On(world, "slack", SlackDm, "other-app", "帮助", mentioningTheBot: false);
        posted.ChannelData = JsonSerializer.SerializeToElement(new { SlackMessage = new { type = "event_callback", @event = JsonSerializer.Deserialize<JsonElement>(slackEvent) } });

        var replies = await world.DeliverAsync(posted);

        Assert.True(replies.Count == 0, ChatWorld.ActivityText(replies));
        Assert.Equal(0, await world.CountAsync($"SELECT COUNT(*) FROM bot_conversation_reference WHERE user_id = '{ChatWorld.UserOf("other-app")}'"));
        Assert.Equal(0, await DialogsOfAsync(world, "other-app"));
    }

    [Fact]
    public async Task A_slack_message_from_a_person_is_answered()
    {
        await using var world = await ChatWorld.CreateAsync();
        var said = On(world, "slack", SlackDm, "landlord-2", "帮助", mentioningTheBot: false);
        said.ChannelData = JsonSerializer.SerializeToElement(new { SlackMessage = new { type = "event_callback", @event = new { type = "message", user = "U0PERSON", text = "帮助" } } });

        var replies = await world.DeliverAsync(said);

        Assert.NotEmpty(replies);
    }
}
