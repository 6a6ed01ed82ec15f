using Scoring.Domain.Weeks;

namespace Scoring.Domain.Ledger;

/// <summary>The figures of one subject that a week's ranking needs, all derived from the ledger.</summary>
public sealed record WeekFigures(
    string SubjectId,
    int Balance,
    int CycleDeductionPoints,
    int WeekAdditionPoints,
    int WeekDeductionPoints);

/// <summary>Balances: base 12 plus the approved deltas of the cycle, counted up to a week's end.</summary>
public static class Balance
{
    /// <summary>At or below this the subject's secretaries are alerted (DESIGN: "at ≤ 0 the secretary is alerted").</summary>
    public const int AlertLevel = 0;

    /// <summary>Whether an event moving to <paramref name="to"/> takes points from the balance: a deduction approved, an addition revoked.</summary>
    public static bool TakesPoints(int delta, EventStatus to) => to switch
    {
        EventStatus.Approved => delta < 0,
        EventStatus.Revoked => delta > 0,
        _ => false,
    };

    /// <summary>
    /// Whether a change that took points (<see cref="TakesPoints"/>) and left <paramref name="balance"/> calls for the alert.
    /// Every such change does, not only the one that crossed the line: each is a new failure of someone the secretary
    /// already has to talk to, and a secretary told once would otherwise not hear of the balance sinking further.
    /// </summary>
    public static bool CallsForAlert(int balance) => balance <= AlertLevel;

    /// <summary>Balance of a subject at the end of <paramref name="week"/>: 12 + approved deltas that occurred in the cycle before the week's end.</summary>
    public static WeekFigures ForWeek(string subjectId, IEnumerable<ScoreEvent> events, IsoWeek week, CycleKind cycleKind, TimeZoneInfo zone)
    {
        var cycle = ScoringCycle.Containing(week, cycleKind);
        DateTimeOffset cycleStart = cycle.Start(zone), weekStart = week.Start(zone), weekEnd = week.End(zone);
        int balance = StreetSettings.BaseScore, cycleDeductions = 0, weekAdditions = 0, weekDeductions = 0;
        foreach (var e in events)
        {
            if (!e.CountsTowardBalance || e.OccurredAt < cycleStart || e.OccurredAt >= weekEnd) continue;
            balance += e.Delta;
            if (e.Delta < 0) cycleDeductions += -e.Delta;
            if (e.OccurredAt >= weekStart)
            {
                if (e.Delta > 0) weekAdditions += e.Delta; else weekDeductions += -e.Delta;
            }
        }
        return new WeekFigures(subjectId, balance, cycleDeductions, weekAdditions, weekDeductions);
    }

    /// <summary>The balance right now: the cycle containing <paramref name="now"/>, up to now.</summary>
    public static int Current(IEnumerable<ScoreEvent> events, DateTimeOffset now, CycleKind cycleKind, TimeZoneInfo zone)
    {
        var cycle = ScoringCycle.Containing(IsoWeek.Containing(now, zone), cycleKind);
        var start = cycle.Start(zone);
        return StreetSettings.BaseScore + events.Where(e => e.CountsTowardBalance && e.OccurredAt >= start && e.OccurredAt <= now).Sum(e => e.Delta);
    }
}
