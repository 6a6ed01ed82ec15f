using Scoring.Domain.Weeks;

namespace Scoring.Domain;

/// <summary>
/// How long the personal data of a landlord or shop head taken off the roster is kept (README: Personal data kept): to
/// the end of the week-based year after the one they left in, in the street's time zone. That year's honours and rewards
/// are worked out after its last week, and its lists and points corrected into the next; by the end of that one nothing
/// needs their phone, their tenants' particulars, identity card or chat account any more, and a name is kept only
/// masked, as the public lists show it. Someone who left in 2026 is erased from the first week of 2028; one brought back
/// before then is kept.
/// Years, not the street's cycle: honours are counted by the year even where points are counted by the quarter.
/// </summary>
public static class OffRoster
{
    /// <summary>When the data of someone who left the roster at <paramref name="leftAt"/> (and is still off it) is erased.</summary>
    public static DateTimeOffset ErasedFrom(DateTimeOffset leftAt, TimeZoneInfo zone) =>
        new IsoWeek(IsoWeek.Containing(leftAt, zone).Year + 2, 1).Start(zone);

    /// <summary>Those who left before this moment, and are still off the roster, are erased at <paramref name="now"/>.</summary>
    public static DateTimeOffset ErasableIfLeftBefore(DateTimeOffset now, TimeZoneInfo zone) =>
        new IsoWeek(IsoWeek.Containing(now, zone).Year - 1, 1).Start(zone);
}
