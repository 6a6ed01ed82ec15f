using Dapper;
using CsCheck;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

public class ReportingTests
{
    /// <summary>A report with evidence of its own unless given (the same addition again the same day is the one recorded).</summary>
    private static ReportRequest Request(Actor by, string subjectId, string rule, string source, DateTimeOffset? occurredAt = null, string? evidence = null) =>
        new(by, subjectId, rule, source, evidence ?? $"证据 {source}", occurredAt);

    [Fact]
    public async Task A_landlord_s_own_report_lands_pending_with_its_first_audit_line()
    {
        await using var world = await CreateAsync();
        var landlord = await world.SubjectAsync("landlord-1");

        var receipt = (await world.Reporting.ReportAsync(Request(Actor.Of(landlord), "landlord-1", DefaultRules.LandlordMediation, "chat:a1", evidence: " 调解邻里纠纷 "))).Value!;

        Assert.Equal((EventStatus.Pending, +1, ReporterRole.Self, "landlord-1"), (receipt.Event.Status, receipt.Event.Delta, receipt.Event.ReporterRole, receipt.Event.ReporterId));
        Assert.Equal(("调解邻里纠纷", 12, false), (receipt.Event.Evidence, receipt.Balance, receipt.Replayed));
        Assert.Equal((Wednesday, Wednesday), (receipt.Event.OccurredAt, receipt.Event.ReportedAt));
        var audit = Assert.Single(await world.Verification.HistoryAsync(receipt.Event.Id));
        Assert.Equal(((string?)null, "Pending", "landlord-1"), (audit.FromStatus, audit.ToStatus, audit.ActorId));
    }

    [Fact]
    public async Task A_landlord_cannot_report_for_another_landlord()
    {
        await using var world = await CreateAsync();
        var landlord = await world.SubjectAsync("landlord-1");
        var outcome = await world.Reporting.ReportAsync(Request(Actor.Of(landlord), "landlord-2", DefaultRules.LandlordService, "chat:a2"));
        Assert.Equal(FailureKind.Forbidden, outcome.Failure!.Kind);
    }

    [Fact]
    public async Task A_landlord_cannot_report_a_deduction_and_a_grid_worker_cannot_report_a_late_return()
    {
        await using var world = await CreateAsync();
        var landlord = await world.SubjectAsync("landlord-1");
        var gridWorker = await world.StaffAsync("gridworker-1");

        var selfDeduction = await world.Reporting.ReportAsync(Request(Actor.Of(landlord), "landlord-1", DefaultRules.NotDisinfected, "chat:a3"));
        var gridLateReturn = await world.Reporting.ReportAsync(Request(Actor.Of(gridWorker), "landlord-1", DefaultRules.LateReturn, "chat:a4"));

        Assert.Equal(FailureKind.Forbidden, selfDeduction.Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, gridLateReturn.Failure!.Kind);
    }

    [Fact]
    public async Task A_secretary_cannot_record_a_late_return_by_hand_the_rule_is_the_system_s_to_report()
    {
        // Found by the scoring model: the secretary's deduction was approved at once, with no return behind it.
        await using var world = await CreateAsync();
        var secretary = Actor.Of(await world.StaffAsync("secretary-fangtang"));

        var byHand = await world.Reporting.ReportAsync(Request(secretary, "landlord-1", DefaultRules.LateReturn, "api:s-late"));

        Assert.Equal(FailureKind.Forbidden, byHand.Failure?.Kind);
        Assert.Equal(12, (await world.Scores.CardAsync("landlord-1"))!.Balance);
    }

    [Fact]
    public async Task A_rule_an_officer_left_to_the_landlord_alone_is_not_reported_by_their_secretary()
    {
        await using var world = await CreateAsync();
        await world.RulesAsync(r => r.Code == DefaultRules.LandlordMediation ? r with { ReportedBy = [ReporterRole.Self] } : r);
        var secretary = Actor.Of(await world.StaffAsync("secretary-fangtang"));

        var bySecretary = await world.Reporting.ReportAsync(Request(secretary, "landlord-1", DefaultRules.LandlordMediation, "api:s-med"));

        Assert.Equal(FailureKind.Forbidden, bySecretary.Failure?.Kind);
    }

    [Fact]
    public async Task A_grid_worker_s_observation_in_their_community_is_pending_and_outside_it_is_refused()
    {
        await using var world = await CreateAsync();
        var gridWorker = Actor.Of(await world.StaffAsync("gridworker-1")); // fangtang

        var inScope = await world.Reporting.ReportAsync(Request(gridWorker, "landlord-1", DefaultRules.NotDisinfected, "api:g1"));
        var outOfScope = await world.Reporting.ReportAsync(Request(gridWorker, "landlord-4", DefaultRules.NotDisinfected, "api:g2")); // changchun

        Assert.Equal((EventStatus.Pending, -1, ReporterRole.GridWorker), (inScope.Value!.Event.Status, inScope.Value.Event.Delta, inScope.Value.Event.ReporterRole));
        Assert.Equal(FailureKind.Forbidden, outOfScope.Failure!.Kind);
    }

    [Fact]
    public async Task A_secretary_s_own_report_in_their_community_needs_no_second_check_but_elsewhere_is_refused()
    {
        await using var world = await CreateAsync();
        var secretary = Actor.Of(await world.StaffAsync("secretary-fangtang"));

        var own = await world.Reporting.ReportAsync(Request(secretary, "landlord-1", DefaultRules.NotDisinfected, "api:s1"));
        var other = await world.Reporting.ReportAsync(Request(secretary, "landlord-4", DefaultRules.NotDisinfected, "api:s2"));

        Assert.Equal((EventStatus.Approved, 11), (own.Value!.Event.Status, own.Value.Balance));
        Assert.Equal(FailureKind.Forbidden, other.Failure!.Kind);
    }

    [Fact]
    public async Task A_deduction_a_secretary_records_as_their_own_check_alerts_at_once_when_it_leaves_the_balance_at_0()
    {
        await using var world = await CreateAsync();
        await world.DeductAsync("landlord-1", DefaultRules.TenantConcealed);
        Assert.Empty(world.Notices.BalanceAlerts);

        var receipt = await world.DeductAsync("landlord-1", DefaultRules.TenantConcealed);

        Assert.Equal([(receipt.Event.Id, "landlord-1", EventStatus.Approved, 0)], world.Notices.BalanceAlerts);
    }

