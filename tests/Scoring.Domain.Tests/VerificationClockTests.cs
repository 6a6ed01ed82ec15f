using static Scoring.Domain.Tests.Houzhai;

namespace Scoring.Domain.Tests;

public class VerificationClockTests
{
    private static readonly StreetSettings Defaults = new();

    [Fact]
    public void A_pending_item_escalates_once_it_is_24_hours_old()
    {
        var reported = Local(2026, 11, 18, 9);
        Assert.False(VerificationClock.IsEscalationDue(reported, reported.AddHours(24).AddSeconds(-1), Defaults));
        Assert.True(VerificationClock.IsEscalationDue(reported, reported.AddHours(24), Defaults));
        Assert.True(VerificationClock.IsEscalationDue(reported, reported.AddHours(2), Defaults with { EscalationAfter = TimeSpan.FromHours(2) }));
    }

    [Fact]
    public void A_report_of_friday_evening_does_not_escalate_before_monday_s_working_day_has_run_the_rest_of_its_24_h()
    {
        // Friday 17:00: seven hours of Friday count, the weekend does not, so the 24 h are up on Monday at 17:00 —
        // after Monday's 16:00 deadline, by which the overdue rule wants it verified.
        var fridayEvening = Local(2026, 11, 20, 17);
        Assert.False(VerificationClock.IsEscalationDue(fridayEvening, Local(2026, 11, 21, 17, 1), Defaults));
        Assert.False(VerificationClock.IsEscalationDue(fridayEvening, Local(2026, 11, 23, 8), Defaults));
        Assert.False(VerificationClock.IsEscalationDue(fridayEvening, Local(2026, 11, 23, 16, 59, 59), Defaults));
        Assert.True(VerificationClock.IsOverdue(fridayEvening, Local(2026, 11, 23, 16, 59, 59), Defaults));
        Assert.True(VerificationClock.IsEscalationDue(fridayEvening, Local(2026, 11, 23, 17), Defaults));
        // Reported on Saturday: Monday is its first day counted, whole.
        Assert.False(VerificationClock.IsEscalationDue(Local(2026, 11, 21, 10), Local(2026, 11, 23, 23, 59), Defaults));
        Assert.True(VerificationClock.IsEscalationDue(Local(2026, 11, 21, 10), Local(2026, 11, 24, 0), Defaults));
    }

    [Fact]
    public void A_report_before_a_holiday_week_escalates_only_once_the_first_working_day_after_it_has_run()
    {
        // 国庆: Thursday 1 October to Wednesday 7 October off, Saturday 10 October worked in exchange.
        var street = Defaults with
        {
            Holidays = Enumerable.Range(1, 7).Select(d => new DateOnly(2026, 10, d)).ToList(),
            Workdays = [new DateOnly(2026, 10, 10)],
        };
        var lastDayBefore = Local(2026, 9, 30, 15);
        Assert.False(VerificationClock.IsEscalationDue(lastDayBefore, Local(2026, 10, 8, 8), street));
        Assert.False(VerificationClock.IsEscalationDue(lastDayBefore, Local(2026, 10, 8, 14, 59), street));
        Assert.True(VerificationClock.IsEscalationDue(lastDayBefore, Local(2026, 10, 8, 15), street));
        // The worked Saturday counts as any working day.
        Assert.True(VerificationClock.IsEscalationDue(Local(2026, 10, 9, 18), Local(2026, 10, 10, 18), street));
    }

    [Fact]
    public void The_day_s_items_are_overdue_from_16_00_local_time()
    {
        var reported = Local(2026, 11, 18, 9);
        Assert.False(VerificationClock.IsOverdue(reported, Local(2026, 11, 18, 15, 59, 59), Defaults));
        Assert.True(VerificationClock.IsOverdue(reported, Local(2026, 11, 18, 16), Defaults));
        Assert.False(VerificationClock.IsOverdue(reported, Local(2026, 11, 18, 16), Defaults with { DailyDeadline = new TimeOnly(17, 30) }));
    }

    [Fact]
    public void An_item_reported_after_16_00_is_due_by_the_next_day_s_deadline()
    {
        var reported = Local(2026, 11, 18, 17);
        Assert.False(VerificationClock.IsOverdue(reported, Local(2026, 11, 18, 17, 0, 1), Defaults));
        Assert.False(VerificationClock.IsOverdue(reported, Local(2026, 11, 19, 15, 59, 59), Defaults));
        Assert.True(VerificationClock.IsOverdue(reported, Local(2026, 11, 19, 16), Defaults));
    }

