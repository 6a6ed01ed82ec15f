using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>An item of a verification queue, with everything a secretary needs to decide.</summary>
/// <param name="OverdueSinceEarlierDay">Overdue since a deadline of a day before today, not only past today's.</param>
/// <param name="SameDay">Another record of the subject under the rule on the same day, when this is a deduction someone
/// reported, or an addition with the same evidence (<see cref="Verification.SameDayRecordAsync"/>): the same failure or
/// act reported twice, a copy to reject.</param>
/// <param name="CommunityId">The subject's community (now), whatever the queue; <paramref name="CommunityName"/> its name.</param>
/// <param name="ShowsCommunity">Whether the chat names the community beside the item: a queue of several communities' items (a street's).</param>
/// <param name="Own">A record about whoever reads the queue (<see cref="OwnRecords"/>): not theirs to decide, so offered no buttons.</param>
/// <param name="NameShared">Whether another person of the same name has an item among those read with it (two 应天乐 of one
/// village): the item then says which one, by <paramref name="PhoneLastFour"/> (or the subject's id, without a phone).</param>
/// <param name="PhoneLastFour">The last four digits of the subject's phone, where <paramref name="NameShared"/> and the
/// staff member may see phones (<see cref="Rosters.SeesPhones"/>); never the whole phone.</param>
/// <param name="LaterArrival">For a late return's charge, the arrival a later report of the same tenant gave for the same
/// stay (a mistyped time corrected): the secretary may waive the charge. Null when none.</param>
public sealed record PendingItem(ScoreEvent Event, string SubjectName, SubjectKind Kind, string RuleNameZh, string RuleNameEn, TimeSpan Age, bool Escalated, bool Overdue,
    bool OverdueSinceEarlierDay = false, SameDayRecord? SameDay = null, string CommunityId = "", string CommunityName = "", bool ShowsCommunity = false, bool Own = false,
    bool NameShared = false, string? PhoneLastFour = null, DateTimeOffset? LaterArrival = null)
{
    /// <summary>The community's name where the chat shows it (<see cref="ShowsCommunity"/>); null in a community's own queue.</summary>
    public string? Community => ShowsCommunity ? CommunityName : null;
}

/// <summary>Another record of one subject under one rule on one day: its id and status (approved, or pending too).</summary>
public sealed record SameDayRecord(string Id, EventStatus Status);

/// <summary>An event with everything that happened to it: who reported it, and every audited transition (who, when, why).</summary>
public sealed record EventRecord(ScoreEvent Event, Subject Subject, string RuleNameZh, string RuleNameEn, IReadOnlyList<Transition> Transitions);

/// <summary>The outcome of a decision: the event as it is now, and whether this call moved it.</summary>
public sealed record Decision(ScoreEvent Event, Subject Subject, bool Changed)
{
    /// <summary>
    /// Weeks already published whose balances this decision changed (an approval or a revocation counts in its week and
    /// every later week of the cycle): their frozen lists stand, and an officer may publish corrections.
    /// </summary>
    public IReadOnlyList<string> PublishedWeeksAffected { get; init; } = [];

    /// <summary>
    /// Reward points redeemed beyond what the subject has earned, after a revocation of an addition (0 otherwise): points
    /// already paid out are no longer backed, and later earnings make them up first. The one revoking hears it at once.
    /// </summary>
    public int RewardsOverdrawn { get; init; }
}

/// <summary>
/// The verification loop: the pending queue of a community (oldest first), approve, reject with a reason,
/// revoke an approved event with a reason — each a recorded status transition, never an edit — and escalation (an
/// audited transition too, which leaves the status pending).
/// </summary>
/// <summary>The oldest pending items, and how many are pending in all.</summary>
public sealed record PendingPage(IReadOnlyList<PendingItem> Items, int Total);

public sealed class Verification(Database db, TimeProvider time, INotices notices)
{
    /// <summary>How many pending items one answer holds at most unless asked for fewer (the oldest; <see cref="PendingPage.Total"/> says how many wait).</summary>
    public const int MaxPendingShown = 500;

