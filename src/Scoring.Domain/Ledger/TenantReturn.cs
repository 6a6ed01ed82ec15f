namespace Scoring.Domain.Ledger;

/// <summary>
/// A landlord's report that a tenant has returned. Reported more than the street's window after the
/// arrival, it is late: a system-detected deduction that occurs when the duty fell due (arrival + window),
/// so it counts in that week, not the week it was noticed.
/// </summary>
public static class TenantReturn
{
    public sealed record Assessment(bool IsLate, DateTimeOffset DueAt);

    public static Assessment Assess(DateTimeOffset arrival, DateTimeOffset reportedAt, TimeSpan window)
    {
        var due = arrival + window;
        return new Assessment(reportedAt > due, due);
    }
}
