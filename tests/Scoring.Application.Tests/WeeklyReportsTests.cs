using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

/// <summary>The street office's weekly work report: each figure counted from the store as DESIGN's week counts it.</summary>
public class WeeklyReportsTests
{
    private static readonly IsoWeek W46 = IsoWeek.Parse("2026-W46"), W47 = IsoWeek.Parse("2026-W47");

    private static WeeklyReports Reports(TestWorld world) => new(world.Db, world.Clock);

    private static async Task<WeekSummary> SummaryAsync(TestWorld world, IsoWeek week, string who = "officer-1")
    {
        var outcome = await Reports(world).SummaryAsync(await world.StaffAsync(who), "houzhai", week);
        Assert.True(outcome.Succeeded, outcome.Failure?.English);
        return outcome.Value!;
    }

    private static WeekReportFigures Of(WeekSummary summary, string community) => summary.Communities.Single(c => c.Community == community).Figures;

    private static Task BindAsync(TestWorld world, string subjectId) => world.Db.WriteAsync(s => s.BindChatAccountAsync(new ChatAccount
    {
        ChannelId = "test", UserId = "chat-" + subjectId, PersonKind = "subject", PersonId = subjectId, BoundAt = world.Clock.GetUtcNow(),
    }));

    [Fact]
    public async Task The_roster_counts_each_community_s_landlords_and_shop_heads_and_how_many_have_a_chat_account()
    {
        await using var world = await CreateAsync();
        await BindAsync(world, "landlord-1");
        await BindAsync(world, "shophead-1");

        var summary = await SummaryAsync(world, W47);

        Assert.Equal(new RosterFigures(3, 1, 0, 0), Of(summary, "fangtang").Roster);
        Assert.Equal(new RosterFigures(2, 0, 2, 1), Of(summary, "changchun").Roster);
        Assert.Equal(new RosterFigures(5, 1, 2, 1), summary.Total.Roster);
        Assert.Equal((7, 2), (summary.Total.Roster.People, summary.Total.Roster.Bound));
    }

    [Fact]
    public async Task A_shop_head_whose_code_was_added_to_a_landlords_account_counts_as_bound()
    {
        await using var world = await CreateAsync();
        await BindAsync(world, "landlord-1");
        await world.Db.WriteAsync(s => s.AddChatRecordAsync(new ChatAccount
        {
            ChannelId = "test", UserId = "chat-landlord-1", PersonKind = "subject", PersonId = "shophead-1", BoundAt = world.Clock.GetUtcNow(),
        }));

        var summary = await SummaryAsync(world, W47);

        Assert.Equal(new RosterFigures(2, 0, 2, 1), Of(summary, "changchun").Roster);
        Assert.Equal((7, 2), (summary.Total.Roster.People, summary.Total.Roster.Bound));
    }

    [Fact]
    public async Task An_account_bound_after_the_week_does_not_count_for_it_and_someone_off_the_roster_all_week_is_not_counted()
    {
        await using var world = await CreateAsync();
        await world.Db.WriteAsync(s => s.ExecuteAsync(DialectSql.Both("INSERT INTO subject_absences (subject_id, left_at) VALUES ('landlord-2', NULL)")));
        world.Clock.SetUtcNow(Local(2026, 11, 24, 9));
        await BindAsync(world, "landlord-1"); // in W48

        var fangtang = Of(await SummaryAsync(world, W47), "fangtang");

        Assert.Equal(new RosterFigures(2, 0, 0, 0), fangtang.Roster);
    }

