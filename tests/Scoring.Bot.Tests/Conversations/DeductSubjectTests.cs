using Dapper;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// 扣分 names a person (or a shop) and a rule: a name several people share is asked about, a rule word is a guess only when
/// it clearly names the rule, and a rule that is someone else's to record is said to be so.
/// </summary>
public sealed class DeductSubjectTests
{
    private static Task AddSubjectAsync(ChatWorld world, string id, string name, SubjectKind kind, string phone) =>
        world.Db.WriteAsync(s => s.InsertSubjectAsync(new Subject
        {
            Id = id, StreetId = "houzhai", CommunityId = "fangtang", Kind = kind, Name = name, Phone = phone,
        }, world.Clock.GetUtcNow()));

    private static Task AddShopAsync(ChatWorld world, string id, string headId, string name) =>
        world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "INSERT INTO shops (id, subject_id, name, active) VALUES (@id, @headId, @name, 1)", new { id, headId, name }));

    [Fact]
    public async Task A_grid_worker_naming_two_landlords_of_one_name_is_asked_which_one_and_nothing_is_recorded_before()
    {
        await using var world = await ChatWorld.CreateAsync();
        await AddSubjectAsync(world, "landlord-0", "应天乐", SubjectKind.Landlord, "13900000099");
        await world.BindAsync("gridworker-1");

        var asked = await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 楼道脏");
        var text = ChatWorld.ActivityText(asked);
        var buttons = asked.Single().SuggestedActions!.Actions.Select(a => a.Title).ToList();

        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Contains("2 人", text, StringComparison.Ordinal);
        var theirs = buttons.Where(b => b!.StartsWith("应天乐", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, theirs.Count);
        Assert.Equal(2, theirs.Distinct().Count());
        Assert.All(theirs, b => Assert.Contains("房东", b!, StringComparison.Ordinal));

        // The button of the one added (phone …0099) charges that one, with the rest of the line.
        var pressed = theirs.Single(b => b!.Contains("0099", StringComparison.Ordinal))!;
        var done = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", pressed));

        Assert.Contains("已上报：应天乐「未按时消毒楼道等公共区域」", done, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'landlord-0' AND evidence = '楼道脏'"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'landlord-1'"));
    }

    [Fact]
    public async Task Asked_step_by_step_two_people_of_one_name_are_two_buttons_that_each_name_one()
    {
        await using var world = await ChatWorld.CreateAsync();
        await AddSubjectAsync(world, "landlord-0", "应天乐", SubjectKind.Landlord, "13900000099");
        await world.BindAsync("gridworker-1");

        var asked = await world.SayAsync("gridworker-1", "扣分");
        var buttons = asked.Single().SuggestedActions!.Actions.Select(a => a.Title!).Where(b => b.StartsWith("应天乐", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, buttons.Count);

        await world.SayAsync("gridworker-1", buttons.Single(b => b.Contains("0001", StringComparison.Ordinal)));
        await world.SayAsync("gridworker-1", "未按时消毒楼道等公共区域");
        await world.SayAsync("gridworker-1", "无");

        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'landlord-1'"));
    }

    [Fact]
    public async Task A_grid_worker_deducting_a_landlord_rule_from_a_person_who_is_also_a_shop_head_charges_the_landlord_record()
    {
        await using var world = await ChatWorld.CreateAsync();
        await AddSubjectAsync(world, "a-shophead", "应天乐", SubjectKind.ShopHead, "13900000098");
        await AddShopAsync(world, "shop-x", "a-shophead", "天乐副食店");
        await world.BindAsync("gridworker-1");

        var landlord = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 楼道脏"));
        var head = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 应天乐 店铺未登记擅自开门 没登记"));

        Assert.Contains("已上报：应天乐「未按时消毒楼道等公共区域」", landlord, StringComparison.Ordinal);
        Assert.Contains("已上报：应天乐「店铺未登记擅自开门」", head, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'landlord-1' AND rule_code = 'corridor-not-disinfected'"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'a-shophead' AND rule_code = 'shop-opened-unregistered'"));
    }

    [Fact]
    public async Task A_shop_name_two_heads_share_is_asked_about_by_its_heads_and_the_answer_keeps_the_shop_in_the_note()
    {
        await using var world = await ChatWorld.CreateAsync();
        await AddSubjectAsync(world, "sh-a", "甲铺长", SubjectKind.ShopHead, "13900000091");
        await AddSubjectAsync(world, "sh-b", "乙铺长", SubjectKind.ShopHead, "13900000092");
        await AddShopAsync(world, "p1", "sh-a", "副食店");
        await AddShopAsync(world, "p2", "sh-b", "副食店");
        await world.BindAsync("gridworker-1");

        var asked = await world.SayAsync("gridworker-1", "扣分 副食店 店铺未登记擅自开门 没登记");
        var text = ChatWorld.ActivityText(asked);

        Assert.DoesNotContain("找不到", text, StringComparison.Ordinal);
        Assert.Contains("甲铺长", text, StringComparison.Ordinal);
        Assert.Contains("乙铺长", text, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));

        var pressed = asked.Single().SuggestedActions!.Actions.Select(a => a.Title!).Single(b => b.StartsWith("乙铺长", StringComparison.Ordinal));
        var done = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", pressed));

        Assert.Contains("已上报：乙铺长「店铺未登记擅自开门」", done, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'sh-b' AND evidence = '副食店：没登记'"));
    }

    [Fact]
    public async Task A_person_taken_off_the_roster_is_said_to_be_off_it_not_unknown()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(async s => await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-3"))! with { Active = false }, world.Clock.GetUtcNow()));
        await world.BindAsync("gridworker-1");

        var zh = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 陈建国 未按时消毒楼道等公共区域 脏"));
        await world.SayAsync("gridworker-1", "取消");
        var en = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "deduct 陈建国 corridor dirty", "en-US"));

        Assert.DoesNotContain("找不到", zh, StringComparison.Ordinal);
        Assert.Contains("陈建国", zh, StringComparison.Ordinal);
        Assert.Contains("花名册", zh, StringComparison.Ordinal);
        Assert.Contains("roster", en, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }

    [Fact]
    public async Task A_word_sharing_one_character_with_concealment_is_not_offered_as_concealment()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");

        var late = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 应天乐 迟报"));
        await world.SayAsync("gridworker-1", "取消");
        var concealed = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 应天乐 瞒报 有个租客没登记"));

        Assert.DoesNotContain("是指「故意瞒报租客情况」", late, StringComparison.Ordinal);
        Assert.Contains("按哪条规则扣分", late, StringComparison.Ordinal);
        Assert.Contains("是指「故意瞒报租客情况」（-6）吗", concealed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grid_worker_naming_a_system_rule_is_told_the_system_records_it()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");

        var zh = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 应天乐 未及时上报租客返回 晚了"));
        await world.SayAsync("gridworker-1", "取消");
        var en = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "deduct 应天乐 Tenant's return reported late", "en-US"));

        Assert.DoesNotContain("没有「未及时上报租客返回」", zh, StringComparison.Ordinal);
        Assert.Contains("「未及时上报租客返回」由系统自动记录，网格员不能上报", zh, StringComparison.Ordinal);
        Assert.Contains("按哪条规则扣分", zh, StringComparison.Ordinal);
        Assert.Contains("recorded by the system", en, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }
}
