using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;

namespace Scoring.Storage;

/// <summary>The append-only ledger: score events, their audited status transitions, and the figures derived from them.</summary>
public static class LedgerStore
{
    private const string EventColumns =
        "id, street_id AS StreetId, community_id AS CommunityId, subject_id AS SubjectId, rule_code AS RuleCode, rule_version AS RuleVersion, delta, " +
        "occurred_at AS OccurredAt, reported_at AS ReportedAt, reporter_id AS ReporterId, reporter_role AS ReporterRole, source, evidence, status, escalated_at AS EscalatedAt, target_id AS TargetId";

    private static readonly DialectSql InsertEventSql = DialectSql.Both(
        "INSERT INTO score_events (id, street_id, community_id, subject_id, rule_code, rule_version, delta, occurred_at, week, cycle, reported_at, reporter_id, reporter_role, source, evidence, status, target_id) " +
        "VALUES (@Id, @StreetId, @CommunityId, @SubjectId, @RuleCode, @RuleVersion, @Delta, @OccurredAt, @Week, @Cycle, @ReportedAt, @ReporterId, @ReporterRole, @Source, @Evidence, @Status, @TargetId)");
    private static readonly DialectSql InsertTransitionSql = DialectSql.Both(
        "INSERT INTO event_transitions (id, event_id, from_status, to_status, at, actor_id, reason, kind) VALUES (@Id, @EventId, @From, @To, @At, @ActorId, @Reason, @Kind)");
    private static readonly DialectSql MoveSql = DialectSql.Both("UPDATE score_events SET status = @to WHERE id = @id AND status = @from");
    private static readonly DialectSql SelectEvent = DialectSql.Both($"SELECT {EventColumns} FROM score_events WHERE id = @id");
    private static readonly DialectSql SelectEventBySource = DialectSql.Both($"SELECT {EventColumns} FROM score_events WHERE source = @source");
    private static readonly DialectSql SelectEventsOfSubject = DialectSql.Both($"SELECT {EventColumns} FROM score_events WHERE subject_id = @subjectId AND occurred_at >= @since ORDER BY occurred_at, id");
    private static readonly DialectSql SelectRecentOfSubject = new(
        $"SELECT {EventColumns} FROM score_events WHERE subject_id = @subjectId ORDER BY reported_at DESC, id DESC LIMIT @take",
        $"SELECT TOP (@take) {EventColumns} FROM score_events WHERE subject_id = @subjectId ORDER BY reported_at DESC, id DESC");
    // The subject's events reported since a moment ago, or since the day before a day began (ix_score_events_subject),
    // read for one alike: a report sent again, or an addition that occurred the same day. Held on SQL Server until the
    // unit commits, as the weekly cap's count: two copies on two instances cannot both find none and both record
    // (SQLite's single writer serialises them anyway).
    // The same evidence is the same text exactly on both engines: SQLite's = is binary, SQL Server's default collation
    // (Chinese_PRC_CI_AS) would take 「３０２室」 for 「302室」 and "room 3A" for "Room 3a" — one act there, two here.
    private const string SameEvidenceSqlServer = "evidence = @evidence COLLATE Latin1_General_100_BIN2";
    private const string SameEvidenceSqlite = "evidence = @evidence";
    private static string AlikeWhere(string sameEvidence) => "WHERE subject_id = @subjectId AND reported_at > @since AND reporter_id = @reporterId AND rule_code = @ruleCode " +
        $"AND {sameEvidence} AND status IN ('Pending', 'Approved') AND (reported_at > @recent OR (occurred_at >= @dayFrom AND occurred_at < @dayTo))";
    private static readonly DialectSql SelectAlikeSince = new(
        $"SELECT {EventColumns} FROM score_events {AlikeWhere(SameEvidenceSqlite)} ORDER BY reported_at DESC, id DESC LIMIT 1",
        $"SELECT TOP (1) {EventColumns} FROM score_events WITH (UPDLOCK, HOLDLOCK) {AlikeWhere(SameEvidenceSqlServer)} ORDER BY reported_at DESC, id DESC");
    // On SQL Server the count holds its range until the unit commits, so two reports at once cannot both pass a weekly
    // cap (SQLite's single writer serialises them anyway).
    private static readonly DialectSql CountUnderRuleInWeek = new(
        "SELECT COUNT(*) FROM score_events WHERE subject_id = @subjectId AND rule_code = @ruleCode AND week = @week AND status IN ('Pending', 'Approved')",
        "SELECT COUNT(*) FROM score_events WITH (UPDLOCK, HOLDLOCK) WHERE subject_id = @subjectId AND rule_code = @ruleCode AND week = @week AND status IN ('Pending', 'Approved')");
    // Held on SQL Server until the unit commits, as the weekly cap's count: the system's check and a grid worker's report at once cannot both charge a day.
    // A subject's events under a rule in a cycle, counting or waiting (a few: the rule's weekly cap), and the target's
    // whoever's subject they were (ix_score_events_target; none without a target): the one about the same thing is found
    // among them by its target, or by its evidence normalised (SameInCycleAsync), which SQL cannot compare.
    private const string UnderRuleInCycle = "rule_code = @ruleCode AND cycle = @cycle AND status IN ('Pending', 'Approved')";
    private static readonly DialectSql SelectUnderRuleInCycle = new(
        $"SELECT {EventColumns} FROM score_events WHERE subject_id = @subjectId AND {UnderRuleInCycle} " +
        $"UNION SELECT {EventColumns} FROM score_events WHERE target_id = @targetId AND {UnderRuleInCycle} ORDER BY OccurredAt, id",
        $"SELECT {EventColumns} FROM score_events WITH (UPDLOCK, HOLDLOCK) WHERE subject_id = @subjectId AND {UnderRuleInCycle} " +
        $"UNION SELECT {EventColumns} FROM score_events WITH (UPDLOCK, HOLDLOCK) WHERE target_id = @targetId AND {UnderRuleInCycle} ORDER BY OccurredAt, id");
    private static readonly DialectSql SelectCountedUnderRuleBetween = new(
        "SELECT id FROM score_events WHERE subject_id = @subjectId AND rule_code = @ruleCode AND occurred_at >= @from AND occurred_at < @to AND status IN ('Pending', 'Approved') ORDER BY occurred_at, id LIMIT 1",
        "SELECT TOP (1) id FROM score_events WITH (UPDLOCK, HOLDLOCK) WHERE subject_id = @subjectId AND rule_code = @ruleCode AND occurred_at >= @from AND occurred_at < @to AND status IN ('Pending', 'Approved') ORDER BY occurred_at, id");
    // By the subjects' community now, not the one stored on each event: a landlord moved to another community takes
    // their pending items to that community's secretary. Found through the queues of the street's communities (pending
    // items are few), then kept when their subject is in the community now: through the subjects' index it read every
    // event each of the community's people ever had.
    private const string PendingOfCommunityWhere =
        "community_id IN (SELECT id FROM communities WHERE street_id = (SELECT street_id FROM communities WHERE id = @community)) " +
        "AND status = 'Pending' AND subject_id IN (SELECT id FROM subjects WHERE community_id = @community)";
    private static readonly DialectSql SelectPendingOfCommunity = new(
        $"SELECT {EventColumns} FROM score_events WHERE {PendingOfCommunityWhere} ORDER BY reported_at, id LIMIT @take OFFSET @skip",
        $"SELECT {EventColumns} FROM score_events WHERE {PendingOfCommunityWhere} ORDER BY reported_at, id OFFSET @skip ROWS FETCH NEXT @take ROWS ONLY");
    private static readonly DialectSql CountPendingOfCommunity = DialectSql.Both($"SELECT COUNT(*) FROM score_events WHERE {PendingOfCommunityWhere}");
    // Through the queues of the street's communities (community_id, status, reported_at): by street_id SQLite read every
    // event the street ever had to find the few pending.
    private const string StreetQueues = "community_id IN (SELECT id FROM communities WHERE street_id = @street) AND status = 'Pending'";
    private const string PendingOfStreetWhere = StreetQueues + " AND (@escalatedOnly = 0 OR escalated_at IS NOT NULL)";
    private static readonly DialectSql SelectPendingOfStreet = new(
        $"SELECT {EventColumns} FROM score_events WHERE {PendingOfStreetWhere} ORDER BY reported_at, id LIMIT @take OFFSET @skip",
        $"SELECT {EventColumns} FROM score_events WHERE {PendingOfStreetWhere} ORDER BY reported_at, id OFFSET @skip ROWS FETCH NEXT @take ROWS ONLY");
    private static readonly DialectSql CountPendingOfStreet = DialectSql.Both($"SELECT COUNT(*) FROM score_events WHERE {PendingOfStreetWhere}");
    // The pending reports of one kind of subject that publishing a week would leave out. Pending items are few: found through the communities' queues, then kept when of the cycle up to the week.
    private static readonly DialectSql CountPendingUpToWeek = DialectSql.Both(
        "SELECT COUNT(*) FROM score_events e WHERE e.community_id IN (SELECT id FROM communities WHERE street_id = @street) " +
        "AND e.status = 'Pending' AND e.cycle = @cycle AND e.week <= @week " +
        "AND e.subject_id IN (SELECT id FROM subjects WHERE street_id = @street AND kind = @kind)");
    // The service's status: per street, what waits for verification. Found through each community's queue index
    // (community_id, status, reported_at), so the cost is the pending items' and never the ledger's. CROSS JOIN (with the
    // join's condition in WHERE, the same rows in both dialects) is how SQLite is told to take the communities first:
    // with a plain JOIN it chose to read every event and look up its community.
    private static readonly DialectSql PendingByStreet = DialectSql.Both(
        "SELECT c.street_id AS StreetId, COUNT(*) AS Pending, MIN(e.reported_at) AS OldestReportedAt, " +
        "SUM(CASE WHEN e.escalated_at IS NULL THEN 0 ELSE 1 END) AS Escalated " +
        "FROM communities c CROSS JOIN score_events e WHERE e.community_id = c.id AND e.status = 'Pending' GROUP BY c.street_id ORDER BY c.street_id");
    // The items old enough on the wall clock; the domain says which are due, and each is marked on its own.
    private const string EscalateWhere = "WHERE " + StreetQueues + " AND escalated_at IS NULL AND reported_at <= @cutoff";
    private static readonly DialectSql SelectEscalationCandidates = DialectSql.Both(
        $"SELECT id AS Id, reported_at AS ReportedAt FROM score_events {EscalateWhere} ORDER BY reported_at, id");
    // Another record of a subject under one rule that occurred in a span (a day), standing or waiting: the approved one
    // first, else the earliest reported. Sought through ix_score_events_subject (the subject's events only).
    // With evidence, only a record with the same (an addition's copy: one tenant's one violation reported twice).
    private static string SameRuleWhere(string sameEvidence) => "WHERE subject_id = @subjectId AND rule_code = @ruleCode AND id <> @exceptId " +
        $"AND occurred_at >= @from AND occurred_at < @to AND status IN ('Pending', 'Approved') AND (@evidence IS NULL OR {sameEvidence})";
    private const string SameRuleOrder = "ORDER BY CASE status WHEN 'Approved' THEN 0 ELSE 1 END, reported_at, id";
    private static readonly DialectSql SelectSameRule = new(
        $"SELECT id AS Id, status AS Status FROM score_events {SameRuleWhere(SameEvidenceSqlite)} {SameRuleOrder} LIMIT 1",
        $"SELECT TOP (1) id AS Id, status AS Status FROM score_events {SameRuleWhere(SameEvidenceSqlServer)} {SameRuleOrder}");
    // The id only when this statement marked it: what another instance marked (or decided) first is not returned (on SQL
    // Server the second update waits for the first's row lock and then finds escalated_at set).
    private static readonly DialectSql EscalateOne = new(
        "UPDATE score_events SET escalated_at = @now WHERE id = @id AND status = 'Pending' AND escalated_at IS NULL RETURNING id",
        "UPDATE score_events SET escalated_at = @now OUTPUT inserted.id WHERE id = @id AND status = 'Pending' AND escalated_at IS NULL");
    // An event's transitions form one chain (none → pending → [escalated] → approved|rejected → revoked), so the status
    // they leave (and the escalation, which leaves it pending) orders them even when two share a timestamp or clocks
    // differ (ids are random and would shuffle them).
    internal const string TransitionColumns = "t.id, t.event_id AS EventId, t.from_status AS FromStatus, t.to_status AS ToStatus, t.at, t.actor_id AS ActorId, t.reason, t.kind";
    internal const string ChainOrder = "CASE WHEN t.from_status IS NULL THEN 0 WHEN t.kind = 'Escalation' THEN 1 WHEN t.from_status = 'Pending' THEN 2 ELSE 3 END, t.at, t.id";
    private static readonly DialectSql SelectTransitions = DialectSql.Both(
        $"SELECT {TransitionColumns} FROM event_transitions t WHERE t.event_id = @eventId ORDER BY {ChainOrder}");
    // Every approved addition ever: the reward points a subject has earned (see RewardAccount).
    private const string ApprovedAdditionsSql = "SELECT COALESCE(SUM(delta), 0) FROM score_events WHERE subject_id = @subjectId AND status = 'Approved' AND delta > 0";
    private static readonly DialectSql SelectApprovedAdditions = DialectSql.Both(ApprovedAdditionsSql);
    private static readonly DialectSql SelectBalance = DialectSql.Both(
        "SELECT COALESCE(SUM(delta), 0) FROM score_events WHERE subject_id = @subjectId AND status = 'Approved' AND occurred_at >= @from AND occurred_at < @to");
    // One subject's Σ approved deltas of a cycle up to a week (its weeks by key, in their order), as the week's figures count it.
    private static readonly DialectSql SelectWeekBalanceTotal = DialectSql.Both(
        "SELECT COALESCE(SUM(additions - deductions), 0) FROM subject_week_totals WHERE subject_id = @subjectId AND cycle = @cycle AND week <= @week");
    private static readonly DialectSql SelectCycleTotal = DialectSql.Both(
        "SELECT total FROM subject_cycle_totals WHERE subject_id = @subjectId AND cycle = @cycle");
    // A score card's sums in one statement (on a reader each statement is a read transaction of its own).
    private const string CardFiguresSql =
        "SELECT COALESCE((SELECT total FROM subject_cycle_totals WHERE subject_id = @subjectId AND cycle = @cycle), 0) AS CycleTotal, " +
        "COALESCE((SELECT total FROM subject_cycle_totals WHERE subject_id = @subjectId AND cycle = @previous), 0) AS PreviousCycleTotal, " +
        // Whether the subject belongs to the cycle before at all: something counted in it, or on the roster at any
        // moment of it as a week's lists count people (entered before its end, and no span off the roster covering it
        // whole). Someone entered in January, or off the roster all last year, has no balance of last year to show.
        "CASE WHEN EXISTS (SELECT 1 FROM subject_cycle_totals WHERE subject_id = @subjectId AND cycle = @previous) " +
        "OR EXISTS (SELECT 1 FROM subjects s WHERE s.id = @subjectId AND s.created_at < @previousEnd AND NOT EXISTS (SELECT 1 FROM subject_absences a " +
        "WHERE a.subject_id = s.id AND (a.left_at IS NULL OR a.left_at < @previousStart) AND (a.back_at IS NULL OR a.back_at >= @previousEnd))) " +
        "THEN 1 ELSE 0 END AS InPreviousCycle, " +
        $"({ApprovedAdditionsSql}) AS ApprovedAdditions, ({RecordStore.RedeemedPointsSql}) AS RedeemedPoints, ";
    private static readonly DialectSql SelectCardFigures = DialectSql.Both(CardFiguresSql +
        // How many events the cycle holds, whatever their status (what the history pages through): through
        // ix_score_events_subject's (subject, reported_at) from a day before the cycle began, as no event is reported
        // before it occurred by more than Reporting.MaxAhead, so only this cycle's reports (and a few late ones of the
        // last) are looked up for their cycle, never the subject's years before.
        "(SELECT COUNT(*) FROM score_events WHERE subject_id = @subjectId AND reported_at >= @cycleFloor AND cycle = @cycle) AS CycleEvents");
    // The same sums when the caller knows the count already (the card's latest events reach back past the cycle's floor):
    // the count's cycle is not in ix_score_events_subject, so each event reported since the floor costs a row lookup.
    private static readonly DialectSql SelectCardFiguresUncounted = DialectSql.Both(CardFiguresSql + "0 AS CycleEvents");
    // A subject's history of one cycle (the cycle each event was counted in, as the totals are kept): newest occurrence
    // first, the id ordering events of the same moment, so a page goes on after the last row of the one before (a cursor
    // of its instant and id). Both orders are the engine's own, compared in SQL with the same rules as sorted, never in
    // code: SQLite's text (fixed-width UTC) and binary ids, SQL Server's datetimeoffset and the column's collation (ids
    // are a primary key, so no two compare equal). Read through ix_score_events_subject's (subject) prefix: a subject has
    // some hundreds of events a year and a person reads this now and then, so no index of its own for every report to write.
    private const string HistoryWhere = "subject_id = @subjectId AND cycle = @cycle AND (@status IS NULL OR status = @status)";
    private const string HistoryOrder = "ORDER BY occurred_at DESC, id DESC";
    private const string BeforeCursor = "occurred_at <= @beforeAt AND (occurred_at < @beforeAt OR id < @beforeId)";
    private static readonly DialectSql SelectHistory = new(
        $"SELECT {EventColumns} FROM score_events WHERE {HistoryWhere} {HistoryOrder} LIMIT @take",
        $"SELECT TOP (@take) {EventColumns} FROM score_events WHERE {HistoryWhere} {HistoryOrder}");
    private static readonly DialectSql SelectHistoryBefore = new(
        $"SELECT {EventColumns} FROM score_events WHERE {HistoryWhere} AND {BeforeCursor} {HistoryOrder} LIMIT @take",
        $"SELECT TOP (@take) {EventColumns} FROM score_events WHERE {HistoryWhere} AND {BeforeCursor} {HistoryOrder}");
    // The count and the balance in one statement, so both are of the same moment on SQL Server too.
    private static readonly DialectSql SelectHistoryFigures = DialectSql.Both(
        $"SELECT (SELECT COUNT(*) FROM score_events WHERE {HistoryWhere}) AS Total, " +
        "COALESCE((SELECT total FROM subject_cycle_totals WHERE subject_id = @subjectId AND cycle = @cycle), 0) AS CycleTotal");
    // The transitions of a page's events in one statement: those of the subject's events of the cycle between the page's
    // first and last instants (a neighbour sharing the last instant may come along; the caller keeps the page's own),
    // each event's chain in the order of SelectTransitions.
    private static readonly DialectSql SelectHistoryTransitions = DialectSql.Both(
        $"SELECT {TransitionColumns} FROM event_transitions t JOIN score_events e ON e.id = t.event_id " +
        "WHERE e.subject_id = @subjectId AND e.cycle = @cycle AND e.occurred_at >= @from AND e.occurred_at <= @to " +
        $"ORDER BY t.event_id, {ChainOrder}");
    private static readonly DialectSql SelectPlacement = DialectSql.Both(
        "SELECT subject_id AS SubjectId, week, cycle, delta FROM score_events WHERE id = @id");

