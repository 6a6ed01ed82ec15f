using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Weeks;
namespace Scoring.Bot.Tests.Conversations;

/// <summary>An ordinary day in chat: what landlords, shop heads, grid workers and secretaries type, as they type it.</summary>
public sealed class ChatDayTests
{
    [Fact]
    public async Task Asking_for_help_in_the_middle_of_a_report_explains_the_step_and_the_report_goes_on()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回");
        await world.SayAsync("landlord-1", "王小明");

        var help = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "帮助"));
        var answer = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "昨天 21:00"));

        Assert.Contains("王小明是什么时候到的", help, StringComparison.Ordinal);
        Assert.Contains("取消", help, StringComparison.Ordinal);
        Assert.Contains("已登记：王小明 11月17日 21:00 到达", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_in_english_in_the_middle_of_a_dialog_asks_the_same_step_in_english()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");
        await world.SayAsync("gridworker-1", "扣分 应天乐");

        var help = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "help", "en-GB"));

        Assert.Contains("Under which rule?", help, StringComparison.Ordinal);
        Assert.Contains("cancel", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_landlord_whose_redeemed_points_were_revoked_is_told_the_account_is_overdrawn()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var service = await world.LatestEventIdAsync();
        await world.SayAsync("secretary-fangtang", $"通过 {service}");
        var secretary = await world.StaffAsync("secretary-fangtang");
        Assert.True((await world.Services.GetRequiredService<Rewards>().RedeemAsync(secretary, "landlord-1", 1, "兑换洗衣液")).Succeeded);
        Assert.True((await world.Services.GetRequiredService<Verification>().RevokeAsync(secretary, service, "核实为误报")).Succeeded);

        var card = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));

        Assert.Contains("可用 0 分（累计 0，已兑换 1，透支 1 分", card, StringComparison.Ordinal);
    }

    /// <summary>Wednesday of 2026-W45: 应天乐 (landlord-1) helped mediate, approved — alone above the base, so on the week's red list.</summary>
    private static async Task<ChatWorld> MediatorOfWeek45Async()
    {
        var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 11, 4, 9, 0, 0, TimeSpan.FromHours(8)));
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "调解 帮助调解邻里纠纷");
        await world.SayAsync("secretary-fangtang", $"通过 {await world.LatestEventIdAsync()}");
        return world;
    }

    [Fact]
    public async Task A_landlord_asking_for_the_score_is_told_how_often_they_were_on_the_red_list_this_year_and_how_often_makes_a_good_person_candidate()
    {
        await using var world = await MediatorOfWeek45Async();
        var officer = await world.StaffAsync("officer-1");
        var publication = world.Services.GetRequiredService<Publication>();
        foreach (var week in new[] { "2026-W45", "2026-W46" })
        {
            world.Clock.Advance(TimeSpan.FromDays(7));
            Assert.True((await publication.PublishAsync(officer, "houzhai", IsoWeek.Parse(week), SubjectKind.Landlord, null)).Succeeded);
        }

        var card = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));
        var english = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "score", "en-GB"));

        Assert.Contains("2026年已上红榜 2 次（11月2日—8日、11月9日—15日）；满 3 次可成为年度好人候选。", card, StringComparison.Ordinal);
        Assert.Contains("On the red list 2 times in 2026 (2–8 Nov; 9–15 Nov); 3 make a good-person candidate.", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_red_list_tally_counts_a_week_published_since_the_last_question()
    {
        await using var world = await MediatorOfWeek45Async();
        var officer = await world.StaffAsync("officer-1");
        var publication = world.Services.GetRequiredService<Publication>();
        world.Clock.Advance(TimeSpan.FromDays(7));
        Assert.True((await publication.PublishAsync(officer, "houzhai", IsoWeek.Parse("2026-W45"), SubjectKind.Landlord, null)).Succeeded);
        var before = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));
        world.Clock.Advance(TimeSpan.FromDays(7));
        Assert.True((await publication.PublishAsync(officer, "houzhai", IsoWeek.Parse("2026-W46"), SubjectKind.Landlord, null)).Succeeded);

        var after = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));

        Assert.Contains("2026年已上红榜 1 次（11月2日—8日）", before, StringComparison.Ordinal);
        Assert.Contains("2026年已上红榜 2 次（11月2日—8日、11月9日—15日）", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_typed_again_whole_after_a_misspelt_name_counts_once()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回 王晓明 昨天 21:00");

        var answer = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明 昨天 21:00"));

        Assert.Contains("已登记：王小明 11月17日 21:00 到达", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secretary_approving_a_report_of_a_week_already_published_is_told_the_list_may_need_a_correction()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "调解 邻里噪音");
        var late = await world.LatestEventIdAsync();
        world.Clock.Advance(TimeSpan.FromDays(6));
        Assert.True((await world.Services.GetRequiredService<Publication>().PublishAsync(await world.StaffAsync("officer-1"), "houzhai",
            Scoring.Domain.Weeks.IsoWeek.Parse("2026-W47"), Scoring.Domain.SubjectKind.Landlord, null)).Succeeded);

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"通过 {late}"));

        Assert.Contains($"已通过 {late}", reply, StringComparison.Ordinal);
        Assert.Contains("已发布的 2026-W47 榜单", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_misspelt_on_a_one_line_report_is_asked_for_and_the_rest_of_the_line_still_counts()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王晓明 昨天 21:00"));
        var answer = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明"));

        Assert.Contains("「王晓明」不在您名下的租客中", asked, StringComparison.Ordinal);
        Assert.Contains("已登记：王小明 11月17日 21:00 到达", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("，")]
    [InlineData("、")]
    [InlineData(",")]
    [InlineData("；")]
    public async Task A_secretary_approves_several_records_separated_as_people_write_lists(string separator)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var first = await world.LatestEventIdAsync();
        await world.SayAsync("landlord-1", "调解 邻里噪音");
        var second = await world.LatestEventIdAsync();

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"通过 {first}{separator}{second.ToLowerInvariant()}"));

        Assert.Contains($"已通过 {first}", reply, StringComparison.Ordinal);
        Assert.Contains($"已通过 {second}", reply, StringComparison.Ordinal);
        Assert.Contains("应天乐当前积分：14", reply, StringComparison.Ordinal);
    }
}

