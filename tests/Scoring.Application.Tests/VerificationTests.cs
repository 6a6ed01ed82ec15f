using Scoring.Storage;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

public class VerificationTests
{
    [Fact]
    public async Task Approving_moves_the_balance_and_records_who_and_when()
    {
        await using var world = await CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var report = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordReportedViolation);
        world.Clock.Advance(TimeSpan.FromHours(2));

        var decision = (await world.Verification.ApproveAsync(secretary, report.Event.Id)).Value!;

        Assert.Equal((EventStatus.Approved, true), (decision.Event.Status, decision.Changed));
        Assert.Equal(14, (await world.Scores.CardAsync("landlord-1"))!.Balance);
        var history = await world.Verification.HistoryAsync(report.Event.Id);
        Assert.Equal([("Pending", "Approved", "secretary-fangtang", (string?)null, Wednesday.AddHours(2))],
            history.Skip(1).Select(t => (t.FromStatus!, t.ToStatus, t.ActorId, t.Reason, t.At)));
    }

    [Fact]
    public async Task A_decision_or_a_report_counted_at_once_that_changes_a_published_week_is_told_once_a_change_with_who_made_it()
    {
        // Published on Monday, then a late-return charge of its Friday approved, and a secretary's report dated into it.
        await using var world = await CreateAsync(Local(2026, 11, 18, 9));
        var pending = await world.ObserveAsync("landlord-1", DefaultRules.NotDisinfected); // W47
        var officer = await world.StaffAsync("officer-1");
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        Assert.True((await world.Publication.PublishAsync(officer, "houzhai", new Domain.Weeks.IsoWeek(2026, 47), Domain.SubjectKind.Landlord, null)).Succeeded);
        var secretary = await world.StaffAsync("secretary-fangtang");

        var approved = (await world.Verification.ApproveAsync(secretary, pending.Event.Id)).Value!;
        await world.Verification.ApproveAsync(secretary, pending.Event.Id); // a repeated click changes nothing
        var dated = await world.DeductAsync("landlord-2", DefaultRules.NotDisinfected, Local(2026, 11, 20, 10));
        await world.DeductAsync("landlord-3", DefaultRules.NotDisinfected); // this week: no published week changed

        Assert.Equal(["2026-W47"], approved.PublishedWeeksAffected); // the answer keeps saying it
        Assert.Equal([(pending.Event.Id, "2026-W47", "secretary-fangtang"), (dated.Event.Id, "2026-W47", "secretary-fangtang")],
            world.Notices.PublishedWeeksChanged.Select(n => (n.EventId, string.Join(",", n.Weeks), n.ActorId)));
    }

    [Fact]
    public async Task Each_approved_deduction_that_leaves_the_balance_at_or_below_0_alerts_the_secretaries_once()
    {
        await using var world = await CreateAsync();
        var first = await world.ObserveAsync("landlord-1", DefaultRules.TenantConcealed);
        var second = await world.ObserveAsync("landlord-1", DefaultRules.TenantConcealed);
        var third = await world.ObserveAsync("landlord-1", DefaultRules.NotDisinfected);
        var addition = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);

        await world.ApproveAsync(first);  // 6: nothing to say yet
        await world.ApproveAsync(second); // 0
        await world.ApproveAsync(second); // a repeated click changes nothing
        await world.ApproveAsync(third);  // -1: sinking further, said again
        await world.ApproveAsync(addition); // 0, but rising

        Assert.Equal([(second.Event.Id, "landlord-1", EventStatus.Approved, 0), (third.Event.Id, "landlord-1", EventStatus.Approved, -1)], world.Notices.BalanceAlerts);
    }

    [Fact]
    public async Task Revoking_an_addition_that_leaves_the_balance_at_0_alerts_the_secretaries()
    {
        await using var world = await CreateAsync();
        var addition = await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        await world.ApproveAsync(await world.ObserveAsync("landlord-1", DefaultRules.TenantConcealed));
        await world.ApproveAsync(await world.ObserveAsync("landlord-1", DefaultRules.TenantConcealed));
        await world.ApproveAsync(await world.ObserveAsync("landlord-1", DefaultRules.NotDisinfected)); // 13 - 13 = 0
        world.Notices.BalanceAlerts.Clear();

        var revoked = await world.Verification.RevokeAsync(await world.StaffAsync("officer-1"), addition.Event.Id, "调解记录不实");

        Assert.True(revoked.Succeeded, revoked.Failure?.English);
        Assert.Equal([(addition.Event.Id, "landlord-1", EventStatus.Revoked, -1)], world.Notices.BalanceAlerts);
    }

    [Fact]
    public async Task A_deduction_of_a_closed_cycle_approved_now_is_judged_by_that_cycle_s_balance_not_by_today_s_0()
    {
        await using var world = await CreateAsync(Local(2027, 1, 13, 9)); // 2027-W02
        var lateFrom2026 = (await world.Reporting.ReportReturnAsync(Actor.Of(await world.SubjectAsync("landlord-1")), "landlord-1-t1", Local(2026, 12, 1, 10), "chat:very-late")).Value!.Deduction!;
        await world.ApproveAsync(await world.ObserveAsync("landlord-1", DefaultRules.TenantConcealed));
        await world.ApproveAsync(await world.ObserveAsync("landlord-1", DefaultRules.TenantConcealed));
        world.Notices.BalanceAlerts.Clear();

        await world.ApproveAsync(lateFrom2026); // 2026's balance goes down to 10, above the line; 2027's stays at 0

        Assert.Empty(world.Notices.BalanceAlerts);
    }

    [Fact]
    public async Task A_deduction_of_a_closed_cycle_approved_in_january_that_takes_that_cycle_to_0_alerts_and_names_the_cycle()
    {
        await using var world = await CreateAsync(Local(2026, 12, 30, 9)); // 2026-W53
        var first = await world.ObserveAsync("landlord-1", DefaultRules.TenantConcealed);
        var second = await world.ObserveAsync("landlord-1", DefaultRules.TenantConcealed);
        await world.ApproveAsync(first);                                     // 2026: 6
        world.Clock.SetUtcNow(Local(2027, 1, 5, 9));                         // 2027-W01: cycle 2026 is closed

        await world.ApproveAsync(second);                                    // 2026: 0; 2027 stays at 12

        Assert.Equal([(second.Event.Id, "landlord-1", EventStatus.Approved, 0)], world.Notices.BalanceAlerts);
        Assert.Equal("2026", world.Notices.ClosedCycles[second.Event.Id]);
    }

    [Fact]
    public async Task Revoking_in_january_an_addition_of_a_closed_cycle_that_leaves_it_at_0_alerts_and_names_the_cycle()
    {
        await using var world = await CreateAsync(Local(2026, 12, 30, 9));
        var addition = await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);              // 13
        await world.ApproveAsync(await world.ObserveAsync("landlord-1", DefaultRules.TenantConcealed));   // 7
        await world.ApproveAsync(await world.ObserveAsync("landlord-1", DefaultRules.TenantConcealed));   // 1
        world.Clock.SetUtcNow(Local(2027, 1, 5, 9));

        var revoked = await world.Verification.RevokeAsync(await world.StaffAsync("officer-1"), addition.Event.Id, "调解记录不实");

        Assert.True(revoked.Succeeded, revoked.Failure?.English);
        Assert.Equal([(addition.Event.Id, "landlord-1", EventStatus.Revoked, 0)], world.Notices.BalanceAlerts);
        Assert.Equal("2026", world.Notices.ClosedCycles[addition.Event.Id]);
    }

    [Fact]
    public async Task Approving_twice_is_harmless()
    {
        await using var world = await CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var report = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);

        await world.Verification.ApproveAsync(secretary, report.Event.Id);
        var again = (await world.Verification.ApproveAsync(secretary, report.Event.Id)).Value!;

        Assert.Equal((EventStatus.Approved, false), (again.Event.Status, again.Changed));
        Assert.Equal(2, (await world.Verification.HistoryAsync(report.Event.Id)).Count);
        Assert.Equal(13, (await world.Scores.CardAsync("landlord-1"))!.Balance);
    }

    [Fact]
    public async Task Ids_typed_in_lower_case_or_with_look_alike_letters_are_understood()
    {
        await using var world = await CreateAsync();
        var report = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);
        var typed = report.Event.Id.ToLowerInvariant().Replace('0', 'o').Replace('1', 'l');

        var decision = await world.Verification.ApproveAsync(await world.StaffAsync("secretary-fangtang"), typed);

        Assert.Equal(report.Event.Id, decision.Value!.Event.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Rejecting_needs_a_reason(string? reason)
    {
        await using var world = await CreateAsync();
        var report = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);

        var outcome = await world.Verification.RejectAsync(await world.StaffAsync("secretary-fangtang"), report.Event.Id, reason);

        Assert.Equal(("reason-required", FailureKind.Invalid), (outcome.Failure!.Code, outcome.Failure.Kind));
        Assert.Single(await world.Verification.HistoryAsync(report.Event.Id));
    }

    [Fact]
    public async Task A_rejection_keeps_its_reason_and_leaves_the_balance_alone()
    {
        await using var world = await CreateAsync();
        var report = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordReportedViolation);

        var decision = (await world.Verification.RejectAsync(await world.StaffAsync("secretary-fangtang"), report.Event.Id, "  无照片证据 ")).Value!;

        Assert.Equal(EventStatus.Rejected, decision.Event.Status);
        Assert.Equal("无照片证据", (await world.Verification.HistoryAsync(report.Event.Id))[^1].Reason);
        Assert.Equal(12, (await world.Scores.CardAsync("landlord-1"))!.Balance);
    }

    [Fact]
    public async Task Revoking_an_approved_event_needs_a_reason_and_takes_its_points_back()
    {
        await using var world = await CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var report = await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation);

        var unreasoned = await world.Verification.RevokeAsync(officer, report.Event.Id, null);
        var revoked = await world.Verification.RevokeAsync(officer, report.Event.Id, "举报不实");

        Assert.Equal("reason-required", unreasoned.Failure!.Code);
        Assert.Equal(EventStatus.Revoked, revoked.Value!.Event.Status);
        Assert.Equal(12, (await world.Scores.CardAsync("landlord-1"))!.Balance);
        Assert.Equal([("Pending", (string?)null), ("Approved", null), ("Revoked", "举报不实")],
            (await world.Verification.HistoryAsync(report.Event.Id)).Select(t => (t.ToStatus, t.Reason)));
    }

    [Fact]
    public async Task Only_the_status_machine_s_transitions_are_allowed()
    {
        await using var world = await CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var pending = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);
        var rejected = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);
        await world.Verification.RejectAsync(secretary, rejected.Event.Id, "不符");
        var approved = await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);

        var outcomes = new[]
        {
            await world.Verification.RevokeAsync(secretary, pending.Event.Id, "x"),
            await world.Verification.ApproveAsync(secretary, rejected.Event.Id),
            await world.Verification.RevokeAsync(secretary, rejected.Event.Id, "x"),
            await world.Verification.RejectAsync(secretary, approved.Event.Id, "x"),
        };

        Assert.All(outcomes, o => Assert.Equal(("wrong-status", FailureKind.Conflict), (o.Failure!.Code, o.Failure.Kind)));
    }

    [Fact]
    public async Task Asked_without_a_reason_inside_a_turn_a_record_in_another_status_is_said_to_be_so_and_a_reason_is_asked_only_of_one_it_would_change()
    {
        await using var world = await CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var approved = await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        var pending = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);

        // The chat asks so before asking the secretary for a reason: a colleague's approval is no reason to type one.
        var rejectApproved = await world.Db.WriteAsync(s => world.Verification.RejectInAsync(s, secretary, approved.Event.Id, null));
        var revokePending = await world.Db.WriteAsync(s => world.Verification.RevokeInAsync(s, secretary, pending.Event.Id, null));
        var rejectPending = await world.Db.WriteAsync(s => world.Verification.RejectInAsync(s, secretary, pending.Event.Id, null));
        var revokeApproved = await world.Db.WriteAsync(s => world.Verification.RevokeInAsync(s, secretary, approved.Event.Id, null));

        Assert.Equal("wrong-status", rejectApproved.Failure?.Code);
        Assert.Equal("wrong-status", revokePending.Failure?.Code);
        Assert.Equal("reason-required", rejectPending.Failure?.Code);
        Assert.Equal("reason-required", revokeApproved.Failure?.Code);
        Assert.Equal(EventStatus.Approved, (await world.Db.ReadAsync(s => s.GetEventAsync(approved.Event.Id)))!.Status);
    }

    [Fact]
    public async Task Only_those_who_verify_in_the_community_may_decide()
    {
        await using var world = await CreateAsync();
        var report = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation); // fangtang

        var otherSecretary = await world.Verification.ApproveAsync(await world.StaffAsync("secretary-changchun"), report.Event.Id);
        var gridWorker = await world.Verification.ApproveAsync(await world.StaffAsync("gridworker-1"), report.Event.Id);
        var officer = await world.Verification.ApproveAsync(await world.StaffAsync("officer-1"), report.Event.Id);

        Assert.Equal(FailureKind.Forbidden, otherSecretary.Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, gridWorker.Failure!.Kind);
        Assert.True(officer.Succeeded);
    }

    [Fact]
    public async Task An_unknown_event_is_not_found()
    {
        await using var world = await CreateAsync();
        var outcome = await world.Verification.ApproveAsync(await world.StaffAsync("officer-1"), "ZZZZZZZZZ");
        Assert.Equal(("event-not-found", FailureKind.NotFound), (outcome.Failure!.Code, outcome.Failure.Kind));
    }

    [Fact]
    public async Task A_queue_holds_the_oldest_items_asked_for_and_says_how_many_wait_in_all()
    {
        await using var world = await CreateAsync();
        for (int i = 0; i < 3; i++)
        {
            await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);
            world.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var page = (await world.Verification.QueueAsync(await world.StaffAsync("secretary-fangtang"), "fangtang", take: 2)).Value!;
        var all = (await world.Verification.QueueAsync(await world.StaffAsync("secretary-fangtang"), "fangtang")).Value!;

        Assert.Equal((2, 3), (page.Items.Count, page.Total));
        Assert.Equal(all.Items.Take(2).Select(p => p.Event.Id), page.Items.Select(p => p.Event.Id)); // the oldest
        Assert.Equal((3, 3), (all.Items.Count, all.Total));
    }

    [Fact]
    public async Task A_queue_asked_for_more_than_it_shows_still_counts_every_pending_item()
    {
        await using var world = await CreateAsync();
        for (int i = 0; i < Verification.MaxPendingShown + 1; i++) await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);

        var page = (await world.Verification.QueueAsync(await world.StaffAsync("secretary-fangtang"), "fangtang", take: 2 * Verification.MaxPendingShown)).Value!;

        Assert.Equal((Verification.MaxPendingShown, Verification.MaxPendingShown + 1), (page.Items.Count, page.Total));
    }

    [Fact]
    public async Task The_queue_shows_its_community_s_pending_items_oldest_first()
    {
        await using var world = await CreateAsync();
        var first = await world.SelfReportAsync("landlord-2", DefaultRules.LandlordMediation);
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordService);
        await world.SelfReportAsync("landlord-4", DefaultRules.LandlordService); // changchun
        await world.ScoreAsync("landlord-3", DefaultRules.LandlordService);      // already decided

        var queue = (await world.Verification.QueueAsync(await world.StaffAsync("secretary-fangtang"), "fangtang")).Value!.Items;

        Assert.Equal([first.Event.Id, second.Event.Id], queue.Select(i => i.Event.Id));
        Assert.Equal(("王秀兰", "参与矛盾调解", TimeSpan.FromMinutes(5)), (queue[0].SubjectName, queue[0].RuleNameZh, queue[0].Age));
        Assert.Equal(FailureKind.Forbidden, (await world.Verification.QueueAsync(await world.StaffAsync("secretary-changchun"), "fangtang")).Failure!.Kind);
    }

    [Fact]
    public async Task Items_of_the_day_are_overdue_from_16_00()
    {
        await using var world = await CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);

        world.Clock.SetUtcNow(Local(2026, 11, 18, 15, 59, 59));
        Assert.False((await world.Verification.QueueAsync(secretary, "fangtang")).Value!.Items.Single().Overdue);
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16));
        Assert.True((await world.Verification.QueueAsync(secretary, "fangtang")).Value!.Items.Single().Overdue);
    }

    [Fact]
    public async Task Pending_items_escalate_to_the_officers_after_24_hours_once()
    {
        await using var world = await CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var report = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);

        world.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await world.Verification.EscalateAsync());
        Assert.Empty((await world.Verification.StreetQueueAsync(officer, "houzhai", escalatedOnly: true)).Value!.Items);

        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await world.Verification.EscalateAsync());
        Assert.Equal(0, await world.Verification.EscalateAsync());

        var escalated = Assert.Single((await world.Verification.StreetQueueAsync(officer, "houzhai", escalatedOnly: true)).Value!.Items);
        Assert.Equal((report.Event.Id, true), (escalated.Event.Id, escalated.Escalated));
        Assert.Equal(FailureKind.Forbidden, (await world.Verification.StreetQueueAsync(await world.StaffAsync("secretary-fangtang"), "houzhai", true)).Failure!.Kind);
    }

    [Fact]
    public async Task A_report_of_friday_evening_does_not_escalate_before_monday_s_working_day_has_run_its_24_h()
    {
        await using var world = await CreateAsync(Local(2026, 11, 20, 17));
        var officer = await world.StaffAsync("officer-1");
        await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);

        world.Clock.SetUtcNow(Local(2026, 11, 21, 17, 1)); // Saturday, 24 h on the wall clock
        Assert.Equal(0, await world.Verification.EscalateAsync());
        world.Clock.SetUtcNow(Local(2026, 11, 23, 16, 59));
        Assert.Equal(0, await world.Verification.EscalateAsync());
        Assert.Empty((await world.Verification.StreetQueueAsync(officer, "houzhai", escalatedOnly: true)).Value!.Items);

        world.Clock.SetUtcNow(Local(2026, 11, 23, 17));
        Assert.Equal(1, await world.Verification.EscalateAsync());
        var item = Assert.Single((await world.Verification.StreetQueueAsync(officer, "houzhai", escalatedOnly: true)).Value!.Items);
        Assert.True(item.Overdue);
    }

    [Fact]
    public async Task An_escalation_is_an_audited_transition_by_the_system_saying_how_long_the_item_waited()
    {
        await using var world = await CreateAsync();
        var report = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);
        world.Clock.Advance(TimeSpan.FromHours(25));
        await world.Verification.EscalateAsync();
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.ApproveAsync(report);

        var history = await world.Verification.HistoryAsync(report.Event.Id);

        Assert.Equal([
            ((string?)null, "Pending", "Status", "landlord-1", (string?)null, Wednesday),
            ("Pending", "Pending", "Escalation", "system", "pending longer than 24 h", Wednesday.AddHours(25)),
            ("Pending", "Approved", "Status", "secretary-fangtang", null, Wednesday.AddHours(26)),
        ], history.Select(t => (t.FromStatus, t.ToStatus, t.Kind, t.ActorId, t.Reason, t.At)));
    }

    [Fact]
    public async Task Instances_escalating_at_once_and_retried_rounds_record_each_escalation_once_and_tell_of_it_once()
    {
        await using var world = await CreateAsync();
        var first = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);
        var second = await world.ObserveAsync("landlord-2", DefaultRules.NotDisinfected);
        world.Clock.Advance(TimeSpan.FromHours(24));
        await using var otherDb = world.AnotherDatabase();
        var other = new Verification(otherDb, world.Clock, world.Notices);

        var counts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? world.Verification : other).EscalateAsync()));
        await world.Verification.EscalateAsync(); // a retried round

        Assert.Equal(2, counts.Sum());
        foreach (var id in new[] { first.Event.Id, second.Event.Id })
            Assert.Single(await world.Verification.HistoryAsync(id), t => t.Kind == "Escalation");
        var told = Assert.Single(world.Notices.Escalations);
        Assert.Equal("houzhai", told.Street);
        Assert.Equal(new[] { first.Event.Id, second.Event.Id }.Order(StringComparer.Ordinal), told.EventIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_decided_item_does_not_escalate()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        world.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await world.Verification.EscalateAsync());
    }

    [Fact]
    public async Task A_late_return_can_be_waived_by_rejecting_it_with_a_reason()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var receipt = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday.AddDays(-2), "chat:late")).Value!;

        var waived = await world.Verification.RejectAsync(await world.StaffAsync("secretary-fangtang"), receipt.Deduction!.Event.Id, "租客手机丢失,情有可原");

        Assert.Equal(EventStatus.Rejected, waived.Value!.Event.Status);
        Assert.Equal(12, (await world.Scores.CardAsync("landlord-1"))!.Balance);
    }

    [Theory]
    [InlineData("\u202e据证片照无")]  // reads as 无照片证据 to the landlord, is stored reversed
    [InlineData("无照片\u200b证据")]
    [InlineData("无照片\u0007")]
    public async Task A_rejection_reason_that_would_read_reordered_or_hide_characters_is_refused_and_the_item_stays_pending(string reason)
    {
        await using var world = await CreateAsync();
        var report = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);

        var outcome = await world.Verification.RejectAsync(await world.StaffAsync("secretary-fangtang"), report.Event.Id, reason);

        Assert.Equal(("text-control", "reason"), (outcome.Failure?.Code, outcome.Failure?.Field));
        Assert.Single(await world.Verification.HistoryAsync(report.Event.Id));
    }

    [Fact]
    public async Task A_rejection_reason_of_500_characters_as_stored_is_taken_though_windows_line_breaks_made_it_longer_as_sent()
    {
        await using var world = await CreateAsync();
        var report = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);
        var stored = string.Join("\n", Enumerable.Repeat("查无此事", 100)) + "。"; // 500 with LF, 599 with CRLF

        var outcome = await world.Verification.RejectAsync(await world.StaffAsync("secretary-fangtang"), report.Event.Id, stored.Replace("\n", "\r\n"));

        Assert.True(outcome.Succeeded, outcome.Failure?.English);
        Assert.Equal(stored, (await world.Verification.HistoryAsync(report.Event.Id))[^1].Reason);
    }

    [Fact]
    public async Task The_queue_flags_an_addition_whose_subject_already_has_the_same_record_that_day()
    {
        await using var world = await CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        // The secretary recorded the landlord's report of 王小明 herself (counted at once); the landlord sends it too.
        var hers = (await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(secretary), "landlord-1", DefaultRules.LandlordReportedViolation, "api:s1", "王小明：不戴口罩"))).Value!;
        world.Clock.Advance(TimeSpan.FromHours(1));
        var copy = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordReportedViolation, evidence: "王小明：不戴口罩");
        var another = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordReportedViolation, evidence: "李娜：乱扔垃圾");

        var items = (await world.Verification.QueueAsync(secretary, "fangtang")).Value!.Items;

        Assert.Equal(new SameDayRecord(hers.Event.Id, EventStatus.Approved), items.Single(i => i.Event.Id == copy.Event.Id).SameDay);
        Assert.Null(items.Single(i => i.Event.Id == another.Event.Id).SameDay);
        // The landlord's receipt of an addition reads nothing more (the chat's hot path): the queue tells whoever decides.
        Assert.Null(copy.SameDay);
    }
}
