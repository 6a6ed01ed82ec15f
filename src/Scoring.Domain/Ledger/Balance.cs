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
