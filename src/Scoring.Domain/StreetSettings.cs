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
    public IReadOnlyList<Problem> Problems()
    {
        var problems = new List<Problem>();
        if (!IsPlaceZone(TimeZoneId) || TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneId, out _) is false)
            problems.Add(new($"timeZone '{TimeZoneId}' is not a known time zone (e.g. Asia/Shanghai).", $"{Named("timeZone")}「{TimeZoneId}」不是已知的时区（例如 Asia/Shanghai）。"));
        if (!Enum.IsDefined(Cycle)) problems.Add(new("cycle must be week-year or week-quarter.", $"{Named("cycle")}须为 week-year 或 week-quarter。"));
        Hours("lateReturnWindowHours", LateReturnWindow);
        Hours("escalationAfterHours", EscalationAfter);
        if (WorkingHoursStart >= WorkingHoursEnd)
            problems.Add(new("workingHoursStart must be before workingHoursEnd.", $"{Named("workingHoursStart")}须早于{Named("workingHoursEnd")}。"));
        // The deadline closes a working day: at 00:00 no day would ever close, at 00:30 every round would be missed.
        else if (DailyDeadline <= WorkingHoursStart || DailyDeadline > WorkingHoursEnd)
            problems.Add(new("dailyDeadline must fall within the working hours (after workingHoursStart, at the latest workingHoursEnd).",
                $"{Named("dailyDeadline")}须在工作时间之内（晚于上班时间，最迟为下班时间）。"));
        Count("redListSize", RedListSize, 1, 50);
        Count("blackListSize", BlackListSize, 1, 50);
        Count("honourThreshold", HonourThreshold, 1, 53);
        Count("shopLimit", ShopLimit, 1, 100);
        if (YuanPerPoint is < 0 or > 1000 || decimal.Round(YuanPerPoint, 2) != YuanPerPoint)
            problems.Add(new("yuanPerPoint must be from 0 to 1000, in fen at most (two decimals).", $"{Named("yuanPerPoint")}须在0至1000元之间，最小到分（两位小数）。"));
        if (Holidays.Count > MaxCalendarDays || Workdays.Count > MaxCalendarDays)
            problems.Add(new($"holidays and workdays list at most {MaxCalendarDays} days each.", $"{Named("holidays")}和{Named("workdays")}各最多{MaxCalendarDays}天。"));
        if (Holidays.Intersect(Workdays).ToList() is [var both, ..])
            problems.Add(new($"{both:yyyy-MM-dd} is both a holiday and a make-up working day.", $"{both:yyyy-MM-dd}不能既是节假日又是调休上班日。"));
        // A weekday is worked anyway: listing one changes nothing, and the Saturday or Sunday meant stays without reminders.
        if (Workdays.Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToList() is [var weekday, ..])
            problems.Add(new($"workdays: {weekday:yyyy-MM-dd} is a {weekday.DayOfWeek}; a make-up working day is a Saturday or Sunday.",
                $"{Named("workdays")}：{weekday:yyyy-MM-dd}是周{"日一二三四五六"[(int)weekday.DayOfWeek]}，本来就要上班；调休上班日应是周六或周日。"));
        return problems;

        void Hours(string name, TimeSpan value)
        {
            if (value < TimeSpan.FromHours(1) || value > TimeSpan.FromDays(7) || value.Ticks % TimeSpan.TicksPerHour != 0)
                problems.Add(new($"{name} must be whole hours from 1 to 168.", $"{Named(name)}须为1至168的整数小时。"));
        }
        void Count(string name, int value, int min, int max)
        {
            if (value < min || value > max) problems.Add(new($"{name} must be from {min} to {max}.", $"{Named(name)}须在{min}至{max}之间。"));
        }
    }

    private static readonly Dictionary<string, string> NamesZh = new()
    {
        ["timeZone"] = "时区", ["cycle"] = "积分周期", ["lateReturnWindowHours"] = "返回登记时限",
        ["escalationAfterHours"] = "待核查转交街道时限", ["dailyDeadline"] = "每日截止时间", ["workingHoursStart"] = "上班时间",
        ["workingHoursEnd"] = "下班时间", ["redListSize"] = "红榜人数", ["blackListSize"] = "黑榜人数",
        ["honourThreshold"] = "好人候选所需上红榜次数", ["yuanPerPoint"] = "每分折合金额", ["shopLimit"] = "每位铺长最多店铺数",
        ["holidays"] = "节假日", ["workdays"] = "调休上班日",
    };

    /// <summary>
    /// A setting as a Chinese reader is told of it: its Chinese name with the wire name the request used beside it
    /// (红榜人数（redListSize）), so the officer knows what it is and a client which field.
    /// </summary>
    public static string Named(string setting) => NamesZh.TryGetValue(setting, out var zh) ? $"{zh}（{setting}）" : setting;

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