    // Approved points are added to (sign = 1) or taken from (sign = -1) the materialised totals.
    private static readonly DialectSql AddToWeekTotals = new(
        "INSERT INTO subject_week_totals (subject_id, week, cycle, additions, deductions) VALUES (@subjectId, @week, @cycle, @additions, @deductions) " +
        "ON CONFLICT(subject_id, week) DO UPDATE SET additions = additions + excluded.additions, deductions = deductions + excluded.deductions",
        "MERGE subject_week_totals WITH (HOLDLOCK) AS t USING (SELECT @subjectId AS subject_id, @week AS week) AS src ON t.subject_id = src.subject_id AND t.week = src.week " +
        "WHEN MATCHED THEN UPDATE SET additions = t.additions + @additions, deductions = t.deductions + @deductions " +
        "WHEN NOT MATCHED THEN INSERT (subject_id, week, cycle, additions, deductions) VALUES (@subjectId, @week, @cycle, @additions, @deductions);");
    private static readonly DialectSql AddToCycleTotals = new(
        "INSERT INTO subject_cycle_totals (subject_id, cycle, total, deductions) VALUES (@subjectId, @cycle, @total, @deductions) " +
        "ON CONFLICT(subject_id, cycle) DO UPDATE SET total = total + excluded.total, deductions = deductions + excluded.deductions",
        "MERGE subject_cycle_totals WITH (HOLDLOCK) AS t USING (SELECT @subjectId AS subject_id, @cycle AS cycle) AS src ON t.subject_id = src.subject_id AND t.cycle = src.cycle " +
        "WHEN MATCHED THEN UPDATE SET total = t.total + @total, deductions = t.deductions + @deductions " +
        "WHEN NOT MATCHED THEN INSERT (subject_id, cycle, total, deductions) VALUES (@subjectId, @cycle, @total, @deductions);");
    private static readonly DialectSql RebuildWeekTotals = DialectSql.Both(
        "INSERT INTO subject_week_totals (subject_id, week, cycle, additions, deductions) " +
        "SELECT subject_id, week, cycle, SUM(CASE WHEN delta > 0 THEN delta ELSE 0 END), SUM(CASE WHEN delta < 0 THEN -delta ELSE 0 END) FROM score_events WHERE status = 'Approved' GROUP BY subject_id, week, cycle");
    private static readonly DialectSql RebuildCycleTotals = DialectSql.Both(
        "INSERT INTO subject_cycle_totals (subject_id, cycle, total, deductions) SELECT subject_id, cycle, SUM(additions - deductions), SUM(deductions) FROM subject_week_totals GROUP BY subject_id, cycle");
    private static readonly DialectSql ClearWeekTotals = DialectSql.Both("DELETE FROM subject_week_totals");
    private static readonly DialectSql ClearCycleTotals = DialectSql.Both("DELETE FROM subject_cycle_totals");

