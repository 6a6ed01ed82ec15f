namespace Scoring.Domain.Weeks;

/// <summary>A street's wall-clock time as instants, across its zone's clock changes.</summary>
public static class WallClock
{
    /// <summary>
    /// The instants at which the zone's clocks show <paramref name="local"/>, earliest first: one as a rule, two where a
    /// clock change repeats the time. A time a change skips becomes the first moment after the gap, when the clocks resume.
    /// </summary>
    public static DateTimeOffset[] Instants(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // Gaps are whole quarter hours in every zone; a zone that skipped a whole day (Samoa, 2011) lands on the next one.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        if (!zone.IsAmbiguousTime(local)) return [new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime()];
        return [.. zone.GetAmbiguousTimeOffsets(local).Select(o => new DateTimeOffset(local, o).ToUniversalTime()).Order()];
    }

    /// <summary>The first instant the zone's clocks show <paramref name="time"/> on <paramref name="date"/> (see <see cref="Instants"/>).</summary>
    public static DateTimeOffset First(DateOnly date, TimeOnly time, TimeZoneInfo zone) =>
        Instants(date.ToDateTime(time, DateTimeKind.Unspecified), zone)[0];
}
