using System.Globalization;
using System.Text;
using System.Text.Json;
using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Bot.Turns;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;
using Scoring.Storage.Activities;

namespace Scoring.Bot.Conversations;

/// <summary>
/// What people hear without asking, written into the outbox in the transaction of the effect (so a
/// notice exists exactly when its cause does): the subject (and a grid worker who reported) when an
/// event is decided; secretaries when new items land in working hours, at most one notice per secretary per
/// <see cref="BatchWindow"/> (the rest, and what came in outside working hours, follow in one "N new items" notice from
/// <see cref="ChatNoticeWork"/>),
/// and whenever a change leaves a subject's balance at 0 or below; the street's officers when items escalate (one
/// notice per officer per escalation run, in working hours; what escalates outside them is told when they start);
/// an hourly digest in working hours; the
/// subjects named on a published list. Only people who bound a chat account and wrote to the bot at least
/// once can be reached.
/// </summary>
public sealed class ChatNotices(TurnRecorder recorder, TimeProvider time) : INotices
{
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMinutes(5);

    private static readonly DialectSql SelectMark = DialectSql.Both(
        "SELECT staff_id AS StaffId, seen_reported_at AS SeenReportedAt, seen_event_id AS SeenEventId, notified_at AS NotifiedAt FROM chat_staff_notices WHERE staff_id = @StaffId");
    private static readonly DialectSql UpsertMark = new(
        Sqlite:
            "INSERT INTO chat_staff_notices (staff_id, seen_reported_at, seen_event_id, notified_at) VALUES (@StaffId, @SeenReportedAt, @SeenEventId, @NotifiedAt) " +
            "ON CONFLICT (staff_id) DO UPDATE SET seen_reported_at = excluded.seen_reported_at, seen_event_id = excluded.seen_event_id, notified_at = excluded.notified_at",
        SqlServer:
            "UPDATE chat_staff_notices WITH (UPDLOCK, SERIALIZABLE) SET seen_reported_at = @SeenReportedAt, seen_event_id = @SeenEventId, notified_at = @NotifiedAt WHERE staff_id = @StaffId; " +
            "IF @@ROWCOUNT = 0 INSERT INTO chat_staff_notices (staff_id, seen_reported_at, seen_event_id, notified_at) VALUES (@StaffId, @SeenReportedAt, @SeenEventId, @NotifiedAt);");
    // The newest pending item of a community reported after a watermark (reported_at, id), with how many there are:
    // one pass over the queue index answers both.
    private const string Fresh = "FROM score_events WHERE community_id = @Community AND status = 'Pending' " +
        "AND (@SeenAt IS NULL OR reported_at > @SeenAt OR (reported_at = @SeenAt AND id > @SeenId))";
    private static readonly DialectSql NewestFresh = new(
        $"SELECT id, street_id AS StreetId, subject_id AS SubjectId, rule_code AS RuleCode, delta, occurred_at AS OccurredAt, reported_at AS ReportedAt, COUNT(*) OVER () AS Total {Fresh} ORDER BY reported_at DESC, id DESC LIMIT 1",
        $"SELECT TOP (1) id, street_id AS StreetId, subject_id AS SubjectId, rule_code AS RuleCode, delta, occurred_at AS OccurredAt, reported_at AS ReportedAt, COUNT_BIG(*) OVER () AS Total {Fresh} ORDER BY reported_at DESC, id DESC");
    private static readonly DialectSql CountDigest = DialectSql.Both("SELECT COUNT(*) FROM chat_digests WHERE staff_id = @StaffId AND hour_key = @HourKey");
    // Insert-if-absent in one statement: an hour is marked by the round's digest and new-items notices and by the
    // escalation's notice, under different leases (perhaps on two instances), each maybe finding it unmarked; a second
    // mark is no error that would undo its transaction (the escalation's is every street's of that minute). On SQL Server
    // the key range stays locked from the check to the insert, so two writers do not both pass the NOT EXISTS.
    private static readonly DialectSql InsertDigest = new(
        "INSERT INTO chat_digests (staff_id, hour_key, sent_at) VALUES (@StaffId, @HourKey, @SentAt) ON CONFLICT (staff_id, hour_key) DO NOTHING",
        "INSERT INTO chat_digests (staff_id, hour_key, sent_at) SELECT @StaffId, @HourKey, @SentAt " +
            "WHERE NOT EXISTS (SELECT 1 FROM chat_digests WITH (UPDLOCK, HOLDLOCK) WHERE staff_id = @StaffId AND hour_key = @HourKey)");
    private static readonly DialectSql PurgeDigests = DialectSql.Both("DELETE FROM chat_digests WHERE sent_at < @Before");
    private static readonly DialectSql UnmarkDigest = DialectSql.Both("DELETE FROM chat_digests WHERE staff_id = @StaffId AND hour_key = @HourKey AND sent_at = @SentAt");
    // Shop heads of a street with no round reported for the day and not yet reminded of it (the reminder's row shares the
    // digests' table: a person's id and the day's key).
    private static readonly DialectSql ShopHeadsToRemind = DialectSql.Both(
        "SELECT s.id FROM subjects s WHERE s.street_id = @Street AND s.kind = 'ShopHead' AND s.active = 1 AND EXISTS (SELECT 1 FROM shops p WHERE p.subject_id = s.id AND p.active = 1) " +
        "AND NOT EXISTS (SELECT 1 FROM shop_rounds r WHERE r.subject_id = s.id AND r.day = @Day) " +
        "AND NOT EXISTS (SELECT 1 FROM chat_digests d WHERE d.staff_id = s.id AND d.hour_key = @Key) ORDER BY s.id");

    // Active tenants of a street's active landlords expected back within a day's bounds, with no return reported since a
    // week before (an early return counts) and not yet reminded of (the tenant's id and the day's key). The returns since
    // are read once, as the range of their time-ordered ids made since (an arrival is reported at most Reporting.MaxAhead
    // before it happens): the correlated NOT EXISTS read every return ever made per tenant, and an index by arrival would
    // take a random page on each return reported (arrivals are reported in any order; the bench's p99 doubled, as in 0460).
    private static readonly DialectSql TenantsExpected = DialectSql.Both(
        "SELECT t.id AS TenantId, t.name AS TenantName, t.subject_id AS LandlordId FROM tenants t JOIN subjects s ON s.id = t.subject_id " +
        "WHERE t.expected_return >= @From AND t.expected_return < @To AND t.active = 1 AND s.street_id = @Street AND s.active = 1 " +
        "AND t.id NOT IN (SELECT r.tenant_id FROM tenant_returns r WHERE r.id >= @SinceId AND r.arrival_at >= @Since) " +
        "AND NOT EXISTS (SELECT 1 FROM chat_digests d WHERE d.staff_id = t.id AND d.hour_key = @Key) ORDER BY t.id");

