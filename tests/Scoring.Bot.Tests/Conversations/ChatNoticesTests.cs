using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Scoring.Application;
using Scoring.Bot.Conversations;
using Scoring.Bot.Turns;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

public sealed class ChatNoticesTests
{
    private static ChatNoticeWork Work(ChatWorld world) =>
        world.Services.GetServices<IHostedService>().OfType<ChatNoticeWork>().Single();

    private static async Task<int> CountAsync(ChatWorld world, string who, string text) =>
        (await world.OutboxTextsAsync(who)).Count(t => t.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task The_subject_hears_when_their_event_is_approved_or_rejected()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        await world.SayAsync("secretary-fangtang", $"通过 {await world.LatestEventIdAsync()}");
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        await world.SayAsync("secretary-fangtang", $"驳回 {await world.LatestEventIdAsync()} 没有调解记录");

        var told = await world.OutboxTextsAsync("landlord-1");
        Assert.Contains(told, t => t.Contains("核查结果：您的记录「为租客代办」+1", StringComparison.Ordinal) && t.Contains("已通过") && t.Contains("当前积分：13"));
        Assert.Contains(told, t => t.Contains("「参与矛盾调解」+1", StringComparison.Ordinal) && t.Contains("已驳回") && t.Contains("原因：没有调解记录"));
    }

    [Fact]
    public async Task A_decision_made_through_the_api_reaches_the_chat_too_in_the_subjects_language()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", "en-GB");
        await world.SayAsync("landlord-1", "service 王小明 shopping", "en-GB");
        var verification = world.Services.GetRequiredService<Verification>();
        var decided = await verification.ApproveAsync(await world.StaffAsync("secretary-fangtang"), await world.LatestEventIdAsync());
        Assert.True(decided.Succeeded);

