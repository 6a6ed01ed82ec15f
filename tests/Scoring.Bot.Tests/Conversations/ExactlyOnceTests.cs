using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Bot.Conversations;
using Scoring.Bot.Protocol;
using Scoring.Bot.Turns;

namespace Scoring.Bot.Tests.Conversations;

public sealed class ExactlyOnceTests
{
    [Fact]
    public async Task A_redelivered_activity_changes_nothing_and_gets_the_same_replies()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var report = world.Message("landlord-1", "代办 王小明 复工备案", id: "delivery-1");

        var first = await world.DeliverAsync(report);
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        var again = await world.DeliverAsync(world.Message("landlord-1", "代办 王小明 复工备案", id: "delivery-1"));

        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Contains("分值：+1", ChatWorld.ActivityText(first));
        Assert.Equal(ChatWorld.ActivityText(first), ChatWorld.ActivityText(again));
    }

    [Fact]
    public async Task A_report_sent_again_in_a_new_message_within_minutes_is_recorded_once_and_told_so()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("gridworker-1");

        // No answer came quickly, so the same line was sent again: a new activity with an id of its own.
        var first = await world.DeliverAsync(world.Message("landlord-1", "违规 王小明 夜间聚众喧哗", id: "sent-1"));
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await world.DeliverAsync(world.Message("landlord-1", "违规 王小明 夜间聚众喧哗", id: "sent-2"));
        var deduction = await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 3号楼楼道");
        var deductedAgain = await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 3号楼楼道");

        Assert.Equal(2, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        var eventId = await world.LatestEventIdAsync(back: 1);
        Assert.Contains(eventId, ChatWorld.ActivityText(first));
        Assert.Contains(eventId, ChatWorld.ActivityText(again));
        Assert.Contains("不重复记录", ChatWorld.ActivityText(again));
        Assert.DoesNotContain("不重复记录", ChatWorld.ActivityText(first));
        Assert.Contains("不重复记录", ChatWorld.ActivityText(deductedAgain));
        Assert.DoesNotContain("不重复记录", ChatWorld.ActivityText(deduction));
    }

    [Fact]
    public async Task A_button_pressed_twice_is_not_taken_for_the_answer_to_the_next_question()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("gridworker-1");

        // The tenant's button pressed twice: the second press reaches the question that followed the first.
        await world.SayAsync("landlord-1", "代办");
        await world.SayAsync("landlord-1", "李娜");
        var secondPress = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "李娜"));
        var nothingYet = await world.CountAsync("SELECT COUNT(*) FROM score_events");
        var reported = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "代购生活用品"));
        // The rule confirmed with a button, then pressed again where the note is asked.
        await world.SayAsync("gridworker-1", "扣分 应天乐");
        await world.SayAsync("gridworker-1", "没消毒");
        await world.SayAsync("gridworker-1", "未按时消毒楼道等公共区域");
        var ruleAgain = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "未按时消毒楼道等公共区域"));

        Assert.Contains("代办了什么事", secondPress, StringComparison.Ordinal);
        Assert.Equal(0, nothingYet);
        Assert.Contains("（李娜：代购生活用品）", reported, StringComparison.Ordinal);
        Assert.Contains("请说明看到的情况", ruleAgain, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }

    [Fact]
    public async Task The_same_text_sent_again_after_the_warning_is_taken_as_meant()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");

        // A grid worker whose note really is the rule's own name: told once that it answered the step before, they send it again.
        await world.SayAsync("gridworker-1", "扣分 应天乐");
        await world.SayAsync("gridworker-1", "未按时消毒楼道等公共区域");
        var warned = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "未按时消毒楼道等公共区域"));
        var meant = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "未按时消毒楼道等公共区域"));

        Assert.Contains("上一步的回答", warned, StringComparison.Ordinal);
        Assert.DoesNotContain("上一步的回答", meant, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Equal("未按时消毒楼道等公共区域", await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>("SELECT evidence FROM score_events")));
    }

    [Fact]
    public async Task Reports_alike_are_two_when_their_words_differ_or_days_apart_and_one_the_same_day_hours_apart()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        await world.SayAsync("landlord-1", "代办 王小明 买菜");
        var first = await world.LatestEventIdAsync();
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        world.Clock.Advance(TimeSpan.FromHours(3));
        var sameDay = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "代办 王小明 买菜"));
        world.Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await world.SayAsync("landlord-1", "代办 王小明 买菜");

        // An addition sent again the same day is the one recorded: named, with its status (one service earns once).
        Assert.Contains("「为租客代办」（王小明：买菜）已在 09:00 上报过，不重复记录", sameDay, StringComparison.Ordinal);
        Assert.Contains(first, sameDay, StringComparison.Ordinal);
        Assert.Contains("状态：待核查", sameDay, StringComparison.Ordinal);
        Assert.Equal(3, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.DoesNotContain("不重复记录", ChatWorld.ActivityText(nextDay));
    }

    [Fact]
    public async Task The_events_source_is_derived_from_channel_conversation_and_activity_id()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var report = world.Message("landlord-1", "调解 邻里纠纷", id: "delivery-7");
        await world.DeliverAsync(report);

        var source = await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>("SELECT source FROM score_events"));
        Assert.Equal(ChatTurn.SourceOf(report), source);
        Assert.StartsWith("chat:", source);
        Assert.NotEqual(ChatTurn.SourceOf(report), ChatTurn.SourceOf(world.Message("landlord-1", "调解 邻里纠纷", id: "delivery-8")));
    }

    [Fact]
    public async Task A_redelivered_activity_with_its_timestamp_scores_once_and_its_source_leads_with_that_time()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var sent = new DateTimeOffset(2026, 11, 18, 9, 30, 15, 123, TimeSpan.FromHours(8));
        Activity Report() { var a = world.Message("landlord-1", "调解 邻里纠纷", id: "delivery-9"); a.Timestamp = sent; return a; }

        var first = await world.DeliverAsync(Report());
        var again = await world.DeliverAsync(Report());

        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Equal(ChatWorld.ActivityText(first), ChatWorld.ActivityText(again));
        var source = await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>("SELECT source FROM score_events"));
        Assert.StartsWith("chat:202611180130151230000:", source);
        Assert.Equal(ChatTurn.SourceOf(Report()), source);
    }

    [Fact]
    public void Sources_sort_by_the_time_their_activities_were_sent_whatever_their_ids()
    {
        var sent = new DateTimeOffset(2026, 11, 18, 1, 0, 0, TimeSpan.Zero);
        var earlier = Sent("conv-1", "zzz", sent);
        var later = Sent("conv-2", "aaa", sent.AddMilliseconds(1));
        var sameTimeOtherId = Sent("conv-1", "zzy", sent);

        Assert.True(string.CompareOrdinal(ChatTurn.SourceOf(earlier), ChatTurn.SourceOf(later)) < 0);
        Assert.NotEqual(ChatTurn.SourceOf(earlier), ChatTurn.SourceOf(sameTimeOtherId));
    }

    [Fact]
    public void An_activity_without_a_timestamp_still_gets_a_source_of_its_ids()
    {
        var a = Sent("conv-1", "x-1", null);

        Assert.Matches("^chat:[0-9a-f]{64}$", ChatTurn.SourceOf(a));
        Assert.Equal(ChatTurn.SourceOf(a), ChatTurn.SourceOf(Sent("conv-1", "x-1", null)));
        Assert.NotEqual(ChatTurn.SourceOf(a), ChatTurn.SourceOf(Sent("conv-2", "x-1", null)));
    }

    [Fact]
    public void A_source_is_the_one_earlier_versions_stored_for_the_same_activity()
    {
        // The hash computed outside .NET: sources already in a ledger must keep matching their redeliveries.
        const string hash = "1e8691a187743b30cdd370e93adc47547e52f68ff6015184ca8fd6d03deb8333";
        Assert.Equal("chat:" + hash, ChatTurn.SourceOf(Sent("conv-1", "x-1", null)));
        Assert.Equal("chat:202611180100000000000:" + hash,
            ChatTurn.SourceOf(Sent("conv-1", "x-1", new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8)))));
        // A turn reuses its de-duplication key's hash for the source: the two must be one formula.
        var sent = Sent("conv-1", "x-1", null);
        Assert.Equal("chat:" + hash, ChatTurn.SourceOf(sent, TurnRecorder.KeyOf(sent)));
    }

    private static Activity Sent(string conversation, string id, DateTimeOffset? at) => new()
    {
        Type = ActivityTypes.Message, Id = id, ChannelId = ChatWorld.Channel, Timestamp = at,
        Conversation = new ConversationAccount { Id = conversation }, From = new ChannelAccount { Id = "chat-landlord-1" },
    };

    [Fact]
    public async Task Without_expect_replies_the_replies_are_enqueued_once_with_the_effect()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var report = world.Message("landlord-1", "违规 王小明 深夜喧哗", id: "delivery-2");

        var first = await world.DeliverAsync(report, expectReplies: false);
        var again = await world.DeliverAsync(report, expectReplies: false);

        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Equal(first.Count, await world.CountAsync("SELECT COUNT(*) FROM bot_outbox WHERE reply_to_id = 'delivery-2'"));
        Assert.Equal(ChatWorld.ActivityText(first), ChatWorld.ActivityText(again));
        var queued = await world.OutboxTextsAsync("landlord-1");
        Assert.Contains(queued, text => text.Contains("上报租客违规", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_question_sent_twice_without_expect_replies_is_answered_once()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var question = world.Message("landlord-1", "积分", id: "question-1");

        var first = await world.DeliverAsync(question, expectReplies: false);
        var again = await world.DeliverAsync(question, expectReplies: false);

        Assert.Contains("当前积分", ChatWorld.ActivityText(first));
        Assert.Equal(ChatWorld.ActivityText(first), ChatWorld.ActivityText(again));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM bot_outbox WHERE reply_to_id = 'question-1'"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM bot_processed_activity WHERE activity_id = 'question-1'"));
    }

    [Fact]
    public async Task A_question_answered_in_the_response_is_recorded_nowhere_and_answered_afresh_when_sent_again()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var question = world.Message("landlord-1", "积分", id: "question-2");

        var first = await world.DeliverAsync(question);
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var again = await world.DeliverAsync(question);

        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM bot_processed_activity WHERE activity_id = 'question-2'"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM bot_outbox WHERE reply_to_id = 'question-2'"));
        Assert.Contains("还没有记录", ChatWorld.ActivityText(first));
        Assert.Contains("为租客代办", ChatWorld.ActivityText(again));
    }

    [Fact]
    public async Task A_question_in_the_middle_of_a_guided_step_ends_the_step()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回");

        Assert.Contains("当前积分", ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分")));
        // The tenant named after it answers no step: the one it answered is over, which is said.
        Assert.Contains("那一步已经结束", ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明")));
    }

    [Fact]
    public async Task A_redelivered_answer_in_a_guided_step_does_not_move_the_dialog_twice()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回");
        var tenant = world.Message("landlord-1", "王小明", id: "step-tenant");
        var asked = await world.DeliverAsync(tenant);
        var askedAgain = await world.DeliverAsync(tenant);
        Assert.Equal(ChatWorld.ActivityText(asked), ChatWorld.ActivityText(askedAgain));
        Assert.Contains("什么时候到的", ChatWorld.ActivityText(asked));

        var arrival = world.Message("landlord-1", "2026-11-16 08:30", id: "step-arrival");
        var done = await world.DeliverAsync(arrival);
        var doneAgain = await world.DeliverAsync(arrival);

        Assert.Equal(ChatWorld.ActivityText(done), ChatWorld.ActivityText(doneAgain));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
    }

    [Fact]
    public async Task A_refused_report_leaves_nothing_behind_and_is_answered_the_same_way_again()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        for (int i = 0; i < 3; i++) await world.SayAsync("landlord-1", $"代办 王小明 第{i}次");
        var fourth = world.Message("landlord-1", "代办 李娜 复工备案", id: "over-cap");

        var refused = await world.DeliverAsync(fourth);
        var refusedAgain = await world.DeliverAsync(fourth);

        Assert.Contains("每周最多3次", ChatWorld.ActivityText(refused));
        Assert.Equal(ChatWorld.ActivityText(refused), ChatWorld.ActivityText(refusedAgain));
        Assert.Equal(3, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Equal(3, await world.CountAsync("SELECT COUNT(*) FROM event_transitions"));
    }

    [Fact]
    public async Task Two_deliveries_of_one_activity_at_the_same_moment_score_once()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var report = world.Message("landlord-1", "返回 王小明 2026-11-16 08:30", id: "racing");

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => world.DeliverAsync(report)));

        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.All(answers, a => Assert.Equal(ChatWorld.ActivityText(answers[0]), ChatWorld.ActivityText(a)));
        Assert.Contains("分值：-2", ChatWorld.ActivityText(answers[0]));
    }

    [Fact]
    public async Task One_activity_delivered_to_two_instances_at_once_scores_once_and_is_answered_once_with_the_same_words()
    {
        await using var world = await ChatWorld.CreateAsync();
        await using var other = world.AnotherInstance();
        var there = other.GetRequiredService<IActivityHandler>();
        await world.BindAsync("landlord-1");
        var report = world.Message("landlord-1", "返回 王小明 2026-11-16 08:30", id: "two-instances");
        var question = world.Message("landlord-1", "积分", id: "two-instances-question");

        // The channel retries on a timeout: its second copy reaches the other instance while the first is still running.
        var answers = await Task.WhenAll(
            world.DeliverAsync(report, expectReplies: false),
            there.HandleAsync(report, false, CancellationToken.None).ContinueWith(t => t.Result.Replies),
            world.DeliverAsync(question, expectReplies: false),
            there.HandleAsync(question, false, CancellationToken.None).ContinueWith(t => t.Result.Replies));

        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
        Assert.Equal(ChatWorld.ActivityText(answers[0]), ChatWorld.ActivityText(answers[1]));
        Assert.Equal(ChatWorld.ActivityText(answers[2]), ChatWorld.ActivityText(answers[3]));
        Assert.Equal(answers[0].Count, await world.CountAsync("SELECT COUNT(*) FROM bot_outbox WHERE reply_to_id = 'two-instances'"));
        Assert.Equal(answers[2].Count, await world.CountAsync("SELECT COUNT(*) FROM bot_outbox WHERE reply_to_id = 'two-instances-question'"));
    }

    [Fact]
    public async Task An_activity_replayed_to_another_instance_after_the_first_died_before_answering_gets_the_first_answer()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var report = world.Message("landlord-1", "返回 王小明 2026-11-16 08:30", id: "died-before-answering");
        await using var other = world.AnotherInstance();
        var there = other.GetRequiredService<IActivityHandler>();
        await there.HandleAsync(world.Message("landlord-1", "积分"), true, CancellationToken.None); // the other instance has read the records

        // The turn committed here, and then this instance died: the channel never got its answer and sends the activity again.
        var first = await world.DeliverAsync(report, expectReplies: false);
        var replayed = await there.HandleAsync(report, false, CancellationToken.None);

        Assert.Contains("分值：-2", ChatWorld.ActivityText(first));
        Assert.Equal(ChatWorld.ActivityText(first), ChatWorld.ActivityText(replayed.Replies));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Equal(first.Count, await world.CountAsync("SELECT COUNT(*) FROM bot_outbox WHERE reply_to_id = 'died-before-answering'"));
    }

    [Fact]
    public async Task No_exception_escapes_a_turn_whatever_is_typed()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        string[] openings = ["返回", "代办", "违规", "调解", "扣分", "通过", "驳回", "绑定", "return", "deduct", "", "积分", "待核查"];
        var random = new Random(20261118);
        const string alphabet = "王小明李娜今天昨天 0123456789:-月日号点\u3000\uD800ａｂｃabc/?。";
        for (int i = 0; i < 120; i++)
        {
            var who = i % 3 == 0 ? "secretary-fangtang" : "landlord-1";
            var noise = new string(Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var text = openings[random.Next(openings.Length)] + (random.Next(2) == 0 ? " " : "") + noise;
            var replies = await world.DeliverAsync(world.Message(who, text));
            Assert.NotEmpty(replies);
            Assert.All(replies, r => Assert.False(string.IsNullOrWhiteSpace(r.Text), $"an empty reply to \"{text}\""));
        }
    }
}