public sealed class LooseRuleNameTests
{
    [Theory]
    [InlineData("扣分 应天乐 消毒 3楼楼道", "未按时消毒楼道等公共区域", "-1")]
    [InlineData("扣分 应天乐 楼道没消毒 3楼楼道", "未按时消毒楼道等公共区域", "-1")]
    [InlineData("扣分 应天乐 瞒报 3楼楼道", "故意瞒报租客情况", "-6")]
    [InlineData("deduct 应天乐 disinfected 3楼楼道", "未按时消毒楼道等公共区域", "-1")]
    public async Task A_grid_worker_names_a_rule_by_a_word_of_it_and_confirms_the_rule_it_was_read_as(string typed, string rule, string points)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");

        // A word is a guess: a deduction (up to −6) is reported only once the worker has seen which rule it was read as.
        var asked = await world.SayAsync("gridworker-1", typed);
        var nothingYet = await world.CountAsync("SELECT COUNT(*) FROM score_events");
        var reply = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", rule));

        Assert.Contains($"是指「{rule}」（{points}）吗", ChatWorld.ActivityText(asked), StringComparison.Ordinal);
        Assert.Contains(rule, asked.SelectMany(a => a.SuggestedActions?.Actions ?? []).Select(a => a.Title));
        Assert.Equal(0, nothingYet);
        Assert.Contains($"已上报：应天乐「{rule}」", reply, StringComparison.Ordinal);
        Assert.Contains($"分值：{points}", reply, StringComparison.Ordinal);
        Assert.Equal("3楼楼道", await world.Db.ReadAsync(s => Dapper.SqlMapper.ExecuteScalarAsync<string>(s.Connection, "SELECT evidence FROM score_events")));
    }

    [Fact]
    public async Task A_loose_rule_word_answers_the_rules_question_too()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");
        await world.SayAsync("gridworker-1", "扣分 王秀兰");

        var asked = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "没消毒"));
        var reply = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "未按时消毒楼道等公共区域"));

        Assert.Contains("是指「未按时消毒楼道等公共区域」", asked, StringComparison.Ordinal);
        Assert.Contains("请说明看到的情况", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_word_of_no_rule_is_still_refused_with_the_rules_to_pick_from()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 应天乐 吵闹 半夜"));

        Assert.Contains("没有「吵闹」这条扣分规则", reply, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }
}