    /// <summary>
    /// A subject's first move at or after the week's end (0610): the community it left is theirs in that week. None
    /// for nearly everyone (they are where they were), and at most one row per subject (one move per moment).
    /// </summary>
    internal const string MovedAfterTheWeek =
        "LEFT JOIN subject_moves mv ON mv.subject_id = s.id AND mv.until_at >= @weekEnd " +
        "AND NOT EXISTS (SELECT 1 FROM subject_moves e WHERE e.subject_id = s.id AND e.until_at >= @weekEnd AND e.until_at < mv.until_at) ";

    /// <summary>
    /// The ranking figures of every subject of a kind in a street (optionally one community, as they were in it at the
    /// week's end: <see cref="MovedAfterTheWeek"/>) on the roster at any moment
    /// of the week, the moments they were taken off and brought back included: everyone but those off it from before the
    /// week's start to its end or later (one span of subject_absences covering it; the few such rows are read once, not
    /// looked up per subject). Being entered after the week does not leave anyone out of it. Read from
    /// the materialised totals: the cycle's total minus what was approved for weeks after this one. The same
    /// arithmetic as <see cref="Balance.ForWeek"/>, which is the specification (a test holds them equal).
    /// The week's own rows are read through the (cycle, week, subject) index, where they lie together; by the
    /// (subject, week) key a city street's 100k look-ups would each land on a different page.
    /// </summary>
    private const string FiguresOfSubjects =
        "SELECT s.id AS SubjectId, s.name AS Name, COALESCE(mv.community_id, s.community_id) AS CommunityId, " +
        "COALESCE(ct.total, 0) - COALESCE(later.total, 0) AS Total, " +
        "COALESCE(ct.deductions, 0) - COALESCE(later.deductions, 0) AS CycleDeductions, " +
        "COALESCE(wk.additions, 0) AS WeekAdditions, COALESCE(wk.deductions, 0) AS WeekDeductions " +
        "FROM subjects s " +
        "LEFT JOIN subject_cycle_totals ct ON ct.subject_id = s.id AND ct.cycle = @cycle " +
        "LEFT JOIN (SELECT subject_id, additions, deductions FROM subject_week_totals WHERE cycle = @cycle AND week = @week) wk ON wk.subject_id = s.id " +
        "LEFT JOIN (SELECT subject_id, SUM(additions - deductions) AS total, SUM(deductions) AS deductions FROM subject_week_totals " +
        "           WHERE cycle = @cycle AND week > @week GROUP BY subject_id) later ON later.subject_id = s.id " +
        MovedAfterTheWeek +
        "WHERE s.street_id = @street AND s.kind = @kind AND (@community IS NULL OR COALESCE(mv.community_id, s.community_id) = @community) " +
        "AND s.id NOT IN (SELECT subject_id FROM subject_absences WHERE (left_at IS NULL OR left_at < @weekStart) AND (back_at IS NULL OR back_at >= @weekEnd))";

