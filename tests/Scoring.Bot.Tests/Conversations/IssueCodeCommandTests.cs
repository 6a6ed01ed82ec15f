using Dapper;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Bot.Conversations;
using Scoring.Bot.Protocol;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// 发码 / code: a secretary or officer issues an enrolment code in chat, through the same use case (and scope) as
/// POST /api/enrolments.
/// </summary>
public sealed partial class IssueCodeCommandTests
{
    [GeneratedRegex("(?:绑定|bind) ([0-9A-Z]{8})")]
    private static partial Regex BindCommand();

    internal static string CodeIn(string reply) => BindCommandIn(reply) ?? throw new Xunit.Sdk.XunitException("No code in: " + reply);

    internal static string? BindCommandIn(string text) => BindCommand().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    private static Task<long> CodesOfAsync(ChatWorld world, string personId) =>
        world.CountAsync($"SELECT COUNT(*) FROM enrolment_codes WHERE person_id = '{personId}'");

    private static Task<string?> BoundAsAsync(ChatWorld world, string who) =>
        world.Services.GetRequiredService<Enrolment>().IdentifyAsync(ChatWorld.Channel, ChatWorld.UserOf(who)).ContinueWith(t => t.Result?.Subject?.Id ?? t.Result?.Staff?.Id);

    private static Task AddLandlordAsync(ChatWorld world, string id, string name, string community, string phone, bool active = true) =>
        world.Db.WriteAsync(s => s.InsertSubjectAsync(new Subject
        {
            Id = id, StreetId = "houzhai", CommunityId = community, Kind = SubjectKind.Landlord, Name = name, Phone = phone, Active = active,
        }, world.Clock.GetUtcNow()));

    [Theory]
    [InlineData("发码 王秀兰", Verb.IssueCode, "王秀兰")]
    [InlineData("发码王秀兰", Verb.IssueCode, "王秀兰")]
    [InlineData("发绑定码 王秀兰", Verb.IssueCode, "王秀兰")]
    [InlineData("code 139 0000 0002", Verb.IssueCode, "139 0000 0002")]
    [InlineData("绑定 AB12CD34", Verb.Bind, "AB12CD34")]
    [InlineData("绑定AB12CD34", Verb.Bind, "AB12CD34")]
    public void Issuing_a_code_reads_apart_from_binding_with_one(string text, Verb verb, string rest)
    {
        var command = CommandParser.Parse(text);

        Assert.Equal((verb, rest), (command.Verb, command.Rest));
    }

    [Fact]
    public async Task A_secretary_issues_a_code_by_name_and_the_landlord_then_binds_with_it()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 王秀兰"));
        var bound = ChatWorld.ActivityText(await world.SayAsync("landlords-new-phone", $"绑定 {CodeIn(reply)}"));

