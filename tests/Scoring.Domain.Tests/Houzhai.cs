using Scoring.Domain.Ledger;

namespace Scoring.Domain.Tests;

/// <summary>The street the examples happen in: Houzhai, Asia/Shanghai (UTC+8, no daylight saving).</summary>
internal static class Houzhai
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>A wall-clock moment in Houzhai.</summary>
    public static DateTimeOffset Local(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, Offset);

    private static int _next;

    public static ScoreEvent Event(int delta, DateTimeOffset occurredAt, EventStatus status = EventStatus.Approved, string subjectId = "landlord-1", string rule = "any") => new()
    {
        Id = $"e{Interlocked.Increment(ref _next)}",
        StreetId = "houzhai",
        CommunityId = "fangtang",
        SubjectId = subjectId,
        RuleCode = rule,
        RuleVersion = 1,
        Delta = delta,
        OccurredAt = occurredAt,
        ReportedAt = occurredAt,
        ReporterId = subjectId,
        ReporterRole = ReporterRole.Self,
        Source = $"src-{_next}",
        Status = status,
    };
}
