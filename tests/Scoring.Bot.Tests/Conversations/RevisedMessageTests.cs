using Scoring.Bot.Protocol;

namespace Scoring.Bot.Tests.Conversations;

// Teams delivers an edit (messageUpdate) or a deletion (messageDelete) of a user's message, naming it by its id. What the
// bot recorded from it stands: the person is told so once, and how to have it corrected.
public sealed class RevisedMessageTests
{
    private static Activity Revision(ChatWorld world, string type, Activity original, string? text = null, string? locale = "zh-CN")
    {
        var revision = world.Message("landlord-1", text, locale ?? "zh-CN", id: original.Id);
        revision.Type = type;
        revision.From = original.From;
        revision.Conversation = original.Conversation;
        revision.Locale = locale;
        return revision;
    }

    [Fact]
    public async Task An_edited_report_is_answered_that_the_record_stands_as_first_sent_and_whom_to_ask()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var report = world.Message("landlord-1", "返回 王小明 今天 08:00");
        await world.DeliverAsync(report);

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(Revision(world, "messageUpdate", report, "返回 王小明 今天 09:00")));

        Assert.Contains("修改消息不会改变已登记的内容", reply, StringComparison.Ordinal);
        Assert.Contains("以第一次发送的为准", reply, StringComparison.Ordinal);
        Assert.Contains("书记", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_report_is_answered_once_in_the_persons_language_through_the_outbox()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", "en-GB");
        var report = world.Message("landlord-1", "return 王小明 today 08:00", "en-GB");
        await world.DeliverAsync(report, expectReplies: false);
        var before = (await world.OutboxTextsAsync("landlord-1")).Count;

        // Teams' deletion carries no text, and here no locale: the language is the one the person's notices are in.
        await world.DeliverAsync(Revision(world, "messageDelete", report, locale: null), expectReplies: false);
        await world.DeliverAsync(Revision(world, "messageDelete", report, locale: null), expectReplies: false);

        var told = (await world.OutboxTextsAsync("landlord-1")).Skip(before).ToList();
        var reply = Assert.Single(told);
        Assert.Contains("Deleting a message does not withdraw what was recorded", reply, StringComparison.Ordinal);
        Assert.Contains("secretary", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secretary_who_edits_an_approval_is_told_she_may_revoke_it()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 帮忙买菜");
        var approval = world.Message("secretary-fangtang", $"通过 {await world.LatestEventIdAsync()}");
        await world.DeliverAsync(approval);
        var edit = Revision(world, "messageUpdate", approval, "通过");

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(edit));

        Assert.Contains("撤销", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edit_of_a_message_the_bot_never_handled_is_ignored()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var unknown = world.Message("landlord-1", "返回 王小明 今天 08:00", id: "never-seen");

        var replies = await world.DeliverAsync(Revision(world, "messageUpdate", unknown, "返回 王小明 今天 09:00"));

        Assert.Empty(replies);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM bot_processed_activity WHERE activity_id LIKE '%never-seen%'"));
    }

    [Fact]
    public async Task An_edit_in_a_group_of_a_report_refused_there_gets_no_reply_before_the_group()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var said = world.GroupMessage("landlord-1", "<at>Scoring</at> 代办 王小明 帮忙买菜", mentioningTheBot: true);
        Assert.Contains("请私聊我", ChatWorld.ActivityText(await world.DeliverAsync(said)), StringComparison.Ordinal);
        var edit = world.GroupMessage("landlord-1", "<at>Scoring</at> 代办 王小明 帮忙买药", mentioningTheBot: true);
        edit.Id = said.Id;
        edit.Type = "messageUpdate";

        var replies = await world.DeliverAsync(edit);

        Assert.True(replies.Count == 0, ChatWorld.ActivityText(replies));
    }
}