    /// <summary>The longest reason a decision keeps: the subject reads it in their score.</summary>
    public const int MaxReasonLength = 500;

    public async Task<Outcome<PendingPage>> QueueAsync(StaffMember actor, string communityId, int take = MaxPendingShown, CancellationToken ct = default) =>
        await db.ReadAsync(s => QueueInAsync(s, actor, communityId, take), ct);

    /// <summary>
    /// The queue read inside a caller's unit of work (a chat turn answers and records in one transaction); a page of it
    /// after the <paramref name="skip"/> oldest, skipped by the database (never read nor described here).
    /// </summary>
    public async Task<Outcome<PendingPage>> QueueInAsync(Session s, StaffMember actor, string communityId, int take = MaxPendingShown, int skip = 0)
    {
        var community = await s.GetCommunityAsync(communityId);
        if (community is null) return Failure.NotFound("community-not-found", $"No community '{communityId}'.", $"找不到社区「{communityId}」。");
        if (!actor.CanVerifyIn(community.StreetId, community.Id)) return Failure.Forbidden();
        var (limit, from) = PageOf(take, skip);
        var events = await s.PendingOfCommunityAsync(communityId, limit, from);
        return new PendingPage((await ItemsAsync(s, actor, events, new Dictionary<string, string> { [community.Id] = community.Name }, nameCommunity: false)).ToList(),
            TotalKnown(events.Count, limit, from) ?? await s.CountPendingOfCommunityAsync(communityId));
    }

    /// <summary>A page within the <see cref="MaxPendingShown"/> oldest.</summary>
    private static (int Take, int Skip) PageOf(int take, int skip)
    {
        var from = Math.Clamp(skip, 0, MaxPendingShown - 1);
        return (Math.Clamp(take, 1, MaxPendingShown - from), from);
    }

    /// <summary>How many are pending, when the page read says it: fewer than asked for, and some of them (or from the first).</summary>
    private static int? TotalKnown(int read, int take, int skip) => read < take && (read > 0 || skip == 0) ? skip + read : null;

    /// <summary>The officers' view: what is pending in the whole street (optionally only the escalated items).</summary>
    public async Task<Outcome<PendingPage>> StreetQueueAsync(StaffMember actor, string streetId, bool escalatedOnly, int take = MaxPendingShown, CancellationToken ct = default)
    {
        if (!actor.CanRunStreet(streetId)) return Failure.Forbidden();
        return await db.ReadAsync(s => StreetQueueInAsync(s, actor, streetId, escalatedOnly, take), ct);
    }

    public async Task<Outcome<PendingPage>> StreetQueueInAsync(Session s, StaffMember actor, string streetId, bool escalatedOnly, int take = MaxPendingShown, int skip = 0)
    {
        if (!actor.CanRunStreet(streetId)) return Failure.Forbidden();
        var (limit, from) = PageOf(take, skip);
        var events = await s.PendingOfStreetAsync(streetId, escalatedOnly, limit, from);
        // A street of several communities: each item says whose it is (two landlords of one name, which secretary to call).
        var communities = await s.ListCommunitiesAsync(streetId);
        return new PendingPage((await ItemsAsync(s, actor, events, communities.ToDictionary(c => c.Id, c => c.Name), nameCommunity: communities.Count > 1)).ToList(), TotalKnown(events.Count, limit, from) ?? await s.CountPendingOfStreetAsync(streetId, escalatedOnly));
    }

