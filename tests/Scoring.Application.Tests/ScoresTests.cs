using Scoring.Storage;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

public class ScoresTests
{
    [Fact]
    public async Task The_score_card_explains_the_balance_the_rank_the_rewards_and_each_event()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var rejected = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);
        await world.Verification.RejectAsync(await world.StaffAsync("secretary-fangtang"), rejected.Event.Id, "没有调解记录");
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.SelfReportAsync("landlord-1", DefaultRules.LandlordService);
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation);

        var card = (await world.Scores.CardAsync("landlord-1"))!;

        Assert.Equal((14, "2026-W47", 1, 5), (card.Balance, card.Week.ToString(), card.WeekRank, card.RankedCount));
        Assert.Equal((new RewardAccount(2, 0), 10m), (card.Rewards, card.YuanPerPoint));
        Assert.Equal(
        [
            (EventStatus.Pending, "为租客代办", (string?)null),
            (EventStatus.Rejected, "参与矛盾调解", "没有调解记录"),
            (EventStatus.Approved, "上报租客违规", null),
        ], card.Events.Select(l => (l.Event.Status, l.RuleNameZh, l.Reason)));
        Assert.Equal("Reported a tenant who broke the rules", card.Events[^1].RuleNameEn);
    }

    [Theory]
    [InlineData(2, 0, 3)] // fewer than the card lists: all the subject has
    [InlineData(1, 4, 3)] // the latest reach back into the cycle before
    [InlineData(5, 4, 3)] // the latest are all this cycle's: the ledger counts
    [InlineData(3, 4, 3)] // exactly as many as listed, the cycle before's next
    public async Task A_card_counts_its_cycle_s_events_as_the_history_does_whether_or_not_its_latest_cover_the_cycle(int thisCycle, int before, int recent)
    {
        await using var world = await CreateAsync();
        var subject = await world.SubjectAsync("landlord-1");
        var cycleStart = Local(2025, 12, 29); // 2026-W01
        var events = new List<ScoreEvent>();
        for (var i = 0; i < before; i++) events.Add(Event(subject, cycleStart.AddDays(-10 + i), EventStatus.Approved, $"b{i}"));
        // One of the cycle before reported late, in this cycle, among this cycle's reports.
        if (before > 0) events.Add(Event(subject, cycleStart.AddDays(-2), EventStatus.Rejected, "late") with { ReportedAt = Wednesday.AddDays(-1) });
        for (var i = 0; i < thisCycle; i++) events.Add(Event(subject, Wednesday.AddDays(-7 * i), i % 2 == 0 ? EventStatus.Approved : EventStatus.Pending, $"t{i}"));
        await world.Db.WriteAsync(async s =>
        {
            foreach (var e in events)
            {
                var week = Scoring.Domain.Weeks.IsoWeek.Containing(e.OccurredAt, Shanghai);
                await s.InsertEventAsync(e, week, Scoring.Domain.Weeks.ScoringCycle.Containing(week, Scoring.Domain.CycleKind.WeekYear));
            }
        });

        var card = (await world.Db.ReadAsync(s => world.Scores.CardInAsync(s, "landlord-1", recent)))!;
        var history = await world.Db.ReadAsync(s => s.HistoryFiguresAsync("landlord-1", card.Cycle, null));

        Assert.Equal(thisCycle, card.CycleEvents);
        Assert.Equal(history.Total, card.CycleEvents);
    }

    private static ScoreEvent Event(Scoring.Domain.Subject subject, DateTimeOffset occurredAt, EventStatus status, string source) => new()
    {
        Id = "E" + source.ToUpperInvariant().PadLeft(8, '0'), StreetId = subject.StreetId, CommunityId = subject.CommunityId, SubjectId = subject.Id,
        RuleCode = DefaultRules.LandlordService, RuleVersion = 1, Delta = 1, OccurredAt = occurredAt, ReportedAt = occurredAt, ReporterId = subject.Id,
        ReporterRole = Scoring.Domain.ReporterRole.Self, Source = "test:" + source, Evidence = "证据", Status = status,
    };

    [Fact]
    public async Task A_rank_read_inside_a_write_that_is_rolled_back_counts_only_what_was_committed()
    {
        await using var world = await CreateAsync();
        var someone = await world.SubjectAsync("landlord-1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => world.Db.WriteAsync(async s =>
        {
            await s.InsertSubjectAsync(someone with { Id = "landlord-new", Phone = null }, world.Clock.GetUtcNow());
            await world.Scores.CardInAsync(s, "landlord-1");
            throw new InvalidOperationException("the turn failed after reading the card");
        }));
        var card = (await world.Scores.CardAsync("landlord-1"))!;

        Assert.Equal(5, card.RankedCount);
    }

    [Fact]
    public async Task A_score_card_read_an_hour_after_the_last_one_has_the_rank_the_preview_shows()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        Assert.Equal(2, (await world.Scores.CardAsync("landlord-2"))!.WeekRank); // behind landlord-1, for now
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordReportedViolation);
        world.Clock.Advance(TimeSpan.FromHours(1));

        var card = (await world.Scores.CardAsync("landlord-2"))!;
        var preview = (await world.Publication.PreviewAsync(await world.StaffAsync("officer-1"), "houzhai", card.Week, Scoring.Domain.SubjectKind.Landlord)).Value!;

        Assert.Equal(preview.Standings.Single(e => e.SubjectId == "landlord-2").Rank, card.WeekRank);
        Assert.Equal(1, card.WeekRank);
    }

    [Fact]
    public async Task A_subject_nobody_knows_has_no_card()
    {
        await using var world = await CreateAsync();
        Assert.Null(await world.Scores.CardAsync("nobody"));
    }

    [Fact]
    public async Task A_balance_below_zero_is_shown_as_it_is()
    {
        await using var world = await CreateAsync();
        await world.DeductAsync("landlord-1", DefaultRules.TenantConcealed);
        await world.DeductAsync("landlord-1", DefaultRules.TenantConcealed, Wednesday.AddDays(-8));
        await world.DeductAsync("landlord-1", DefaultRules.NotDisinfected);

        var card = (await world.Scores.CardAsync("landlord-1"))!;

        Assert.Equal(-1, card.Balance);
        Assert.Equal(5, card.WeekRank); // last of five landlords
        Assert.Equal(0, card.Rewards.Earned);
    }
}
