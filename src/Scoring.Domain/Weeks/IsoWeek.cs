using System.Globalization;
using System.Text.RegularExpressions;

namespace Scoring.Domain.Weeks;

/// <summary>
/// An ISO-8601 week written <c>2026-W47</c>. The year is the week-based year (2024-12-30 is in 2025-W01),
/// which is why this type exists instead of calendar year + week number.
/// </summary>
public readonly partial record struct IsoWeek : IComparable<IsoWeek>
{
    /// <summary>
    /// The years a week may have: far enough from DateTime's ends that every week's start and end is an instant in
    /// any time zone (0001-W01 starts before year 1 in UTC; 9999's last week ends in year 10000), and still far beyond
    /// anything a street needs.
    /// </summary>
    public const int MinYear = 1000, MaxYear = 9997;

    public int Year { get; }
    public int Number { get; }

    public IsoWeek(int year, int number)
    {
        if (year is < MinYear or > MaxYear) throw new ArgumentOutOfRangeException(nameof(year), $"A week's year is from {MinYear} to {MaxYear}.");
        if (number < 1 || number > ISOWeek.GetWeeksInYear(year)) throw new ArgumentOutOfRangeException(nameof(number), $"{year} has {ISOWeek.GetWeeksInYear(year)} weeks.");
        Year = year;
        Number = number;
    }

    public override string ToString() => $"{Year:D4}-W{Number:D2}";

    // ASCII digits only (\d also matches full-width digits, which int.Parse rejects); \z, because $ allows a trailing newline.
    [GeneratedRegex(@"^([0-9]{4})-W([0-9]{2})\z")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out IsoWeek week)
    {
        week = default;
        var m = Pattern().Match(text ?? "");
        if (!m.Success) return false;
        int year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), number = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (year is < MinYear or > MaxYear || number < 1 || number > ISOWeek.GetWeeksInYear(year)) return false;
        week = new IsoWeek(year, number);
        return true;
    }

    public static IsoWeek Parse(string text) =>
        TryParse(text, out var w) ? w : throw new FormatException($"'{text}' is not an ISO week like 2026-W47.");

    public static int WeeksIn(int year) => ISOWeek.GetWeeksInYear(year);

    /// <summary>The Monday that starts this week, as a local calendar date.</summary>
    public DateOnly Monday => DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Number, DayOfWeek.Monday));

    public static IsoWeek Of(DateOnly localDate)
    {
        var dt = localDate.ToDateTime(TimeOnly.MinValue);
        return new IsoWeek(ISOWeek.GetYear(dt), ISOWeek.GetWeekOfYear(dt));
    }

    /// <summary>The week an instant falls in, in the street's time zone.</summary>
    public static IsoWeek Containing(DateTimeOffset instant, TimeZoneInfo zone) =>
        Of(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime));

    /// <summary>Monday 00:00 local, as an instant.</summary>
    public DateTimeOffset Start(TimeZoneInfo zone) => LocalMidnight(Monday, zone);

    /// <summary>The next Monday 00:00 local, as an instant (the interval is half-open). Not Next().Start: the last week has no next.</summary>
    public DateTimeOffset End(TimeZoneInfo zone) => LocalMidnight(Monday.AddDays(7), zone);

    public IsoWeek Next() => Number < WeeksIn(Year) ? new IsoWeek(Year, Number + 1) : new IsoWeek(Year + 1, 1);
    public IsoWeek Previous() => Number > 1 ? new IsoWeek(Year, Number - 1) : new IsoWeek(Year - 1, WeeksIn(Year - 1));

    public int CompareTo(IsoWeek other) => Year != other.Year ? Year.CompareTo(other.Year) : Number.CompareTo(other.Number);
    public static bool operator <(IsoWeek a, IsoWeek b) => a.CompareTo(b) < 0;
    public static bool operator >(IsoWeek a, IsoWeek b) => a.CompareTo(b) > 0;
    public static bool operator <=(IsoWeek a, IsoWeek b) => a.CompareTo(b) <= 0;
    public static bool operator >=(IsoWeek a, IsoWeek b) => a.CompareTo(b) >= 0;

    /// <summary>Local midnight of a date as an instant: a zone without a midnight that day takes the first valid moment;
    /// a midnight that happens twice is the first one, when the zone's clock (and Containing) enters the day.</summary>
    public static DateTimeOffset LocalMidnight(DateOnly date, TimeZoneInfo zone) => WallClock.First(date, TimeOnly.MinValue, zone);
}
