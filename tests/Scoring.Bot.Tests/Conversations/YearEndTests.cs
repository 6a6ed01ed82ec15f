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
        await world.BindAsync("officer-1");

        var lastWeek = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发布 上周 房东"));
        await world.SayAsync("officer-1", "取消");
        var week53 = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发布 第53周 房东"));

        Assert.Contains("2026-W53 房东红黑榜预览", lastWeek, StringComparison.Ordinal);
        Assert.Contains("2026-W53 房东红黑榜预览", week53, StringComparison.Ordinal);
    }
}
