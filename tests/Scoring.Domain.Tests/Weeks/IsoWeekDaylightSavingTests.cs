using Scoring.Domain.Weeks;

namespace Scoring.Domain.Tests.Weeks;

/// <summary>A week whose Monday midnight happens twice.</summary>
public class IsoWeekDaylightSavingTests
{
    [Fact]
    public void A_week_starts_at_the_first_of_two_monday_midnights_where_Containing_says_it_starts()
    {
        // A zone whose clocks go back from 01:00 (DST) to 00:00 on the first Monday of October: Monday 00:00-01:00 happens twice.
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
            new DateTime(2000, 1, 1), new DateTime(2099, 12, 31), TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 1, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 1, 0, 0), 10, 1, DayOfWeek.Monday));
        var zone = TimeZoneInfo.CreateCustomTimeZone("Test/Midnight-fall-back", TimeSpan.FromHours(-4), "midnight fall-back", "std", "dst", [rule]);
        var week = IsoWeek.Of(new DateOnly(2026, 10, 5));               // Monday 2026-10-05
        var firstMidnight = new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.FromHours(-3));
        Assert.Equal(week, IsoWeek.Containing(firstMidnight, zone));     // the zone's own clock: the week has begun

        Assert.Equal(firstMidnight, week.Start(zone));
        Assert.Equal(firstMidnight, week.Previous().End(zone));
    }
}
