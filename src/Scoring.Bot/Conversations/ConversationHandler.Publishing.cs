using System.Text;
using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Domain;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Bot.Conversations;

/// <summary>
/// Street officers publish a week's list in chat: the last ended week unless another is named, the kind asked for when
/// the street has both, a private preview (unmasked) of what publishing would freeze, a correction's reason when the
/// list was published and has changed since, then a confirmation. Publishing itself is <see cref="Publication.PublishInAsync"/>,
/// the use case the HTTP door calls, given the previewed hash so nothing unseen is frozen.
/// </summary>
public sealed partial class ConversationHandler
{
    // Kept in a publishing dialog's values once the list has been looked at: its hash, the revision publishing would make,
    // and whether anyone is on it (nobody is told of an empty list).
    private const string PreviewHash = "hash", PreviewRevision = "revision", PreviewEmpty = "empty";

    /// <summary>Publishing's dialog: the list is looked at before anything is asked, and the questions are its own.</summary>
    private Flow PublishingFlow() => new([PublishWeek, PublishKind, Reason, Confirmation], (turn, values) => PublishListAsync(turn, new Dictionary<string, string>(values)))
    {
        Prepare = PrepareToPublishAsync,
        Question = AskToPublish,
        // A confirm button of an earlier card, pressed while the correction's reason is asked for: not a reason to publish.
        Stale = (slot, answer) => slot == Reason && ReadConfirmation(answer).Value is not null
            ? Fill.Complaint(NoReasonYetZh, NoReasonYetEn)
            : null,
    };

