using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Bot.Protocol;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>The street office changes its rules on a Wednesday: what the chat says before and after the new version applies.</summary>
public class RuleChangeTests
{
    /// <summary>
    /// Next week's rules as an officer publishes them: the service renamed, worth +2 and capped at 2; mediation dropped.
    /// </summary>
    private static async Task PublishNextWeeksRulesAsync(ChatWorld world)
    {
        var drafts = DefaultRules.All
            .Where(r => r.Code != DefaultRules.LandlordMediation)
            .Select(r => r.Code == DefaultRules.LandlordService ? r with { NameZh = "为租客代办事项", NameEn = "Errand for a tenant", Delta = 2, WeeklyCap = 2 } : r)
            .Select(r => new RuleDraft(r.Code, r.NameZh, r.NameEn, r.AppliesTo.ToWire(), r.Delta, r.ReportedBy.Select(x => x.ToWire()).ToList(), r.NeedsVerification, r.WeeklyCap, r.Once?.ToWire()))
            .ToList();
        var published = await new RuleBook(world.Db, world.Clock).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", drafts);
        Assert.True(published.Value!.Created);
    }

    [Fact]
    public async Task Help_names_the_rules_in_force_with_their_points_and_leaves_out_a_rule_dropped()
    {
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 09:00
        await world.BindAsync("landlord-1");
        await PublishNextWeeksRulesAsync(world);

        var thisWeek = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "帮助"));
        world.Clock.Advance(TimeSpan.FromDays(5));
        var nextWeek = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "帮助"));
        var nextWeekEn = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "help", "en-GB"));

        Assert.Contains("为租客代办（+1，每周最多3次）", thisWeek, StringComparison.Ordinal);
        Assert.Contains("· 调解 说明 — 参与矛盾调解（+1）", thisWeek, StringComparison.Ordinal);
        Assert.Contains("为租客代办事项（+2，每周最多2次）", nextWeek, StringComparison.Ordinal);
        Assert.DoesNotContain("· 调解", nextWeek, StringComparison.Ordinal);
        Assert.Contains("Errand for a tenant (+2, at most 2 a week)", nextWeekEn, StringComparison.Ordinal);
        Assert.DoesNotContain("· mediate", nextWeekEn, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Buttons(IReadOnlyList<Activity> replies) => replies[^1].SuggestedActions?.Actions.Select(a => a.Title ?? "") ?? [];

    [Fact]
    public async Task The_menu_offers_a_button_for_a_report_only_while_the_rules_in_force_have_it()
    {
        // A fixed list per person: the button 调解 stayed after the street dropped mediation, and pressing it was refused.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await PublishNextWeeksRulesAsync(world);

        var thisWeek = Buttons(await world.SayAsync("landlord-1", "积分"));
        world.Clock.Advance(TimeSpan.FromDays(5));
        var nextWeek = Buttons(await world.SayAsync("landlord-1", "积分"));
        var nextWeekEn = Buttons(await world.SayAsync("landlord-1", "score", "en-GB"));

        Assert.Equal(["返回", "积分", "代办", "违规", "调解", "榜单"], thisWeek);
        Assert.Equal(["返回", "积分", "代办", "违规", "榜单"], nextWeek);
        Assert.Equal(["return", "score", "service", "violation", "list"], nextWeekEn);
    }

    [Fact]
    public async Task A_shop_head_is_offered_no_button_for_a_report_the_rules_no_longer_let_them_make_themselves()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");
        var drafts = DefaultRules.All
            .Select(r => r.Code == DefaultRules.ShopReopenHelped ? r with { ReportedBy = [ReporterRole.Secretary] } : r)
            .Select(r => new RuleDraft(r.Code, r.NameZh, r.NameEn, r.AppliesTo.ToWire(), r.Delta, r.ReportedBy.Select(x => x.ToWire()).ToList(), r.NeedsVerification, r.WeeklyCap, r.Once?.ToWire()))
            .ToList();
        await new RuleBook(world.Db, world.Clock).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", drafts);
        world.Clock.Advance(TimeSpan.FromDays(5));

        var buttons = Buttons(await world.SayAsync("shophead-1", "积分"));

        Assert.Equal(["巡查", "积分", "违规", "调解", "榜单"], buttons);
    }

    [Theory]
    [InlineData("Service", "landlord-1", "代办 王小明 帮忙办居住证")]
    [InlineData("LandlordViolation", "landlord-1", "违规 王小明 楼道堆放杂物")]
    [InlineData("LandlordMediation", "landlord-1", "调解 邻居吵架")]
    [InlineData("Reopen", "shophead-1", "复工 饰品店")]
    [InlineData("ShopViolation", "shophead-1", "违规 饰品店 占道经营")]
    [InlineData("ShopMediation", "shophead-1", "调解 邻居吵架")]
    public async Task The_button_the_help_line_and_the_typed_command_of_a_report_agree_on_whether_its_rule_is_in_force(string binding, string who, string typed)
    {
        // One question (ChatBinding.WorksUnder) for the menu, the help and the command: a version dropping the rule takes
        // the button and the help line away, and the command typed anyway is told the rule is gone.
        var bound = (ChatBinding)typeof(ChatBindings).GetField(binding)!.GetValue(null)!;
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync(who);
        var drafts = DefaultRules.All.Where(r => r.Code != bound.Code)
            .Select(r => new RuleDraft(r.Code, r.NameZh, r.NameEn, r.AppliesTo.ToWire(), r.Delta, r.ReportedBy.Select(x => x.ToWire()).ToList(), r.NeedsVerification, r.WeeklyCap, r.Once?.ToWire()))
            .ToList();
        var before = (Buttons(await world.SayAsync(who, "积分")), ChatWorld.ActivityText(await world.SayAsync(who, "帮助")));
        await new RuleBook(world.Db, world.Clock).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", drafts);
        world.Clock.Advance(TimeSpan.FromDays(5));

        var after = (Buttons(await world.SayAsync(who, "积分")), ChatWorld.ActivityText(await world.SayAsync(who, "帮助")));
        var refused = ChatWorld.ActivityText(await world.SayAsync(who, typed));

        Assert.Contains(bound.CommandZh, before.Item1);
        Assert.Contains("· " + bound.CommandZh + " ", before.Item2, StringComparison.Ordinal);
        Assert.DoesNotContain(bound.CommandZh, after.Item1);
        Assert.DoesNotContain("· " + bound.CommandZh + " ", after.Item2, StringComparison.Ordinal);
        Assert.Contains("现行规则", refused, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync($"SELECT COUNT(*) FROM score_events WHERE rule_code = '{bound.Code}'"));
    }

    // A button pressed for a dropped rule from an older message is answered as below.
    [Fact]
    public async Task A_report_under_a_rule_the_street_dropped_is_told_so_in_words_not_by_the_rule_s_code()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await PublishNextWeeksRulesAsync(world);
        world.Clock.Advance(TimeSpan.FromDays(5));

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "调解 邻居吵架"));

        Assert.DoesNotContain(DefaultRules.LandlordMediation, reply, StringComparison.Ordinal);
        Assert.Contains("现行规则", reply, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }

    [Fact]
    public async Task A_report_pending_when_the_rules_change_keeps_its_points_and_name_when_approved_and_in_the_score()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 代缴水费");
        var pending = await world.LatestEventIdAsync();
        await PublishNextWeeksRulesAsync(world);
        world.Clock.Advance(TimeSpan.FromDays(5)); // next week: the service is worth +2 now

        var approved = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"通过 {pending}"));
        var score = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));

        Assert.Contains("+1", approved, StringComparison.Ordinal);
        Assert.DoesNotContain("+2", approved, StringComparison.Ordinal);
        Assert.Contains("为租客代办", score, StringComparison.Ordinal);
        Assert.DoesNotContain("为租客代办事项", score, StringComparison.Ordinal);
        Assert.Contains("应天乐的当前积分：13 分", score, StringComparison.Ordinal);
    }
    [Fact]
    public async Task A_black_listed_landlord_is_told_how_to_earn_points_back_under_the_rules_in_force_when_the_list_comes_out()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-2");
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("gridworker-1");
        await world.SayAsync("gridworker-1", "扣分 王秀兰 未按时消毒楼道等公共区域 楼道脏");
        await world.SayAsync("secretary-fangtang", $"通过 {await world.LatestEventIdAsync()}");
        await PublishNextWeeksRulesAsync(world);
        world.Clock.Advance(TimeSpan.FromDays(5)); // Monday of 2026-W48: W47 is published under next week's rules

        var published = await world.Services.GetRequiredService<Publication>().PublishAsync(
            await world.StaffAsync("officer-1"), "houzhai", new IsoWeek(2026, 47), SubjectKind.Landlord, null);

        Assert.True(published.Succeeded);
        var black = (await world.OutboxTextsAsync("landlord-2")).Single(t => t.Contains("黑榜", StringComparison.Ordinal));
        Assert.Contains("未按时消毒楼道等公共区域 -1", black);
        Assert.Contains("为租客代办事项 +2（每周最多2次）", black);
        Assert.DoesNotContain("参与矛盾调解", black);
    }
}
