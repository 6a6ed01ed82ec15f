using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>A report to score: who about whom, under which rule, when, and the evidence.</summary>
public sealed record ReportRequest(Actor Reporter, string SubjectId, string RuleCode, string Source, string Evidence, DateTimeOffset? OccurredAt = null)
{
    /// <summary>
    /// Its source tells nothing of a copy (a chat message sent again is an activity of its own): the same reporter's
    /// report about the subject under the rule with the same evidence, within <see cref="PlainRetry.Window"/> and still
    /// pending or approved, is this one sent again, and is answered instead of recorded twice.
    /// </summary>
    public bool SameRecentlyIsRetry { get; init; }
}

/// <summary>What a reporter is told: the event, the points at stake and the balance now.</summary>
/// <param name="Replayed">Nothing new was recorded: this is an earlier report's receipt, whether this request was that one
/// again (its source seen before: the HTTP door answers it as its first answer, 200) or a copy of it
/// (<see cref="AlreadyRecorded"/>).</param>
public sealed record ReportReceipt(ScoreEvent Event, Rule Rule, Subject Subject, int Balance, bool Replayed)
{
    /// <summary>
    /// Replayed, and from a request of its own: another message made the same report a moment ago
    /// (<see cref="ReportRequest.SameRecentlyIsRetry"/>), which the chat tells the reporter (已在 09:00 上报过). A source
    /// seen before is the same message, answered as the first time without saying so: then this is false.
    /// </summary>
    public bool AlreadyRecorded { get; init; }

    /// <summary>Why the event was rejected (a deduction: waived) or revoked, on a receipt of one decided before this report came again.</summary>
    public string? Reason { get; init; }

    /// <summary>The week the event counts in (as the ledger stored it) and that week's cycle.</summary>
    public IsoWeek Week { get; init; }

    /// <inheritdoc cref="Week"/>
    public ScoringCycle Cycle { get; init; }

    /// <summary>
    /// The cycle it counted in when that is over, with that cycle's balance (a report of late December made in January):
    /// <see cref="Balance"/> is the current cycle's, which the event did not change. Null while it is the current cycle.
    /// </summary>
    public EarlierCycle? Earlier { get; init; }

    /// <summary>
    /// Published weeks whose balances this event changed, approved as it was recorded (a secretary's or officer's own
    /// report dated back into a week already published), as an approval names them (<see cref="Decision.PublishedWeeksAffected"/>).
    /// </summary>
    public IReadOnlyList<string> PublishedWeeksAffected { get; init; } = [];

    /// <summary>
    /// Another record, approved or pending, of the subject under the rule on the same local day, when this is a deduction a
    /// person reported (<see cref="Verification.SameDayRecordAsync"/>): both doors tell the reporter, so the copy of one
    /// failure reported twice is caught. Null otherwise, and on a receipt of a report already recorded.
    /// </summary>
    public SameDayRecord? SameDay { get; init; }
}

/// <summary>A shop head's daily round: its local day, and whether it came too late to count.</summary>
/// <param name="Late">Reported after the day's deadline: the day's missed round stands (<paramref name="Missed"/> once recorded, by the system or by a grid worker or secretary).</param>
/// <param name="AlreadyReportedAt">When the day's round was first reported, if this report repeats it (nothing is recorded twice).</param>
/// <param name="Deadline">The deadline the day keeps (an officer moving it earlier during the day does not move it for that day).</param>
/// <param name="ChargeToCome">Late, not charged yet, and the day still open: the system's check will record the missed round. A day
/// already checked (its charge by hand withdrawn since) or never seen open is charged by nobody.</param>
public sealed record RoundReceipt(DateOnly Day, bool Late, ScoreEvent? Missed, DateTimeOffset? AlreadyReportedAt, DateTimeOffset Deadline, bool ChargeToCome);

/// <summary>A cycle already over that an event counted in: the event's week, the cycle, and the cycle's balance (base + its approved deltas).</summary>
public sealed record EarlierCycle(IsoWeek Week, ScoringCycle Cycle, int Balance);

/// <summary>A landlord's report that a tenant came back, and what it cost if it came late.</summary>
/// <param name="AlreadyRecorded">An earlier message reported the same return (tenant and arrival): nothing new was recorded.</param>
public sealed record ReturnReceipt(Tenant Tenant, DateTimeOffset ArrivalAt, bool Late, DateTimeOffset DueAt, ReportReceipt? Deduction, int Balance, bool AlreadyRecorded = false)
{
    /// <summary>When the return was recorded: now, or by the earlier message (the chat says when, 已在 09:00 登记过).</summary>
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>
    /// The earlier report of the same stay this one corrects (another arrival, late too, or in time while
    /// <see cref="Late"/> is false): its charge, in <see cref="Deduction"/>, is the one charge of both
    /// (<see cref="Reporting.ReportReturnInAsync"/>); null otherwise.
    /// </summary>
    public CorrectedReturn? Corrects { get; init; }
}

/// <summary>A return reported before, with the arrival it gave and when it was reported.</summary>
public sealed record CorrectedReturn(DateTimeOffset ArrivalAt, DateTimeOffset ReportedAt);

/// <summary>
/// The report use case, written once for both doors (chat and HTTP): validates, scores under the rule
/// set in force, enforces weekly caps, and writes the event and its first audit line in one transaction.
/// A source (chat activity id / request id) that was seen before gets the first answer again.
/// </summary>
public sealed class Reporting(Database db, TimeProvider time, INotices notices)
{
    private readonly RecentReturns _recentReturns = new();

    public const int MaxEvidenceLength = 2000;

