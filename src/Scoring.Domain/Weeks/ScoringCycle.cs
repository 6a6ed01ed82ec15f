namespace Scoring.Domain.Weeks;

/// <summary>
/// A scoring cycle: whole weeks, so that no week straddles two cycles. By default the ISO week-based
/// year (2026-W01 … 2026-W53); a street may cut its year into quarters of 13 weeks (the last takes W53).
/// </summary>
public readonly record struct ScoringCycle(IsoWeek First, IsoWeek Last)
{
    public static ScoringCycle Containing(IsoWeek week, CycleKind kind)
    {
        int weeks = IsoWeek.WeeksIn(week.Year);
        if (kind == CycleKind.WeekYear) return new(new IsoWeek(week.Year, 1), new IsoWeek(week.Year, weeks));
        int quarter = Math.Min((week.Number - 1) / 13, 3);
        int first = quarter * 13 + 1;
        int last = quarter == 3 ? weeks : first + 12;
        return new(new IsoWeek(week.Year, first), new IsoWeek(week.Year, last));
    }

    /// <summary>A stable name for the cycle: <c>2026</c> for a week-year, <c>2026-Q4</c> for a quarter of weeks.</summary>
    public string Key => First.Number == 1 && Last.Number == IsoWeek.WeeksIn(First.Year)
        ? $"{First.Year:D4}"
        : $"{First.Year:D4}-Q{(First.Number - 1) / 13 + 1}";

    /// <summary>
    /// The cycle a <see cref="Key"/> names (<c>2026</c>, <c>2026-Q4</c>) and the kind of cycle it belongs to; false for
    /// anything else (ASCII digits only, the Q upper-case, years as <see cref="IsoWeek"/> has them).
    /// </summary>
    public static bool TryParse(string? key, out ScoringCycle cycle, out CycleKind kind)
    {
        cycle = default;
        kind = default;
        if (key is null || (key.Length != 4 && key.Length != 7) || key.AsSpan(0, 4).ContainsAnyExceptInRange('0', '9')) return false;
        int year = int.Parse(key.AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture);
        if (year is < IsoWeek.MinYear or > IsoWeek.MaxYear) return false;
        if (key.Length == 4)
        {
            (cycle, kind) = (Containing(new IsoWeek(year, 1), CycleKind.WeekYear), CycleKind.WeekYear);
            return true;
        }
        if (key[4] != '-' || key[5] != 'Q' || key[6] is < '1' or > '4') return false;
        (cycle, kind) = (Containing(new IsoWeek(year, (key[6] - '1') * 13 + 1), CycleKind.WeekQuarter), CycleKind.WeekQuarter);
        return true;
    }

    public bool Contains(IsoWeek week) => week >= First && week <= Last;
    public DateTimeOffset Start(TimeZoneInfo zone) => First.Start(zone);
    public DateTimeOffset End(TimeZoneInfo zone) => Last.End(zone);
    public override string ToString() => $"{First}..{Last}";
}
