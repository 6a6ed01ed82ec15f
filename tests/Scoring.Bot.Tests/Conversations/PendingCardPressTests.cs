namespace Scoring.Bot.Tests.Conversations;

/// <summary>A secretary presses the buttons of the pending cards, as channels deliver the presses.</summary>
public sealed class PendingCardPressTests
{
    private static async Task<(ChatWorld World, string Id)> PendingViolationAsync()
    {
        var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "违规 王小明 深夜喧哗");
        return (world, await world.LatestEventIdAsync());
    }

    [Fact]
    public async Task An_approve_button_pressed_twice_approves_once_and_the_second_press_says_it_is_approved_already()
    {
        var (world, id) = await PendingViolationAsync();
        await using var _ = world;

        // Each press is an activity of its own (a new id): the second is no redelivery the turn records would answer.
        var first = ChatWorld.ActivityText(await world.SubmitAsync("secretary-fangtang", new { action = "approve", id }));
        var second = ChatWorld.ActivityText(await world.SubmitAsync("secretary-fangtang", new { action = "approve", id }));

        Assert.Contains($"已通过 {id}", first, StringComparison.Ordinal);
        Assert.Contains("无需重复操作", second, StringComparison.Ordinal);
        Assert.Contains("当前积分：14", second, StringComparison.Ordinal);
        Assert.Equal(2, await world.CountAsync("SELECT COUNT(*) FROM event_transitions"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE status = 'Approved'"));
    }

    [Fact]
    public async Task A_reject_button_pressed_again_after_the_card_cleared_its_reason_says_it_is_rejected_and_asks_for_nothing()
    {
        var (world, id) = await PendingViolationAsync();
        await using var _ = world;

        var first = ChatWorld.ActivityText(await world.SubmitAsync("secretary-fangtang", new { action = "reject", id, reason = "证据不足" }));
        // Some clients clear a card's input once it is sent: the second press carries no reason.
        var second = ChatWorld.ActivityText(await world.SubmitAsync("secretary-fangtang", new { action = "reject", id, reason = "" }));
        var next = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查"));

        Assert.Contains($"已驳回 {id}", first, StringComparison.Ordinal);
        Assert.Contains("无需重复操作", second, StringComparison.Ordinal);
        Assert.DoesNotContain("请填写", second, StringComparison.Ordinal);
        Assert.Contains("没有待核查", next, StringComparison.Ordinal);
        Assert.Equal(2, await world.CountAsync("SELECT COUNT(*) FROM event_transitions"));
    }

    [Fact]
    public async Task A_reason_too_long_for_the_record_is_asked_again_for_the_same_record_and_the_shorter_one_rejects_it()
    {
        var (world, id) = await PendingViolationAsync();
        await using var _ = world;

        // Input.Text's maxLength is a hint some clients ignore, and a pasted text passes it.
        var refused = ChatWorld.ActivityText(await world.SubmitAsync("secretary-fangtang", new { action = "reject", id, reason = new string('吵', 501) }));
        var shorter = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "证据不足"));

        Assert.Contains("500", refused, StringComparison.Ordinal);
        Assert.Contains($"请填写驳回 {id} 的原因", refused, StringComparison.Ordinal);
        Assert.Contains($"已驳回 {id}", shorter, StringComparison.Ordinal);
        Assert.Contains("原因：证据不足", shorter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejecting_from_a_card_with_the_reason_left_empty_asks_the_reason_naming_the_record_pressed()
    {
        var (world, id) = await PendingViolationAsync();
        await using var _ = world;

        var zh = ChatWorld.ActivityText(await world.SubmitAsync("secretary-fangtang", new { action = "reject", id, reason = "" }));
        var en = ChatWorld.ActivityText(await world.SubmitAsync("secretary-fangtang", new { action = "reject", id, reason = " " }, "en-US"));

        // Ten cards stand one above the other: the question says which of them it is about.
        Assert.Contains($"请填写驳回 {id} 的原因", zh, StringComparison.Ordinal);
        Assert.Contains($"Why is {id} rejected?", en, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reject_press_whose_data_lost_the_record_id_does_not_take_the_reason_for_an_id()
    {
        var (world, id) = await PendingViolationAsync();
        await using var _ = world;

        var reply = ChatWorld.ActivityText(await world.SubmitAsync("secretary-fangtang", new { action = "reject", reason = "证据不足" }));
        var numbered = ChatWorld.ActivityText(await world.SubmitAsync("secretary-fangtang", new { action = "reject", id = 42, reason = "证据不足" }));

        foreach (var r in new[] { reply, numbered })
        {
            Assert.Contains("请发送要驳回的记录编号", r, StringComparison.Ordinal);
            Assert.DoesNotContain("请填写驳回", r, StringComparison.Ordinal);
        }
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE status = 'Pending'"));
    }
}
