using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
namespace Scoring.Bot.Tests.Conversations;

/// <summary>A shop head's and a grid worker's ordinary day in chat, as they type it.</summary>
public sealed class ShopDayTests
{
    [Theory]
    [InlineData("违规 饰品店：未登记开门")]
    [InlineData("违规 饰品店:未登记开门")]
    [InlineData("违规 饰品店： 未登记开门")]
    public async Task A_violation_written_with_a_colon_after_the_shop_keeps_the_note_as_written(string line)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-1", line));

        Assert.Contains("已上报「上报店铺违规」（饰品店：未登记开门）", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_violation_naming_a_shop_loosely_and_a_colon_straight_after_still_finds_the_shop()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "违规 饰品：未登记开门"));

        Assert.Contains("已上报「上报店铺违规」（饰品店：未登记开门）", reply, StringComparison.Ordinal);
    }
}
