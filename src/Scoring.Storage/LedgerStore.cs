using Scoring.Domain;
using Scoring.Domain.Ledger;

namespace Scoring.Storage;

/// <summary>The append-only ledger: score events, their audited status transitions, and the figures derived from them.</summary>
public static class LedgerStore
{
    private const string EventColumns =
        "id, street_id AS StreetId, community_id AS CommunityId, subject_id AS SubjectId, rule_code AS RuleCode, rule_version AS RuleVersion, delta, " +
        "occurred_at AS OccurredAt, reported_at AS ReportedAt, reporter_id AS ReporterId, reporter_role AS ReporterRole, source, evidence, status, escalated_at AS EscalatedAt";

    private static readonly DialectSql InsertEventSql = DialectSql.Both(
        "INSERT INTO score_events (id, street_id, community_id, subject_id, rule_code, rule_version, delta, occurred_at, week, reported_at, reporter_id, reporter_role, source, evidence, status) " +
        "VALUES (@Id, @StreetId, @CommunityId, @SubjectId, @RuleCode, @RuleVersion, @Delta, @OccurredAt, @Week, @ReportedAt, @ReporterId, @ReporterRole, @Source, @Evidence, @Status)");
    private static readonly DialectSql InsertTransitionSql = DialectSql.Both(
        "INSERT INTO event_transitions (id, event_id, from_status, to_status, at, actor_id, reason) VALUES (@Id, @EventId, @From, @To, @At, @ActorId, @Reason)");
    private static readonly DialectSql MoveSql = DialectSql.Both("UPDATE score_events SET status = @to WHERE id = @id AND status = @from");
    private static readonly DialectSql SelectEvent = DialectSql.Both($"SELECT {EventColumns} FROM score_events WHERE id = @id");
    private static readonly DialectSql SelectEventBySource = DialectSql.Both($"SELECT {EventColumns} FROM score_events WHERE source = @source");
    private static readonly DialectSql SelectEventsOfSubject = DialectSql.Both($"SELECT {EventColumns} FROM score_events WHERE subject_id = @subjectId AND occurred_at >= @since ORDER BY occurred_at, id");
    private static readonly DialectSql SelectRecentOfSubject = new(
        $"SELECT {EventColumns} FROM score_events WHERE subject_id = @subjectId ORDER BY reported_at DESC, id DESC LIMIT @take",
        $"SELECT TOP (@take) {EventColumns} FROM score_events WHERE subject_id = @subjectId ORDER BY reported_at DESC, id DESC");
    private static readonly DialectSql CountUnderRuleInWeek = DialectSql.Both(
        "SELECT COUNT(*) FROM score_events WHERE subject_id = @subjectId AND rule_code = @ruleCode AND week = @week AND status IN ('Pending', 'Approved')");
    private static readonly DialectSql SelectPendingOfCommunity = DialectSql.Both(
        $"SELECT {EventColumns} FROM score_events WHERE community_id = @community AND status = 'Pending' ORDER BY reported_at, id");
    private static readonly DialectSql SelectPendingOfStreet = DialectSql.Both(
        $"SELECT {EventColumns} FROM score_events WHERE street_id = @street AND status = 'Pending' AND (@escalatedOnly = 0 OR escalated_at IS NOT NULL) ORDER BY reported_at, id");
    private static readonly DialectSql EscalateSql = DialectSql.Both(
        "UPDATE score_events SET escalated_at = @now WHERE street_id = @street AND status = 'Pending' AND escalated_at IS NULL AND reported_at <= @cutoff");
    private static readonly DialectSql SelectTransitions = DialectSql.Both(
        "SELECT id, event_id AS EventId, from_status AS FromStatus, to_status AS ToStatus, at, actor_id AS ActorId, reason FROM event_transitions WHERE event_id = @eventId ORDER BY at, id");
    private static readonly DialectSql SelectApprovedAdditions = DialectSql.Both(
        "SELECT COALESCE(SUM(delta), 0) FROM score_events WHERE subject_id = @subjectId AND status = 'Approved' AND delta > 0");
    private static readonly DialectSql SelectBalance = DialectSql.Both(
        "SELECT COALESCE(SUM(delta), 0) FROM score_events WHERE subject_id = @subjectId AND status = 'Approved' AND occurred_at >= @from AND occurred_at < @to");

    /// <summary>
    /// The ranking figures of every active subject of a kind in a street (optionally one community), computed
    /// in the database: the same arithmetic as <see cref="Balance.ForWeek"/>, which is the specification.
    /// </summary>
    private static readonly DialectSql SelectWeekFigures = DialectSql.Both(
        "SELECT s.id AS SubjectId, s.name AS Name, s.community_id AS CommunityId, " +
        "COALESCE(SUM(e.delta), 0) AS Total, " +
        "COALESCE(SUM(CASE WHEN e.delta < 0 THEN -e.delta ELSE 0 END), 0) AS CycleDeductions, " +
        "COALESCE(SUM(CASE WHEN e.delta > 0 AND e.occurred_at >= @weekStart THEN e.delta ELSE 0 END), 0) AS WeekAdditions, " +
        "COALESCE(SUM(CASE WHEN e.delta < 0 AND e.occurred_at >= @weekStart THEN -e.delta ELSE 0 END), 0) AS WeekDeductions " +
        "FROM subjects s LEFT JOIN score_events e ON e.subject_id = s.id AND e.status = 'Approved' AND e.occurred_at >= @cycleStart AND e.occurred_at < @weekEnd " +
        "WHERE s.street_id = @street AND s.kind = @kind AND s.active = 1 AND (@community IS NULL OR s.community_id = @community) " +
        "GROUP BY s.id, s.name, s.community_id");

