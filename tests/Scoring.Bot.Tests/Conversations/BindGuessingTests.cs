using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// Guessing enrolment codes from many chat accounts (Web Chat and Direct Line give each conversation a fresh user id, so
/// the per-account lockout does not bound it): the channel's budget of wrong codes, on this instance.
/// </summary>
public sealed class BindGuessingTests
{
    private static readonly Dictionary<string, string?> SmallBudget = new()
    {
        ["Bot:Enrolment:FailedBindsPerChannel"] = "3",
        ["Bot:Enrolment:FailedBindsWindow"] = "00:10:00",
    };

    [Fact]
    public async Task Wrong_codes_from_many_accounts_leave_a_new_account_told_to_wait_while_a_bound_account_binds_and_asks_as_before()
    {
        await using var world = await ChatWorld.CreateAsync(settings: SmallBudget);
        await world.BindAsync("landlord-1");
        var enrolment = world.Services.GetRequiredService<Enrolment>();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var newcomers = (await enrolment.IssueAsync(secretary, "subject", "landlord-3")).Value!;
        var bounds = (await enrolment.IssueAsync(secretary, "subject", "landlord-2")).Value!;
        for (var i = 0; i < 3; i++) await world.SayAsync($"guesser-{i}", Enrolment.BindCommand($"WRNG000{i}"));

        var refused = ChatWorld.ActivityText(await world.SayAsync("newcomer", newcomers.BindCommand));
        var score = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));
        var added = ChatWorld.ActivityText(await world.SayAsync("landlord-1", bounds.BindCommand));
        world.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var later = ChatWorld.ActivityText(await world.SayAsync("newcomer", newcomers.BindCommand));

        Assert.Contains("错误的绑定码过多", refused);
        Assert.Contains("10 分钟", refused);
        Assert.Contains("应天乐", score);
        Assert.Contains("绑定成功", added);
        Assert.Contains("绑定成功", later);
        Assert.Equal("landlord-3", (await enrolment.IdentifyAsync(ChatWorld.Channel, ChatWorld.UserOf("newcomer")))?.Subject?.Id);
    }

    [Fact]
    public async Task Wrong_codes_sent_as_a_deep_link_s_start_spend_the_same_budget()
    {
        await using var world = await ChatWorld.CreateAsync(settings: SmallBudget);
        var newcomers = (await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("secretary-fangtang"), "subject", "landlord-3")).Value!;
        for (var i = 0; i < 3; i++) await world.SayAsync($"guesser-{i}", $"/start WRNG000{i}");

        var refused = ChatWorld.ActivityText(await world.SayAsync("newcomer", $"/start {newcomers.Code}"));

        Assert.Contains("错误的绑定码过多", refused);
    }
}