    [Fact]
    public void An_item_reported_after_Friday_s_deadline_or_at_the_weekend_is_due_by_Monday_s()
    {
        var fridayEvening = Local(2026, 11, 20, 17);
        var saturday = Local(2026, 11, 21, 10);
        Assert.False(VerificationClock.IsOverdue(fridayEvening, Local(2026, 11, 21, 16), Defaults)); // nobody verifies on Saturday
        Assert.False(VerificationClock.IsOverdue(saturday, Local(2026, 11, 22, 16), Defaults));
        Assert.False(VerificationClock.IsOverdue(saturday, Local(2026, 11, 23, 15, 59), Defaults));
        Assert.True(VerificationClock.IsOverdue(fridayEvening, Local(2026, 11, 23, 16), Defaults));
        Assert.True(VerificationClock.IsOverdue(saturday, Local(2026, 11, 23, 16), Defaults));
    }

    [Fact]
    public void A_holiday_defers_the_deadline_and_a_weekend_workday_keeps_one()
    {
        var street = Defaults with { Holidays = [new DateOnly(2026, 11, 19)], Workdays = [new DateOnly(2026, 11, 22)] };
        var wednesdayEvening = Local(2026, 11, 18, 17);
        Assert.False(VerificationClock.IsOverdue(wednesdayEvening, Local(2026, 11, 19, 16), street)); // Thursday is a holiday
        Assert.True(VerificationClock.IsOverdue(wednesdayEvening, Local(2026, 11, 20, 16), street));
        Assert.True(VerificationClock.IsOverdue(Local(2026, 11, 21, 10), Local(2026, 11, 22, 16), street)); // Sunday worked (调休)
    }

    [Fact]
    public void The_deadline_is_16_00_in_Shanghai_which_is_08_00_UTC() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 18, 8, 0, 0, TimeSpan.Zero), VerificationClock.DeadlineOf(new DateOnly(2026, 11, 18), Defaults));

    [Fact]
    public void A_deadline_the_clocks_skip_is_when_they_resume_and_one_they_repeat_is_its_first_time()
    {
        var newYork = Defaults with { TimeZoneId = "America/New_York", DailyDeadline = new TimeOnly(2, 30) };
        var repeated = newYork with { DailyDeadline = new TimeOnly(1, 30) };

        // 2026-03-08 02:00 EST jumps to 03:00 EDT (07:00 UTC); on 2026-11-01 01:30 comes first in EDT (05:30 UTC), then in EST.
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 0, 0, TimeSpan.Zero), VerificationClock.DeadlineOf(new DateOnly(2026, 3, 8), newYork));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), VerificationClock.DeadlineOf(new DateOnly(2026, 11, 1), repeated));
    }

    [Fact]
    public void The_local_day_is_the_street_s_day_not_UTC_s()
    {
        var lateEveningUtc = new DateTimeOffset(2026, 11, 18, 16, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 11, 19), VerificationClock.LocalDay(lateEveningUtc, Defaults));
        // Reported just after local midnight: the deadline is that new day's 16:00, not the previous one.
        Assert.False(VerificationClock.IsOverdue(lateEveningUtc, lateEveningUtc.AddHours(1), Defaults));
    }

    [Theory]
    [InlineData(2026, 11, 18, 8, 0, true)]   // Wednesday, opening
    [InlineData(2026, 11, 18, 17, 59, true)]
    [InlineData(2026, 11, 18, 7, 59, false)]
    [InlineData(2026, 11, 18, 18, 0, false)]  // closing is exclusive
    [InlineData(2026, 11, 21, 10, 0, false)]  // Saturday
    [InlineData(2026, 11, 22, 10, 0, false)]  // Sunday
    public void Reminders_go_out_in_working_hours_Monday_to_Friday(int y, int m, int d, int h, int min, bool working) =>
        Assert.Equal(working, VerificationClock.IsWorkingHours(Local(y, m, d, h, min), Defaults));

    [Theory]
    [InlineData(2026, 10, 1, 10, 0, false)]  // a Thursday the street keeps as a holiday (国庆)
    [InlineData(2026, 10, 10, 10, 0, true)]  // a Saturday worked in exchange (调休)
    [InlineData(2026, 10, 11, 10, 0, false)] // the Sunday after: still a weekend
    [InlineData(2026, 10, 9, 10, 0, true)]   // an ordinary Friday
    public void Holidays_have_no_working_hours_and_make_up_days_have_them(int y, int m, int d, int h, int min, bool working)
    {
        var street = Defaults with { Holidays = [new DateOnly(2026, 10, 1)], Workdays = [new DateOnly(2026, 10, 10)] };
        Assert.Equal(working, VerificationClock.IsWorkingHours(Local(y, m, d, h, min), street));
    }
}
