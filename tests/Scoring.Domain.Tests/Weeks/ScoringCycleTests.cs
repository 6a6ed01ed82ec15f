using CsCheck;
using Scoring.Domain.Weeks;

namespace Scoring.Domain.Tests.Weeks;

public class ScoringCycleTests
{
    [Fact]
    public void By_default_the_cycle_is_the_whole_week_based_year_2026_W01_to_2026_W53()
    {
        var cycle = ScoringCycle.Containing(IsoWeek.Parse("2026-W47"), CycleKind.WeekYear);
        Assert.Equal((new IsoWeek(2026, 1), new IsoWeek(2026, 53)), (cycle.First, cycle.Last));
        Assert.Equal(Houzhai.Local(2025, 12, 29), cycle.Start(Houzhai.Zone));
        Assert.Equal(Houzhai.Local(2027, 1, 4), cycle.End(Houzhai.Zone));
        Assert.Equal("2026-W01..2026-W53", cycle.ToString());
    }

    [Fact]
    public void The_last_days_of_December_2024_belong_to_the_2025_cycle()
    {
        var cycle = ScoringCycle.Containing(IsoWeek.Containing(Houzhai.Local(2024, 12, 31, 12), Houzhai.Zone), CycleKind.WeekYear);
        Assert.Equal(new IsoWeek(2025, 1), cycle.First);
        Assert.Equal(Houzhai.Local(2024, 12, 30), cycle.Start(Houzhai.Zone));
    }

    [Theory]
    [InlineData("2026-W01", "2026-W01", "2026-W13")]
    [InlineData("2026-W13", "2026-W01", "2026-W13")]
    [InlineData("2026-W14", "2026-W14", "2026-W26")]
    [InlineData("2026-W39", "2026-W27", "2026-W39")]
    [InlineData("2026-W40", "2026-W40", "2026-W53")]
    [InlineData("2026-W53", "2026-W40", "2026-W53")] // the 53rd week joins the last quarter
    [InlineData("2025-W52", "2025-W40", "2025-W52")]
    public void A_street_may_cut_the_year_into_quarters_of_13_weeks(string week, string first, string last)
    {
        var cycle = ScoringCycle.Containing(IsoWeek.Parse(week), CycleKind.WeekQuarter);
        Assert.Equal((first, last), (cycle.First.ToString(), cycle.Last.ToString()));
    }

    [Fact]
    public void A_cycle_contains_its_own_weeks_and_no_others()
    {
        var q2 = ScoringCycle.Containing(new IsoWeek(2026, 20), CycleKind.WeekQuarter);
        Assert.True(q2.Contains(new IsoWeek(2026, 14)) && q2.Contains(new IsoWeek(2026, 26)));
        Assert.False(q2.Contains(new IsoWeek(2026, 13)) || q2.Contains(new IsoWeek(2026, 27)) || q2.Contains(new IsoWeek(2025, 20)));
    }

    [Theory]
    [InlineData("2026-W47", CycleKind.WeekYear, "2026")]
    [InlineData("2026-W01", CycleKind.WeekQuarter, "2026-Q1")]
    [InlineData("2026-W26", CycleKind.WeekQuarter, "2026-Q2")]
    [InlineData("2026-W27", CycleKind.WeekQuarter, "2026-Q3")]
    [InlineData("2026-W53", CycleKind.WeekQuarter, "2026-Q4")]
    [InlineData("2025-W01", CycleKind.WeekYear, "2025")]
    public void A_cycle_has_a_stable_key_the_year_or_the_quarter(string week, CycleKind kind, string key) =>
        Assert.Equal(key, ScoringCycle.Containing(IsoWeek.Parse(week), kind).Key);

    [Theory]
    [InlineData("2026", CycleKind.WeekYear, "2026-W01", "2026-W53")]
    [InlineData("2025", CycleKind.WeekYear, "2025-W01", "2025-W52")]
    [InlineData("2026-Q1", CycleKind.WeekQuarter, "2026-W01", "2026-W13")]
    [InlineData("2026-Q4", CycleKind.WeekQuarter, "2026-W40", "2026-W53")]
    public void A_cycle_is_found_again_by_its_key(string key, CycleKind kind, string first, string last)
    {
        Assert.True(ScoringCycle.TryParse(key, out var cycle, out var parsedKind));
        Assert.Equal((kind, first, last, key), (parsedKind, cycle.First.ToString(), cycle.Last.ToString(), cycle.Key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("26")]
    [InlineData("2026-Q0")]
    [InlineData("2026-Q5")]
    [InlineData("2026-q4")]
    [InlineData("2026-W47")]
    [InlineData("2026\n")]
    [InlineData("０２０２６")]
    [InlineData("0999")]
    public void Only_a_year_or_a_quarter_of_one_is_a_cycle_key(string key) =>
        Assert.False(ScoringCycle.TryParse(key, out _, out _));

    [Fact]
    public void Every_cycle_is_found_again_by_its_key() =>
        Gen.Select(Week, Gen.Enum<CycleKind>()).Sample((w, kind) =>
        {
            var cycle = ScoringCycle.Containing(w, kind);
            return ScoringCycle.TryParse(cycle.Key, out var parsed, out var parsedKind) && parsed == cycle && parsedKind == kind;
        });

    private static readonly Gen<IsoWeek> Week =
        Gen.Int[1990, 2100].SelectMany(year => Gen.Int[1, IsoWeek.WeeksIn(year)].Select(n => new IsoWeek(year, n)));

    [Fact]
    public void Cycles_are_whole_weeks_that_follow_each_other_without_gap_or_overlap() =>
        Gen.Select(Week, Gen.Enum<CycleKind>()).Sample((w, kind) =>
        {
            var cycle = ScoringCycle.Containing(w, kind);
            var next = ScoringCycle.Containing(cycle.Last.Next(), kind);
            return cycle.Contains(w)
                && ScoringCycle.Containing(cycle.First, kind) == cycle
                && ScoringCycle.Containing(cycle.Last, kind) == cycle
                && next.First == cycle.Last.Next()
                && next.Start(Houzhai.Zone) == cycle.End(Houzhai.Zone)
                && cycle.First.Year == cycle.Last.Year
                && next.Key != cycle.Key;
        });
}
