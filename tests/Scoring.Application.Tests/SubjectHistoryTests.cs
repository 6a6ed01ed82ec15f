using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

public class SubjectHistoryTests
{
    /// <summary>
    /// landlord-1's cycle so far: approved additions and a deduction, one report pending, one rejected, one approved and
    /// then revoked, three of them at the same moment (the id orders those).
    /// </summary>
    private static async Task<IReadOnlyList<string>> LedgerAsync(TestWorld world)
    {
        var secretary = await world.StaffAsync("secretary-fangtang");
        var sameMoment = Wednesday.AddDays(-3);
        var ids = new List<string>
        {
            (await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation, Wednesday.AddDays(-20))).Event.Id,
            (await world.ScoreAsync("landlord-1", DefaultRules.LandlordService, sameMoment)).Event.Id,
            (await world.ScoreAsync("landlord-1", DefaultRules.LandlordService, sameMoment)).Event.Id,
            (await world.DeductAsync("landlord-1", DefaultRules.NotDisinfected, sameMoment)).Event.Id,
            (await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation)).Event.Id,
        };
        var rejected = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation, Wednesday.AddDays(-1));
        Assert.True((await world.Verification.RejectAsync(secretary, rejected.Event.Id, "没有调解记录")).Succeeded);
        var revoked = await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation, Wednesday.AddDays(-10));
        Assert.True((await world.Verification.RevokeAsync(secretary, revoked.Event.Id, "重复上报")).Succeeded);
        ids.Add(rejected.Event.Id);
        ids.Add(revoked.Event.Id);
        return ids;
    }

    private static async Task<IReadOnlyList<ScoreHistory>> AllPagesAsync(TestWorld world, StaffMember actor, HistoryQuery query)
    {
        var pages = new List<ScoreHistory>();
        for (HistoryCursor? before = null; ;)
        {
            var page = await world.Scores.HistoryForStaffAsync(actor, "landlord-1", query with { Before = before });
            Assert.True(page.Succeeded, page.Failure?.English);
            pages.Add(page.Value!);
            if ((before = page.Value!.Next) is null) return pages;
            Assert.True(pages.Count < 50, "the pages never end");
        }
    }

    [Fact]
    public async Task The_history_pages_through_every_event_of_the_cycle_newest_first_without_losing_or_repeating_one()
    {
        await using var world = await CreateAsync();
        var ids = await LedgerAsync(world);
        var officer = await world.StaffAsync("officer-1");

        var pages = await AllPagesAsync(world, officer, new HistoryQuery(Limit: 2));
        var read = pages.SelectMany(p => p.Items).ToList();

        var expected = await world.Db.ReadAsync(s => Task.WhenAll(ids.Select(id => s.GetEventAsync(id))));
        Assert.Equal(
            expected.Select(e => e!).OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id, StringComparer.Ordinal).Select(e => e.Id),
            read.Select(l => l.Event.Id));
        Assert.Equal(4, pages.Count);
        Assert.All(pages, p => Assert.Equal((ids.Count, "2026"), (p.Total, p.Cycle.Key)));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(2, p.Items.Count));
    }

    [Fact]
    public async Task The_approved_points_of_the_cycle_plus_the_base_are_the_balance_the_score_card_shows()
    {
        await using var world = await CreateAsync();
        await LedgerAsync(world);
        var secretary = await world.StaffAsync("secretary-fangtang");

        var history = (await world.Scores.HistoryForStaffAsync(secretary, "landlord-1", new HistoryQuery())).Value!;
        var card = (await world.Scores.CardAsync("landlord-1"))!;

        Assert.Equal(card.Balance, history.Balance);
        Assert.Equal(history.Balance, StreetSettings.BaseScore + history.Items.Where(l => l.Event.Status == EventStatus.Approved).Sum(l => l.Event.Delta));
        Assert.Equal(12 + 2 + 1 + 1 - 1, history.Balance);
    }

    [Fact]
    public async Task Each_item_says_its_rule_its_week_and_why_it_was_rejected_or_revoked()
    {
        await using var world = await CreateAsync();
        await LedgerAsync(world);
        var secretary = await world.StaffAsync("secretary-fangtang");

        var items = (await world.Scores.HistoryForStaffAsync(secretary, "landlord-1", new HistoryQuery(WithTransitions: true))).Value!.Items;

        var rejected = items.Single(l => l.Event.Status == EventStatus.Rejected);
        Assert.Equal(("参与矛盾调解", "没有调解记录", "2026-W47"), (rejected.RuleNameZh, rejected.Reason, rejected.Week));
        Assert.Equal(["Pending", "Rejected"], rejected.Transitions!.Select(t => t.ToStatus));
        var revoked = items.Single(l => l.Event.Status == EventStatus.Revoked);
        Assert.Equal(("重复上报", "2026-W45"), (revoked.Reason, revoked.Week));
        Assert.Equal(["Pending", "Approved", "Revoked"], revoked.Transitions!.Select(t => t.ToStatus));
        Assert.All(items.Where(l => l.Event.Status is EventStatus.Approved or EventStatus.Pending), l => Assert.Null(l.Reason));
    }

    [Fact]
    public async Task A_status_filter_counts_and_pages_only_events_of_that_status()
    {
        await using var world = await CreateAsync();
        await LedgerAsync(world);
        var officer = await world.StaffAsync("officer-1");

        var pages = await AllPagesAsync(world, officer, new HistoryQuery(Status: EventStatus.Approved, Limit: 3));

        Assert.Equal([3, 1], pages.Select(p => p.Items.Count));
        Assert.All(pages, p => Assert.Equal(4, p.Total));
        Assert.All(pages.SelectMany(p => p.Items), l => Assert.Equal(EventStatus.Approved, l.Event.Status));
    }

    [Fact]
    public async Task An_earlier_cycle_is_read_by_its_key_with_the_balance_it_closed_with()
    {
        await using var world = await CreateAsync();
        await LedgerAsync(world);
        var officer = await world.StaffAsync("officer-1");
        world.Clock.SetUtcNow(Local(2027, 1, 6, 9));
        var next = await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);

        var closed = (await world.Scores.HistoryForStaffAsync(officer, "landlord-1", new HistoryQuery(Cycle: "2026"))).Value!;
        var current = (await world.Scores.HistoryForStaffAsync(officer, "landlord-1", new HistoryQuery())).Value!;

        Assert.Equal((15, 7), (closed.Balance, closed.Total));
        Assert.DoesNotContain(closed.Items, l => l.Event.Id == next.Event.Id);
        Assert.Equal(("2027", 13, 1, (await world.Scores.CardAsync("landlord-1"))!.Balance), (current.Cycle.Key, current.Balance, current.Total, current.Balance));
    }

    [Fact]
    public async Task A_cycle_is_named_as_the_street_cuts_its_year()
    {
        await using var world = await CreateAsync();
        var setup = (await world.Db.WriteAsync(s => new StreetSetup(world.Clock).PrepareInAsync(s, "xinjie", "新街街道", ["xincun"], "新主任"))).Value!;
        var officer = setup.Officer!;
        Assert.True((await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(officer, "xinjie", new SettingsDraft(Cycle: "week-quarter"))).Succeeded);
        var landlord = new Subject { Id = "xinjie-landlord", StreetId = "xinjie", CommunityId = "xincun", Kind = SubjectKind.Landlord, Name = "新房东" };
        await world.Db.WriteAsync(s => s.InsertSubjectAsync(landlord, world.Clock.GetUtcNow()));
        Assert.True((await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(landlord), landlord.Id, DefaultRules.LandlordMediation, "test:xinjie", "调解"))).Succeeded);

        var current = await world.Scores.HistoryForStaffAsync(officer, landlord.Id, new HistoryQuery());
        var named = await world.Scores.HistoryForStaffAsync(officer, landlord.Id, new HistoryQuery(Cycle: "2026-Q4"));
        var wholeYear = await world.Scores.HistoryForStaffAsync(officer, landlord.Id, new HistoryQuery(Cycle: "2026"));
        var quarterOfHouzhai = await world.Scores.HistoryForStaffAsync(await world.StaffAsync("officer-1"), "landlord-1", new HistoryQuery(Cycle: "2026-Q4"));

        Assert.Equal(("2026-Q4", 1), (current.Value!.Cycle.Key, current.Value.Total));
        Assert.Equal(1, named.Value!.Total);
        Assert.Equal(("cycle-not-of-street", "cycle"), (wholeYear.Failure?.Code, wholeYear.Failure?.Field));
        Assert.Contains("like 2026-Q4.", wholeYear.Failure!.English);
        Assert.Equal("cycle-not-of-street", quarterOfHouzhai.Failure?.Code);
        Assert.Contains("like 2026.", quarterOfHouzhai.Failure!.English);
    }

    [Fact]
    public async Task The_history_keeps_to_the_scope_of_the_score_card_and_the_audit_to_those_who_verify()
    {
        await using var world = await CreateAsync();
        await LedgerAsync(world);

        var otherSecretary = await world.Scores.HistoryForStaffAsync(await world.StaffAsync("secretary-changchun"), "landlord-1", new HistoryQuery());
        var unknown = await world.Scores.HistoryForStaffAsync(await world.StaffAsync("officer-1"), "nobody", new HistoryQuery());
        var gridWorker = await world.Scores.HistoryForStaffAsync(await world.StaffAsync("gridworker-1"), "landlord-1", new HistoryQuery());
        var gridWorkerAudit = await world.Scores.HistoryForStaffAsync(await world.StaffAsync("gridworker-1"), "landlord-1", new HistoryQuery(WithTransitions: true));

        Assert.Equal(FailureKind.Forbidden, otherSecretary.Failure?.Kind);
        Assert.Equal((FailureKind.NotFound, "subject-not-found"), (unknown.Failure?.Kind, unknown.Failure?.Code));
        Assert.Equal(7, gridWorker.Value!.Total);
        Assert.All(gridWorker.Value.Items, l => Assert.Null(l.Transitions));
        Assert.Equal(FailureKind.Forbidden, gridWorkerAudit.Failure?.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("MTIzNDU")] // "12345": no id
    [InlineData("LTEuQUJD")] // "-1.ABC": no instant
    public void A_cursor_is_only_what_a_page_gave(string text) => Assert.False(HistoryCursor.TryParse(text, out _));

    [Fact]
    public void A_cursor_reads_back_as_the_moment_and_id_it_was_made_of()
    {
        var cursor = new HistoryCursor(new DateTimeOffset(2026, 11, 18, 1, 2, 3, TimeSpan.Zero).AddTicks(4567), "K7M2Q9X4A");
        Assert.True(HistoryCursor.TryParse(cursor.ToString(), out var read));
        Assert.Equal(cursor, read);
        Assert.Matches("^[A-Za-z0-9_-]+$", cursor.ToString());
    }
}