public sealed class ReturnTimesTests
{
    [Theory]
    [InlineData("返回 李娜 昨晚", "李娜 11月17日 21:00 到达，按时上报")]
    [InlineData("返回 李娜 昨晚8点", "李娜 11月17日 20:00 到达，按时上报")]
    [InlineData("返回 李娜 11.17 20:00", "李娜 11月17日 20:00 到达，按时上报")]
    [InlineData("返回 李娜 晚上八点", "李娜 11月17日 20:00 到达，按时上报")]
    public async Task A_landlord_reports_a_return_as_people_say_the_time(string typed, string expected)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", typed));

        Assert.Contains(expected, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_return_on_a_date_written_with_a_dot_that_is_still_ahead_is_refused_as_in_the_future()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 李娜 11.20"));

        Assert.Contains("到达时间晚于现在", reply, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
    }

    [Fact]
    public async Task A_part_of_a_day_that_would_be_late_from_its_middle_asks_the_hour_saying_which_time_it_counted()
    {
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 11, 18, 16, 0, 0, TimeSpan.FromHours(8)));
        await world.BindAsync("landlord-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 李娜 昨天下午"));

        Assert.Contains("按 11月17日 15:00 算", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("中午", reply, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }
}

public sealed class WrittenAsTypedTests
{
    [Fact]
    public async Task A_reason_keeps_the_chinese_punctuation_the_secretary_typed()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "违规 王小明 楼道里堆放杂物（纸箱），已劝离！");
        var id = await world.LatestEventIdAsync();

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"驳回 {id} 租客说确实是前天晚上到的，房东昨天在外地：情况属实？"));
        await world.SayAsync("landlord-1", "调解 邻里噪音");
        await world.SubmitAsync("secretary-fangtang", new { action = "reject", id = await world.LatestEventIdAsync(), reason = "已调解，有照片？" });

        Assert.Contains("原因：租客说确实是前天晚上到的，房东昨天在外地：情况属实？", reply, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM event_transitions WHERE reason = '租客说确实是前天晚上到的，房东昨天在外地：情况属实？'"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE evidence = '王小明：楼道里堆放杂物（纸箱），已劝离！'"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM event_transitions WHERE reason = '已调解，有照片？'"));
    }

    [Theory]
    [InlineData("积分？")]
    [InlineData("？")]
    [InlineData("绑定码：ＡＢ１２ＣＤ３４")]
    public void Commands_still_read_through_full_width_forms(string typed) =>
        Assert.NotEqual(Scoring.Bot.Conversations.Verb.Unknown, Scoring.Bot.Conversations.CommandParser.Parse(typed).Verb);

    [Fact]
    public void Full_width_letters_and_digits_fold_while_chinese_punctuation_stays()
    {
        Assert.Equal("绑定 AB12CD34", Scoring.Bot.Conversations.CommandParser.Clean("绑定\u3000ＡＢ１２ＣＤ３４"));
        Assert.Equal("调解 好，已解决（邻里）", Scoring.Bot.Conversations.CommandParser.Clean("调解 好，已解决（邻里）"));
    }
}

