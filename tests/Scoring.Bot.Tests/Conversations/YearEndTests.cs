using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Domain.Weeks;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>The chat over New Year: 2026 has 53 ISO weeks, and cycle 2026 ends on Sunday 3 January 2027.</summary>
public sealed class YearEndTests
{
    private static DateTimeOffset Local(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData("返回 王小明 1月1日")]
    [InlineData("返回 王小明 1.1 08:00")]
    public async Task An_arrival_on_new_year_s_day_typed_on_new_year_s_eve_is_refused_as_in_the_future_not_charged_as_a_year_late(string typed)
    {
        await using var world = await ChatWorld.CreateAsync(Local(2026, 12, 31, 10));
        await world.BindAsync("landlord-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", typed));

        Assert.Contains("到达时间晚于现在", reply, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }

    [Theory]
    [InlineData("发布 第53周 房东", "2026-W53尚未结束，2027年1月4日（周一）零点后可以发布")]
    [InlineData("publish week 53 landlord", "2026-W53 is not over yet; its lists can be published from Monday 2027-01-04 00:00")]
    public async Task Week_53_asked_for_before_it_has_ended_is_this_year_s_not_over_yet_rather_than_no_such_week(string typed, string said)
    {
        await using var world = await ChatWorld.CreateAsync(Local(2026, 11, 24, 9)); // Tuesday of 2026-W48
        await world.BindAsync("officer-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("officer-1", typed, typed.StartsWith("publish", StringComparison.Ordinal) ? "en-US" : "zh-CN"));

        Assert.Contains(said, reply, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task On_monday_4_january_last_week_and_week_53_are_2026_W53()
    {
        await using var world = await ChatWorld.CreateAsync(Local(2027, 1, 4, 9));
        await world.RosterEnteredInAsync(IsoWeek.Parse("2026-W50"));
        await world.BindAsync("officer-1");

        var lastWeek = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发布 上周 房东"));
        await world.SayAsync("officer-1", "取消");
        var week53 = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发布 第53周 房东"));

        Assert.Contains("2026-W53 房东红黑榜预览", lastWeek, StringComparison.Ordinal);
        Assert.Contains("2026-W53 房东红黑榜预览", week53, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_of_2026_W53_approved_in_2027_tells_the_secretary_and_the_landlord_that_it_counts_in_cycle_2026()
    {
        await using var world = await ChatWorld.CreateAsync(Local(2027, 1, 2, 10)); // Saturday of 2026-W53
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var id = await world.LatestEventIdAsync();
        world.Clock.SetUtcNow(Local(2027, 1, 5, 9));                                  // Tuesday of 2027-W01

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "通过 " + id));
        var told = (await world.OutboxTextsAsync("landlord-1")).Last();

        Assert.Contains("计入 2026年12月28日—2027年1月3日这一周（2026年积分周期，该周期积分 13 分）", reply, StringComparison.Ordinal);
        Assert.Contains("应天乐本周期当前积分：12", reply, StringComparison.Ordinal);
        Assert.Contains("计入 2026年12月28日—2027年1月3日这一周（2026年积分周期，该周期积分 13 分）", told, StringComparison.Ordinal);
        Assert.Contains("本周期当前积分：12", told, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_approved_in_its_own_cycle_says_nothing_of_cycles()
    {
        await using var world = await ChatWorld.CreateAsync(Local(2027, 1, 4, 10));
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "通过 " + await world.LatestEventIdAsync()));

        Assert.Contains("应天乐当前积分：13", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("周期", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_score_on_monday_4_january_is_the_new_cycle_s_12_with_a_word_on_how_2026_ended()
    {
        await using var world = await ChatWorld.CreateAsync(Local(2026, 12, 30, 10)); // Wednesday of 2026-W53
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        await world.SayAsync("secretary-fangtang", "通过 " + await world.LatestEventIdAsync());
        world.Clock.SetUtcNow(Local(2027, 1, 4, 9));

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));

        Assert.Contains("应天乐的当前积分：12 分", reply, StringComparison.Ordinal);
        Assert.Contains("新的积分周期（2027年）从 12 分重新算起；上一周期（2026年）积分：13 分。", reply, StringComparison.Ordinal);
        Assert.Contains("为租客代办 +1 · 已通过 · 计入2026年积分周期", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_score_in_the_first_week_of_2027_of_someone_entered_that_week_says_nothing_of_a_2026_they_were_not_in()
    {
        await using var world = await ChatWorld.CreateAsync(Local(2027, 1, 5, 10)); // the street entered in 2027-W01
        await world.BindAsync("landlord-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));

        Assert.Contains("应天乐的当前积分：12 分", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("上一周期", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("新的积分周期", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_score_in_the_middle_of_a_cycle_says_nothing_of_the_one_before()
    {
        await using var world = await ChatWorld.CreateAsync(Local(2026, 11, 18, 10));
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));

        Assert.DoesNotContain("上一周期", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("周期 ·", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("计入2026", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preview_of_2026_W53_in_january_counts_the_reports_waiting_of_cycle_2026_and_names_it()
    {
        await using var world = await ChatWorld.CreateAsync(Local(2026, 12, 30, 10)); // Wednesday of 2026-W53
        await world.BindAsync("landlord-1");
        await world.BindAsync("officer-1");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        world.Clock.SetUtcNow(Local(2027, 1, 4, 9));
        await world.SayAsync("landlord-1", "代办 王小明 买菜");                       // of 2027-W01: no bearing on W53

        var reply = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发布 上周 房东"));

        Assert.Contains("还有 1 条影响该周榜单的记录（该周及 2026 周期中更早的各周）待核查", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_late_return_that_fell_due_in_2026_W53_and_is_reported_in_january_says_it_is_charged_to_cycle_2026()
    {
        await using var world = await ChatWorld.CreateAsync(Local(2027, 1, 5, 9));
        await world.BindAsync("landlord-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 李娜 2026-12-27 10:00"));

        Assert.Contains("应在 2026年12月28日 10:00 前上报", reply, StringComparison.Ordinal);
        Assert.Contains("该扣分计入 2026年12月28日—2027年1月3日这一周（2026年积分周期，该周期积分 12 分），不影响本周期。", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_late_return_that_fell_due_in_2027_W01_is_charged_to_the_new_cycle_without_a_word_on_the_old()
    {
        // Arrived on Sunday 3 January, the last day of 2026-W53; due 24 h later, on Monday of 2027-W01, where the deduction counts.
        await using var world = await ChatWorld.CreateAsync(Local(2027, 1, 5, 9));
        await world.BindAsync("landlord-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 李娜 2027-01-03 23:00"));

        Assert.Contains("应在 1月4日 23:00 前上报，已超时", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("周期", reply, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE rule_code = 'late-return' AND week = '2027-W01' AND cycle = '2027'"));
    }

    [Fact]
    public async Task An_english_speaking_landlord_is_told_in_english_where_a_record_approved_after_new_year_counts()
    {
        await using var world = await ChatWorld.CreateAsync(Local(2027, 1, 2, 10)); // Saturday of 2026-W53
        await world.BindAsync("landlord-1", "en-US");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "service 王小明 work-resumption filing", "en-US");
        var id = await world.LatestEventIdAsync();
        world.Clock.SetUtcNow(Local(2027, 1, 5, 9));

        await world.SayAsync("secretary-fangtang", "通过 " + id);

        Assert.Contains("The record counts in the week of 28 Dec 2026 – 3 Jan 2027 (cycle 2026, whose balance is 13), not in this cycle.\nBalance now, in this cycle: 12",
            (await world.OutboxTextsAsync("landlord-1")).Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_of_2026_revoked_in_january_is_said_to_be_of_cycle_2026_not_to_count_in_it()
    {
        await using var world = await ChatWorld.CreateAsync(Local(2026, 12, 30, 10)); // Wednesday of 2026-W53
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var id = await world.LatestEventIdAsync();
        await world.SayAsync("secretary-fangtang", "通过 " + id);
        world.Clock.SetUtcNow(Local(2027, 1, 5, 9));

        var revoked = await world.Services.GetRequiredService<Verification>().RevokeAsync(await world.StaffAsync("secretary-fangtang"), id, "重复上报");

        Assert.True(revoked.Succeeded, revoked.Failure?.English);
        Assert.Contains("该记录属于 2026年12月28日—2027年1月3日这一周（2026年积分周期，该周期积分 12 分），不影响本周期。", (await world.OutboxTextsAsync("landlord-1")).Last(), StringComparison.Ordinal);
    }
}