    /// <summary>How far ahead of the clock a report may be dated (a phone's clock a few minutes fast).</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromMinutes(5);

    public async Task<Outcome<ReportReceipt>> ReportAsync(ReportRequest r, CancellationToken ct = default)
    {
        try
        {
            return await db.WriteAsync(s => ReportInAsync(s, r), ct);
        }
        catch (RefusedException e) { return e.Failure; }
    }

    /// <summary>The report inside a caller's unit of work (so a chat turn can record its reply in the same transaction).</summary>
    public async Task<ReportReceipt> ReportInAsync(Session s, ReportRequest r) => (await ScoreInAsync(s, r, detected: false))!;

    /// <summary>
    /// A failure the system detected (a late return, a missed round), inside the caller's unit of work. Null when the
    /// street's rules in force then do not call for it (no such rule for the subject, not one the system reports, or the
    /// subject already at the rule's weekly cap): then there is nothing to record, and whatever the system was doing
    /// (taking a return, checking rounds) goes on.
    /// </summary>
    public Task<ReportReceipt?> RecordDetectedInAsync(Session s, string subjectId, string ruleCode, string source, string evidence, DateTimeOffset dueAt) =>
        ScoreInAsync(s, new ReportRequest(Actor.System, subjectId, ruleCode, source, evidence, dueAt), detected: true);

