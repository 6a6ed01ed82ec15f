using Scoring.Application;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>The roster changing under people who chat: the street's files imported over a year, as the bot then answers.</summary>
public sealed class RosterChangesTests
{
    private static readonly string[] Header = [.. RosterColumns.Required];

    private static RosterSheet Sheet(params string[][] rows) => new(rows.Select((cells, i) => new RosterLine(i + 1, cells)).ToList(), []);

    /// <summary>方塘村 as the demo has it, 应天乐 (landlord-1) only if <paramref name="withYing"/>.</summary>
    private static RosterSheet Fangtang(bool withYing = true) => Sheet(
    [
        Header,
        .. withYing ? [["房东", "fangtang", "应天乐", "13900000001", "", "王小明", "", ""], ["房东", "fangtang", "应天乐", "13900000001", "", "李娜", "", ""]] : Array.Empty<string[]>(),
        ["房东", "fangtang", "王秀兰", "13900000002", "", "张伟", "", ""],
        ["房东", "fangtang", "陈建国", "13900000003", "", "刘洋", "", ""],
        ["房东", "fangtang", "陈建国", "13900000003", "", "赵敏", "", ""],
    ]);

    private static async Task ImportAsync(ChatWorld world, RosterSheet sheet)
    {
        var report = await new RosterImport(world.Db, world.Clock).ImportAsync(null, "houzhai", sheet, dryRun: false);
        Assert.True(report.Succeeded && report.Value!.Errors.Count == 0, report.Failure?.English ?? string.Join("; ", report.Value!.Errors.Select(e => e.Problem)));
    }

    [Fact]
    public async Task A_landlord_taken_off_the_roster_is_told_so_not_asked_to_bind_and_back_on_it_keeps_the_account_and_the_history()
    {
        // Off the roster, 应天乐 was greeted as a stranger and asked for a binding code, though his account was bound and no
        // code would help: only the office putting him back would.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "调解 邻里噪音");
        await world.SayAsync("secretary-fangtang", $"通过 {await world.LatestEventIdAsync()}");
        await ImportAsync(world, Fangtang(withYing: false));

        var off = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));
        var english = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "score", "en-GB"));
        await ImportAsync(world, Fangtang());
        var back = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));

        Assert.Contains("不在本街道的花名册上", off, StringComparison.Ordinal);
        Assert.Contains("书记", off, StringComparison.Ordinal);
        Assert.DoesNotContain("请先绑定账号", off, StringComparison.Ordinal);
        Assert.DoesNotContain("应天乐", off, StringComparison.Ordinal); // said in a group too: nobody is named
        Assert.Contains("no longer on the street's roster", english, StringComparison.Ordinal);
        Assert.Contains("当前积分：13", back, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Taken_off_the_roster_and_writing_in_a_group_the_group_is_not_told_so()
    {
        // The reply is threaded to the sender's message: in a group it would tell everyone that this person was taken off.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await ImportAsync(world, Fangtang(withYing: false));

        var inGroup = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("landlord-1", "积分", mentioningTheBot: true)));

        Assert.DoesNotContain("花名册", inGroup, StringComparison.Ordinal);
        Assert.DoesNotContain("停用", inGroup, StringComparison.Ordinal);
        Assert.Contains("私聊", inGroup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_staff_member_taken_off_duty_is_told_so_in_staff_words_not_a_landlord_s()
    {
        // A grid worker who left was told her "积分记录" were kept, as a landlord is: she has none; her post ended.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");
        await world.Db.WriteAsync(async s => await s.UpdateStaffAsync((await s.GetStaffAsync("gridworker-1"))! with { Active = false }));

        var off = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "待核查"));
        var english = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "pending", "en-GB"));

        Assert.Contains("已停止在本街道任职", off, StringComparison.Ordinal);
        Assert.DoesNotContain("积分记录", off, StringComparison.Ordinal);
        Assert.DoesNotContain("请先绑定账号", off, StringComparison.Ordinal);
        Assert.Contains("no longer on duty", english, StringComparison.Ordinal);
        Assert.DoesNotContain("score", english, StringComparison.Ordinal);
    }
}
