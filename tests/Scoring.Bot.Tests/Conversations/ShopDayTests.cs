using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Storage;
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

    [Fact]
    public async Task A_round_reported_again_the_same_day_says_it_was_already_recorded()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");
        await world.SayAsync("shophead-1", "巡查");
        world.Clock.Advance(TimeSpan.FromHours(2));

        var again = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "巡查"));
        var english = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "round", "en-US"));

        Assert.Contains("今天（11月18日）的巡查 09:00 已经记录过，不重复记录", again, StringComparison.Ordinal);
        Assert.Contains("Today's round (2026-11-18) was already recorded at 09:00; nothing is recorded twice", english, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM shop_rounds"));
    }

    [Theory]
    [InlineData("巡查 昨天", "zh-CN", "巡查只能记当天的")]
    [InlineData("巡查 11月16日", "zh-CN", "巡查只能记当天的")]
    [InlineData("round yesterday", "en-US", "A round is recorded for the day it is done")]
    public async Task A_round_said_for_an_earlier_day_is_not_recorded_as_today_s(string line, string locale, string expected)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-1", line, locale));

        Assert.Contains(expected, reply, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM shop_rounds"));
    }

    [Theory]
    [InlineData("巡查 今天")]
    [InlineData("巡查 已完成，一切正常")]
    [InlineData("巡查 8:30")]
    public async Task A_round_with_words_about_today_is_recorded_as_today_s(string line)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-1", line));

        Assert.Contains("今天（11月18日）的巡查已记录", reply, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM shop_rounds"));
    }

    [Fact]
    public async Task A_round_with_a_time_later_than_now_is_still_today_s_not_yesterday_s()
    {
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 11, 18, 8, 0, 0, TimeSpan.FromHours(8)));
        await world.BindAsync("shophead-1");

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "巡查 8:30"));

        Assert.Contains("今天（11月18日）的巡查已记录", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_late_round_on_a_day_whose_charge_by_hand_was_rejected_is_not_promised_a_charge_that_will_not_come()
    {
        await using var world = await ChatWorld.CreateAsync();
        var rounds = world.Services.GetRequiredService<Rounds>();
        await rounds.RecordMissedAsync(); // 09:00: the day is seen open
        await world.BindAsync("shophead-2");
        world.Clock.Advance(TimeSpan.FromHours(5)); // 14:00
        var byHand = (await world.Services.GetRequiredService<Reporting>().ReportAsync(new ReportRequest(
            Actor.Of(await world.StaffAsync("secretary-changchun")), "shophead-2", Scoring.Domain.Rules.DefaultRules.RoundMissed, "test:by-hand", "下午两点还没巡查"))).Value!;
        world.Clock.Advance(TimeSpan.FromHours(2)); // 16:00: the system skips the day already charged, and closes it
        await rounds.RecordMissedAsync();
        await world.Services.GetRequiredService<Verification>().RevokeAsync(await world.StaffAsync("secretary-changchun"), byHand.Event.Id, "其实巡查过");
        world.Clock.Advance(TimeSpan.FromMinutes(30));

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-2", "巡查"));

        Assert.DoesNotContain("系统仍会记", reply, StringComparison.Ordinal);
        Assert.Contains("今天没有记「未完成每日巡查」", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_late_round_on_a_day_the_secretary_already_charged_is_told_of_that_charge_and_the_day_s_deadline()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-2");
        await world.BindAsync("secretary-changchun");
        world.Clock.Advance(TimeSpan.FromHours(5)); // 14:00
        await world.SayAsync("secretary-changchun", "扣分 吴丽娜 未完成每日巡查 下午两点还没巡查");
        world.Clock.Advance(TimeSpan.FromHours(2.5)); // 16:30

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-2", "巡查"));

        Assert.Contains("但已过 16:00 的截止时间，已记「未完成每日巡查」", reply, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE rule_code = 'round-missed'"));
    }

    [Fact]
    public async Task A_round_on_a_holiday_the_street_lets_off_is_not_warned_of_a_deduction_that_will_not_come()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-2");
        await world.Services.GetRequiredService<StreetSettingsBook>().ChangeAsync(await world.StaffAsync("officer-1"), "houzhai",
            new SettingsDraft(Holidays: ["2026-11-18"], RoundsOnHolidays: false));

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-2", "巡查"));
        var english = ChatWorld.ActivityText(await world.SayAsync("shophead-2", "round", "en-US"));

        Assert.Contains("今天是节假日，不巡查也不扣分", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("系统会记", reply, StringComparison.Ordinal);
        Assert.Contains("Today is a holiday: no round is owed", english, StringComparison.Ordinal);
        Assert.DoesNotContain("the system records", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deduction_naming_the_shop_instead_of_its_head_goes_to_the_shop_s_head_and_keeps_the_shop_in_the_evidence()
    {
        // On the street the one who reports sees a shop, not the name of the shop head answering for it.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-changchun");

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-changchun", "扣分 饰品店 店铺未登记擅自开门 没登记就开门了"));
        var english = ChatWorld.ActivityText(await world.SayAsync("secretary-changchun", "deduct 长春五金 A shop opened without registering opened at 8", "en-US"));

        Assert.Contains("已上报：王强生「店铺未登记擅自开门」", reply, StringComparison.Ordinal);
        Assert.Contains("Reported: 吴丽娜, \"A shop opened without registering\"", english, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'shophead-1' AND rule_code = 'shop-opened-unregistered' AND evidence = '饰品店：没登记就开门了'"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'shophead-2' AND rule_code = 'shop-opened-unregistered' AND evidence = '长春五金: opened at 8'"));
    }

    [Fact]
    public async Task A_deduction_naming_a_shop_name_two_heads_share_is_charged_to_neither_and_asks_which_head()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(s => s.InsertShopAsync(new Scoring.Domain.Shop { Id = "shophead-2-s9", SubjectId = "shophead-2", Name = "饰品店" }));
        await world.BindAsync("secretary-changchun");

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-changchun", "扣分 饰品店 店铺未登记擅自开门 没登记就开门了"));

        Assert.Contains("「饰品店」是 2 位铺长的店铺，扣哪一位的分？", reply, StringComparison.Ordinal);
        Assert.Contains("[王强生 · 铺长 · 长春社区]", reply, StringComparison.Ordinal);
        Assert.Contains("[吴丽娜 · 铺长 · 长春社区]", reply, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }

    [Fact]
    public async Task A_round_from_a_shop_head_with_no_shops_left_is_not_warned_of_a_deduction_that_will_not_come()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-2");
        await world.Db.WriteAsync(async s =>
        {
            foreach (var shop in await s.ListShopsAsync("shophead-2")) await s.UpdateShopAsync(shop with { Active = false });
        });

        var reply = ChatWorld.ActivityText(await world.SayAsync("shophead-2", "巡查"));
        var english = ChatWorld.ActivityText(await world.SayAsync("shophead-2", "round", "en-US"));

        Assert.Contains("您名下现在没有店铺，不需要巡查，也不会记「未完成每日巡查」", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("系统会记", reply, StringComparison.Ordinal);
        Assert.Contains("You have no shops in your charge now: no round is owed", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_shop_helped_to_reopen_again_later_is_not_scored_a_second_time()
    {
        // A shop registers to reopen once: reported again on Thursday it would earn the week's cap of 3 from one shop.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");
        await world.SayAsync("shophead-1", "复工 汽配一号店");
        world.Clock.Advance(TimeSpan.FromDays(1));

        var again = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "复工 汽配一号店"));
        var english = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "reopen 汽配一号店", "en-US"));
        var other = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "复工 饰品店"));

        Assert.Contains("汽配一号店的复工登记已在 11月18日 上报过", again, StringComparison.Ordinal);
        Assert.Contains("汽配一号店's reopening was already reported on 2026-11-18", english, StringComparison.Ordinal);
        Assert.Contains("已上报「协助店铺复工登记」（饰品店）", other, StringComparison.Ordinal);
        Assert.Equal(2, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE rule_code = 'shop-reopen-helped'"));
    }

    [Fact]
    public async Task A_shop_whose_reopening_was_rejected_may_be_reported_again()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");
        await world.SayAsync("shophead-1", "复工 汽配一号店");
        await world.Services.GetRequiredService<Verification>().RejectAsync(await world.StaffAsync("secretary-changchun"), await world.LatestEventIdAsync(), "还没登记");
        world.Clock.Advance(TimeSpan.FromDays(1));

        var again = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "复工 汽配一号店"));

        Assert.Contains("已上报「协助店铺复工登记」（汽配一号店）", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_part_of_two_of_the_heads_shop_names_asks_which_of_those_two_and_keeps_the_rest_of_the_line()
    {
        // 汽配 is in 汽配一号店 and 汽配二号店: the head was told it was not one of their shops, and offered all three.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");

        var asking = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "违规 汽配 未登记开门"));
        var pressed = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "汽配二号店"));
        var english = ChatWorld.ActivityText(await world.SayAsync("shophead-1", "reopen 汽配", "en-US"));

        Assert.Contains("您负责的店铺中有 2 家名字含「汽配」，是哪一家？", asking, StringComparison.Ordinal);
        Assert.DoesNotContain("不在您负责的店铺中", asking, StringComparison.Ordinal);
        Assert.Contains("[汽配一号店]", asking, StringComparison.Ordinal);
        Assert.DoesNotContain("[饰品店]", asking, StringComparison.Ordinal);
        Assert.Contains("2 of your shops have \"汽配\" in their names: which one?", english, StringComparison.Ordinal);
        Assert.Contains("已上报「上报店铺违规」（汽配二号店：未登记开门）", pressed, StringComparison.Ordinal);
    }
}
