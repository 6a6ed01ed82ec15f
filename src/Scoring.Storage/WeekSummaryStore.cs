using Scoring.Domain.Weeks;

namespace Scoring.Storage;

/// <summary>
/// The counts of a street's weekly work report (工作周报), each aggregated in SQL per community: the week's roster and its
/// chat accounts, its reports by rule, reporter and status, their verification, tenant returns and shop rounds. Every
/// figure places a landlord or shop head in the community they were in at the week's end, as the week's lists do
/// (<see cref="LedgerStore.MovedAfterTheWeek"/>). Read from the indexes the ledger already has: the week's events through
/// (street_id, week), returns through their time-ordered ids, rounds through (subject_id, day).
/// </summary>
public static class WeekSummaryStore
{
    private const string WeekCommunity = "COALESCE(mv.community_id, s.community_id)";

    /// <summary>
    /// Everyone the week's lists count (<see cref="LedgerStore.WeekFiguresAsync"/>): all but those off the roster for the
    /// whole week (one span of subject_absences covering it; being entered after the week leaves nobody out, as on the
    /// lists, whose red list may name them) — by community and kind, and how many of them
    /// have a chat account bound before the week's end (unbindings are not kept: an account moved away since is not counted).
    /// SQL Server allows no subquery inside an aggregate, so the flag is made a row before it is summed.
    /// </summary>
    private static readonly DialectSql SelectRoster = DialectSql.Both(
        "SELECT x.CommunityId, x.Kind, COUNT(*) AS People, SUM(x.Bound) AS Bound FROM (" +
        $"SELECT {WeekCommunity} AS CommunityId, s.kind AS Kind, " +
        // An account's first record or a further one (0680).
        "CASE WHEN EXISTS (SELECT 1 FROM chat_accounts a WHERE a.person_id = s.id AND a.person_kind = 'subject' AND a.bound_at < @weekEnd) " +
        "OR EXISTS (SELECT 1 FROM chat_account_records r WHERE r.person_id = s.id AND r.person_kind = 'subject' AND r.bound_at < @weekEnd) THEN 1 ELSE 0 END AS Bound " +
        "FROM subjects s " + LedgerStore.MovedAfterTheWeek +
        "WHERE s.street_id = @street " +
        "AND s.id NOT IN (SELECT subject_id FROM subject_absences WHERE (left_at IS NULL OR left_at < @weekStart) AND (back_at IS NULL OR back_at >= @weekEnd))" +
        ") x GROUP BY x.CommunityId, x.Kind");

    /// <summary>
    /// The week's events (those counted in it, as the lists count them: by when they occurred, a system-detected failure
    /// when its duty fell due) by community, rule, reporter and status now, with the points of each group. CROSS JOIN
    /// tells SQLite to take the week's events first (through ix_score_events_week), then each one's subject.
    /// </summary>
    private static readonly DialectSql SelectReports = DialectSql.Both(
        "SELECT x.CommunityId, x.RuleCode, x.ReporterRole, x.Status, COUNT(*) AS Reports, " +
        "SUM(CASE WHEN x.delta > 0 THEN x.delta ELSE 0 END) AS Added, SUM(CASE WHEN x.delta < 0 THEN -x.delta ELSE 0 END) AS Deducted FROM (" +
        $"SELECT {WeekCommunity} AS CommunityId, e.rule_code AS RuleCode, e.reporter_role AS ReporterRole, e.status AS Status, e.delta " +
        "FROM score_events e CROSS JOIN subjects s " + LedgerStore.MovedAfterTheWeek +
        "WHERE e.street_id = @street AND e.week = @week AND s.id = e.subject_id" +
        ") x GROUP BY x.CommunityId, x.RuleCode, x.ReporterRole, x.Status");

    // The week's events that went to a secretary (pending when recorded): still pending, or decided by the one audited
    // transition out of pending. How long each took, from its report to that decision; whether it was (or, still
    // pending, is) overdue: a working day's deadline passed between its report and its decision (or now) — the same as
    // VerificationClock.IsOverdue, whose first deadline after the report is the one it is due by; whether it escalated.
    private const string VerifiedFrom =
        "FROM score_events e CROSS JOIN subjects s " +
        "LEFT JOIN event_transitions t ON t.event_id = e.id AND t.from_status = 'Pending' AND t.kind = 'Status' " +
        LedgerStore.MovedAfterTheWeek +
        "WHERE e.street_id = @street AND e.week = @week AND s.id = e.subject_id AND (e.status = 'Pending' OR t.id IS NOT NULL)";
    private const string VerifiedFlags =
        "CASE WHEN EXISTS (SELECT 1 FROM dl WHERE dl.at > e.reported_at AND dl.at <= COALESCE(t.at, @now)) THEN 1 ELSE 0 END AS Overdue, " +
        "CASE WHEN e.escalated_at IS NULL THEN 0 ELSE 1 END AS Escalated ";

