using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Bot.Conversations;

/// <summary>Secretaries in chat: the pending queue as cards, approve and reject (scope checked by the use case).</summary>
public sealed partial class ConversationHandler
{
    /// <summary>More cards than this in one message is more than anyone reads on a phone: the queue is read a page at a time.</summary>
    internal const int PendingPageSize = 10;

    /// <summary>The last page the chat turns to: the queue is read from its oldest, at most <see cref="Verification.MaxPendingShown"/> deep.</summary>
    private const int LastPendingPage = Verification.MaxPendingShown / PendingPageSize;

    private Task<Outcome<PendingPage>> QueueOfAsync(ChatTurn turn, StaffMember staff, int take, int skip = 0) =>
        staff.Role is StaffRole.Officer or StaffRole.Admin || staff.CommunityId is null
            ? verification.StreetQueueInAsync(turn.S, staff, staff.StreetId, escalatedOnly: false, take: take, skip: skip)
            : verification.QueueInAsync(turn.S, staff, staff.CommunityId, take: take, skip: skip);

    /// <summary>
    /// The queue, oldest first, a page of <see cref="PendingPageSize"/> at a time: 待核查 is the first page, 待核查 2 the
    /// second (a button turns to it), so a secretary can look past records she cannot decide yet.
    /// </summary>
    private async Task<Activity> PendingAsync(ChatTurn turn, string rest = "")
    {
        var page = CommandParser.SplitWords(rest) is [var word, ..] && int.TryParse(word, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var asked) && asked >= 1
            ? Math.Min(asked, LastPendingPage + 1) : 1;
        var skip = (page - 1) * PendingPageSize;
        var beyondReach = page > LastPendingPage;
        var queue = await QueueOfAsync(turn, turn.Staff!, beyondReach ? 1 : PendingPageSize, beyondReach ? 0 : skip); // past reach: only the total
        if (queue.Failure is { } failure) return turn.Ask(failure.Chinese, failure.English, Menu(turn));
        var (shown, total) = queue.Value!;
        if (total == 0)
            return turn.Ask("目前没有待核查的记录。", "Nothing is waiting for verification.", Menu(turn));
        if (beyondReach || shown.Count == 0)
        {
            var pages = Math.Min(LastPendingPage, (total + PendingPageSize - 1) / PendingPageSize);
            // Past the oldest MaxPendingShown there are records, but chat does not read them: say so, not 'no such page'.
            if (total > Verification.MaxPendingShown && page > LastPendingPage)
                return turn.Ask($"待核查共 {total} 条，聊天里只能翻看最早的 {Verification.MaxPendingShown} 条（{LastPendingPage} 页，每页 {PendingPageSize} 条）。处理完较早的记录后，后面的会依次往前排；发「待核查 {pages}」看最后一页。",
                    $"{total} wait for verification; chat reads only the oldest {Verification.MaxPendingShown} ({LastPendingPage} pages of {PendingPageSize}). Later ones move up as earlier ones are decided; send \"pending {pages}\" for the last page.",
                    [turn.T("待核查", "pending"), turn.T($"待核查 {pages}", $"pending {pages}")]);
            return turn.Ask($"待核查共 {total} 条，没有第 {page} 页（每页 {PendingPageSize} 条）。发「待核查 {pages}」看最后一页。",
                $"{total} wait for verification: there is no page {page} ({PendingPageSize} a page). Send \"pending {pages}\" for the last.",
                [turn.T("待核查", "pending"), turn.T($"待核查 {pages}", $"pending {pages}")]);
        }

        var zone = await turn.ZoneAsync();
        var lines = shown.Select((p, i) =>
            $"{skip + i + 1}. {p.SubjectName}{Beside(p, turn.Zh)} · {(turn.Zh ? p.RuleNameZh : p.RuleNameEn)} {Phrases.Delta(p.Event.Delta)} · {p.Event.Id}{Flags(p, turn.Zh)}");
        var after = total - skip - shown.Count;
        var next = after > 0 && page < LastPendingPage ? page + 1 : (int?)null;
        var more = after <= 0 ? ""
            : next is { } n
                ? turn.T($"\n还有 {after} 条：发「待核查 {n}」看下一页；处理完这些后发「待核查」从最早的看起。", $"\n{after} more: send \"pending {n}\" for the next page, or \"pending\" again after these.")
                : turn.T($"\n还有 {after} 条，处理完这些后再发「待核查」。", $"\n{after} more; send \"pending\" again after these.");
        var range = page == 1 ? "" : $"{skip + 1}–{skip + shown.Count}";
        // Where the channel shows no cards (Telegram, SMS, Slack), each card's details follow as text and there is no button to press.
        var cards = ChannelLimits.For(turn.Inbound.ChannelId).Cards;
        var how = cards
            ? turn.T("可以点卡片上的按钮，也可以发送「通过 编号」或「驳回 编号 原因」。", "Use the card buttons, or send \"approve <id>\" or \"reject <id> <reason>\".")
            : turn.T("发送「通过 编号」或「驳回 编号 原因」处理。", "Send \"approve <id>\" or \"reject <id> <reason>\".");
        var reply = turn.Say(
            $"待核查 {total} 条（最早的在前）{(range.Length == 0 ? "" : $"，第 {range} 条")}：\n{string.Join("\n", lines)}{more}\n{how}",
            $"{total} waiting for verification (oldest first){(range.Length == 0 ? "" : $", {range}")}:\n{string.Join("\n", lines)}{more}\n{how}");
        reply.AttachmentLayout = "list";
        foreach (var item in shown)
            reply.WithAdaptiveCard(PendingCards.For(item, await ReporterNameAsync(turn, item.Event.ReporterId), zone, turn.Now, turn.Zh));
        return next is { } following ? reply.WithSuggestedActions(turn.T($"待核查 {following}", $"pending {following}")) : reply;
    }

