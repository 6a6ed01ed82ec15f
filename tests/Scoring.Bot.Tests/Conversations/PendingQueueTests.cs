using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scoring.Application;
using Scoring.Bot.Conversations;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>What the pending queue and its cards tell the staff who verify: whose, where, how late, and what else stands.</summary>
public sealed class PendingQueueTests
{
    private static ChatNoticeWork Work(ChatWorld world) =>
        world.Services.GetServices<IHostedService>().OfType<ChatNoticeWork>().Single();

    [Fact]
    public async Task An_officer_s_pending_queue_names_each_item_s_community()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("officer-1");
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");
        await world.BindAsync("landlord-4");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.SayAsync("landlord-4", "代办 潘志强 复工备案");

        var officer = ChatWorld.ActivityText(await world.SayAsync("officer-1", "待核查"));
        var english = ChatWorld.ActivityText(await world.SayAsync("officer-1", "pending", "en-US"));
        var secretary = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查"));

        Assert.Contains("1. 应天乐（方塘村） · 为租客代办 +1", officer, StringComparison.Ordinal);
        Assert.Contains("2. 董宝华（长春社区） · 为租客代办 +1", officer, StringComparison.Ordinal);
        Assert.Contains("社区\n长春社区", officer, StringComparison.Ordinal); // the card's fact
        Assert.Contains("1. 应天乐 (方塘村) · ", english, StringComparison.Ordinal);
        // A secretary sees her own community only: it goes unsaid.
        Assert.Contains("1. 应天乐 · 为租客代办 +1", secretary, StringComparison.Ordinal);
        Assert.DoesNotContain("方塘村", secretary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_item_overdue_since_an_earlier_day_reads_overdue_not_past_today_s_deadline()
    {
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 09:00
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");

        world.Clock.Advance(TimeSpan.FromHours(7.5)); // 16:30, past the day's 16:00 deadline
        var today = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查"));
        world.Clock.Advance(TimeSpan.FromHours(18)); // Thursday 10:30
        var nextDay = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查"));
        var english = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "pending", "en-US"));

        Assert.Contains("已超过当日核查时限", today, StringComparison.Ordinal);
        Assert.Contains("已超过核查时限", nextDay, StringComparison.Ordinal);
        Assert.DoesNotContain("当日", nextDay, StringComparison.Ordinal);
        Assert.DoesNotContain("today", english, StringComparison.Ordinal);
        Assert.Contains("overdue", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hourly_digest_counts_items_overdue_since_an_earlier_day_as_overdue_not_past_today_s_deadline()
    {
        // The count mixes items due today and on earlier days: "当日" was true of the first only.
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 09:00
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("secretary-changchun", "en-US");
        await world.BindAsync("landlord-1");
        await world.BindAsync("landlord-4");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        await world.SayAsync("landlord-4", "代办 潘志强 复工备案");
        await Work(world).RunOnceAsync(); // the notices of new reports: this hour's message

        world.Clock.Advance(TimeSpan.FromHours(25)); // Thursday 10:00, past Wednesday's deadline
        await Work(world).RunOnceAsync();

        var digest = (await world.OutboxTextsAsync("secretary-fangtang")).Single(t => t.StartsWith("待核查提醒（10:00）", StringComparison.Ordinal));
        var english = (await world.OutboxTextsAsync("secretary-changchun")).Single(t => t.StartsWith("Verification reminder (10:00)", StringComparison.Ordinal));
        Assert.Contains("其中 1 条已超过核查时限", digest, StringComparison.Ordinal);
        Assert.DoesNotContain("当日", digest, StringComparison.Ordinal);
        Assert.Contains("1 overdue", english, StringComparison.Ordinal);
        Assert.DoesNotContain("day's deadline", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_officer_told_of_an_escalation_does_not_get_the_digest_of_the_same_item_in_the_same_minute()
    {
        // Escalated at night, told at 08:00 with the round; the digest of the 08:00 hour would repeat the same item.
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 11, 18, 20, 0, 0, TimeSpan.FromHours(8)));
        await world.BindAsync("officer-1");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        world.Clock.Advance(TimeSpan.FromHours(24)); // Thursday 20:00
        Assert.Equal(1, await world.Services.GetRequiredService<Verification>().EscalateAsync());

        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.FromHours(8))); // Friday 08:00
        await Work(world).RunOnceAsync();
        await Work(world).RunOnceAsync();
        var told = await world.OutboxTextsAsync("officer-1");
        Assert.StartsWith("超时上报：1 条", Assert.Single(told, t => t.Contains("超时上报", StringComparison.Ordinal)));
        Assert.DoesNotContain(told, t => t.Contains("待核查提醒", StringComparison.Ordinal));

        world.Clock.Advance(TimeSpan.FromHours(1)); // 09:00: the hourly digest as before
        await Work(world).RunOnceAsync();
        Assert.Contains(await world.OutboxTextsAsync("officer-1"), t => t.StartsWith("待核查提醒（09:00）", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_escalation_run_in_working_hours_is_the_officer_s_message_of_that_hour()
    {
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 09:00
        await world.BindAsync("officer-1");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        world.Clock.Advance(TimeSpan.FromHours(25)); // Thursday 10:00
        await world.Services.GetRequiredService<Verification>().EscalateAsync();
        await Work(world).RunOnceAsync();

        var told = await world.OutboxTextsAsync("officer-1");
        Assert.Single(told, t => t.Contains("超时上报", StringComparison.Ordinal));
        Assert.DoesNotContain(told, t => t.Contains("待核查提醒", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secretary_who_is_the_landlord_sees_his_records_marked_without_buttons_and_is_told_who_decides_them()
    {
        // 金永平 lets rooms as landlord-1 (one phone): her queue shows his record, but it is not hers to decide.
        await using var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(async s => await s.UpdateStaffAsync((await s.GetStaffAsync("secretary-fangtang"))! with { Phone = "13900000001" }));
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");
        await world.BindAsync("landlord-2");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        var mine = await world.LatestEventIdAsync();
        await world.SayAsync("landlord-2", "代办 张伟 复工备案");

        var queue = await world.SayAsync("secretary-fangtang", "待核查");
        var approve = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"通过 {mine}"));
        var english = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"approve {mine}", "en-US"));
        var ownReport = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "扣分 应天乐 未按时消毒楼道等公共区域 自己看到的"));