    // Per community and for the whole street (the null key): the decided times ranked, the median and the 90th
    // percentile by nearest rank (the ⌈n/2⌉-th and ⌈9n/10⌉-th fastest), the slowest, and the counts.
    private const string VerificationFigures =
        "k AS (SELECT CommunityId AS K, Seconds, Overdue, Escalated FROM v UNION ALL SELECT NULL, Seconds, Overdue, Escalated FROM v), " +
        "r AS (SELECT K, Seconds, Overdue, Escalated, ROW_NUMBER() OVER (PARTITION BY K, CASE WHEN Seconds IS NULL THEN 1 ELSE 0 END ORDER BY Seconds) AS Rn, " +
        "COUNT(Seconds) OVER (PARTITION BY K) AS Decided FROM k) " +
        "SELECT K AS CommunityId, COUNT(*) AS Verified, MAX(Decided) AS Decided, SUM(Overdue) AS Overdue, SUM(Escalated) AS Escalated, MAX(Seconds) AS SlowestSeconds, " +
        "MAX(CASE WHEN Seconds IS NOT NULL AND Rn = (Decided + 1) / 2 THEN Seconds END) AS MedianSeconds, " +
        "MAX(CASE WHEN Seconds IS NOT NULL AND Rn = (9 * Decided + 9) / 10 THEN Seconds END) AS P90Seconds " +
        "FROM r GROUP BY K";

    /// <summary>
    /// The verification of the week's reports. The working days' deadlines come as a JSON array (the street's calendar is
    /// the domain's, not SQL's). SQLite computes the deadlines and the week's verified events once each (MATERIALIZED);
    /// SQL Server may evaluate a CTE per use, so the events are read once into a temporary table, as the lists' candidates are.
    /// </summary>
    private static readonly DialectSql SelectVerification = new(
        "WITH dl AS MATERIALIZED (SELECT value AS at FROM json_each(@deadlines)), " +
        $"v AS MATERIALIZED (SELECT {WeekCommunity} AS CommunityId, " +
        "CASE WHEN t.at IS NULL THEN NULL ELSE CAST(ROUND((julianday(t.at) - julianday(e.reported_at)) * 86400) AS INTEGER) END AS Seconds, " +
        $"{VerifiedFlags}{VerifiedFrom}), " + VerificationFigures,
        "SET NOCOUNT ON; IF OBJECT_ID('tempdb..#verified') IS NOT NULL DROP TABLE #verified; " +
        "CREATE TABLE #verified (CommunityId NVARCHAR(100) NOT NULL, Seconds BIGINT NULL, Overdue INT NOT NULL, Escalated INT NOT NULL); " +
        "WITH dl AS (SELECT CAST(value AS DATETIMEOFFSET(7)) AS at FROM OPENJSON(@deadlines)) " +
        "INSERT INTO #verified (CommunityId, Seconds, Overdue, Escalated) " +
        $"SELECT {WeekCommunity}, " +
        "CASE WHEN t.at IS NULL THEN NULL ELSE (DATEDIFF_BIG(millisecond, e.reported_at, t.at) + 500) / 1000 END, " +
        $"{VerifiedFlags}{VerifiedFrom}; " +
        "WITH v AS (SELECT CommunityId, Seconds, Overdue, Escalated FROM #verified), " + VerificationFigures + "; DROP TABLE #verified;");

    /// <summary>
    /// Tenant returns reported during the week (when the landlord's report came in), by community, and how many of them
    /// were charged as late. Found through the primary key: return ids sort by the time they were made (Ids.Ordered), so
    /// the week is a range of ids; the times themselves keep it exact. A return is a tenant and an arrival: one reported
    /// again in another message (in time it is recorded again, as finding its copy would cost every report a look-up) is
    /// one return. A late return is its charge: a report correcting its arrival is kept with the same charge
    /// (Reporting.ReportReturnInAsync), and the two are one late return; a correction in time (a later arrival within the
    /// late one's window, before it was reported: the same stay) is that return too, not another. Found through the
    /// partial index of late returns (0460), a tenant's few.
    /// </summary>
    private static readonly DialectSql SelectReturns = DialectSql.Both(
        "SELECT y.CommunityId, COUNT(*) AS Reported, SUM(y.Late) AS Late FROM (" +
        "SELECT x.CommunityId, MAX(x.Late) AS Late FROM (" +
        $"SELECT {WeekCommunity} AS CommunityId, r.tenant_id AS TenantId, CASE WHEN r.late_event_id IS NULL THEN r.arrival_at END AS ArrivalAt, " +
        "r.late_event_id AS LateEventId, CASE WHEN r.late_event_id IS NULL THEN 0 ELSE 1 END AS Late " +
        "FROM tenant_returns r CROSS JOIN subjects s " + LedgerStore.MovedAfterTheWeek +
        "WHERE r.id >= @fromId AND r.id < @toId AND r.reported_at >= @weekStart AND r.reported_at < @weekEnd AND s.id = r.subject_id AND s.street_id = @street " +
        "AND NOT (r.late_event_id IS NULL AND EXISTS (SELECT 1 FROM tenant_returns l WHERE l.tenant_id = r.tenant_id AND l.late_event_id IS NOT NULL " +
        "AND l.arrival_at < r.arrival_at AND l.due_at >= r.arrival_at AND l.reported_at > r.arrival_at AND l.id < r.id))" +
        ") x GROUP BY x.CommunityId, x.TenantId, x.ArrivalAt, x.LateEventId) y GROUP BY y.CommunityId");

