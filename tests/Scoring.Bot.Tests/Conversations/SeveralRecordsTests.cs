using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// One chat account speaking for several landlord/shop-head records: in Yiwu a landlord is often a shop head too, in one
/// street or two, with one WeChat account. Each command goes to the record it is about; notices say which record.
/// </summary>
public sealed class SeveralRecordsTests
{
    private static async Task<string> CodeAsync(ChatWorld world, string issuer, string subject) =>
        (await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync(issuer), "subject", subject)).Value!.BindCommand;

    /// <summary>应天乐's account (landlord-1) that also bound 王强生's shop-head code (shophead-1).</summary>
    private static async Task<ChatWorld> LandlordAndShopHeadAsync()
    {
        var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", await CodeAsync(world, "secretary-changchun", "shophead-1"));
        return world;
    }

    private static Task<ChatIdentity?> IdentifyAsync(ChatWorld world, string who) =>
        world.Services.GetRequiredService<Enrolment>().IdentifyAsync(ChatWorld.Channel, ChatWorld.UserOf(who));

    private static Task<string> LatestSubjectAsync(ChatWorld world) =>
        world.Db.ReadAsync(async s => (await s.Connection.QuerySingleAsync<string>("SELECT subject_id FROM score_events ORDER BY reported_at DESC, rowid DESC LIMIT 1")));

    [Fact]
    public async Task A_landlords_account_sent_a_shop_heads_code_speaks_for_both_and_says_so_naming_both()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var text = ChatWorld.ActivityText(await world.SayAsync("landlord-1", await CodeAsync(world, "secretary-changchun", "shophead-1")));

        Assert.DoesNotContain("确认改绑", text);
        Assert.Contains("同时代表", text);
        Assert.Contains("应天乐", text);
        Assert.Contains("王强生", text);
        var who = await IdentifyAsync(world, "landlord-1");
        Assert.Equal(["landlord-1", "shophead-1"], who!.Records.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task A_shop_heads_account_sent_the_code_of_a_landlord_in_another_street_is_offered_the_landlords_buttons_at_once()
    {
        // The turn read the rules of the streets it spoke for before the binding: the new record's street was not among
        // them, and 代办 was left out of the very reply that said the account now speaks for the landlord.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("shophead-1");
        await world.Db.WriteAsync(async s =>
        {
            var now = world.Clock.GetUtcNow();
            await s.InsertStreetAsync(new Domain.Street { Id = "anting", Name = "安亭街道" }, now);
            await s.InsertCommunityAsync(new Domain.Community { Id = "anting-c", StreetId = "anting", Name = "安亭村" });
            await s.InsertSubjectAsync(new Domain.Subject { Id = "anting-1", StreetId = "anting", CommunityId = "anting-c", Kind = Domain.SubjectKind.Landlord,
                Name = "安亭房东", Phone = "13700000001", Active = true }, now);
            await s.InsertEnrolmentCodeAsync(new EnrolmentCodeRow { Hash = Enrolment.PlainHashOf("ANTNG234"), PersonKind = "subject", PersonId = "anting-1",
                IssuedBy = "officer-1", IssuedAt = now, ExpiresAt = now.AddDays(7) });
        });

        var replies = await world.SayAsync("shophead-1", "绑定 ANTNG234");

        Assert.Contains("同时代表", ChatWorld.ActivityText(replies));
        Assert.Contains("代办", replies[^1].SuggestedActions!.Actions.Select(a => a.Title));
    }

    [Fact]
    public async Task Each_command_goes_to_the_record_it_is_about_tenants_to_the_landlord_shops_to_the_shop_head()
    {
        await using var world = await LandlordAndShopHeadAsync();

        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        Assert.Equal("landlord-1", await LatestSubjectAsync(world));
        var reopen = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "复工 饰品店"));
        Assert.DoesNotContain("铺长的命令", reopen);
        Assert.Equal("shophead-1", await LatestSubjectAsync(world));
    }

    [Fact]
    public async Task A_mediation_asks_which_record_it_is_for_and_goes_to_the_one_pressed()
    {
        await using var world = await LandlordAndShopHeadAsync();

        var asked = await world.SayAsync("landlord-1", "调解 邻里纠纷");
        var buttons = asked.Last().SuggestedActions!.Actions.Select(a => a.Title ?? "").ToList();
        var shopHead = Assert.Single(buttons, b => b.Contains("铺长"));
        Assert.Single(buttons, b => b.Contains("房东"));
        var done = ChatWorld.ActivityText(await world.SayAsync("landlord-1", shopHead));

        Assert.Contains("邻里纠纷", done + ChatWorld.ActivityText(asked), StringComparison.Ordinal);
        Assert.Equal("shophead-1", await LatestSubjectAsync(world));
    }

    [Fact]
    public async Task A_landlord_in_two_places_reporting_a_tenant_goes_to_the_landlord_who_has_that_tenant()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", await CodeAsync(world, "secretary-changchun", "landlord-4"));

        await world.SayAsync("landlord-1", "代办 潘志强 复工备案");
        Assert.Equal("landlord-4", await LatestSubjectAsync(world));
        await world.SayAsync("landlord-1", "代办 李娜 复工备案");
        Assert.Equal("landlord-1", await LatestSubjectAsync(world));

        // Naming no tenant, the landlord is asked which of the two first.
        var asked = await world.SayAsync("landlord-1", "代办");
        var buttons = asked.Last().SuggestedActions!.Actions.Select(a => a.Title ?? "").ToList();
        Assert.Contains(buttons, b => b.Contains("董宝华"));
        Assert.Contains(buttons, b => b.Contains("应天乐"));
    }

    [Fact]
    public async Task The_score_shows_each_records_card()
    {
        await using var world = await LandlordAndShopHeadAsync();

        var text = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));

        Assert.Contains("应天乐", text);
        Assert.Contains("王强生", text);
    }

    [Fact]
    public async Task A_verification_result_reaches_the_account_saying_which_record_it_is_about()
    {
        await using var world = await LandlordAndShopHeadAsync();
        await world.BindAsync("secretary-changchun");
        await world.SayAsync("landlord-1", "复工 饰品店");

        await world.SayAsync("secretary-changchun", $"通过 {await world.LatestEventIdAsync()}");

        var notice = (await world.OutboxTextsAsync("landlord-1")).Last();
        Assert.Contains("王强生", notice);
        Assert.Contains("铺长", notice);
    }

    [Fact]
    public async Task Unbinding_one_record_keeps_the_other()
    {
        await using var world = await LandlordAndShopHeadAsync();

        var text = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "解绑 应天乐（房东，方塘村）"));

        Assert.Contains("不再代表", text);
        var who = await IdentifyAsync(world, "landlord-1");
        Assert.Equal("shophead-1", who!.Subject!.Id);
        Assert.False(who.Several);
        Assert.Contains("王强生", ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分")));
    }

    [Fact]
    public async Task A_record_taken_off_the_roster_leaves_the_account_speaking_for_the_other()
    {
        await using var world = await LandlordAndShopHeadAsync();

        await world.Db.WriteAsync(async s => await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-1"))! with { Active = false }, world.Clock.GetUtcNow()));

        var who = await IdentifyAsync(world, "landlord-1");
        Assert.Equal("shophead-1", who!.Subject!.Id);
        var score = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));
        Assert.Contains("王强生", score);
        Assert.DoesNotContain("花名册", score);
    }

    [Fact]
    public async Task A_staff_code_sent_from_a_landlords_account_is_still_asked_first()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var code = (await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("officer-1"), "staff", "gridworker-1")).Value!;

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", code.BindCommand));

        Assert.Contains("确认改绑", asked);
        Assert.Equal("landlord-1", (await IdentifyAsync(world, "landlord-1"))!.Subject!.Id);
    }

    [Fact]
    public async Task Help_asked_in_a_group_is_the_plain_group_help_naming_none_of_the_records_the_account_speaks_for()
    {
        await using var world = await LandlordAndShopHeadAsync();

        var text = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("landlord-1", "帮助")));

        // Everyone in the group reads this: which people and communities the account speaks for is its own business.
        Assert.DoesNotContain("同时代表", text);
        Assert.DoesNotContain("应天乐", text);
        Assert.DoesNotContain("王强生", text);
        Assert.DoesNotContain("解绑", text);
        Assert.Single(text.Split('\n'), line => line.Contains("这里是群聊", StringComparison.Ordinal));
        Assert.Contains("请私聊我", text);
    }
}