    /// <summary>
    /// Fills what publishing can know on its own (the last ended week; the kind when the street has one) and, once week and kind
    /// are known, looks at what publishing would do. Settled is a reply when there is nothing to confirm (the week is not over,
    /// the list is published and unchanged); else the dialog asks for what is missing (the kind, a correction's reason, the
    /// confirmation), after the preview when the list was just looked at.
    /// </summary>
    private async Task<(Activity? Settled, string? Preview)> PrepareToPublishAsync(ChatTurn turn, Dictionary<string, string> values)
    {
        var street = await turn.StreetAsync();
        values.TryAdd(PublishWeek.Name, IsoWeek.Containing(turn.Now, street.Settings.TimeZone).Previous().ToString());
        if (values.ContainsKey(PreviewHash)) return (null, await RefusedReasonAsync(turn, street, values, null));
        // A week before the street's first rules (发布 alone takes one in its first days): no list, nothing to ask about.
        if (await StreetWeeks.NoListAsync(turn.S, street, IsoWeek.Parse(values[PublishWeek.Name]), turn.Now) is { } before)
            return (turn.Ask(before.Chinese, before.English, Menu(turn)), null);
        var kinds = await Publication.KindsOfAsync(turn.S, street.Id);
        if (kinds.Count == 0)
            return (turn.Ask("街道还没有房东或铺长，没有可以发布的榜单。", "The street has no landlords or shop heads yet: there is no list to publish.", Menu(turn)), null);
        if (!values.TryGetValue(PublishKind.Name, out var named))
        {
            // Of the street's kinds, those it had someone of that week: a kind with nobody then has no list to ask about.
            var lists = kinds.Count > 1 ? await Publication.KindsInWeekAsync(turn.S, street, IsoWeek.Parse(values[PublishWeek.Name]), kinds) : kinds;
            if (lists.Count != 1) return (null, null); // asked for
            values[PublishKind.Name] = lists[0].ToWire();
        }
        else if (SubjectKinds.TryParse(named, out var asked) && !kinds.Contains(asked))
        {
            // The street has nobody of that kind: there is no such list to publish (and the reminder never asks for one).
            return (turn.Ask($"街道没有{asked.NameZh()}，没有{asked.NameZh()}红黑榜可以发布。",
                $"The street has no {Phrases.Kind(asked, false)}s: there is no {Phrases.Kind(asked, false)} list to publish.", Menu(turn)), null);
        }
        var (week, kind) = PublishingOf(values);
        var drafted = await publication.DraftInAsync(turn.S, turn.Staff!, street.Id, week, kind);
        if (drafted.Failure is { } failure) return (turn.Ask(failure.Chinese, failure.English, Menu(turn)), null);
        var draft = drafted.Value!;
        if (draft.Change == PublicationChange.Unchanged)
        {
            var latest = draft.Latest!;
            return (turn.Ask(
                $"{week} {Phrases.Kind(kind, true)}红黑榜已发布过（第 {latest.Revision} 版），之后记录没有变化，无需再次发布。\n公示栏：{BoardPath(street.Id, week)}",
                $"The {week} {Phrases.Kind(kind, false)} red/black list is published already (revision {latest.Revision}) and nothing has changed since: there is nothing to publish.\nNotice board: {BoardPath(street.Id, week)}",
                Menu(turn)), null);
        }
        values[PreviewHash] = draft.List.ContentHash;
        values[PreviewRevision] = ((draft.Latest?.Revision ?? 0) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (draft.List.Red.Count + draft.List.Black.Count == 0) values[PreviewEmpty] = "1";
        // A first publication has nothing to correct: a reason given with it is no reason.
        if (draft.Change == PublicationChange.First) values[Reason.Name] = "";
        var preview = await PreviewAsync(turn, draft, week, kind);
        return (null, await RefusedReasonAsync(turn, street, values, draft.List) is { } refused ? preview + "\n" + refused : preview);
    }

    /// <summary>
    /// Why a correction's reason just given cannot be published, or null: it is checked as publishing will check it, so
    /// that it is asked for again at its own step (not after the confirmation); and a word left over from the command
    /// (确认 typed on its line, 上周 said again with the kind) is no reason. A refused reason is taken out of the values.
    /// The list it stands beside is <paramref name="draft"/> when just looked at, else ranked again (only when a reason is to be checked).
    /// </summary>
    private static async Task<string?> RefusedReasonAsync(ChatTurn turn, Street street, Dictionary<string, string> values, PublishedList? draft)
    {
        var zone = street.Settings.TimeZone;
        if (values.ContainsKey(Confirmation.Name) || values.GetValueOrDefault(Reason.Name) is not { Length: > 0 } reason) return null;
        string? why;
        if (ReadConfirmation(reason).Value is not null || ReadWeek(turn, zone, reason) is { ComplaintZh: null, Remaining.Length: 0 })
            why = turn.T(NoReasonYetZh, NoReasonYetEn);
        else
        {
            var (week, kind) = PublishingOf(values);
            why = (await Publication.CorrectionReasonAsync(turn.S, street, week, kind, reason, draft)).Failure?.Text(turn.Zh);
        }
        if (why is not null) values.Remove(Reason.Name);
        return why;
    }

    private const string NoReasonYetZh = "还没有填写更正原因。", NoReasonYetEn = "The correction's reason is still to be given.";

    private static (IsoWeek Week, SubjectKind Kind) PublishingOf(IReadOnlyDictionary<string, string> values)
    {
        SubjectKinds.TryParse(values[PublishKind.Name], out var kind);
        return (IsoWeek.Parse(values[PublishWeek.Name]), kind);
    }

    /// <summary>Where a week's board is: a full link a phone opens when the public address is set (PublicBaseUrl), else its path.</summary>
    private string BoardPath(string streetId, IsoWeek week) => publicAddress.Of($"/streets/{streetId}/board/{week}");

    /// <summary>The list as publishing would freeze it, with full names (only ever shown in an officer's private chat), and what publishing would be.</summary>
    private async Task<string> PreviewAsync(ChatTurn turn, PublicationDraft draft, IsoWeek week, SubjectKind kind)
    {
        var communities = (await turn.S.ListCommunitiesAsync(turn.Staff!.StreetId)).ToDictionary(c => c.Id, c => c.Name);
        var text = new StringBuilder();
        text.AppendLine(turn.T($"{week} {Phrases.Kind(kind, true)}红黑榜预览（尚未发布）：", $"Preview of the {week} {Phrases.Kind(kind, false)} red/black list (not published yet):"));
        // The whole list, unmasked, is the staff API's preview (behind a staff token, as the weekly report's sheet).
        var whole = $"GET /api/streets/{turn.Staff.StreetId}/lists/{week}/preview?kind={kind.ToWire()}";
        AppendEntries(text, turn.T("红榜：", "Red list:"), draft.List.Red, communities, turn.Zh, whole, masked: false);
        AppendEntries(text, turn.T("黑榜：", "Black list:"), draft.List.Black, communities, turn.Zh, whole, masked: false);
        var n = draft.PendingUpToWeek;
        // The week's cycle by name: 2026-W53 is previewed in January, when 本周期 would read as 2027's.
        var cycle = ScoringCycle.Containing(week, (await turn.StreetAsync()).Settings.Cycle);
        text.AppendLine(n == 0
            ? turn.T("没有影响该周榜单的记录待核查。", "No record that would change this list waits for verification.")
            : turn.T($"还有 {n} 条影响该周榜单的记录（该周及 {cycle.Key} 周期中更早的各周）待核查：发布后榜单即固定，之后通过的不计入这一版。",
                $"{Phrases.Records(n, "that would change this list (of that week or earlier in the cycle) still waits", "that would change this list (of that week or earlier in the cycle) still wait")} for verification: publishing freezes the list, and what is approved later is not in it."));
        if (draft.Change == PublicationChange.First)
        {
            text.Append(turn.T("这是首次发布。", "This is its first publication."));
            return text.ToString();
        }
        var (was, next) = (draft.Latest!.Revision, draft.Latest.Revision + 1);
        // A roster's rename changes the names on the list (and so its hash), not the records: it is not said to be the ledger's.
        text.AppendLine(draft.Changes.Count > 0 && draft.Changes.All(c => c.NameOnly)
            ? turn.T($"已发布第 {was} 版，之后只有姓名有变化，积分记录没有变化：将作为更正发布第 {next} 版。",
                $"Revision {was} is published and only names have changed since, not the records: this would be a correction, revision {next}.")
            : turn.T($"已发布第 {was} 版，之后记录有变化：将作为更正发布第 {next} 版。",
                $"Revision {was} is published and the records have changed since: this would be a correction, revision {next}."));
        AppendChanges(turn, text, was, draft.Changes);
        return text.ToString().TrimEnd();
    }

    /// <summary>More differences than this in a draft are counted, not listed: the whole list is above them.</summary>
    internal const int ChangesListed = 10;

    /// <summary>What a correction changes of revision <paramref name="was"/>, one line a person: what the officer's public reason explains.</summary>
    private static void AppendChanges(ChatTurn turn, StringBuilder text, int was, IReadOnlyList<ListChange> changes)
    {
        if (changes.Count == 0)
        {
            text.AppendLine(turn.T($"与第 {was} 版相比，榜上的人、名次和积分都没有变化。", $"Since revision {was}, nobody's place, rank or balance on the lists has changed."));
            return;
        }
        text.AppendLine(turn.T($"与第 {was} 版相比：", $"Since revision {was}:"));
        foreach (var c in changes.Take(ChangesListed))
        {
            var list = c.Red ? turn.T("红榜", "red list") : turn.T("黑榜", "black list");
            string line;
            if (c.Published is not { } then)
                line = turn.T($"{c.Now!.Name} 新上榜（第 {c.Now.Rank} 名，{c.Now.Balance} 分）", $"{c.Now!.Name} is on it now (rank {c.Now.Rank}, {Phrases.Points(c.Now.Balance)})");
            else if (c.Now is not { } now)
                line = turn.T($"{then.Name} 不再上榜（原第 {then.Rank} 名，{then.Balance} 分{(c.BalanceNow is { } b ? $"；现 {b} 分" : "")}）",
                    $"{then.Name} is off it (was rank {then.Rank}, {Phrases.Points(then.Balance)}{(c.BalanceNow is { } n ? $"; now {n}" : "")})");
            else if (c.NameOnly)
                line = turn.T($"{then.Name} 改名为 {now.Name}（名次、积分不变）", $"{then.Name} is renamed {now.Name} (same rank and balance)");
            else
            {
                var moves = new List<string>(3);
                if (then.Rank != now.Rank) moves.Add(turn.T($"第 {then.Rank} 名 → 第 {now.Rank} 名", $"rank {then.Rank} → {now.Rank}"));
                if (then.Balance != now.Balance) moves.Add(turn.T($"{then.Balance} 分 → {now.Balance} 分", $"{Phrases.Points(then.Balance)} → {now.Balance}"));
                if (then.Name != now.Name) moves.Add(turn.T($"改名为 {now.Name}", $"renamed {now.Name}"));
                if (moves.Count == 0) moves.Add(turn.T("所属村/社区有变化", "another community"));
                line = $"{then.Name} {string.Join(turn.T("，", ", "), moves)}";
            }
            text.AppendLine($"· {list}{turn.T("：", ": ")}{line}");
        }
        if (changes.Count > ChangesListed)
            text.AppendLine(turn.T($"……另有 {changes.Count - ChangesListed} 处变化。", $"…and {changes.Count - ChangesListed} more."));
    }

    /// <summary>
    /// A week named in a message (2026-W47, 上周, 上上周, last week, 本周), and the message without it. A word written as a week
    /// that is none (2025-W53 in a year of 52 weeks, 2026-W5, W46) is refused, not read as the last ended week.
    /// </summary>
    private static Fill ReadWeek(ChatTurn turn, TimeZoneInfo zone, string text)
    {
        var words = CommandParser.SplitWords(text).ToList();
        var thisWeek = IsoWeek.Containing(turn.Now, zone);
        for (int i = 0; i < words.Count; i++)
        {
            var word = words[i].ToLowerInvariant();
            // "week 45" (第45周): the latest week of that number not after this one, as a date without a year is read; a
            // number last year lacks (第53周 in 2026, after a 52-week 2025) is this year's, not over yet rather than none.
            var numbered = word == "week" && i + 1 < words.Count ? words[i + 1] : WeekInChinese().Match(word) is { Success: true } zh ? zh.Groups[1].Value : null;
            if (numbered is not null && int.TryParse(numbered, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n < 1000)
            {
                var year = n <= thisWeek.Number || n > IsoWeek.WeeksIn(thisWeek.Year - 1) ? thisWeek.Year : thisWeek.Year - 1;
                if (n < 1 || n > IsoWeek.WeeksIn(year))
                    return Fill.Complaint($"没有第{n}周：请写成 {thisWeek.Previous()} 这样（年份-W两位周数），或「上周」。",
                        $"There is no week {n}: write it like {thisWeek.Previous()} (year-W and two digits), or \"last week\".", giveUp: true);
                words.RemoveRange(i, word == "week" ? 2 : 1);
                return Fill.Of(new IsoWeek(year, n).ToString(), string.Join(' ', words));
            }
            // "the week before last", English for 上上周.
            if (word == "week" && i + 2 < words.Count && words[i + 1].Equals("before", StringComparison.OrdinalIgnoreCase) && words[i + 2].Equals("last", StringComparison.OrdinalIgnoreCase))
            {
                var from = i > 0 && words[i - 1].Equals("the", StringComparison.OrdinalIgnoreCase) ? i - 1 : i;
                words.RemoveRange(from, i + 3 - from);
                return Fill.Of(thisWeek.Previous().Previous().ToString(), string.Join(' ', words));
            }
            IsoWeek? week = word switch
            {
                "上周" or "上星期" or "上一周" or "last-week" => thisWeek.Previous(),
                "上上周" or "上上星期" => thisWeek.Previous().Previous(),
                "本周" or "这周" or "this-week" => thisWeek,
                "last" or "this" when i + 1 < words.Count && words[i + 1].Equals("week", StringComparison.OrdinalIgnoreCase) => word == "last" ? thisWeek.Previous() : thisWeek,
                _ => IsoWeek.TryParse(words[i].ToUpperInvariant(), out var named) ? named : null,
            };
            if (week is null)
            {
                if (WeekLike().Match(words[i]) is not { Success: true } like) continue;
                var example = thisWeek.Previous().ToString();
                return int.TryParse(like.Groups["year"].Value, out var year) && year is >= IsoWeek.MinYear and <= IsoWeek.MaxYear
                        && words[i].Contains('-') && like.Groups["number"].Length == 2 // written right, but no such week
                    ? Fill.Complaint($"没有「{Phrases.Quote(words[i])}」这一周：{year}年只有{IsoWeek.WeeksIn(year)}周。",
                        $"There is no week \"{Phrases.Quote(words[i])}\": {year} has {IsoWeek.WeeksIn(year)} weeks.", giveUp: true)
                    : Fill.Complaint($"看不懂「{Phrases.Quote(words[i])}」这一周：请写成 {example} 这样（年份-W两位周数），或「上周」。",
                        $"I cannot read \"{Phrases.Quote(words[i])}\" as a week: write it like {example} (year-W and two digits), or \"last week\".", giveUp: true);
            }
            words.RemoveRange(i, word is "last" or "this" ? 2 : 1);
            return Fill.Of(week.Value.ToString(), string.Join(' ', words));
        }
        return Fill.Of(thisWeek.Previous().ToString(), text); // none named: the last ended week
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^第([0-9]{1,3})周$")]
    private static partial System.Text.RegularExpressions.Regex WeekInChinese();

    /// <summary>What is written as an ISO week (2026-W47, 2026W5, w46), understood or not.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:(?<year>[0-9]{4})-?)?[Ww](?<number>[0-9]{1,3})\z")]
    private static partial System.Text.RegularExpressions.Regex WeekLike();

    /// <summary>A kind named in a message (房东, 铺长, landlord, shop-head…), and the message without it.</summary>
    private static Fill ReadKind(string text, bool whole)
    {
        var words = CommandParser.SplitWords(text).ToList();
        for (int i = 0; i < words.Count; i++)
        {
            // "shop head", as the bot itself writes it, is two words.
            if (words[i].Equals("shop", StringComparison.OrdinalIgnoreCase) && i + 1 < words.Count && words[i + 1].ToLowerInvariant() is "head" or "heads")
            {
                words.RemoveRange(i, 2);
                return Fill.Of(SubjectKind.ShopHead.ToWire(), string.Join(' ', words));
            }
            SubjectKind? kind = words[i].ToLowerInvariant() switch
            {
                "房东" or "房东榜" or "landlord" or "landlords" => SubjectKind.Landlord,
                "铺长" or "铺长榜" or "shop-head" or "shop-heads" or "shophead" or "shopheads" => SubjectKind.ShopHead,
                _ => null,
            };
            if (kind is null) continue;
            words.RemoveAt(i);
            return Fill.Of(kind.Value.ToWire(), string.Join(' ', words));
        }
        var named = whole ? text : CommandParser.SplitWords(text) is [var first, ..] ? first : "";
        return Fill.Complaint($"没有「{Phrases.Quote(named)}」这类榜单。", $"There is no \"{Phrases.Quote(named)}\" list.");
    }

    private static readonly string[] Yes = ["确认发布", "确认", "确定", "是", "好", "好的", "confirm", "yes", "ok"];

    private static Fill ReadConfirmation(string text) =>
        Yes.Contains(text.Trim().TrimEnd('。', '.', '!', '！'), StringComparer.OrdinalIgnoreCase)
            ? Fill.Of("yes", "")
            : Fill.Complaint("请点「确认发布」，或发送「取消」放弃。", "Press \"confirm\", or send \"cancel\" to drop it.");

    private Activity AskToPublish(ChatTurn turn, Slot slot, IReadOnlyDictionary<string, string> values, string lead)
    {
        var cancel = turn.T("取消", "cancel");
        if (slot == PublishKind)
        {
            var week = values[PublishWeek.Name];
            return turn.Ask(lead + $"发布哪一类的红黑榜（{week}）？", lead + $"Which list of {week} do you want to publish?",
                turn.Zh ? ["房东", "铺长", cancel] : ["landlord", "shop-head", cancel]);
        }
        if (slot == Reason)
            return turn.Ask(lead + "请填写更正原因（会随榜单公开显示，不要写全名、电话或证件号）：",
                lead + "What is the correction's reason? It is shown publicly with the list: no full names, phone or identity numbers.", [cancel]);
        var (w, kind) = PublishingOf(values);
        var revision = values.GetValueOrDefault(PreviewRevision);
        var confirm = turn.T("确认发布", "confirm");
        return values.GetValueOrDefault(Reason.Name) is { Length: > 0 } reason
            ? turn.Ask(lead + $"将更正发布 {w} {Phrases.Kind(kind, true)}红黑榜（第 {revision} 版），更正原因：{reason}\n确认发布吗？",
                lead + $"This publishes a correction of the {w} {Phrases.Kind(kind, false)} red/black list (revision {revision}), because: {reason}\nPublish it?", [confirm, cancel])
            : values.ContainsKey(PreviewEmpty)
                ? turn.Ask(lead + $"确认发布 {w} {Phrases.Kind(kind, true)}红黑榜（第 {revision} 版）吗？红榜和黑榜都没有人：该周没有人符合条件，公示栏照样显示这一周。",
                    lead + $"Publish the {w} {Phrases.Kind(kind, false)} red/black list (revision {revision})? Nobody is on either list: nobody qualified that week, and the notice board shows the week all the same.", [confirm, cancel])
                : turn.Ask(lead + $"确认发布 {w} {Phrases.Kind(kind, true)}红黑榜（第 {revision} 版）吗？发布后会通知榜上的人。",
                    lead + $"Publish the {w} {Phrases.Kind(kind, false)} red/black list (revision {revision})? Everyone on it is told.", [confirm, cancel]);
    }

    private async Task<Activity> PublishListAsync(ChatTurn turn, Dictionary<string, string> values)
    {
        var (week, kind) = PublishingOf(values);
        var streetId = turn.Staff!.StreetId;
        var outcome = await publication.PublishInAsync(turn.S, turn.Staff, streetId, week, kind, values.GetValueOrDefault(Reason.Name), values[PreviewHash]);
        if (outcome.Failure is { Code: "list-changed" or "reason-names-a-person" or "reason-too-long" } failure)
        {
            // Changed since the preview: look again (a correction's reason stands). A reason the public must not read: ask for another.
            var keep = failure.Code == "list-changed"
                ? values.Where(v => v.Key == PublishWeek.Name || v.Key == PublishKind.Name || (v.Key == Reason.Name && v.Value.Length > 0)).ToDictionary()
                : values.Where(v => v.Key != Reason.Name && v.Key != Confirmation.Name).ToDictionary();
            var lead = failure.Code == "list-changed" ? turn.T("榜单在预览后有变化，请重新确认。", "The list has changed since the preview; look at it again.") : failure.Text(turn.Zh);
            var (settled, preview) = await PrepareToPublishAsync(turn, keep);
            if (settled is not null)
            {
                // Looked at again, there is nothing to confirm (published meanwhile, by someone else): say why it is asked no more.
                settled.Text = lead + "\n" + settled.Text;
                return settled;
            }
            var missing = FlowOf(Verb.Publish).Slots.First(s => !keep.ContainsKey(s.Name));
            turn.Next = new DialogState(Verb.Publish, missing.Name, keep);
            return AskToPublish(turn, missing, keep, lead + "\n" + (preview is null ? "" : preview + "\n"));
        }
        if (outcome.Failure is { } refused) return turn.Ask(refused.Chinese, refused.English, Menu(turn));
        var (list, created) = outcome.Value!;
        var board = BoardPath(streetId, week);
        // Published meanwhile (through the other door, or by another officer): that revision stands.
        if (!created)
            return turn.Ask($"{week} {Phrases.Kind(kind, true)}红黑榜已是第 {list.Revision} 版，这次没有新发布。\n公示栏：{board}",
                $"The {week} {Phrases.Kind(kind, false)} red/black list stands at revision {list.Revision}; nothing new was published.\nNotice board: {board}", Menu(turn));
        var hash = list.ContentHash[..12];
        return turn.Ask(
            $"已发布 {week} {Phrases.Kind(kind, true)}红黑榜（第 {list.Revision} 版）{(list.CorrectionReason is { } why ? $"，更正原因：{why}" : "")}。\n内容摘要：{hash}\n公示栏：{board}\n榜上的人会收到通知。",
            $"Published the {week} {Phrases.Kind(kind, false)} red/black list (revision {list.Revision}){(list.CorrectionReason is { } because ? $", correcting: {because}" : "")}.\nContent hash: {hash}\nNotice board: {board}\nEveryone on the list is told.",
            Menu(turn));
    }
}