    /// <summary>What follows a name in the queue, in brackets: its community in a street's queue, and what tells it from another of the same name.</summary>
    private static string Beside(PendingItem p, bool zh)
    {
        var tell = PendingCards.TellApart(p, zh, "");
        var parts = string.Join(zh ? " · " : ", ", new[] { p.Community, tell.Length == 0 ? null : tell }.OfType<string>());
        return parts.Length == 0 ? "" : zh ? $"（{parts}）" : $" ({parts})";
    }

    private static string Flags(PendingItem p, bool zh) =>
        (p.Own ? (zh ? " · 本人记录，由他人核查" : " · about you: someone else decides it") : "")
        + (p.Escalated ? (zh ? " · 已上报街道" : " · escalated") : "") + (p.Overdue ? (zh ? " · 已超时" : " · overdue") : "");

    private static async Task<string> ReporterNameAsync(ChatTurn turn, string reporterId)
    {
        if (reporterId == Actor.System.Id) return turn.T("系统", "the system");
        if (await turn.S.GetSubjectAsync(reporterId) is { } subject) return subject.Name;
        if (await turn.S.GetStaffAsync(reporterId) is { } staff) return turn.T($"{staff.Name}（{Phrases.Role(staff.Role, true)}）", $"{staff.Name} ({Phrases.Role(staff.Role, false)})");
        return reporterId;
    }

    private async Task<Activity> ApproveAsync(ChatTurn turn, string eventId) =>
        turn.Ask(await DecisionLineAsync(turn, eventId, await verification.ApproveInAsync(turn.S, turn.Staff!, eventId), null), NextSteps(turn));

    /// <summary>The most ids one 通过 decides: a turn is one transaction, and a reply of more lines is not read.</summary>
    private const int MostApprovedAtOnce = 50;

