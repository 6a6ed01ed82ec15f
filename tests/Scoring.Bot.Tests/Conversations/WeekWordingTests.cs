namespace Scoring.Bot.Tests.Conversations;

/// <summary>Landlords and shop heads read weeks as dates (本周（11月16日—22日）), never an ISO week code (2026-W47).</summary>
public sealed class WeekWordingTests
{
    [Theory]
    [InlineData("landlord-1")]
    [InlineData("shophead-1")]
    public async Task The_score_names_this_week_by_its_dates(string who)
    {
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 18 November 2026, of 2026-W47
        await world.BindAsync(who);

        var said = ChatWorld.ActivityText(await world.SayAsync(who, "积分"));

        Assert.Contains("本周（11月16日—22日）", said, StringComparison.Ordinal);
        Assert.DoesNotContain("-W", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_names_last_week_by_its_dates()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "榜单"));

        Assert.Contains("上周（11月9日—15日）", said, StringComparison.Ordinal);
        Assert.DoesNotContain("-W", said, StringComparison.Ordinal);
    }
}