        Assert.Equal(1, await CountAsync(world, "landlord-1", "Checked: your record \"Service done on a tenant's behalf\" +1"));
    }

    [Fact]
    public async Task A_grid_worker_hears_the_outcome_of_their_report()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("gridworker-1", "扣分 陈建国 未按时消毒楼道等公共区域 楼道脏");
        await world.SayAsync("secretary-fangtang", $"驳回 {await world.LatestEventIdAsync()} 已经消毒");

        Assert.Equal(1, await CountAsync(world, "gridworker-1", "您上报的 陈建国「未按时消毒楼道等公共区域」-1"));
        Assert.Equal(1, await CountAsync(world, "gridworker-1", "原因：已经消毒"));
    }

    [Fact]
    public async Task A_secretary_who_revokes_her_own_report_in_chat_is_answered_once_not_told_again_as_its_reporter()
    {
        // Her own deduction counts at once; revoking it, she is the decider: the reply is her word, not a notice after it.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("secretary-fangtang", "扣分 应天乐 未按时消毒楼道等公共区域 自己看到的");
        var id = await world.LatestEventIdAsync();
        var before = (await world.OutboxTextsAsync("secretary-fangtang")).Count;

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"撤销 {id} 看错了人"));

        Assert.Contains($"已撤销 {id}", reply, StringComparison.Ordinal);
        Assert.Empty((await world.OutboxTextsAsync("secretary-fangtang")).Skip(before));
    }

    [Fact]
    public async Task A_grid_worker_off_duty_is_not_told_the_outcome_of_a_report_they_made_before()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 楼道脏");
        var id = await world.LatestEventIdAsync();
        var rosters = world.Services.GetRequiredService<Rosters>();
        Assert.True((await rosters.DeactivateStaffAsync(await world.StaffAsync("officer-1"), "gridworker-1")).Succeeded);

        await world.SayAsync("secretary-fangtang", $"驳回 {id} 应天乐家楼道周一刚消毒过，有记录");

        Assert.Equal(0, await CountAsync(world, "gridworker-1", "您上报的"));
        Assert.Equal(0, await CountAsync(world, "gridworker-1", "应天乐"));
    }

    [Fact]
    public async Task The_secretary_is_alerted_each_time_an_approval_leaves_a_subject_s_balance_at_or_below_0()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("secretary-changchun", "en-GB");
        await world.BindAsync("gridworker-1");
        await world.SayAsync("gridworker-1", "扣分 应天乐 故意瞒报租客情况 瞒报两名租客");
        var first = await world.LatestEventIdAsync();
        await world.SayAsync("gridworker-1", "扣分 应天乐 故意瞒报租客情况 又瞒报一名租客");
        var second = await world.LatestEventIdAsync();
        await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 楼道脏");
        var third = await world.LatestEventIdAsync();

        // The street officer approves through the API (12 - 6 = 6, then 0); the secretary in chat (-1).
        var verification = world.Services.GetRequiredService<Verification>();
        var officer = await world.StaffAsync("officer-1");
        Assert.True((await verification.ApproveAsync(officer, first)).Succeeded);
        Assert.Equal(0, await CountAsync(world, "secretary-fangtang", "积分预警"));
        Assert.True((await verification.ApproveAsync(officer, second)).Succeeded);
        Assert.True((await verification.ApproveAsync(officer, second)).Succeeded); // a repeated click says nothing again
        await world.SayAsync("secretary-fangtang", $"通过 {third}");

        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", $"积分预警：应天乐（房东）的积分已降至 0 分。起因：「故意瞒报租客情况」-6（编号 {second}）已通过。"));
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", $"积分预警：应天乐（房东）的积分已降至 -1 分。起因：「未按时消毒楼道等公共区域」-1（编号 {third}）已通过。"));
        Assert.Equal(2, await CountAsync(world, "secretary-fangtang", "积分预警"));
        Assert.Equal(0, await CountAsync(world, "secretary-changchun", "Balance alert"));
    }

    [Fact]
    public async Task A_january_approval_that_takes_the_closed_cycle_to_0_alerts_the_secretary_and_says_which_cycle()
    {
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 12, 30, 10, 0, 0, TimeSpan.FromHours(8))); // 2026-W53
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("gridworker-1");
        await world.SayAsync("gridworker-1", "扣分 应天乐 故意瞒报租客情况 瞒报两名租客");
        var first = await world.LatestEventIdAsync();
        await world.SayAsync("gridworker-1", "扣分 应天乐 故意瞒报租客情况 又瞒报一名租客");
        var second = await world.LatestEventIdAsync();
        await world.SayAsync("secretary-fangtang", $"通过 {first}");                                        // 2026: 6
        world.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 5, 9, 0, 0, TimeSpan.FromHours(8)));              // 2027-W01

        await world.SayAsync("secretary-fangtang", $"通过 {second}");                                       // 2026: 0; 2027 at 12

        Assert.Equal(1, await CountAsync(world, "secretary-fangtang",
            $"积分预警：应天乐（房东）在已结束的 2026 积分周期的积分已降至 0 分（本周期积分不受影响）。起因：「故意瞒报租客情况」-6（编号 {second}，计入 2026-W53）已通过。"));
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "积分预警"));
    }

    [Fact]
    public async Task A_deduction_recorded_in_january_for_the_closed_cycle_alerts_in_english_naming_the_cycle()
    {
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 12, 30, 10, 0, 0, TimeSpan.FromHours(8)));
        await world.BindAsync("secretary-changchun", "en-GB");
        var secretary = await world.StaffAsync("secretary-changchun");
        var reporting = world.Services.GetRequiredService<Reporting>();
        Assert.True((await reporting.ReportAsync(new ReportRequest(Actor.Of(secretary), "landlord-4", DefaultRules.TenantConcealed, "api:concealed-0", "瞒报租客"))).Succeeded); // 2026: 6
        world.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(8)));

        // Found out on Monday, done on Saturday: it counts in 2026-W53. The secretary's own record is approved at once.
        var late = (await reporting.ReportAsync(new ReportRequest(Actor.Of(secretary), "landlord-4", DefaultRules.TenantConcealed, "api:concealed-1", "瞒报租客",
            new DateTimeOffset(2027, 1, 2, 15, 0, 0, TimeSpan.FromHours(8))))).Value!;

        Assert.Equal(1, await CountAsync(world, "secretary-changchun",
            $"Balance alert: 董宝华 (landlord) is down to 0 points in cycle 2026, which has ended (this cycle's balance is not affected), after \"Deliberately concealed a tenant\" -6 (id {late.Event.Id}, counted in 2026-W53) was approved."));
    }

    [Fact]
    public async Task The_balance_alert_is_in_the_secretary_s_language()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-changchun", "en-GB");
        var secretary = await world.StaffAsync("secretary-changchun");
        var reporting = world.Services.GetRequiredService<Reporting>();
        ReportReceipt? last = null;
        // The secretary's own deductions need no second check: approved at once.
        for (var i = 0; i < 2; i++)
            last = (await reporting.ReportAsync(new ReportRequest(Actor.Of(secretary), "landlord-4", DefaultRules.TenantConcealed, $"api:concealed-{i}", "瞒报租客"))).Value;

        Assert.Equal(1, await CountAsync(world, "secretary-changchun", $"Balance alert: 董宝华 (landlord) is down to 0 points, after \"Deliberately concealed a tenant\" -6 (id {last!.Event.Id}) was approved."));
    }

    [Fact]
    public async Task Secretaries_hear_of_new_items_at_most_once_per_batch_window()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");

        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "新的待核查：应天乐「为租客代办」+1"));

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        await world.SayAsync("landlord-1", "违规 李娜 乱扔垃圾");
        Assert.Single(await world.OutboxTextsAsync("secretary-fangtang"));
        await Work(world).RunOnceAsync();
        Assert.Equal(0, await CountAsync(world, "secretary-fangtang", "新的待核查上报"));

        world.Clock.Advance(ChatNotices.BatchWindow);
        await Work(world).RunOnceAsync();
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "有 2 条新的待核查上报"));

        await Work(world).RunOnceAsync();
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "有 2 条新的待核查上报"));
        Assert.Equal(0, await CountAsync(world, "secretary-changchun", "待核查"));
    }

    [Fact]
    public async Task A_report_at_night_reaches_the_secretary_in_one_notice_when_working_hours_start()
    {
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 11, 18, 2, 30, 0, TimeSpan.FromHours(8))); // Wednesday 02:30
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");

        await world.SayAsync("landlord-1", "返回 王小明 2026-11-16 08:30"); // late: a −2 pending
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        await Work(world).RunOnceAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await Work(world).RunOnceAsync();
        Assert.Empty(await world.OutboxTextsAsync("secretary-fangtang"));

        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 18, 8, 0, 0, TimeSpan.FromHours(8)));
        await Work(world).RunOnceAsync();
        await Work(world).RunOnceAsync();
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "有 2 条新的待核查上报"));
        Assert.Equal(0, await CountAsync(world, "secretary-fangtang", "新的待核查："));
        // That notice is her message of the 08:00 hour: the digest of the same queue does not follow it in the same minute.
        Assert.Single(await world.OutboxTextsAsync("secretary-fangtang"));
        world.Clock.Advance(TimeSpan.FromHours(1));
        await Work(world).RunOnceAsync();
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "待核查提醒（09:00）：共 2 条"));
    }

    [Fact]
    public async Task The_night_s_items_told_by_the_first_report_at_8_are_not_followed_by_the_digest_in_the_same_minute()
    {
        // Whichever path tells the night's backlog (here the report's own notice, before the minute's round), it is her
        // message of the hour.
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 11, 18, 2, 30, 0, TimeSpan.FromHours(8))); // Wednesday 02:30
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回 王小明 2026-11-16 08:30"); // late: a −2 pending
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        Assert.Empty(await world.OutboxTextsAsync("secretary-fangtang"));

        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 18, 8, 0, 10, TimeSpan.FromHours(8)));
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        world.Clock.Advance(TimeSpan.FromSeconds(30));
        await Work(world).RunOnceAsync();

        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "有 3 条新的待核查上报"));
        Assert.Single(await world.OutboxTextsAsync("secretary-fangtang"));
        world.Clock.Advance(TimeSpan.FromHours(1));
        await Work(world).RunOnceAsync();
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "待核查提醒（09:00）：共 3 条"));
    }

    [Fact]
    public async Task Marking_an_hour_someone_else_marked_meanwhile_keeps_one_mark_and_fails_nothing()
    {
        // The escalation's notice and the round's digest mark an officer's hour under different leases, perhaps on two
        // instances: each may find the hour unmarked, and the second mark must not undo its transaction.
        await using var world = await ChatWorld.CreateAsync();
        var now = world.Clock.GetUtcNow();

        await world.Db.WriteAsync(s => ChatNotices.MarkAsync(s, "officer-1", "20261118T0100Z", now));
        await world.Db.WriteAsync(s => ChatNotices.MarkAsync(s, "officer-1", "20261118T0100Z", now.AddSeconds(1)));

        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM chat_digests WHERE staff_id = 'officer-1' AND hour_key = '20261118T0100Z'"));
    }

    [Fact]
    public async Task Nothing_reaches_a_secretary_at_a_weekend_and_what_came_in_is_told_on_monday_morning()
    {
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 11, 21, 11, 0, 0, TimeSpan.FromHours(8))); // Saturday 11:00
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");

        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        world.Clock.Advance(ChatNotices.BatchWindow);
        await Work(world).RunOnceAsync();
        Assert.Empty(await world.OutboxTextsAsync("secretary-fangtang"));

        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(8)));
        await Work(world).RunOnceAsync();
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "新的待核查：应天乐「为租客代办」+1"));
    }

    [Fact]
    public async Task A_report_taken_by_an_instance_whose_clock_is_behind_still_reaches_the_secretary_in_the_next_batched_notice()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");
        // Another instance on the same database, its clock a second behind this one's.
        var behind = new FakeTimeProvider(world.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        await using var other = world.AnotherInstance(behind);

        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "新的待核查：应天乐「为租客代办」+1"));
        // Reported there just after, but stamped (by its clock) before the item the secretary was just told of.
        await other.GetRequiredService<IActivityHandler>().HandleAsync(world.Message("landlord-1", "调解 邻里纠纷"), true, CancellationToken.None);

        world.Clock.Advance(ChatNotices.BatchWindow);
        behind.Advance(ChatNotices.BatchWindow);
        await Work(world).RunOnceAsync();

        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "新的待核查上报"));
    }

    [Fact]
    public async Task The_pending_digest_goes_out_once_an_hour_in_working_hours_only()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回 王小明 2026-11-16 08:30");

        // 09:00: the report's own notice (新的待核查) is her message of the hour; the digest of that one item does not follow.
        await Work(world).RunOnceAsync();
        await Work(world).RunOnceAsync();
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "新的待核查："));
        Assert.Equal(0, await CountAsync(world, "secretary-fangtang", "待核查提醒"));

        world.Clock.Advance(TimeSpan.FromHours(1));
        await Work(world).RunOnceAsync();
        await Work(world).RunOnceAsync();
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "待核查提醒（10:00）：共 1 条"));

        world.Clock.Advance(TimeSpan.FromHours(1));
        await Work(world).RunOnceAsync();
        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "待核查提醒（11:00）"));

        world.Clock.Advance(TimeSpan.FromHours(8)); // 19:00: after working hours
        await Work(world).RunOnceAsync();
        Assert.Equal(2, await CountAsync(world, "secretary-fangtang", "待核查提醒"));
    }

    [Fact]
    public async Task A_shop_head_hears_of_a_missed_round_the_system_recorded_while_it_waits_for_the_secretary()
    {
        // Told only once the secretary approved it, the head had no chance to say the round was done but not sent.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-2");
        await world.BindAsync("shophead-1", "en-US");
        var rounds = world.Services.GetRequiredService<Rounds>();
        await rounds.RecordMissedAsync(); // 09:00: the day is seen open
        world.Clock.SetUtcNow(ChatWorld.Wednesday.AddHours(7)); // 16:00

        await rounds.RecordMissedAsync();

        Assert.Equal(1, await CountAsync(world, "shophead-2", "系统记录：11月18日 16:00 前未上报巡查，记「未完成每日巡查」-1，待书记核查"));
        Assert.Equal(1, await CountAsync(world, "shophead-1", "The system recorded: no round reported by 2026-11-18 16:00, \"Daily round missed\" -1, for the secretary to check"));
    }

    [Fact]
    public async Task A_landlord_hears_of_a_deduction_a_grid_worker_reported_while_it_waits_for_the_secretary()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("gridworker-1");

        await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 3楼没消毒");

        Assert.Equal(1, await CountAsync(world, "landlord-1", "网格员上报：「未按时消毒楼道等公共区域」-1（3楼没消毒），待书记核查"));
    }

    [Fact]
    public async Task A_shop_head_hears_of_a_missed_round_their_secretary_recorded_which_counts_at_once()
    {
        // A secretary's own report needs nobody's check: no verification result ever came, so the head heard nothing at all.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-2");
        await world.BindAsync("secretary-changchun");
        world.Clock.Advance(TimeSpan.FromHours(5)); // 14:00

        await world.SayAsync("secretary-changchun", "扣分 吴丽娜 未完成每日巡查 下午两点还没巡查");

        Assert.Equal(1, await CountAsync(world, "shophead-2", "书记记录：「未完成每日巡查」-1（下午两点还没巡查），已计入积分"));
    }

    [Fact]
    public async Task A_shop_head_with_no_shops_left_in_their_charge_is_not_reminded_of_a_round()
    {
        // Their shops went to another head: no round is owed, and a reminder of a point at stake would be untrue.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-2");
        await world.Db.WriteAsync(async s =>
        {
            foreach (var shop in await s.ListShopsAsync("shophead-2")) await s.UpdateShopAsync(shop with { Active = false });
        });
        world.Clock.SetUtcNow(ChatWorld.Wednesday.AddHours(6.5)); // 15:30

        await Work(world).RunOnceAsync();

        Assert.Equal(0, await CountAsync(world, "shophead-2", "巡查提醒"));
    }

    [Fact]
    public async Task A_shop_head_without_today_s_round_is_reminded_once_in_the_hour_before_the_deadline()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");
        await world.BindAsync("shophead-2");
        await world.SayAsync("shophead-1", "巡查");

        await Work(world).RunOnceAsync(); // 09:00: too early
        world.Clock.SetUtcNow(ChatWorld.Wednesday.AddHours(6)); // 15:00
        await Work(world).RunOnceAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(30));
        await Work(world).RunOnceAsync();
        world.Clock.SetUtcNow(ChatWorld.Wednesday.AddHours(31)); // the next day at 16:00, its deadline: too late
        await Work(world).RunOnceAsync();

        Assert.Equal(1, await CountAsync(world, "shophead-2", "巡查提醒：今天的巡查还没有上报，请在 16:00 前发送「巡查」。逾期记「未完成每日巡查」-1。"));
        Assert.Equal(0, await CountAsync(world, "shophead-1", "巡查提醒"));
    }

    [Fact]
    public async Task A_deadline_moved_later_after_the_reminder_is_reminded_of_again()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-2");
        world.Clock.SetUtcNow(ChatWorld.Wednesday.AddHours(6)); // 15:00
        await Work(world).RunOnceAsync();

        await world.Services.GetRequiredService<StreetSettingsBook>().ChangeAsync(await world.StaffAsync("officer-1"), "houzhai", new SettingsDraft(DailyDeadline: "17:00"));
        world.Clock.SetUtcNow(ChatWorld.Wednesday.AddHours(7)); // 16:00
        await Work(world).RunOnceAsync();

        Assert.Equal(1, await CountAsync(world, "shophead-2", "请在 16:00 前发送「巡查」"));
        Assert.Equal(1, await CountAsync(world, "shophead-2", "请在 17:00 前发送「巡查」"));
    }

    [Fact]
    public async Task A_shop_head_past_the_weekly_cap_of_missed_rounds_is_reminded_without_a_point_at_stake()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(s => s.InsertRuleSetAsync(new RuleSet("houzhai", 2, new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero),
            DefaultRules.All.Select(r => r.Code == DefaultRules.RoundMissed ? r with { WeeklyCap = 1 } : r).ToList()), "test", world.Clock.GetUtcNow()));
        await world.BindAsync("shophead-2");
        var rounds = world.Services.GetRequiredService<Rounds>();
        await rounds.RecordMissedAsync(); // Wednesday 09:00: the day is seen open
        world.Clock.SetUtcNow(ChatWorld.Wednesday.AddHours(7)); // 16:00: Wednesday's round missed, the week's one charge
        await rounds.RecordMissedAsync();

        world.Clock.SetUtcNow(ChatWorld.Wednesday.AddHours(30)); // Thursday 15:00
        await Work(world).RunOnceAsync();

        Assert.Equal(1, await CountAsync(world, "shophead-2", "巡查提醒：今天的巡查还没有上报，请在 16:00 前发送「巡查」。"));
        Assert.Equal(0, await CountAsync(world, "shophead-2", "逾期记"));
    }

    [Fact]
    public async Task No_round_reminder_goes_out_on_a_holiday_the_street_lets_off()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-2");
        await world.SayAsync("shophead-2", "积分");
        await world.Services.GetRequiredService<StreetSettingsBook>().ChangeAsync(await world.StaffAsync("officer-1"), "houzhai",
            new SettingsDraft(Holidays: ["2026-11-18"], RoundsOnHolidays: false));

        world.Clock.SetUtcNow(ChatWorld.Wednesday.AddHours(6.5));
        await Work(world).RunOnceAsync();

        Assert.Equal(0, await CountAsync(world, "shophead-2", "巡查提醒"));
    }

    [Fact]
    public async Task A_landlord_is_reminded_once_on_a_tenant_s_expected_day_back_unless_the_return_is_already_reported()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var thursday = new DateTimeOffset(2026, 11, 19, 0, 0, 0, TimeSpan.FromHours(8));
        await world.Db.WriteAsync(async s =>
        {
            foreach (var id in new[] { "landlord-1-t1", "landlord-1-t2" })
                await s.UpdateTenantAsync((await s.GetTenantAsync(id))! with { ExpectedReturn = thursday });
        });
        await world.SayAsync("landlord-1", "返回 李娜 今天 08:30"); // back a day early, reported

        await Work(world).RunOnceAsync(); // Wednesday: not the expected day
        world.Clock.SetUtcNow(thursday.AddHours(7)); // 07:00: before working hours
        await Work(world).RunOnceAsync();
        var early = await CountAsync(world, "landlord-1", "租客提醒");
        world.Clock.SetUtcNow(thursday.AddHours(9));
        await Work(world).RunOnceAsync();
        await Work(world).RunOnceAsync();
        world.Clock.Advance(TimeSpan.FromDays(1)); // Friday: no longer the expected day
        await Work(world).RunOnceAsync();

        Assert.Equal(1, await CountAsync(world, "landlord-1", "租客提醒：您的租客王小明预计今天返回。到达后请在24小时内发送「返回 王小明 到达时间」"));
        Assert.Equal(0, early);
        Assert.Equal(0, await CountAsync(world, "landlord-1", "租客李娜"));
    }

    [Fact]
    public async Task A_street_whose_rules_deduct_nothing_for_a_late_return_does_not_remind_landlords_that_it_costs_points()
    {
        await using var world = await ChatWorld.CreateAsync();
        // Houzhai's officer dropped the late-return rule: a late return is recorded and costs nothing.
        await world.Db.WriteAsync(s => s.InsertRuleSetAsync(new RuleSet("houzhai", 2, new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero),
            DefaultRules.All.Where(r => r.Code != DefaultRules.LateReturn).ToList()), "test", world.Clock.GetUtcNow()));
        await world.BindAsync("landlord-1");
        await world.BindAsync("landlord-2", "en-GB");
        var thursday = new DateTimeOffset(2026, 11, 19, 0, 0, 0, TimeSpan.FromHours(8));
        await world.Db.WriteAsync(async s =>
        {
            foreach (var tenant in (await s.ListTenantsAsync("landlord-1")).Concat(await s.ListTenantsAsync("landlord-2")))
                await s.UpdateTenantAsync(tenant with { ExpectedReturn = thursday });
        });

        world.Clock.SetUtcNow(thursday.AddHours(9));
        await Work(world).RunOnceAsync();

        Assert.Equal(1, await CountAsync(world, "landlord-1", "租客提醒：您的租客王小明预计今天返回。"));
        Assert.Equal(0, await CountAsync(world, "landlord-1", "扣分"));
        Assert.NotEqual(0, await CountAsync(world, "landlord-2", "Tenant reminder"));
        Assert.Equal(0, await CountAsync(world, "landlord-2", "costs points"));
    }

    [Fact]
    public async Task Officers_get_a_digest_of_what_escalated_to_the_street()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("officer-1");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        await Work(world).RunOnceAsync();
        Assert.Equal(0, await CountAsync(world, "officer-1", "待核查提醒"));

        world.Clock.Advance(TimeSpan.FromHours(25));
        await world.Services.GetRequiredService<Verification>().EscalateAsync();
        await Work(world).RunOnceAsync();
        Assert.Equal(0, await CountAsync(world, "officer-1", "待核查提醒")); // the escalation notice was this hour's message
        world.Clock.Advance(TimeSpan.FromHours(1));
        await Work(world).RunOnceAsync();
        Assert.Equal(1, await CountAsync(world, "officer-1", "共 1 条已上报街道"));
        // Everything in an officer's digest has escalated: saying so again at the end only repeats the count.
        var digest = (await world.OutboxTextsAsync("officer-1")).Single(t => t.Contains("待核查提醒", StringComparison.Ordinal));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(digest, "已上报街道"));
    }

    private static Task<int> EscalateAsync(ChatWorld world) => world.Services.GetRequiredService<Verification>().EscalateAsync();

    [Fact]
    public async Task Officers_hear_at_once_of_what_an_escalation_run_escalated_in_one_message_listing_the_items()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("officer-1");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        var mediation = await world.LatestEventIdAsync();
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var service = await world.LatestEventIdAsync();
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.SayAsync("landlord-1", "违规 李娜 乱扔垃圾");
        var later = await world.LatestEventIdAsync();

        world.Clock.Advance(TimeSpan.FromHours(23)); // Thursday 09:00: the first two are 24 hours old
        await EscalateAsync(world);

        var told = Assert.Single(await world.OutboxTextsAsync("officer-1"), t => t.Contains("超时上报", StringComparison.Ordinal));
        Assert.StartsWith("超时上报：2 条待核查记录已超过 24 小时未核查，现上报街道：", told);
        Assert.Contains($"应天乐（方塘村）「参与矛盾调解」+1（编号 {mediation}），24小时前上报", told);
        Assert.Contains($"「为租客代办」+1（编号 {service}）", told);
        Assert.DoesNotContain(later, told);

        await EscalateAsync(world);
        await Work(world).RunOnceAsync();
        Assert.Equal(1, await CountAsync(world, "officer-1", "超时上报"));

        world.Clock.Advance(TimeSpan.FromHours(1));
        await EscalateAsync(world);
        var next = (await world.OutboxTextsAsync("officer-1")).Where(t => t.Contains("超时上报", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, next.Count);
        Assert.StartsWith("超时上报：1 条", next[1]);
        Assert.Contains(later, next[1]);
        Assert.DoesNotContain(mediation, next[1]);
        Assert.Equal(0, await CountAsync(world, "landlord-1", "超时上报"));
    }

    [Fact]
    public async Task An_officer_who_writes_in_English_hears_of_escalations_in_English()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("officer-1", "en-GB");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        var id = await world.LatestEventIdAsync();

        world.Clock.Advance(TimeSpan.FromHours(25));
        await EscalateAsync(world);

        var told = Assert.Single(await world.OutboxTextsAsync("officer-1"), t => t.Contains("Escalated", StringComparison.Ordinal));
        Assert.StartsWith("Escalated to the street: 1 record has waited more than 24 h for verification:", told);
        Assert.Contains($"应天乐 (方塘村), \"Helped mediate a dispute\" +1 (id {id}), reported 25 h ago", told);
    }

    [Fact]
    public async Task Escalations_outside_working_hours_are_told_once_when_working_hours_start_without_the_items_decided_meanwhile()
    {
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 11, 18, 20, 0, 0, TimeSpan.FromHours(8)));
        await world.BindAsync("officer-1");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        var decided = await world.LatestEventIdAsync();
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var waiting = await world.LatestEventIdAsync();

        world.Clock.Advance(TimeSpan.FromHours(24)); // Thursday 20:00, after working hours
        Assert.Equal(2, await EscalateAsync(world));
        await Work(world).RunOnceAsync();
        Assert.Equal(0, await CountAsync(world, "officer-1", "超时上报"));

        world.Clock.Advance(TimeSpan.FromHours(11)); // Friday 07:00
        Assert.True((await world.Services.GetRequiredService<Verification>().ApproveAsync(await world.StaffAsync("secretary-fangtang"), decided)).Succeeded);
        await Work(world).RunOnceAsync();
        Assert.Equal(0, await CountAsync(world, "officer-1", "超时上报"));

        world.Clock.Advance(TimeSpan.FromHours(1)); // 08:00: working hours
        await Work(world).RunOnceAsync();
        await Work(world).RunOnceAsync();
        await EscalateAsync(world);

        var told = Assert.Single(await world.OutboxTextsAsync("officer-1"), t => t.Contains("超时上报", StringComparison.Ordinal));
        Assert.StartsWith("超时上报：1 条", told);
        Assert.Contains(waiting, told);
        Assert.DoesNotContain(decided, told);
    }

    [Fact]
    public async Task Items_held_overnight_and_items_escalating_as_working_hours_start_go_out_in_one_message_once()
    {
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 11, 18, 7, 0, 0, TimeSpan.FromHours(8)));
        await world.BindAsync("officer-1");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        var night = await world.LatestEventIdAsync();
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var morning = await world.LatestEventIdAsync();

        world.Clock.Advance(TimeSpan.FromHours(23)); // Thursday 07:00
        await EscalateAsync(world);
        world.Clock.Advance(TimeSpan.FromHours(1)); // 08:00: the escalation run comes before the notices' round
        await EscalateAsync(world);
        await Work(world).RunOnceAsync();

        var told = Assert.Single(await world.OutboxTextsAsync("officer-1"), t => t.Contains("超时上报", StringComparison.Ordinal));
        Assert.StartsWith("超时上报：2 条", told);
        Assert.Contains(night, told);
        Assert.Contains(morning, told);
    }

    [Fact]
    public async Task Subjects_named_on_a_published_list_are_congratulated_or_told_how_to_recover()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("landlord-2");
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("gridworker-1");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        await world.SayAsync("secretary-fangtang", $"通过 {await world.LatestEventIdAsync()}");
        await world.SayAsync("gridworker-1", "扣分 王秀兰 未按时消毒楼道等公共区域 楼道脏");
        await world.SayAsync("secretary-fangtang", $"通过 {await world.LatestEventIdAsync()}");

        world.Clock.Advance(TimeSpan.FromDays(7));
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var published = await world.Services.GetRequiredService<Publication>().PublishAsync(
            await world.StaffAsync("officer-1"), "houzhai", IsoWeek.Containing(world.Clock.GetUtcNow(), zone).Previous(), SubjectKind.Landlord, null);
        Assert.True(published.Succeeded);

        Assert.Equal(1, await CountAsync(world, "landlord-1", "恭喜！您上了上周（11月16日—22日）房东红榜：第 1 名，13 分"));
        var black = (await world.OutboxTextsAsync("landlord-2")).Single(t => t.Contains("黑榜", StringComparison.Ordinal));
        Assert.Contains("第 1 名，11 分", black);
        Assert.Contains("扣分来自：", black);
        Assert.Contains("未按时消毒楼道等公共区域 -1", black);
        Assert.Contains("怎样把分挣回来：", black);
        Assert.Contains("为租客代办 +1（每周最多3次）", black);
        Assert.Equal(0, await CountAsync(world, "landlord-3", "榜"));
    }

    [Fact]
    public async Task A_change_to_a_published_week_is_told_to_the_officers_once_a_week_and_kind_naming_who_made_it_but_not_to_whoever_made_it()
    {
        // W47 is published on Monday; then its records change: the officer's own revocation, two approvals by the secretary.
        await using var world = await ChatWorld.CreateAsync(); // Wednesday of W47
        await world.BindAsync("officer-1");
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("gridworker-1");
        await world.BindAsync("landlord-3");
        await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 楼道脏");
        var first = await world.LatestEventIdAsync();
        await world.SayAsync("gridworker-1", "扣分 王秀兰 未按时消毒楼道等公共区域 楼道脏");
        var second = await world.LatestEventIdAsync();
        await world.SayAsync("landlord-3", "代办 刘洋 复工备案");
        var addition = await world.LatestEventIdAsync();
        await world.SayAsync("secretary-fangtang", $"通过 {addition}");
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8)));
        Assert.True((await world.Services.GetRequiredService<Publication>().PublishAsync(await world.StaffAsync("officer-1"), "houzhai", new IsoWeek(2026, 47), SubjectKind.Landlord, null)).Succeeded);
        world.Clock.Advance(TimeSpan.FromHours(1));

        await world.SayAsync("officer-1", $"撤销 {addition} 代办未完成");
        var afterOwn = await CountAsync(world, "officer-1", "2026-W47");
        await world.SayAsync("secretary-fangtang", $"通过 {first}");
        await world.SayAsync("secretary-fangtang", $"通过 {second}");

        Assert.Equal(0, afterOwn); // his own change: his answer said it
        var told = Assert.Single(await world.OutboxTextsAsync("officer-1"), t => t.Contains("2026-W47", StringComparison.Ordinal));
        Assert.Contains("金永平", told, StringComparison.Ordinal);
        Assert.Contains($"通过了记录 {first}", told, StringComparison.Ordinal);
        Assert.Contains("已发布的 2026-W47 房东榜", told, StringComparison.Ordinal);
        Assert.Contains("发布 2026-W47 房东", told, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(world, "secretary-fangtang", "已发布的 2026-W47 房东榜"));
        var preview = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发布 2026-W47 房东")); // the notice's button
        Assert.Contains("更正", preview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_correction_that_takes_someone_off_the_red_list_tells_them_with_the_correction_s_reason()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var id = await world.LatestEventIdAsync();
        await world.SayAsync("secretary-fangtang", $"通过 {id}");
        world.Clock.Advance(TimeSpan.FromDays(7));
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var week = IsoWeek.Containing(world.Clock.GetUtcNow(), zone).Previous();
        var publication = world.Services.GetRequiredService<Publication>();
        var officer = await world.StaffAsync("officer-1");
        Assert.True((await publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, null)).Succeeded);
        Assert.Equal(1, await CountAsync(world, "landlord-1", "恭喜！您上了上周（11月16日—22日）房东红榜"));
        var before = (await world.OutboxTextsAsync("landlord-1")).Count;

        Assert.True((await world.Services.GetRequiredService<Verification>().RevokeAsync(await world.StaffAsync("secretary-fangtang"), id, "代办未完成")).Succeeded);
        var corrected = await publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, "一条加分核实后撤销");
        Assert.Equal(2, corrected.Value!.List.Revision);
        Assert.Empty(corrected.Value.List.Red);

        var told = (await world.OutboxTextsAsync("landlord-1")).Skip(before).Where(t => t.Contains("榜", StringComparison.Ordinal)).ToList();
        var off = Assert.Single(told);
        Assert.Contains("（更正）上周（11月16日—22日）房东红榜已更正，您不在更正后的红榜上。", off);
        Assert.Contains("更正说明：一条加分核实后撤销", off);
    }

    [Fact]
    public async Task A_correction_that_clears_someone_from_the_black_list_tells_them_in_their_language()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-2", "en-US");
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("gridworker-1");
        await world.SayAsync("gridworker-1", "扣分 王秀兰 未按时消毒楼道等公共区域 楼道脏");
        var id = await world.LatestEventIdAsync();
        await world.SayAsync("secretary-fangtang", $"通过 {id}");
        world.Clock.Advance(TimeSpan.FromDays(7));
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var week = IsoWeek.Containing(world.Clock.GetUtcNow(), zone).Previous();
        var publication = world.Services.GetRequiredService<Publication>();
        var officer = await world.StaffAsync("officer-1");
        Assert.True((await publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, null)).Succeeded);
        Assert.Equal(1, await CountAsync(world, "landlord-2", "black list"));

        Assert.True((await world.Services.GetRequiredService<Verification>().RevokeAsync(await world.StaffAsync("secretary-fangtang"), id, "楼道已消毒，误报")).Succeeded);
        Assert.True((await publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, "一条扣分核实后撤销")).Succeeded);

        var cleared = (await world.OutboxTextsAsync("landlord-2")).Last(t => t.Contains("black list", StringComparison.Ordinal));
        Assert.Contains("(Corrected) The black list of landlords of last week (16–22 Nov) was corrected: you are not on it any more.", cleared);
        Assert.Contains("The correction: 一条扣分核实后撤销", cleared);
    }

    [Fact]
    public async Task Nobody_who_never_wrote_to_the_bot_is_messaged()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        await Work(world).RunOnceAsync();

        // The secretary never bound a chat account: nothing waits in any outbox but nothing fails either.
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM bot_outbox"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM chat_staff_notices"));
    }

    [Fact]
    public async Task A_revoked_addition_whose_points_were_already_redeemed_tells_the_subject_the_reward_account_is_overdrawn()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var id = await world.LatestEventIdAsync();
        await world.SayAsync("secretary-fangtang", $"通过 {id}");
        var secretary = await world.StaffAsync("secretary-fangtang");
        Assert.True((await world.Services.GetRequiredService<Rewards>().RedeemAsync(secretary, "landlord-1", 1, "兑换洗衣液一瓶")).Succeeded);
        var before = (await world.OutboxTextsAsync("landlord-1")).Count;

        var revoked = await world.Services.GetRequiredService<Verification>().RevokeAsync(secretary, id, "代办未完成");

        Assert.True(revoked.Succeeded);
        var told = Assert.Single((await world.OutboxTextsAsync("landlord-1")).Skip(before));
        Assert.Contains("已撤销", told);
        Assert.Contains("该加分已兑换，奖励积分透支 1 分，之后获得的奖励积分先抵扣", told);
    }
}
