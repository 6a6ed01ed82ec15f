using Scoring.Application;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>A tenant's return told again with another arrival (a mistyped time corrected), and a return at the edge of its window.</summary>
public sealed class TenantReturnCorrectionTests
{
    private static Task<long> PendingLateAsync(ChatWorld world) =>
        world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'landlord-1' AND rule_code = 'late-return' AND status = 'Pending'");

    [Fact]
    public async Task A_landlord_correcting_the_arrival_he_typed_is_charged_once_and_told_which_report_it_corrects()
    {
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 09:00
        await world.BindAsync("landlord-1");
        var first = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 11月16日 08:00"));
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        var corrected = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 11月16日 20:00"));

        Assert.Contains("已超时", first, StringComparison.Ordinal);
        Assert.Contains("王小明的返回已在 11月18日 09:00 登记（到达 11月16日 08:00）", corrected, StringComparison.Ordinal);
        Assert.Contains("未再扣分", corrected, StringComparison.Ordinal);
        Assert.Equal(1, await PendingLateAsync(world));

        // Corrected again, to an arrival in time: nothing more is charged, and the secretary's card says what came after.
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        var inTime = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 11月17日 20:00"));
        // Told the first charge stands (pending) and how to have it waived, not only that this one is in time.
        Assert.Contains("这次改为 11月17日 20:00 到达，按时", inTime, StringComparison.Ordinal);
        Assert.Contains("原扣分仍在，请联系书记免除", inTime, StringComparison.Ordinal);
        Assert.Contains("待核查", inTime, StringComparison.Ordinal);
        Assert.Equal(1, await PendingLateAsync(world));
        await world.BindAsync("secretary-fangtang");
        var pending = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查"));
        Assert.Contains("待核查 1 条", pending, StringComparison.Ordinal);
        Assert.Contains("之后又上报 11月17日 20:00 到达", pending, StringComparison.Ordinal);

        // The week's work report: one return of 王小明, late.
        var zone = (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!.Settings.TimeZone;
        var week = IsoWeek.Containing(world.Clock.GetUtcNow(), zone);
        var returns = await world.Db.ReadAsync(s => s.WeekReturnsAsync("houzhai", week, zone, Ids.OrderedFloor(week.Start(zone)), Ids.OrderedFloor(week.End(zone))));
        Assert.Equal(1, returns.Sum(r => r.Late));
        Assert.Equal(1, returns.Sum(r => r.Reported));
    }

    [Fact]
    public async Task A_second_late_return_of_the_same_tenant_long_after_the_first_is_charged_on_its_own()
    {
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 09:00
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回 王小明 11月16日 08:00");
        world.Clock.Advance(TimeSpan.FromDays(5)); // Monday 23 November: back again on Saturday, reported late too

        var again = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 11月21日 08:00"));

        Assert.DoesNotContain("未再扣分", again, StringComparison.Ordinal);
        Assert.Equal(2, await PendingLateAsync(world));
    }

    [Fact]
    public async Task A_return_reported_within_the_due_minute_is_in_time_and_one_after_it_says_when_it_was_received()
    {
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 09:00
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromSeconds(40));

        var dueMinute = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 昨天 09:00"));
        world.Clock.Advance(TimeSpan.FromSeconds(30)); // 09:01:10
        var after = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 李娜 昨天 09:00"));

        Assert.Contains("按时上报，不扣分", dueMinute, StringComparison.Ordinal);
        Assert.Contains("已超时", after, StringComparison.Ordinal);
        Assert.Contains("11月18日 09:01:10 收到", after, StringComparison.Ordinal);
    }
}