    /// <summary>Shop heads' daily rounds reported for the week's days (its Monday to Sunday in the street's zone), by community.</summary>
    private static readonly DialectSql SelectRounds = DialectSql.Both(
        "SELECT x.CommunityId, COUNT(*) AS Done FROM (" +
        $"SELECT {WeekCommunity} AS CommunityId FROM subjects s CROSS JOIN shop_rounds r " + LedgerStore.MovedAfterTheWeek +
        "WHERE s.street_id = @street AND s.kind = 'ShopHead' AND r.subject_id = s.id AND r.day >= @firstDay AND r.day <= @lastDay" +
        ") x GROUP BY x.CommunityId");

    public static async Task<IReadOnlyList<RosterCountRow>> WeekRosterAsync(this Session s, string street, IsoWeek week, TimeZoneInfo zone) =>
        (await s.QueryAsync<RosterCountRow>(SelectRoster, new { street, weekStart = week.Start(zone), weekEnd = week.End(zone) })).ToList();

    public static async Task<IReadOnlyList<ReportCountRow>> WeekReportsAsync(this Session s, string street, IsoWeek week, TimeZoneInfo zone) =>
        (await s.QueryAsync<ReportCountRow>(SelectReports, new { street, week = week.ToString(), weekEnd = week.End(zone) })).ToList();

    /// <param name="deadlines">Every working day's deadline from before the week's earliest report to now, in order.</param>
    public static async Task<IReadOnlyList<VerificationRow>> WeekVerificationAsync(this Session s, string street, IsoWeek week, TimeZoneInfo zone,
        IReadOnlyList<DateTimeOffset> deadlines, DateTimeOffset now) =>
        (await s.QueryAsync<VerificationRow>(SelectVerification, new
        {
            street, week = week.ToString(), weekEnd = week.End(zone), now, deadlines = InstantsAsJson(s.Provider, deadlines),
        })).ToList();

    public static async Task<IReadOnlyList<ReturnCountRow>> WeekReturnsAsync(this Session s, string street, IsoWeek week, TimeZoneInfo zone, string fromId, string toId) =>
        (await s.QueryAsync<ReturnCountRow>(SelectReturns, new { street, weekStart = week.Start(zone), weekEnd = week.End(zone), fromId, toId })).ToList();

    public static async Task<IReadOnlyList<RoundCountRow>> WeekRoundsAsync(this Session s, string street, IsoWeek week, TimeZoneInfo zone) =>
        (await s.QueryAsync<RoundCountRow>(SelectRounds, new
        {
            street, weekEnd = week.End(zone),
            firstDay = week.Monday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            lastDay = week.Monday.AddDays(6).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        })).ToList();

    /// <summary>Instants as a JSON array of text the dialect compares with its stored instants: SQLite's fixed-width UTC text, ISO 8601 for SQL Server.</summary>
    private static string InstantsAsJson(StorageProvider provider, IReadOnlyList<DateTimeOffset> instants) =>
        System.Text.Json.JsonSerializer.Serialize(instants.Select(at => provider == StorageProvider.Sqlite
            ? DateTimeOffsetHandler.ToText(at) : at.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture)));
}

public sealed class RosterCountRow
{
    public string CommunityId { get; init; } = "";
    /// <summary>A <c>SubjectKind</c>'s name: Landlord or ShopHead.</summary>
    public string Kind { get; init; } = "";
    public long People { get; init; }
    public long Bound { get; init; }
}

public sealed class ReportCountRow
{
    public string CommunityId { get; init; } = "";
    public string RuleCode { get; init; } = "";
    /// <summary>A <c>ReporterRole</c>'s name.</summary>
    public string ReporterRole { get; init; } = "";
    /// <summary>An <c>EventStatus</c>'s name, as the event stands now.</summary>
    public string Status { get; init; } = "";
    public long Reports { get; init; }
    public long Added { get; init; }
    public long Deducted { get; init; }
}

/// <summary>The verification of a community's reports of the week (or of the whole street's, with a null community).</summary>
public sealed class VerificationRow
{
    public string? CommunityId { get; init; }
    public long Verified { get; init; }
    public long Decided { get; init; }
    public long Overdue { get; init; }
    public long Escalated { get; init; }
    public long? MedianSeconds { get; init; }
    public long? P90Seconds { get; init; }
    public long? SlowestSeconds { get; init; }
}

public sealed class ReturnCountRow
{
    public string CommunityId { get; init; } = "";
    public long Reported { get; init; }
    public long Late { get; init; }
}

public sealed class RoundCountRow
{
    public string CommunityId { get; init; } = "";
    public long Done { get; init; }
}