    private static readonly DialectSql SelectWeekFigures = DialectSql.Both(FiguresOfSubjects);

    // The candidates of a week's lists (WeeklyList's order: balance high first, fewer cycle deductions, more week
    // additions; Total > 0 is a balance above the base). The list's last place (row @redSize or @blackSize of the
    // eligible in that order) is found with a LIMIT sort that keeps one row; everyone eligible and not behind it is
    // within the list's size, ties at the cut included. With fewer eligible than that, there is no cut: all are in.
    private const string RedCandidates =
        "SELECT f.* FROM f LEFT JOIN red_cut c ON 1 = 1 WHERE @redSize > 0 AND f.Total > 0 AND f.WeekDeductions = 0 AND (c.Total IS NULL OR f.Total > c.Total " +
        "OR (f.Total = c.Total AND (f.CycleDeductions < c.CycleDeductions OR (f.CycleDeductions = c.CycleDeductions AND f.WeekAdditions >= c.WeekAdditions)))) ";
    private const string BlackCandidates =
        "SELECT f.* FROM f LEFT JOIN black_cut c ON 1 = 1 WHERE @blackSize > 0 AND f.Total < 0 AND (c.Total IS NULL OR f.Total < c.Total " +
        "OR (f.Total = c.Total AND (f.CycleDeductions > c.CycleDeductions OR (f.CycleDeductions = c.CycleDeductions AND f.WeekAdditions <= c.WeekAdditions))))";
    private const string RedOrder = "ORDER BY Total DESC, CycleDeductions, WeekAdditions DESC";
    private const string BlackOrder = "ORDER BY Total, CycleDeductions DESC, WeekAdditions";