    [Fact]
    public async Task Unknown_subjects_and_rules_of_the_other_kind_are_refused()
    {
        await using var world = await CreateAsync();
        var officer = Actor.Of(await world.StaffAsync("officer-1"));
        var landlord = await world.SubjectAsync("landlord-1");

        Assert.Equal(("subject-not-found", FailureKind.NotFound), Code(await world.Reporting.ReportAsync(Request(officer, "nobody", DefaultRules.LandlordService, "api:u1"))));
        Assert.Equal(("unknown-rule", FailureKind.Invalid), Code(await world.Reporting.ReportAsync(Request(Actor.Of(landlord), "landlord-1", DefaultRules.ShopReopenHelped, "api:u2"))));
        Assert.Equal(("unknown-rule", FailureKind.Invalid), Code(await world.Reporting.ReportAsync(Request(Actor.Of(landlord), "landlord-1", "no-such-rule", "api:u3"))));
    }

    private static (string, FailureKind) Code<T>(Outcome<T> outcome) => (outcome.Failure!.Code, outcome.Failure.Kind);

    [Fact]
    public async Task A_time_in_the_future_or_more_than_60_days_back_is_refused()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        Assert.Equal("in-future", (await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordMediation, "t1", Wednesday.AddMinutes(6)))).Failure!.Code);
        Assert.Equal("too-old", (await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordMediation, "t2", Wednesday.AddDays(-61)))).Failure!.Code);
        // A phone clock a little ahead, and last month's events, are fine.
        Assert.True((await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordMediation, "t3", Wednesday.AddMinutes(4)))).Succeeded);
        Assert.True((await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordMediation, "t4", Wednesday.AddDays(-59)))).Succeeded);
    }

    [Fact]
    public async Task Evidence_is_limited_in_length()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var outcome = await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordMediation, "e1", evidence: new string('证', Reporting.MaxEvidenceLength + 1)));
        Assert.Equal(("evidence-too-long", FailureKind.Invalid), Code(outcome));
    }

    [Fact]
    public async Task A_repeated_delivery_of_the_same_report_gets_the_first_answer_and_scores_once()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var first = (await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordService, "chat:activity-7"))).Value!;
        world.Clock.Advance(TimeSpan.FromMinutes(3));

        var again = (await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordService, "chat:activity-7"))).Value!;

        Assert.True(again.Replayed);
        Assert.Equal(first.Event.Id, again.Event.Id);
        Assert.Single(await world.Db.ReadAsync(s => s.EventsOfSubjectAsync("landlord-1", DateTimeOffset.MinValue)));
    }

    [Fact]
    public async Task Reusing_a_source_for_a_different_report_is_a_conflict()
    {
        await using var world = await CreateAsync();
        var officer = Actor.Of(await world.StaffAsync("officer-1"));
        Assert.True((await world.Reporting.ReportAsync(Request(officer, "landlord-1", DefaultRules.LandlordService, "req-1"))).Succeeded);

        var otherRule = await world.Reporting.ReportAsync(Request(officer, "landlord-1", DefaultRules.LandlordMediation, "req-1"));
        var otherSubject = await world.Reporting.ReportAsync(Request(officer, "landlord-2", DefaultRules.LandlordService, "req-1"));

        Assert.Equal(("source-reused", FailureKind.Conflict), Code(otherRule));
        Assert.Equal(("source-reused", FailureKind.Conflict), Code(otherSubject));
    }

    [Fact]
    public async Task Someone_else_reusing_a_source_learns_nothing_of_the_first_report()
    {
        await using var world = await CreateAsync();
        var officer = Actor.Of(await world.StaffAsync("officer-1"));
        var secretary = Actor.Of(await world.StaffAsync("secretary-fangtang"));
        Assert.True((await world.Reporting.ReportAsync(Request(officer, "landlord-1", DefaultRules.LandlordService, "req-9"))).Succeeded);

        var reused = await world.Reporting.ReportAsync(Request(secretary, "landlord-1", DefaultRules.LandlordService, "req-9"));

        Assert.Equal(("source-reused", FailureKind.Conflict), Code(reused));
    }

    // ---- weekly caps ----

    [Fact]
    public async Task The_caps_of_2026_W53_and_2027_W01_are_their_own_and_a_refusal_names_the_week_it_is_about()
    {
        await using var world = await CreateAsync(Local(2027, 1, 2, 10)); // Saturday of 2026-W53
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        for (int i = 0; i < 3; i++) await world.SelfReportAsync("landlord-1", DefaultRules.LandlordService);
        world.Clock.SetUtcNow(Local(2027, 1, 4, 9));                       // Monday of 2027-W01

        var thisWeek = await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordService, "w01"));
        var saturday = await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordService, "w53", Local(2027, 1, 2, 15)));

        Assert.True(thisWeek.Succeeded, thisWeek.Failure?.English);
        Assert.Equal(("cap-reached", FailureKind.Conflict), Code(saturday));
        Assert.Equal("「为租客代办」每周最多3次，2026-W53已满。", saturday.Failure!.Chinese); // not 本周, which is 2027-W01 now
    }

    [Fact]
    public async Task A_rejected_report_frees_its_place_under_the_cap()
    {
        await using var world = await CreateAsync();
        var receipts = new List<ReportReceipt>();
        for (int i = 0; i < 3; i++) receipts.Add(await world.SelfReportAsync("landlord-1", DefaultRules.LandlordService));
        Assert.True((await world.Verification.RejectAsync(await world.StaffAsync("secretary-fangtang"), receipts[0].Event.Id, "重复上报")).Succeeded);

        var fourth = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordService);

        Assert.Equal(EventStatus.Pending, fourth.Event.Status);
    }

    [Fact]
    public async Task The_cap_is_per_subject_per_week_of_occurrence()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        for (int i = 0; i < 3; i++) await world.SelfReportAsync("landlord-1", DefaultRules.LandlordService);

        var lastWeek = await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordService, "c1", Wednesday.AddDays(-7)));
        var someoneElse = await world.Reporting.ReportAsync(Request(Actor.Of(await world.SubjectAsync("landlord-2")), "landlord-2", DefaultRules.LandlordService, "c2"));
        var uncapped = await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordMediation, "c3"));
        var capped = await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordService, "c4"));

        Assert.True(lastWeek.Succeeded && someoneElse.Succeeded && uncapped.Succeeded);
        Assert.Equal(("cap-reached", FailureKind.Conflict), Code(capped));
    }

    [Fact]
    public async Task A_shop_head_may_help_three_shops_reopen_a_week()
    {
        await using var world = await CreateAsync();
        var head = Actor.Of(await world.SubjectAsync("shophead-1"));
        for (int i = 0; i < 3; i++) Assert.True((await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, $"r{i}", evidence: $"店{i}"))).Succeeded);
        Assert.Equal("cap-reached", (await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r3", evidence: "店3"))).Failure!.Code);
    }

    [Fact]
    public async Task The_same_shop_written_with_a_full_stop_or_spaces_is_the_same_shop_s_reopening()
    {
        // Typed in chat, a shop's name comes with what a phone's keyboard adds: 饰品店。 is 饰品店, not a second shop to score.
        await using var world = await CreateAsync();
        var head = Actor.Of(await world.SubjectAsync("shophead-1"));
        Assert.True((await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r1", evidence: "饰品店"))).Succeeded);

        var stop = await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r2", evidence: "饰品店。"));
        var spaced = await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r3", evidence: " 饰品 店 "));

        Assert.Equal(("reopen-recorded", FailureKind.Conflict), Code(stop));
        Assert.Equal(("reopen-recorded", FailureKind.Conflict), Code(spaced));
    }

    [Fact]
    public async Task The_same_shop_s_reopening_is_scored_once_a_cycle_whoever_reports_it()
    {
        await using var world = await CreateAsync();
        var head = Actor.Of(await world.SubjectAsync("shophead-1"));
        var secretary = Actor.Of(await world.StaffAsync("secretary-changchun"));
        Assert.True((await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r1", evidence: "饰品店"))).Succeeded);
        world.Clock.Advance(TimeSpan.FromDays(14));

        var again = await world.Reporting.ReportAsync(Request(secretary, "shophead-1", DefaultRules.ShopReopenHelped, "r2", evidence: "饰品店"));

        Assert.Equal(("reopen-recorded", FailureKind.Conflict), Code(again));
    }

    [Fact]
    public async Task A_rule_a_street_scores_once_a_day_is_refused_the_second_time_in_its_own_words_not_those_of_the_missed_round()
    {
        await using var world = await CreateAsync();
        await world.RulesAsync(r => r.Code == DefaultRules.NotDisinfected ? r with { Once = OncePer.SubjectPerDay } : r);
        var worker = Actor.Of(await world.StaffAsync("gridworker-1"));
        Assert.True((await world.Reporting.ReportAsync(Request(worker, "landlord-1", DefaultRules.NotDisinfected, "w1", evidence: "楼道脏"))).Succeeded);

        var again = await world.Reporting.ReportAsync(Request(worker, "landlord-1", DefaultRules.NotDisinfected, "w2", evidence: "楼梯也脏"));

        Assert.Equal(("recorded-once", FailureKind.Conflict), Code(again));
        Assert.Contains("「未按时消毒楼道等公共区域」", again.Failure!.Chinese, StringComparison.Ordinal);
        Assert.Contains("同一天只记一次", again.Failure.Chinese, StringComparison.Ordinal);
        Assert.DoesNotContain("巡查", again.Failure.Chinese, StringComparison.Ordinal);
        Assert.Contains("\"Corridors/common areas not disinfected on schedule\"", again.Failure.English, StringComparison.Ordinal);
        Assert.DoesNotContain("round", again.Failure.English, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_a_street_scores_once_a_cycle_per_what_it_names_is_refused_the_second_time_in_its_own_words_not_those_of_a_reopening()
    {
        await using var world = await CreateAsync();
        await world.RulesAsync(r => r.Code == DefaultRules.LandlordMediation ? r with { Once = OncePer.TargetPerCycle } : r);
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        Assert.True((await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordMediation, "m1", evidence: "3号楼纠纷"))).Succeeded);
        world.Clock.Advance(TimeSpan.FromDays(1)); // the same day, it is the one recorded

        var again = await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordMediation, "m2", evidence: "3号楼纠纷"));

        Assert.Equal(("recorded-once", FailureKind.Conflict), Code(again));
        Assert.Contains("「参与矛盾调解」", again.Failure!.Chinese, StringComparison.Ordinal);
        Assert.Contains("3号楼纠纷", again.Failure.Chinese, StringComparison.Ordinal);
        Assert.DoesNotContain("复工", again.Failure.Chinese, StringComparison.Ordinal);
        Assert.DoesNotContain("店铺", again.Failure.Chinese, StringComparison.Ordinal);
        Assert.DoesNotContain("reopen", again.Failure.English, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reopen_rule_a_street_renamed_still_scores_the_same_shop_once_a_cycle()
    {
        await using var world = await CreateAsync();
        await world.RulesAsync(r => r.Code == DefaultRules.ShopReopenHelped ? r with { Code = "shop-reopened" } : r);
        var head = Actor.Of(await world.SubjectAsync("shophead-1"));
        Assert.True((await world.Reporting.ReportAsync(Request(head, "shophead-1", "shop-reopened", "r1", evidence: "饰品店"))).Succeeded);
        world.Clock.Advance(TimeSpan.FromDays(1)); // the same day, it is the one recorded

        var again = await world.Reporting.ReportAsync(Request(head, "shophead-1", "shop-reopened", "r2", evidence: "饰品店"));

        Assert.Equal(("reopen-recorded", FailureKind.Conflict), Code(again));
        Assert.Contains("同一家店铺只记一次", again.Failure!.Chinese, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_not_scored_once_takes_the_same_evidence_again_even_under_the_default_reopen_code()
    {
        // Whether a rule scores its target once is the rule's to say: the street dropped it, so the code alone protects nothing.
        await using var world = await CreateAsync();
        await world.RulesAsync(r => r.Code == DefaultRules.ShopReopenHelped ? r with { Once = null } : r);
        var head = Actor.Of(await world.SubjectAsync("shophead-1"));
        Assert.True((await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r1", evidence: "饰品店"))).Succeeded);

        var again = await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r2", evidence: "饰品店"));

        Assert.True(again.Succeeded, again.Failure?.English);
    }

    private enum Then { Nothing, Approve, Reject }

    [Fact]
    public async Task Caps_are_never_exceeded_whatever_the_sequence_of_reports_and_decisions()
    {
        string[] subjects = ["landlord-1", "landlord-2"];
        string[] rules = [DefaultRules.LandlordService, DefaultRules.LandlordMediation];
        // Mostly the capped rule, over two weeks (W46 and the start of W47), so the cap is often reached.
        var step = Gen.Select(Gen.Int[0, 1], Gen.Frequency((3, 0), (1, 1)), Gen.Int[0, 9], Gen.Enum<Then>());

        await step.Array[1, 12].SampleAsync(async steps =>
        {
            await using var world = await CreateAsync();
            var secretary = await world.StaffAsync("secretary-fangtang");
            var actors = new[] { Actor.Of(await world.SubjectAsync(subjects[0])), Actor.Of(await world.SubjectAsync(subjects[1])) };
            int n = 0;
            foreach (var (subject, rule, daysBack, then) in steps)
            {
                var outcome = await world.Reporting.ReportAsync(Request(actors[subject], subjects[subject], rules[rule], $"p{n++}", Wednesday.AddDays(-daysBack)));
                Assert.True(outcome.Succeeded || outcome.Failure!.Code == "cap-reached", outcome.Failure?.English);
                if (outcome.Succeeded && then == Then.Approve) Assert.True((await world.Verification.ApproveAsync(secretary, outcome.Value!.Event.Id)).Succeeded);
                if (outcome.Succeeded && then == Then.Reject) Assert.True((await world.Verification.RejectAsync(secretary, outcome.Value!.Event.Id, "不符")).Succeeded);
                if (!outcome.Succeeded)
                {
                    // Refused only when the week is really full.
                    var week = IsoWeek.Containing(Wednesday.AddDays(-daysBack), Shanghai).ToString();
                    Assert.Equal(3, await world.Db.ReadAsync(s => s.CountUnderRuleInWeekAsync(subjects[subject], rules[rule], week)));
                }
            }
            foreach (var subject in subjects)
            {
                var live = (await world.Db.ReadAsync(s => s.EventsOfSubjectAsync(subject, DateTimeOffset.MinValue)))
                    .Where(e => e.RuleCode == DefaultRules.LandlordService && e.Status is EventStatus.Pending or EventStatus.Approved);
                Assert.All(live.GroupBy(e => IsoWeek.Containing(e.OccurredAt, Shanghai)), week => Assert.True(week.Count() <= 3, $"{subject} has {week.Count()} in {week.Key}"));
            }
        }, iter: 20, threads: 1);
    }

    // ---- tenant returns ----

    [Fact]
    public async Task A_return_reported_within_a_day_costs_nothing()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        var receipt = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday.AddHours(-23), "chat:r1")).Value!;

        Assert.False(receipt.Late);
        Assert.Null(receipt.Deduction);
        Assert.Equal(12, receipt.Balance);
        Assert.Empty(await world.Db.ReadAsync(s => s.EventsOfSubjectAsync("landlord-1", DateTimeOffset.MinValue)));
    }

    [Theory]
    [InlineData(-23)] // in time: it used to be recorded
    [InlineData(-48)] // late: refused, as its deduction is
    public async Task A_landlord_taken_off_the_roster_has_a_return_refused_whether_in_time_or_late(int hoursBeforeNow)
    {
        await using var world = await CreateAsync();
        Assert.True((await new Scoring.Application.Rosters(world.Db, world.Clock).DeactivateSubjectAsync(await world.StaffAsync("officer-1"), "landlord-1")).Succeeded);
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        var outcome = await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday.AddHours(hoursBeforeNow), "chat:off");

        Assert.Equal("subject-not-found", outcome.Failure?.Code);
        Assert.Equal(0, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM tenant_returns", transaction: s.Transaction)));
    }

    [Fact]
    public async Task A_landlord_brought_back_to_the_roster_has_the_window_of_a_return_while_off_it_counted_from_when_they_were_back()
    {
        // Off the roster every report of theirs is refused: a tenant who came back meanwhile could not be reported, and
        // counting the 24 h from the arrival charged −2 for a report there was no way to make.
        await using var world = await CreateAsync();
        var rosters = new Scoring.Application.Rosters(world.Db, world.Clock);
        var officer = await world.StaffAsync("officer-1");
        Assert.True((await rosters.DeactivateSubjectAsync(officer, "landlord-1")).Succeeded);
        world.Clock.Advance(TimeSpan.FromDays(3));
        Assert.True((await rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Active: true))).Succeeded);
        world.Clock.Advance(TimeSpan.FromHours(5));
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        var whileOff = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday.AddDays(1), "chat:while-off")).Value!;
        world.Clock.Advance(TimeSpan.FromDays(1)); // 29 h after they were back
        var tooLong = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t2", Wednesday.AddDays(1), "chat:too-long")).Value!;

        Assert.False(whileOff.Late);
        Assert.Equal(Wednesday.AddDays(4), whileOff.DueAt); // back on Saturday 09:00, 24 h from then
        Assert.True(tooLong.Late);
        Assert.Equal(Wednesday.AddDays(4), tooLong.Deduction!.Event.OccurredAt);
    }

    [Fact]
    public async Task A_landlord_taken_off_and_back_on_the_roster_is_still_late_for_a_return_due_before()
    {
        // Only an arrival while off the roster waits for their return: off and back on for a minute waives nothing that
        // fell due while they were on it (only a secretary's rejection with a reason does).
        await using var world = await CreateAsync();
        var rosters = new Scoring.Application.Rosters(world.Db, world.Clock);
        var secretary = await world.StaffAsync("secretary-fangtang");
        Assert.True((await rosters.UpdateSubjectAsync(secretary, "landlord-1", new SubjectDraft(Active: false))).Succeeded);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await rosters.UpdateSubjectAsync(secretary, "landlord-1", new SubjectDraft(Active: true))).Succeeded);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        // Back on Sunday 09:00, due Monday 09:00; reported on Wednesday.
        var receipt = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Local(2026, 11, 15, 9), "chat:ret1")).Value!;

        Assert.True(receipt.Late);
        Assert.Equal(Local(2026, 11, 16, 9), receipt.DueAt);
        Assert.Equal(Local(2026, 11, 16, 9), receipt.Deduction!.Event.OccurredAt);
    }

    [Fact]
    public async Task A_tenant_the_office_registers_after_the_arrival_has_the_window_counted_from_when_they_were_listed()
    {
        // Before the office adds the tenant, the landlord's report is refused: the 24 h counted from the arrival charged −2
        // for a report he tried to make in time.
        await using var world = await CreateAsync();
        var rosters = new Scoring.Application.Rosters(world.Db, world.Clock);
        world.Clock.Advance(TimeSpan.FromDays(2)); // Friday 09:00
        var added = (await rosters.AddTenantAsync(await world.StaffAsync("secretary-fangtang"), "landlord-1", new HoldingDraft(Name: "赵六", Room: "103"))).Value!;
        world.Clock.Advance(TimeSpan.FromHours(1));
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        var receipt = (await world.Reporting.ReportReturnAsync(landlord, added.Id, Wednesday.AddHours(-1), "chat:listed-late")).Value!;

        Assert.Equal(Wednesday.AddDays(2), (await world.Db.ReadAsync(s => s.GetTenantAsync(added.Id)))!.ListedAt);
        Assert.False(receipt.Late);
        Assert.Equal(Wednesday.AddDays(3), receipt.DueAt); // listed Friday 09:00, 24 h from then
    }

    [Fact]
    public async Task A_tenant_taken_off_and_put_back_after_the_arrival_is_in_time_until_a_window_after_they_were_put_back()
    {
        await using var world = await CreateAsync();
        var rosters = new Scoring.Application.Rosters(world.Db, world.Clock);
        var secretary = await world.StaffAsync("secretary-fangtang");
        Assert.True((await rosters.DeactivateTenantAsync(secretary, "landlord-1-t1")).Succeeded);
        Assert.True((await rosters.DeactivateTenantAsync(secretary, "landlord-1-t2")).Succeeded);
        world.Clock.Advance(TimeSpan.FromDays(2)); // Friday 09:00: both back on the list
        Assert.True((await rosters.UpdateTenantAsync(secretary, "landlord-1-t1", new HoldingDraft(Active: true))).Succeeded);
        Assert.True((await rosters.UpdateTenantAsync(secretary, "landlord-1-t2", new HoldingDraft(Active: true))).Succeeded);
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        world.Clock.Advance(TimeSpan.FromHours(23));
        var inTime = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday, "chat:back-in-time")).Value!;
        world.Clock.Advance(TimeSpan.FromHours(2)); // 25 h after they were put back
        var late = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t2", Wednesday, "chat:back-late")).Value!;

        Assert.False(inTime.Late);
        Assert.True(late.Late);
        Assert.Equal(Wednesday.AddDays(3), late.Deduction!.Event.OccurredAt);
    }

    [Fact]
    public async Task A_late_return_of_a_tenant_taken_off_and_put_back_after_it_fell_due_stays_late()
    {
        // On the list when they arrived and all the while the return could have been reported: a clerk's minute off the
        // list must not make it in time again (as for a landlord off the roster).
        await using var world = await CreateAsync();
        var rosters = new Scoring.Application.Rosters(world.Db, world.Clock);
        var secretary = await world.StaffAsync("secretary-fangtang");
        world.Clock.Advance(TimeSpan.FromDays(2)); // Friday 09:00: Wednesday's return long due
        Assert.True((await rosters.DeactivateTenantAsync(secretary, "landlord-1-t1")).Succeeded);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await rosters.UpdateTenantAsync(secretary, "landlord-1-t1", new HoldingDraft(Active: true))).Succeeded);
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        var toggled = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday, "chat:toggled")).Value!;
        var untouched = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t2", Wednesday, "chat:untouched")).Value!;

        Assert.True(untouched.Late);
        Assert.True(toggled.Late);
        Assert.Equal(Wednesday.AddDays(1), toggled.DueAt);
    }

    [Fact]
    public async Task A_return_reported_late_is_a_pending_deduction_that_occurred_when_it_fell_due()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        var receipt = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Local(2026, 11, 16, 8, 30), "chat:late")).Value!;

        Assert.True(receipt.Late);
        var late = receipt.Deduction!.Event;
        Assert.Equal((DefaultRules.LateReturn, -2, EventStatus.Pending, ReporterRole.System, Local(2026, 11, 17, 8, 30)),
            (late.RuleCode, late.Delta, late.Status, late.ReporterRole, late.OccurredAt));
    }

    [Fact]
    public async Task The_same_return_reported_again_in_another_message_is_recorded_and_deducted_once()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var first = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Local(2026, 11, 16, 8, 30), "chat:first")).Value!;
        world.Clock.Advance(TimeSpan.FromMinutes(3));

        var again = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Local(2026, 11, 16, 8, 30), "chat:again")).Value!;
        var later = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Local(2026, 11, 18, 7, 0), "chat:next-trip")).Value!;

        Assert.True(again.AlreadyRecorded);
        Assert.Equal(first.Deduction!.Event.Id, again.Deduction!.Event.Id);
        Assert.False(later.AlreadyRecorded); // another arrival is another return
        var events = await world.Db.ReadAsync(s => s.EventsOfSubjectAsync("landlord-1", DateTimeOffset.MinValue));
        Assert.Single(events, e => e.RuleCode == DefaultRules.LateReturn);
    }

    [Fact]
    public async Task A_grid_worker_given_a_grid_reports_on_its_landlords_and_is_refused_one_outside_it()
    {
        await using var world = await CreateAsync();
        await world.Db.WriteAsync(async s =>
        {
            await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-1"))! with { GridId = "fangtang-1" }, world.Clock.GetUtcNow());
            await s.UpdateStaffAsync((await s.GetStaffAsync("gridworker-1"))! with { GridIds = ["fangtang-1"] });
        });
        var worker = Actor.Of(await world.StaffAsync("gridworker-1"));

        var inGrid = await world.Reporting.ReportAsync(new ReportRequest(worker, "landlord-1", DefaultRules.NotDisinfected, "test:in", "3楼楼道"));
        var outside = await world.Reporting.ReportAsync(new ReportRequest(worker, "landlord-2", DefaultRules.NotDisinfected, "test:out", "5楼楼道"));

        Assert.True(inGrid.Succeeded, inGrid.Failure?.English);
        Assert.Equal(FailureKind.Forbidden, outside.Failure?.Kind);
        Assert.Contains("网格", outside.Failure!.Chinese);
    }

    [Fact]
    public async Task A_grid_worker_refused_a_landlord_outside_their_grids_is_not_told_the_landlords_name()
    {
        await using var world = await CreateAsync();
        await world.Db.WriteAsync(async s =>
            await s.UpdateStaffAsync((await s.GetStaffAsync("gridworker-1"))! with { GridIds = ["fangtang-1"] }));
        var worker = Actor.Of(await world.StaffAsync("gridworker-1"));
        var outsider = await world.SubjectAsync("landlord-2");

        // The worker may not read this landlord (Rosters.CanRead), so an id tried must not be answered with a name.
        var outside = await world.Reporting.ReportAsync(new ReportRequest(worker, outsider.Id, DefaultRules.NotDisinfected, "test:out", "5楼楼道"));

        Assert.Equal(FailureKind.Forbidden, outside.Failure?.Kind);
        Assert.DoesNotContain(outsider.Name, outside.Failure!.English);
        Assert.DoesNotContain(outsider.Name, outside.Failure.Chinese);
        Assert.Contains("网格", outside.Failure.Chinese);
    }

    [Fact]
    public async Task A_return_message_replayed_after_the_street_changed_its_late_window_gets_its_first_answer()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var officer = await world.StaffAsync("officer-1");
        var inTime = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday.AddHours(-20), "chat:in-time")).Value!;
        var late = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t2", Local(2026, 11, 16, 8, 30), "chat:late")).Value!;

        await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(officer, "houzhai", new SettingsDraft(LateReturnWindowHours: 12));
        var inTimeAgain = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday.AddHours(-20), "chat:in-time")).Value!;
        await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(officer, "houzhai", new SettingsDraft(LateReturnWindowHours: 72));
        var lateAgain = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t2", Local(2026, 11, 16, 8, 30), "chat:late")).Value!;

        Assert.Equal((false, inTime.DueAt), (inTimeAgain.Late, inTimeAgain.DueAt));
        Assert.Equal((true, late.DueAt, late.Deduction!.Event.Id), (lateAgain.Late, lateAgain.DueAt, lateAgain.Deduction?.Event.Id));
    }

    [Fact]
    public async Task A_late_window_shortened_after_a_tenant_arrived_does_not_make_that_return_late_the_one_in_force_at_the_arrival_counts()
    {
        await using var world = await CreateAsync(Local(2026, 11, 16, 9));
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var officer = await world.StaffAsync("officer-1");
        var settings = new StreetSettingsBook(world.Db, world.Clock);
        await settings.ChangeAsync(officer, "houzhai", new SettingsDraft(LateReturnWindowHours: 48));
        world.Clock.SetUtcNow(Local(2026, 11, 18, 9)); // Wednesday 09:00: the office shortens the window to 24 h
        await settings.ChangeAsync(officer, "houzhai", new SettingsDraft(LateReturnWindowHours: 24));
        world.Clock.SetUtcNow(Local(2026, 11, 18, 12));

        // Back on Tuesday 08:00 under 48 h: due on Thursday 08:00, not on Wednesday 08:00, an hour before the change was made.
        var before = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Local(2026, 11, 17, 8), "chat:before")).Value!;
        world.Clock.SetUtcNow(Local(2026, 11, 19, 11));
        var after = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t2", Local(2026, 11, 18, 10), "chat:after")).Value!;

        Assert.Equal((false, Local(2026, 11, 19, 8), null), (before.Late, before.DueAt, before.Deduction));
        Assert.Equal((true, Local(2026, 11, 19, 10)), (after.Late, after.DueAt));
    }

    [Fact]
    public async Task A_return_reported_in_time_and_sent_again_days_later_is_not_charged_as_late()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var arrival = Local(2026, 11, 18, 7, 30); // reported at 09:00, in time
        var first = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", arrival, "chat:in-time")).Value!;
        world.Clock.Advance(TimeSpan.FromDays(2));

        var again = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", arrival, "chat:sent-again")).Value!;

        Assert.False(first.Late);
        Assert.Equal((true, false, null), (again.AlreadyRecorded, again.Late, again.Deduction));
        var events = await world.Db.ReadAsync(s => s.EventsOfSubjectAsync("landlord-1", DateTimeOffset.MinValue));
        Assert.DoesNotContain(events, e => e.RuleCode == DefaultRules.LateReturn);
    }

    [Fact]
    public async Task A_return_reported_with_an_arrival_a_minute_ahead_of_the_clock_and_sent_again_days_later_is_not_charged_as_late()
    {
        // Found by the scoring model: the first report came before the arrival it gave (a phone's clock a minute fast,
        // which a report may be), so the copy did not find it among the reports made between the arrival and its due time.
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var arrival = Wednesday.AddMinutes(1);
        var first = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", arrival, "chat:early")).Value!;
        world.Clock.Advance(TimeSpan.FromDays(4));

        var again = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", arrival, "chat:sent-again")).Value!;

        Assert.False(first.Late);
        Assert.Equal((true, false, null), (again.AlreadyRecorded, again.Late, again.Deduction));
        Assert.Equal(12, (await world.Scores.CardAsync("landlord-1"))!.Balance);
        var events = await world.Db.ReadAsync(s => s.EventsOfSubjectAsync("landlord-1", DateTimeOffset.MinValue));
        Assert.DoesNotContain(events, e => e.RuleCode == DefaultRules.LateReturn);
    }

    [Fact]
    public async Task A_return_reported_months_late_is_charged_in_the_week_it_fell_due_not_in_today_s()
    {
        await using var world = await CreateAsync(Local(2027, 1, 13, 9)); // Wednesday of 2027-W02
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        // Arrived in 2026-W44, so the return fell due on 2026-11-02 10:00, in the 2026 cycle.
        var receipt = (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Local(2026, 11, 1, 10), "chat:very-late")).Value!;
        await world.ApproveAsync(receipt.Deduction!);

        Assert.Equal(Local(2026, 11, 2, 10), receipt.Deduction!.Event.OccurredAt);
        Assert.Equal(12, (await world.Scores.CardAsync("landlord-1"))!.Balance); // the failure belongs to 2026's cycle, not to 2027's
    }

    [Fact]
    public async Task An_arrival_more_than_a_year_back_is_refused_as_a_slip_of_the_date()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        var typo = await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday.AddYears(-1).AddMinutes(-1), "chat:2025");
        var elevenMonths = await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t2", Wednesday.AddMonths(-11), "chat:11-months");

        Assert.Equal(("too-old", FailureKind.Invalid), Code(typo));
        Assert.Null(await world.Db.ReadAsync(s => s.GetTenantReturnBySourceAsync("chat:2025")));
        Assert.True(elevenMonths.Succeeded, elevenMonths.Failure?.English);
        Assert.Equal(Wednesday.AddMonths(-11).AddDays(1), elevenMonths.Value!.Deduction!.Event.OccurredAt);
    }

    public static TheoryData<string> StreetsWhoseRulesDeductNothingForALateReturn => ["no late-return rule", "late returns not the system's to report", "the weekly cap reached"];

    [Theory]
    [MemberData(nameof(StreetsWhoseRulesDeductNothingForALateReturn))]
    public async Task A_late_return_is_still_recorded_when_the_street_s_rules_deduct_nothing_for_it(string street)
    {
        await using var world = await CreateAsync();
        await world.RulesAsync(r => r.Code != DefaultRules.LateReturn ? r : street switch
        {
            "no late-return rule" => null,
            "late returns not the system's to report" => r with { ReportedBy = [ReporterRole.GridWorker] },
            _ => r with { WeeklyCap = 1 },
        });
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        if (street == "the weekly cap reached")
            Assert.NotNull((await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t2", Local(2026, 11, 16, 8), "chat:first-late")).Value!.Deduction);

        var outcome = await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Local(2026, 11, 16, 8, 30), "chat:late");

        Assert.True(outcome.Succeeded, outcome.Failure?.English);
        Assert.True(outcome.Value!.Late);
        Assert.Null(outcome.Value.Deduction);
        var recorded = await world.Db.ReadAsync(s => s.GetTenantReturnBySourceAsync("chat:late"));
        Assert.Equal(("landlord-1-t1", (string?)null), (recorded!.TenantId, recorded.LateEventId));
        Assert.Equal(street == "the weekly cap reached" ? 1 : 0, (await world.Db.ReadAsync(s => s.EventsOfSubjectAsync("landlord-1", DateTimeOffset.MinValue))).Count);
    }

    [Fact]
    public async Task A_return_of_someone_else_s_tenant_or_from_the_future_is_refused()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        Assert.Equal("tenant-not-found", (await world.Reporting.ReportReturnAsync(landlord, "landlord-2-t1", Wednesday.AddHours(-1), "r1")).Failure!.Code);
        Assert.Equal("in-future", (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday.AddHours(1), "r2")).Failure!.Code);
    }

    [Fact]
    public async Task A_round_reported_after_the_deadline_on_a_holiday_the_street_lets_off_is_not_late()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 16, 30));
        await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(await world.StaffAsync("officer-1"), "houzhai",
            new SettingsDraft(Holidays: ["2026-11-18"], RoundsOnHolidays: false));

        var receipt = await world.Reporting.ReportRoundAsync(Actor.Of(await world.SubjectAsync("shophead-1")), "chat:holiday-round");

        // Nothing is owed that day, so the chat must not say a missed round will still be charged.
        Assert.Equal(new RoundReceipt(new DateOnly(2026, 11, 18), Late: false, Missed: null, AlreadyReportedAt: null, Local(2026, 11, 18, 16), ChargeToCome: false), receipt.Value);
    }

    [Fact]
    public async Task Daily_rounds_are_for_shop_heads()
    {
        await using var world = await CreateAsync();
        var outcome = await world.Reporting.ReportRoundAsync(Actor.Of(await world.SubjectAsync("landlord-1")), "round:1");
        Assert.Equal(FailureKind.Forbidden, outcome.Failure!.Kind);

        var head = await world.Reporting.ReportRoundAsync(Actor.Of(await world.SubjectAsync("shophead-1")), "round:2");
        Assert.Equal(new RoundReceipt(new DateOnly(2026, 11, 18), Late: false, Missed: null, AlreadyReportedAt: null, Local(2026, 11, 18, 16), ChargeToCome: false), head.Value);
    }

    [Fact]
    public async Task Evidence_that_a_right_to_left_override_would_show_reversed_is_refused_and_evidence_with_emoji_is_kept()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        var reversed = await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordMediation, "x1", evidence: "调解了\u202e架吵邻两"));
        var emoji = await world.Reporting.ReportAsync(Request(landlord, "landlord-1", DefaultRules.LandlordMediation, "x2", evidence: "两家和好了👨\u200d👩\u200d👧\r\n下次再聚"));

        Assert.Equal(("text-control", FailureKind.Invalid), Code(reversed));
        Assert.Equal("evidence", reversed.Failure!.Field);
        Assert.Equal("两家和好了👨\u200d👩\u200d👧\n下次再聚", emoji.Value!.Event.Evidence);
    }

    [Fact]
    public async Task A_landlord_reporting_the_same_tenant_s_violation_again_the_same_day_is_told_it_is_recorded_once()
    {
        await using var world = await CreateAsync();
        var landlord = await world.SubjectAsync("landlord-1");
        ReportRequest Sent(string source) =>
            Request(Actor.Of(landlord), "landlord-1", DefaultRules.LandlordReportedViolation, source, evidence: "王小明：不戴口罩") with { SameRecentlyIsRetry = true };

        var first = (await world.Reporting.ReportAsync(Sent("chat:v1"))).Value!;
        world.Clock.Advance(TimeSpan.FromHours(3));
        var again = (await world.Reporting.ReportAsync(Sent("chat:v2"))).Value!;
        var other = (await world.Reporting.ReportAsync(Sent("chat:v3") with { Evidence = "王小明：乱扔垃圾" })).Value!;
        world.Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = (await world.Reporting.ReportAsync(Sent("chat:v4"))).Value!;

        Assert.Equal((true, true, first.Event.Id, EventStatus.Pending), (again.AlreadyRecorded, again.Replayed, again.Event.Id, again.Event.Status));
        Assert.False(other.Replayed);
        Assert.Equal((false, false), (nextDay.AlreadyRecorded, nextDay.Event.Id == first.Event.Id));
        Assert.Equal(3, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM score_events")));
    }

    [Fact]
    public async Task The_same_addition_sent_through_the_api_again_the_same_day_with_another_key_is_the_record_already_made()
    {
        await using var world = await CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");

        var first = (await world.Reporting.ReportAsync(Request(Actor.Of(secretary), "landlord-1", DefaultRules.LandlordMediation, "api:k1", evidence: "调解3楼邻里纠纷"))).Value!;
        world.Clock.Advance(TimeSpan.FromMinutes(30));
        var again = (await world.Reporting.ReportAsync(Request(Actor.Of(secretary), "landlord-1", DefaultRules.LandlordMediation, "api:k2", evidence: "调解3楼邻里纠纷"))).Value!;
        // A deduction alike is not an addition: it is recorded, and its receipt names the first (the same-day hint).
        var deduction = (await world.Reporting.ReportAsync(Request(Actor.Of(secretary), "landlord-1", DefaultRules.NotDisinfected, "api:k3", evidence: "楼道脏"))).Value!;
        var deductedAgain = (await world.Reporting.ReportAsync(Request(Actor.Of(secretary), "landlord-1", DefaultRules.NotDisinfected, "api:k4", evidence: "楼道脏"))).Value!;

        Assert.Equal((true, first.Event.Id, EventStatus.Approved), (again.AlreadyRecorded, again.Event.Id, again.Event.Status));
        Assert.Equal(13, (await world.Scores.CardAsync("landlord-1"))!.Balance - (deduction.Event.Delta + deductedAgain.Event.Delta));
        Assert.Equal(deduction.Event.Id, deductedAgain.SameDay?.Id);
    }

    [Fact]
    public async Task Reopening_a_renamed_shop_in_the_same_cycle_is_refused_as_recorded()
    {
        await using var world = await CreateAsync();
        var head = Actor.Of(await world.SubjectAsync("shophead-1"));
        var rosters = new Application.Rosters(world.Db, world.Clock);
        var shop = (await world.Db.ReadAsync(s => s.ListShopsAsync("shophead-1"))).Single(x => x.Name == "汽配一号店");
        var first = (await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r1", evidence: "汽配一号店"))).Value!;
        Assert.True((await rosters.UpdateShopAsync(await world.StaffAsync("secretary-changchun"), shop.Id, new HoldingDraft(Name: "汽配一号店（新）"))).Succeeded);
        world.Clock.Advance(TimeSpan.FromDays(1));

        var renamed = await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r2", evidence: "汽配一号店（新）"));
        var another = await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r3", evidence: "汽配二号店"));

        Assert.Equal(("reopen-recorded", FailureKind.Conflict), Code(renamed));
        Assert.Contains(first.Event.Id, renamed.Failure!.Chinese, StringComparison.Ordinal);
        Assert.True(another.Succeeded, another.Failure?.English);
    }

    [Fact]
    public async Task A_shop_given_to_another_head_is_not_scored_for_reopening_again_in_the_cycle()
    {
        await using var world = await CreateAsync();
        var shop = (await world.Db.ReadAsync(s => s.ListShopsAsync("shophead-1"))).Single(x => x.Name == "饰品店");
        Assert.True((await world.Reporting.ReportAsync(Request(Actor.Of(await world.SubjectAsync("shophead-1")), "shophead-1", DefaultRules.ShopReopenHelped, "r1", evidence: "饰品店"))).Succeeded);
        // As a roster import gives a shop to another head.
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync("UPDATE shops SET subject_id = 'shophead-2' WHERE id = @id", new { id = shop.Id }, s.Transaction));
        world.Clock.Advance(TimeSpan.FromDays(1));

        var again = await world.Reporting.ReportAsync(Request(Actor.Of(await world.SubjectAsync("shophead-2")), "shophead-2", DefaultRules.ShopReopenHelped, "r2", evidence: "饰品店"));

        Assert.Equal(("reopen-recorded", FailureKind.Conflict), Code(again));
    }

    [Fact]
    public async Task A_reopening_recorded_before_shops_were_kept_on_events_still_refuses_the_same_name_again()
    {
        await using var world = await CreateAsync();
        var head = Actor.Of(await world.SubjectAsync("shophead-1"));
        var first = (await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r1", evidence: "汽配二号店"))).Value!;
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync("UPDATE score_events SET target_id = NULL WHERE id = @id", new { id = first.Event.Id }, s.Transaction));
        world.Clock.Advance(TimeSpan.FromDays(1));

        var again = await world.Reporting.ReportAsync(Request(head, "shophead-1", DefaultRules.ShopReopenHelped, "r2", evidence: "汽配二号店。"));

        Assert.Equal(("reopen-recorded", FailureKind.Conflict), Code(again));
    }
}