    [Fact]
    public async Task Reports_are_counted_by_who_made_them_and_where_they_stand_now_and_only_approved_ones_give_points()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService);                   // self, approved, +1
        await world.SelfReportAsync("landlord-2", DefaultRules.LandlordMediation);           // self, pending
        var observed = await world.ObserveAsync("landlord-3", DefaultRules.NotDisinfected); // grid worker, rejected
        Assert.True((await world.Verification.RejectAsync(await world.StaffAsync("secretary-fangtang"), observed.Event.Id, "已消毒")).Succeeded);
        var deducted = await world.DeductAsync("landlord-1", DefaultRules.NotDisinfected);   // secretary, revoked
        Assert.True((await world.Verification.RevokeAsync(await world.StaffAsync("secretary-fangtang"), deducted.Event.Id, "重复上报")).Succeeded);
        await world.DeductAsync("landlord-4", DefaultRules.TenantConcealed);                 // secretary, approved, −6

        var summary = await SummaryAsync(world, W47);

        var reports = summary.Total.Reports;
        Assert.Equal(5, reports.Made);
        Assert.Equal(new ReporterCounts(2, 1, 2, 0), reports.By);
        Assert.Equal(new StatusCounts(2, 1, 1, 1), reports.Now);
        Assert.Equal(new PointFigures(1, 6), summary.Total.Points);
        Assert.Equal((4, 1), (Of(summary, "fangtang").Reports.Made, Of(summary, "changchun").Reports.Made));
        var corridor = reports.ByRule.Single(r => r.Rule == DefaultRules.NotDisinfected);
        Assert.Equal((2, new ReporterCounts(0, 1, 1, 0), new StatusCounts(0, 1, 0, 1)), (corridor.Made, corridor.By, corridor.Now));
        Assert.Equal(DefaultRules.All.Single(r => r.Code == DefaultRules.NotDisinfected).NameZh, corridor.NameZh);
        Assert.True(reports.ByRule[0].Delta > 0, "additions come first");
    }

    [Fact]
    public async Task A_report_counts_in_the_week_it_occurred_in_as_the_lists_count_it_not_the_week_it_was_reported_in()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService, Local(2026, 11, 13, 10)); // Friday of W46, reported in W47

        var w46 = await SummaryAsync(world, W46);
        var w47 = await SummaryAsync(world, W47);

        Assert.Equal((1, 1), (w46.Total.Reports.Made, w46.Total.Points.Added));
        Assert.Equal((0, 0), (w47.Total.Reports.Made, w47.Total.Points.Added));
    }

    [Fact]
    public async Task Verification_time_is_the_median_and_90th_percentile_by_nearest_rank_and_the_slowest_with_the_overdue_and_escalated()
    {
        await using var world = await CreateAsync(); // Wednesday 09:00
        var quick = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordService);
        var slow = await world.SelfReportAsync("landlord-2", DefaultRules.LandlordService);
        await world.SelfReportAsync("landlord-3", DefaultRules.LandlordService);          // still waiting
        await world.DeductAsync("landlord-1", DefaultRules.NotDisinfected);               // a secretary's own: never verified
        world.Clock.SetUtcNow(Local(2026, 11, 18, 11));
        await world.ApproveAsync(quick);                                                  // 2 h, before the day's 16:00 deadline
        world.Clock.SetUtcNow(Local(2026, 11, 19, 9, 30));
        Assert.Equal(2, await world.Verification.EscalateAsync());                        // pending 24 h: the slow one and the waiting one
        world.Clock.SetUtcNow(Local(2026, 11, 19, 10));
        await world.ApproveAsync(slow);                                                   // 25 h, after Wednesday's deadline
        world.Clock.SetUtcNow(Local(2026, 11, 20, 9));

        var verification = (await SummaryAsync(world, W47)).Total.Verification;

        Assert.Equal(new VerificationFigures(3, 2, TimeSpan.FromHours(2), TimeSpan.FromHours(25), TimeSpan.FromHours(25), Overdue: 2, Escalated: 2), verification);
        Assert.Equal(1, verification.Waiting);
        Assert.Equal(verification, Of(await SummaryAsync(world, W47), "fangtang").Verification);
        Assert.Equal(new VerificationFigures(0, 0, null, null, null, 0, 0), Of(await SummaryAsync(world, W47), "changchun").Verification);
    }

    [Fact]
    public async Task A_report_of_friday_evening_decided_on_monday_morning_was_not_overdue_as_nobody_verifies_at_the_weekend()
    {
        await using var world = await CreateAsync(Local(2026, 11, 20, 18));
        var report = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordService);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 10));
        await world.ApproveAsync(report);

        var verification = (await SummaryAsync(world, W47)).Total.Verification;

        Assert.Equal((1, 0), (verification.Decided, verification.Overdue));
        Assert.Equal(VerificationClock.IsOverdue(Local(2026, 11, 20, 18), Local(2026, 11, 23, 10), (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!.Settings),
            verification.Overdue == 1);
    }

    [Fact]
    public async Task Tenant_returns_reported_in_the_week_are_counted_with_the_late_ones()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        Assert.True((await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Local(2026, 11, 18, 8), "chat:on-time")).Succeeded);
        // Sent again in another message (no answer came quickly): in time it costs nothing, and it is one return all the same.
        Assert.True((await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Local(2026, 11, 18, 8), "chat:on-time-again")).Succeeded);
        Assert.True((await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t2", Local(2026, 11, 16, 8, 30), "chat:late")).Succeeded);
        Assert.True((await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t2", Local(2026, 11, 16, 8, 30), "chat:late-again")).Succeeded); // the same return: one fact

        var summary = await SummaryAsync(world, W47);

        Assert.Equal(new ReturnFigures(2, 1), Of(summary, "fangtang").Returns);
        Assert.Equal(new ReturnFigures(0, 0), Of(summary, "changchun").Returns);
        Assert.Equal(1, summary.Total.Reports.By.System); // the late return's −2, recorded by the system
        Assert.Equal(new ReturnFigures(0, 0), (await SummaryAsync(world, W46)).Total.Returns);
    }

    [Fact]
    public async Task Shop_rounds_done_and_missed_are_counted_and_a_waived_missed_round_is_not_missed()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        Assert.Equal(0, await world.Rounds.RecordMissedAsync()); // the clockwork sees the day open
        Assert.True((await world.Reporting.ReportRoundAsync(Actor.Of(await world.SubjectAsync("shophead-1")), "chat:round")).Succeeded);
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16));
        Assert.Equal(1, await world.Rounds.RecordMissedAsync());

        Assert.Equal(new RoundFigures(1, 1), Of(await SummaryAsync(world, W47), "changchun").Rounds);

        var missed = (await world.Db.ReadAsync(s => s.PendingOfStreetAsync("houzhai", escalatedOnly: false))).Single(e => e.RuleCode == DefaultRules.RoundMissed);
        Assert.True((await world.Verification.RejectAsync(await world.StaffAsync("secretary-changchun"), missed.Id, "已巡查，忘记上报")).Succeeded);
        Assert.Equal(new RoundFigures(1, 0), (await SummaryAsync(world, W47)).Total.Rounds);
    }

    [Fact]
    public async Task A_published_list_says_its_revision_when_and_by_whom_and_how_many_stand_on_it_in_each_community()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService, Local(2026, 11, 13, 10));
        Assert.True((await world.Publication.PublishAsync(await world.StaffAsync("officer-1"), "houzhai", W46, SubjectKind.Landlord, null)).Succeeded);

        var summary = await SummaryAsync(world, W46);

        Assert.True(summary.Complete);
        var landlords = summary.Total.Lists.Single(l => l.Kind == SubjectKind.Landlord);
        Assert.Equal((true, 1, Wednesday, "officer-1", "孙立华", 1, 0),
            (landlords.Published, landlords.Revision, landlords.PublishedAt, landlords.PublishedBy, landlords.PublishedByName, landlords.Red, landlords.Black));
        Assert.False(summary.Total.Lists.Single(l => l.Kind == SubjectKind.ShopHead).Published);
        Assert.Equal((1, 0), (Of(summary, "fangtang").Lists[0].Red, Of(summary, "changchun").Lists[0].Red));
    }

    [Fact]
    public async Task A_secretary_sees_their_own_community_only_and_a_grid_worker_is_refused()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService);

        var secretary = await SummaryAsync(world, W47, "secretary-changchun");
        var grid = await Reports(world).SummaryAsync(await world.StaffAsync("gridworker-1"), "houzhai", W47);

        Assert.Equal("changchun", secretary.Community);
        Assert.Equal(["changchun"], secretary.Communities.Select(c => c.Community));
        Assert.Equal((0, 4), (secretary.Total.Reports.Made, secretary.Total.Roster.People));
        Assert.Equal("forbidden", grid.Failure?.Code);
    }

    [Fact]
    public async Task A_week_not_begun_is_refused_and_the_week_under_way_is_counted_so_far()
    {
        await using var world = await CreateAsync();

        var next = await Reports(world).SummaryAsync(await world.StaffAsync("officer-1"), "houzhai", IsoWeek.Parse("2026-W48"));
        var now = await SummaryAsync(world, W47);

        Assert.Equal(("week-not-begun", FailureKind.Conflict), (next.Failure?.Code, next.Failure?.Kind));
        Assert.Contains("11月23日", next.Failure!.Chinese, StringComparison.Ordinal);
        Assert.Equal((false, Wednesday), (now.Complete, now.AsOf));
        Assert.Equal((Local(2026, 11, 16), Local(2026, 11, 23)), (now.Start, now.End));
    }

    [Fact]
    public async Task The_sheet_has_a_row_per_figure_and_a_column_for_the_street_and_each_community()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService);

        var table = (await Reports(world).TableAsync(await world.StaffAsync("officer-1"), "houzhai", W47)).Value!;

        Assert.Equal(["项目", "后宅街道", "长春社区", "方塘村"], table.Header); // communities by id, as listed everywhere
        Assert.Equal(["上报合计", 1, 0, 1], table.Rows.Single(r => (string)r[0]! == "上报合计"));
        Assert.Contains(table.Rows, r => ((string)r[0]!).StartsWith("上报：", StringComparison.Ordinal) && r[1] is 1);
        Assert.Contains(table.Rows, r => (string)r[0]! == "统计截至" && ((string)r[1]!).Contains("尚未结束", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sheet_of_a_week_over_says_when_it_was_counted_its_figures_being_as_of_then()
    {
        await using var world = await CreateAsync();
        world.Clock.Advance(TimeSpan.FromDays(6)); // Tuesday of W48, 09:00 in Houzhai

        var table = (await Reports(world).TableAsync(await world.StaffAsync("officer-1"), "houzhai", W47)).Value!;

        // Statuses, the roster and erasures are read as they stand now: a past week's sheet printed later can differ.
        var asOf = (string)table.Rows.Single(r => (string)r[0]! == "统计截至")[1]!;
        Assert.Contains("2026-11-24 09:00", asOf, StringComparison.Ordinal);
        Assert.DoesNotContain("尚未结束", asOf, StringComparison.Ordinal);
    }
}