    /// <param name="communities">The names of the communities the items' subjects are in (now); one not among them is read.</param>
    /// <param name="nameCommunity">Whether <see cref="PendingItem.Community"/> names it: a queue of several communities' items.</param>
    /// <param name="reader">Who reads the queue: the records about them are marked (<see cref="PendingItem.Own"/>), and
    /// namesakes told apart by what they may see.</param>
    private async Task<IEnumerable<PendingItem>> ItemsAsync(Session s, StaffMember reader, IReadOnlyList<ScoreEvent> events, Dictionary<string, string> communities, bool nameCommunity)
    {
        var now = time.GetUtcNow();
        var items = new List<PendingItem>(events.Count);
        var subjects = new Dictionary<string, Subject?>();
        var streets = new Dictionary<string, Street>();
        foreach (var e in events)
        {
            if (!subjects.TryGetValue(e.SubjectId, out var subject)) subjects[e.SubjectId] = subject = await s.GetSubjectAsync(e.SubjectId);
            if (!streets.TryGetValue(e.StreetId, out var street)) streets[e.StreetId] = street = (await s.GetStreetAsync(e.StreetId))!;
            var rule = (await Reporting.RuleSetOfAsync(s, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
            var communityId = subject?.CommunityId ?? e.CommunityId;
            if (!communities.TryGetValue(communityId, out var communityName))
                communities[communityId] = communityName = (await s.GetCommunityAsync(communityId))?.Name ?? communityId;
            items.Add(new PendingItem(e, subject?.Name ?? e.SubjectId, subject?.Kind ?? SubjectKind.Landlord, rule?.NameZh ?? e.RuleCode, rule?.NameEn ?? e.RuleCode,
                now - e.ReportedAt, e.EscalatedAt is not null, VerificationClock.IsOverdue(e.ReportedAt, now, street.Settings),
                VerificationClock.IsOverdueSinceEarlierDay(e.ReportedAt, now, street.Settings),
                await SameDayRecordAsync(s, e, street.Settings), communityId, communityName, nameCommunity, subject is not null && OwnRecords.IsOwn(reader, subject))
                { LaterArrival = await LaterArrivalAsync(s, e, street.Settings) });
        }
        // Two people of one name among the items (a village of one clan has several 应天乐): each says which one, as the
        // deduct buttons do, so the secretary calls the right one.
        var shared = items.GroupBy(i => i.SubjectName.Trim()).Where(g => g.Select(i => i.Event.SubjectId).Distinct().Count() > 1).SelectMany(g => g).ToHashSet();
        for (var i = 0; i < items.Count; i++)
        {
            if (!shared.Contains(items[i])) continue;
            var subject = subjects[items[i].Event.SubjectId];
            var lastFour = subject is { Phone: { Length: >= 4 } phone } && Rosters.SeesPhones(reader, subject.StreetId, subject.CommunityId) ? phone[^4..] : null;
            items[i] = items[i] with { NameShared = true, PhoneLastFour = lastFour };
        }
        return items;
    }

    /// <summary>
    /// For the system's charge of a late return, the arrival a later report of the same tenant gave for the same stay (a
    /// typo corrected, in time or late: <see cref="Reporting.ReportReturnInAsync"/>), within one window of the first report.
    /// One look-up per such item, on the queue's read only.
    /// </summary>
    private static async Task<DateTimeOffset?> LaterArrivalAsync(Session s, ScoreEvent e, StreetSettings settings)
    {
        if (e.ReporterRole != ReporterRole.System || !e.Source.EndsWith(Reporting.LateSourceSuffix, StringComparison.Ordinal)) return null;
        return await s.LaterArrivalOfStayAsync(e.Source[..^Reporting.LateSourceSuffix.Length], Ids.OrderedFloor(e.ReportedAt + settings.LateReturnWindow));
    }

    /// <summary>
    /// Another record, approved or pending, of the same subject under the same rule that occurred on the same local day as
    /// a deduction a person reported (a grid worker, a secretary): two grid workers, or a grid worker and the secretary,
    /// reporting one dirty corridor would charge it twice. For an addition a person reported, one with the same evidence
    /// too (a landlord may do several services a day, but the secretary's record of 王小明's violation and the landlord's
    /// own are one act scored twice). Null for the system's charges (a missed round is one a day, a late return one a
    /// tenant's return) and an addition without evidence. One indexed query.
    /// </summary>
    public static async Task<SameDayRecord?> SameDayRecordAsync(Session s, ScoreEvent e, StreetSettings settings)
    {
        if (e.Delta == 0 || e.ReporterRole == ReporterRole.System || (e.Delta > 0 && e.Evidence.Length == 0)) return null;
        var day = VerificationClock.LocalDay(e.OccurredAt, settings);
        var other = await s.SameRuleRecordAsync(e.SubjectId, e.RuleCode, e.Id,
            IsoWeek.LocalMidnight(day, settings.TimeZone), IsoWeek.LocalMidnight(day.AddDays(1), settings.TimeZone), e.Delta > 0 ? e.Evidence : null);
        return other is { } o ? new SameDayRecord(o.Id, o.Status) : null;
    }

    public Task<Outcome<Decision>> ApproveAsync(StaffMember actor, string eventId, CancellationToken ct = default) =>
        DecideAsync(actor, eventId, EventStatus.Pending, EventStatus.Approved, null, ct);

    public Task<Outcome<Decision>> RejectAsync(StaffMember actor, string eventId, string? reason, CancellationToken ct = default) =>
        DecideAsync(actor, eventId, EventStatus.Pending, EventStatus.Rejected, reason, ct);

    public Task<Outcome<Decision>> RevokeAsync(StaffMember actor, string eventId, string? reason, CancellationToken ct = default) =>
        DecideAsync(actor, eventId, EventStatus.Approved, EventStatus.Revoked, reason, ct);

    /// <summary>Approves each id it may; returns one outcome per id, in order.</summary>
    public async Task<IReadOnlyList<(string Id, Outcome<Decision> Outcome)>> ApproveManyAsync(StaffMember actor, IReadOnlyList<string> ids, CancellationToken ct = default)
    {
        var results = new List<(string, Outcome<Decision>)>(ids.Count);
        foreach (var id in ids.Distinct()) results.Add((id, await ApproveAsync(actor, id, ct)));
        return results;
    }

    /// <summary>Approve inside a caller's unit of work (a chat turn records its reply in the same transaction).</summary>
    public Task<Outcome<Decision>> ApproveInAsync(Session s, StaffMember actor, string eventId) =>
        DecideInAsync(s, actor, eventId, EventStatus.Pending, EventStatus.Approved, null);

    public Task<Outcome<Decision>> RejectInAsync(Session s, StaffMember actor, string eventId, string? reason) =>
        DecideInAsync(s, actor, eventId, EventStatus.Pending, EventStatus.Rejected, reason);

    /// <summary>Revoke inside a caller's unit of work: the chat's 撤销, the API's revoke in one turn's transaction.</summary>
    public Task<Outcome<Decision>> RevokeInAsync(Session s, StaffMember actor, string eventId, string? reason) =>
        DecideInAsync(s, actor, eventId, EventStatus.Approved, EventStatus.Revoked, reason);

    /// <summary>Approves selected ids of one community's queue; one outcome per id, in order (an id of another community is not found here).</summary>
    public async Task<Outcome<IReadOnlyList<(string Id, Outcome<Decision> Outcome)>>> ApproveManyAsync(StaffMember actor, string communityId, IReadOnlyList<string> ids, CancellationToken ct = default)
    {
        var community = await db.ReadAsync(s => s.GetCommunityAsync(communityId), ct);
        if (community is null) return Failure.NotFound("community-not-found", $"No community '{communityId}'.", $"找不到社区「{communityId}」。");
        if (!actor.CanVerifyIn(community.StreetId, community.Id)) return Failure.Forbidden();
        var results = new List<(string, Outcome<Decision>)>(ids.Count);
        foreach (var id in ids.Distinct())
            results.Add((id, await db.WriteAsync(s => DecideInAsync(s, actor, id, EventStatus.Pending, EventStatus.Approved, null, communityId), ct)));
        return results;
    }

    /// <summary>One event with its audited transitions, for the staff who may verify it (and whoever reported it).</summary>
    public async Task<Outcome<EventRecord>> EventAsync(StaffMember actor, string eventId, CancellationToken ct = default) =>
        await db.ReadAsync<Outcome<EventRecord>>(async s =>
        {
            var e = await s.GetEventAsync(Ids.Normalize(eventId));
            if (e is null) return Failure.NotFound("event-not-found", $"There is no record with id '{eventId}'.", $"找不到编号为「{eventId}」的记录。");
            var subject = (await s.GetSubjectAsync(e.SubjectId))!;
            // The subject's community now decides whose item it is, as for deciding it (a landlord may have moved since the report).
            if (!actor.CanVerifyIn(subject.StreetId, subject.CommunityId) && actor.Id != e.ReporterId) return Failure.Forbidden();
            var rule = (await Reporting.RuleSetOfAsync(s, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
            return new EventRecord(e, subject, rule?.NameZh ?? e.RuleCode, rule?.NameEn ?? e.RuleCode, await s.TransitionsAsync(e.Id));
        }, ct);

    private async Task<Outcome<Decision>> DecideAsync(StaffMember actor, string eventId, EventStatus from, EventStatus to, string? reason, CancellationToken ct)
    {
        // Bad input, a missing reason too, is refused before the write: this door's callers (the HTTP API) always send one.
        if (Unreasoned(to, ref reason) is { } refused) return refused;
        return await db.WriteAsync(s => DecideInAsync(s, actor, eventId, from, to, reason), ct);
    }

    private static Failure? Unreasoned(EventStatus to, ref string? reason)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (EventStatuses.NeedsReason(to) && reason is null)
            return Failure.Invalid("reason-required", $"Say why the event is {to.ToWire()}: the subject will read it.", "请填写原因，当事人会看到。");
        // The subject reads the reason in their score: nothing in it may read reordered or hide text.
        if (reason is not null)
        {
            var written = RosterText.Text(reason, "reason", "reason", "原因");
            if (written.Failure is { } refused) return refused;
            reason = written.Value;
        }
        // Counted as stored: a reason sent with Windows line breaks is not refused a character per line early.
        if (reason?.Length > MaxReasonLength) return Failure.Invalid("reason-too-long", $"The reason is limited to {MaxReasonLength} characters.", $"原因最多{MaxReasonLength}字。");
        return null;
    }

    private async Task<Outcome<Decision>> DecideInAsync(Session s, StaffMember actor, string eventId, EventStatus from, EventStatus to, string? reason, string? communityId = null)
    {
        // The reason is required only of a change: the chat asks through here without one for the answer about a record not
        // waiting for this change (nothing changed, in another status, not found), before it asks for a reason.
        var refused = Unreasoned(to, ref reason);
        if (refused is not null && refused.Code != "reason-required") return refused;
        var id = Ids.Normalize(eventId);
        var e = await s.GetEventAsync(id);
        var subject = e is null ? null : await s.GetSubjectAsync(e.SubjectId);
        // The subject's community now decides whose item it is (a landlord may have moved since the report).
        if (e is null || subject is null || (communityId is not null && subject.CommunityId != communityId))
            return Failure.NotFound("event-not-found", $"There is no record with id '{eventId}'.", $"找不到编号为「{eventId}」的记录。");
        if (!actor.CanVerifyIn(subject.StreetId, subject.CommunityId)) return Failure.Forbidden();
        // Nobody checks a record about themselves: another secretary, the street's officers or an admin decide it.
        if (OwnRecords.IsOwn(actor, subject)) return OwnRecords.Decision(actor, id);
        // A repeated click changes nothing, and says again what the first one made stale (its answer may have been lost).
        if (e.Status == to)
            return new Decision(e, subject, false)
            {
                PublishedWeeksAffected = await PublishedWeeksAffectedAsync(s, e, subject, from, to, await DecidedAtAsync(s, id, to)),
                RewardsOverdrawn = await OverdrawnByAsync(s, e, subject, to),
            };
        // A record in another status is said to be so before any reason is asked for (the chat asks only when one is due).
        var status = e.Status;
        Failure WrongStatus() => Failure.Conflict("wrong-status", $"Record {id} is {(status == EventStatus.Pending ? "still" : "already")} {status.ToWire()}; it cannot be {to.ToWire()}.", $"记录{id}当前{status.NameZh()}，不能改为{to.NameZh()}。");
        if (e.Status != from) return WrongStatus();
        if (refused is not null) return refused;
        if (await s.MoveAsync(id, from, to) == 0) return WrongStatus();
        var now = time.GetUtcNow();
        await s.InsertTransitionAsync(Ids.Ordered(now), id, from, to, now, actor.Id, reason);
        var moved = e with { Status = to };
        var overdrawn = await OverdrawnByAsync(s, moved, subject, to);
        await notices.DecidedAsync(s, moved, subject, to, reason, overdrawn, actor.Id);
        await Reporting.AlertIfDueAsync(s, notices, moved, subject, to, now);
        // Weeks whose published lists this changed: the answer names them, and the officers who publish corrections hear it.
        var stale = await PublishedWeeksAffectedAsync(s, moved, subject, from, to, now);
        if (stale.Count > 0) await notices.PublishedWeeksChangedAsync(s, moved, subject, stale, actor.Id);
        return new Decision(moved, subject, true) { PublishedWeeksAffected = stale, RewardsOverdrawn = overdrawn };
    }

    /// <summary>
    /// How far the reward account is overdrawn after a revoked addition (whose points may have been redeemed already);
    /// 0 for any other decision, which earns or spends no reward point already paid.
    /// </summary>
    private static async Task<int> OverdrawnByAsync(Session s, ScoreEvent e, Subject subject, EventStatus to) =>
        to == EventStatus.Revoked && e.Delta > 0 ? (await Rewards.AccountInAsync(s, subject.Id)).Overdrawn : 0;

    private static async Task<DateTimeOffset> DecidedAtAsync(Session s, string id, EventStatus to) =>
        (await s.TransitionsAsync(id)).LastOrDefault(t => t.ToStatus == to.ToString() && t.Kind == nameof(TransitionKind.Status))?.At ?? DateTimeOffset.MaxValue;

    /// <summary>
    /// What an approval (pending → approved) or a revocation (approved → revoked) made at <paramref name="decidedAt"/>
    /// changed among published weeks (those not published again since); a rejection of a pending item changed none.
    /// </summary>
    private static async Task<IReadOnlyList<string>> PublishedWeeksAffectedAsync(Session s, ScoreEvent e, Subject subject, EventStatus from, EventStatus to, DateTimeOffset decidedAt)
    {
        if (from != EventStatus.Approved && to != EventStatus.Approved) return [];
        if (await s.GetStreetAsync(e.StreetId) is not { } street) return [];
        return await Reporting.PublishedWeeksAffectedAsync(s, street, e, subject.Kind, decidedAt);
    }

    /// <summary>
    /// Escalates pending items older than each street's window to its officers: each item is marked, its audited
    /// transition recorded (by the system, saying how long it waited) and the officers' notice written, in one
    /// transaction. Exactly once per item: only the items this call marked are recorded and told of, so a retried round
    /// or several instances escalating at once add nothing (and an event's history refuses a second escalation).
    /// </summary>
    /// <returns>How many items this call escalated.</returns>
    public Task<int> EscalateAsync(CancellationToken ct = default) => db.WriteAsync(async s =>
    {
        int n = 0;
        var now = time.GetUtcNow();
        foreach (var street in await s.ListStreetsAsync())
        {
            // The window on the wall clock bounds the read; the street's working days decide (VerificationClock.IsEscalationDue).
            var escalated = await s.EscalateAsync(street.Id, now - street.Settings.EscalationAfter, now,
                reportedAt => VerificationClock.IsEscalationDue(reportedAt, now, street.Settings));
            if (escalated.Count == 0) continue;
            var reason = VerificationClock.EscalationReason(street.Settings);
            foreach (var id in escalated)
                await s.InsertTransitionAsync(Ids.Ordered(now), id, EventStatus.Pending, EventStatus.Pending, now, Actor.System.Id, reason, TransitionKind.Escalation);
            await notices.EscalatedAsync(s, street, escalated);
            n += escalated.Count;
        }
        return n;
    }, ct);

    public Task<IReadOnlyList<Transition>> HistoryAsync(string eventId, CancellationToken ct = default) =>
        db.ReadAsync(s => s.TransitionsAsync(Ids.Normalize(eventId)), ct);
}