        Assert.Contains("王秀兰", reply, StringComparison.Ordinal);
        Assert.Contains("11月25日 09:00", reply, StringComparison.Ordinal); // seven days on, in Houzhai's time
        Assert.Contains("作废", reply, StringComparison.Ordinal);          // the earlier unused code no longer works
        Assert.DoesNotContain("13900000002", reply, StringComparison.Ordinal);
        Assert.Contains("绑定成功", bound, StringComparison.Ordinal);
        Assert.Equal("landlord-2", await BoundAsAsync(world, "landlords-new-phone"));
    }

    [Theory]
    [InlineData("发码 +86 139-0000-0002", "zh-CN")]
    [InlineData("发码 １３９ ００００ ０００２", "zh-CN")]
    [InlineData("code 0086 13900000002", "en-GB")]
    public async Task A_secretary_issues_a_code_by_phone_written_any_usual_way(string text, string locale)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang", locale);

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", text, locale));
        var bound = ChatWorld.ActivityText(await world.SayAsync("landlords-new-phone", $"绑定 {CodeIn(reply)}"));

        Assert.Contains("王秀兰", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("13900000002", reply, StringComparison.Ordinal);
        Assert.Contains("绑定成功", bound, StringComparison.Ordinal);
        Assert.Equal("landlord-2", await BoundAsAsync(world, "landlords-new-phone"));
    }

    [Fact]
    public async Task Two_people_of_one_name_are_offered_as_buttons_showing_only_the_last_four_digits_and_the_one_chosen_gets_the_code()
    {
        await using var world = await ChatWorld.CreateAsync();
        await AddLandlordAsync(world, "landlord-9", "王秀兰", "fangtang", "13700001234");
        await world.BindAsync("secretary-fangtang");
        var before = await world.CountAsync("SELECT COUNT(*) FROM enrolment_codes");

        var asked = Assert.Single(await world.SayAsync("secretary-fangtang", "发码 王秀兰"));
        var buttons = asked.SuggestedActions!.Actions.Select(a => a.Title!).ToList();
        var issuedNone = await world.CountAsync("SELECT COUNT(*) FROM enrolment_codes") == before;
        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", buttons.Single(b => b.Contains("1234"))));
        var bound = ChatWorld.ActivityText(await world.SayAsync("landlords-new-phone", $"绑定 {CodeIn(reply)}"));

        Assert.True(issuedNone);
        Assert.Contains(buttons, b => b.Contains("王秀兰") && b.Contains("方塘村") && b.Contains("0002"));
        Assert.Contains(buttons, b => b.Contains("王秀兰") && b.Contains("1234"));
        foreach (var phone in new[] { "13900000002", "13700001234", "1390000", "1370000" })
            Assert.DoesNotContain(phone, ChatWorld.ActivityText(asked), StringComparison.Ordinal);
        Assert.Contains("绑定成功", bound, StringComparison.Ordinal);
        Assert.Equal("landlord-9", await BoundAsAsync(world, "landlords-new-phone"));
    }

    [Fact]
    public async Task A_phone_of_one_person_who_is_both_a_landlord_and_a_shop_head_asks_which_record_not_for_the_full_number()
    {
        // 董宝华 lets rooms and heads shops in 长春社区 under one phone: the full number was typed, and still matches two records.
        await using var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(s => s.InsertSubjectAsync(new Subject
        {
            Id = "shophead-dong", StreetId = "houzhai", CommunityId = "changchun", Kind = SubjectKind.ShopHead, Name = "董宝华", Phone = "13900000004",
        }, world.Clock.GetUtcNow()));
        await world.BindAsync("secretary-changchun");

        var asked = ChatWorld.ActivityText(await world.SayAsync("secretary-changchun", "发码 13900000004"));

        Assert.Contains("这个电话号码登记了 2 个身份，请选择：", asked, StringComparison.Ordinal);
        Assert.DoesNotContain("完整电话号码", asked, StringComparison.Ordinal);
        Assert.Contains("董宝华 · 长春社区 · 铺长", asked, StringComparison.Ordinal);
        Assert.Contains("董宝华 · 长春社区 · 房东", asked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_name_the_bot_asks_for_one_step_by_step()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");

        var asked = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码"));
        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "王秀兰"));

        Assert.Contains("姓名或电话", asked, StringComparison.Ordinal);
        Assert.DoesNotContain("绑定 ", asked, StringComparison.Ordinal);
        Assert.Contains("王秀兰", reply, StringComparison.Ordinal);
        Assert.Equal(2, await CodesOfAsync(world, "landlord-2")); // the demo's and this one
        CodeIn(reply);
    }

    [Fact]
    public async Task Someone_outside_the_secretary_s_community_is_refused_as_if_nobody_had_that_name_or_phone()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");

        var elsewhere = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 董宝华"));        // 长春社区
        var nobody = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 查无此人"));
        var phoneElsewhere = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 13900000004"));
        var phoneOfNobody = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 13911112222"));
        var officer = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 孙立华"));          // the street's officer

        Assert.Contains("在您负责的范围内找不到", elsewhere, StringComparison.Ordinal);
        Assert.Equal(nobody.Replace("查无此人", "董宝华"), elsewhere);
        Assert.Equal(phoneOfNobody, phoneElsewhere);
        Assert.DoesNotContain("13900000004", phoneElsewhere, StringComparison.Ordinal);
        Assert.Equal(nobody.Replace("查无此人", "孙立华"), officer);
        Assert.Equal(1, await CodesOfAsync(world, "landlord-4"));
        Assert.Equal(1, await CodesOfAsync(world, "officer-1"));
    }

    [Fact]
    public async Task A_secretary_issues_codes_for_the_community_s_grid_workers_and_an_officer_for_the_street_s_secretaries_as_the_HTTP_door_does()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("officer-1");

        var gridWorker = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 钱晓东"));
        var secretary = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发码 王伟明"));
        var landlord = ChatWorld.ActivityText(await world.SayAsync("officer-1", "发码 董宝华"));
        await world.SayAsync("new-grid-phone", $"绑定 {CodeIn(gridWorker)}");

        CodeIn(secretary);
        CodeIn(landlord);
        Assert.Equal("gridworker-1", await BoundAsAsync(world, "new-grid-phone"));
    }

    [Theory]
    [InlineData("landlord-1")]
    [InlineData("gridworker-1")]
    public async Task Landlords_and_grid_workers_may_not_issue_codes(string who)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync(who);

        var reply = ChatWorld.ActivityText(await world.SayAsync(who, "发码 王秀兰"));

        Assert.Contains("绑定码由书记和街道工作人员发放", reply, StringComparison.Ordinal);
        Assert.Equal(1, await CodesOfAsync(world, "landlord-2"));
        Assert.DoesNotMatch(BindCommand(), reply);
    }

    [Fact]
    public async Task An_inactive_person_is_refused()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(async s => await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-2"))! with { Active = false }, world.Clock.GetUtcNow()));
        await world.BindAsync("secretary-fangtang");

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 王秀兰"));

        Assert.Contains("已停用", reply, StringComparison.Ordinal);
        Assert.DoesNotMatch(BindCommand(), reply);
        Assert.Equal(1, await CodesOfAsync(world, "landlord-2"));
    }

    [Fact]
    public async Task A_code_is_never_issued_in_a_group_chat()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("secretary-fangtang", "发码 王秀兰", mentioningTheBot: true)));

        Assert.Contains("请私聊我", reply, StringComparison.Ordinal);
        Assert.DoesNotMatch(BindCommand(), reply);
        Assert.Equal(1, await CodesOfAsync(world, "landlord-2"));
    }

    [Fact]
    public async Task A_replayed_activity_answers_the_same_code_and_issues_no_second_one()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        var message = world.Message("secretary-fangtang", "发码 王秀兰", id: "issue-once");

        var first = ChatWorld.ActivityText(await world.DeliverAsync(message));
        world.Clock.Advance(TimeSpan.FromSeconds(30));
        var again = ChatWorld.ActivityText(await world.DeliverAsync(world.Message("secretary-fangtang", "发码 王秀兰", id: "issue-once"), expectReplies: false));

        Assert.Equal(CodeIn(first), CodeIn(again));
        Assert.Equal(2, await CodesOfAsync(world, "landlord-2")); // the demo's and one from the chat
        var bound = ChatWorld.ActivityText(await world.SayAsync("landlords-new-phone", $"绑定 {CodeIn(again)}"));
        Assert.Contains("绑定成功", bound, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_code_is_void_once_a_newer_one_is_issued()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");

        var older = CodeIn(ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 王秀兰")));
        world.Clock.Advance(PlainRetry.Window);
        var newer = CodeIn(ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 王秀兰")));
        var withOlder = ChatWorld.ActivityText(await world.SayAsync("landlords-new-phone", $"绑定 {older}"));
        var withDemo = ChatWorld.ActivityText(await world.SayAsync("landlords-other-phone", $"绑定 {world.CodeOf("landlord-2")}"));
        var withNewer = ChatWorld.ActivityText(await world.SayAsync("landlords-new-phone", $"绑定 {newer}"));

        Assert.NotEqual(older, newer);
        Assert.Contains("已作废", withOlder, StringComparison.Ordinal);
        Assert.Contains("已作废", withDemo, StringComparison.Ordinal);
        Assert.Contains("绑定成功", withNewer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_person_asked_for_again_within_two_minutes_gets_the_same_code_and_the_one_handed_out_still_binds()
    {
        // 发码 typed again (no answer came quickly, or the secretary was unsure it went): a new code would void the one
        // already written on a slip or sent to the landlord, as POST /api/enrolments without a key no longer does.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");

        var first = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 王秀兰"));
        world.Clock.Advance(TimeSpan.FromSeconds(90));
        var again = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 王秀兰"));
        var sealedAnswer = await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string?>(
            "SELECT retry_answer FROM enrolment_codes WHERE person_id = 'landlord-2' AND replaced_at IS NULL AND used_at IS NULL"));
        var bound = ChatWorld.ActivityText(await world.SayAsync("landlords-new-phone", $"绑定 {CodeIn(first)}"));

        Assert.Equal(CodeIn(first), CodeIn(again));
        Assert.Equal(2, await CodesOfAsync(world, "landlord-2")); // the demo's and one from the chat
        Assert.Contains("09:00", again, StringComparison.Ordinal);  // when it was issued
        Assert.Contains("仍然有效", again, StringComparison.Ordinal);
        Assert.DoesNotContain("已作废", again, StringComparison.Ordinal);
        // Kept for the retry only sealed (0700): the database alone cannot read it.
        Assert.NotNull(sealedAnswer);
        Assert.DoesNotContain(CodeIn(first), sealedAnswer, StringComparison.Ordinal);
        Assert.Contains("绑定成功", bound, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_secretary_asking_for_the_same_person_gets_a_new_code()
    {
        // The same request is one person's: a second staff member issuing for the landlord means a code of their own.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("officer-1");

        var secretary = CodeIn(ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 王秀兰")));
        var officer = CodeIn(ChatWorld.ActivityText(await world.SayAsync("officer-1", "发码 王秀兰")));

        Assert.NotEqual(secretary, officer);
    }

    [Fact]
    public async Task A_person_already_bound_gets_a_code_for_another_account_and_the_secretary_is_told_the_old_one_stays()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-2");
        await world.BindAsync("secretary-fangtang");

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 王秀兰"));

        CodeIn(reply);
        Assert.Contains("已绑定", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_for_secretaries_and_officers_mentions_issuing_codes_and_help_for_landlords_does_not()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("officer-1", "en-GB");
        await world.BindAsync("landlord-1");

        var secretary = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "帮助"));
        var officer = ChatWorld.ActivityText(await world.SayAsync("officer-1", "help", "en-GB"));
        var landlord = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "帮助"));

        Assert.Contains("发码 姓名或电话", secretary, StringComparison.Ordinal);
        Assert.Contains("code <name-or-phone>", officer, StringComparison.Ordinal);
        Assert.DoesNotContain("发码", landlord, StringComparison.Ordinal);
    }
}
