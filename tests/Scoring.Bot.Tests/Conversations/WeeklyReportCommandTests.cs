using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Rules;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>周报 / weekly report: the weekly work report in chat, the same use case as GET …/weeks/{week}/summary.</summary>
public sealed class WeeklyReportCommandTests
{
    /// <summary>Monday of 2026-W48, 09:00 in Houzhai: 2026-W47 is over.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>In W47 应天乐 (方塘村) earned +1, approved, and 李春梅's (长春社区) mediation waits; the clock then stands on Monday of W48.</summary>
    private static async Task<ChatWorld> WeekOverAsync()
    {
        var world = await ChatWorld.CreateAsync();
        var reporting = world.Services.GetRequiredService<Reporting>();
        var added = await reporting.ReportAsync(new ReportRequest(Actor.Of(await world.SubjectAsync("landlord-1")), "landlord-1", DefaultRules.LandlordService, "api:w47-service", "复工备案"));
        Assert.True((await world.Services.GetRequiredService<Verification>().ApproveAsync(await world.StaffAsync("secretary-fangtang"), added.Value!.Event.Id)).Succeeded);
        Assert.True((await reporting.ReportAsync(new ReportRequest(Actor.Of(await world.SubjectAsync("landlord-5")), "landlord-5", DefaultRules.LandlordMediation, "api:w47-mediation", "邻里纠纷"))).Succeeded);
        world.Clock.SetUtcNow(Monday);
        return world;
    }

    [Fact]
    public async Task An_officer_asking_for_the_weekly_report_gets_last_week_s_figures_for_the_street_and_each_community()
    {
        await using var world = await WeekOverAsync();
        await world.BindAsync("officer-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("officer-1", "周报"));

        Assert.Contains("2026-W47 工作周报（后宅街道），统计截至", reply, StringComparison.Ordinal); // figures as of when asked
        Assert.DoesNotContain("尚未结束", reply, StringComparison.Ordinal);
        Assert.Contains("上报2条：本人2、网格员0、书记0、系统0；通过1、驳回0、待核查1、撤销0", reply, StringComparison.Ordinal);
        Assert.Contains("加分1，扣分0", reply, StringComparison.Ordinal);
        Assert.Contains("房东红黑榜：未发布", reply, StringComparison.Ordinal);
        Assert.Contains("方塘村：", reply, StringComparison.Ordinal);
        Assert.Contains("长春社区：", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("应天乐", reply, StringComparison.Ordinal); // counts, never names
        // The sheet needs a staff token, which nobody has in chat: the reply says who gets it where, the route for them.
        Assert.Contains("完整表格（Excel）请系统管理员从街道办的后台导出", reply, StringComparison.Ordinal);
        Assert.Contains("（GET /api/streets/houzhai/weeks/2026-W47/summary.xlsx）", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secretary_gets_their_own_community_and_a_named_week_in_english()
    {
        await using var world = await WeekOverAsync();
        await world.BindAsync("secretary-changchun", "en-US");

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-changchun", "weekly report 2026-W47", "en-US"));

        Assert.Contains("Weekly report 2026-W47 (长春社区)", reply, StringComparison.Ordinal);
        Assert.Contains("Reports: 1 (self 1", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("By community", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("方塘村", reply, StringComparison.Ordinal);
        Assert.Contains("ask whoever administers the street office's system to export it from the backend", reply, StringComparison.Ordinal);
        Assert.Contains("(GET /api/streets/houzhai/weeks/2026-W47/summary.xlsx)", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task This_week_is_reported_as_still_running_and_a_week_not_begun_is_refused()
    {
        await using var world = await WeekOverAsync();
        await world.BindAsync("officer-1");

        var running = ChatWorld.ActivityText(await world.SayAsync("officer-1", "周报 本周"));
        var future = ChatWorld.ActivityText(await world.SayAsync("officer-1", "周报 2026-W50"));

        Assert.Contains("2026-W48 工作周报（后宅街道），本周尚未结束", running, StringComparison.Ordinal);
        Assert.Contains("2026-W50还没有开始", future, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gridworker-1")]
    [InlineData("landlord-1")]
    public async Task Grid_workers_and_landlords_are_told_the_report_is_not_theirs(string who)
    {
        await using var world = await WeekOverAsync();
        await world.BindAsync(who);

        var reply = ChatWorld.ActivityText(await world.SayAsync(who, "周报"));

        Assert.Contains("工作周报由书记和街道工作人员查看", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("上报2条", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_group_the_officer_is_asked_to_write_privately()
    {
        await using var world = await WeekOverAsync();
        await world.BindAsync("officer-1");

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("officer-1", "周报", mentioningTheBot: true)));

        Assert.Contains("请私聊我", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("工作周报（", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_week_that_is_none_is_refused_saying_how_to_write_one()
    {
        await using var world = await WeekOverAsync();
        await world.BindAsync("officer-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("officer-1", "周报 2025-W53"));

        Assert.Contains("2025年只有52周", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_for_secretaries_and_officers_names_the_weekly_report_and_help_for_landlords_and_grid_workers_does_not()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("officer-1", "en-GB");
        await world.BindAsync("landlord-1");
        await world.BindAsync("gridworker-1");

        var secretary = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "帮助"));
        var officer = ChatWorld.ActivityText(await world.SayAsync("officer-1", "help", "en-GB"));
        var landlord = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "帮助"));
        var gridWorker = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "帮助"));

        Assert.Contains("· 周报", secretary, StringComparison.Ordinal);
        Assert.Contains("· weekly [week]", officer, StringComparison.Ordinal);
        Assert.DoesNotContain("周报", landlord, StringComparison.Ordinal);
        Assert.DoesNotContain("周报", gridWorker, StringComparison.Ordinal);
    }
}
