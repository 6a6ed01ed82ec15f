using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scoring.Application;
using Scoring.Bot.Conversations;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>What the chat keeps of people only as long as it is needed (README: Personal data kept).</summary>
public sealed class ChatRetentionTests
{
    private static ChatNoticeWork Work(ChatWorld world) =>
        world.Services.GetServices<IHostedService>().OfType<ChatNoticeWork>().Single();

    [Fact]
    public async Task A_wrong_enrolment_code_is_remembered_for_the_hour_it_counts_towards_a_lockout_and_then_forgotten()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.SayAsync("stranger", "绑定 WRONG1");
        await world.SayAsync("stranger", "绑定 WRONG2");

        world.Clock.Advance(TimeSpan.FromMinutes(59));
        await world.SayAsync("stranger", "绑定 WRONG3");
        await Work(world).ForgetAsync();
        Assert.Equal(3, await world.CountAsync("SELECT COUNT(*) FROM bind_failures"));

        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await Work(world).ForgetAsync();
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM bind_failures"));

        world.Clock.Advance(TimeSpan.FromHours(1));
        await Work(world).ForgetAsync();
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM bind_failures"));
    }

    [Fact]
    public async Task What_a_dropped_dialog_was_given_is_forgotten_and_its_writer_is_still_told_the_step_was_dropped()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回 王小明");
        const string Given = "SELECT COUNT(*) FROM chat_dialogs WHERE values_json IS NOT NULL AND values_json <> '{}'";

        world.Clock.Advance(TimeSpan.FromMinutes(31));
        await Work(world).ForgetAsync();
        Assert.Equal(1, await world.CountAsync(Given)); // dropped, but an instance whose clock lags may still be on it

        world.Clock.Advance(TimeSpan.FromMinutes(30));
        await Work(world).ForgetAsync();
        Assert.Equal(0, await world.CountAsync(Given));

        var replies = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "今天"));
        Assert.Contains("上一步操作超过30分钟没有完成，已自动取消", replies);
    }

    [Fact]
    public async Task A_dialog_under_way_keeps_what_it_was_given()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回 王小明");

        world.Clock.Advance(TimeSpan.FromMinutes(29));
        await Work(world).ForgetAsync();

        var replies = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "今天 08:00"));
        Assert.DoesNotContain("已自动取消", replies);
        Assert.Contains("王小明", replies);
    }

    [Fact]
    public async Task Where_to_reach_a_chat_user_nobody_can_notify_is_forgotten_after_a_month_of_silence_and_a_bound_one_is_kept()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.SayAsync("stranger", "你好");
        await world.BindAsync("landlord-1");
        const string Reference = "SELECT COUNT(*) FROM bot_conversation_reference WHERE user_id = '{0}'";
        Task<long> ReferencesOf(string who) => world.CountAsync(string.Format(Reference, ChatWorld.UserOf(who)));

        world.Clock.Advance(ChatNoticeWork.KeepStrangers - TimeSpan.FromMinutes(1));
        await Work(world).ForgetAsync();
        Assert.Equal(1, await ReferencesOf("stranger"));

        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await Work(world).ForgetAsync();
        Assert.Equal(0, await ReferencesOf("stranger"));
        Assert.Equal(1, await ReferencesOf("landlord-1"));

        // Written again when the stranger comes back, and so kept once they bind.
        await world.SayAsync("stranger", "你好");
        Assert.Equal(1, await ReferencesOf("stranger"));
    }

    [Fact]
    public async Task A_strangers_dialog_row_goes_with_where_to_reach_them_and_one_still_writing_or_bound_is_kept()
    {
        // Web Chat gives each visit a new user id: a row kept for every stranger would grow for ever, each with an id in clear.
        await using var world = await ChatWorld.CreateAsync();
        await world.SayAsync("stranger", "你好");
        await world.SayAsync("regular", "你好");
        await world.BindAsync("landlord-1");
        Task<long> DialogsOf(string who) => world.CountAsync($"SELECT COUNT(*) FROM chat_dialogs WHERE user_id = '{ChatWorld.UserOf(who)}'");

        world.Clock.Advance(ChatNoticeWork.KeepStrangers - TimeSpan.FromMinutes(1));
        await world.SayAsync("regular", "你好"); // a known stranger's message rewrites their reference, not their dialog row
        await Work(world).ForgetAsync();
        Assert.Equal(1, await DialogsOf("stranger"));

        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await Work(world).ForgetAsync();

        Assert.Equal((0L, 1L, 1L), (await DialogsOf("stranger"), await DialogsOf("regular"), await DialogsOf("landlord-1")));
        // Met again as someone new (greeted once more, which is all the row was for), and kept again.
        await world.SayAsync("stranger", "你好");
        Assert.Equal(1, await DialogsOf("stranger"));
    }

    [Fact]
    public async Task The_notices_round_forgets_once_an_hour_not_every_minute()
    {
        // The dialogs and conversation references are scanned whole: every minute would hold the single writer each minute.
        await using var world = await ChatWorld.CreateAsync();
        await Work(world).RunOnceAsync();                  // the first round forgets (nothing yet)
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await world.SayAsync("stranger", "绑定 WRONG1");
        world.Clock.Advance(TimeSpan.FromMinutes(59));
        await Work(world).RunOnceAsync();                  // an hour since the first: forgets, but the failure is 59 minutes old
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await Work(world).RunOnceAsync();                  // now past its hour, but the last forgetting was 2 minutes ago
        var kept = await world.CountAsync("SELECT COUNT(*) FROM bind_failures");
        world.Clock.Advance(TimeSpan.FromMinutes(60));
        await Work(world).RunOnceAsync();

        Assert.Equal(1, kept);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM bind_failures"));
    }

    [Fact]
    public async Task An_enrolment_code_is_forgotten_a_month_after_it_expired_used_or_not_and_a_code_still_valid_is_kept()
    {
        await using var world = await ChatWorld.CreateAsync();
        var enrolment = world.Services.GetRequiredService<Enrolment>();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var used = await enrolment.IssueAsync(secretary, "subject", "landlord-1");
        await world.SayAsync("landlord-1", $"绑定 {used.Value!.Code}");
        await enrolment.IssueAsync(secretary, "subject", "landlord-2"); // replaced by the next
        await enrolment.IssueAsync(secretary, "subject", "landlord-2"); // expires unused
        const string Codes = "SELECT COUNT(*) FROM enrolment_codes WHERE issued_by = 'secretary-fangtang' AND person_id IN ('landlord-1', 'landlord-2')";

        world.Clock.Advance(Enrolment.CodeLifetime + Enrolment.KeepCodes - TimeSpan.FromMinutes(1));
        var fresh = await enrolment.IssueAsync(secretary, "subject", "landlord-3");
        await Work(world).ForgetAsync();
        Assert.Equal(3, await world.CountAsync(Codes));

        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await Work(world).ForgetAsync();
        Assert.Equal(0, await world.CountAsync(Codes));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM enrolment_codes WHERE person_id = 'landlord-3' AND used_at IS NULL AND replaced_at IS NULL"));
        Assert.True((await world.SayAsync("landlord-3", $"绑定 {fresh.Value!.Code}")).Count > 0);
        Assert.Equal("landlord-3", (await enrolment.IdentifyAsync(ChatWorld.Channel, ChatWorld.UserOf("landlord-3")))?.Subject?.Id);
    }

    [Fact]
    public async Task A_code_sealed_for_a_retry_is_unsealed_once_the_retry_s_window_has_passed_and_stays_valid()
    {
        await using var world = await ChatWorld.CreateAsync();
        var enrolment = world.Services.GetRequiredService<Enrolment>();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var issued = await enrolment.IssueAsync(secretary, "subject", "landlord-2", retrySecret: "the-caller-s-token");
        const string Sealed = "SELECT COUNT(*) FROM enrolment_codes WHERE person_id = 'landlord-2' AND retry_answer IS NOT NULL";

        await Work(world).ForgetAsync();
        Assert.Equal(1, await world.CountAsync(Sealed)); // a retry may still come
        world.Clock.Advance(PlainRetry.Window + TimeSpan.FromSeconds(1));
        await Work(world).ForgetAsync();

        Assert.Equal(0, await world.CountAsync(Sealed));
        Assert.True((await world.SayAsync("landlord-2", $"绑定 {issued.Value!.Code}")).Count > 0);
        Assert.Equal("landlord-2", (await enrolment.IdentifyAsync(ChatWorld.Channel, ChatWorld.UserOf("landlord-2")))?.Subject?.Id);
    }

    [Fact]
    public async Task Once_erased_long_off_the_roster_a_bound_account_is_a_stranger_again_and_where_to_reach_it_is_forgotten()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var officer = await world.StaffAsync("officer-1");
        Assert.True((await world.Services.GetRequiredService<Rosters>().DeactivateSubjectAsync(officer, "landlord-1")).Succeeded);
        Assert.Contains("不在本街道的花名册上", ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分")), StringComparison.Ordinal);

        world.Clock.AdjustTime(new DateTimeOffset(2028, 1, 3, 0, 0, 0, TimeSpan.FromHours(8)));
        Assert.Equal(1, await world.Services.GetRequiredService<OffRosterErasure>().EraseDueAsync());
        Assert.Equal(0, await world.CountAsync($"SELECT COUNT(*) FROM bot_conversation_reference WHERE user_id = '{ChatWorld.UserOf("landlord-1")}'"));
        Assert.Equal(0, await world.CountAsync($"SELECT COUNT(*) FROM chat_dialogs WHERE user_id = '{ChatWorld.UserOf("landlord-1")}'"));

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分"));
        Assert.Contains("请先绑定账号", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("花名册", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("landlord-1", "shophead-1")] // the account's first record erased: the next one becomes its first
    [InlineData("shophead-1", "landlord-1")] // a further record erased
    public async Task An_account_speaking_for_several_records_loses_only_the_erased_one_and_keeps_where_to_reach_it(string erased, string kept)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var shopHeadCode = (await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("secretary-changchun"), "subject", "shophead-1")).Value!.BindCommand;
        await world.SayAsync("landlord-1", shopHeadCode);
        var officer = await world.StaffAsync("officer-1");
        Assert.True((await world.Services.GetRequiredService<Rosters>().DeactivateSubjectAsync(officer, erased)).Succeeded);

        world.Clock.AdjustTime(new DateTimeOffset(2028, 1, 3, 0, 0, 0, TimeSpan.FromHours(8)));
        Assert.Equal(1, await world.Services.GetRequiredService<OffRosterErasure>().EraseDueAsync());

        var who = await world.Services.GetRequiredService<Enrolment>().IdentifyAsync(ChatWorld.Channel, ChatWorld.UserOf("landlord-1"));
        Assert.Equal(kept, who!.Subject!.Id);
        Assert.False(who.Several);
        Assert.Equal(0, await world.CountAsync($"SELECT COUNT(*) FROM chat_account_records WHERE person_id = '{erased}'"));
        Assert.Equal(0, await world.CountAsync("SELECT COALESCE(SUM(more_records), 0) FROM chat_accounts"));
        Assert.Equal(1, await world.CountAsync($"SELECT COUNT(*) FROM bot_conversation_reference WHERE user_id = '{ChatWorld.UserOf("landlord-1")}'"));
    }
}