    /// <summary>A report; when <paramref name="detected"/>, what the rules do not call for is null rather than a refusal.</summary>
    private async Task<ReportReceipt?> ScoreInAsync(Session s, ReportRequest r, bool detected)
    {
        var now = time.GetUtcNow();
        if (await s.GetEventBySourceAsync(r.Source) is { } earlier)
        {
            // A replay is only for the same reporter's same report: nobody learns another's receipt by reusing its source.
            if (earlier.ReporterId != r.Reporter.Id || earlier.SubjectId != r.SubjectId || !string.Equals(earlier.RuleCode, r.RuleCode, StringComparison.OrdinalIgnoreCase))
                throw new RefusedException(Failure.Conflict("source-reused", "This request id was already used for a different report.", "该请求编号已用于另一条上报。"));
            var subj = (await s.GetSubjectAsync(earlier.SubjectId))!;
            var rs = await RuleSetOfAsync(s, subj.StreetId, earlier.OccurredAt);
            var at = (await s.GetStreetAsync(subj.StreetId))!;
            // Answered as the first time, the same-day record included (a deduction's only: no statement for others).
            return await CountedAsync(s, new ReportReceipt(earlier, rs.Find(earlier.RuleCode) ?? RuleOf(earlier), subj, await CurrentBalanceAsync(s, subj, now), Replayed: true)
                { Reason = await ReasonOfAsync(s, earlier), SameDay = earlier.Delta < 0 ? await Verification.SameDayRecordAsync(s, earlier, at.Settings) : null }, at, now, null);
        }

        var subject = await s.GetSubjectAsync(r.SubjectId);
        if (subject is null || !subject.Active)
            throw new RefusedException(NoActiveSubject(r.SubjectId));
        var street = (await s.GetStreetAsync(subject.StreetId))!;
        var occurred = r.OccurredAt ?? now;
        if (occurred > now + MaxAhead)
            throw new RefusedException(Failure.Invalid("in-future", "That time is in the future.", "时间不能晚于现在。"));
        // Against people's slips of the date; a detected failure occurs when its duty fell due, however long ago.
        if (!detected && occurred < now - TimeSpan.FromDays(60))
            throw new RefusedException(Failure.Invalid("too-old", "That is more than 60 days ago; ask the street office to correct old records.", "时间早于60天前，旧记录请联系街道更正。"));
        // A person's evidence is read by the secretary who decides on it: nothing in it may read reordered or hide text.
        // What the system detected it writes itself, from names already checked.
        var evidence = detected ? r.Evidence.Trim() : RosterText.Text(r.Evidence, "evidence", "evidence", "说明") switch
        {
            { Failure: { } refused } => throw new RefusedException(refused),
            var written => written.Value!,
        };
        if (evidence.Length > MaxEvidenceLength)
            throw new RefusedException(Failure.Invalid("evidence-too-long", $"Evidence is limited to {MaxEvidenceLength} characters.", $"说明最多{MaxEvidenceLength}字。"));

        var ruleSet = await RuleSetOfAsync(s, street.Id, occurred);
        // Before the street's first rules took effect nothing was scored (its weeks have no lists): the first version is
        // what an earlier date finds, and it would be scored under rules not yet in force and counted in every week after.
        if (!detected && occurred < ruleSet.EffectiveFrom)
        {
            var began = TimeZoneInfo.ConvertTime(ruleSet.EffectiveFrom, street.Settings.TimeZone);
            throw new RefusedException(Failure.Invalid("before-rules",
                $"{street.Name}'s rules took effect on {began:yyyy-MM-dd}; nothing before then is scored.",
                $"本街道积分规则{began.Year}年{began.Month}月{began.Day}日起生效，此前发生的事不计分。"));
        }
        var rule = ruleSet.Find(r.RuleCode);
        if (rule is null || rule.AppliesTo != subject.Kind)
            return detected ? null : throw new RefusedException(Failure.Invalid("unknown-rule", $"There is no rule '{r.RuleCode}' for a {subject.Kind.ToWire()}.", $"{subject.Kind.NameZh()}没有「{r.RuleCode}」这条规则。"));

        var role = r.Reporter.ReporterRole;
        // The rule says who reports it, secretaries included: a late return is the system's to detect, not a deduction a
        // secretary records by hand (approved at once, with no return behind it).
        if (!rule.MayBeReportedBy(role))
            return detected ? null : throw new RefusedException(Failure.Forbidden($"'{rule.NameEn}' cannot be reported by a {role.ToWire()}.", $"「{rule.NameZh}」不能由您上报。"));
        if (role == ReporterRole.Self && r.Reporter.Subject?.Id != subject.Id)
            throw new RefusedException(Failure.Forbidden("You can only report for yourself.", "只能为本人上报。"));
        if (r.Reporter.Staff is { } staff && !staff.Covers(subject))
            throw new RefusedException(staff.CanActIn(subject.StreetId, subject.CommunityId)
                // Unnamed: a grid worker may not read people outside their grids, so an id tried is not answered with a name.
                ? Failure.Forbidden("That person is not in your grids.", "该人员不在您负责的网格内。")
                : Failure.Forbidden());

        // Before the cap: the copy of the report that reached it is that report, not one over it. A copy is the same
        // reporter's about the subject under the rule with the same evidence, pending or approved: sent again a moment ago
        // (a chat message without an answer), or, for an addition a person reports, that occurred the same local day —
        // one tenant's one violation, one dispute, earns once, whichever door sent it again and however much later. Both
        // in the one lookup the plain retry made alone (no statement more for a landlord's 代办).
        var recent = r.SameRecentlyIsRetry && !detected ? now - PlainRetry.Window : (DateTimeOffset?)null;
        var sameDay = !detected && rule.Delta > 0 && evidence.Length > 0 ? LocalDayOf(occurred, street.Settings) : ((DateTimeOffset, DateTimeOffset)?)null;
        if ((recent is not null || sameDay is not null) && await s.GetAlikeEventAsync(subject.Id, r.Reporter.Id, rule.Code, evidence, recent, sameDay) is { } alike)
            return await CountedAsync(s, new ReportReceipt(alike, rule, subject, await CurrentBalanceAsync(s, subject, now), Replayed: true) { AlreadyRecorded = true, Reason = await ReasonOfAsync(s, alike) },
                street, now, null);

        var week = IsoWeek.Containing(occurred, street.Settings.TimeZone);
        // A shop registers to reopen once: the same shop again in the cycle, while the first counts or waits, is that one
        // (or a shop head could fill the weekly cap from one shop) — renamed since, or given to another head, it is still
        // that shop: the one the evidence names is kept on the event. One rejected leaves the shop to be reported again.
        // The rule says so (Once), whatever the street calls it.
        var target = rule.Once == OncePer.TargetPerCycle && evidence.Length > 0 ? await TargetOfAsync(s, subject, evidence) : null;
        if (rule.Once == OncePer.TargetPerCycle && evidence.Length > 0
            && await s.SameInCycleAsync(subject.Id, rule.Code, evidence, target, ScoringCycle.Containing(week, street.Settings.Cycle)) is { } reopened)
        {
            var on = VerificationClock.LocalDay(reopened.ReportedAt, street.Settings);
            throw new RefusedException(IsDefaultOnce(rule, DefaultRules.ShopReopenHelped)
                ? Failure.Conflict("reopen-recorded",
                    $"{evidence}'s reopening was already reported on {on:yyyy-MM-dd} (record {reopened.Id}); a shop is scored for it once.",
                    $"{evidence}的复工登记已在 {on.Month}月{on.Day}日 上报过（记录{reopened.Id}），同一家店铺只记一次。")
                : Failure.Conflict(RecordedOnce,
                    $"\"{rule.NameEn}\" for {evidence} was already reported on {on:yyyy-MM-dd} (record {reopened.Id}); it is scored once a cycle for the same {evidence}.",
                    $"{evidence}的「{rule.NameZh}」已在 {on.Month}月{on.Day}日 上报过（记录{reopened.Id}），每个积分周期同一对象只记一次。"));
        }
        if (rule.WeeklyCap is { } cap && await s.CountUnderRuleInWeekAsync(subject.Id, rule.Code, week.ToString()) >= cap)
            return detected ? null : throw new RefusedException(Failure.Conflict("cap-reached",
                $"'{rule.NameEn}' is capped at {cap} a week and {week} has reached it.",
                // 本周 only when it is this week: a report of last Saturday, made on Monday, is about a week gone.
                $"「{rule.NameZh}」每周最多{cap}次，{(week == IsoWeek.Containing(now, street.Settings.TimeZone) ? $"本周（{week}）" : week.ToString())}已满。"));

        // A day's round is missed once: a grid worker's or secretary's report and the system's detection of that day are one failure.
        if (rule.Once == OncePer.SubjectPerDay && await MissedRoundOfDayAsync(s, subject.Id, rule.Code, occurred, street.Settings) is { } day)
            return detected ? null : throw new RefusedException(IsDefaultOnce(rule, DefaultRules.RoundMissed)
                ? Failure.Conflict("round-missed-recorded",
                    $"A missed round of {day.Day:yyyy-MM-dd} is already recorded for {subject.Name} (record {day.EventId}).", $"{subject.Name}{day.Day.Month}月{day.Day.Day}日未巡查已有记录（记录{day.EventId}），同一天只记一次。")
                : Failure.Conflict(RecordedOnce,
                    $"\"{rule.NameEn}\" of {day.Day:yyyy-MM-dd} is already recorded for {subject.Name} (record {day.EventId}); it is recorded once a day.",
                    $"{subject.Name}{day.Day.Month}月{day.Day.Day}日的「{rule.NameZh}」已有记录（记录{day.EventId}），同一天只记一次。"));

        // A secretary's (or officer's) own report in their scope needs nobody else's check — unless it is about themselves
        // (OwnRecords): then it waits for someone else's, as a landlord's own report does.
        bool selfVerified = r.Reporter.Staff is { } st && st.CanVerifyIn(subject.StreetId, subject.CommunityId) && !OwnRecords.IsOwn(st, subject);
        var status = rule.NeedsVerification && !selfVerified ? EventStatus.Pending : EventStatus.Approved;
        var e = new ScoreEvent
        {
            Id = Ids.New(), StreetId = subject.StreetId, CommunityId = subject.CommunityId, SubjectId = subject.Id,
            RuleCode = rule.Code, RuleVersion = ruleSet.Version, Delta = rule.Delta, OccurredAt = occurred, ReportedAt = now,
            ReporterId = r.Reporter.Id, ReporterRole = role, Source = r.Source, Evidence = evidence, Status = status, TargetId = target,
        };
        await s.InsertEventAsync(e, week, ScoringCycle.Containing(week, street.Settings.Cycle));
        await s.InsertTransitionAsync(Ids.Ordered(now), e.Id, null, status, now, r.Reporter.Id, null);
        if (status == EventStatus.Pending) await notices.NewPendingAsync(s, e, subject);
        else
        {
            await notices.RecordedAsync(s, e, subject);
            await AlertIfDueAsync(s, notices, e, subject, status, now);
        }
        // The same failure already on record that day (another grid worker's, the secretary's): one indexed query, for a
        // person's deduction only (never on an addition — the queue flags its copies — or the system's charge).
        var receipt = new ReportReceipt(e, rule, subject, await CurrentBalanceAsync(s, subject, now), Replayed: false)
            { Week = week, Cycle = ScoringCycle.Containing(week, street.Settings.Cycle), SameDay = e.Delta < 0 ? await Verification.SameDayRecordAsync(s, e, street.Settings) : null };
        // A report of this week (nearly every one) has nothing more to tell: no list of it is published, its cycle is the current one.
        if (week == IsoWeek.Containing(now, street.Settings.TimeZone)) return receipt;
        var counted = await CountedAsync(s, receipt, street, now, status == EventStatus.Approved ? now : null);
        // Counted at once in weeks already published: the officers who publish corrections hear it, as of a late approval.
        if (counted.PublishedWeeksAffected.Count > 0) await notices.PublishedWeeksChangedAsync(s, e, subject, counted.PublishedWeeksAffected, r.Reporter.Id);
        return counted;
    }

