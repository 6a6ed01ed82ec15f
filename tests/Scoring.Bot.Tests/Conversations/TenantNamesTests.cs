using Dapper;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// Which tenant a landlord means: a person's name is matched whole (张伟 is not 张伟华), wherever in the line it stands,
/// and a tenant not on the list yet is answered with what to do.
/// </summary>
public sealed class TenantNamesTests
{
    private static Task<string?> LatestEvidenceAsync(ChatWorld world) =>
        world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string?>("SELECT evidence FROM score_events ORDER BY reported_at DESC LIMIT 1"));

    private static async Task<ChatWorld> WithTenantAsync(string name)
    {
        // 应天乐 (landlord-1) lets rooms to 王小明 and 李娜; the tenant named here is his third.
        var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(s => s.InsertTenantAsync(new Tenant { Id = "t-third", SubjectId = "landlord-1", Name = name, Room = "103" }));
        await world.BindAsync("landlord-1");
        return world;
    }

    [Theory]
    [InlineData("返回 张伟 今天 08:00")]
    [InlineData("违规 张伟 在楼道吸烟")]
    public async Task A_name_inside_a_longer_tenant_s_name_is_asked_about_with_the_tenants_as_buttons_not_taken_for_them(string line)
    {
        await using var world = await WithTenantAsync("张伟华");

        var replies = await world.SayAsync("landlord-1", line);

        var text = replies[^1].Text!;
        Assert.StartsWith("「张伟」不在您名下的租客中（名下有：张伟华）", text, StringComparison.Ordinal);
        Assert.Contains("张伟华（103）", replies[^1].SuggestedActions!.Actions.Select(a => a.Title)); // with the room, as every tenant's button
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns") + await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }

    [Fact]
    public async Task A_name_inside_a_longer_tenant_s_name_asks_whether_it_is_them_before_sending_anyone_to_register()
    {
        await using var world = await WithTenantAsync("张伟华");

        var asked = (await world.SayAsync("landlord-1", "返回 张伟 今天 08:00"))[^1];
        var pressed = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "张伟华（103）"));

        Assert.Contains("是指张伟华吗？点它确认；如果是另一位，请先请村/社区书记登记", asked.Text, StringComparison.Ordinal);
        Assert.Equal(["张伟华（103）", "取消"], asked.SuggestedActions!.Actions.Select(a => a.Title));
        Assert.Contains("张伟华 11月18日 08:00 到达", pressed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pressing_the_longer_name_offered_keeps_the_rest_of_the_line()
    {
        await using var world = await WithTenantAsync("张伟华");
        await world.SayAsync("landlord-1", "违规 张伟 在楼道吸烟");

        var reported = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "张伟华"));

        Assert.Contains("已上报「上报租客违规」（张伟华：在楼道吸烟）", reported, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("违规 张伟华在楼道吸烟", "张伟华：在楼道吸烟")]
    [InlineData("违规 张伟 在楼道吸烟", "张伟：在楼道吸烟")]
    public async Task With_both_on_the_list_each_name_is_its_own_tenant_whole_or_run_on(string line, string evidence)
    {
        await using var world = await WithTenantAsync("张伟华");
        await world.Db.WriteAsync(s => s.InsertTenantAsync(new Tenant { Id = "t-fourth", SubjectId = "landlord-1", Name = "张伟", Room = "104" }));

        var reported = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains($"已上报「上报租客违规」（{evidence}）", reported, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_longer_name_run_on_is_offered_as_a_guess_for_the_shorter_tenant_never_taken()
    {
        // 张伟 is on the list, 张伟华 (a tenant not registered yet) is not: 张伟华在楼道吸烟 was read as 张伟 and 「华在楼道吸烟」.
        await using var world = await WithTenantAsync("张伟");

        var replies = await world.SayAsync("landlord-1", "违规 张伟华在楼道吸烟");

        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events"));
        Assert.Contains("张伟（103）", replies[^1].SuggestedActions!.Actions.Select(a => a.Title));
        var pressed = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "张伟（103）"));
        Assert.Contains("已上报「上报租客违规」（张伟：张伟华在楼道吸烟）", pressed, StringComparison.Ordinal); // what was typed, whole
    }

    [Theory]
    [InlineData("返回 王小明今天 08:00", "王小明 11月18日 08:00 到达")]
    [InlineData("违规 王小明在楼道吸烟", "（王小明：在楼道吸烟）")]
    [InlineData("违规 李娜在楼道吸烟", "（李娜：在楼道吸烟）")]
    [InlineData("违规 李娜乱扔垃圾", "（李娜：乱扔垃圾）")]
    [InlineData("代办 李娜复工备案", "（李娜：复工备案）")]
    [InlineData("返回 李娜今天 08:00", "李娜 11月18日 08:00 到达")]
    public async Task A_tenant_s_name_run_straight_into_what_follows_is_still_that_tenant(string line, string expected)
    {
        await using var world = await WithTenantAsync("张伟华");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains(expected, reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("违规 楼道吸烟 王小明", "（王小明：楼道吸烟）")]
    [InlineData("代办 复工备案 王小明", "（王小明：复工备案）")]
    [InlineData("返回 今天 08:00 王小明", "王小明 11月18日 08:00 到达")]
    public async Task A_tenant_named_after_the_words_is_found_and_the_words_are_kept(string line, string expected)
    {
        await using var world = await WithTenantAsync("张伟华");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains(expected, reply, StringComparison.Ordinal);
        if (!line.StartsWith("返回", StringComparison.Ordinal)) Assert.Equal(expected.Trim('（', '）'), await LatestEvidenceAsync(world));
    }

    [Fact]
    public async Task A_tenant_the_office_registers_after_the_arrival_is_refused_saying_what_to_do_and_is_not_charged_once_listed()
    {
        // Tuesday 10:00: 赵六 came back at 08:00, but the office has not put him on 应天乐's list yet.
        var tuesday = new DateTimeOffset(2026, 11, 17, 10, 0, 0, TimeSpan.FromHours(8));
        await using var world = await ChatWorld.CreateAsync(tuesday);
        await world.BindAsync("landlord-1");

        var refused = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 赵六 今天 08:00"));
        await world.SayAsync("landlord-1", "取消");
        world.Clock.Advance(TimeSpan.FromDays(2)); // Thursday 10:00 the secretary adds him
        var rosters = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Scoring.Application.Rosters>(world.Services);
        Assert.True((await rosters.AddTenantAsync(await world.StaffAsync("secretary-fangtang"), "landlord-1", new Scoring.Application.HoldingDraft(Name: "赵六", Room: "103"))).Succeeded);
        var reported = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 赵六 11月17日 08:00"));

        Assert.Contains("「赵六」不在您名下的租客中：请先请村/社区书记登记", refused, StringComparison.Ordinal);
        Assert.Contains("不会按迟报扣分", refused, StringComparison.Ordinal);
        Assert.Contains("按时上报，不扣分", reported, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE rule_code = 'late-return'"));
    }
}