    public static Task InsertEventAsync(this Session s, ScoreEvent e, string week) => s.ExecuteAsync(InsertEventSql, new
    {
        e.Id, e.StreetId, e.CommunityId, e.SubjectId, e.RuleCode, e.RuleVersion, e.Delta, e.OccurredAt, Week = week, e.ReportedAt,
        e.ReporterId, ReporterRole = e.ReporterRole.ToString(), e.Source, e.Evidence, Status = e.Status.ToString(),
    });

    public static Task InsertTransitionAsync(this Session s, string id, string eventId, EventStatus? from, EventStatus to, DateTimeOffset at, string actorId, string? reason) =>
        s.ExecuteAsync(InsertTransitionSql, new { Id = id, EventId = eventId, From = from?.ToString(), To = to.ToString(), At = at, ActorId = actorId, Reason = reason });

    /// <summary>Moves an event from one status to another; 0 rows when someone else moved it first.</summary>
    public static Task<int> MoveAsync(this Session s, string id, EventStatus from, EventStatus to) =>
        s.ExecuteAsync(MoveSql, new { id, from = from.ToString(), to = to.ToString() });

    public static Task<ScoreEvent?> GetEventAsync(this Session s, string id) => s.FirstOrDefaultAsync<ScoreEvent>(SelectEvent, new { id });
    public static Task<ScoreEvent?> GetEventBySourceAsync(this Session s, string source) => s.FirstOrDefaultAsync<ScoreEvent>(SelectEventBySource, new { source });

    public static async Task<IReadOnlyList<ScoreEvent>> EventsOfSubjectAsync(this Session s, string subjectId, DateTimeOffset since) =>
        (await s.QueryAsync<ScoreEvent>(SelectEventsOfSubject, new { subjectId, since })).ToList();

    public static async Task<IReadOnlyList<ScoreEvent>> RecentEventsAsync(this Session s, string subjectId, int take) =>
        (await s.QueryAsync<ScoreEvent>(SelectRecentOfSubject, new { subjectId, take })).ToList();

    public static Task<long> CountUnderRuleInWeekAsync(this Session s, string subjectId, string ruleCode, string week) =>
        s.ScalarAsync<long>(CountUnderRuleInWeek, new { subjectId, ruleCode, week });

    public static async Task<IReadOnlyList<ScoreEvent>> PendingOfCommunityAsync(this Session s, string community) =>
        (await s.QueryAsync<ScoreEvent>(SelectPendingOfCommunity, new { community })).ToList();

    public static async Task<IReadOnlyList<ScoreEvent>> PendingOfStreetAsync(this Session s, string street, bool escalatedOnly) =>
        (await s.QueryAsync<ScoreEvent>(SelectPendingOfStreet, new { street, escalatedOnly = escalatedOnly ? 1 : 0 })).ToList();

    public static Task<int> EscalateAsync(this Session s, string street, DateTimeOffset cutoff, DateTimeOffset now) =>
        s.ExecuteAsync(EscalateSql, new { street, cutoff, now });

    public static async Task<IReadOnlyList<Transition>> TransitionsAsync(this Session s, string eventId) =>
        (await s.QueryAsync<Transition>(SelectTransitions, new { eventId })).ToList();

    public static Task<long> ApprovedAdditionsAsync(this Session s, string subjectId) => s.ScalarAsync<long>(SelectApprovedAdditions, new { subjectId });

    /// <summary>Σ approved deltas that occurred in [from, to).</summary>
    public static Task<long> SumApprovedAsync(this Session s, string subjectId, DateTimeOffset from, DateTimeOffset to) =>
        s.ScalarAsync<long>(SelectBalance, new { subjectId, from, to });

    public static async Task<IReadOnlyList<WeekFigureRow>> WeekFiguresAsync(this Session s, string street, SubjectKind kind, string? community,
        DateTimeOffset cycleStart, DateTimeOffset weekStart, DateTimeOffset weekEnd) =>
        (await s.QueryAsync<WeekFigureRow>(SelectWeekFigures, new { street, kind = kind.ToString(), community, cycleStart, weekStart, weekEnd })).ToList();
}

/// <summary>One audited status change of a score event.</summary>
public sealed class Transition
{
    public string Id { get; init; } = "";
    public string EventId { get; init; } = "";
    public string? FromStatus { get; init; }
    public string ToStatus { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public string ActorId { get; init; } = "";
    public string? Reason { get; init; }
}

public sealed class WeekFigureRow
{
    public string SubjectId { get; init; } = "";
    public string Name { get; init; } = "";
    public string CommunityId { get; init; } = "";
    public long Total { get; init; }
    public long CycleDeductions { get; init; }
    public long WeekAdditions { get; init; }
    public long WeekDeductions { get; init; }

    public WeekFigures ToFigures() => new(SubjectId, StreetSettings.BaseScore + (int)Total, (int)CycleDeductions, (int)WeekAdditions, (int)WeekDeductions);
}