    /// <summary>
    /// The receipt with where its event counted: the week and cycle, that cycle's balance when it is over, and, for an
    /// approved event, the published weeks it changed — approved at <paramref name="approvedAt"/>, or (null) when its
    /// audited transitions say. Only a week already over can have a published list and only a cycle already over has a
    /// balance of its own to tell, so a report of this week reads nothing more.
    /// </summary>
    private static async Task<ReportReceipt> CountedAsync(Session s, ReportReceipt r, Street street, DateTimeOffset now, DateTimeOffset? approvedAt)
    {
        var zone = street.Settings.TimeZone;
        var week = IsoWeek.Containing(r.Event.OccurredAt, zone); // as the ledger stored its week
        var cycle = ScoringCycle.Containing(week, street.Settings.Cycle);
        var thisWeek = IsoWeek.Containing(now, zone);
        r = r with { Week = week, Cycle = cycle };
        if (week >= thisWeek) return r;
        if (cycle.Last < ScoringCycle.Containing(thisWeek, street.Settings.Cycle).First)
            r = r with { Earlier = new EarlierCycle(week, cycle, BalanceOf(await s.CycleTotalAsync(r.Subject.Id, cycle))) };
        if (r.Event.Status != EventStatus.Approved) return r;
        var at = approvedAt ?? await ApprovedAtAsync(s, r.Event.Id);
        return r with { PublishedWeeksAffected = await PublishedWeeksAffectedAsync(s, street, r.Event, r.Subject.Kind, at) };
    }

    /// <summary>When an approved event was last approved (its audited transitions); never, as far as they tell, is the latest instant.</summary>
    internal static async Task<DateTimeOffset> ApprovedAtAsync(Session s, string eventId) =>
        (await s.TransitionsAsync(eventId)).LastOrDefault(t => t.ToStatus == nameof(EventStatus.Approved) && t.Kind == nameof(TransitionKind.Status))?.At ?? DateTimeOffset.MaxValue;

    /// <summary>
    /// Weeks already published (and not published again since <paramref name="decidedAt"/>) whose balances an approved (or
    /// revoked) event changes: the week it counts in and every later week of its cycle. The approval's answer and a report
    /// approved at once both name them, so that whoever publishes knows a correction may be due.
    /// </summary>
    internal static Task<IReadOnlyList<string>> PublishedWeeksAffectedAsync(Session s, Street street, ScoreEvent e, SubjectKind kind, DateTimeOffset decidedAt)
    {
        var week = IsoWeek.Containing(e.OccurredAt, street.Settings.TimeZone); // as the ledger stored its week
        var cycle = ScoringCycle.Containing(week, street.Settings.Cycle);
        return s.PublishedWeeksAsync(street.Id, kind.ToWire(), week.ToString(), cycle.Last.ToString(), decidedAt);
    }

    /// <summary>
    /// A tenant's return. Reported later than the street's window after arrival, it becomes a pending,
    /// system-detected deduction that occurred when the duty fell due (a secretary may waive it with a reason).
    /// </summary>
    public async Task<Outcome<ReturnReceipt>> ReportReturnAsync(Actor landlord, string tenantId, DateTimeOffset arrival, string source, CancellationToken ct = default)
    {
        try
        {
            return await db.WriteAsync(s => ReportReturnInAsync(s, landlord, tenantId, arrival, source), ct);
        }
        catch (RefusedException e) { return e.Failure; }
    }

