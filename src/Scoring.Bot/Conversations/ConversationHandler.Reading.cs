using System.Globalization;
using System.Text;
using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Lists;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Bot.Conversations;

/// <summary>What people read: their score explained, last week's list, and help for their role.</summary>
public sealed partial class ConversationHandler
{
    private async Task<Activity> ScoreAsync(ChatTurn turn)
    {
        var card = await scores.CardInAsync(turn.S, turn.Subject!, recent: 8);
        var zone = await turn.ZoneAsync();
        bool zh = turn.Zh;
        // Weeks and cycles as dates and years (本周（11月16日—22日）, 2026年): a landlord does not read 2026-W47.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(turn.Now, zone).DateTime);
        string Cycle(ScoringCycle cycle) => Phrases.Cycle(cycle, zh);
        var text = new StringBuilder();
        text.AppendLine(zh ? $"{card.Subject.Name}的当前积分：{card.Balance} 分" : $"{card.Subject.Name}, your balance: {Phrases.Points(card.Balance)}");
        text.AppendLine(zh
            ? $"（基础 {StreetSettings.BaseScore} 分，加上本周期已通过的加分、减去已通过的扣分；待核查的不算。）"
            : $"(A base of {StreetSettings.BaseScore}, plus the approved additions and minus the approved deductions of this cycle; pending ones do not count yet.)");
        // In a cycle's first week, or while the records listed are of cycles before (December's, read in January), the
        // balance is back at 12: say that a new cycle began, and where the last one stands.
        var earlier = card.Events.Any(l => l.Cycle != card.Cycle);
        if (card.Previous is { } previous && (card.Week == card.Cycle.First || earlier))
            text.AppendLine(zh
                ? $"新的积分周期（{Cycle(card.Cycle)}）从 {StreetSettings.BaseScore} 分重新算起；上一周期（{Cycle(previous.Cycle)}）积分：{previous.Balance} 分。"
                : $"A new cycle ({Cycle(card.Cycle)}) counts from {StreetSettings.BaseScore} again; the last cycle ({Cycle(previous.Cycle)}) stands at {Phrases.Points(previous.Balance)}.");
        var week = Phrases.Dates(card.Week, today.Year, zh);
        text.AppendLine(card.WeekRank is { } rank
            ? zh ? $"本周（{week}）排名：第 {rank} 名，共 {card.RankedCount} 人。" : $"This week ({week}): rank {rank} of {card.RankedCount}."
            : zh ? $"本周（{week}）暂无排名。" : $"This week ({week}): not ranked yet.");
        var yuan = card.Rewards.Yuan(card.Rewards.Available, card.YuanPerPoint).ToString("0.##", CultureInfo.InvariantCulture);
        text.AppendLine(zh
            ? $"奖励积分：可用 {card.Rewards.Available} 分（累计 {card.Rewards.Earned}，已兑换 {card.Rewards.Redeemed}{(card.Rewards.Overdrawn > 0 ? $"，透支 {card.Rewards.Overdrawn} 分：已兑换的加分有被撤销的，之后获得的奖励积分先抵扣" : "")}），合 {yuan} 元。"
            : $"Reward points: {card.Rewards.Available} available ({card.Rewards.Earned} earned, {card.Rewards.Redeemed} redeemed{(card.Rewards.Overdrawn > 0 ? $", {card.Rewards.Overdrawn} overdrawn: an addition already redeemed was revoked, and later earnings make it up first" : "")}), worth {yuan} yuan.");
        await AppendRedListingsAsync(turn, card, text);
        if (card.Events.Count == 0)
        {
            text.Append(zh ? "还没有记录。" : "No records yet.");
        }
        else
        {
            text.AppendLine(zh ? "最近记录：" : "Recent records:");
            foreach (var line in card.Events)
            {
                var e = line.Event;
                var why = line.Reason is { Length: > 0 } reason ? (zh ? $"，原因：{reason}" : $", because: {reason}") : "";
                var of = line.Cycle == card.Cycle ? "" : zh ? $" · 计入{Cycle(line.Cycle)}积分周期" : $" · counted in cycle {Cycle(line.Cycle)}";
                text.AppendLine(zh
                    ? $"· {Phrases.Day(e.OccurredAt, zone, true)} {line.RuleNameZh} {Phrases.Delta(e.Delta)} · {Phrases.Status(e.Status, e.Delta, true)}{of}{why}（编号 {e.Id}）"
                    : $"· {Phrases.Day(e.OccurredAt, zone, false)} {line.RuleNameEn} {Phrases.Delta(e.Delta)} · {Phrases.Status(e.Status, e.Delta, false)}{of}{why} (id {e.Id})");
            }
            if (card.Events.Any(l => l.Event.Status == EventStatus.Pending))
                text.AppendLine(zh ? "待核查的记录通过后才计入积分。" : "Pending records count once a secretary approves them.");
        }
        // The balance is explained only when every record behind it can be read: when the cycle holds more than the card
        // lists (a busy landlord, or January's card listing December), it says how many and where the rest are.
        var listed = 0;
        foreach (var line in card.Events) if (line.Cycle == card.Cycle) listed++;
        if (card.CycleEvents > listed)
        {
            var sum = Phrases.Delta(card.Balance - StreetSettings.BaseScore);
            text.Append(zh
                ? $"本周期（{Cycle(card.Cycle)}）共 {card.CycleEvents} 条记录，已通过的合计 {sum} 分；{(listed == 0 ? "以上没有本周期的记录" : $"以上为最近 {listed} 条")}。发送「积分 明细」查看全部。"
                : $"This cycle ({Cycle(card.Cycle)}) holds {card.CycleEvents} records; the approved ones add up to {sum}; {(listed == 0 ? "none of them is above" : $"the {listed} latest are above")}. Send \"score details\" to read them all.");
        }
        return turn.Ask(text.ToString().TrimEnd(), Menu(turn));
    }