    /// <summary>
    /// The figures of the subjects on a week's red and black lists — the eligible within the list's size, ties at
    /// the cut included — so that publishing ranks a handful of rows instead of a city street.
    /// SQLite is told to compute <c>f</c> once (3.53 would otherwise inline it into all four uses). SQL Server may evaluate
    /// a CTE per use, and under READ COMMITTED an approval committed between two uses would make the cut disagree with
    /// the candidates (a list one short): there the figures are read once into a temporary table.
    /// </summary>
    private static readonly DialectSql SelectListCandidates = new(
        $"WITH f AS MATERIALIZED ({FiguresOfSubjects}), " +
        $"red_cut AS (SELECT Total, CycleDeductions, WeekAdditions FROM f WHERE Total > 0 AND WeekDeductions = 0 {RedOrder} LIMIT 1 OFFSET @redCut), " +
        $"black_cut AS (SELECT Total, CycleDeductions, WeekAdditions FROM f WHERE Total < 0 {BlackOrder} LIMIT 1 OFFSET @blackCut) " +
        $"{RedCandidates}UNION ALL {BlackCandidates}",
        "SET NOCOUNT ON; IF OBJECT_ID('tempdb..#figures') IS NOT NULL DROP TABLE #figures; " +
        "CREATE TABLE #figures (SubjectId NVARCHAR(100) NOT NULL, Name NVARCHAR(200) NOT NULL, CommunityId NVARCHAR(100) NOT NULL, " +
        "Total INT NOT NULL, CycleDeductions INT NOT NULL, WeekAdditions INT NOT NULL, WeekDeductions INT NOT NULL); " +
        $"INSERT INTO #figures (SubjectId, Name, CommunityId, Total, CycleDeductions, WeekAdditions, WeekDeductions) {FiguresOfSubjects}; " +
        "WITH f AS (SELECT * FROM #figures), " +
        $"red_cut AS (SELECT Total, CycleDeductions, WeekAdditions FROM f WHERE Total > 0 AND WeekDeductions = 0 {RedOrder} OFFSET @redCut ROWS FETCH NEXT 1 ROWS ONLY), " +
        $"black_cut AS (SELECT Total, CycleDeductions, WeekAdditions FROM f WHERE Total < 0 {BlackOrder} OFFSET @blackCut ROWS FETCH NEXT 1 ROWS ONLY) " +
        $"{RedCandidates}UNION ALL {BlackCandidates}; DROP TABLE #figures;");

    /// <summary>Appends an event; an event approved from the start counts in the totals at once.</summary>
    public static async Task InsertEventAsync(this Session s, ScoreEvent e, IsoWeek week, ScoringCycle cycle)
    {
        await s.ExecuteAsync(InsertEventSql, new
        {
            e.Id, e.StreetId, e.CommunityId, e.SubjectId, e.RuleCode, e.RuleVersion, e.Delta, e.OccurredAt, Week = week.ToString(), Cycle = cycle.Key, e.ReportedAt,
            e.ReporterId, ReporterRole = e.ReporterRole.ToString(), e.Source, e.Evidence, Status = e.Status.ToString(), e.TargetId,
        });
        if (e.Status == EventStatus.Approved) await AddToTotalsAsync(s, e.SubjectId, week.ToString(), cycle.Key, e.Delta, +1);
    }

    private static async Task AddToTotalsAsync(Session s, string subjectId, string week, string cycle, int delta, int sign)
    {
        int additions = delta > 0 ? delta * sign : 0, deductions = delta < 0 ? -delta * sign : 0;
        await s.ExecuteAsync(AddToWeekTotals, new { subjectId, week, cycle, additions, deductions });
        await s.ExecuteAsync(AddToCycleTotals, new { subjectId, cycle, total = delta * sign, deductions });
    }

    /// <summary>Recomputes the materialised totals from the ledger (after bulk loads or a change of a street's cycle).</summary>
    public static async Task RebuildTotalsAsync(this Session s)
    {
        await s.ExecuteAsync(ClearWeekTotals);
        await s.ExecuteAsync(ClearCycleTotals);
        await s.ExecuteAsync(RebuildWeekTotals);
        await s.ExecuteAsync(RebuildCycleTotals);
    }

    public static Task InsertTransitionAsync(this Session s, string id, string eventId, EventStatus? from, EventStatus to, DateTimeOffset at, string actorId, string? reason,
        TransitionKind kind = TransitionKind.Status) =>
        s.ExecuteAsync(InsertTransitionSql, new { Id = id, EventId = eventId, From = from?.ToString(), To = to.ToString(), At = at, ActorId = actorId, Reason = reason, Kind = kind.ToString() });

    /// <summary>
    /// Moves an event from one status to another; 0 rows when someone else moved it first. Approving adds its
    /// points to the totals and revoking takes them away, in the same transaction.
    /// </summary>
    public static async Task<int> MoveAsync(this Session s, string id, EventStatus from, EventStatus to)
    {
        var moved = await s.ExecuteAsync(MoveSql, new { id, from = from.ToString(), to = to.ToString() });
        int sign = (from, to) switch { (_, EventStatus.Approved) => +1, (EventStatus.Approved, _) => -1, _ => 0 };
        if (moved > 0 && sign != 0 && await s.FirstOrDefaultAsync<Placement>(SelectPlacement, new { id }) is { } p)
            await AddToTotalsAsync(s, p.SubjectId, p.Week, p.Cycle, (int)p.Delta, sign);
        return moved;
    }

