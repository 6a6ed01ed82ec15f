namespace Scoring.Domain;

/// <summary>The clock of the verification loop: escalation after a window, a daily deadline, working hours.</summary>
public static class VerificationClock
{
    /// <summary>
    /// An item escalates once it has waited the street's window counted on its working days: the clock stops on the days
    /// the street does not work (weekends, holidays; a 调休 workday counts), as the overdue rule skips them. A report of
    /// Friday evening has Friday's last hours and Monday's first, so it escalates on Monday evening as one of Monday
    /// evening would on Tuesday's; a weekend's reports escalate a whole Monday later. Counted so rather than in working
    /// hours, a weekday's item escalates after 24 h as DESIGN says, and the window still means what the street set (one
    /// under a day escalates within the day); with a window of a day or more an item never escalates before it is
    /// overdue, so an officer is never told a secretary is late whom her own queue says is not.
    /// </summary>
    public static bool IsEscalationDue(DateTimeOffset reportedAt, DateTimeOffset now, StreetSettings s) =>
        now - reportedAt >= s.EscalationAfter && WorkingDaysTime(reportedAt, now, s, s.EscalationAfter) >= s.EscalationAfter;

    /// <summary>
    /// How much of [<paramref name="from"/>, <paramref name="to"/>) falls on the street's working days (local days, whole),
    /// counted up to <paramref name="enough"/>: past it the rest is not read.
    /// </summary>
    public static TimeSpan WorkingDaysTime(DateTimeOffset from, DateTimeOffset to, StreetSettings s, TimeSpan enough)
    {
        var total = TimeSpan.Zero;
        var day = LocalDay(from, s);
        // Bounded by the days between (an item's wait): each step is one local day, and the count stops once it is enough.
        for (var start = from; start < to && total < enough; day = day.AddDays(1))
        {
            var next = Weeks.IsoWeek.LocalMidnight(day.AddDays(1), s.TimeZone);
            var end = next < to ? next : to;
            if (s.IsWorkingDay(day) && end > start) total += end - start;
            if (next > start) start = end;
        }
        return total;
    }

    /// <summary>The street's escalation window in hours, as people read it (24, or 1.5 for a window of 90 minutes).</summary>
    public static string EscalationHours(StreetSettings s) => s.EscalationAfter.TotalHours.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Why an item escalated, as its audited transition records it.</summary>
    public static string EscalationReason(StreetSettings s) => $"pending longer than {EscalationHours(s)} h";

    /// <summary>
    /// An item is overdue once the first daily deadline of a working day after it was reported has passed: the same
    /// day's when it came in before the deadline, else the next working day's — a report of Friday evening or of the
    /// weekend is due by Monday's, as nobody verifies on days the street does not work (its holidays and 调休 workdays
    /// counted).
    /// </summary>
    public static bool IsOverdue(DateTimeOffset reportedAt, DateTimeOffset now, StreetSettings s) => now >= DueBy(reportedAt, s);

    /// <summary>The deadline an item reported at <paramref name="reportedAt"/> is due by (see <see cref="IsOverdue"/>).</summary>
    public static DateTimeOffset DueBy(DateTimeOffset reportedAt, StreetSettings s)
    {
        var day = LocalDay(reportedAt, s);
        if (reportedAt >= DeadlineOf(day, s)) day = day.AddDays(1);
        // Bounded: a street's calendar lists at most a few hundred days off.
        for (int i = 0; i < 400 && !s.IsWorkingDay(day); i++) day = day.AddDays(1);
        return DeadlineOf(day, s);
    }

    /// <summary>Overdue since a day before today's (the street's local days): not merely past today's deadline.</summary>
    public static bool IsOverdueSinceEarlierDay(DateTimeOffset reportedAt, DateTimeOffset now, StreetSettings s) =>
        IsOverdue(reportedAt, now, s) && LocalDay(DueBy(reportedAt, s), s) < LocalDay(now, s);

    /// <summary>The day's deadline: the first time the street's clocks show it (when they resume, if a change skips it).</summary>
    public static DateTimeOffset DeadlineOf(DateOnly localDay, StreetSettings s) => Weeks.WallClock.First(localDay, s.DailyDeadline, s.TimeZone);

    public static bool IsWorkingHours(DateTimeOffset now, StreetSettings s)
    {
        var local = TimeZoneInfo.ConvertTime(now, s.TimeZone);
        var t = TimeOnly.FromDateTime(local.DateTime);
        return s.IsWorkingDay(DateOnly.FromDateTime(local.DateTime)) && t >= s.WorkingHoursStart && t < s.WorkingHoursEnd;
    }

    public static DateOnly LocalDay(DateTimeOffset instant, StreetSettings s) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, s.TimeZone).DateTime);
}
