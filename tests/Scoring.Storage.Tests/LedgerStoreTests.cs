using CsCheck;
using Dapper;
using Microsoft.Data.Sqlite;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;
using static Scoring.Storage.Tests.StorageWorld;

namespace Scoring.Storage.Tests;

public class LedgerStoreTests
{
    private static readonly DialectSql RawEvent = DialectSql.Both("SELECT occurred_at AS OccurredAt, status AS Status, reporter_role AS ReporterRole FROM score_events WHERE id = @id");

    private sealed class RawRow { public string OccurredAt { get; init; } = ""; public string Status { get; init; } = ""; public string ReporterRole { get; init; } = ""; }

    [Fact]
    public async Task A_second_event_with_the_same_source_is_refused_as_a_unique_violation()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.InsertAsync(Event("houzhai", "landlord-1", +1, Wednesday, source: "chat:activity-42"));

        var error = await Assert.ThrowsAsync<SqliteException>(() => world.InsertAsync(Event("houzhai", "landlord-1", +1, Wednesday, source: "chat:activity-42")));

        Assert.True(TransientFaults.IsUniqueViolation(error));
        Assert.False(TransientFaults.IsTransient(error));
        Assert.Single(await world.Db.ReadAsync(s => s.EventsOfSubjectAsync("landlord-1", DateTimeOffset.MinValue)));
    }

    [Fact]
    public async Task Other_constraint_failures_are_not_mistaken_for_a_repeated_source()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");

        // No such subject: a foreign-key failure, also SQLITE_CONSTRAINT but not a unique violation.
        var error = await Assert.ThrowsAsync<SqliteException>(() => world.InsertAsync(Event("houzhai", "nobody", +1, Wednesday)));

        Assert.Equal(19, error.SqliteErrorCode);
        Assert.False(TransientFaults.IsUniqueViolation(error));
    }

    [Fact]
    public async Task Times_come_back_as_the_same_instant_to_the_tick_and_are_stored_as_sortable_UTC_text()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        var occurred = new DateTimeOffset(2026, 11, 18, 9, 30, 15, TimeSpan.FromHours(8)).AddTicks(1234567);
        var e = Event("houzhai", "landlord-1", -2, occurred);
        await world.InsertAsync(e);

        var back = (await world.Db.ReadAsync(s => s.GetEventAsync(e.Id)))!;
        var raw = (await world.Db.ReadAsync(s => s.FirstOrDefaultAsync<RawRow>(RawEvent, new { id = e.Id })))!;

        Assert.Equal(occurred.UtcTicks, back.OccurredAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, back.OccurredAt.Offset);
        Assert.Equal("2026-11-18T01:30:15.1234567Z", raw.OccurredAt);
    }

    [Fact]
    public async Task Time_ranges_in_SQL_compare_instants_whatever_offset_a_time_was_written_with()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        var mondayMorningLocal = new DateTimeOffset(2026, 11, 16, 7, 0, 0, TimeSpan.FromHours(8)); // 2026-11-15 23:00 UTC
        await world.InsertAsync(Event("houzhai", "landlord-1", +2, mondayMorningLocal));
        var justAfter = new DateTimeOffset(2026, 11, 15, 23, 30, 0, TimeSpan.Zero);
        var justBefore = new DateTimeOffset(2026, 11, 15, 22, 30, 0, TimeSpan.Zero);

        Assert.Equal(0, await world.Db.ReadAsync(s => s.SumApprovedAsync("landlord-1", justAfter, justAfter.AddDays(7))));
        Assert.Equal(2, await world.Db.ReadAsync(s => s.SumApprovedAsync("landlord-1", justBefore, justAfter)));
        Assert.Empty(await world.Db.ReadAsync(s => s.EventsOfSubjectAsync("landlord-1", justAfter)));
    }

    [Fact]
    public async Task Statuses_and_roles_are_stored_by_name_and_read_back_as_enums()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        var e = Event("houzhai", "landlord-1", -2, Wednesday, EventStatus.Pending) with { ReporterRole = ReporterRole.GridWorker, EscalatedAt = null };
        await world.InsertAsync(e);

        var back = (await world.Db.ReadAsync(s => s.GetEventAsync(e.Id)))!;
        var raw = (await world.Db.ReadAsync(s => s.FirstOrDefaultAsync<RawRow>(RawEvent, new { id = e.Id })))!;

        Assert.Equal((EventStatus.Pending, ReporterRole.GridWorker, (DateTimeOffset?)null), (back.Status, back.ReporterRole, back.EscalatedAt));
        Assert.Equal(("Pending", "GridWorker"), (raw.Status, raw.ReporterRole));
        Assert.Equal(e, back);
    }

    [Fact]
    public async Task A_move_happens_only_from_the_expected_status_and_each_transition_is_kept()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        var e = Event("houzhai", "landlord-1", +1, Wednesday, EventStatus.Pending);
        await world.InsertAsync(e);

        var moved = await world.Db.WriteAsync(async s =>
        {
            var first = await s.MoveAsync(e.Id, EventStatus.Pending, EventStatus.Approved);
            await s.InsertTransitionAsync("T1", e.Id, EventStatus.Pending, EventStatus.Approved, Wednesday.AddHours(1), "secretary-fangtang", null);
            var second = await s.MoveAsync(e.Id, EventStatus.Pending, EventStatus.Rejected); // someone else was first
            return (first, second);
        });

        Assert.Equal((1, 0), moved);
        Assert.Equal(EventStatus.Approved, (await world.Db.ReadAsync(s => s.GetEventAsync(e.Id)))!.Status);
        var history = Assert.Single(await world.Db.ReadAsync(s => s.TransitionsAsync(e.Id)));
        Assert.Equal(("Pending", "Approved", "secretary-fangtang", Wednesday.AddHours(1)), (history.FromStatus, history.ToStatus, history.ActorId, history.At));
    }

    [Fact]
    public async Task Escalation_marks_only_pending_items_older_than_the_cutoff_and_only_once()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        var old = Event("houzhai", "landlord-1", +1, Wednesday.AddHours(-30), EventStatus.Pending);
        var fresh = Event("houzhai", "landlord-1", +1, Wednesday.AddHours(-2), EventStatus.Pending);
        var decided = Event("houzhai", "landlord-1", +1, Wednesday.AddHours(-30), EventStatus.Approved);
        await world.InsertAsync(old, fresh, decided);

        var cutoff = Wednesday.AddHours(-24);
        var first = await world.Db.WriteAsync(s => s.EscalateAsync("houzhai", cutoff, Wednesday));
        var again = await world.Db.WriteAsync(s => s.EscalateAsync("houzhai", cutoff, Wednesday.AddHours(1)));

        Assert.Equal([old.Id], first);
        Assert.Empty(again);
        var escalated = await world.Db.ReadAsync(s => s.PendingOfStreetAsync("houzhai", escalatedOnly: true));
        Assert.Equal([(old.Id, (DateTimeOffset?)Wednesday)], escalated.Select(x => (x.Id, x.EscalatedAt)));
    }

    [Fact]
    public async Task A_page_of_the_pending_queue_skips_the_records_before_it_in_the_database_oldest_first()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        var events = Enumerable.Range(0, 25).Select(i => Event("houzhai", "landlord-1", +1, Wednesday.AddMinutes(-i), EventStatus.Pending)).ToArray();
        await world.InsertAsync(events);
        var oldestFirst = events.OrderBy(e => e.ReportedAt).Select(e => e.Id).ToList();

        var third = await world.Db.ReadAsync(s => s.PendingOfCommunityAsync("houzhai-c", take: 10, skip: 20));
        var second = await world.Db.ReadAsync(s => s.PendingOfStreetAsync("houzhai", escalatedOnly: false, take: 10, skip: 10));

        Assert.Equal(oldestFirst.Skip(20), third.Select(e => e.Id));
        Assert.Equal(oldestFirst.Skip(10).Take(10), second.Select(e => e.Id));
    }

    [Fact]
    public async Task An_event_s_history_holds_at_most_one_escalation_listed_between_its_report_and_its_decision()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        var e = Event("houzhai", "landlord-1", +1, Wednesday, EventStatus.Pending);
        await world.InsertAsync(e);
        await world.Db.WriteAsync(async s =>
        {
            await s.InsertTransitionAsync("T0", e.Id, null, EventStatus.Pending, Wednesday, "landlord-1", null);
            // A decision stamped by a clock behind the one that escalated still follows the escalation.
            await s.InsertTransitionAsync("T2", e.Id, EventStatus.Pending, EventStatus.Approved, Wednesday.AddHours(23), "secretary-fangtang", null);
            await s.InsertTransitionAsync("T1", e.Id, EventStatus.Pending, EventStatus.Pending, Wednesday.AddHours(24), "system", "pending longer than 24 h", TransitionKind.Escalation);
        });

        var twice = await Record.ExceptionAsync(() => world.Db.WriteAsync(s =>
            s.InsertTransitionAsync("T3", e.Id, EventStatus.Pending, EventStatus.Pending, Wednesday.AddHours(25), "system", "pending longer than 24 h", TransitionKind.Escalation)));

        Assert.Equal(19, Assert.IsType<SqliteException>(twice).SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal([("T0", "Status"), ("T1", "Escalation"), ("T2", "Status")], (await world.Db.ReadAsync(s => s.TransitionsAsync(e.Id))).Select(t => (t.Id, t.Kind)));
    }

    [Fact]
    public async Task The_weekly_cap_counts_pending_and_approved_events_of_the_rule_in_the_week()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.InsertAsync(
            Event("houzhai", "landlord-1", +1, Wednesday, EventStatus.Pending),
            Event("houzhai", "landlord-1", +1, Wednesday, EventStatus.Approved),
            Event("houzhai", "landlord-1", +1, Wednesday, EventStatus.Rejected),
            Event("houzhai", "landlord-1", +1, Wednesday, EventStatus.Revoked),
            Event("houzhai", "landlord-1", +1, Wednesday.AddDays(-7), EventStatus.Approved));

        Assert.Equal(2, await world.Db.ReadAsync(s => s.CountUnderRuleInWeekAsync("landlord-1", "tenant-service", "2026-W47")));
    }

    // ---- the SQL week figures are the domain's Balance.ForWeek ----

    private static readonly IsoWeek[] Weeks = new[] { "2026-W01", "2026-W02", "2026-W13", "2026-W14", "2026-W47", "2026-W53", "2027-W01" }.Select(IsoWeek.Parse).ToArray();
    private static readonly long Day = TimeSpan.TicksPerDay;

    /// <summary>An event's time relative to the week's start: mostly random, often exactly on a boundary.</summary>
    private static readonly Gen<long> Offset = Gen.Frequency(
        (3, (IGen<long>)Gen.Long[-100 * Day, 10 * Day]),
        (1, (IGen<long>)Gen.OneOf(0L, -1L, 7 * Day, 7 * Day - 1, -91 * Day, -364 * Day)));

    /// <summary>One ledger line: whose, how many points, where it ends up, whether it was approved when written, and when.</summary>
    private static readonly Gen<(int Subject, int Delta, EventStatus Status, bool ApprovedAtOnce, long Offset)> LedgerLine =
        Gen.Select(Gen.Int[0, 3], Gen.OneOf(-6, -2, -1, 1, 2), Gen.Enum<EventStatus>(), Gen.Bool, Offset);

    private static int _streets;

    /// <summary>Walks an event from how it was written to its final status, as Verification does.</summary>
    private static IEnumerable<(EventStatus From, EventStatus To)> Path(EventStatus final, bool approvedAtOnce) => final switch
    {
        EventStatus.Approved => approvedAtOnce ? [] : [(EventStatus.Pending, EventStatus.Approved)],
        EventStatus.Rejected => [(EventStatus.Pending, EventStatus.Rejected)],
        EventStatus.Revoked => approvedAtOnce ? [(EventStatus.Approved, EventStatus.Revoked)] : [(EventStatus.Pending, EventStatus.Approved), (EventStatus.Approved, EventStatus.Revoked)],
        _ => [],
    };

    [Fact]
    public async Task The_week_figures_kept_by_approvals_and_revocations_equal_the_domain_s_Balance_ForWeek()
    {
        await using var world = await CreateAsync();
        await Gen.Select(Gen.Int[0, Weeks.Length - 1], Gen.Enum<CycleKind>(), LedgerLine.Array[0, 16], Gen.Bool).SampleAsync(async (w, kind, lines, rebuild) =>
        {
            var street = $"street-{Interlocked.Increment(ref _streets)}";
            var subjects = Enumerable.Range(0, 4).Select(i => $"{street}-s{i}").ToArray();
            await world.SeedStreetAsync(street, subjects);
            var week = Weeks[w];
            var weekStart = week.Start(Shanghai);
            // Half the times carry Shanghai's offset, as times parsed from a chat do: storage must compare instants.
            var written = lines.Select(l => Event(street, subjects[l.Subject], l.Delta, (weekStart + TimeSpan.FromTicks(l.Offset)).ToOffset(TimeSpan.FromHours(l.Offset % 2 == 0 ? 8 : 0)),
                l.ApprovedAtOnce && l.Status is EventStatus.Approved or EventStatus.Revoked ? EventStatus.Approved : EventStatus.Pending)).ToArray();
            await world.InsertAsync(kind, written);
            await world.Db.WriteAsync(async s =>
            {
                foreach (var (e, l) in written.Zip(lines))
                    foreach (var (from, to) in Path(l.Status, l.ApprovedAtOnce))
                        Assert.Equal(1, await s.MoveAsync(e.Id, from, to));
                if (rebuild) await s.RebuildTotalsAsync();
            });
            var final = written.Zip(lines, (e, l) => e with { Status = l.Status }).ToArray();

            var rows = await world.Db.ReadAsync(s => s.WeekFiguresAsync(street, SubjectKind.Landlord, null, ScoringCycle.Containing(week, kind), week, Shanghai));

            Assert.Equal(subjects, rows.Select(r => r.SubjectId).Order());
            foreach (var row in rows)
                Assert.Equal(Balance.ForWeek(row.SubjectId, final.Where(e => e.SubjectId == row.SubjectId), week, kind, Shanghai), row.ToFigures());
        }, iter: 25, threads: 1);
    }

    [Fact]
    public async Task Week_figures_can_be_narrowed_to_one_community_and_leave_out_subjects_gone_before_the_week_and_other_kinds()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1", "landlord-2");
        await world.Db.WriteAsync(async s =>
        {
            await s.InsertCommunityAsync(new Community { Id = "changchun", StreetId = "houzhai", Name = "长春社区" });
            await s.InsertSubjectAsync(new Subject { Id = "landlord-3", StreetId = "houzhai", CommunityId = "changchun", Kind = SubjectKind.Landlord, Name = "董宝华" }, Wednesday);
            await s.InsertSubjectAsync(new Subject { Id = "shophead-1", StreetId = "houzhai", CommunityId = "houzhai-c", Kind = SubjectKind.ShopHead, Name = "王强生" }, Wednesday);
            await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-2"))! with { Active = false }, Wednesday.AddDays(-7));
        });
        var week = IsoWeek.Parse("2026-W47");
        var cycle = ScoringCycle.Containing(week, CycleKind.WeekYear);

        async Task<IEnumerable<string>> Ids(SubjectKind kind, string? community) =>
            (await world.Db.ReadAsync(s => s.WeekFiguresAsync("houzhai", kind, community, cycle, week, Shanghai))).Select(r => r.SubjectId).Order();

        Assert.Equal(["landlord-1", "landlord-3"], await Ids(SubjectKind.Landlord, null));
        Assert.Equal(["landlord-3"], await Ids(SubjectKind.Landlord, "changchun"));
        Assert.Equal(["shophead-1"], await Ids(SubjectKind.ShopHead, null));
    }

    [Fact]
    public async Task A_subject_taken_off_the_roster_during_or_after_a_week_still_counts_in_that_week_and_not_in_later_ones()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1", "landlord-2", "landlord-3");
        var week = IsoWeek.Parse("2026-W47");
        await world.InsertAsync(Event("houzhai", "landlord-2", -3, week.Start(Shanghai).AddDays(1)), Event("houzhai", "landlord-3", -2, week.Start(Shanghai).AddDays(1)));
        await world.Db.WriteAsync(async s =>
        {
            await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-2"))! with { Active = false }, week.Start(Shanghai).AddDays(3));  // during the week
            await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-3"))! with { Active = false }, week.End(Shanghai).AddHours(2)); // before publishing
        });
        var cycle = ScoringCycle.Containing(week, CycleKind.WeekYear);

        async Task<IEnumerable<string>> Candidates(IsoWeek w) =>
            (await world.Db.ReadAsync(s => s.ListCandidatesAsync("houzhai", SubjectKind.Landlord, cycle, w, Shanghai, 3, 3))).Select(r => r.SubjectId).Order();

        Assert.Equal(["landlord-2", "landlord-3"], await Candidates(week));
        Assert.Equal(["landlord-3"], await Candidates(week.Next()));
        Assert.Empty(await Candidates(week.Next().Next()));
    }

    /// <summary>Takes a subject off the roster (or back onto it) at <paramref name="at"/>, as the rosters do.</summary>
    private static Task SetActiveAsync(StorageWorld world, string id, bool active, DateTimeOffset at) =>
        world.Db.WriteAsync(async s => { await s.UpdateSubjectAsync((await s.GetSubjectAsync(id))! with { Active = active }, at); });

    /// <summary>The weeks of 2026 (from <paramref name="weeks"/>) whose landlords' list candidates include <paramref name="subject"/>.</summary>
    private static async Task<IEnumerable<int>> WeeksListingAsync(StorageWorld world, string subject, params int[] weeks)
    {
        var listing = new List<int>();
        foreach (var n in weeks)
        {
            var w = new IsoWeek(2026, n);
            var rows = await world.Db.ReadAsync(s => s.ListCandidatesAsync("houzhai", SubjectKind.Landlord, ScoringCycle.Containing(w, CycleKind.WeekYear), w, Shanghai, 3, 3));
            if (rows.Any(r => r.SubjectId == subject)) listing.Add(n);
        }
        return listing;
    }

    private static DateTimeOffset WednesdayOf(int week) => new IsoWeek(2026, week).Start(Shanghai).AddDays(2);

    [Fact]
    public async Task A_subject_off_the_roster_for_a_whole_week_between_two_spells_on_it_is_not_in_that_week_s_lists()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.InsertAsync(Event("houzhai", "landlord-1", -3, WednesdayOf(39))); // on the black list of every week after
        await SetActiveAsync(world, "landlord-1", false, WednesdayOf(40));
        await SetActiveAsync(world, "landlord-1", true, WednesdayOf(42));
        await SetActiveAsync(world, "landlord-1", false, WednesdayOf(45));

        Assert.Equal([39, 40, 42, 43, 44, 45], await WeeksListingAsync(world, "landlord-1", 39, 40, 41, 42, 43, 44, 45, 46));
    }

    [Fact]
    public async Task A_subject_back_on_the_roster_does_not_count_in_the_weeks_they_were_off_it()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.InsertAsync(Event("houzhai", "landlord-1", -3, WednesdayOf(39)));
        await SetActiveAsync(world, "landlord-1", false, WednesdayOf(40));
        await SetActiveAsync(world, "landlord-1", true, WednesdayOf(42));

        Assert.Equal([40, 42, 43], await WeeksListingAsync(world, "landlord-1", 40, 41, 42, 43));
    }

    [Fact]
    public async Task A_subject_counts_in_a_week_they_were_on_the_roster_at_any_moment_of_the_moments_they_leave_and_come_back_included()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1", "landlord-2");
        await world.InsertAsync(Event("houzhai", "landlord-1", -3, WednesdayOf(39)), Event("houzhai", "landlord-2", -3, WednesdayOf(39)));
        // Taken off as W41 began, back as W44 began: on the roster at the first instant of each.
        await SetActiveAsync(world, "landlord-1", false, new IsoWeek(2026, 41).Start(Shanghai));
        await SetActiveAsync(world, "landlord-1", true, new IsoWeek(2026, 44).Start(Shanghai));
        // Back a tick before W43 ended: on the roster in W43.
        await SetActiveAsync(world, "landlord-2", false, WednesdayOf(41));
        await SetActiveAsync(world, "landlord-2", true, new IsoWeek(2026, 43).End(Shanghai).AddTicks(-1));

        Assert.Equal([41, 44], await WeeksListingAsync(world, "landlord-1", 41, 42, 43, 44));
        Assert.Equal([41, 43], await WeeksListingAsync(world, "landlord-2", 41, 42, 43));
    }

    [Fact]
    public async Task A_subject_entered_off_the_roster_counts_from_the_week_they_are_brought_onto_it()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai");
        await world.Db.WriteAsync(s => s.InsertSubjectAsync(new Subject { Id = "landlord-1", StreetId = "houzhai", CommunityId = "houzhai-c", Kind = SubjectKind.Landlord, Name = "房东", Active = false }, WednesdayOf(39)));
        await world.InsertAsync(Event("houzhai", "landlord-1", -3, WednesdayOf(39)));
        await SetActiveAsync(world, "landlord-1", true, WednesdayOf(42));

        Assert.Equal([42, 43], await WeeksListingAsync(world, "landlord-1", 38, 39, 40, 41, 42, 43));
    }

    [Fact]
    public async Task A_subject_changed_while_off_the_roster_is_still_off_it_since_they_left()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.InsertAsync(Event("houzhai", "landlord-1", -3, WednesdayOf(39)));
        await SetActiveAsync(world, "landlord-1", false, WednesdayOf(40));
        await world.Db.WriteAsync(async s => { await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-1"))! with { Name = "改名" }, WednesdayOf(43)); });

        Assert.Equal([40], await WeeksListingAsync(world, "landlord-1", 40, 41, 42, 43, 44));
    }

    // ---- the candidates of a week's lists are exactly the subjects WeeklyList puts on them ----

    /// <summary>Approved points around a week (before, after, half of them in it): small deltas, so ties on every key are common.</summary>
    private static readonly Gen<(int Subject, int Delta, long Offset)> Approved =
        Gen.Select(Gen.Int[0, 7], Gen.OneOf(-2, -1, 1, 2), Gen.Frequency((1, (IGen<long>)Gen.Long[-21 * Day, 14 * Day - 1]), (1, (IGen<long>)Gen.Long[0, 7 * Day - 1])));

    private static Domain.Lists.RankedSubject Ranked(WeekFigureRow r) => new(r.SubjectId, r.Name, r.CommunityId, r.ToFigures());

    [Fact]
    public async Task The_list_candidates_are_exactly_the_subjects_on_the_red_and_black_lists_of_everyone_s_figures()
    {
        await using var world = await CreateAsync();
        await Gen.Select(Approved.Array[0, 30], Gen.Int[0, 4], Gen.Int[0, 4], Gen.Int[0, Weeks.Length - 1]).SampleAsync(async (lines, redSize, blackSize, w) =>
        {
            var street = $"street-{Interlocked.Increment(ref _streets)}";
            // Subject 8 is a shop head, whose points must stay out of the landlords' lists.
            var subjects = Enumerable.Range(0, 9).Select(i => $"{street}-s{i}").ToArray();
            await world.SeedStreetAsync(street, subjects[..8]);
            await world.Db.WriteAsync(s => s.InsertSubjectAsync(new Subject { Id = subjects[8], StreetId = street, CommunityId = street + "-c", Kind = SubjectKind.ShopHead, Name = "铺长" }, Wednesday));
            var week = Weeks[w];
            await world.InsertAsync(lines.Select(l => Event(street, subjects[l.Subject], l.Delta, week.Start(Shanghai) + TimeSpan.FromTicks(l.Offset))).ToArray());
            var cycle = ScoringCycle.Containing(week, CycleKind.WeekYear);

            var everyone = await world.Db.ReadAsync(s => s.WeekFiguresAsync(street, SubjectKind.Landlord, null, cycle, week, Shanghai));
            var candidates = await world.Db.ReadAsync(s => s.ListCandidatesAsync(street, SubjectKind.Landlord, cycle, week, Shanghai, redSize, blackSize));

            var lists = Domain.Lists.WeeklyList.From(everyone.Select(Ranked), redSize, blackSize);
            var fromCandidates = Domain.Lists.WeeklyList.From(candidates.Select(Ranked), redSize, blackSize);
            Assert.Equal(lists.Red.Concat(lists.Black).Select(e => e.SubjectId).Order(StringComparer.Ordinal), candidates.Select(r => r.SubjectId).Order(StringComparer.Ordinal));
            Assert.Equal(lists.Red, fromCandidates.Red);
            Assert.Equal(lists.Black, fromCandidates.Black);
        }, iter: 150, threads: 1);
    }

    [Fact]
    public async Task At_the_cut_the_tie_breaks_decide_who_is_a_candidate_and_full_ties_are_all_in()
    {
        await using var world = await CreateAsync();
        string[] subjects = ["r-tied-1", "r-tied-2", "r-fewer-additions", "r-more-deductions", "b-no-additions", "b-additions", "b-fewer-deductions"];
        await world.SeedStreetAsync("houzhai", subjects);
        var week = IsoWeek.Parse("2026-W47");
        DateTimeOffset before = week.Start(Shanghai).AddDays(-3), within = week.Start(Shanghai).AddDays(2);
        (string Subject, int Delta, DateTimeOffset At)[] points =
        [
            // Red (balance 16 each): ties share the first place; fewer additions in the week, or more deductions in the cycle, come after.
            ("r-tied-1", 2, before), ("r-tied-1", 1, before), ("r-tied-1", 1, within),
            ("r-tied-2", 2, before), ("r-tied-2", 1, before), ("r-tied-2", 1, within),
            ("r-fewer-additions", 2, before), ("r-fewer-additions", 2, before),
            ("r-more-deductions", 2, before), ("r-more-deductions", 2, before), ("r-more-deductions", -1, before), ("r-more-deductions", 1, within),
            // Black (balance 10 each, 3 deduction points): the one without additions in the week is worst; fewer deductions is better.
            ("b-no-additions", -2, before), ("b-no-additions", -1, before), ("b-no-additions", 1, before),
            ("b-additions", -2, before), ("b-additions", -1, before), ("b-additions", 1, within),
            ("b-fewer-deductions", -2, before),
        ];
        await world.InsertAsync(points.Select(p => Event("houzhai", p.Subject, p.Delta, p.At)).ToArray());

        var candidates = await world.Db.ReadAsync(s => s.ListCandidatesAsync("houzhai", SubjectKind.Landlord, ScoringCycle.Containing(week, CycleKind.WeekYear), week, Shanghai, 1, 1));

        Assert.Equal(["b-no-additions", "r-tied-1", "r-tied-2"], candidates.Select(r => r.SubjectId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_score_card_s_figures_are_the_cycle_total_the_approved_additions_and_the_redeemed_points()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1", "landlord-2");
        var lastYear = Wednesday.AddYears(-1);
        await world.InsertAsync(
            Event("houzhai", "landlord-1", +2, Wednesday), Event("houzhai", "landlord-1", -3, Wednesday),
            Event("houzhai", "landlord-1", +1, Wednesday, EventStatus.Pending), Event("houzhai", "landlord-1", +4, lastYear),
            Event("houzhai", "landlord-2", +5, Wednesday));
        await world.Db.WriteAsync(s => s.InsertRedemptionAsync(new RedemptionRow { Id = "r1", SubjectId = "landlord-1", Points = 3, Yuan = 30m, Note = "米", RecordedAt = Wednesday, RecordedBy = "officer-1" }));
        var cycle = ScoringCycle.Containing(IsoWeek.Containing(Wednesday, Shanghai), CycleKind.WeekYear);

        var figures = await world.Db.ReadAsync(s => s.CardFiguresAsync("landlord-1", cycle));
        var separately = await world.Db.ReadAsync(async s =>
            (await s.CycleTotalAsync("landlord-1", cycle), await s.ApprovedAdditionsAsync("landlord-1"), await s.RedeemedPointsAsync("landlord-1")));

        Assert.Equal((-1L, 6L, 3L), (figures.CycleTotal, figures.ApprovedAdditions, figures.RedeemedPoints));
        Assert.Equal(separately, (figures.CycleTotal, figures.ApprovedAdditions, figures.RedeemedPoints));
        var none = await world.Db.ReadAsync(s => s.CardFiguresAsync("nobody", cycle));
        Assert.Equal((0L, 0L, 0L), (none.CycleTotal, none.ApprovedAdditions, none.RedeemedPoints));
    }

    [Fact]
    public async Task A_score_card_counts_the_events_of_its_cycle_whatever_their_status_and_none_of_the_cycle_before_reported_in_it()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1", "landlord-2");
        var cycle = ScoringCycle.Containing(IsoWeek.Containing(Wednesday, Shanghai), CycleKind.WeekYear);
        var start = cycle.Start(Shanghai);
        await world.InsertAsync(
            Event("houzhai", "landlord-1", +2, Wednesday), Event("houzhai", "landlord-1", -3, Wednesday, EventStatus.Rejected),
            Event("houzhai", "landlord-1", +1, Wednesday, EventStatus.Pending),
            Event("houzhai", "landlord-1", +1, start.AddMinutes(1)) with { ReportedAt = start.AddMinutes(-3) }, // reported just before it occurred
            Event("houzhai", "landlord-1", -2, start.AddDays(-2)) with { ReportedAt = Wednesday }, // the cycle before's, reported late
            Event("houzhai", "landlord-1", +4, Wednesday.AddYears(-1)), Event("houzhai", "landlord-2", +5, Wednesday));

        var figures = await world.Db.ReadAsync(s => s.CardFiguresAsync("landlord-1", cycle, cycleStart: start));
        var history = await world.Db.ReadAsync(s => s.HistoryFiguresAsync("landlord-1", cycle, null));

        Assert.Equal(4L, figures.CycleEvents);
        Assert.Equal(history.Total, figures.CycleEvents);
    }

    [Fact]
    public async Task A_card_s_latest_events_come_newest_reported_first_straight_from_the_subject_s_index_without_a_sort()
    {
        await using var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1", "landlord-2");
        // Reported in another order than they occurred: the card lists what was reported last first.
        var late = Event("houzhai", "landlord-1", -2, Wednesday.AddDays(-6)) with { ReportedAt = Wednesday.AddHours(-1) };
        var early = Event("houzhai", "landlord-1", +1, Wednesday.AddDays(-1)) with { ReportedAt = Wednesday.AddDays(-1) };
        var middle = Event("houzhai", "landlord-1", +1, Wednesday.AddDays(-2)) with { ReportedAt = Wednesday.AddHours(-5) };
        await world.InsertAsync(late, early, middle, Event("houzhai", "landlord-2", +1, Wednesday));
        var db = world.NewDatabase(); // a fresh writer connection, so that its statements are this test's alone

        var statements = await db.WriteAsync(s => PreparedAfterAsync(s, 2 /* SQLITE_STMTSTATUS_SORT */, () => s.RecentEventsAsync("landlord-1", 2)));
        var latest = await world.Db.ReadAsync(s => s.RecentEventsAsync("landlord-1", 2));

        Assert.Equal([late.Id, middle.Id], latest.Select(e => e.Id));
        var sorts = statements.Where(p => p.Sql.Contains("ORDER BY reported_at DESC", StringComparison.Ordinal)).Select(p => p.Count);
        Assert.Equal([0], sorts); // the card's statement, which never sorted
    }

    [Fact]
    public async Task A_card_s_figures_without_the_count_of_its_cycle_s_events_skip_the_row_each_event_reported_since_costs()
    {
        await using var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.InsertAsync([.. Enumerable.Range(0, 7).Select(i => Event("houzhai", "landlord-1", i % 2 == 0 ? +1 : -1, Wednesday.AddDays(-7 * i)))]);
        var cycle = ScoringCycle.Containing(IsoWeek.Containing(Wednesday, Shanghai), CycleKind.WeekYear);
        var start = cycle.Start(Shanghai);

        async Task<(CardFigures Figures, int Steps)> MeasuredAsync(bool countEvents)
        {
            var db = world.NewDatabase(); // a fresh writer connection, so that its statements are this measure's alone
            CardFigures? figures = null;
            var statements = await db.WriteAsync(s => PreparedAfterAsync(s, 4 /* SQLITE_STMTSTATUS_VM_STEP */,
                async () => figures = await s.CardFiguresAsync("landlord-1", cycle, cycleStart: start, countEvents: countEvents)));
            return (figures!, statements.Single(p => p.Sql.Contains("AS CycleEvents", StringComparison.Ordinal)).Count);
        }
        var counted = await MeasuredAsync(countEvents: true);
        var uncounted = await MeasuredAsync(countEvents: false);

        Assert.Equal(7L, counted.Figures.CycleEvents);
        Assert.Equal((counted.Figures.CycleTotal, counted.Figures.ApprovedAdditions, counted.Figures.RedeemedPoints),
            (uncounted.Figures.CycleTotal, uncounted.Figures.ApprovedAdditions, uncounted.Figures.RedeemedPoints));
        // 208 steps counting the 7 (a row lookup each, as cycle is not in ix_score_events_subject), 148 without.
        Assert.True(uncounted.Steps < counted.Steps, $"{uncounted.Steps} steps uncounted, {counted.Steps} counted");
    }

    [Fact]
    public async Task A_card_s_sum_of_approved_additions_is_read_from_the_subject_s_index_alone_not_from_each_event_s_row()
    {
        await using var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.InsertAsync(Event("houzhai", "landlord-1", +2, Wednesday), Event("houzhai", "landlord-1", -1, Wednesday));
        var cycle = ScoringCycle.Containing(IsoWeek.Containing(Wednesday, Shanghai), CycleKind.WeekYear);
        var db = world.NewDatabase(); // a fresh writer connection, so that its statements are this test's alone

        var plan = await db.WriteAsync(async s =>
        {
            var statements = await PreparedAfterAsync(s, 0, () => s.CardFiguresAsync("landlord-1", cycle));
            var sql = statements.Single(p => p.Sql.Contains("SUM(delta)", StringComparison.Ordinal)).Sql;
            var rows = await s.Connection.QueryAsync("EXPLAIN QUERY PLAN " + sql, new { subjectId = "landlord-1", cycle = cycle.Key }, s.Transaction);
            return rows.Select(r => (string)r.detail).ToList();
        });

        Assert.Contains(plan, d => d.StartsWith("SEARCH score_events USING COVERING INDEX ix_score_events_subject", StringComparison.Ordinal));
    }
    /// <summary>Every page of a subject's history of <paramref name="cycle"/>, <paramref name="take"/> at a time, each after the last row of the one before.</summary>
    internal static async Task<List<ScoreEvent>> HistoryPagesAsync(Database db, string subjectId, ScoringCycle cycle, EventStatus? status, int take)
    {
        var read = new List<ScoreEvent>();
        for ((DateTimeOffset, string)? before = null; ;)
        {
            var page = await db.ReadAsync(s => s.HistoryAsync(subjectId, cycle, status, before, take));
            read.AddRange(page);
            if (page.Count < take) return read;
            before = (page[^1].OccurredAt, page[^1].Id);
            Assert.True(read.Count < 1000, "the pages never end");
        }
    }

    [Fact]
    public async Task A_subject_s_history_pages_newest_first_with_the_id_ordering_events_of_the_same_instant()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1", "landlord-2");
        var cycle = ScoringCycle.Containing(IsoWeek.Containing(Wednesday, Shanghai), CycleKind.WeekYear);
        // Ids as people write them too (case, digits first); instants a tick apart, and one written in another offset.
        var events = new[]
        {
            Event("houzhai", "landlord-1", +1, Wednesday) with { Id = "b2" },
            Event("houzhai", "landlord-1", +1, Wednesday) with { Id = "A1" },
            Event("houzhai", "landlord-1", -1, Wednesday.ToOffset(TimeSpan.Zero)) with { Id = "10" },
            Event("houzhai", "landlord-1", +1, Wednesday.AddTicks(1)),
            Event("houzhai", "landlord-1", +1, Wednesday.AddTicks(-1), EventStatus.Pending),
            Event("houzhai", "landlord-1", +2, Wednesday.AddDays(-30)),
            Event("houzhai", "landlord-1", +2, Wednesday.AddYears(-1)), // the cycle before
            Event("houzhai", "landlord-2", +1, Wednesday),
        };
        await world.InsertAsync(events);
        var expected = events.Take(6).OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id, StringComparer.Ordinal).Select(e => e.Id).ToList();

        foreach (var take in new[] { 1, 2, 5, 6, 100 })
            Assert.Equal(expected, (await HistoryPagesAsync(world.Db, "landlord-1", cycle, null, take)).Select(e => e.Id));
        Assert.Equal(expected.Where(id => id != events[4].Id), (await HistoryPagesAsync(world.Db, "landlord-1", cycle, EventStatus.Approved, 2)).Select(e => e.Id));
        var figures = await world.Db.ReadAsync(s => s.HistoryFiguresAsync("landlord-1", cycle, EventStatus.Approved));
        Assert.Equal((5, 1 + 1 - 1 + 1 + 2), (figures.Total, figures.CycleTotal));
    }

    [Fact]
    public async Task A_subject_s_history_is_found_through_the_subject_s_index_not_by_reading_the_ledger()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.InsertAsync(Event("houzhai", "landlord-1", +2, Wednesday), Event("houzhai", "landlord-1", -1, Wednesday));
        var cycle = ScoringCycle.Containing(IsoWeek.Containing(Wednesday, Shanghai), CycleKind.WeekYear);
        var db = world.NewDatabase(); // a fresh writer connection, so that its statements are this test's alone

        var plans = await db.WriteAsync(async s =>
        {
            var statements = await PreparedAfterAsync(s, 0, async () =>
            {
                await s.HistoryAsync("landlord-1", cycle, null, null, 10);
                await s.HistoryAsync("landlord-1", cycle, EventStatus.Approved, (Wednesday, "E1"), 10);
                await s.HistoryFiguresAsync("landlord-1", cycle, null);
                await s.HistoryTransitionsAsync("landlord-1", cycle, Wednesday, Wednesday);
            });
            var plans = new List<List<string>>();
            foreach (var sql in statements.Select(p => p.Sql).Where(q => q.Contains("cycle = @cycle", StringComparison.Ordinal) && q.Contains("score_events", StringComparison.Ordinal)))
            {
                var rows = await s.Connection.QueryAsync("EXPLAIN QUERY PLAN " + sql,
                    new { subjectId = "landlord-1", cycle = cycle.Key, status = (string?)null, beforeAt = "", beforeId = "", take = 10, from = "", to = "" }, s.Transaction);
                plans.Add(rows.Select(r => (string)r.detail).ToList());
            }
            return plans;
        });

        Assert.Equal(4, plans.Count);
        Assert.All(plans, plan => Assert.Contains(plan, d => d.StartsWith("SEARCH", StringComparison.Ordinal) && d.Contains("ix_score_events_subject (subject_id=?)", StringComparison.Ordinal)));
        Assert.All(plans, plan => Assert.DoesNotContain(plan, d => d.StartsWith("SCAN score_events", StringComparison.Ordinal) || d.StartsWith("SCAN e", StringComparison.Ordinal)));
    }
}
