using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Bot.Turns;

namespace Scoring.Bot.Tests.Conversations;

// Someone who removed or blocked the bot is marked unreachable on their conversation reference: notices skip them and do
// not count them as told, until their next activity.
public sealed class UnreachableTests
{
    private static Task MarkAsync(ChatWorld world, string who) =>
        world.Services.GetRequiredService<ConversationReferenceTracker>().UnreachableAsync(ChatWorld.Channel, ChatWorld.UserOf(who), CancellationToken.None);

    [Fact]
    public async Task A_landlord_who_blocked_the_bot_is_not_sent_a_notice()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("gridworker-1");
        await MarkAsync(world, "landlord-1");

        await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 3楼没消毒");

        Assert.DoesNotContain(await world.OutboxTextsAsync("landlord-1"), t => t.Contains("网格员上报", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_escalation_to_an_officer_who_removed_the_bot_is_not_taken_for_their_message_of_the_hour()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("officer-1");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        world.Clock.Advance(TimeSpan.FromHours(25));
        await MarkAsync(world, "officer-1");

        await world.Services.GetRequiredService<Verification>().EscalateAsync();

        Assert.DoesNotContain(await world.OutboxTextsAsync("officer-1"), t => t.Contains("超时上报", StringComparison.Ordinal));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM chat_digests WHERE staff_id = 'officer-1'"));
    }

    [Fact]
    public async Task The_next_message_of_someone_marked_unreachable_clears_the_mark_and_notices_reach_them_again()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("gridworker-1");
        await MarkAsync(world, "landlord-1");

        await world.SayAsync("landlord-1", "积分");
        await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 3楼没消毒");

        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM bot_conversation_reference WHERE unreachable_since IS NOT NULL"));
        Assert.Contains(await world.OutboxTextsAsync("landlord-1"), t => t.Contains("网格员上报", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subjects_card_for_staff_says_since_when_they_cannot_be_reached_in_chat()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var scores = world.Services.GetRequiredService<Scores>();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var reachable = await scores.CardForStaffAsync(secretary, "landlord-1");
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        await MarkAsync(world, "landlord-1");

        var card = await scores.CardForStaffAsync(secretary, "landlord-1");

        Assert.Null(reachable.Value!.ChatUnreachableSince);
        Assert.Equal(world.Clock.GetUtcNow(), card.Value!.ChatUnreachableSince);
    }

    [Fact]
    public async Task A_staff_list_says_which_member_cannot_be_reached_in_chat()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("officer-1");
        await MarkAsync(world, "secretary-fangtang");
        var officer = await world.StaffAsync("officer-1");

        var listed = (await world.Services.GetRequiredService<Rosters>().ListStaffAsync(officer, officer.StreetId)).Value!;

        Assert.Equal(world.Clock.GetUtcNow(), listed.Single(x => x.Staff.Id == "secretary-fangtang").ChatUnreachableSince);
        Assert.Null(listed.Single(x => x.Staff.Id == "officer-1").ChatUnreachableSince);
    }
}