public sealed class StalePublishedListTests
{
    [Fact]
    public async Task Approving_after_the_week_was_published_says_its_list_did_not_count_it_and_a_repeat_says_so_again()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "调解 帮两家租客调解了噪音纠纷");
        var id = await world.LatestEventIdAsync();
        world.Clock.Advance(TimeSpan.FromDays(6)); // Tuesday of W48: W47 is over
        var publication = world.Services.GetRequiredService<Publication>();
        Assert.True((await publication.PublishAsync(await world.StaffAsync("officer-1"), "houzhai", Scoring.Domain.Weeks.IsoWeek.Parse("2026-W47"), Scoring.Domain.SubjectKind.Landlord, null)).Succeeded);

        var approve = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"通过 {id}"));
        var again = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"通过 {id}"));

        Assert.Contains("已发布的 2026-W47 榜单是按之前的记录排的", approve, StringComparison.Ordinal);
        Assert.Contains("无需重复操作", again, StringComparison.Ordinal);
        Assert.Contains("已发布的 2026-W47 榜单是按之前的记录排的", again, StringComparison.Ordinal);
    }
}

public sealed class AnotherCommunitysRecordTests
{
    [Fact]
    public async Task A_secretary_deciding_a_record_of_another_community_is_told_which_record_and_why()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("shophead-1", "复工 汽配一号店");
        var id = await world.LatestEventIdAsync();

        var approve = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"通过 {id}"));
        var reject = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"驳回 {id} 不对"));
        var en = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"approve {id}", "en-GB"));

        foreach (var reply in new[] { approve, reject })
        {
            Assert.Contains($"记录 {id} 不属于您核查的社区", reply, StringComparison.Ordinal);
            Assert.DoesNotContain("王强生", reply, StringComparison.Ordinal); // nor whose it is: she may not read that person
        }
        Assert.Contains($"Record {id} is not in the community you verify", en, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE status = 'Pending'"));
    }
}

public sealed class NamesAsTypedTests
{
    [Fact]
    public async Task A_shop_head_names_a_shop_by_part_of_its_name()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");
        await world.SayAsync("shophead-1", "复工");

        var guided = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "饰品"));
        var oneLine = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "违规 二号店 没登记就开门"));

        Assert.Contains("已上报「协助店铺复工登记」（饰品店）", guided, StringComparison.Ordinal);
        Assert.Contains("已上报「上报店铺违规」（汽配二号店：没登记就开门）", oneLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_part_two_names_share_is_still_asked_about()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "复工 汽配"));

        Assert.Contains("您负责的店铺中有 2 家名字含「汽配」，是哪一家？", reply, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }

    [Fact]
    public async Task A_landlord_may_put_a_comma_after_the_tenants_name()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明，昨天 21:00"));

        Assert.Contains("已登记：王小明 11月17日 21:00 到达", reply, StringComparison.Ordinal);
    }
}

public sealed class PictureOnlyTests
{
    private static Scoring.Bot.Protocol.Activity Picture(ChatWorld world, string who, string locale = "zh-CN")
    {
        var message = world.Message(who, null, locale);
        message.Attachments = [new Scoring.Bot.Protocol.Attachment { ContentType = "image/jpeg", ContentUrl = "https://files.test/photo.jpg" }];
        return message;
    }

    [Fact]
    public async Task A_photo_sent_while_a_step_is_asked_says_it_has_no_text_and_asks_the_step_again()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "代办");

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(Picture(world, "landlord-1")));
        var next = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "李娜"));

        Assert.DoesNotContain("「」", reply, StringComparison.Ordinal);
        Assert.Contains("图片", reply, StringComparison.Ordinal);
        Assert.Contains("为哪位租客代办", reply, StringComparison.Ordinal);
        Assert.Contains("代办了什么事", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_photo_alone_is_answered_that_only_words_are_read_before_the_help()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var zh = ChatWorld.ActivityText(await world.DeliverAsync(Picture(world, "landlord-1")));
        var en = ChatWorld.ActivityText(await world.DeliverAsync(Picture(world, "landlord-1", "en-GB")));

        Assert.StartsWith("我看不到图片和文件", zh, StringComparison.Ordinal);
        Assert.Contains("返回 租客 到达时间", zh, StringComparison.Ordinal);
        Assert.StartsWith("I cannot see pictures or files", en, StringComparison.Ordinal);
    }
}