    public async Task<ReturnReceipt> ReportReturnInAsync(Session s, Actor landlord, string tenantId, DateTimeOffset arrival, string source)
    {
        var now = time.GetUtcNow();
        // The same message again: answer as the first time, change nothing.
        if (await s.GetTenantReturnBySourceAsync(source) is { } earlier) return await ReceiptOfAsync(s, earlier, now);
        var tenant = await s.GetTenantAsync(tenantId);
        if (tenant is null || !tenant.Active || landlord.Subject is null || tenant.SubjectId != landlord.Subject.Id)
            throw new RefusedException(Failure.NotFound("tenant-not-found", "That tenant is not one of yours.", "该租客不在您的名下。"));
        // Off the roster, as any report of theirs (a late return's deduction would be refused; one in time must be too).
        if (!landlord.Subject.Active)
            throw new RefusedException(NoActiveSubject(landlord.Subject.Id));
        if (arrival > now + MaxAhead)
            throw new RefusedException(Failure.Invalid("in-future", "The arrival time is in the future: report the return once the tenant is back.", "到达时间晚于现在：请在租客到达后再上报。"));
        // Months late is still a late return, charged in the week it fell due; an arrival over a year back is far more
        // often a slip of the date than a return, and would score a cycle long closed.
        if (arrival < now.AddYears(-1))
            throw new RefusedException(Failure.Invalid("too-old", "The arrival is more than a year ago: check the date; for older records ask the street office.", "到达时间早于一年前：请检查日期；更早的记录请联系街道。"));
        var subject = landlord.Subject;
        var street = (await s.GetStreetAsync(subject.StreetId))!;
        var (assessment, window, reportableFrom) = await AssessArrivalAsync(s, street, subject.Id, arrival, now, tenant.ListedAfter(arrival));
        ReportReceipt? deduction = null;
        TenantReturnRow? chargedStay = null;
        if (!assessment.IsLate)
        {
            // The same return sent again in another message, in time too: one fact, recorded once (RecentReturns says
            // why it is looked for on this instance only).
            if (_recentReturns.Find(tenant.Id, arrival, now) is { } recent && await s.GetTenantReturnAsync(recent) is { } first)
                return await ReceiptOfAsync(s, first, now) with { AlreadyRecorded = true };
            // A late return of the same stay corrected to an arrival in time: its charge is not undone by this report (the
            // secretary decides, reading the later arrival on its card); the landlord is told it stands. One read of the partial index.
            if (await s.GetLateReturnOfStayAsync(tenant.Id, arrival, window) is { LateEventId: not null } stay) chargedStay = stay;
        }
        else
        {
            // The same return in another message (sent again, retyped, from a second phone) is one fact: one deduction
            // at most. An earlier late copy is found by the partial index; one reported in time lies among the returns
            // reported between the arrival and the due time (ids sort by time) — or up to MaxAhead before the arrival,
            // as a report may give an arrival that far ahead of the clock. An on-time copy sent again costs nothing.
            var same = await s.GetLateTenantReturnAsync(tenant.Id, arrival)
                ?? await s.GetTenantReturnAmongAsync(tenant.Id, arrival, Ids.OrderedFloor(arrival - MaxAhead), Ids.OrderedFloor(TenantReturn.InTimeUntil(assessment.DueAt)));
            if (same is not null) return await ReceiptOfAsync(s, same, now) with { AlreadyRecorded = true };
            // The same stay told with another arrival (a mistyped time corrected): a late return of this tenant, its charge
            // pending or approved, with an arrival within one window of this one, reported when the tenant was back already
            // (after this arrival). One return, one charge: this report is kept with that charge, none is added, and the
            // secretary reads the later arrival on its card. A charge waived or revoked leaves this one a return of its own.
            if (await s.GetLateReturnOfStayAsync(tenant.Id, arrival, window) is { LateEventId: not null } stay)
            {
                var corrected = new TenantReturnRow
                {
                    Id = Ids.Ordered(now), TenantId = tenant.Id, SubjectId = subject.Id, ArrivalAt = arrival, ReportedAt = now, DueAt = assessment.DueAt,
                    Source = source, LateEventId = stay.LateEventId,
                };
                await s.InsertTenantReturnAsync(corrected);
                return await ReceiptOfAsync(s, corrected, now);
            }
            var zone = street.Settings.TimeZone;
            var local = TimeZoneInfo.ConvertTime(arrival, zone);
            var localZh = local.ToString(local.Year == TimeZoneInfo.ConvertTime(now, zone).Year ? "M月d日 HH:mm" : "yyyy年M月d日 HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            // Its window counted from later than the arrival: the secretary deciding on it reads why it fell due when it did.
            var from = reportableFrom > arrival ? TimeZoneInfo.ConvertTime(reportableFrom, zone) : (DateTimeOffset?)null;
            deduction = await RecordDetectedInAsync(s, subject.Id, DefaultRules.LateReturn, source + LateSourceSuffix,
                $"{tenant.Name} arrived {local:yyyy-MM-dd HH:mm}, reported {(now - arrival).TotalHours:0} h later{(from is { } f ? $" (reportable from {f:yyyy-MM-dd HH:mm})" : "")} / " +
                $"{tenant.Name} {localZh} 到达，{(now - arrival).TotalHours:0}小时后才上报{(from is { } z ? $"（{z:yyyy-MM-dd HH:mm}起可上报）" : "")}",
                assessment.DueAt);
        }
        var id = Ids.Ordered(now);
        await s.InsertTenantReturnAsync(new TenantReturnRow
            {
                Id = id, TenantId = tenant.Id, SubjectId = subject.Id, ArrivalAt = arrival, ReportedAt = now, DueAt = assessment.DueAt, Source = source,
                LateEventId = deduction?.Event.Id,
            });
        if (!assessment.IsLate) _recentReturns.Add(tenant.Id, arrival, id, TenantReturn.InTimeUntil(assessment.DueAt), now);
        var balance = await CurrentBalanceAsync(s, subject, now);
        CorrectedReturn? corrects = null;
        if (chargedStay is not null && await s.GetEventAsync(chargedStay.LateEventId!) is { } charge)
        {
            deduction = await ChargeReceiptAsync(s, subject, charge, balance);
            corrects = new CorrectedReturn(chargedStay.ArrivalAt, chargedStay.ReportedAt);
        }
        return new ReturnReceipt(tenant, arrival, assessment.IsLate, assessment.DueAt, deduction, balance) { RecordedAt = now, Corrects = corrects };
    }

    /// <summary>How a return is judged: whether it is late, when it fell due, by which window, counted from when.</summary>
    public sealed record ArrivalAssessment(TenantReturn.Assessment Assessment, TimeSpan Window, DateTimeOffset ReportableFrom)
    {
        public bool IsLate => Assessment.IsLate;
    }

    /// <summary>
    /// A return of a tenant who arrived at <paramref name="arrival"/>, reported at <paramref name="now"/>, judged as the
    /// report judges it — by the window in force at the arrival when longer than the street's now, counted from when the
    /// landlord (<paramref name="subjectId"/>; none for a guess before the landlord is known) could first report. The chat
    /// asks the same question before asking for an hour, so the hour it says is in time is in time. Late by the street's
    /// window now and the arrival alone, or not at all: what else it takes is read only for a return that may be late.
    /// <paramref name="listedAt"/> is when the tenant was put (back) on the landlord's list after an arrival while they were
    /// off it (<see cref="Tenant.ListedAfter"/>); null for an arrival while they were on it.
    /// </summary>
    public static async Task<ArrivalAssessment> AssessArrivalAsync(Session s, Street street, string? subjectId, DateTimeOffset arrival, DateTimeOffset now,
        DateTimeOffset? listedAt = null)
    {
        var window = street.Settings.LateReturnWindow;
        var assessment = TenantReturn.Assess(arrival, now, window);
        if (!assessment.IsLate) return new(assessment, window, arrival);
        var from = subjectId is null ? arrival : await ReportableFromAsync(s, street, subjectId, arrival, listedAt);
        window = await LateReturnWindowForAsync(s, street, arrival);
        return new(TenantReturn.Assess(arrival, now, window, from), window, from);
    }

    /// <summary>
    /// When a landlord could first report a return of a tenant who arrived at <paramref name="arrival"/>: once the
    /// street's first rules were in force, and, for an arrival while they were off the roster (every report of theirs is
    /// refused then), once back. The late-return window counts from then: a street's first day would otherwise charge −2
    /// for returns nobody could have reported. An arrival while they were on the roster counts from itself, whatever
    /// happened to the roster after it: taken off and brought back a minute later, a return already late stays late.
    /// Someone entered on the roster of a running street is judged from the arrival they give, as the lists count them
    /// from before they were entered (and the demo street's people, entered when it is seeded, stand for people on its
    /// roster all along). A tenant the office put on the landlord's list (or back on it) after they arrived could not be
    /// reported before either (the bot refuses a tenant not on the list): from then too, for an arrival while they were
    /// off it only (<see cref="Tenant.ListedAfter"/>).
    /// </summary>
    public static async Task<DateTimeOffset> ReportableFromAsync(Session s, Street street, string subjectId, DateTimeOffset arrival, DateTimeOffset? listedAt = null)
    {
        var rules = await StreetWeeks.BeganAsync(s, street.Id) ?? DateTimeOffset.MinValue;
        var back = await s.BackOnRosterAfterAsync(subjectId, arrival) ?? DateTimeOffset.MinValue;
        var from = rules > back ? rules : back;
        return listedAt > from ? listedAt.Value : from;
    }

    /// <summary>
    /// The late-return window an arrival is judged by: the one in force when the tenant arrived, or the street's now when
    /// that is longer. An office shortening its window tells landlords of the returns to come; a tenant already back had
    /// the longer one (shortened at 09:00, a return due at 08:00 would be charged late an hour before the change).
    /// </summary>
    public static async Task<TimeSpan> LateReturnWindowForAsync(Session s, Street street, DateTimeOffset arrival)
    {
        var now = street.Settings.LateReturnWindow;
        var then = StreetSettingsBook.SettingAt(await s.SettingsInForceAtAsync(street.Id, arrival), street.Settings, arrival,
            StreetSettingsBook.LateReturnWindowField, x => x.LateReturnWindow);
        return then > now ? then : now;
    }

    /// <summary>Why an event was rejected or revoked (its last such transition's reason); null for any other, with nothing read.</summary>
    private static async Task<string?> ReasonOfAsync(Session s, ScoreEvent e) =>
        e.Status is EventStatus.Rejected or EventStatus.Revoked
            ? (await s.TransitionsAsync(e.Id)).LastOrDefault(t => t.ToStatus == e.Status.ToString())?.Reason
            : null;

    /// <summary>The receipt of a return recorded before, as it was assessed when it was reported.</summary>
    private static async Task<ReturnReceipt> ReceiptOfAsync(Session s, TenantReturnRow earlier, DateTimeOffset now)
    {
        var tenant = (await s.GetTenantAsync(earlier.TenantId))!;
        var subject = (await s.GetSubjectAsync(earlier.SubjectId))!;
        // The window in force when it was reported (the street may have changed it since); older rows lack it.
        var window = earlier.DueAt is { } due ? due - earlier.ArrivalAt : (await s.GetStreetAsync(subject.StreetId))!.Settings.LateReturnWindow;
        var assessment = TenantReturn.Assess(earlier.ArrivalAt, earlier.ReportedAt, window);
        var balance = await CurrentBalanceAsync(s, subject, now);
        ReportReceipt? deduction = null;
        CorrectedReturn? corrects = null;
        if (earlier.LateEventId is { } lateId && await s.GetEventAsync(lateId) is { } late)
        {
            deduction = await ChargeReceiptAsync(s, subject, late, balance);
            // The charge of another report: this one corrected that one's arrival.
            if (late.Source != earlier.Source + LateSourceSuffix && late.Source.EndsWith(LateSourceSuffix, StringComparison.Ordinal)
                && await s.GetTenantReturnBySourceAsync(late.Source[..^LateSourceSuffix.Length]) is { } first)
                corrects = new CorrectedReturn(first.ArrivalAt, first.ReportedAt);
        }
        // Charged is late, whatever the assessment says now (one reported within its due minute before that minute counted).
        return new ReturnReceipt(tenant, earlier.ArrivalAt, assessment.IsLate || deduction is not null, assessment.DueAt, deduction, balance)
            { RecordedAt = earlier.ReportedAt, Corrects = corrects };
    }

    /// <summary>A late return's charge as a return's receipt shows it, scored under the rules of when it fell due.</summary>
    private static async Task<ReportReceipt> ChargeReceiptAsync(Session s, Subject subject, ScoreEvent charge, int balance) =>
        new(charge, (await RuleSetOfAsync(s, subject.StreetId, charge.OccurredAt)).Find(charge.RuleCode) ?? RuleOf(charge), subject, balance, true)
            { Reason = await ReasonOfAsync(s, charge) };

    /// <summary>A late return's charge has the return's source with this after it: the charge leads back to its report.</summary>
    public const string LateSourceSuffix = "#late";

    /// <summary>A shop head's daily round. Without one by the daily deadline the system records a missed round.</summary>
    public async Task<Outcome<RoundReceipt>> ReportRoundAsync(Actor shopHead, string source, CancellationToken ct = default)
    {
        if (shopHead.Subject is not { Kind: SubjectKind.ShopHead })
            return Failure.Forbidden("Only shop heads report daily rounds.", "只有铺长需要上报每日巡查。");
        return await db.WriteAsync(s => ReportRoundInAsync(s, shopHead, source), ct);
    }

    /// <summary>
    /// The daily round inside a caller's unit of work (so a chat turn can record its reply in the same transaction).
    /// One reported after the day's deadline is recorded but late: it does not spare the day's missed round. On a holiday
    /// the street lets off (roundsOnHolidays false) nothing is owed, so none is late.
    /// </summary>
    public async Task<Outcome<RoundReceipt>> ReportRoundInAsync(Session s, Actor shopHead, string source)
    {
        if (shopHead.Subject is not { Kind: SubjectKind.ShopHead } subject)
            return Failure.Forbidden("Only shop heads report daily rounds.", "只有铺长需要上报每日巡查。");
        var street = (await s.GetStreetAsync(subject.StreetId))!;
        var now = time.GetUtcNow();
        var day = VerificationClock.LocalDay(now, street.Settings);
        var dayText = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var reportedAt = await s.ShopRoundReportedAtAsync(subject.Id, dayText);
        if (reportedAt is null) await s.InsertShopRoundAsync(subject.Id, dayText, now, source);
        var open = await s.OpenRoundDeadlineAsync(street.Id, dayText);
        var deadline = Rounds.DeadlineOfDay(street, dayText, open);
        var late = street.Settings.OwesRoundOn(day) && (reportedAt ?? now) >= deadline;
        // The day's missed round, whether the system recorded it or a grid worker or secretary reported it.
        var missed = !late ? null : await s.GetEventBySourceAsync(MissedRoundSource(subject.Id, dayText))
            ?? (await MissedRoundOfDayAsync(s, subject.Id, DefaultRules.RoundMissed, now, street.Settings) is { } byHand ? await s.GetEventAsync(byHand.EventId) : null);
        return new RoundReceipt(day, late, missed, reportedAt, deadline, ChargeToCome: late && missed is null && open is not null);
    }

    /// <summary>The refusal of a second report of a rule scored once (<see cref="Rule.Once"/>), in the rule's own words.</summary>
    public const string RecordedOnce = "recorded-once";

    /// <summary>
    /// Whether <paramref name="rule"/> is the default rule <paramref name="defaultCode"/>, by its code or, renamed, by its
    /// words: its refusals keep that rule's wording and code (reopen-recorded, round-missed-recorded), which clients
    /// already know; any other rule scored once speaks of itself, with <see cref="RecordedOnce"/>.
    /// </summary>
    private static bool IsDefaultOnce(Rule rule, string defaultCode) =>
        rule.Code == defaultCode || DefaultRules.All.First(d => d.Code == defaultCode) is var d && (rule.NameZh == d.NameZh || rule.NameEn == d.NameEn);

    private static async Task<(DateOnly Day, string EventId)?> MissedRoundOfDayAsync(Session s, string subjectId, string ruleCode, DateTimeOffset occurred, StreetSettings settings)
    {
        var day = VerificationClock.LocalDay(occurred, settings);
        var from = WallClock.First(day, TimeOnly.MinValue, settings.TimeZone);
        var to = WallClock.First(day.AddDays(1), TimeOnly.MinValue, settings.TimeZone);
        return await s.CountedUnderRuleBetweenAsync(subjectId, ruleCode, from, to) is { } id ? (day, id) : null;
    }

    /// <summary>
    /// The subject's shop (a shop head's) or tenant (a landlord's) that <paramref name="evidence"/> names — as the chat
    /// writes it, the name alone, compared as the ledger compares evidence — an active one before one closed; null when it
    /// names none (free text through the API: compared by its words, as before).
    /// </summary>
    private static async Task<string?> TargetOfAsync(Session s, Subject subject, string evidence)
    {
        var named = LedgerStore.Comparable(evidence);
        var holdings = subject.Kind == SubjectKind.ShopHead
            ? (await s.ListShopsAsync(subject.Id)).Select(x => (x.Id, x.Name, x.Active))
            : (await s.ListTenantsAsync(subject.Id)).Select(x => (x.Id, x.Name, x.Active));
        return holdings.Where(h => LedgerStore.Comparable(h.Name) == named).OrderByDescending(h => h.Active).Select(h => h.Id).FirstOrDefault();
    }

    /// <summary>The street's local day <paramref name="at"/> falls in, from its midnight until the next.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) LocalDayOf(DateTimeOffset at, StreetSettings settings)
    {
        var day = VerificationClock.LocalDay(at, settings);
        return (IsoWeek.LocalMidnight(day, settings.TimeZone), IsoWeek.LocalMidnight(day.AddDays(1), settings.TimeZone));
    }

    private static Failure NoActiveSubject(string id) =>
        Failure.NotFound("subject-not-found", $"No active landlord or shop head '{id}'.", $"找不到房东或铺长「{id}」。");

    /// <summary>The source of the system's missed-round event for a shop head and day: one per day, whoever records it.</summary>
    public static string MissedRoundSource(string subjectId, string day) => $"round-missed:{subjectId}:{day}";

    public static async Task<RuleSet> RuleSetOfAsync(Session s, string streetId, DateTimeOffset at) =>
        await s.RuleSetAtAsync(streetId, at) ?? DefaultRules.For(streetId, DateTimeOffset.MinValue);

    private static Rule RuleOf(ScoreEvent e) => new(e.RuleCode, e.RuleCode, e.RuleCode, default, e.Delta, [], true);

    /// <summary>
    /// Alerts the subject's secretaries, in the unit of work of the change, when an event that just moved to
    /// <paramref name="to"/> took points and left the balance of the cycle it counts in at or below 0 — the current cycle,
    /// or a closed one (a January decision about late December), which the alert then names.
    /// </summary>
    internal static async Task AlertIfDueAsync(Session s, INotices notices, ScoreEvent e, Subject subject, EventStatus to, DateTimeOffset now)
    {
        if (!Balance.TakesPoints(e.Delta, to)) return;
        if (await EarlierCycleOfAsync(s, e, subject, now) is { } closed)
        {
            if (Balance.CallsForAlert(closed.Balance)) await notices.BalanceAlertAsync(s, e, subject, to, closed.Balance, closed);
            return;
        }
        var (street, cycle) = await CurrentCycleAsync(s, subject, now);
        // Nothing counts in a cycle still to come; were an event dated ahead, today's balance would not be its.
        if (ScoringCycle.Containing(IsoWeek.Containing(e.OccurredAt, street.Settings.TimeZone), street.Settings.Cycle) != cycle) return;
        var balance = BalanceOf(await s.CycleTotalAsync(subject.Id, cycle));
        if (Balance.CallsForAlert(balance)) await notices.BalanceAlertAsync(s, e, subject, to, balance, null);
    }

    /// <summary>The balance now: base 12 + approved deltas of the current cycle.</summary>
    public static async Task<int> CurrentBalanceAsync(Session s, Subject subject, DateTimeOffset now)
    {
        var (_, cycle) = await CurrentCycleAsync(s, subject, now);
        return BalanceOf(await s.CycleTotalAsync(subject.Id, cycle));
    }

    /// <summary>
    /// The cycle an event counted in when that cycle is over (null while it is the current one), with that cycle's balance:
    /// a decision taken after New Year about a report of the last week of December moves last cycle's balance, not today's,
    /// and whoever is told of it should hear so rather than see a balance the decision did not change.
    /// </summary>
    public static async Task<EarlierCycle?> EarlierCycleOfAsync(Session s, ScoreEvent e, Subject subject, DateTimeOffset now)
    {
        var (street, current) = await CurrentCycleAsync(s, subject, now);
        var week = IsoWeek.Containing(e.OccurredAt, street.Settings.TimeZone); // as the ledger stored its week
        var cycle = ScoringCycle.Containing(week, street.Settings.Cycle);
        return cycle.Last < current.First ? new EarlierCycle(week, cycle, BalanceOf(await s.CycleTotalAsync(subject.Id, cycle))) : null;
    }

    private static async Task<(Street Street, ScoringCycle Cycle)> CurrentCycleAsync(Session s, Subject subject, DateTimeOffset now)
    {
        var street = (await s.GetStreetAsync(subject.StreetId))!;
        return (street, ScoringCycle.Containing(IsoWeek.Containing(now, street.Settings.TimeZone), street.Settings.Cycle));
    }

    /// <summary>A balance from its cycle's total of approved deltas.</summary>
    public static int BalanceOf(long cycleTotal) => StreetSettings.BaseScore + (int)cycleTotal;
}
