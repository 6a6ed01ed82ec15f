using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// Lines as older landlords say them (and dictation writes them): punctuation after the command word, a tenant named by
/// their room or as 小王, the name inside the first phrase of what was done, and the plain sentence of a return.
/// </summary>
public sealed class SpokenLinesTests
{
    private static Task<long> ReturnsAsync(ChatWorld world, string tenant = "landlord-1-t1") =>
        world.CountAsync($"SELECT COUNT(*) FROM tenant_returns WHERE tenant_id = '{tenant}'");

    private static async Task<ChatWorld> BoundAt10Async()
    {
        var world = await ChatWorld.CreateAsync(); // 应天乐 (landlord-1) lets 101 to 王小明 and 102 to 李娜
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(1)); // Wednesday 10:00
        return world;
    }

    [Theory]
    [InlineData("返回，王小明，昨天晚上八点。")]
    [InlineData("返回。王小明 昨天晚上8点")]
    [InlineData("返回、王小明 昨天晚上8点")]
    public async Task A_comma_or_full_stop_after_the_command_word_reads_as_a_space(string line)
    {
        await using var world = await BoundAt10Async();

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.DoesNotContain("不在您名下的租客中", said, StringComparison.Ordinal);
        Assert.Contains("王小明 11月17日 20:00 到达", said, StringComparison.Ordinal);
        Assert.Equal(1, await ReturnsAsync(world));
    }

    [Theory]
    [InlineData("代办，王小明，帮他买菜", "为租客代办")]
    [InlineData("违规，王小明，楼道抽烟", "上报租客违规")]
    public async Task A_comma_after_a_report_s_command_word_names_the_tenant(string line, string rule)
    {
        await using var world = await BoundAt10Async();

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains($"已上报「{rule}」（王小明：", said, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("返回 101 昨天晚上8点")]
    [InlineData("返回 101房 昨天晚上8点")]
    [InlineData("返回 101室，昨天晚上8点")]
    [InlineData("返回 101的 昨天晚上8点")]
    [InlineData("返回 101房的 昨天晚上8点")]
    public async Task A_room_names_its_one_tenant(string line)
    {
        await using var world = await BoundAt10Async();

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains("王小明 11月17日 20:00 到达", said, StringComparison.Ordinal);
        Assert.Equal(1, await ReturnsAsync(world));
    }

    [Fact]
    public async Task A_room_of_several_tenants_offers_each_with_the_room()
    {
        await using var world = await BoundAt10Async();
        await world.Db.WriteAsync(s => s.InsertTenantAsync(new Tenant { Id = "t-share", SubjectId = "landlord-1", Name = "赵刚", Room = "101" }));

        var asked = (await world.SayAsync("landlord-1", "返回 101 昨天晚上8点"))[^1];
        var pressed = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明（101）"));

        Assert.DoesNotContain("不在您名下的租客中", asked.Text, StringComparison.Ordinal);
        Assert.Contains("101", asked.Text, StringComparison.Ordinal);
        Assert.Equivalent(new[] { "王小明（101）", "赵刚（101）", "取消" }, asked.SuggestedActions!.Actions.Select(a => a.Title).ToArray(), strict: true);
        Assert.Contains("王小明 11月17日 20:00 到达", pressed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("返回 小王 昨天晚上8点")]
    [InlineData("返回 老王 昨天晚上8点")]
    public async Task A_nickname_offers_the_tenants_of_that_surname_and_records_nothing_on_the_guess(string line)
    {
        await using var world = await BoundAt10Async();

        var asked = (await world.SayAsync("landlord-1", line))[^1];

        Assert.DoesNotContain("不在您名下的租客中", asked.Text, StringComparison.Ordinal);
        Assert.Equal(["王小明（101）", "取消"], asked.SuggestedActions!.Actions.Select(a => a.Title));
        Assert.Equal(0, await ReturnsAsync(world));

        var pressed = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明（101）"));
        Assert.Contains("王小明 11月17日 20:00 到达", pressed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("代办 帮王小明办了居住证")]
    [InlineData("代办 给王小明代购了生活用品")]
    public async Task A_tenant_named_inside_the_first_phrase_is_offered_not_taken(string line)
    {
        await using var world = await BoundAt10Async();

        var asked = (await world.SayAsync("landlord-1", line))[^1];

        Assert.DoesNotContain("不在您名下的租客中", asked.Text, StringComparison.Ordinal);
        Assert.Equal(["王小明（101）", "取消"], asked.SuggestedActions!.Actions.Select(a => a.Title));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'landlord-1'"));

        var pressed = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明（101）"));
        Assert.Contains("已上报「为租客代办」（王小明：", pressed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tenant_question_shows_each_tenant_s_room()
    {
        await using var world = await BoundAt10Async();

        var asked = (await world.SayAsync("landlord-1", "返回"))[^1];

        Assert.Equivalent(new[] { "王小明（101）", "李娜（102）", "取消" }, asked.SuggestedActions!.Actions.Select(a => a.Title).ToArray(), strict: true);
    }

    [Theory]
    [InlineData("返回 张三 昨天晚上8点", "「张三」不在您名下的租客中")]
    [InlineData("返回 305 昨天晚上8点", "「305」不在您名下的租客中")]
    public async Task Only_a_name_or_room_nothing_on_the_list_matches_is_sent_to_the_secretary(string line, string complaint)
    {
        await using var world = await BoundAt10Async();

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains(complaint, said, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("王小明昨天晚上八点回来了", "返回 王小明 昨天晚上八点")]
    [InlineData("我家租客王小明昨天晚上八点回来了", "返回 王小明 昨天晚上八点")]
    [InlineData("王小明是昨天晚上8点到的。", "返回 王小明 昨天晚上8点")]
    [InlineData("王小明回来了，昨天晚上八点", "返回 王小明 昨天晚上八点")]
    [InlineData("王小明回来了", "返回 王小明")]
    public async Task The_spoken_sentence_of_a_return_is_offered_as_the_report_and_records_nothing_until_pressed(string line, string offered)
    {
        await using var world = await BoundAt10Async();

        var asked = (await world.SayAsync("landlord-1", line))[^1];

        Assert.DoesNotContain("没看懂", asked.Text, StringComparison.Ordinal);
        Assert.Contains("王小明", asked.Text, StringComparison.Ordinal);
        Assert.Equal(offered, asked.SuggestedActions!.Actions[0].Title);
        Assert.Equal(0, await ReturnsAsync(world));

        var pressed = ChatWorld.ActivityText(await world.SayAsync("landlord-1", offered));
        Assert.Contains(offered == "返回 王小明" ? "王小明是什么时候到的" : "王小明 11月17日 20:00 到达", pressed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("landlord-1", "张三昨天晚上八点回来了")]    // not their tenant
    [InlineData("landlord-1", "王小明今天交了房租")]         // their tenant, no return
    [InlineData("shophead-1", "王小明昨天晚上八点回来了")]   // no tenants to report
    public async Task Other_sentences_are_not_taken_for_a_return(string who, string line)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync(who);

        var said = ChatWorld.ActivityText(await world.SayAsync(who, line));

        Assert.DoesNotContain("是要上报", said, StringComparison.Ordinal);
    }
}