    private async Task<Activity> ApproveManyAsync(ChatTurn turn, IReadOnlyList<string> ids)
    {
        var lines = new List<string>();
        var distinct = ids.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var id in distinct.Take(MostApprovedAtOnce))
            lines.Add(await DecisionLineAsync(turn, id, await verification.ApproveInAsync(turn.S, turn.Staff!, id), null));
        // The rest is named, not dropped unsaid: the secretary sends them again.
        if (distinct.Count > MostApprovedAtOnce)
        {
            var left = distinct.Skip(MostApprovedAtOnce).ToList();
            var named = left.Count == 1 ? Phrases.Quote(left[0]) : $"{Phrases.Quote(left[0])} … {Phrases.Quote(left[^1])}";
            lines.Add(turn.T($"一次最多处理 {MostApprovedAtOnce} 条，其余 {left.Count} 条（{named}）未处理，请再发一次。",
                $"At most {MostApprovedAtOnce} at once: the other {left.Count} ({named}) were not decided; send them again."));
        }
        return turn.Ask(string.Join("\n", lines), NextSteps(turn));
    }

    /// <summary>
    /// A reason is asked only of a record it would decide: one already rejected (a reject button pressed again, its card
    /// cleared the reason once sent), one a colleague approved meanwhile, one of another community or none at all is
    /// answered at once, through the use case without a reason, as a second approve is.
    /// </summary>
    private Task<(Activity? Settled, string? Lead)> PrepareToRejectAsync(ChatTurn turn, Dictionary<string, string> values) =>
        SettleUnlessReasonDueAsync(turn, values, id => verification.RejectInAsync(turn.S, turn.Staff!, id, null));

    /// <summary>As for 驳回: a record not approved (or not there) is answered before a reason is asked.</summary>
    private Task<(Activity? Settled, string? Lead)> PrepareToRevokeAsync(ChatTurn turn, Dictionary<string, string> values) =>
        SettleUnlessReasonDueAsync(turn, values, id => verification.RevokeInAsync(turn.S, turn.Staff!, id, null));

    private async Task<(Activity? Settled, string? Lead)> SettleUnlessReasonDueAsync(ChatTurn turn, Dictionary<string, string> values, Func<string, Task<Outcome<Decision>>> decide)
    {
        if (values.ContainsKey(Reason.Name) || values.GetValueOrDefault(EventId.Name) is not { } id) return (null, null);
        var outcome = await decide(id);
        if (outcome.Failure is { Code: "reason-required" }) return (null, null);
        return (turn.Ask(await DecisionLineAsync(turn, id, outcome, null), NextSteps(turn)), null);
    }

    private async Task<Activity> RejectAsync(ChatTurn turn, string eventId, string reason) =>
        turn.Ask(await DecisionLineAsync(turn, eventId, await verification.RejectInAsync(turn.S, turn.Staff!, eventId, reason), reason), NextSteps(turn));

    /// <summary>撤销: an approval taken back, as the API's revoke (the person and their reporter are told by the use case).</summary>
    private async Task<Activity> RevokeAsync(ChatTurn turn, string eventId, string reason) =>
        turn.Ask(await DecisionLineAsync(turn, eventId, await verification.RevokeInAsync(turn.S, turn.Staff!, eventId, reason), reason), NextSteps(turn));

    /// <summary>One sentence about a decision, already in the turn's language.</summary>
    private static async Task<string> DecisionLineAsync(ChatTurn turn, string eventId, Outcome<Decision> outcome, string? reason)
    {
        // The use case's 'outside your scope' names nothing; in a list of decisions the secretary must know which record and why.
        if (outcome.Failure is { Code: "forbidden" })
            return turn.T($"记录 {Phrases.Quote(eventId)} 不属于您核查的社区，未作处理。", $"Record {Phrases.Quote(eventId)} is not in the community you verify; nothing changed.");
        // What was typed is quoted short: an id pasted with a page of text after it is not echoed whole.
        if (outcome.Failure is { Code: "event-not-found" })
            return turn.T($"找不到编号为「{Phrases.Quote(eventId)}」的记录。", $"There is no record with id '{Phrases.Quote(eventId)}'.");
        // Decided already by someone (a colleague, minutes ago): who and when, and how an approval is taken back.
        if (outcome.Failure is { Code: "wrong-status" } wrong && await turn.S.GetEventAsync(Ids.Normalize(eventId)) is { } found)
        {
            var how = found.Status == Domain.Ledger.EventStatus.Approved
                ? turn.T($"已通过的记录可发「撤销 {found.Id} 原因」撤销。", $" To take an approval back, send \"revoke {found.Id} <reason>\".")
                : found.Status == Domain.Ledger.EventStatus.Pending
                    ? turn.T($"待核查的记录请发「驳回 {found.Id} 原因」。", $" A pending record is rejected: send \"reject {found.Id} <reason>\".")
                    : "";
            return wrong.Text(turn.Zh) + await DecidedByAsync(turn, found) + how;
        }
        if (outcome.Failure is { } failure) return failure.Text(turn.Zh);
        var (e, subject, changed) = outcome.Value!;
        var rule = (await Reporting.RuleSetOfAsync(turn.S, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
        var ruleName = rule?.Name(turn.Zh) ?? e.RuleCode;
        var balance = await Reporting.CurrentBalanceAsync(turn.S, subject, turn.Now);
        var status = Phrases.Status(e.Status, turn.Zh);
        // Counted now (or by the first click) in weeks whose lists are frozen already: whoever publishes should know a correction may be due.
        var weeks = outcome.Value!.PublishedWeeksAffected;
        var stale = Phrases.StaleLists(weeks, turn.Zh);
        if (!changed)
            return turn.T($"记录 {e.Id} 已经是「{status}」，无需重复操作：{subject.Name}「{ruleName}」{Phrases.Delta(e.Delta)}。{subject.Name}当前积分：{balance}",
                $"Record {e.Id} is already {status}; nothing changed: {subject.Name}, \"{ruleName}\" {Phrases.Delta(e.Delta)}. {subject.Name}'s balance now: {balance}") + await DecidedByAsync(turn, e) + stale;
        // A report of a cycle already over (the last week of December, approved in January) moved that cycle's balance.
        if (e.Status == Domain.Ledger.EventStatus.Approved && await Reporting.EarlierCycleOfAsync(turn.S, e, subject, turn.Now) is { } earlier)
            return turn.T($"已通过 {e.Id}：{subject.Name}「{ruleName}」{Phrases.Delta(e.Delta)}，{Phrases.CountedIn(earlier, true)}。{subject.Name}本周期当前积分：{balance}",
                $"Approved {e.Id}: {subject.Name}, \"{ruleName}\" {Phrases.Delta(e.Delta)}; it {Phrases.CountedIn(earlier, false)}. {subject.Name}'s balance now, in this cycle: {balance}") + stale;
        if (e.Status == Domain.Ledger.EventStatus.Revoked)
        {
            // Its points paid out already (the API's rewardsOverdrawn): the one revoking hears it, as the person does in their notice.
            var overdrawn = outcome.Value!.RewardsOverdrawn;
            var owed = overdrawn <= 0 ? "" : turn.T($"\n该加分已兑换，{subject.Name}的奖励积分透支 {overdrawn} 分，之后获得的奖励积分先抵扣。",
                $"\nThis addition's points were already redeemed: {subject.Name}'s reward account is overdrawn by {Phrases.Points(overdrawn)}, which later earnings make up first.");
            // A record of a cycle already over is said to be of it, as the approval above and the person's notice say.
            if (await Reporting.EarlierCycleOfAsync(turn.S, e, subject, turn.Now) is { } of)
                return turn.T($"已撤销 {e.Id}：{subject.Name}「{ruleName}」{Phrases.Delta(e.Delta)}，{Phrases.CountedIn(of, true, revoked: true)}，不再计分。原因：{reason}。{subject.Name}本周期当前积分：{balance}。当事人会收到通知。",
                    $"Revoked {e.Id}: {subject.Name}, \"{ruleName}\" {Phrases.Delta(e.Delta)}; it {Phrases.CountedIn(of, false, revoked: true)} and is no longer counted. Reason: {reason}. {subject.Name}'s balance now, in this cycle: {balance}. They are told.") + owed + stale;
            return turn.T($"已撤销 {e.Id}：{subject.Name}「{ruleName}」{Phrases.Delta(e.Delta)}，不再计分。原因：{reason}。{subject.Name}当前积分：{balance}。当事人会收到通知。",
                $"Revoked {e.Id}: {subject.Name}, \"{ruleName}\" {Phrases.Delta(e.Delta)}, no longer counted. Reason: {reason}. {subject.Name}'s balance now: {balance}. They are told.") + owed + stale;
        }
        return e.Status == Domain.Ledger.EventStatus.Approved
            ? turn.T($"已通过 {e.Id}：{subject.Name}「{ruleName}」{Phrases.Delta(e.Delta)}。{subject.Name}当前积分：{balance}",
                $"Approved {e.Id}: {subject.Name}, \"{ruleName}\" {Phrases.Delta(e.Delta)}. {subject.Name}'s balance now: {balance}") + stale
            : turn.T($"已驳回 {e.Id}：{subject.Name}「{ruleName}」{Phrases.Delta(e.Delta)}，不计分。原因：{reason}。{subject.Name}当前积分：{balance}。当事人会在积分明细里看到原因。",
                $"Rejected {e.Id}: {subject.Name}, \"{ruleName}\" {Phrases.Delta(e.Delta)}, not counted. Reason: {reason}. {subject.Name}'s balance now: {balance}. They will see it in their score.");
    }

    /// <summary>
    /// Who moved the record to its status and when (金永平已于 11月18日 09:05 通过此记录。), from its audited transitions;
    /// empty for one never decided.
    /// </summary>
    private static async Task<string> DecidedByAsync(ChatTurn turn, Domain.Ledger.ScoreEvent e)
    {
        var status = e.Status.ToString();
        if ((await turn.S.TransitionsAsync(e.Id)).LastOrDefault(t => t.ToStatus == status && t.Kind == nameof(Domain.Ledger.TransitionKind.Status)) is not { } last
            || e.Status == Domain.Ledger.EventStatus.Pending)
            return "";
        var at = Phrases.When(last.At, await turn.ZoneAsync(), turn.Now, turn.Zh);
        var (zh, en) = e.Status switch
        {
            Domain.Ledger.EventStatus.Approved => ("通过", "approved"),
            Domain.Ledger.EventStatus.Rejected => ("驳回", "rejected"),
            _ => ("撤销", "revoked"),
        };
        if (last.ActorId == turn.Staff?.Id) return turn.T($"您已于 {at} {zh}此记录。", $" You {en} it at {at}.");
        var who = last.ActorId == Actor.System.Id ? turn.T("系统", "The system")
            : (await turn.S.GetStaffAsync(last.ActorId))?.Name ?? (await turn.S.GetSubjectAsync(last.ActorId))?.Name ?? last.ActorId;
        return turn.T($"{who}已于 {at} {zh}此记录。", $" {who} {en} it at {at}.");
    }

    private static IEnumerable<string> NextSteps(ChatTurn turn) => turn.Zh ? ["待核查", "帮助"] : ["pending", "help"];
}