    private static readonly DialectSql QueueEscalation = DialectSql.Both("INSERT INTO chat_escalation_notices (street_id, event_id) VALUES (@Street, @EventId)");
    // Taken by deleting them, in the transaction that enqueues the notice: a second taker (another instance) finds none.
    private static readonly DialectSql TakeEscalations = new(
        "DELETE FROM chat_escalation_notices WHERE street_id = @Street RETURNING event_id",
        "DELETE FROM chat_escalation_notices OUTPUT deleted.event_id WHERE street_id = @Street");

    /// <summary>More escalated items than this in one notice is more than anyone reads on a phone; the rest are counted.</summary>
    public const int EscalationsListed = 10;

    /// <summary>How long before the daily deadline a shop head without a round is reminded of it.</summary>
    public static readonly TimeSpan RoundReminderBefore = TimeSpan.FromHours(1);

    public async Task NewPendingAsync(Session s, ScoreEvent e, Subject subject)
    {
        var now = time.GetUtcNow();
        foreach (var secretary in await s.ListSecretariesAsync(e.CommunityId))
            await NewItemsAsync(s, secretary, now, arrived: e);
        await DeductionAboutAsync(s, e, subject, now);
    }

    /// <summary>
    /// A secretary's or officer's own report about a landlord or shop head counts at once, and no verification result
    /// follows it: they are told now, with the note, or they would learn of it only from their score.
    /// </summary>
    public async Task RecordedAsync(Session s, ScoreEvent e, Subject subject)
    {
        if (e.ReporterRole != ReporterRole.Secretary || e.ReporterId == subject.Id) return;
        var rule = (await Reporting.RuleSetOfAsync(s, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
        string Name(bool zh) => rule?.Name(zh) ?? e.RuleCode;
        bool officer = (await s.GetStaffAsync(e.ReporterId))?.Role is StaffRole.Officer or StaffRole.Admin;
        var balance = await Reporting.CurrentBalanceAsync(s, subject, time.GetUtcNow());
        string Evidence(bool zh) => e.Evidence.Length == 0 ? "" : zh ? $"（{e.Evidence}）" : $" ({e.Evidence})";
        await TellAsync(s, "subject", subject.Id, zh => zh
            ? $"{(officer ? "街道" : "书记")}记录：「{Name(true)}」{Phrases.Delta(e.Delta)}{Evidence(true)}，已计入积分（编号 {e.Id}）。\n当前积分：{balance}"
            : $"Your {(officer ? "street office" : "secretary")} recorded: \"{Name(false)}\" {Phrases.Delta(e.Delta)}{Evidence(false)}; it counts now (id {e.Id}).\nBalance now: {balance}",
            zh => zh ? ["积分"] : ["score"]);
    }

    /// <summary>
    /// A deduction someone else recorded about a landlord or shop head (a grid worker's, the system's missed round) is told
    /// to them while it waits: told only once approved, they had no chance to tell the secretary the round was done but not
    /// sent, or the shop was someone else's. A late return is told in the reply to the landlord's own report.
    /// </summary>
    private async Task DeductionAboutAsync(Session s, ScoreEvent e, Subject subject, DateTimeOffset now)
    {
        if (e.Delta >= 0) return;
        bool missedRound = e.ReporterRole == ReporterRole.System && string.Equals(e.RuleCode, DefaultRules.RoundMissed, StringComparison.OrdinalIgnoreCase);
        if (!missedRound && e.ReporterRole != ReporterRole.GridWorker) return;
        var rule = (await Reporting.RuleSetOfAsync(s, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
        string Name(bool zh) => rule?.Name(zh) ?? e.RuleCode;
        var zone = (await s.GetStreetAsync(e.StreetId))?.Settings.TimeZone ?? TimeZoneInfo.Utc;
        string Evidence(bool zh) => e.Evidence.Length == 0 ? "" : zh ? $"（{e.Evidence}）" : $" ({e.Evidence})";
        await TellAsync(s, "subject", subject.Id, zh => missedRound
            ? zh ? $"系统记录：{Phrases.When(e.OccurredAt, zone, now, true)} 前未上报巡查，记「{Name(true)}」{Phrases.Delta(e.Delta)}，待书记核查（编号 {e.Id}）。如当天已巡查，请联系村/社区书记。"
                : $"The system recorded: no round reported by {Phrases.When(e.OccurredAt, zone, now, false)}, \"{Name(false)}\" {Phrases.Delta(e.Delta)}, for the secretary to check (id {e.Id}). If you did do the round that day, tell your secretary."
            : zh ? $"网格员上报：「{Name(true)}」{Phrases.Delta(e.Delta)}{Evidence(true)}，待书记核查（编号 {e.Id}）。如有异议，请联系村/社区书记。"
                : $"A grid worker reported: \"{Name(false)}\" {Phrases.Delta(e.Delta)}{Evidence(false)}, for the secretary to check (id {e.Id}). If it is wrong, tell your secretary.",
            zh => zh ? ["积分"] : ["score"]);
    }

    public async Task DecidedAsync(Session s, ScoreEvent e, Subject subject, EventStatus to, string? reason, int rewardsOverdrawn = 0, string? deciderId = null)
    {
        var now = time.GetUtcNow();
        var rule = (await Reporting.RuleSetOfAsync(s, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
        var balance = await Reporting.CurrentBalanceAsync(s, subject, now);
        // Counted in (or taken from) a cycle already over: that cycle's balance moved, not this one's.
        var earlier = to is EventStatus.Approved or EventStatus.Revoked ? await Reporting.EarlierCycleOfAsync(s, e, subject, now) : null;
        string RuleName(bool zh) => rule?.Name(zh) ?? e.RuleCode;
        string Why(bool zh) => reason is null ? "" : zh ? $"\n原因：{reason}" : $"\nReason: {reason}";
        string Balance(bool zh) => earlier is null
            ? zh ? $"\n当前积分：{balance}" : $"\nBalance now: {balance}"
            : zh ? $"\n该记录{Phrases.CountedIn(earlier, true, to == EventStatus.Revoked)}，不影响本周期。\n本周期当前积分：{balance}"
                : $"\nThe record {Phrases.CountedIn(earlier, false, to == EventStatus.Revoked)}, not in this cycle.\nBalance now, in this cycle: {balance}";
        // Its points already paid out: the subject learns now why the next reward points earned are not theirs to redeem.
        string Overdrawn(bool zh) => rewardsOverdrawn <= 0 ? ""
            : zh ? $"\n该加分已兑换，奖励积分透支 {rewardsOverdrawn} 分，之后获得的奖励积分先抵扣。"
            : $"\nThis addition's points were already redeemed: your reward account is overdrawn by {Phrases.Points(rewardsOverdrawn)}, which later earnings make up first.";
        await TellAsync(s, "subject", subject.Id, zh => zh
            ? $"核查结果：您的记录「{RuleName(true)}」{Phrases.Delta(e.Delta)}（编号 {e.Id}）{Phrases.Status(to, e.Delta, true)}。{Why(true)}{Balance(true)}{Overdrawn(true)}"
            : $"Checked: your record \"{RuleName(false)}\" {Phrases.Delta(e.Delta)} (id {e.Id}) is {Phrases.Status(to, e.Delta, false)}.{Why(false)}{Balance(false)}{Overdrawn(false)}",
            zh => zh ? ["积分"] : ["score"]);
        // A grid worker (or another staff member) who reported it hears the outcome too, unless they decided it (a
        // secretary revoking her own report): the answer to their command already said it.
        if (e.ReporterRole is ReporterRole.GridWorker or ReporterRole.Secretary && e.ReporterId != subject.Id && e.ReporterId != deciderId)
        {
            await TellAsync(s, "staff", e.ReporterId, zh => zh
                ? $"您上报的 {subject.Name}「{RuleName(true)}」{Phrases.Delta(e.Delta)}（编号 {e.Id}）{Phrases.Status(to, true)}。{Why(true)}"
                : $"Your report on {subject.Name}, \"{RuleName(false)}\" {Phrases.Delta(e.Delta)} (id {e.Id}), is {Phrases.Status(to, false)}.{Why(false)}",
                _ => []);
        }
    }

    public async Task BalanceAlertAsync(Session s, ScoreEvent e, Subject subject, EventStatus to, int balance, EarlierCycle? closed)
    {
        var rule = (await Reporting.RuleSetOfAsync(s, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
        string RuleName(bool zh) => rule?.Name(zh) ?? e.RuleCode;
        // The subject's secretaries now: they are the ones to talk to the subject, wherever the event was reported.
        foreach (var secretary in await s.ListSecretariesAsync(subject.CommunityId))
        {
            // The current cycle goes unnamed, as in every other message; a closed one is named, with the week the record
            // counts in, so nobody reads today's balance (untouched) as the one that sank.
            await TellAsync(s, "staff", secretary.Id, zh => closed is null
                ? zh
                    ? $"积分预警：{subject.Name}（{Phrases.Kind(subject.Kind, true)}）的积分已降至 {balance} 分。起因：「{RuleName(true)}」{Phrases.Delta(e.Delta)}（编号 {e.Id}）{Phrases.Status(to, true)}。"
                    : $"Balance alert: {subject.Name} ({Phrases.Kind(subject.Kind, false)}) is down to {Phrases.Points(balance)}, after \"{RuleName(false)}\" {Phrases.Delta(e.Delta)} (id {e.Id}) was {Phrases.Status(to, false)}."
                : zh
                    ? $"积分预警：{subject.Name}（{Phrases.Kind(subject.Kind, true)}）在已结束的 {closed.Cycle.Key} 积分周期的积分已降至 {balance} 分（本周期积分不受影响）。起因：「{RuleName(true)}」{Phrases.Delta(e.Delta)}（编号 {e.Id}，计入 {closed.Week}）{Phrases.Status(to, true)}。"
                    : $"Balance alert: {subject.Name} ({Phrases.Kind(subject.Kind, false)}) is down to {Phrases.Points(balance)} in cycle {closed.Cycle.Key}, which has ended (this cycle's balance is not affected), after \"{RuleName(false)}\" {Phrases.Delta(e.Delta)} (id {e.Id}, counted in {closed.Week}) was {Phrases.Status(to, false)}.",
                _ => []);
        }
    }

    public async Task PublishedAsync(Session s, PublishedList list, PublishedList? replaced)
    {
        var street = await s.GetStreetAsync(list.Street);
        if (street is null || !IsoWeek.TryParse(list.Week, out var week) || !SubjectKinds.TryParse(list.Kind, out var kind)) return;
        var zone = street.Settings.TimeZone;
        var correction = list.Revision > 1;
        // The week as its dates (上周（11月9日—15日）): the people on a list do not read 2026-W46.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        string Week(bool zh) => Phrases.Week(week, today, zh);
        // Someone a correction takes off a list would otherwise keep, as the bot's last word, that they are on it.
        if (correction && replaced is not null)
        {
            await OffListAsync(s, list, kind, replaced.Red, list.Red, red: true, Week);
            await OffListAsync(s, list, kind, replaced.Black, list.Black, red: false, Week);
        }
        foreach (var entry in list.Red)
        {
            await TellAsync(s, "subject", entry.SubjectId, zh => (correction ? (zh ? "（更正）" : "(Corrected) ") : "") + (zh
                ? $"恭喜！您上了{Week(true)}{Phrases.Kind(kind, true)}红榜：第 {entry.Rank} 名，{entry.Balance} 分。谢谢您为社区做的事！"
                : $"Congratulations! You are on the red list of {Phrases.Kind(kind, false)}s of {Week(false)}: rank {entry.Rank}, {entry.Balance} points. Thank you for what you do for the community!"),
                zh => zh ? ["积分"] : ["score"]);
        }
        if (list.Black.Count == 0) return;
        // How to earn points back is about the weeks to come: the rules in force as the list comes out, not those of the
        // week it ranks (a version that began since may have repriced or dropped an addition).
        var rules = await Reporting.RuleSetOfAsync(s, street.Id, list.PublishedAt ?? week.End(zone));
        var additions = rules.For(kind).Where(r => r.IsAddition).ToList();
        var cycleStart = ScoringCycle.Containing(week, street.Settings.Cycle).Start(zone);
        foreach (var entry in list.Black)
        {
            var costs = (await s.EventsOfSubjectAsync(entry.SubjectId, cycleStart))
                .Where(e => e.Status == EventStatus.Approved && e.Delta < 0 && e.OccurredAt < week.End(zone))
                .OrderByDescending(e => e.OccurredAt).Take(5).ToList();
            var names = new Dictionary<string, Domain.Rules.Rule?>();
            foreach (var e in costs)
                if (!names.ContainsKey(e.RuleCode)) names[e.RuleCode] = (await Reporting.RuleSetOfAsync(s, street.Id, e.OccurredAt)).Find(e.RuleCode);
            await TellAsync(s, "subject", entry.SubjectId, zh =>
            {
                var text = new StringBuilder(correction ? (zh ? "（更正）" : "(Corrected) ") : "");
                text.AppendLine(zh
                    ? $"{Week(true)}{Phrases.Kind(kind, true)}黑榜已公布，您在榜上：第 {entry.Rank} 名，{entry.Balance} 分（基础 {StreetSettings.BaseScore} 分）。"
                    : $"The black list of {Phrases.Kind(kind, false)}s of {Week(false)} is out and you are on it: rank {entry.Rank}, {Phrases.Points(entry.Balance)} (the base is {StreetSettings.BaseScore}).");
                if (costs.Count > 0)
                {
                    text.AppendLine(zh ? "扣分来自：" : "Points were lost for:");
                    foreach (var e in costs)
                        text.AppendLine($"· {Phrases.Day(e.OccurredAt, zone, zh)} {names[e.RuleCode]?.Name(zh) ?? e.RuleCode} {Phrases.Delta(e.Delta)}");
                }
                text.AppendLine(zh ? "怎样把分挣回来：" : "How to earn points back:");
                foreach (var r in additions)
                    text.AppendLine($"· {r.Name(zh)} {Phrases.Delta(r.Delta)}{(r.WeeklyCap is { } cap ? (zh ? $"（每周最多{cap}次）" : $" (at most {cap} a week)") : "")}");
                text.Append(zh
                    ? "按时上报、配合检查就不会再扣分。对扣分有异议，请联系村/社区书记。"
                    : "Reporting on time and keeping to the rules avoids new deductions. If you think a deduction is wrong, talk to your secretary.");
                return text.ToString();
            }, zh => zh ? ["积分", "帮助"] : ["score", "help"]);
        }
    }

    /// <summary>
    /// Tells each subject on <paramref name="before"/> (a list of the revision a correction replaced) who is not on
    /// <paramref name="after"/> (the same list of the correction) that they are no longer on it, and the public reason.
    /// </summary>
    private async Task OffListAsync(Session s, PublishedList list, SubjectKind kind, IReadOnlyList<ListEntry> before, IReadOnlyList<ListEntry> after, bool red,
        Func<bool, string> week)
    {
        if (before.Count == 0) return;
        var still = after.Select(e => e.SubjectId).ToHashSet(StringComparer.Ordinal);
        string Why(bool zh) => list.CorrectionReason is { Length: > 0 } reason ? zh ? $"更正说明：{reason}" : $"The correction: {reason}" : "";
        foreach (var entry in before.Where(e => !still.Contains(e.SubjectId)))
        {
            await TellAsync(s, "subject", entry.SubjectId, zh => zh
                ? $"（更正）{week(true)}{Phrases.Kind(kind, true)}{(red ? "红榜" : "黑榜")}已更正，您不在更正后的{(red ? "红榜" : "黑榜")}上。{Why(true)}"
                : $"(Corrected) The {(red ? "red" : "black")} list of {Phrases.Kind(kind, false)}s of {week(false)} was corrected: you are not on it any more. {Why(false)}".TrimEnd(),
                zh => zh ? ["积分", "榜单"] : ["score", "list"]);
        }
    }

    /// <summary>
    /// A change (an approval, a revocation, a report counted at once) to weeks already published: each active officer of
    /// the street but whoever made it is told, per week, who changed what and how to publish the correction — once for
    /// each week, kind and published revision (keyed, as the publication reminder is): a busy Monday's approvals do not
    /// make one message each, and a change after the correction is published is news again.
    /// </summary>
    public async Task PublishedWeeksChangedAsync(Session s, ScoreEvent e, Subject subject, IReadOnlyList<string> weeks, string actorId)
    {
        var officers = (await s.ListStaffAsync(e.StreetId)).Where(x => x.Active && x.Role == StaffRole.Officer && x.Id != actorId).ToList();
        if (officers.Count == 0) return;
        var now = time.GetUtcNow();
        var rule = (await Reporting.RuleSetOfAsync(s, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
        var staff = actorId == Actor.System.Id ? null : await s.GetStaffAsync(actorId);
        string Who(bool zh) => staff is { } x ? zh ? $"{x.Name}（{Phrases.Role(x.Role, true)}）" : $"{x.Name} ({Phrases.Role(x.Role, false)})"
            : actorId == Actor.System.Id ? zh ? "系统" : "The system" : actorId;
        // What the change was: the reporter's own report counted as it was recorded, else the decision that moved it.
        var (doneZh, doneEn) = e.Status == EventStatus.Revoked ? ("撤销了", "revoked")
            : e.ReporterId == actorId ? ("记录了", "recorded") : ("通过了", "approved");
        foreach (var week in weeks)
        {
            var revision = (await s.LatestListAsync(e.StreetId, week, subject.Kind.ToWire()))?.Revision ?? 0;
            var key = $"cw{week.Replace("-", "", StringComparison.Ordinal)}{(subject.Kind == SubjectKind.ShopHead ? 'S' : 'L')}{revision}"; // within the column's 16 characters
            string Text(bool zh) => zh
                ? $"榜单更正提醒：{Who(true)}{doneZh}记录 {e.Id}（{subject.Name}「{rule?.NameZh ?? e.RuleCode}」{Phrases.Delta(e.Delta)}），改变了已发布的 {week} {subject.Kind.NameZh()}榜所依据的积分，公布的榜单仍按之前的记录。发送「发布 {week} {subject.Kind.NameZh()}」预览并发布更正。发布更正前，该周榜单的其他改动不再逐条提醒。"
                : $"List correction due: {Who(false)} {doneEn} record {e.Id} ({subject.Name}, \"{rule?.NameEn ?? e.RuleCode}\" {Phrases.Delta(e.Delta)}), which changes the published {week} list of {Phrases.Kind(subject.Kind, false)}s; the public list still ranks the records before it. Send \"publish {week} {subject.Kind.ToWire()}\" to preview and publish a correction. Further changes to that list are not told one by one until a correction is published.";
            IEnumerable<string> Buttons(bool zh) => [zh ? $"发布 {week} {subject.Kind.NameZh()}" : $"publish {week} {subject.Kind.ToWire()}"];
            foreach (var officer in officers)
                if (await s.ScalarAsync<long>(CountDigest, new { StaffId = officer.Id, HourKey = key }) == 0)
                    await RemindOnceAsync(s, officer.Id, officer.Id, key, now, Text, Buttons, personKind: "staff");
        }
    }

    /// <summary>
    /// Items escalated: kept for the officers' notice, which goes out at once in working hours (in the escalation's
    /// transaction), else with the first round of <see cref="ChatNoticeWork"/> in working hours.
    /// </summary>
    public async Task EscalatedAsync(Session s, Street street, IReadOnlyList<string> eventIds)
    {
        foreach (var id in eventIds) await s.ExecuteAsync(QueueEscalation, new { Street = street.Id, EventId = id });
        await EscalationsAsync(s, street, time.GetUtcNow());
    }

    /// <summary>
    /// In the street's working hours (as the staff's reminders: not at night, at weekends or on holidays), tells each
    /// active officer of the street, in one message, of the escalated items they have not heard of that are still
    /// pending (oldest first), and forgets them in the same transaction: each is told of once. Returns how many
    /// messages were enqueued.
    /// </summary>
    public async Task<int> EscalationsAsync(Session s, Street street, DateTimeOffset now)
    {
        if (!VerificationClock.IsWorkingHours(now, street.Settings)) return 0;
        var ids = (await s.QueryAsync<string>(TakeEscalations, new { Street = street.Id })).ToList();
        if (ids.Count == 0) return 0;
        var items = new List<ScoreEvent>(ids.Count);
        foreach (var id in ids)
            if (await s.GetEventAsync(id) is { Status: EventStatus.Pending } e) items.Add(e); // one decided meanwhile is no news
        if (items.Count == 0) return 0;
        items.Sort((a, b) => a.ReportedAt != b.ReportedAt ? a.ReportedAt.CompareTo(b.ReportedAt) : string.CompareOrdinal(a.Id, b.Id));
        var lines = new List<Func<bool, string>>();
        foreach (var e in items.Take(EscalationsListed))
        {
            var subject = await s.GetSubjectAsync(e.SubjectId);
            // The subject's community now, as for deciding the item (a landlord may have moved since the report).
            var community = subject is null ? null : await s.GetCommunityAsync(subject.CommunityId);
            var rule = (await Reporting.RuleSetOfAsync(s, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
            string name = subject?.Name ?? e.SubjectId, place = community?.Name ?? e.CommunityId;
            lines.Add(zh => zh
                ? $"· {name}（{place}）「{rule?.NameZh ?? e.RuleCode}」{Phrases.Delta(e.Delta)}（编号 {e.Id}），{Phrases.Age(now - e.ReportedAt, true)}前上报"
                : $"· {name} ({place}), \"{rule?.NameEn ?? e.RuleCode}\" {Phrases.Delta(e.Delta)} (id {e.Id}), reported {Phrases.Age(now - e.ReportedAt, false)} ago");
        }
        var more = items.Count - lines.Count;
        var hours = VerificationClock.EscalationHours(street.Settings);
        string Text(bool zh)
        {
            var text = new StringBuilder(zh
                ? $"超时上报：{items.Count} 条待核查记录已超过 {hours} 小时未核查，现上报街道："
                : $"Escalated to the street: {items.Count} {(items.Count == 1 ? "record has" : "records have")} waited more than {hours} h for verification:");
            foreach (var line in lines) text.Append('\n').Append(line(zh));
            if (more > 0) text.Append('\n').Append(zh ? $"……另有 {more} 条。" : $"…and {more} more.");
            text.Append('\n').Append(zh ? "发送「待核查」处理。" : "Send \"pending\" to handle them.");
            return text.ToString();
        }
        int sent = 0;
        var hourKey = HourKey(now, street.Settings);
        foreach (var officer in (await s.ListStaffAsync(street.Id)).Where(x => x.Active && x.Role == StaffRole.Officer))
        {
            var told = await TellAsync(s, "staff", officer.Id, Text, zh => zh ? ["待核查"] : ["pending"]);
            // The notice is the officer's reminder of this hour: the hourly digest of the same escalated items does not
            // follow it in the same minute (as at 08:00, after a night's escalations); the next hour's comes as before.
            if (told > 0) await MarkAsync(s, officer.Id, hourKey, now);
            sent += told;
        }
        return sent;
    }

    /// <summary>
    /// A staff member was just told of pending items (a new-items or an escalation notice): that is their message of this
    /// hour, and the hourly digest, which would name the same items in the same minute, waits for the next hour.
    /// </summary>
    private static Task HourToldAsync(Session s, StaffMember staff, Street street, DateTimeOffset now) =>
        MarkAsync(s, staff.Id, HourKey(now, street.Settings), now);

    /// <summary>Marks <paramref name="key"/> (an hour, a reminder's day) told to <paramref name="personId"/>; a mark already there stays.</summary>
    /// <returns>1 when this call marked it, 0 when it was marked already.</returns>
    public static Task<int> MarkAsync(Session s, string personId, string key, DateTimeOffset now) =>
        s.ExecuteAsync(InsertDigest, new { StaffId = personId, HourKey = key, SentAt = now });

    /// <summary>
    /// The key of the street's local hour <paramref name="now"/> is in: its start as an instant (an hour a clock change
    /// repeats has two), 16 characters at most, as the column.
    /// </summary>
    private static string HourKey(DateTimeOffset now, StreetSettings settings)
    {
        var local = TimeZoneInfo.ConvertTime(now, settings.TimeZone);
        return new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset).UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Tells a secretary about pending items they have not heard of, in the street's working hours, unless they heard
    /// something within the batch window (then the next call after it sends one notice for all of them; what came in
    /// outside working hours, the first call in them). False when nothing was sent.
    /// <paramref name="arrived"/> is the item whose report calls this, in the report's transaction.
    /// </summary>
    public async Task<bool> NewItemsAsync(Session s, StaffMember secretary, DateTimeOffset now, ScoreEvent? arrived = null)
    {
        // Cheap checks first: this runs inside every report's transaction.
        if (secretary.CommunityId is not { } community) return false;
        var accounts = await AccountsOfAsync(s, "staff", secretary.Id);
        if (accounts.Count == 0) return false;
        var mark = await s.FirstOrDefaultAsync<NoticeMark>(SelectMark, new { StaffId = secretary.Id });
        if (arrived is not null && mark is { SeenReportedAt: { } seenAt } && AtOrBefore(arrived, seenAt, mark.SeenEventId ?? ""))
        {
            // Stamped by an instance whose clock is behind the one that stamped the watermark, this item would never be
            // fresh: the watermark goes back to just before it, so the next notice counts it (with any item the secretary
            // already heard of that was stamped after it, within that gap between the clocks).
            mark.SeenReportedAt = arrived.ReportedAt;
            mark.SeenEventId = "";
            await s.ExecuteAsync(UpsertMark, mark);
        }
        if (mark?.NotifiedAt is { } last && now - last < BatchWindow) return false;
        // Not at night, at a weekend or on a holiday (the street from the cache: no statement in the report's transaction).
        // The watermark stays where it is, so the first round in working hours tells of all that came in meanwhile at once.
        if (await s.GetStreetAsync(secretary.StreetId) is not { } street || !VerificationClock.IsWorkingHours(now, street.Settings)) return false;
        var after = new { Community = community, SeenAt = mark?.SeenReportedAt, SeenId = mark?.SeenEventId ?? "" };
        if (await s.FirstOrDefaultAsync<FreshItem>(NewestFresh, after) is not { } newest) return false;
        var count = newest.Total;
        var subject = count == 1 ? await s.GetSubjectAsync(newest.SubjectId) : null;
        var rule = count == 1 ? (await Reporting.RuleSetOfAsync(s, newest.StreetId, newest.OccurredAt)).Find(newest.RuleCode) : null;
        var sent = await TellAsync(s, accounts, zh => count == 1
            ? zh
                ? $"新的待核查：{subject?.Name}「{rule?.NameZh ?? newest.RuleCode}」{Phrases.Delta(newest.Delta)}（编号 {newest.Id}）。发送「待核查」处理。"
                : $"New for verification: {subject?.Name}, \"{rule?.NameEn ?? newest.RuleCode}\" {Phrases.Delta(newest.Delta)} (id {newest.Id}). Send \"pending\" to handle it."
            : zh
                ? $"有 {count} 条新的待核查上报。发送「待核查」处理。"
                : $"{count} new records wait for verification. Send \"pending\" to handle them.",
            zh => zh ? ["待核查"] : ["pending"]);
        if (sent == 0) return false;
        await s.ExecuteAsync(UpsertMark, new { StaffId = secretary.Id, SeenReportedAt = (DateTimeOffset?)newest.ReportedAt, SeenEventId = newest.Id, NotifiedAt = (DateTimeOffset?)now });
        // Her message of this hour, whichever path sent it (the round, or a report at 08:00 telling of the night's items
        // before the round runs): the hourly digest of the same queue waits for the next hour. One statement, and only
        // when a notice went out (at most once a batch window).
        await HourToldAsync(s, secretary, street, now);
        return true;
    }

    /// <summary>
    /// The hourly reminder of what is pending (a secretary's community; an officer's escalated items),
    /// during the street's working hours, at most once per local hour. False when nothing was sent.
    /// </summary>
    public async Task<bool> DigestAsync(Session s, StaffMember staff, Street street, DateTimeOffset now)
    {
        if (!VerificationClock.IsWorkingHours(now, street.Settings)) return false;
        var local = TimeZoneInfo.ConvertTime(now, street.Settings.TimeZone);
        var hourKey = HourKey(now, street.Settings);
        if (await s.ScalarAsync<long>(CountDigest, new { StaffId = staff.Id, HourKey = hourKey }) > 0) return false;
        var items = staff.Role == StaffRole.Secretary && staff.CommunityId is { } community
            ? await s.PendingOfCommunityAsync(community)
            : staff.Role is StaffRole.Officer ? await s.PendingOfStreetAsync(street.Id, escalatedOnly: true) : [];
        if (items.Count == 0) return false;
        // Due today or on an earlier day alike (VerificationClock.DueBy): the count is of items overdue, not of today's only.
        var overdue = items.Count(e => VerificationClock.IsOverdue(e.ReportedAt, now, street.Settings));
        var escalated = items.Count(e => e.EscalatedAt is not null);
        var oldest = items[0];
        var subject = await s.GetSubjectAsync(oldest.SubjectId);
        var rule = (await Reporting.RuleSetOfAsync(s, oldest.StreetId, oldest.OccurredAt)).Find(oldest.RuleCode);
        var hour = local.ToString("HH", CultureInfo.InvariantCulture);
        // Marked before it is sent, and sent only when this mark took: a new-items or escalation notice another instance
        // sent this same moment (its mark committed after the check above) is the hour's message, not this one as well.
        if (await MarkAsync(s, staff.Id, hourKey, now) == 0) return false;
        // An officer's items have all escalated: the count says so once, not again at the end.
        bool officer = staff.Role == StaffRole.Officer;
        var sent = await TellAsync(s, "staff", staff.Id, zh => zh
            ? $"待核查提醒（{hour}:00）：共 {items.Count} 条{(officer ? "已上报街道" : "")}，其中 {overdue} 条已超过核查时限{(officer ? "" : $"，{escalated} 条已上报街道")}。\n最早一条：{subject?.Name}「{rule?.NameZh ?? oldest.RuleCode}」，{Phrases.Age(now - oldest.ReportedAt, true)}前上报。发送「待核查」处理。"
            : $"Verification reminder ({hour}:00): {Phrases.Records(items.Count, "waits", "wait", officer ? "escalated" : null)}; {overdue} overdue{(officer ? "" : $", {escalated} escalated to the street")}.\nOldest: {subject?.Name}, \"{rule?.NameEn ?? oldest.RuleCode}\", reported {Phrases.Age(now - oldest.ReportedAt, false)} ago. Send \"pending\" to handle them.",
            zh => zh ? ["待核查"] : ["pending"]);
        if (sent == 0)
        {
            // Nobody to tell (no chat account yet): the hour stays unmarked, so an account bound within it is reminded.
            await s.ExecuteAsync(UnmarkDigest, new { StaffId = staff.Id, HourKey = hourKey, SentAt = now });
            return false;
        }
        return true;
    }

    /// <summary>
    /// In the hour before the street's daily deadline, once a day: each shop head who owes today's round and has not
    /// reported it is reminded (a missed round costs a point). Returns how many were reminded.
    /// </summary>
    public async Task<int> RoundRemindersAsync(Session s, Street street, DateTimeOffset now)
    {
        var today = VerificationClock.LocalDay(now, street.Settings);
        if (!street.Settings.OwesRoundOn(today)) return 0;
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var deadline = await Rounds.DeadlineOfDayAsync(s, street, day);
        if (now < deadline - RoundReminderBefore || now >= deadline) return 0;
        // Keyed by the deadline as well: one moved later after the reminder went out is reminded of again.
        var key = "r" + deadline.UtcDateTime.ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture);
        var rule = (await Reporting.RuleSetOfAsync(s, street.Id, deadline)).Find(ChatBindings.MissedRound.Code);
        var week = IsoWeek.Containing(deadline, street.Settings.TimeZone).ToString();
        var at = TimeZoneInfo.ConvertTime(deadline, street.Settings.TimeZone).ToString("HH:mm", CultureInfo.InvariantCulture);
        int reminded = 0;
        foreach (var id in await s.QueryAsync<string>(ShopHeadsToRemind, new { Street = street.Id, Day = day, Key = key }))
        {
            // The point at stake is named only when one would be charged (not past the rule's weekly cap).
            var charged = rule is not null && (rule.WeeklyCap is not { } cap || await s.CountUnderRuleInWeekAsync(id, rule.Code, week) < cap);
            reminded += await RemindOnceAsync(s, id, id, key, now, zh => zh
                ? $"巡查提醒：今天的巡查还没有上报，请在 {at} 前发送「巡查」。{(charged ? $"逾期记「{rule!.NameZh}」{Phrases.Delta(rule.Delta)}。" : "")}"
                : $"Round reminder: today's round is not reported yet; send \"round\" before {at}.{(charged ? $" After that it counts as \"{rule!.NameEn}\" {Phrases.Delta(rule.Delta)}." : "")}",
                zh => zh ? ["巡查"] : ["round"]);
        }
        return reminded;
    }

    /// <summary>
    /// On a tenant's expected day back, from the start of the street's working hours (weekends too: tenants travel then),
    /// once: their landlord is reminded to report the return within the street's window. Returns how many were reminded.
    /// </summary>
    public async Task<int> ReturnRemindersAsync(Session s, Street street, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, street.Settings.TimeZone);
        if (TimeOnly.FromDateTime(local.DateTime) < street.Settings.WorkingHoursStart) return 0;
        var today = DateOnly.FromDateTime(local.DateTime);
        var from = IsoWeek.LocalMidnight(today, street.Settings.TimeZone);
        var key = "ret:" + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var hours = street.Settings.LateReturnWindow.TotalHours.ToString("0", CultureInfo.InvariantCulture);
        // A cost is named only when the street's rules deduct for a late return (an officer may have dropped the rule).
        var costs = (await Reporting.RuleSetOfAsync(s, street.Id, now)).Find(ChatBindings.LateReturn.Code) is { Delta: < 0 };
        int reminded = 0;
        foreach (var t in await s.QueryAsync<ExpectedTenant>(TenantsExpected, new
                 {
                     From = from, To = IsoWeek.LocalMidnight(today.AddDays(1), street.Settings.TimeZone), Street = street.Id, Since = from.AddDays(-7), SinceId = Ids.OrderedFloor(from.AddDays(-7) - Reporting.MaxAhead), Key = key,
                 }))
        {
            reminded += await RemindOnceAsync(s, t.LandlordId, t.TenantId, key, now, zh => zh
                ? $"租客提醒：您的租客{t.TenantName}预计今天返回。到达后请在{hours}小时内发送「返回 {t.TenantName} 到达时间」{(costs ? "，逾期上报要扣分" : "")}。"
                : $"Tenant reminder: your tenant {t.TenantName} is expected back today. Once they arrive, send \"return {t.TenantName} <arrival time>\" within {hours} h{(costs ? "; a late report costs points" : "")}.",
                zh => zh ? [$"返回 {t.TenantName}"] : [$"return {t.TenantName}"]);
        }
        return reminded;
    }

    /// <summary>
    /// In working hours from the first working day of a week (Tuesday when Monday is a holiday), once: each active officer of the
    /// street is told which of last week's lists (of the kinds the street has) are not published yet, and how many of
    /// the reports that would change them still wait for verification (publishing freezes the list without them). A week that ended while nobody
    /// worked (the week before a week of holidays) is told of then too, in its own message. Keyed by the officer and the
    /// week, so neither a second instance nor a retried round tells anyone twice. Returns how many were reminded.
    /// </summary>
    public async Task<int> PublicationRemindersAsync(Session s, Street street, DateTimeOffset now)
    {
        var settings = street.Settings;
        if (!VerificationClock.IsWorkingHours(now, settings)) return 0;
        var today = VerificationClock.LocalDay(now, settings);
        // On the week's first working day as a rule; on a later one when no instance ran then (the key tells who was told).
        var week = IsoWeek.Of(today);
        var last = week.Previous();
        // The weeks that ended since the last working day: last week, and any before it whose first working day this is.
        var first = last;
        for (var day = week.Monday.AddDays(-1); day >= last.Monday.AddDays(-7 * MaxWeeksReminded) && !settings.IsWorkingDay(day); day = day.AddDays(-1))
            first = IsoWeek.Of(day);
        // A street set up this week (or after a week it did not exist in) has no list of the weeks before its first
        // rules took effect: nothing was reported, ranked or in force then, and publishing one would put an empty
        // list of a week that was never the street's on its board.
        if (await StreetWeeks.FirstAsync(s, street) is { } began && first < began) first = began;
        int reminded = 0;
        for (var ended = first; ended <= last; ended = ended.Next())
            reminded += await PublicationReminderAsync(s, street, ended, ended == last, now);
        return reminded;
    }

    /// <summary>The weeks before last one reminder round may tell of, when the street worked on none of their first days.</summary>
    private const int MaxWeeksReminded = 4;

    /// <summary>Tells each active officer not yet told of <paramref name="week"/> which of its lists are unpublished (see <see cref="PublicationRemindersAsync"/>).</summary>
    private async Task<int> PublicationReminderAsync(Session s, Street street, IsoWeek week, bool isLast, DateTimeOffset now)
    {
        var key = "pub:" + week; // within the column's 16 characters
        var officers = new List<StaffMember>();
        foreach (var officer in (await s.ListStaffAsync(street.Id)).Where(x => x.Active && x.Role == StaffRole.Officer))
            if (await s.ScalarAsync<long>(CountDigest, new { StaffId = officer.Id, HourKey = key }) == 0) officers.Add(officer);
        if (officers.Count == 0) return 0;
        var unpublished = new List<SubjectKind>();
        var pending = 0;
        foreach (var kind in await Publication.KindsOfAsync(s, street.Id))
        {
            if (await s.LatestListAsync(street.Id, week.ToString(), kind.ToWire()) is not null) continue;
            // Nobody of the kind on the roster that week: there is no such list to publish (it would be refused).
            if (!await s.HasSubjectsOfKindInWeekAsync(street.Id, kind, week, street.Settings.TimeZone)) continue;
            unpublished.Add(kind);
            pending += await Publication.PendingUpToAsync(s, street, week, kind);
        }
        if (unpublished.Count == 0) return 0;
        string Text(bool zh)
        {
            var lists = zh ? string.Join("、", unpublished.Select(k => k.NameZh() + "榜")) : string.Join(" and ", unpublished.Select(k => Phrases.Kind(k, false)));
            var waiting = pending == 0
                ? zh ? "没有影响该周榜单的记录待核查" : "no record that would change it waits for verification"
                : zh ? $"还有 {pending} 条影响该周榜单的记录待核查（发布后榜单即固定）" : $"{Phrases.Records(pending, "that would change it still waits", "that would change it still wait")} for verification (publishing freezes the list)";
            return zh
                ? $"{(isLast ? $"上周（{week}）" : $"{week} ")}{lists}尚未发布，{waiting}。发送「{(isLast ? "发布" : $"发布 {week}")}」先预览，确认后发布。"
                : $"{(isLast ? $"Last week's ({week})" : $"The {week}")} {lists} {(unpublished.Count == 1 ? "list is" : "lists are")} not published yet; {waiting}. Send \"{(isLast ? "publish" : $"publish {week}")}\" to preview it and confirm.";
        }
        IEnumerable<string> Buttons(bool zh) => [isLast ? zh ? "发布" : "publish" : zh ? $"发布 {week}" : $"publish {week}"];
        int reminded = 0;
        foreach (var officer in officers)
            reminded += await RemindOnceAsync(s, officer.Id, officer.Id, key, now, Text, Buttons, personKind: "staff");
        return reminded;
    }

    /// <summary>
    /// Reminds a person (a landlord or shop head unless <paramref name="personKind"/> says staff), and records the reminder under
    /// <paramref name="about"/> (them, or their tenant) and <paramref name="key"/> in the digests' table, whether or not they can
    /// be reached: one look per key, not one a minute. 1 when a message was enqueued.
    /// </summary>
    private async Task<int> RemindOnceAsync(Session s, string personId, string about, string key, DateTimeOffset now,
        Func<bool, string> text, Func<bool, IEnumerable<string>> buttons, string personKind = "subject")
    {
        var sent = await TellAsync(s, personKind, personId, text, buttons);
        await MarkAsync(s, about, key, now);
        return sent > 0 ? 1 : 0;
    }

    /// <summary>Whether an item sorts at or before a watermark (reported_at, id), as the fresh items' query orders them.</summary>
    private static bool AtOrBefore(ScoreEvent e, DateTimeOffset seenAt, string seenId) =>
        e.ReportedAt < seenAt || (e.ReportedAt == seenAt && string.CompareOrdinal(e.Id, seenId) <= 0);

    /// <summary>Forgets digests sent before <paramref name="before"/>; only the current hour's matter.</summary>
    public static Task<int> PurgeDigestsAsync(Session s, DateTimeOffset before) => s.ExecuteAsync(PurgeDigests, new { Before = before });

    /// <summary>
    /// Enqueues one message to every chat account of a person that has a conversation reference (one marked unreachable
    /// aside), in the language of that conversation. Returns how many were enqueued.
    /// </summary>
    /// <remarks>
    /// An account that speaks for several records (a landlord who is also a shop head) is told which one a notice is about.
    /// </remarks>
    private async Task<int> TellAsync(Session s, string personKind, string personId, Func<bool, string> text, Func<bool, IEnumerable<string>> buttons)
    {
        var accounts = await AccountsOfAsync(s, personKind, personId);
        if (personKind != "subject" || !accounts.Any(a => a.Several) || await s.GetSubjectAsync(personId) is not { } record)
            return await TellAsync(s, accounts, text, buttons);
        var community = (await s.GetCommunityAsync(record.CommunityId))?.Name;
        return await TellAsync(s, accounts.Where(a => !a.Several).ToList(), text, buttons)
            + await TellAsync(s, accounts.Where(a => a.Several).ToList(), zh => (zh ? $"【{Phrases.Record(record, community, true)}】" : $"[{Phrases.Record(record, community, false)}] ") + text(zh), buttons);
    }

    /// <summary>Enqueues one message to each of <paramref name="accounts"/> that has a conversation reference.</summary>
    private async Task<int> TellAsync(Session s, IReadOnlyList<ChatAccount> accounts, Func<bool, string> text, Func<bool, IEnumerable<string>> buttons)
    {
        var messages = new List<Activity>();
        foreach (var account in accounts)
        {
            // Nor one that reaches nobody (the bot removed or blocked): not enqueued to be refused, nor counted as told.
            if (await ConversationReferenceStore.FindAsync(s, account.ChannelId, account.UserId) is not { UnreachableSince: null } reference) continue;
            var zh = Phrases.IsChinese(reference.Locale);
            try
            {
                var message = Reply.Proactive(reference, text(zh));
                // A reference kept from a channel before it was known for one (a Slack channel of two) is told nothing.
                if (message.InSharedConversation) continue;
                if (buttons(zh).ToList() is { Count: > 0 } choices) message.WithSuggestedActions(choices);
                messages.Add(message);
            }
            catch (JsonException)
            {
                // A reference that no longer reads as JSON reaches nobody; the effect must not fail for it.
            }
        }
        if (messages.Count > 0) await recorder.EnqueueAsync(s, messages);
        return messages.Count;
    }

    /// <summary>
    /// A person's chat accounts; an id names a subject or a staff member, so the kind tells them apart. A staff member's
    /// only while on duty: one taken off duty hears nothing more (the outcome of a report made before, a landlord's name
    /// and a secretary's reason in it, least of all).
    /// </summary>
    private static Task<IReadOnlyList<ChatAccount>> AccountsOfAsync(Session s, string personKind, string personId) =>
        personKind == "staff" ? s.ChatAccountsOfActiveStaffAsync(personId) : s.ChatAccountsOfAsync(personKind, personId);

    private sealed class ExpectedTenant
    {
        public string TenantId { get; set; } = "";
        public string TenantName { get; set; } = "";
        public string LandlordId { get; set; } = "";
    }

    private sealed class FreshItem
    {
        public string Id { get; set; } = "";
        public string StreetId { get; set; } = "";
        public string SubjectId { get; set; } = "";
        public string RuleCode { get; set; } = "";
        public int Delta { get; set; }
        public DateTimeOffset OccurredAt { get; set; }
        public DateTimeOffset ReportedAt { get; set; }
        public long Total { get; set; }
    }

    private sealed class NoticeMark
    {
        public string StaffId { get; set; } = "";
        public DateTimeOffset? SeenReportedAt { get; set; }
        public string? SeenEventId { get; set; }
        public DateTimeOffset? NotifiedAt { get; set; }
    }
}