        var text = ChatWorld.ActivityText(queue);
        Assert.Contains("应天乐 · 为租客代办 +1 · " + mine + " · 本人记录", text, StringComparison.Ordinal);
        var cards = queue.SelectMany(a => a.Attachments ?? []).Select(a => a.Content!.Value.GetRawText()).ToList();
        Assert.Equal(2, cards.Count);
        Assert.DoesNotContain("\"approve\"", Assert.Single(cards, c => c.Contains(mine, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("\"approve\"", Assert.Single(cards, c => !c.Contains(mine, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains($"记录{mine}是关于您本人的，不能由您核查，请由街道干部（或本社区其他书记）处理。", approve, StringComparison.Ordinal);
        Assert.Contains("A street officer (or another secretary of your community) decides it.", english, StringComparison.Ordinal);
        Assert.Equal("Pending", (await world.Db.ReadAsync(s => s.GetEventAsync(mine)))!.Status.ToString());
        Assert.Contains("关于您本人", ownReport, StringComparison.Ordinal); // her own report about herself waits, said so
        Assert.DoesNotContain("已计入积分", ownReport, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_card_names_another_record_of_the_same_rule_the_same_day()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("secretary-fangtang", "扣分 应天乐 未按时消毒楼道等公共区域 自己看到的"); // counts at once
        var first = await world.LatestEventIdAsync();
        world.Clock.Advance(TimeSpan.FromHours(1));

        var receipt = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 楼道脏"));
        var copy = await world.LatestEventIdAsync();
        var queue = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查"));

        Assert.Contains($"同一天已有记录 {first}（已通过）", receipt, StringComparison.Ordinal);
        Assert.Contains($"同一天已有记录 {first}（已通过）", queue, StringComparison.Ordinal);
        Assert.Contains(copy, queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_of_the_same_rule_on_another_day_or_one_rejected_is_not_named()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");
        await world.BindAsync("secretary-fangtang");
        await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 楼道脏");
        await world.SayAsync("secretary-fangtang", $"驳回 {await world.LatestEventIdAsync()} 已经消毒");
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 又脏了");
        world.Clock.Advance(TimeSpan.FromDays(1));
        var receipt = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", "扣分 应天乐 未按时消毒楼道等公共区域 第二天也脏"));
        var queue = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查"));

        Assert.DoesNotContain("同一天", receipt, StringComparison.Ordinal);
        Assert.DoesNotContain("同一天", queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_landlords_of_one_name_in_one_queue_are_told_apart_by_their_phones_last_four_digits()
    {
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 09:00
        var twin = new Scoring.Domain.Subject { Id = "landlord-twin", StreetId = "houzhai", CommunityId = "fangtang", Kind = Scoring.Domain.SubjectKind.Landlord, Name = "应天乐", Phone = "13900000099" };
        await world.Db.WriteAsync(async s =>
        {
            await Scoring.Storage.PeopleStore.InsertSubjectAsync(s, twin, world.Clock.GetUtcNow());
            await Scoring.Storage.PeopleStore.InsertTenantAsync(s, new Scoring.Domain.Tenant { Id = "twin-t1", SubjectId = twin.Id, Name = "王大明", Room = "201" });
        });
        var reporting = world.Services.GetRequiredService<Reporting>();
        var arrival = new DateTimeOffset(2026, 11, 16, 8, 0, 0, TimeSpan.FromHours(8));
        Assert.True((await reporting.ReportReturnAsync(Actor.Of(await world.SubjectAsync("landlord-1")), "landlord-1-t1", arrival, "src-a")).Succeeded);
        Assert.True((await reporting.ReportReturnAsync(Actor.Of(twin), "twin-t1", arrival, "src-b")).Succeeded);
        await world.BindAsync("secretary-fangtang");

        var pending = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查"));
        var api = (await world.Services.GetRequiredService<Verification>().QueueAsync(await world.StaffAsync("secretary-fangtang"), "fangtang")).Value!;

        Assert.Contains("应天乐（尾号0001） · 未及时上报租客返回 -2", pending, StringComparison.Ordinal);
        Assert.Contains("应天乐（尾号0099） · 未及时上报租客返回 -2", pending, StringComparison.Ordinal);
        Assert.Contains("应天乐（房东 · 尾号0099）", pending, StringComparison.Ordinal); // the card's title
        Assert.DoesNotContain("13900000099", pending, StringComparison.Ordinal);
        Assert.Equal("0001 0099", string.Join(" ", api.Items.Select(i => i.PhoneLastFour).Order()));
        // The Chinese half of the system's evidence names the tenant and the arrival.
        Assert.Contains("王大明 11月16日 08:00 到达，49小时后才上报", pending, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Landlords_of_different_names_in_one_queue_are_named_alone()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");
        await world.BindAsync("landlord-2");
        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        await world.SayAsync("landlord-2", "代办 张伟 复工备案");

        var pending = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查"));

        Assert.Contains(". 应天乐 · 为租客代办 +1", pending, StringComparison.Ordinal);
        Assert.DoesNotContain("尾号", pending, StringComparison.Ordinal);
    }
}
