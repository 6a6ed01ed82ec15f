namespace Scoring.Domain.Ledger;

/// <summary>
/// A landlord's report that a tenant has returned. Reported more than the street's window after the
/// arrival, it is late: a system-detected deduction that occurs when the duty fell due (arrival + window),
/// so it counts in that week, not the week it was noticed.
/// </summary>
public static class TenantReturn
{
    public sealed record Assessment(bool IsLate, DateTimeOffset DueAt);

    public static Assessment Assess(DateTimeOffset arrival, DateTimeOffset reportedAt, TimeSpan window) =>
        Assess(arrival, reportedAt, window, reportableFrom: arrival);

    /// <summary>
    /// As above, for a landlord who could report only from <paramref name="reportableFrom"/> (the street's first rules
    /// in force, the landlord on its roster): the window of an arrival before then counts from then, since nobody is
    /// late for a report there was no way to make.
    /// </summary>
    public static Assessment Assess(DateTimeOffset arrival, DateTimeOffset reportedAt, TimeSpan window, DateTimeOffset reportableFrom)
    {
        var due = (reportableFrom > arrival ? reportableFrom : arrival) + window;
        return new Assessment(reportedAt >= InTimeUntil(due), due);
    }

    /// <summary>
    /// The end of the minute <paramref name="due"/> falls in: a report before it is in time. Arrivals are told to the minute
    /// and a landlord's phone shows minutes, so a report sent at 09:00 (received 09:00:40) for a return due by 09:00 is in
    /// time; one received at 09:01 is late.
    /// </summary>
    public static DateTimeOffset InTimeUntil(DateTimeOffset due)
    {
        var ticks = due.UtcTicks - due.UtcTicks % TimeSpan.TicksPerMinute + TimeSpan.TicksPerMinute;
        return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(due.Offset);
    }
}
