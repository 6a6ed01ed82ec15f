namespace Scoring.Domain;

/// <summary>How a scoring cycle is cut: whole ISO week-based years, or quarters of weeks.</summary>
public enum CycleKind { WeekYear, WeekQuarter }

/// <summary>Everything a street office may set for itself. Defaults follow DESIGN.md.</summary>
public sealed record StreetSettings
{
    public const int BaseScore = 12;

    public string TimeZoneId { get; init; } = "Asia/Shanghai";
    public CycleKind Cycle { get; init; } = CycleKind.WeekYear;
    /// <summary>A return reported more than this long after the arrival counts as late.</summary>
    public TimeSpan LateReturnWindow { get; init; } = TimeSpan.FromHours(24);
    /// <summary>Pending items older than this escalate to the street officers.</summary>
    public TimeSpan EscalationAfter { get; init; } = TimeSpan.FromHours(24);
    /// <summary>Local time of day after which the day's unverified items are overdue (and a missed round is due).</summary>
    public TimeOnly DailyDeadline { get; init; } = new(16, 0);
    public TimeOnly WorkingHoursStart { get; init; } = new(8, 0);
    public TimeOnly WorkingHoursEnd { get; init; } = new(18, 0);
    public int RedListSize { get; init; } = 3;
    public int BlackListSize { get; init; } = 3;
    /// <summary>Red listings in a cycle year that make a good-person candidate.</summary>
    public int HonourThreshold { get; init; } = 3;
    public decimal YuanPerPoint { get; init; } = 10m;
    public int ShopLimit { get; init; } = 10;
    /// <summary>Public holidays: no working hours that day, so no reminders.</summary>
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];
    /// <summary>Make-up working days (调休): a Saturday or Sunday worked in exchange for a holiday, with working hours.</summary>
    public IReadOnlyList<DateOnly> Workdays { get; init; } = [];
    /// <summary>
    /// Whether shop heads owe their daily round on the street's holidays (DESIGN: a daily round, so by default yes); a
    /// street whose shops close for a festival sets it off rather than having every missed round waived by hand.
    /// </summary>
    public bool RoundsOnHolidays { get; init; } = true;

    public const int MaxCalendarDays = 100;

    /// <summary>Whether shop heads owe a round on <paramref name="day"/>: every day, unless the street lets its holidays off.</summary>
    public bool OwesRoundOn(DateOnly day) => RoundsOnHolidays || !Holidays.Contains(day);

    /// <summary>Monday to Friday, except the street's holidays, plus its make-up working days.</summary>
    public bool IsWorkingDay(DateOnly day) =>
        Workdays.Contains(day) || (!Holidays.Contains(day) && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

    /// <summary>What is wrong with these settings, in words an officer can act on; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!IsPlaceZone(TimeZoneId) || TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneId, out _) is false)
            problems.Add($"timeZone '{TimeZoneId}' is not a known time zone (e.g. Asia/Shanghai).");
        if (!Enum.IsDefined(Cycle)) problems.Add("cycle must be week-year or week-quarter.");
        Hours("lateReturnWindowHours", LateReturnWindow);
        Hours("escalationAfterHours", EscalationAfter);
        if (WorkingHoursStart >= WorkingHoursEnd) problems.Add("workingHoursStart must be before workingHoursEnd.");
        // The deadline closes a working day: at 00:00 no day would ever close, at 00:30 every round would be missed.
        else if (DailyDeadline <= WorkingHoursStart || DailyDeadline > WorkingHoursEnd) problems.Add("dailyDeadline must fall within the working hours (after workingHoursStart, at the latest workingHoursEnd).");
        Count("redListSize", RedListSize, 1, 50);
        Count("blackListSize", BlackListSize, 1, 50);
        Count("honourThreshold", HonourThreshold, 1, 53);
        Count("shopLimit", ShopLimit, 1, 100);
        if (YuanPerPoint is < 0 or > 1000 || decimal.Round(YuanPerPoint, 2) != YuanPerPoint) problems.Add("yuanPerPoint must be from 0 to 1000, in fen at most (two decimals).");
        if (Holidays.Count > MaxCalendarDays || Workdays.Count > MaxCalendarDays) problems.Add($"holidays and workdays list at most {MaxCalendarDays} days each.");
        if (Holidays.Intersect(Workdays).ToList() is [var both, ..]) problems.Add($"{both:yyyy-MM-dd} is both a holiday and a make-up working day.");
        // A weekday is worked anyway: listing one changes nothing, and the Saturday or Sunday meant stays without reminders.
        if (Workdays.Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToList() is [var weekday, ..])
            problems.Add($"workdays: {weekday:yyyy-MM-dd} is a {weekday.DayOfWeek}; a make-up working day is a Saturday or Sunday.");
        return problems;

        void Hours(string name, TimeSpan value)
        {
            if (value < TimeSpan.FromHours(1) || value > TimeSpan.FromDays(7) || value.Ticks % TimeSpan.TicksPerHour != 0)
                problems.Add($"{name} must be whole hours from 1 to 168.");
        }
        void Count(string name, int value, int min, int max)
        {
            if (value < min || value > max) problems.Add($"{name} must be from {min} to {max}.");
        }
    }

    /// <summary>
    /// Whether a zone id names a zone the same everywhere: the OS also finds files that are not (its own local time,
    /// /etc/localtime, posixrules; leap-second "right/" zones), which could put two instances' weeks apart.
    /// </summary>
    private static bool IsPlaceZone(string id) =>
        !id.StartsWith('/') && !id.Contains("localtime", StringComparison.OrdinalIgnoreCase) && !id.Contains("posix", StringComparison.OrdinalIgnoreCase)
        && !id.StartsWith("right/", StringComparison.OrdinalIgnoreCase) && !id.Contains("..");

    // FindSystemTimeZoneById takes a global lock on every call; every turn asks for its street's zone.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo> Zones = new();

    [System.Text.Json.Serialization.JsonIgnore]
    public TimeZoneInfo TimeZone => Zones.GetOrAdd(TimeZoneId, TimeZoneInfo.FindSystemTimeZoneById);
}
