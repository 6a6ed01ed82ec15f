using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Bot.Conversations;
using Scoring.Bot.Protocol;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// Replies on a street's busiest day, held to what the channels take (Protocol/ChannelLimits): a street of 5,000 landlords
/// all tied on last week's red list, a community with 300 records waiting, a score card of long rejection reasons — on
/// Telegram (4,096 characters a message, no Adaptive Cards), SMS (1,600 bytes) and the rest (about 40 KB a message).
/// </summary>
public sealed class BusiestDayTests
{
    private const int Landlords = 5000;
    private static readonly IsoWeek W46 = IsoWeek.Parse("2026-W46");

    /// <summary>Each of the 5,000 synthetic landlords earned +1 (approved) in 2026-W46: all at 13, all first on its red list.</summary>
    private static async Task<ChatWorld> StreetAllOnTheRedListAsync(bool publish = true)
    {
        var world = await ChatWorld.CreateAsync(scale: Landlords);
        await world.RosterEnteredInAsync(W46);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var at = new DateTimeOffset(2026, 11, 10, 10, 0, 0, TimeSpan.FromHours(8));
        var cycle = ScoringCycle.Containing(W46, CycleKind.WeekYear);
        await world.Db.WriteAsync(async s =>
        {
            for (int i = 0; i < Landlords; i++)
            {
                await s.InsertEventAsync(new ScoreEvent
                {
                    Id = $"busy-{i}", StreetId = "houzhai", CommunityId = i % 2 == 0 ? "fangtang" : "changchun", SubjectId = $"load-{i}",
                    RuleCode = DefaultRules.LandlordMediation, RuleVersion = 1, Delta = 1, OccurredAt = at, ReportedAt = at,
                    ReporterId = $"load-{i}", ReporterRole = ReporterRole.Self, Source = $"busy:{i}", Evidence = "调解", Status = EventStatus.Approved,
                }, IsoWeek.Containing(at, zone), cycle);
            }
        });
        if (publish)
        {
            var published = await world.Services.GetRequiredService<Publication>()
                .PublishAsync(await world.StaffAsync("officer-1"), "houzhai", W46, SubjectKind.Landlord, null);
            Assert.True(published.Succeeded);
        }
        return world;
    }

    private static Activity On(Activity a, string channel)
    {
        a.ChannelId = channel;
        return a;
    }

    /// <summary>What a channel's connector would be given for each reply: its JSON, as the outbox stores it.</summary>
    private static int Bytes(Activity a)
    {
        var json = ActivityJson.Serialize(a);
        return Math.Max(Encoding.UTF8.GetByteCount(json), json.Length * 2);
    }

    private static void AssertFits(IReadOnlyList<Activity> replies, string channel)
    {
        Assert.NotEmpty(replies);
        foreach (var reply in replies)
        {
            Assert.True(Bytes(reply) <= 40_000, $"a reply of {Bytes(reply)} bytes");
            var max = channel switch { "telegram" => 4096, "slack" => 4000, _ => int.MaxValue };
            Assert.True((reply.Text?.Length ?? 0) <= max, $"a reply of {reply.Text?.Length} characters on {channel}");
            // Twilio counts a character outside GSM-7 by its bytes.
            if (channel == "sms") Assert.True(Encoding.UTF8.GetByteCount(reply.Text ?? "") <= 1600, $"a reply of {Encoding.UTF8.GetByteCount(reply.Text ?? "")} bytes on sms");
            if (channel is "telegram" or "sms" or "slack")
                Assert.DoesNotContain(reply.Attachments ?? [], a => a.ContentType == Reply.AdaptiveCardContentType);
        }
    }

