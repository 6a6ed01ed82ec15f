namespace Scoring.Bot.Tests.Conversations;

// A note over the use case's limit (Reporting.MaxEvidenceLength, less the name the record puts before it) is asked for again, saying how long it was, with the
// dialog kept on the note step: the tenant or person named stays and only a shorter note is needed.
public sealed class LongNoteTests
{
    [Fact]
    public async Task A_note_too_long_in_one_line_is_asked_again_and_the_tenant_kept()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "代办 王小明 " + new string('买', 2100)));
        var recorded = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "帮忙买菜"));

        Assert.Contains("说明最多1996字，这次是2100字", asked, StringComparison.Ordinal);
        Assert.Contains("已上报「为租客代办」", recorded, StringComparison.Ordinal);
        Assert.Contains("王小明", recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_note_too_long_answered_step_by_step_is_asked_again_in_english_too()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", "en-GB");
        await world.SayAsync("landlord-1", "service", "en-GB");
        await world.SayAsync("landlord-1", "王小明", "en-GB");

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", new string('x', 2001), "en-GB"));
        var recorded = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "shopping", "en-GB"));

        Assert.Contains("at most 1995 characters; this one has 2001", asked, StringComparison.Ordinal);
        Assert.Contains("王小明", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain("at most", recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deductions_note_too_long_keeps_the_person_and_the_rule()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");

        var asked = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 " + new string('楼', 2001)));
        var recorded = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "3楼没消毒"));

        Assert.Contains("说明最多2000字，这次是2001字", asked, StringComparison.Ordinal);
        Assert.Contains("应天乐", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain("最多", recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_note_that_fits_alone_but_not_with_the_tenants_name_is_asked_again_and_the_tenant_kept()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "代办 王小明 " + new string('买', 1999)));
        var recorded = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "帮忙买菜"));

        Assert.Contains("说明最多1996字，这次是1999字", asked);
        Assert.Contains("已上报", recorded);
    }
}
