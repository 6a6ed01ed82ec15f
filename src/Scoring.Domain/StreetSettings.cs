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

    // FindSystemTimeZoneById takes a global lock on every call; every turn asks for its street's zone.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo> Zones = new();

    public TimeZoneInfo TimeZone => Zones.GetOrAdd(TimeZoneId, TimeZoneInfo.FindSystemTimeZoneById);
}