    [Fact]
    public async Task The_list_of_a_street_where_five_thousand_landlords_tie_first_fits_one_message_and_names_how_many_more_and_where()
    {
        await using var world = await StreetAllOnTheRedListAsync();

        var asked = On(world.Message("load-7", "榜单"), "emulator");
        asked.From!.Id = "load-7"; // Demo:Scale binds load-i as itself
        var replies = await world.DeliverAsync(asked);

        AssertFits(replies, "emulator");
        var reply = Assert.Single(replies);
        Assert.Contains("上周（11月9日—15日）房东红黑榜（第 1 版）", reply.Text);
        // A phone shows a handful, says how many more share the first place, and where the whole list is.
        Assert.True(reply.Text!.Split('\n').Length < 40, reply.Text);
        Assert.Contains($"另有 {Landlords - ConversationHandler.ListShown} 人并列第 1 名（13 分）", reply.Text);
        Assert.Contains("/streets/houzhai/board/2026-W46?kind=landlord", reply.Text);
    }

    [Fact]
    public async Task An_officers_preview_of_a_list_of_five_thousand_fits_one_message_and_says_where_the_whole_list_is()
    {
        await using var world = await StreetAllOnTheRedListAsync(publish: false);
        await world.BindAsync("officer-1", "en-US");

        var replies = await world.SayAsync("officer-1", "publish last week landlord", "en-US");

        AssertFits(replies, ChatWorld.Channel);
        var text = ChatWorld.ActivityText(replies);
        Assert.Contains($"and {Landlords - ConversationHandler.ListShown} more tied at rank 1 (13 points)", text);
        Assert.Contains("the whole list: GET /api/streets/houzhai/lists/2026-W46/preview?kind=landlord", text);
        Assert.Contains("Publish the 2026-W46", text);
    }

