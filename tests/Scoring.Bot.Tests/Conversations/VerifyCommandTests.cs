using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>A secretary decides records in chat: 通过 of several ids, 驳回 of a record already decided, 撤销 of an approval.</summary>
public sealed class VerifyCommandTests
{
    private static async Task<ChatWorld> WorldAsync()
    {
        var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        return world;
    }

    private static async Task<string> MediationAsync(ChatWorld world, string note)
    {
        await world.SayAsync("landlord-1", "调解 " + note);
        world.Clock.Advance(TimeSpan.FromMinutes(3));
        return await world.LatestEventIdAsync();
    }

    /// <summary>A second secretary of 方塘村, 赵书记, bound in chat.</summary>
    private static async Task AddSecondSecretaryAsync(ChatWorld world)
    {
        await world.Db.WriteAsync(s => s.InsertStaffAsync(new StaffMember
        {
            Id = "secretary-2", StreetId = "houzhai", CommunityId = "fangtang", Role = StaffRole.Secretary, Name = "赵书记", Phone = "13800000099",
        }));
        var code = (await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("officer-1"), "staff", "secretary-2")).Value!.Code;
        await world.SayAsync("secretary-2", "绑定 " + code);
    }

    [Fact]
    public async Task Revoking_in_january_a_record_of_the_cycle_before_names_the_cycle_it_counted_in_as_an_approval_does()
    {
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 12, 30, 10, 0, 0, TimeSpan.FromHours(8)));
        await world.BindAsync("landlord-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var id = await world.LatestEventIdAsync();
        await world.SayAsync("secretary-fangtang", "通过 " + id);
        world.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 5, 9, 0, 0, TimeSpan.FromHours(8)));

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"撤销 {id} 重复上报"));

        Assert.Contains("属于 2026年12月28日—2027年1月3日这一周（2026年积分周期，该周期积分 12 分）", reply, StringComparison.Ordinal);
        Assert.Contains("本周期当前积分：12", reply, StringComparison.Ordinal);
        Assert.Contains("原因：重复上报", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secretary_revokes_an_approval_in_chat_with_a_reason_and_the_landlord_hears_it()
    {
        await using var world = await WorldAsync();
        var id = await MediationAsync(world, "邻里纠纷");
        await world.SayAsync("secretary-fangtang", "通过 " + id);

        var revoked = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"撤销 {id} 点错了，调解没有完成"));
        var again = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"撤销 {id} 点错了"));

        Assert.Contains($"已撤销 {id}", revoked, StringComparison.Ordinal);
        Assert.Contains("点错了，调解没有完成", revoked, StringComparison.Ordinal);
        Assert.Contains("无需重复操作", again, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync($"SELECT COUNT(*) FROM score_events WHERE id = '{id}' AND status = 'Revoked'"));
        Assert.Equal(1, await world.CountAsync($"SELECT COUNT(*) FROM event_transitions WHERE event_id = '{id}' AND to_status = 'Revoked' AND actor_id = 'secretary-fangtang' AND reason = '点错了，调解没有完成'"));
        Assert.Contains((await world.OutboxTextsAsync("landlord-1")), t => t.Contains(id, StringComparison.Ordinal) && t.Contains("已撤销", StringComparison.Ordinal)
            && t.Contains("点错了，调解没有完成", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secretary_revoking_an_addition_already_redeemed_is_told_the_reward_account_is_overdrawn()
    {
        // The API answers rewardsOverdrawn and the landlord's notice says it; the secretary's chat reply said nothing.
        await using var world = await WorldAsync();
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var id = await world.LatestEventIdAsync();
        await world.SayAsync("secretary-fangtang", "通过 " + id);
        var other = await MediationAsync(world, "邻里纠纷");
        await world.SayAsync("secretary-fangtang", "通过 " + other);
        var secretary = await world.StaffAsync("secretary-fangtang");
        Assert.True((await world.Services.GetRequiredService<Rewards>().RedeemAsync(secretary, "landlord-1", 1, "兑换洗衣液一瓶")).Succeeded);

        var covered = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"撤销 {other} 点错了"));
        var overdrawn = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"撤销 {id} 代办未完成"));
        await world.SayAsync("secretary-fangtang", "通过 " + await MediationAsync(world, "又一次"));
        var english = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"revoke {await world.LatestEventIdAsync()} wrong one", "en-US"));

        Assert.DoesNotContain("透支", covered, StringComparison.Ordinal);
        Assert.Contains($"已撤销 {id}", overdrawn, StringComparison.Ordinal);
        Assert.Contains("该加分已兑换，应天乐的奖励积分透支 1 分", overdrawn, StringComparison.Ordinal);
        Assert.Contains("overdrawn by 1 point", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_asks_for_the_reason_when_none_is_given_and_in_english_takes_the_same_steps()
    {
        await using var world = await WorldAsync();
        var id = await MediationAsync(world, "邻里纠纷");
        await world.SayAsync("secretary-fangtang", "通过 " + id);

        var asked = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "revoke " + id, "en-US"));
        var done = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "approved by mistake", "en-US"));

        Assert.Contains($"Why is {id} revoked", asked, StringComparison.Ordinal);
        Assert.Contains($"Revoked {id}", done, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE status = 'Revoked'"));
    }

    [Fact]
    public async Task Revoke_is_for_verifying_staff_in_private_and_a_pending_record_is_pointed_to_reject()
    {
        await using var world = await WorldAsync();
        await world.BindAsync("gridworker-1");
        var id = await MediationAsync(world, "邻里纠纷");

        var pending = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"撤销 {id} 不对"));
        var gridWorker = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", $"撤销 {id} 不对"));
        var group = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("secretary-fangtang", $"撤销 {id} 不对", mentioningTheBot: true)));
        var help = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "帮助"));

        Assert.Contains("驳回", pending, StringComparison.Ordinal);
        Assert.DoesNotContain("已撤销", gridWorker, StringComparison.Ordinal);
        Assert.Contains("私聊", group, StringComparison.Ordinal);
        Assert.Contains("撤销 编号 原因", help, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE status = 'Pending'"));
    }

    [Fact]
    public async Task Rejecting_an_approved_record_says_how_to_revoke_it()
    {
        await using var world = await WorldAsync();
        var id = await MediationAsync(world, "邻里纠纷");
        await world.SayAsync("secretary-fangtang", "通过 " + id);

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"驳回 {id} 没有证据"));
        var english = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"reject {id} no evidence", "en-US"));

        Assert.Contains($"撤销 {id} 原因", reply, StringComparison.Ordinal);
        Assert.Contains($"revoke {id} <reason>", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secretary_pressing_reject_on_a_record_a_colleague_approved_is_told_who_approved_it_without_being_asked_for_a_reason()
    {
        await using var world = await WorldAsync();
        await AddSecondSecretaryAsync(world);
        var id = await MediationAsync(world, "邻里纠纷"); // 09:03
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await world.SayAsync("secretary-fangtang", "通过 " + id); // 09:05

        var reject = ChatWorld.ActivityText(await world.SubmitAsync("secretary-2", new { action = "reject", id, reason = "" }));
        var approve = ChatWorld.ActivityText(await world.SubmitAsync("secretary-2", new { action = "approve", id }));

        Assert.DoesNotContain("请填写", reject, StringComparison.Ordinal);
        Assert.Contains("金永平", reject, StringComparison.Ordinal);
        Assert.Contains("09:05", reject, StringComparison.Ordinal);
        Assert.Contains("金永平", approve, StringComparison.Ordinal);
        Assert.Contains("09:05", approve, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE status = 'Approved'"));
    }

    [Fact]
    public async Task Rejecting_a_record_that_does_not_exist_says_so_before_asking_for_a_reason()
    {
        await using var world = await WorldAsync();

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "驳回 XYZ"));

        Assert.Contains("找不到", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("请填写", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approving_ids_separated_by_chinese_commas_approves_each()
    {
        await using var world = await WorldAsync();
        var a = await MediationAsync(world, "纠纷一");
        var b = await MediationAsync(world, "纠纷二");
        var c = await MediationAsync(world, "纠纷三");
        var d = await MediationAsync(world, "纠纷四");
        var e = await MediationAsync(world, "纠纷五");

        var one = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"通过 {a}，"));
        var three = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"通过 {b}，{c}、{d}"));
        var lines = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"通过\n{e}\n{a}"));

        Assert.Contains($"已通过 {a}", one, StringComparison.Ordinal);
        Assert.Contains($"已通过 {b}", three, StringComparison.Ordinal);
        Assert.Contains($"已通过 {d}", three, StringComparison.Ordinal);
        Assert.Contains($"已通过 {e}", lines, StringComparison.Ordinal);
        Assert.Equal(5, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE status = 'Approved'"));
    }

    [Fact]
    public async Task Approving_more_than_fifty_ids_says_which_were_left()
    {
        await using var world = await WorldAsync();

        var reply = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "通过 " + string.Join(" ", Enumerable.Range(0, 60).Select(i => "ID" + i))));

        Assert.Contains("「ID49」", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("「ID50」", reply, StringComparison.Ordinal);
        Assert.Contains("一次最多处理 50 条", reply, StringComparison.Ordinal);
        Assert.Contains("其余 10 条", reply, StringComparison.Ordinal);
        Assert.Contains("ID50", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_of_thousands_of_characters_is_not_echoed_whole_and_an_unknown_card_action_quotes_nothing_empty()
    {
        await using var world = await WorldAsync();

        var longId = ChatWorld.ActivityText(await world.SubmitAsync("secretary-fangtang", new { action = "approve", id = new string('A', 5000) }));
        var unknown = ChatWorld.ActivityText(await world.SubmitAsync("secretary-fangtang", new { action = "frobnicate", id = "X" }));

        Assert.True(longId.Length < 400, longId);
        Assert.DoesNotContain("「」", unknown, StringComparison.Ordinal);
    }
}
