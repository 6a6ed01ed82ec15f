using Dapper;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>The officers' chat door to publishing the weekly lists: the same use case as POST …/lists/{week}/publish.</summary>
public sealed class PublishCommandTests
{
    /// <summary>Monday of 2026-W48, 09:00 in Houzhai: 2026-W47 is over.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly IsoWeek W47 = IsoWeek.Parse("2026-W47");

    /// <summary>
    /// In 2026-W47 应天乐 earned +1 (approved: the red list at 13), 王秀兰 lost 1 (approved: the black list at 11) and
    /// 陈建国's mediation still waits for the secretary; then the clock stands on Monday of W48. The officer is bound.
    /// </summary>
    /// <summary>W47's landlord list published, then 陈建国's mediation approved: his W47 balance is 13 now, so the list has changed.</summary>
    private static async Task<ChatWorld> PublishedThenChangedAsync()
    {
        var world = await WeekOverAsync();
        Assert.True((await Publication(world).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", W47, SubjectKind.Landlord, null)).Succeeded);
        var pending = await world.Db.ReadAsync(async s => (await s.PendingOfStreetAsync("houzhai", escalatedOnly: false)).Single().Id);
        Assert.True((await world.Services.GetRequiredService<Verification>().ApproveAsync(await world.StaffAsync("secretary-fangtang"), pending)).Succeeded);
        return world;
    }

    private static async Task<ChatWorld> WeekOverAsync(string locale = "zh-CN")
    {
        var world = await ChatWorld.CreateAsync();
        var reporting = world.Services.GetRequiredService<Reporting>();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var added = await reporting.ReportAsync(new ReportRequest(Actor.Of(await world.SubjectAsync("landlord-1")), "landlord-1", DefaultRules.LandlordService, "api:w47-service", "复工备案"));
        Assert.True((await world.Services.GetRequiredService<Verification>().ApproveAsync(secretary, added.Value!.Event.Id)).Succeeded);
        // A secretary's own deduction needs no second check.
        Assert.True((await reporting.ReportAsync(new ReportRequest(Actor.Of(secretary), "landlord-2", DefaultRules.NotDisinfected, "api:w47-corridor", "楼道脏"))).Succeeded);
        Assert.True((await reporting.ReportAsync(new ReportRequest(Actor.Of(await world.SubjectAsync("landlord-3")), "landlord-3", DefaultRules.LandlordMediation, "api:w47-mediation", "邻里纠纷"))).Succeeded);
        world.Clock.SetUtcNow(Monday);
        await world.BindAsync("officer-1", locale);
        return world;
    }

    private static Publication Publication(ChatWorld world) => world.Services.GetRequiredService<Publication>();

    private static IReadOnlyList<string> Buttons(IEnumerable<Scoring.Bot.Protocol.Activity> replies) =>
        replies.SelectMany(a => a.SuggestedActions?.Actions ?? []).Select(a => a.Title!).ToList();

    [Theory]
    [InlineData("secretary-fangtang")]
    [InlineData("landlord-1")]
    public async Task Someone_who_is_not_a_street_officer_asking_to_publish_is_refused_and_nothing_is_published(string who)
    {
        await using var world = await WeekOverAsync();
        await world.BindAsync(who);

        var reply = ChatWorld.ActivityText(await world.SayAsync(who, "发布 上周 房东"));
        var confirm = ChatWorld.ActivityText(await world.SayAsync(who, "确认发布"));

        Assert.Contains("发布红黑榜由街道工作人员负责", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("应天乐", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("已发布", confirm, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task An_officer_asking_to_publish_in_a_group_is_asked_to_go_private_and_no_name_is_shown()
    {
        await using var world = await WeekOverAsync();
        var message = world.GroupMessage("officer-1", "发布 上周 房东", mentioningTheBot: true);

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(message));

        Assert.Contains("请私聊我", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("应天乐", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("王秀兰", reply, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task An_officer_previews_last_week_in_private_and_confirming_publishes_what_the_http_door_would_with_the_same_hash()
    {
        await using var world = await WeekOverAsync();
        var officer = await world.StaffAsync("officer-1");
        var http = (await Publication(world).PreviewAsync(officer, "houzhai", W47, SubjectKind.Landlord)).Value!.List;

        var asked = await world.SayAsync("officer-1", "发布");
        var preview = await world.SayAsync("officer-1", "房东");
        var published = ChatWorld.ActivityText(await world.SayAsync("officer-1", "确认发布"));

        Assert.Contains("哪一类", ChatWorld.ActivityText(asked), StringComparison.Ordinal);
        Assert.Equal(["房东", "铺长", "取消"], Buttons(asked));
        var shown = ChatWorld.ActivityText(preview);
        Assert.Contains("2026-W47 房东红黑榜预览", shown, StringComparison.Ordinal);
        Assert.Contains("1. 应天乐 · 方塘村 · 13 分", shown, StringComparison.Ordinal); // unmasked: a private chat with an officer
        Assert.Contains("1. 王秀兰 · 方塘村 · 11 分", shown, StringComparison.Ordinal);
        Assert.Contains("还有 1 条影响该周榜单的记录", shown, StringComparison.Ordinal);
        Assert.Contains("首次发布", shown, StringComparison.Ordinal);
        Assert.Equal(["确认发布", "取消"], Buttons(preview));
        var list = (await Publication(world).PublishedAsync("houzhai", W47, SubjectKind.Landlord))!;
        Assert.Equal(http.ContentHash, list.ContentHash);
        Assert.Equal((1, "officer-1"), (list.Revision, list.PublishedBy));
        Assert.Contains("已发布 2026-W47 房东红黑榜（第 1 版）", published, StringComparison.Ordinal);
        Assert.Contains(list.ContentHash[..12], published, StringComparison.Ordinal);
        Assert.Contains("/streets/houzhai/board/2026-W47", published, StringComparison.Ordinal);
        // The HTTP door now finds it published and changes nothing.
        var again = await Publication(world).PublishAsync(officer, "houzhai", W47, SubjectKind.Landlord, null);
        Assert.Equal((false, 1), (again.Value!.Created, again.Value.List.Revision));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task An_officer_writing_in_English_publishes_a_named_week_and_kind_in_one_line()
    {
        await using var world = await WeekOverAsync("en-GB");

        var preview = await world.SayAsync("officer-1", "publish 2026-W47 landlord", "en-GB");
        var published = ChatWorld.ActivityText(await world.SayAsync("officer-1", "confirm", "en-GB"));

        var shown = ChatWorld.ActivityText(preview);
        Assert.Contains("Preview of the 2026-W47 landlord red/black list", shown, StringComparison.Ordinal);
        Assert.Contains("1 record that would change this list (of that week or earlier in the cycle) still waits for verification", shown, StringComparison.Ordinal);
        Assert.Equal(["confirm", "cancel"], Buttons(preview));
        Assert.Contains("Published the 2026-W47 landlord red/black list (revision 1)", published, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confirmation_delivered_twice_publishes_once_and_gets_the_same_answer()
    {
        await using var world = await WeekOverAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("officer-1", "发布 上周 房东");

        var first = await world.DeliverAsync(world.Message("officer-1", "确认发布", id: "confirm-1"));
        var again = await world.DeliverAsync(world.Message("officer-1", "确认发布", id: "confirm-1"));

        Assert.Equal(ChatWorld.ActivityText(first), ChatWorld.ActivityText(again));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
        Assert.Single(await world.OutboxTextsAsync("landlord-1"), t => t.Contains("恭喜", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_list_with_nobody_on_it_is_confirmed_as_empty_not_as_telling_those_on_it()
    {
        await using var world = await WeekOverAsync();

        var asked = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发布 上周 铺长"));

        Assert.Contains("红榜和黑榜都没有人", asked, StringComparison.Ordinal);
        Assert.DoesNotContain("发布后会通知榜上的人", asked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_published_week_whose_ledger_has_not_changed_is_said_to_be_published_and_nothing_is_asked()
    {
        await using var world = await WeekOverAsync();
        Assert.True((await Publication(world).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", W47, SubjectKind.Landlord, null)).Succeeded);

        var replies = await world.SayAsync("officer-1", "发布 上周 房东");
        var reply = ChatWorld.ActivityText(replies);

        Assert.Contains("已发布过（第 1 版）", reply, StringComparison.Ordinal);
        Assert.Contains("没有变化", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("确认发布", Buttons(replies));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task A_published_week_whose_ledger_changed_asks_for_a_correction_reason_and_publishes_revision_2_with_it()
    {
        await using var world = await PublishedThenChangedAsync();

        var preview = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发布 2026-W47 房东"));
        var asked = await world.SayAsync("officer-1", "补核查一条调解记录");
        var published = ChatWorld.ActivityText(await world.SayAsync("officer-1", "确认发布"));

        Assert.Contains("陈建国", preview, StringComparison.Ordinal);
        Assert.Contains("已发布第 1 版，之后记录有变化", preview, StringComparison.Ordinal);
        Assert.Contains("更正原因", preview, StringComparison.Ordinal);
        Assert.Contains("第 2 版", ChatWorld.ActivityText(asked), StringComparison.Ordinal);
        Assert.Equal(["确认发布", "取消"], Buttons(asked));
        var list = (await Publication(world).PublishedAsync("houzhai", W47, SubjectKind.Landlord))!;
        Assert.Equal((2, "补核查一条调解记录"), (list.Revision, list.CorrectionReason));
        Assert.Contains("第 2 版", published, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_asked_for_after_a_correction_says_it_is_one_and_why_and_the_first_revision_does_not()
    {
        await using var world = await PublishedThenChangedAsync();
        await world.BindAsync("landlord-1");
        var first = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "榜单"));
        Assert.True((await Publication(world).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", W47, SubjectKind.Landlord, "补核查一条调解记录")).Succeeded);

        var corrected = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "榜单"));
        var english = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "list", "en-US"));

        Assert.Contains("上周（11月16日—22日）房东红黑榜（第 1 版）", first, StringComparison.Ordinal);
        Assert.DoesNotContain("更正", first, StringComparison.Ordinal);
        Assert.Contains("上周（11月16日—22日）房东红黑榜（第 2 版，更正）", corrected, StringComparison.Ordinal);
        Assert.Contains("更正说明：补核查一条调解记录", corrected, StringComparison.Ordinal);
        Assert.Contains("(revision 2, a correction)", english, StringComparison.Ordinal);
        Assert.Contains("The correction: 补核查一条调解记录", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_correction_s_draft_names_who_left_the_red_list_and_how_balances_moved_since_the_published_revision()
    {
        await using var world = await WeekOverAsync();
        Assert.True((await Publication(world).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", W47, SubjectKind.Landlord, null)).Succeeded);
        var added = await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>("SELECT id FROM score_events WHERE subject_id = 'landlord-1' AND status = 'Approved'"));
        Assert.True((await world.Services.GetRequiredService<Verification>().RevokeAsync(await world.StaffAsync("secretary-fangtang"), added!, "代办未完成")).Succeeded);

        var draft = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发布 2026-W47 房东"));
        var english = ChatWorld.ActivityText(await world.SayAsync("officer-1", "publish 2026-W47 landlord", "en-US"));

        Assert.Contains("已发布第 1 版，之后记录有变化", draft, StringComparison.Ordinal);
        Assert.Contains("与第 1 版相比：", draft, StringComparison.Ordinal);
        Assert.Contains("· 红榜：应天乐 不再上榜（原第 1 名，13 分；现 12 分）", draft, StringComparison.Ordinal);
        Assert.Contains("Since revision 1:", english, StringComparison.Ordinal);
        Assert.Contains("· red list: 应天乐 is off it (was rank 1, 13 points; now 12)", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_correction_s_draft_says_when_only_a_name_changed_since_the_published_revision()
    {
        await using var world = await WeekOverAsync();
        Assert.True((await Publication(world).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", W47, SubjectKind.Landlord, null)).Succeeded);
        await world.Db.WriteAsync(async s => await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-2"))! with { Name = "王秀英" }, world.Clock.GetUtcNow()));

        var draft = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发布 2026-W47 房东"));

        Assert.Contains("已发布第 1 版，之后只有姓名有变化，积分记录没有变化", draft, StringComparison.Ordinal);
        Assert.Contains("· 黑榜：王秀兰 改名为 王秀英（名次、积分不变）", draft, StringComparison.Ordinal);
        Assert.DoesNotContain("之后记录有变化", draft, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_correction_reason_that_names_a_person_is_refused_at_its_own_step_and_asked_for_again()
    {
        await using var world = await PublishedThenChangedAsync();
        await world.SayAsync("officer-1", "发布 上周 房东");

        var refused = await world.SayAsync("officer-1", "陈建国的调解补核查");
        await world.SayAsync("officer-1", "补核查一条调解记录");
        var published = ChatWorld.ActivityText(await world.SayAsync("officer-1", "确认发布"));

        Assert.Contains("更正原因会公开显示", ChatWorld.ActivityText(refused), StringComparison.Ordinal);
        Assert.Contains("请填写更正原因", ChatWorld.ActivityText(refused), StringComparison.Ordinal);
        Assert.DoesNotContain("确认发布", Buttons(refused));
        Assert.Contains("第 2 版", published, StringComparison.Ordinal);
        var list = (await Publication(world).PublishedAsync("houzhai", W47, SubjectKind.Landlord))!;
        Assert.Equal((2, "补核查一条调解记录"), (list.Revision, list.CorrectionReason));
    }

    [Theory]
    [InlineData("建国的调解补核查")] // 陈*国, on the list the correction publishes
    [InlineData("天乐的一条记录补核查")] // 应*乐, on the revision it corrects
    public async Task A_correction_reason_giving_what_the_mask_hides_of_a_listed_name_is_refused_at_its_own_step(string reason)
    {
        await using var world = await PublishedThenChangedAsync();
        await world.SayAsync("officer-1", "发布 上周 房东");

        var refused = ChatWorld.ActivityText(await world.SayAsync("officer-1", reason));

        Assert.Contains("更正原因会公开显示", refused, StringComparison.Ordinal);
        Assert.Contains("请填写更正原因", refused, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("发布 上周 房东 确认")]      // a confirmation typed on the command's line
    [InlineData("发布 上周", "上周 房东")]   // the week said again with the kind asked for
    public async Task Words_left_over_from_the_command_are_not_taken_as_a_correction_s_reason(string first, string? second = null)
    {
        await using var world = await PublishedThenChangedAsync();
        var replies = await world.SayAsync("officer-1", first);
        if (second is not null) replies = await world.SayAsync("officer-1", second);

        Assert.Contains("请填写更正原因", ChatWorld.ActivityText(replies), StringComparison.Ordinal);
        Assert.DoesNotContain("确认发布", Buttons(replies));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task A_confirm_button_pressed_from_an_old_card_while_a_correction_reason_is_asked_for_is_not_taken_as_the_reason()
    {
        await using var world = await PublishedThenChangedAsync();
        await world.SayAsync("officer-1", "发布 上周 房东");

        var pressed = ChatWorld.ActivityText(await world.SayAsync("officer-1", "确认发布"));
        await world.SayAsync("officer-1", "确认发布");
        await world.SayAsync("officer-1", "补核查一条调解记录");
        await world.SayAsync("officer-1", "确认发布");

        Assert.Contains("请填写更正原因", pressed, StringComparison.Ordinal);
        var list = (await Publication(world).PublishedAsync("houzhai", W47, SubjectKind.Landlord))!;
        Assert.Equal((2, "补核查一条调解记录"), (list.Revision, list.CorrectionReason));
    }

    [Fact]
    public async Task A_week_not_over_yet_is_not_previewed_and_the_officer_is_told_when_it_can_be_published()
    {
        await using var world = await WeekOverAsync(); // Monday of 2026-W48

        var replies = await world.SayAsync("officer-1", "发布 本周 房东");
        var reply = ChatWorld.ActivityText(replies);

        Assert.Contains("2026-W48尚未结束", reply, StringComparison.Ordinal);
        Assert.Contains("11月30日", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("应天乐", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("确认发布", Buttons(replies));
    }

    [Fact]
    public async Task The_list_changing_between_the_preview_and_the_confirmation_is_shown_again_rather_than_published_unseen()
    {
        await using var world = await WeekOverAsync();
        await world.SayAsync("officer-1", "发布 上周 房东");
        var pending = await world.Db.ReadAsync(async s => (await s.PendingOfStreetAsync("houzhai", escalatedOnly: false)).Single().Id);
        Assert.True((await world.Services.GetRequiredService<Verification>().ApproveAsync(await world.StaffAsync("secretary-fangtang"), pending)).Succeeded);

        var reply = await world.SayAsync("officer-1", "确认发布");

        Assert.Contains("榜单在预览后有变化", ChatWorld.ActivityText(reply), StringComparison.Ordinal);
        Assert.Contains("陈建国", ChatWorld.ActivityText(reply), StringComparison.Ordinal);
        Assert.Equal(["确认发布", "取消"], Buttons(reply));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task A_list_published_through_the_http_door_between_the_preview_and_the_confirmation_stands_and_nothing_new_is_published()
    {
        await using var world = await WeekOverAsync();
        await world.SayAsync("officer-1", "发布 上周 房东");
        Assert.True((await Publication(world).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", W47, SubjectKind.Landlord, null)).Value!.Created);

        var reply = ChatWorld.ActivityText(await world.SayAsync("officer-1", "确认发布"));

        Assert.Contains("已是第 1 版，这次没有新发布", reply, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task A_list_published_through_the_http_door_after_the_ledger_changed_since_the_preview_is_not_said_to_be_what_was_confirmed()
    {
        await using var world = await WeekOverAsync();
        await world.SayAsync("officer-1", "发布 上周 房东");
        var pending = await world.Db.ReadAsync(async s => (await s.PendingOfStreetAsync("houzhai", escalatedOnly: false)).Single().Id);
        Assert.True((await world.Services.GetRequiredService<Verification>().ApproveAsync(await world.StaffAsync("secretary-fangtang"), pending)).Succeeded);
        Assert.True((await Publication(world).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", W47, SubjectKind.Landlord, null)).Value!.Created);

        var reply = ChatWorld.ActivityText(await world.SayAsync("officer-1", "确认发布"));

        Assert.Contains("榜单在预览后有变化", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("这次没有新发布", reply, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Theory]
    [InlineData("发布 2025-W53 房东", "2025年只有52周")] // 2025 has 52 weeks
    [InlineData("发布 2026-W5 房东", "2026-W47")]
    [InlineData("发布 W46 房东", "2026-W47")]
    public async Task A_week_written_wrong_is_refused_rather_than_read_as_last_week(string message, string said)
    {
        await using var world = await WeekOverAsync();

        var replies = await world.SayAsync("officer-1", message);
        var confirm = ChatWorld.ActivityText(await world.SayAsync("officer-1", "确认发布"));

        var reply = ChatWorld.ActivityText(replies);
        Assert.Contains(said, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("预览", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("确认发布", Buttons(replies));
        Assert.DoesNotContain("已发布", confirm, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task The_week_before_last_is_previewed_when_asked_for_as_上上周()
    {
        await using var world = await WeekOverAsync(); // Monday of 2026-W48
        // The demo's roster is entered in W47; entered a week earlier, W46 owes its landlords' list.
        await world.RosterEnteredInAsync(W47.Previous());

        var reply = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发布 上上周 房东"));

        Assert.Contains("2026-W46 房东红黑榜预览", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kind_the_street_has_nobody_of_is_not_offered_for_publishing()
    {
        await using var world = await WeekOverAsync();
        // Houzhai without shop heads: they are landlords now.
        await world.Db.WriteAsync(async s =>
        {
            foreach (var head in (await s.ListSubjectsAsync("houzhai")).Where(x => x.Kind == SubjectKind.ShopHead))
                await s.UpdateSubjectAsync(head with { Kind = SubjectKind.Landlord }, world.Clock.GetUtcNow());
        });

        var replies = await world.SayAsync("officer-1", "发布 上周 铺长");
        var confirm = ChatWorld.ActivityText(await world.SayAsync("officer-1", "确认发布"));

        Assert.Contains("没有铺长", ChatWorld.ActivityText(replies), StringComparison.Ordinal);
        Assert.DoesNotContain("确认发布", Buttons(replies));
        Assert.DoesNotContain("已发布", confirm, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task A_week_in_which_the_street_had_no_shop_head_on_its_roster_has_no_shop_heads_list_to_preview_or_publish()
    {
        // The street has had shop heads, but both left the roster in W47: W48's shop heads' list is no list.
        await using var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(async s =>
        {
            foreach (var head in (await s.ListSubjectsAsync("houzhai")).Where(x => x.Kind == SubjectKind.ShopHead))
                await s.UpdateSubjectAsync(head with { Active = false }, world.Clock.GetUtcNow());
        });
        world.Clock.SetUtcNow(Monday.AddDays(7)); // Monday of W49
        await world.BindAsync("officer-1");

        var replies = await world.SayAsync("officer-1", "发布 上周 铺长");
        var confirm = ChatWorld.ActivityText(await world.SayAsync("officer-1", "确认发布"));

        Assert.Contains("2026-W48本街道名册上没有铺长", ChatWorld.ActivityText(replies), StringComparison.Ordinal);
        Assert.DoesNotContain("确认发布", Buttons(replies));
        Assert.DoesNotContain("已发布", confirm, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task Publish_alone_for_a_week_with_landlords_only_on_the_roster_previews_the_landlords_list_without_asking_which()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(async s =>
        {
            foreach (var head in (await s.ListSubjectsAsync("houzhai")).Where(x => x.Kind == SubjectKind.ShopHead))
                await s.UpdateSubjectAsync(head with { Active = false }, world.Clock.GetUtcNow());
        });
        world.Clock.SetUtcNow(Monday.AddDays(7)); // Monday of W49
        await world.BindAsync("officer-1");

        var replies = await world.SayAsync("officer-1", "发布");

        Assert.Contains("2026-W48 房东红黑榜预览", ChatWorld.ActivityText(replies), StringComparison.Ordinal);
        Assert.Contains("确认发布", Buttons(replies));
    }

    [Fact]
    public async Task A_correction_reason_with_a_text_direction_control_is_asked_for_again_and_the_dialog_goes_on()
    {
        await using var world = await PublishedThenChangedAsync();
        await world.SayAsync("officer-1", "发布 上周 房东");

        var refused = await world.SayAsync("officer-1", "补核查\u202E一条调解记录");
        await world.SayAsync("officer-1", "补核查一条调解记录");
        var published = ChatWorld.ActivityText(await world.SayAsync("officer-1", "确认发布"));

        Assert.Contains("文字方向控制符", ChatWorld.ActivityText(refused), StringComparison.Ordinal);
        Assert.Contains("请填写更正原因", ChatWorld.ActivityText(refused), StringComparison.Ordinal);
        Assert.Contains("第 2 版", published, StringComparison.Ordinal);
        Assert.Equal(2, await world.CountAsync("SELECT COUNT(*) FROM published_lists"));
    }

    [Fact]
    public async Task An_officer_s_help_and_buttons_offer_publishing()
    {
        await using var world = await WeekOverAsync();

        var replies = await world.SayAsync("officer-1", "帮助");

        Assert.Contains("· 发布", ChatWorld.ActivityText(replies), StringComparison.Ordinal);
        Assert.Contains("发布", Buttons(replies));
    }

    [Fact]
    public async Task The_list_in_chat_of_a_street_of_landlords_only_names_no_shop_heads_list_privately_or_in_a_group_even_once_it_takes_one_on()
    {
        // Told every week in the group that its shop heads' list 「还没有发布」, a street of landlords only waits for a list
        // that never comes; a shop head entered later owes no list of the weeks before they were.
        await using var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync("UPDATE subjects SET kind = 'Landlord' WHERE kind = 'ShopHead'", transaction: s.Transaction));
        world.Clock.SetUtcNow(Monday);
        Assert.True((await Publication(world).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", W47, SubjectKind.Landlord, null)).Succeeded);
        await world.Db.WriteAsync(s => s.InsertSubjectAsync(new Subject
        {
            Id = "shophead-new", StreetId = "houzhai", CommunityId = "fangtang", Kind = SubjectKind.ShopHead, Name = "新铺长", Phone = "13900002222",
        }, world.Clock.GetUtcNow()));
        await world.BindAsync("officer-1");

        var privately = ChatWorld.ActivityText(await world.SayAsync("officer-1", "榜单"));
        var inGroup = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("officer-1", "榜单")));

        Assert.Contains("2026-W47）房东红黑榜（第 1 版）", privately, StringComparison.Ordinal);
        Assert.Contains("2026-W47）房东红黑榜（第 1 版）", inGroup, StringComparison.Ordinal);
        Assert.DoesNotContain("铺长", privately + inGroup, StringComparison.Ordinal);
    }
}
