using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;
using static Scoring.Domain.Tests.Houzhai;

namespace Scoring.Domain.Tests.Ledger;

public class TenantReturnTests
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    [Fact]
    public void A_return_reported_within_the_window_is_on_time()
    {
        var arrival = Local(2026, 11, 16, 10);
        Assert.False(TenantReturn.Assess(arrival, arrival.AddHours(3), Window).IsLate);
        Assert.False(TenantReturn.Assess(arrival, arrival + Window, Window).IsLate); // exactly 24 h is still in time
    }

    [Fact]
    public void A_return_reported_after_arrival_plus_the_window_is_late_and_falls_due_at_arrival_plus_window()
    {
        var arrival = Local(2026, 11, 16, 10);
        var assessment = TenantReturn.Assess(arrival, arrival + Window + TimeSpan.FromMinutes(1), Window);
        Assert.True(assessment.IsLate);
        Assert.Equal(Local(2026, 11, 17, 10), assessment.DueAt);
    }

    [Fact]
    public void The_window_is_a_street_setting()
    {
        var arrival = Local(2026, 11, 16, 10);
        var assessment = TenantReturn.Assess(arrival, arrival.AddHours(13), TimeSpan.FromHours(12));
        Assert.True(assessment.IsLate);
        Assert.Equal(Local(2026, 11, 16, 22), assessment.DueAt);
    }

    [Fact]
    public void A_late_return_counts_in_the_week_it_fell_due_not_the_week_of_arrival_or_of_the_report()
    {
        var arrival = Local(2026, 11, 22, 12);                 // Sunday of W47
        var assessment = TenantReturn.Assess(arrival, Local(2026, 12, 2, 9), Window); // reported in W49
        Assert.True(assessment.IsLate);
        Assert.Equal("2026-W48", IsoWeek.Containing(assessment.DueAt, Zone).ToString());
    }

    [Fact]
    public void A_return_reported_within_the_due_minute_is_in_time_and_from_the_next_minute_late()
    {
        // Arrivals are told to the minute: 09:00:40 is still 09:00 on the landlord's phone.
        var arrival = Local(2026, 11, 17, 9);
        Assert.False(TenantReturn.Assess(arrival, arrival + Window + TimeSpan.FromSeconds(59), Window).IsLate);
        Assert.True(TenantReturn.Assess(arrival, arrival + Window + TimeSpan.FromMinutes(1), Window).IsLate);
    }
}
