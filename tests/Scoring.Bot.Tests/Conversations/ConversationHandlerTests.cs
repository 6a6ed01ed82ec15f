using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Bot.Protocol;
using Scoring.Domain.Rules;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

public sealed class ConversationHandlerTests
{
    [Fact]
    public async Task A_join_that_lists_a_null_member_still_greets_the_newcomer()
    {
        await using var world = await ChatWorld.CreateAsync();
        var join = world.Join("landlord-1");
        join.MembersAdded = [null!, new ChannelAccount { Id = ChatWorld.UserOf("landlord-1") }];

        var replies = await world.DeliverAsync(join);

        Assert.Contains("积分助手", ChatWorld.ActivityText(replies));
    }

    [Fact]
    public async Task A_message_that_mentions_the_bot_is_read_without_the_mention_and_others_mentions_stay()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var message = world.Message("landlord-1", "<at>Scoring</at> 代办 王小明 <at>王秀兰</at>帮忙买菜");
        message.Entities = [
            JsonSerializer.SerializeToElement(new { type = "mention", mentioned = new { id = "bot", name = "Scoring" }, text = "<at>Scoring</at>" }),
            JsonSerializer.SerializeToElement(new { type = "mention", mentioned = new { id = "chat-landlord-2", name = "王秀兰" }, text = "<at>王秀兰</at>" }),
        ];

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(message));

        Assert.Contains("已上报「为租客代办」", reply, StringComparison.Ordinal);
        Assert.Contains("<at>王秀兰</at>帮忙买菜", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_group_chat_reports_scores_and_pending_records_go_private_and_the_published_list_is_answered()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        Activity InGroup(string who, string text) => world.GroupMessage(who, text, mentioningTheBot: true);
        await world.SayAsync("landlord-1", "返回"); // a dialog begun in private

        var score = ChatWorld.ActivityText(await world.DeliverAsync(InGroup("landlord-1", "<at>Scoring</at> 积分")));
        var report = ChatWorld.ActivityText(await world.DeliverAsync(InGroup("landlord-1", "<at>Scoring</at> 代办 王小明 买菜")));
        var answer = ChatWorld.ActivityText(await world.DeliverAsync(InGroup("landlord-1", "王小明")));
        var pending = ChatWorld.ActivityText(await world.DeliverAsync(InGroup("secretary-fangtang", "<at>Scoring</at> 待核查")));
        var list = ChatWorld.ActivityText(await world.DeliverAsync(InGroup("landlord-1", "<at>Scoring</at> 榜单")));
        var privately = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明"));

        foreach (var refused in new[] { score, report, answer, pending })
        {
            Assert.Contains("请私聊我", refused, StringComparison.Ordinal);
            Assert.DoesNotContain("当前积分", refused, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("请私聊我", list, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Contains("王小明是什么时候到的", privately, StringComparison.Ordinal); // the private dialog goes on: it asks for the arrival time
    }

    [Fact]
    public async Task A_bare_mention_in_a_group_does_not_go_on_with_a_dialog_begun_in_private()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回"); // a dialog begun in private: it asks which tenant, naming them
        var mention = world.GroupMessage("landlord-1", "<at>Scoring</at>", mentioningTheBot: true);

        var inGroup = ChatWorld.ActivityText(await world.DeliverAsync(mention));
        var privately = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明"));

        Assert.DoesNotContain("哪位租客", inGroup, StringComparison.Ordinal);
        Assert.DoesNotContain("李娜", inGroup, StringComparison.Ordinal);
        Assert.Contains("王小明是什么时候到的", privately, StringComparison.Ordinal); // the private dialog waited
    }

    [Fact]
    public async Task Asking_a_group_for_the_list_leaves_a_dialog_begun_in_private_waiting()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回");
        var list = world.GroupMessage("landlord-1", "榜单");

        await world.DeliverAsync(list);
        var privately = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明"));

        Assert.Contains("王小明是什么时候到的", privately, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("绑定码 {0}")]
    [InlineData("绑定码：{0}")]
    [InlineData("绑定：{0}")]
    [InlineData("绑定码{0}")]
    public async Task A_code_sent_as_people_write_it_binds(string message)
    {
        await using var world = await ChatWorld.CreateAsync();

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", string.Format(System.Globalization.CultureInfo.InvariantCulture, message, world.CodeOf("landlord-1"))));

        Assert.Contains("绑定成功", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_in_a_group_leaves_a_dialog_begun_in_private_waiting()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回");
        var cancel = world.GroupMessage("landlord-1", "取消", mentioningTheBot: true);

        var inGroup = ChatWorld.ActivityText(await world.DeliverAsync(cancel));
        var privately = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明"));

        Assert.DoesNotContain("已取消", inGroup, StringComparison.Ordinal);
        Assert.Contains("王小明是什么时候到的", privately, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_group_chat_the_list_and_help_offer_only_buttons_the_group_answers()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        Activity InGroup(string text) => world.GroupMessage("landlord-1", text);

        var buttons = new List<string>();
        foreach (var text in new[] { "榜单", "帮助" })
            buttons.AddRange((await world.DeliverAsync(InGroup(text))).SelectMany(a => a.SuggestedActions?.Actions ?? []).Select(a => a.Title!));
        var pressed = new List<string>();
        foreach (var title in buttons.Distinct())
            pressed.Add(ChatWorld.ActivityText(await world.DeliverAsync(InGroup(title))));

        Assert.NotEmpty(buttons);
        Assert.All(pressed, reply => Assert.DoesNotContain("涉及个人信息，请私聊我", reply, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_asked_for_in_a_group_chat_says_the_commands_it_lists_are_for_a_private_chat()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("gridworker-1", "en-GB");
        Activity InGroup(string who, string text, string locale) => world.GroupMessage(who, text, locale);

        var zh = ChatWorld.ActivityText(await world.DeliverAsync(InGroup("landlord-1", "帮助", "zh-CN")));
        var en = ChatWorld.ActivityText(await world.DeliverAsync(InGroup("gridworker-1", "help", "en-GB")));

        Assert.Contains("返回 租客 到达时间", zh, StringComparison.Ordinal);
        Assert.Contains("请私聊我", zh, StringComparison.Ordinal);
        Assert.Contains("deduct <subject>", en, StringComparison.Ordinal);
        Assert.Contains("message me privately", en, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grid_worker_given_a_grid_finds_only_its_landlords_to_deduct_from()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(async s =>
        {
            await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-1"))! with { GridId = "fangtang-1" }, world.Clock.GetUtcNow());
            await s.UpdateStaffAsync((await s.GetStaffAsync("gridworker-1"))! with { GridIds = ["fangtang-1"] });
        });
        await world.BindAsync("gridworker-1");

        var outside = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 陈建国 未按时消毒楼道等公共区域 楼道脏"));
        var asked = await world.SayAsync("gridworker-1", "扣分");
        var inGrid = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 楼道脏"));

        Assert.Contains("在您负责的范围内找不到「陈建国」", outside, StringComparison.Ordinal);
        Assert.Equal(["应天乐", "取消"], asked.SelectMany(a => a.SuggestedActions?.Actions ?? []).Select(a => a.Title).ToList());
        Assert.Contains("分值：-1", inGrid, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }

    [Fact]
    public async Task A_late_return_the_street_s_rules_deduct_nothing_for_is_recorded_and_the_reply_claims_no_deduction()
    {
        await using var world = await ChatWorld.CreateAsync();
        // Houzhai's officer dropped the late-return rule.
        await world.Db.WriteAsync(s => s.InsertRuleSetAsync(new RuleSet("houzhai", 2, new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero),
            DefaultRules.All.Where(r => r.Code != DefaultRules.LateReturn).ToList()), "test", world.Clock.GetUtcNow()));
        await world.BindAsync("landlord-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 2026-11-16 08:30"));

        Assert.Contains("已登记：王小明", reply, StringComparison.Ordinal);
        Assert.Contains("已超时，按本街道规则此次不扣分", reply, StringComparison.Ordinal);
        Assert.Contains("分值：0", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("系统记为", reply, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }

    [Fact]
    public async Task The_same_return_sent_again_as_a_new_message_is_answered_as_already_recorded_and_deducted_once()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var first = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 2026-11-16 08:30"));
        world.Clock.Advance(TimeSpan.FromMinutes(1));

        var again = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 2026-11-16 08:30"));

        Assert.Contains("分值：-2", first, StringComparison.Ordinal);
        Assert.Contains("这次返回已在 11月18日 09:00 登记过，不重复记录", again, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE rule_code = 'late-return'"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
    }

    [Fact]
    public async Task An_on_time_return_sent_again_as_a_new_message_is_answered_as_already_recorded_saying_when_and_recorded_once()
    {
        // The landlord's chat showed a second 已登记 and a second row stood for one return (the weekly report counted it once).
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var first = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 今天 08:00"));
        world.Clock.Advance(TimeSpan.FromMinutes(25));

        var again = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 今天 8:00"));

        Assert.Contains("已登记：王小明", first, StringComparison.Ordinal);
        Assert.Contains("这次返回已在 11月18日 09:00 登记过，不重复记录", again, StringComparison.Ordinal);
        Assert.Contains("按时上报，不扣分", again, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
    }

    [Fact]
    public async Task A_round_reported_after_the_deadline_names_the_missed_round_the_system_recorded()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");
        var rounds = world.Services.GetRequiredService<Rounds>();
        await rounds.RecordMissedAsync();                   // 09:00: the clockwork sees the day open
        world.Clock.Advance(TimeSpan.FromHours(7.1));        // 16:06, after the 16:00 deadline
        await rounds.RecordMissedAsync();
        var missed = (await world.Db.ReadAsync(s => s.GetEventBySourceAsync(Reporting.MissedRoundSource("shophead-1", "2026-11-18"))))!.Id;
        world.Clock.Advance(TimeSpan.FromMinutes(20));

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "巡查"));

        Assert.Contains("已过 16:00 的截止时间", reply, StringComparison.Ordinal);
        Assert.Contains(missed, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("不加分也不扣分", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_round_reported_late_names_the_deadline_the_day_kept_when_an_officer_moved_it_earlier_that_day()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");
        var rounds = world.Services.GetRequiredService<Rounds>();
        await rounds.RecordMissedAsync();                   // 09:00: the day is seen open, rounds due by 16:00
        var officer = await world.Db.ReadAsync(async s => (await s.GetStaffAsync("officer-1"))!);
        var moved = await world.Services.GetRequiredService<StreetSettingsBook>().ChangeAsync(officer, "houzhai", new SettingsDraft(DailyDeadline: "14:00"));
        Assert.True(moved.Succeeded, moved.Failure?.English);
        world.Clock.Advance(TimeSpan.FromHours(7.1));        // 16:06: the day kept its 16:00
        await rounds.RecordMissedAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(20));

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "巡查"));

        Assert.Contains("已过 16:00 的截止时间", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("14:00", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_return_said_with_a_date_only_that_counting_from_noon_would_make_late_asks_for_the_hour_first()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(4)); // 13:00: yesterday noon is 25 h ago, yesterday evening is not

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 昨天"));
        var answered = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "昨天 21:00"));

        Assert.Contains("没有说几点", asked, StringComparison.Ordinal);
        Assert.Contains("按时上报，不扣分", answered, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
    }

    [Fact]
    public async Task A_date_only_return_of_a_tenant_back_before_the_window_was_shortened_is_counted_by_the_longer_window_without_asking_the_hour()
    {
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.FromHours(8)));
        var officer = await world.StaffAsync("officer-1");
        var settings = new StreetSettingsBook(world.Db, world.Clock);
        await settings.ChangeAsync(officer, "houzhai", new SettingsDraft(LateReturnWindowHours: 48));
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(2)); // Wednesday 09:00: 24 h from now on
        await settings.ChangeAsync(officer, "houzhai", new SettingsDraft(LateReturnWindowHours: 24));
        world.Clock.Advance(TimeSpan.FromHours(4));

        // Back yesterday, while the street gave 48 h: from noon that is 25 h, in time whatever the hour.
        var answered = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 昨天"));

        Assert.DoesNotContain("没有说几点", answered, StringComparison.Ordinal);
        Assert.Contains("按时上报，不扣分", answered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_date_only_return_on_the_afternoon_the_window_was_shortened_is_not_asked_an_hour_the_report_would_then_charge()
    {
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.FromHours(8)));
        var officer = await world.StaffAsync("officer-1");
        var settings = new StreetSettingsBook(world.Db, world.Clock);
        await settings.ChangeAsync(officer, "houzhai", new SettingsDraft(LateReturnWindowHours: 48));
        await world.BindAsync("landlord-1");
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 18, 15, 0, 0, TimeSpan.FromHours(8))); // Wednesday 15:00: 24 h from now on
        await settings.ChangeAsync(officer, "houzhai", new SettingsDraft(LateReturnWindowHours: 24));
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 20, 13, 0, 0, TimeSpan.FromHours(8)));

        // From Wednesday noon under 48 h: late since Friday noon. Back that evening, under 24 h: late since Thursday evening.
        // Asking the hour would promise 21:00 is in time, and 21:00 would then be charged −2.
        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 11月18日"));
        var answered = asked.Contains("没有说几点", StringComparison.Ordinal)
            ? ChatWorld.ActivityText(await world.SayAsync("landlord-1", "11月18日 21:00"))
            : null;

        Assert.True(answered is null, $"asked for an hour, then answered: {answered}");
        Assert.Contains("已超时", asked, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE rule_code = 'late-return'"));
    }

    [Fact]
    public async Task A_late_return_s_deduction_the_secretary_rejects_reads_as_waived_to_the_landlord_with_the_reason_wherever_they_meet_it()
    {
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 18 November, 09:00
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        var late = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 11月15日 08:00"));
        Assert.Contains("可请书记免除", late, StringComparison.Ordinal);
        var id = await world.LatestEventIdAsync();

        await world.SayAsync("secretary-fangtang", $"驳回 {id} 租客因大雪封路");
        var notice = (await world.OutboxTextsAsync("landlord-1")).Single(t => t.Contains("核查结果", StringComparison.Ordinal));
        var again = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 11月15日 08:00"));
        var score = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));
        var scoreEn = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "score", "en-US"));

        Assert.Contains("「未及时上报租客返回」-2", notice, StringComparison.Ordinal);
        Assert.Contains("已免除", notice, StringComparison.Ordinal);
        Assert.Contains("原因：租客因大雪封路", notice, StringComparison.Ordinal);
        Assert.Contains("已在", again, StringComparison.Ordinal); // the repeated report's receipt
        Assert.Contains("状态：已免除", again, StringComparison.Ordinal);
        Assert.Contains("原因：租客因大雪封路", again, StringComparison.Ordinal);
        Assert.Contains("-2 · 已免除", score, StringComparison.Ordinal);
        Assert.Contains("-2 · waived", scoreEn, StringComparison.Ordinal);
        foreach (var text in new[] { notice, again, score }) Assert.DoesNotContain("驳回", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// 应天乐 with ten approved reports of tenants' violations this cycle (+2 each, a minute apart) and one more waiting:
    /// more than the card lists. Returns the ids, oldest first.
    /// </summary>
    private static async Task<List<string>> ElevenRecordsAsync(ChatWorld world)
    {
        var reporting = world.Services.GetRequiredService<Reporting>();
        var verification = world.Services.GetRequiredService<Verification>();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var secretary = await world.StaffAsync("secretary-fangtang");
        var ids = new List<string>();
        for (var i = 1; i <= 11; i++)
        {
            var reported = await reporting.ReportAsync(new ReportRequest(landlord, "landlord-1", DefaultRules.LandlordReportedViolation, $"api:v{i}", $"王小明：违规{i}"));
            ids.Add(reported.Value!.Event.Id);
            if (i <= 10) Assert.True((await verification.ApproveAsync(secretary, ids[^1])).Succeeded);
            world.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        return ids;
    }

    [Fact]
    public async Task The_score_says_how_many_records_the_cycle_holds_and_what_the_approved_ones_add_up_to_when_it_lists_only_some()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await ElevenRecordsAsync(world);

        var score = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));
        var english = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "score", "en-US"));

        Assert.Contains("当前积分：32 分", score, StringComparison.Ordinal);
        Assert.Contains("本周期（2026年）共 11 条记录，已通过的合计 +20 分；以上为最近 8 条。发送「积分 明细」查看全部。", score, StringComparison.Ordinal);
        Assert.Contains("This cycle (2026) holds 11 records; the approved ones add up to +20; the 8 latest are above. Send \"score details\" to read them all.", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_score_that_lists_every_record_of_the_cycle_says_nothing_more()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "违规 王小明 乱扔垃圾");

        var score = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));

        Assert.DoesNotContain("积分 明细", score, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_details_page_through_the_cycle_s_records_newest_first_as_the_api_s_history_does()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var ids = await ElevenRecordsAsync(world);

        var first = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分 明细"));
        var replies = await world.SayAsync("landlord-1", "积分 明细 2");
        var second = ChatWorld.ActivityText(replies);
        var beyond = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分明细 3"));
        var english = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "score details 2", "en-US"));
        var help = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "帮助"));

        Assert.Contains("2026年积分周期的记录（第 1/2 页，共 11 条，最新的在前）", first, StringComparison.Ordinal);
        foreach (var id in ids.Skip(1)) Assert.Contains(id, first, StringComparison.Ordinal);
        Assert.DoesNotContain(ids[0], first, StringComparison.Ordinal);
        Assert.Contains("上报租客违规 +2 · 待核查", first, StringComparison.Ordinal);
        Assert.Contains("已通过的合计 +20 分，当前积分 32 分", first, StringComparison.Ordinal);
        Assert.Contains("发送「积分 明细 2」看下一页", first, StringComparison.Ordinal);
        Assert.Contains("（第 2/2 页，共 11 条，最新的在前）", second, StringComparison.Ordinal);
        Assert.Contains(ids[0], second, StringComparison.Ordinal);
        Assert.DoesNotContain(ids[1], second, StringComparison.Ordinal);
        Assert.DoesNotContain("下一页", second, StringComparison.Ordinal);
        Assert.Contains("没有第 3 页", beyond, StringComparison.Ordinal);
        Assert.Contains("(page 2 of 2, 11 in all, newest first)", english, StringComparison.Ordinal);
        Assert.Contains(ids[0], english, StringComparison.Ordinal);
        Assert.Contains("积分 明细 [页]", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_details_of_a_page_far_past_the_end_say_there_is_no_such_page_not_the_first_page_under_its_number()
    {
        // 300000000 pages of 10 records is more than an int counts: the records to skip overflowed to below 0.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");

        var far = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分 明细 300000000"));
        var farthest = ChatWorld.ActivityText(await world.SayAsync("landlord-1", $"积分 明细 {int.MaxValue}"));

        Assert.Contains("没有第 300000000 页", far, StringComparison.Ordinal);
        Assert.Contains($"没有第 {int.MaxValue} 页", farthest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_date_only_answer_again_is_taken_as_it_is()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(4));

        await world.SayAsync("landlord-1", "返回 王小明 昨天");
        var answered = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "记不清（按12:00算）"));

        Assert.Contains("已超时", answered, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE rule_code = 'late-return'"));
    }

    [Fact]
    public async Task A_date_only_return_late_whatever_the_hour_is_counted_from_noon_without_a_question_and_the_reply_says_so()
    {
        // README: a date without a time is noon of that day; the bot asks for the hour only where the hour decides.
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 18 November, 09:00
        await world.BindAsync("landlord-1");

        var answered = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 11月15日"));

        Assert.DoesNotContain("没有说几点", answered, StringComparison.Ordinal);
        Assert.Contains("11月15日 12:00 到达", answered, StringComparison.Ordinal);
        Assert.Contains("应在 11月16日 12:00 前上报", answered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_date_only_return_that_is_on_time_even_from_noon_is_recorded_without_a_question()
    {
        await using var world = await ChatWorld.CreateAsync(); // 09:00: yesterday noon is 21 h ago

        await world.BindAsync("landlord-1");
        var answered = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 昨天"));

        Assert.Contains("按时上报，不扣分", answered, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("楼")]
    [InlineData("😀")]
    public async Task The_pending_list_stays_within_what_channels_take_in_one_message_however_long_the_evidence(string unit)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        var evidence = string.Concat(Enumerable.Repeat(unit, 1990 / unit.Length));
        for (int i = 0; i < 10; i++) await world.SayAsync("landlord-1", $"调解 {i}{evidence}");

        var replies = await world.SayAsync("secretary-fangtang", "待核查");

        // Ten cards of emoji (12 characters each in the JSON) pass the 40 KB a message may carry: they follow in a second message.
        Assert.Equal(10, replies.Sum(r => r.Attachments?.Count ?? 0));
        Assert.All(replies, r => Assert.True(ReplyFitting.Bytes(ActivityJson.Serialize(r)) <= ChannelLimits.Default.MaxBytes));
        Assert.StartsWith("待核查 10 条", replies[0].Text);
    }

    [Theory]
    [InlineData("landlord-1", "返回", "积分")]
    [InlineData("shophead-1", "巡查", "积分")]
    [InlineData("secretary-fangtang", "待核查", "帮助")]
    public async Task The_first_three_buttons_which_are_all_Teams_shows_hold_a_person_s_main_commands(string who, string main, string next)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync(who);

        var reply = (await world.SayAsync(who, "帮助")).Last();

        var firstThree = reply.SuggestedActions!.Actions.Take(3).Select(a => a.Title).ToList();
        Assert.Contains(main, firstThree);
        Assert.Contains(next, firstThree);
    }

    [Fact]
    public async Task A_note_behind_a_right_to_left_override_is_refused_with_a_reply_saying_why_and_one_with_emoji_is_reported()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("landlord-2");
        var before = await world.CountAsync("SELECT COUNT(*) FROM score_events");

        var reversed = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "调解 \u202e好和已家两"));
        var english = ChatWorld.ActivityText(await world.SayAsync("landlord-2", "mediate \u202ereh dna mih deppots", locale: "en-US"));
        var afterRefusals = await world.CountAsync("SELECT COUNT(*) FROM score_events");
        var emoji = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "调解 两家和好了👨\u200d👩\u200d👧"));

        Assert.Contains("文字方向", reversed, StringComparison.Ordinal);
        Assert.Contains("U+202E", reversed, StringComparison.Ordinal);
        Assert.Contains("text-direction", english, StringComparison.Ordinal);
        Assert.Equal(before, afterRefusals);
        Assert.Contains("已上报「参与矛盾调解」", emoji, StringComparison.Ordinal);
        Assert.Contains("👨\u200d👩\u200d👧", emoji, StringComparison.Ordinal);
    }
    [Fact]
    public async Task A_text_refused_for_a_hidden_character_is_asked_for_again_and_the_dialog_goes_on()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        var id = await world.LatestEventIdAsync();

        var refusedNote = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "调解 \u202e好和已家两"));
        var note = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "两家和好了"));
        var refusedReason = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"驳回 {id} \u202e录记解调有没"));
        var reason = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "没有调解记录"));

        Assert.Contains("U+202E", refusedNote, StringComparison.Ordinal);
        Assert.Contains("已上报「参与矛盾调解」", note, StringComparison.Ordinal);
        Assert.Contains("U+202E", refusedReason, StringComparison.Ordinal);
        Assert.Contains("已驳回", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_note_in_persian_with_its_non_joiner_is_reported_and_one_of_hangul_fillers_that_shows_blank_is_refused()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("landlord-2");

        var persian = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "调解 همسایه‌ها آشتی کردند"));
        var blank = ChatWorld.ActivityText(await world.SayAsync("landlord-2", "调解 ㅤㅤㅤ"));

        Assert.Contains("已上报「参与矛盾调解」", persian, StringComparison.Ordinal);
        Assert.Contains("همسایه‌ها", persian, StringComparison.Ordinal);
        Assert.Contains("空白", blank, StringComparison.Ordinal);
    }
}