    /// <summary>A page of 积分 明细: as many records as a phone's screen reads at once.</summary>
    internal const int DetailsPageSize = 10;

    /// <summary>The page 积分 明细 [页] / score details [page] asks for; null for a plain 积分 (or anything else after it).</summary>
    private static int? DetailsPage(string rest)
    {
        if (rest.Length == 0) return null;
        var words = CommandParser.SplitWords(rest);
        if (words.Count == 0 || !DetailsWords.Contains(words[0])) return null;
        return words.Count > 1 && int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1 ? page : 1;
    }

    private static readonly HashSet<string> DetailsWords = new(["明细", "详细", "全部", "记录", "details", "detail", "history", "all"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// 积分 明细 [页]: the records of the current cycle, newest first, a page of <see cref="DetailsPageSize"/> — the page the
    /// API's history gives (one use case, two doors), so every record behind the balance can be read in chat.
    /// </summary>
    private async Task<Activity> ScoreDetailsAsync(ChatTurn turn, int page)
    {
        var history = await scores.OwnHistoryPageInAsync(turn.S, turn.Subject!, page, DetailsPageSize);
        var zone = await turn.ZoneAsync();
        bool zh = turn.Zh;
        var pages = Math.Max(1, (history.Total + DetailsPageSize - 1) / DetailsPageSize);
        var key = Phrases.Cycle(history.Cycle, zh);
        var sum = Phrases.Delta(history.Balance - StreetSettings.BaseScore);
        if (history.Items.Count == 0)
        {
            var none = history.Total == 0
                ? turn.T($"{history.Subject.Name}在{key}积分周期还没有记录，当前积分 {history.Balance} 分。", $"{history.Subject.Name} has no records in cycle {key} yet; the balance is {history.Balance}.")
                : turn.T($"没有第 {page} 页：{key}积分周期共 {history.Total} 条记录，{pages} 页。发送「积分 明细 {pages}」看最后一页。",
                    $"There is no page {page}: cycle {key} holds {history.Total} records, {pages} pages. Send \"score details {pages}\" for the last.");
            return turn.Ask(none, Menu(turn));
        }
        var text = new StringBuilder();
        text.AppendLine(zh
            ? $"{history.Subject.Name} {key}积分周期的记录（第 {page}/{pages} 页，共 {history.Total} 条，最新的在前）："
            : $"{history.Subject.Name}, the records of cycle {key} (page {page} of {pages}, {history.Total} in all, newest first):");
        foreach (var line in history.Items)
        {
            var e = line.Event;
            var why = line.Reason is { Length: > 0 } reason ? (zh ? $"，原因：{reason}" : $", because: {reason}") : "";
            text.AppendLine(zh
                ? $"· {Phrases.Day(e.OccurredAt, zone, true)} {line.RuleNameZh} {Phrases.Delta(e.Delta)} · {Phrases.Status(e.Status, e.Delta, true)}{why}（编号 {e.Id}）"
                : $"· {Phrases.Day(e.OccurredAt, zone, false)} {line.RuleNameEn} {Phrases.Delta(e.Delta)} · {Phrases.Status(e.Status, e.Delta, false)}{why} (id {e.Id})");
        }
        text.Append(zh
            ? $"已通过的合计 {sum} 分，当前积分 {history.Balance} 分（基础 {StreetSettings.BaseScore} 分）。"
            : $"The approved ones add up to {sum}: a balance of {history.Balance} (the base is {StreetSettings.BaseScore}).");
        if (page < pages)
        {
            text.Append(zh ? $"\n发送「积分 明细 {page + 1}」看下一页。" : $"\nSend \"score details {page + 1}\" for the next page.");
            return turn.Ask(text.ToString(), [turn.T($"积分 明细 {page + 1}", $"score details {page + 1}"), .. Menu(turn)]);
        }
        return turn.Ask(text.ToString(), Menu(turn));
    }

    /// <summary>
    /// How often the subject stood on the published red list this year, and how often makes a good-person candidate (后宅好人):
    /// the honour the lists lead to. In a year's first weeks last year's tally too, as the office names its candidates then.
    /// Nothing for someone never listed.
    /// </summary>
    private static async Task AppendRedListingsAsync(ChatTurn turn, ScoreCard card, StringBuilder text)
    {
        var street = await turn.StreetAsync();
        var years = card.Week.Number <= 4 ? new[] { card.Week.Year - 1, card.Week.Year } : [card.Week.Year];
        foreach (var year in years)
        {
            var weeks = await Publication.RedWeeksInAsync(turn.S, card.Subject.StreetId, year, card.Subject);
            if (weeks.Count == 0) continue;
            // Last year is judged by the threshold it ended with, as the honours are (this year's is today's setting).
            var threshold = year == card.Week.Year ? street.Settings.HonourThreshold : await Publication.HonourThresholdOfAsync(turn.S, street, year);
            // A long run of weeks is a count, not a line of week numbers.
            var times = weeks.Count == 1 ? "once" : $"{weeks.Count} times";
            var make = threshold == 1 ? "1 makes" : $"{threshold} make";
            // As dates (3月16日—22日), not the weeks' codes; a week a year of its own names its year.
            var dates = weeks.Select(w => IsoWeek.TryParse(w, out var week) ? Phrases.Dates(week, year, turn.Zh) : w).ToList();
            var which = weeks.Count <= 6 ? turn.T($"（{string.Join("、", dates)}）", $" ({string.Join("; ", dates)})") : "";
            text.AppendLine(weeks.Count >= threshold
                ? turn.T($"{year}年已上红榜 {weeks.Count} 次{which}，已达到年度好人候选的条件（满 {threshold} 次）。",
                    $"On the red list {times} in {year}{which}: enough for a good-person candidate ({make} one).")
                : turn.T($"{year}年已上红榜 {weeks.Count} 次{which}；满 {threshold} 次可成为年度好人候选。",
                    $"On the red list {times} in {year}{which}; {make} a good-person candidate."));
        }
    }

    /// <summary>Last week's published list (names masked, as the public sees it).</summary>
    private async Task<Activity> ListAsync(ChatTurn turn)
    {
        var street = await turn.StreetAsync();
        var zone = street.Settings.TimeZone;
        var week = IsoWeek.Containing(turn.Now, zone).Previous();
        // Weeks as dates (上周（11月9日—15日）) for landlords and shop heads; staff read the code beside them, as 发布 takes it.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(turn.Now, zone).DateTime);
        string Week(IsoWeek w) => Phrases.Week(w, today, turn.Zh, withKey: turn.Subject is null);
        // In a street's first week there is no last week's list, nor will there be: say when the first comes.
        if (await StreetWeeks.FirstAsync(turn.S, street) is { } first && week < first)
        {
            var monday = TimeZoneInfo.ConvertTime(first.End(zone), zone);
            return turn.Ask($"本街道从{Week(first)}开始积分，首期红黑榜{monday.Month}月{monday.Day}日（周一）起发布。",
                $"The street's scoring began {Week(first)}; its first red/black lists are published from Monday {monday:yyyy-MM-dd}.", Menu(turn));
        }
        SubjectKind[] asked = turn.Subject is { } subject ? [subject.Kind] : [SubjectKind.Landlord, SubjectKind.ShopHead];
        var lists = new Dictionary<SubjectKind, PublishedList>(2);
        foreach (var kind in asked)
            if (await publication.PublishedAsync(street.Id, week, kind) is { } published) lists[kind] = published;
        // Only the lists the week owes, as the board names them: a street of landlords only hears nothing of a shop heads' list.
        var kinds = (await Publication.KindsOwedAsync(turn.S, street, week, lists.Keys)).Intersect(asked).ToList();
        if (kinds.Count == 0)
            return turn.Ask(turn.T($"{week} 本街道名册上没有{Phrases.Kind(asked[0], true)}{(asked.Length > 1 ? "或" + Phrases.Kind(asked[1], true) : "")}，没有红黑榜。",
                $"The street had no {(asked.Length > 1 ? "landlords or shop heads" : Phrases.Kind(asked[0], false) + "s")} on its roster in {week}, so it has no list for that week."), Menu(turn));
        var text = new StringBuilder();
        var communities = (await turn.S.ListCommunitiesAsync(street.Id)).ToDictionary(c => c.Id, c => c.Name);
        foreach (var kind in kinds)
        {
            var list = lists.GetValueOrDefault(kind);
            var kindName = Phrases.Kind(kind, turn.Zh);
            if (list is null)
            {
                text.AppendLine(turn.T($"{Week(week)}的{kindName}红黑榜还没有发布。", $"The {kindName} list of {Week(week)} is not published yet."));
                continue;
            }
            // A correction says so, and why, as the board and the public JSON do: someone congratulated on the revision it
            // replaced otherwise reads a list without them and no reason.
            var correction = list.Revision > 1;
            text.AppendLine(turn.T($"{Week(week)}{kindName}红黑榜（第 {list.Revision} 版{(correction ? "，更正" : "")}）",
                $"The {kindName} red/black list of {Week(week)} (revision {list.Revision}{(correction ? ", a correction" : "")})"));
            if (correction && list.CorrectionReason is { Length: > 0 } reason)
                text.AppendLine(turn.T($"更正说明：{reason}", $"The correction: {reason}"));
            var board = $"{BoardPath(street.Id, week)}?kind={kind.ToWire()}";
            AppendEntries(text, turn.T("红榜：", "Red list:"), list.Red, communities, turn.Zh, board);
            AppendEntries(text, turn.T("黑榜：", "Black list:"), list.Black, communities, turn.Zh, board);
        }
        return turn.Ask(text.ToString().TrimEnd(), Menu(turn));
    }

    /// <summary>
    /// Entries of one list a chat message names. Everyone tied at the cut is on a list: in a street of thousands, a week
    /// when most earned the same point puts thousands on it, a message no channel takes (and nobody reads on a phone).
    /// </summary>
    internal const int ListShown = 10;

    /// <summary>
    /// The entries of a list, names masked as the public reads them unless an officer previews it in private: the first
    /// <see cref="ListShown"/>, then how many more (tied with whom, when they are) and <paramref name="whole"/>, where all are.
    /// </summary>
    private static void AppendEntries(StringBuilder text, string title, IReadOnlyList<ListEntry> entries, Dictionary<string, string> communities, bool zh,
        string whole, bool masked = true)
    {
        text.AppendLine(title);
        if (entries.Count == 0)
        {
            text.AppendLine(zh ? "  暂无（没有人符合条件）" : "  nobody (no one qualified)");
            return;
        }
        foreach (var e in entries.Take(ListShown))
            text.AppendLine($"  {e.Rank}. {(masked ? Masking.Name(e.Name) : e.Name)} · {communities.GetValueOrDefault(e.Community, e.Community)} · {(zh ? $"{e.Balance} 分" : Phrases.Points(e.Balance))}");
        if (entries.Count <= ListShown) return;
        var more = entries.Count - ListShown;
        var last = entries[^1];
        var tied = entries.Skip(ListShown).All(e => e.Rank == last.Rank);
        text.AppendLine(zh
            ? $"  ……另有 {more} 人{(tied ? $"并列第 {last.Rank} 名（{last.Balance} 分）" : "")}，完整名单：{whole}"
            : $"  …and {more} more{(tied ? $" tied at rank {last.Rank} ({Phrases.Points(last.Balance)})" : "")}; the whole list: {whole}");
    }

    /// <summary>The commands of the speaker's role, with examples and the points the rules in force give.</summary>
    private async Task<Activity> HelpAsync(ChatTurn turn, string? lead)
    {
        var head = lead is null ? "" : lead + "\n";
        if (turn.Who is null) return EnrolHelp(turn);
        // In a group everyone reads the reply: the plain group help below, never which records the account speaks for.
        if (turn.Who.Several && !turn.InGroup)
        {
            // Each kind's commands once, under the records the account speaks for; each command finds its record.
            var parts = new List<string> { await RecordsLineAsync(turn) };
            var speaking = turn.Subject!;
            foreach (var record in turn.Who.Records.DistinctBy(r => r.Kind).ToList())
            {
                turn.SpeakAs(record);
                parts.Add(turn.T($"作为{Phrases.Kind(record.Kind, true)}：", $"As a {Phrases.Kind(record.Kind, false)}:") + "\n" + await HelpBodyAsync(turn));
            }
            turn.SpeakAs(speaking);
            parts.Add(turn.T("上报时我按租客或店铺找到对应的身份，分不清时会问您。\n· 解绑 姓名 — 此账号不再代表其中一个",
                "Reports go to the record whose tenant or shop they name; I ask when that leaves a choice.\n· unbind <name> — stop speaking for one of them"));
            return turn.Ask(head + string.Join("\n", parts), Menu(turn));
        }
        var body = await HelpBodyAsync(turn);
        // A landlord who is also a shop head (or a landlord in two places) keeps one account for both.
        if (turn.Subject is not null && !turn.InGroup)
            body += turn.T("\n另有房东或铺长身份？把那个身份的绑定码也发给我，此账号就同时代表两个身份。",
                "\nAlso a landlord or shop head elsewhere? Send me that code too, and this account speaks for both.");
        return turn.Ask(head + body, Menu(turn));
    }

    private async Task<string> HelpBodyAsync(ChatTurn turn)
    {
        var street = await turn.StreetAsync();
        var rules = await Reporting.RuleSetOfAsync(turn.S, street.Id, turn.Now);
        // A report's line names its rule as the rules in force do (renamed, repriced, capped), and a rule the street dropped,
        // or no longer lets its people report themselves, is not offered: its command would only be refused.
        // The same question as the menu's button and the PUT's warning ask (ChatBinding.WorksUnder).
        string Line(ChatBinding binding, string commandZh, string commandEn, string whatEn)
        {
            if (!binding.WorksUnder(rules.Rules) || rules.Find(binding.Code) is not { } r) return "";
            var renamed = DefaultRules.All.FirstOrDefault(d => d.Code == r.Code) is not { } d || d.NameEn != r.NameEn;
            var cap = r.WeeklyCap is { } c ? turn.T($"，每周最多{c}次", $", at most {c} a week") : "";
            return turn.T($"\n· {commandZh} — {r.NameZh}（{Phrases.Delta(r.Delta)}{cap}）", $"\n· {commandEn} — {(renamed ? r.NameEn : whatEn)} ({Phrases.Delta(r.Delta)}{cap})");
        }
        var common = turn.T(
            $"· 积分 — 查看积分和最近的记录\n· 积分 明细 [页] — 本周期的全部记录，最新的在前，每页{DetailsPageSize}条\n· 榜单 — 上周红黑榜\n· 取消 — 放弃当前操作\n只发命令不带内容，我会一步步问您。",
            $"· score — your balance, explained\n· score details [page] — every record of this cycle, newest first, {DetailsPageSize} a page\n· list — last week's red/black list\n· cancel — drop what is under way\nSend a command alone and I will ask for the rest step by step.");
        string body;
        if (turn.Subject is { Kind: SubjectKind.Landlord })
        {
            var window = street.Settings.LateReturnWindow.TotalHours.ToString("0", CultureInfo.InvariantCulture);
            // Said only while the rules deduct for a late return.
            var (lateZh, lateEn) = ChatBindings.LateReturn.WorksUnder(rules.Rules)
                ? ($"（到达后{window}小时内上报不扣分）", $" (no deduction when reported within {window} h of arrival)")
                : ("", "");
            body = turn.T(
                $"您可以发送：\n· 返回 租客 到达时间 — 上报租客返回，如「返回 王小明 今天 14:00」{lateZh}",
                $"You can send:\n· return <tenant> <arrival> — a tenant is back, e.g. \"return 王小明 today 14:00\"{lateEn}")
                + Line(ChatBindings.Service, "代办 租客 事项", "service <tenant> <what>", "a service for a tenant")
                + Line(ChatBindings.LandlordViolation, "违规 租客 情况", "violation <tenant> <what>", "a tenant broke the rules")
                + Line(ChatBindings.LandlordMediation, "调解 说明", "mediate <note>", "you helped settle a dispute")
                + "\n" + common;
        }
        else if (turn.Subject is { Kind: SubjectKind.ShopHead })
        {
            var deadline = street.Settings.DailyDeadline.ToString("HH:mm", CultureInfo.InvariantCulture);
            body = turn.T(
                $"您可以发送：\n· 巡查 — 今天的巡查完成了（每天 {deadline} 前）",
                $"You can send:\n· round — today's round is done (by {deadline} every day)")
                + Line(ChatBindings.Reopen, "复工 店铺", "reopen <shop>", "you helped a shop register to reopen")
                + Line(ChatBindings.ShopViolation, "违规 店铺 情况", "violation <shop> <what>", "a shop broke the rules")
                + Line(ChatBindings.ShopMediation, "调解 说明", "mediate <note>", "you helped settle a dispute")
                + "\n" + common;
        }
        else if (turn.Staff is { Role: StaffRole.GridWorker })
        {
            body = turn.T(
                "您可以发送：\n· 扣分 对象 规则 说明 — 上报看到的问题，如「扣分 应天乐 消毒 3楼楼道」（规则写其中几个字即可）\n· 榜单 — 上周红黑榜\n· 取消 — 放弃当前操作\n只发「扣分」，我会一步步问您。",
                "You can send:\n· deduct <subject> <rule> <note> — report what you saw, e.g. \"deduct 应天乐 disinfected 3rd floor\" (a word of the rule is enough)\n· list — last week's red/black list\n· cancel — drop what is under way\nSend \"deduct\" alone and I will ask step by step.");
        }
        else
        {
            body = turn.T(
                $"您可以发送：\n· 待核查 [页] — 待核查的记录，最早的在前，每页{PendingPageSize}条（卡片上可直接通过或驳回）\n· 通过 编号 — 通过一条记录（可一次写多个编号）\n· 驳回 编号 原因 — 驳回并说明原因\n· 撤销 编号 原因 — 撤销一条已通过的记录\n· 扣分 对象 规则 说明 — 上报扣分\n· 榜单 — 上周红黑榜\n· 取消 — 放弃当前操作",
                $"You can send:\n· pending [page] — the records waiting for you, oldest first, {PendingPageSize} a page (approve or reject on the cards)\n· approve <id> — approve a record (several ids at once work too)\n· reject <id> <reason> — reject, saying why\n· revoke <id> <reason> — take back an approved record\n· deduct <subject> <rule> <note> — report a deduction\n· list — last week's red/black list\n· cancel — drop what is under way");
        }
        if (Allowed(turn.Who!, Verb.IssueCode))
            body += turn.T($"\n· 发码 姓名或电话 — 为您负责的人生成绑定码（私聊中发放，{Enrolment.CodeLifetime.TotalDays}天内有效）",
                $"\n· code <name-or-phone> — issue an enrolment code for someone you look after (in private; valid {Enrolment.CodeLifetime.TotalDays} days)");
        if (Allowed(turn.Who!, Verb.WeeklyReport))
            body += turn.T(turn.Staff is { Role: StaffRole.Secretary } ? "\n· 周报 [周] — 本社区的工作周报（默认上周）" : "\n· 周报 [周] — 本街道的工作周报（默认上周）",
                "\n· weekly [week] — the weekly work report (last week unless named)");
        if (turn.Staff is { Role: StaffRole.Officer or StaffRole.Admin })
            body += turn.T("\n· 发布 [周] [房东/铺长] — 发布红黑榜（默认上周）：先私下预览，确认后发布",
                "\n· publish [week] [landlord/shop-head] — publish a red/black list (last week unless named): a private preview, then confirm");
        if (turn.InGroup)
            body += turn.T("\n这里是群聊，只回答「榜单」「帮助」；以上其他命令请私聊我。", "\nThis is a group chat: here I answer only \"list\" and \"help\"; for the other commands, message me privately.");
        return body;
    }
}
