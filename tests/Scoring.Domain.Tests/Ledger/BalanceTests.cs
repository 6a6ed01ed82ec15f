using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;
using static Scoring.Domain.Tests.Houzhai;

namespace Scoring.Domain.Tests.Ledger;

public class BalanceTests
{
    private static readonly IsoWeek W47 = IsoWeek.Parse("2026-W47");

    private static WeekFigures Figures(params ScoreEvent[] events) => Balance.ForWeek("landlord-1", events, W47, CycleKind.WeekYear, Zone);

    [Fact]
    public void A_subject_with_no_events_stands_at_the_base_of_12()
    {
        Assert.Equal(new WeekFigures("landlord-1", 12, 0, 0, 0), Figures());
    }

    [Fact]
    public void The_week_balance_is_12_plus_approved_deltas_of_the_cycle_up_to_the_week_end()
    {
        var figures = Figures(
            Event(+2, Local(2026, 1, 5)),               // earlier in the cycle
            Event(-1, Local(2026, 6, 1)),               // earlier in the cycle
            Event(+1, Local(2026, 11, 16)),             // Monday 00:00 of W47: in the week
            Event(-2, Local(2026, 11, 20, 9)),          // in the week
            Event(+1, Local(2026, 11, 22, 23, 59, 59))); // Sunday 23:59:59: still in the week
        Assert.Equal(new WeekFigures("landlord-1", 12 + 2 - 1 + 1 - 2 + 1, CycleDeductionPoints: 3, WeekAdditionPoints: 2, WeekDeductionPoints: 2), figures);
    }

    [Fact]
    public void Events_after_the_week_or_before_the_cycle_do_not_count()
    {
        var figures = Figures(
            Event(+5, Local(2026, 11, 23)),             // Monday 00:00 of W48: the next week
            Event(+5, Local(2025, 12, 28, 23, 59)),     // 2025-W52: the previous cycle
            Event(-6, Local(2025, 12, 1)));
        Assert.Equal(new WeekFigures("landlord-1", 12, 0, 0, 0), figures);
    }

    [Fact]
    public void The_cycle_starts_at_2025_12_29_local_because_2026_W01_starts_then()
    {
        var figures = Figures(Event(+3, Local(2025, 12, 29)), Event(-1, Local(2025, 12, 31)));
        Assert.Equal(14, figures.Balance);
        Assert.Equal(1, figures.CycleDeductionPoints);
    }

    [Theory]
    [InlineData(EventStatus.Pending)]
    [InlineData(EventStatus.Rejected)]
    [InlineData(EventStatus.Revoked)]
    public void Only_approved_events_move_the_balance(EventStatus status)
    {
        var figures = Figures(Event(+2, Local(2026, 11, 18), status), Event(-6, Local(2026, 11, 18), status));
        Assert.Equal(new WeekFigures("landlord-1", 12, 0, 0, 0), figures);
    }

    [Fact]
    public void The_balance_may_fall_below_zero()
    {
        var figures = Figures(Event(-6, Local(2026, 3, 1)), Event(-6, Local(2026, 4, 1)), Event(-6, Local(2026, 11, 17)));
        Assert.Equal(-6, figures.Balance);
        Assert.Equal(18, figures.CycleDeductionPoints);
        Assert.Equal(6, figures.WeekDeductionPoints);
    }

    [Fact]
    public void A_quarter_cycle_forgets_the_previous_quarter()
    {
        var events = new[] { Event(+4, Local(2026, 9, 1)), Event(+1, Local(2026, 10, 1)) }; // W36 (Q3) and W40 (Q4)
        Assert.Equal(13, Balance.ForWeek("landlord-1", events, W47, CycleKind.WeekQuarter, Zone).Balance);
        Assert.Equal(17, Balance.ForWeek("landlord-1", events, W47, CycleKind.WeekYear, Zone).Balance);
    }

    [Fact]
    public void The_balance_now_counts_the_current_cycle_up_to_now()
    {
        var now = Local(2026, 11, 18, 9);
        var events = new[]
        {
            Event(+2, Local(2026, 2, 1)),
            Event(+1, now),                        // counts: up to and including now
            Event(+1, now.AddSeconds(1)),          // not yet
            Event(-2, Local(2025, 11, 18)),        // last cycle
            Event(+1, Local(2026, 11, 1), EventStatus.Pending),
        };
        Assert.Equal(15, Balance.Current(events, now, CycleKind.WeekYear, Zone));
    }
}