    private sealed class Placement
    {
        public string SubjectId { get; init; } = "";
        public string Week { get; init; } = "";
        public string Cycle { get; init; } = "";
        public long Delta { get; init; }
    }

    public static Task<ScoreEvent?> GetEventAsync(this Session s, string id) => s.FirstOrDefaultAsync<ScoreEvent>(SelectEvent, new { id });
    public static Task<ScoreEvent?> GetEventBySourceAsync(this Session s, string source) => s.FirstOrDefaultAsync<ScoreEvent>(SelectEventBySource, new { source });

    /// <summary>
    /// The latest event counting or waiting by the same reporter about the subject under the rule with the same evidence,
    /// reported after <paramref name="recent"/> or that occurred within <paramref name="day"/> (either may be null): one
    /// statement, through the subject's reports since the earlier of the two (a day's events are reported from a day before
    /// at the earliest, as no event is reported before it occurred by more than Reporting.MaxAhead).
    /// </summary>
    public static Task<ScoreEvent?> GetAlikeEventAsync(this Session s, string subjectId, string reporterId, string ruleCode, string evidence,
        DateTimeOffset? recent, (DateTimeOffset From, DateTimeOffset To)? day)
    {
        var since = recent ?? DateTimeOffset.MaxValue;
        if (day is { } d && d.From.AddDays(-1) < since) since = d.From.AddDays(-1);
        return s.FirstOrDefaultAsync<ScoreEvent>(SelectAlikeSince, new { subjectId, reporterId, ruleCode, evidence, since, recent, dayFrom = day?.From, dayTo = day?.To });
    }

    public static async Task<IReadOnlyList<ScoreEvent>> EventsOfSubjectAsync(this Session s, string subjectId, DateTimeOffset since) =>
        (await s.QueryAsync<ScoreEvent>(SelectEventsOfSubject, new { subjectId, since })).ToList();

    public static async Task<IReadOnlyList<ScoreEvent>> RecentEventsAsync(this Session s, string subjectId, int take) =>
        (await s.QueryAsync<ScoreEvent>(SelectRecentOfSubject, new { subjectId, take })).ToList();

    /// <summary>
    /// At most <paramref name="take"/> of a subject's events counted in <paramref name="cycle"/> (of one status, unless
    /// null), newest occurrence first, then by id; with <paramref name="before"/>, those after that (instant, id) in that order.
    /// </summary>
    public static async Task<IReadOnlyList<ScoreEvent>> HistoryAsync(this Session s, string subjectId, ScoringCycle cycle, EventStatus? status,
        (DateTimeOffset OccurredAt, string Id)? before, int take) =>
        (before is { } b
            ? await s.QueryAsync<ScoreEvent>(SelectHistoryBefore, new { subjectId, cycle = cycle.Key, status = status?.ToString(), beforeAt = b.OccurredAt, beforeId = b.Id, take })
            : await s.QueryAsync<ScoreEvent>(SelectHistory, new { subjectId, cycle = cycle.Key, status = status?.ToString(), take })).ToList();

    /// <summary>How many events <see cref="HistoryAsync"/> pages through, and Σ approved deltas of the cycle (<see cref="CycleTotalAsync"/>).</summary>
    public static async Task<HistoryFigures> HistoryFiguresAsync(this Session s, string subjectId, ScoringCycle cycle, EventStatus? status) =>
        (await s.FirstOrDefaultAsync<HistoryFigures>(SelectHistoryFigures, new { subjectId, cycle = cycle.Key, status = status?.ToString() }))!;

    /// <summary>The transitions of a subject's events of <paramref name="cycle"/> that occurred in [from, to], each event's in order.</summary>
    public static async Task<IReadOnlyList<Transition>> HistoryTransitionsAsync(this Session s, string subjectId, ScoringCycle cycle, DateTimeOffset from, DateTimeOffset to) =>
        (await s.QueryAsync<Transition>(SelectHistoryTransitions, new { subjectId, cycle = cycle.Key, from, to })).ToList();

    public static Task<long> CountUnderRuleInWeekAsync(this Session s, string subjectId, string ruleCode, string week) =>
        s.ScalarAsync<long>(CountUnderRuleInWeek, new { subjectId, ruleCode, week });

    /// <summary>
    /// The first event under the rule about the same thing counted in <paramref name="cycle"/>, pending or approved; null
    /// when none. The same thing is the same <paramref name="targetId"/> when both it and the event have one (a shop,
    /// whatever it is called now and whoever heads it), else, among the subject's events, the same evidence — typed in
    /// chat (a shop's name), compared by <see cref="Comparable"/>: 「汽配一号店。」 is 汽配一号店.
    /// </summary>
    public static async Task<ScoreEvent?> SameInCycleAsync(this Session s, string subjectId, string ruleCode, string evidence, string? targetId, ScoringCycle cycle)
    {
        var wanted = Comparable(evidence);
        var events = await s.QueryAsync<ScoreEvent>(SelectUnderRuleInCycle, new { subjectId, ruleCode, cycle = cycle.Key, targetId });
        return events.FirstOrDefault(e => targetId is not null && e.TargetId is not null ? e.TargetId == targetId
            : e.SubjectId == subjectId && Comparable(e.Evidence) == wanted);
    }

