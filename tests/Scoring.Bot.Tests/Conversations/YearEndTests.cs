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
}