    /// <summary>300 records of the community's landlords wait for the secretary, each with long evidence.</summary>
    private static async Task<List<string>> ThreeHundredWaitingAsync(ChatWorld world)
    {
        var reporting = world.Services.GetRequiredService<Reporting>();
        var ids = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            var subject = $"load-{2 * i}"; // fangtang's
            var added = await reporting.ReportAsync(new ReportRequest(Actor.Of(await world.SubjectAsync(subject)), subject, DefaultRules.LandlordMediation,
                $"api:busy-{i}", string.Concat(Enumerable.Repeat("邻里因楼道堆物发生争执，已到场劝解并协助清理。", 40))));
            Assert.True(added.Succeeded, added.Failure?.English);
            ids.Add(added.Value!.Event.Id);
        }
        return ids;
    }

    [Theory]
    [InlineData("telegram")]
    [InlineData("sms")]
    [InlineData("msteams")]
    public async Task The_pending_queue_of_three_hundred_fits_each_channel_and_every_record_shown_keeps_its_id(string channel)
    {
        await using var world = await ChatWorld.CreateAsync(scale: 600);
        var ids = await ThreeHundredWaitingAsync(world);
        await world.DeliverAsync(On(world.Message("secretary-fangtang", $"绑定 {world.CodeOf("secretary-fangtang")}"), channel));

        var replies = await world.DeliverAsync(On(world.Message("secretary-fangtang", "待核查"), channel));

        AssertFits(replies, channel);
        var text = ChatWorld.ActivityText(replies);
        Assert.Contains("待核查 300 条", text);
        Assert.Contains("还有 290 条", text);
        // Oldest first: reported at one instant, in the order of their ids.
        foreach (var id in ids.Order(StringComparer.Ordinal).Take(10)) Assert.Contains(id, text);
        // Where no card is shown, each record's details are still read: who reported it, when, and the evidence's start.
        if (channel != "msteams") Assert.Contains("邻里因楼道堆物发生争执", text);
    }

    [Fact]
    public async Task A_secretary_pages_through_three_hundred_waiting_records_ten_at_a_time_with_a_button_to_the_next_page()
    {
        await using var world = await ChatWorld.CreateAsync(scale: 600);
        var ids = (await ThreeHundredWaitingAsync(world)).Order(StringComparer.Ordinal).ToList();
        await world.BindAsync("secretary-fangtang");

        var first = await world.SayAsync("secretary-fangtang", "待核查");
        var second = await world.SayAsync("secretary-fangtang", "待核查 2");
        var last = await world.SayAsync("secretary-fangtang", "pending 30", "en-US");
        var beyond = await world.SayAsync("secretary-fangtang", "待核查 31");

        Assert.Equal(["待核查 2"], first[^1].SuggestedActions!.Actions.Select(a => a.Title));
        var page2 = ChatWorld.ActivityText(second);
        Assert.Contains("待核查 300 条（最早的在前），第 11–20 条：", page2);
        Assert.Contains($"11. 负载房东", page2);
        Assert.All(ids.Skip(10).Take(10), id => Assert.Contains(id, page2));
        Assert.DoesNotContain(ids[9], page2);
        Assert.Equal(10, second.Sum(r => r.Attachments?.Count ?? 0));
        Assert.Equal(["待核查 3"], second[^1].SuggestedActions!.Actions.Select(a => a.Title));
        var page30 = ChatWorld.ActivityText(last);
        Assert.Contains("300 waiting for verification (oldest first), 291–300:", page30);
        Assert.All(ids.Skip(290), id => Assert.Contains(id, page30));
        Assert.DoesNotContain("[pending 31]", page30);
        Assert.Contains("待核查共 300 条，没有第 31 页（每页 10 条）。", ChatWorld.ActivityText(beyond));
    }

    [Fact]
    public async Task Past_the_five_hundred_oldest_waiting_records_the_secretary_is_told_chat_reads_no_further_not_that_there_is_no_such_page()
    {
        await using var world = await ChatWorld.CreateAsync(scale: 1200);
        var at = ChatWorld.Wednesday.AddHours(-1);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        await world.Db.WriteAsync(async s =>
        {
            for (int i = 0; i < 520; i++)
            {
                await s.InsertEventAsync(new ScoreEvent
                {
                    Id = $"wait-{i:D4}", StreetId = "houzhai", CommunityId = "fangtang", SubjectId = $"load-{2 * i}",
                    RuleCode = DefaultRules.LandlordMediation, RuleVersion = 1, Delta = 1, OccurredAt = at, ReportedAt = at,
                    ReporterId = $"load-{2 * i}", ReporterRole = ReporterRole.Self, Source = $"wait:{i}", Evidence = "调解", Status = EventStatus.Pending,
                }, IsoWeek.Containing(at, zone), ScoringCycle.Containing(IsoWeek.Containing(at, zone), CycleKind.WeekYear));
            }
        });
        await world.BindAsync("secretary-fangtang");

        var last = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"待核查 {Verification.MaxPendingShown / ConversationHandler.PendingPageSize}"));
        var beyond = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查 51"));
        var help = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "帮助"));

        Assert.Contains("wait-0499", last);
        Assert.DoesNotContain("没有第 51 页", beyond);
        Assert.Contains("待核查共 520 条", beyond);
        Assert.Contains($"聊天里只能翻看最早的 {Verification.MaxPendingShown} 条", beyond);
        Assert.Contains($"每页{ConversationHandler.PendingPageSize}条", help);
    }

    /// <summary>Eight records of 应天乐's, each rejected with a reason of the longest kind.</summary>
    private static async Task<List<string>> EightRejectedAsync(ChatWorld world)
    {
        var reporting = world.Services.GetRequiredService<Reporting>();
        var verification = world.Services.GetRequiredService<Verification>();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var ids = new List<string>();
        for (int i = 0; i < 8; i++)
        {
            var added = await reporting.ReportAsync(new ReportRequest(Actor.Of(await world.StaffAsync("gridworker-1")), "landlord-1", DefaultRules.NotDisinfected,
                $"api:corridor-{i}", $"{i + 1}楼楼道未消毒", ChatWorld.Wednesday.AddDays(-i)));
            Assert.True(added.Succeeded, added.Failure?.English);
            var reason = string.Concat(Enumerable.Repeat($"第{i + 1}次复查：楼道已消毒，记录有误。", 60))[..Verification.MaxReasonLength];
            Assert.True((await verification.RejectAsync(secretary, added.Value!.Event.Id, reason)).Succeeded);
            ids.Add(added.Value!.Event.Id);
        }
        return ids;
    }

    [Theory]
    [InlineData("telegram")]
    [InlineData("sms")]
    [InlineData("slack")]
    public async Task A_score_card_of_long_rejection_reasons_is_sent_in_parts_in_order_with_every_id_and_the_balance(string channel)
    {
        await using var world = await ChatWorld.CreateAsync();
        var ids = await EightRejectedAsync(world);
        await world.DeliverAsync(On(world.Message("landlord-1", $"绑定 {world.CodeOf("landlord-1")}"), channel));
        var asked = On(world.Message("landlord-1", "积分"), channel);

        var replies = await world.DeliverAsync(asked);

        AssertFits(replies, channel);
        Assert.True(replies.Count > 1);
        var whole = string.Join("\n", replies.Select(r => r.Text));
        Assert.StartsWith("应天乐的当前积分：12 分", whole);
        foreach (var id in ids) Assert.Contains(id, whole);
        // The reasons are whole, not cut, and the parts come in the card's order.
        Assert.Contains(string.Concat(Enumerable.Repeat("第8次复查：楼道已消毒，记录有误。", 60))[..Verification.MaxReasonLength], whole.Replace("\n", ""));
        Assert.All(ids, id => Assert.True(whole.IndexOf("最近记录：", StringComparison.Ordinal) < whole.IndexOf(id, StringComparison.Ordinal)));
        // The buttons come with the last part, under everything said; every part answers the same message.
        Assert.All(replies.SkipLast(1), r => Assert.Null(r.SuggestedActions));
        Assert.NotNull(replies[^1].SuggestedActions);
        Assert.All(replies, r => Assert.Equal(asked.Id, r.ReplyToId));
    }

    [Fact]
    public async Task A_score_card_sent_in_parts_and_delivered_again_is_answered_with_the_same_parts_in_order_and_queued_once()
    {
        await using var world = await ChatWorld.CreateAsync();
        await EightRejectedAsync(world);
        await world.DeliverAsync(On(world.Message("landlord-1", $"绑定 {world.CodeOf("landlord-1")}"), "telegram"), expectReplies: false);
        var asked = On(world.Message("landlord-1", "积分"), "telegram");
        var first = await world.DeliverAsync(asked, expectReplies: false);
        var queued = await world.CountAsync("SELECT COUNT(*) FROM bot_outbox");

        // The channel delivers the same activity again (its id unchanged), as connectors do after a timeout.
        var again = await world.DeliverAsync(On(world.Message("landlord-1", "积分", id: asked.Id), "telegram"), expectReplies: false);

        Assert.True(first.Count > 1);
        Assert.Equal(first.Select(ActivityJson.Serialize), again.Select(ActivityJson.Serialize));
        Assert.Equal(queued, await world.CountAsync("SELECT COUNT(*) FROM bot_outbox"));
        Assert.Equal(first.Select(ChatWorld.ActivityText), (await world.OutboxTextsAsync("landlord-1")).TakeLast(first.Count));
    }

    [Fact]
    public async Task A_score_card_sent_in_parts_through_the_outbox_waits_there_in_the_same_order_as_an_expect_replies_answer()
    {
        await using var world = await ChatWorld.CreateAsync();
        await EightRejectedAsync(world);
        await world.DeliverAsync(On(world.Message("landlord-1", $"绑定 {world.CodeOf("landlord-1")}"), "telegram"), expectReplies: false);
        var before = (await world.OutboxTextsAsync("landlord-1")).Count;

        var answered = await world.DeliverAsync(On(world.Message("landlord-1", "积分"), "telegram"), expectReplies: true);
        await world.DeliverAsync(On(world.Message("landlord-1", "积分"), "telegram"), expectReplies: false);

        var queued = (await world.OutboxTextsAsync("landlord-1")).Skip(before).ToList();
        Assert.True(queued.Count > 1);
        Assert.Equal(answered.Select(ChatWorld.ActivityText), queued);
    }
}