    /// <summary>Text as compared for the same thing: without its spaces, punctuation, width or case.</summary>
    public static string Comparable(string text) =>
        new string(text.Normalize(System.Text.NormalizationForm.FormKC).Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();

    /// <summary>The first event under a rule, pending or approved, that occurred from <paramref name="from"/> until before <paramref name="to"/>; null when none.</summary>
    public static Task<string?> CountedUnderRuleBetweenAsync(this Session s, string subjectId, string ruleCode, DateTimeOffset from, DateTimeOffset to) =>
        s.FirstOrDefaultAsync<string>(SelectCountedUnderRuleBetween, new { subjectId, ruleCode, from, to });

    /// <summary>A community's pending events, oldest first, at most <paramref name="take"/> of them after the <paramref name="skip"/> oldest (a page of the queue).</summary>
    public static async Task<IReadOnlyList<ScoreEvent>> PendingOfCommunityAsync(this Session s, string community, int take = int.MaxValue, int skip = 0) =>
        (await s.QueryAsync<ScoreEvent>(SelectPendingOfCommunity, new { community, take, skip })).ToList();
    public static async Task<int> CountPendingOfCommunityAsync(this Session s, string community) =>
        (int)await s.ScalarAsync<long>(CountPendingOfCommunity, new { community });

    public static async Task<IReadOnlyList<ScoreEvent>> PendingOfStreetAsync(this Session s, string street, bool escalatedOnly, int take = int.MaxValue, int skip = 0) =>
        (await s.QueryAsync<ScoreEvent>(SelectPendingOfStreet, new { street, escalatedOnly = escalatedOnly ? 1 : 0, take, skip })).ToList();
    public static async Task<int> CountPendingOfStreetAsync(this Session s, string street, bool escalatedOnly) =>
        (int)await s.ScalarAsync<long>(CountPendingOfStreet, new { street, escalatedOnly = escalatedOnly ? 1 : 0 });

    /// <summary>Per street with any, how many reports wait for verification, since when the oldest, and how many of them escalated.</summary>
    public static async Task<IReadOnlyList<StreetPendingFigures>> PendingByStreetAsync(this Session s) =>
        (await s.QueryAsync<StreetPendingFigures>(PendingByStreet)).ToList();

    /// <summary>
    /// How many reports about a kind of subject still wait for verification whose approval would change the lists of
    /// <paramref name="week"/>: those that occurred in its cycle up to the week's end (a week's balance counts them all).
    /// </summary>
    public static async Task<int> CountPendingUpToWeekAsync(this Session s, string street, ScoringCycle cycle, IsoWeek week, SubjectKind kind) =>
        (int)await s.ScalarAsync<long>(CountPendingUpToWeek, new { street, cycle = cycle.Key, week = week.ToString(), kind = kind.ToString() });

    /// <summary>
    /// Marks a street's pending items reported at or before <paramref name="cutoff"/> as escalated at <paramref name="now"/>;
    /// returns the ids of those this call marked (none that were marked already).
    /// </summary>
    /// <remarks>
    /// Of the items reported at or before <paramref name="cutoff"/>, only those <paramref name="due"/> says are (by when each
    /// was reported; all when null): the cutoff is a coarse bound, the rule the domain's (VerificationClock.IsEscalationDue).
    /// </remarks>
    public static async Task<IReadOnlyList<string>> EscalateAsync(this Session s, string street, DateTimeOffset cutoff, DateTimeOffset now, Func<DateTimeOffset, bool>? due = null)
    {
        var marked = new List<string>();
        foreach (var candidate in await s.QueryAsync<EscalationCandidate>(SelectEscalationCandidates, new { street, cutoff }))
            if ((due is null || due(candidate.ReportedAt)) && await s.FirstOrDefaultAsync<string>(EscalateOne, new { id = candidate.Id, now }) is { } id)
                marked.Add(id);
        return marked;
    }

    /// <summary>
    /// Another record of <paramref name="subjectId"/> under <paramref name="ruleCode"/> (not <paramref name="exceptId"/>)
    /// that occurred in [<paramref name="from"/>, <paramref name="to"/>) and is approved or pending (with
    /// <paramref name="evidence"/>, only one with that evidence as stored); the approved one first.
    /// </summary>
    public static async Task<(string Id, EventStatus Status)?> SameRuleRecordAsync(this Session s, string subjectId, string ruleCode, string exceptId, DateTimeOffset from, DateTimeOffset to,
        string? evidence = null) =>
        await s.FirstOrDefaultAsync<SameRuleRow>(SelectSameRule, new { subjectId, ruleCode, exceptId, from, to, evidence }) is { } row
            ? (row.Id, Enum.Parse<EventStatus>(row.Status)) : null;

    private sealed class SameRuleRow
    {
        public string Id { get; set; } = "";
        public string Status { get; set; } = "";
    }

    private sealed class EscalationCandidate
    {
        public string Id { get; set; } = "";
        public DateTimeOffset ReportedAt { get; set; }
    }

    public static async Task<IReadOnlyList<Transition>> TransitionsAsync(this Session s, string eventId) =>
        (await s.QueryAsync<Transition>(SelectTransitions, new { eventId })).ToList();

    public static Task<long> ApprovedAdditionsAsync(this Session s, string subjectId) => s.ScalarAsync<long>(SelectApprovedAdditions, new { subjectId });

    /// <summary>
    /// What a score card sums: the approved deltas of <paramref name="cycle"/> (<see cref="CycleTotalAsync"/>), every
    /// approved addition (<see cref="ApprovedAdditionsAsync"/>) and every redeemed point (<see cref="RecordStore.RedeemedPointsAsync"/>).
    /// </summary>
    /// <param name="previous">The cycle before, whose total the card names beside (0 when null), with the zone its weeks run in
    /// (whether the subject was on the roster in it at all: <see cref="CardFigures.InPreviousCycle"/>).</param>
    /// <param name="cycleStart">When <paramref name="cycle"/> began in the street's zone: <see cref="CardFigures.CycleEvents"/> looks at the
    /// reports from a day before (all of the subject's when null).</param>
    /// <param name="countEvents">False when the caller has the count already (<see cref="CardFigures.CycleEvents"/> is then 0).</param>
    public static async Task<CardFigures> CardFiguresAsync(this Session s, string subjectId, ScoringCycle cycle, (ScoringCycle Cycle, TimeZoneInfo Zone)? previous = null,
        DateTimeOffset? cycleStart = null, bool countEvents = true) =>
        (await s.FirstOrDefaultAsync<CardFigures>(countEvents ? SelectCardFigures : SelectCardFiguresUncounted, new
        {
            subjectId, cycle = cycle.Key, cycleFloor = cycleStart is { } start ? CycleFloor(start) : DateTimeOffset.MinValue, previous = previous?.Cycle.Key,
            previousStart = previous is { } p ? p.Cycle.Start(p.Zone) : (DateTimeOffset?)null,
            previousEnd = previous is { } q ? q.Cycle.End(q.Zone) : (DateTimeOffset?)null,
        }))!;

    /// <summary>
    /// The earliest a report of a cycle that began at <paramref name="cycleStart"/> can have been made: a day before, as no
    /// event is reported before it occurred by more than Reporting.MaxAhead. Every event of the cycle is reported since.
    /// </summary>
    public static DateTimeOffset CycleFloor(DateTimeOffset cycleStart) => cycleStart.AddDays(-1);

    /// <summary>Σ approved deltas of <paramref name="cycle"/> up to the end of <paramref name="week"/>, from the materialised totals (a week's balance less the base).</summary>
    public static Task<long> WeekBalanceTotalAsync(this Session s, string subjectId, ScoringCycle cycle, IsoWeek week) =>
        s.ScalarAsync<long>(SelectWeekBalanceTotal, new { subjectId, cycle = cycle.Key, week = week.ToString() });

    /// <summary>Σ approved deltas of a cycle, from the materialised totals.</summary>
    public static async Task<long> CycleTotalAsync(this Session s, string subjectId, ScoringCycle cycle) =>
        await s.ScalarAsync<long?>(SelectCycleTotal, new { subjectId, cycle = cycle.Key }) ?? 0;

    /// <summary>Σ approved deltas that occurred in [from, to), straight from the ledger.</summary>
    public static Task<long> SumApprovedAsync(this Session s, string subjectId, DateTimeOffset from, DateTimeOffset to) =>
        s.ScalarAsync<long>(SelectBalance, new { subjectId, from, to });

    /// <summary>The figures of every subject of a kind counted in <paramref name="week"/> (as weeks run in <paramref name="zone"/>).</summary>
    public static Task<IReadOnlyList<WeekFigureRow>> WeekFiguresAsync(this Session s, string street, SubjectKind kind, string? community, ScoringCycle cycle, IsoWeek week, TimeZoneInfo zone) =>
        ReadFiguresAsync(s, SelectWeekFigures, street, kind, community, cycle, week, zone, sizes: null);

    /// <summary>
    /// The figures of exactly the subjects on the week's red list of <paramref name="redSize"/> and black list of
    /// <paramref name="blackSize"/> (ties at the cut included): WeeklyList.From over these gives the same two lists as over everyone.
    /// </summary>
    public static Task<IReadOnlyList<WeekFigureRow>> ListCandidatesAsync(this Session s, string street, SubjectKind kind, ScoringCycle cycle, IsoWeek week, TimeZoneInfo zone, int redSize, int blackSize) =>
        ReadFiguresAsync(s, SelectListCandidates, street, kind, null, cycle, week, zone, sizes: (redSize, blackSize));

    /// <summary>
    /// Reads figure rows with typed getters on a plain command: for the 100k rows of a city street Dapper's
    /// mapping cost as much as the query itself.
    /// </summary>
    private static async Task<IReadOnlyList<WeekFigureRow>> ReadFiguresAsync(Session s, DialectSql sql, string street, SubjectKind kind, string? community,
        ScoringCycle cycle, IsoWeek week, TimeZoneInfo zone, (int Red, int Black)? sizes)
    {
        await using var command = s.Connection.CreateCommand();
        command.Transaction = s.Transaction;
        command.CommandText = sql.For(s.Provider);
        Add(command, "@street", street);
        Add(command, "@kind", kind.ToString());
        Add(command, "@community", community);
        Add(command, "@cycle", cycle.Key);
        Add(command, "@week", week.ToString());
        // As every instant is stored: sortable UTC text on SQLite, datetimeoffset on SQL Server.
        foreach (var (name, at) in new[] { ("@weekStart", week.Start(zone)), ("@weekEnd", week.End(zone)) })
            if (s.Provider == StorageProvider.Sqlite) Add(command, name, DateTimeOffsetHandler.ToText(at));
            else Add(command, name, at);
        if (sizes is { } size)
        {
            Add(command, "@redSize", size.Red);
            Add(command, "@blackSize", size.Black);
            // The offset of the list's last place; a list of size 0 has none and no candidates either.
            Add(command, "@redCut", Math.Max(size.Red - 1, 0));
            Add(command, "@blackCut", Math.Max(size.Black - 1, 0));
        }
        await using var reader = await command.ExecuteReaderAsync(s.CancellationToken);
        var rows = new List<WeekFigureRow>();
        // SQLite hands back 64-bit integers; SQL Server's int columns need converting.
        bool sqlite = s.Provider == StorageProvider.Sqlite;
        long Long(int i) => sqlite ? reader.GetInt64(i) : Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
        while (await reader.ReadAsync(s.CancellationToken))
        {
            rows.Add(new WeekFigureRow
            {
                SubjectId = reader.GetString(0), Name = reader.GetString(1), CommunityId = reader.GetString(2),
                Total = Long(3), CycleDeductions = Long(4), WeekAdditions = Long(5), WeekDeductions = Long(6),
            });
        }
        return rows;
    }

    private static void Add(System.Data.Common.DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.DbType = value switch { int => System.Data.DbType.Int32, DateTimeOffset => System.Data.DbType.DateTimeOffset, _ => System.Data.DbType.String };
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }
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
    /// <summary>A <see cref="TransitionKind"/>: a change of status, or an escalation (the status stays pending).</summary>
    public string Kind { get; init; } = nameof(TransitionKind.Status);
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

/// <summary>A subject's history's count and its cycle's sum (see <see cref="LedgerStore.HistoryFiguresAsync"/>).</summary>
public sealed class HistoryFigures
{
    public long Total { get; init; }
    public long CycleTotal { get; init; }
}

/// <summary>A score card's sums (see <see cref="LedgerStore.CardFiguresAsync"/>).</summary>
public sealed class CardFigures
{
    public long CycleTotal { get; init; }
    public long PreviousCycleTotal { get; init; }
    /// <summary>1 when the subject belongs to the cycle before (something counted in it, or on the roster at some moment of it); 0 for someone entered since, or off the roster all of it.</summary>
    public long InPreviousCycle { get; init; }
    public long ApprovedAdditions { get; init; }
    public long RedeemedPoints { get; init; }
    /// <summary>How many events of any status the cycle holds (as <see cref="HistoryFigures.Total"/> counts them unfiltered).</summary>
    public long CycleEvents { get; init; }
}

/// <summary>What waits for verification in one street: how many, the oldest's report time, how many escalated to its officers.</summary>
public sealed class StreetPendingFigures
{
    public string StreetId { get; init; } = "";
    public long Pending { get; init; }
    public DateTimeOffset OldestReportedAt { get; init; }
    public long Escalated { get; init; }
}
