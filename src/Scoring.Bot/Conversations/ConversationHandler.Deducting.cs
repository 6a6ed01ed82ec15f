using Scoring.Application;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Bot.Conversations;

/// <summary>
/// 扣分's person: named by name (or by a shop), and asked about when the name is several people's — two landlords of one
/// name, or one person who is a landlord and a shop head — so a deduction never lands on whichever record came first.
/// </summary>
public sealed partial class ConversationHandler
{
    private async Task<Fill> ResolveSubjectAsync(ChatTurn turn, Dictionary<string, string> values, string text, bool whole, string firstWord, string named)
    {
        var people = await ScopeSubjectsAsync(turn);
        // A shop asked about (two heads share its name) stays in the note only for the head picked who has it.
        values.Remove(ShopNamed, out var shopAsked);
        // Read only for what may be one (every label has its " · "): a name typed is not.
        var labels = whole && text.Contains(" · ", StringComparison.Ordinal) ? await SubjectLabelsAsync(turn, people) : null;
        // A button of a question below (应天乐 · 房东 · 方塘村 · 尾号0001): the one person it labels.
        if (labels is not null && people.Where(p => string.Equals(labels[p.Id], text, StringComparison.OrdinalIgnoreCase)).ToList() is [var labelled])
        {
            if (shopAsked is not null && (await turn.S.ListShopsAsync(labelled.Id)).Any(x => x.Active && x.Name.Trim() == shopAsked)) values[ShopNamed] = shopAsked;
            return Fill.Of(labelled.Id, "");
        }
        var found = Names.Lead(people, p => p.Name, text);
        // On the street a grid worker sees a shop, not the name of the head answering for it: the shop stands for its
        // head now, and is kept for the evidence (a person's name the shop's begins with is the shop's).
        if (await ShopOfAsync(turn, people, text) is var (shop, after, heads) && (found is null || shop.Name.Trim().Length > found.Value.Item.Name.Trim().Length))
        {
            values[ShopNamed] = shop.Name.Trim();
            if (heads.Count == 1) return Fill.Of(heads[0].Id, after);
            labels ??= await SubjectLabelsAsync(turn, people);
            return Fill.Choose($"「{Phrases.Quote(shop.Name.Trim())}」是 {heads.Count} 位铺长的店铺，扣哪一位的分？",
                $"{heads.Count} shop heads have a shop called \"{Phrases.Quote(shop.Name.Trim())}\": whose points?", [.. heads.Select(h => labels[h.Id])]) with { Remaining = after };
        }
        if (found is { } lead)
        {
            var name = lead.Item.Name.Trim();
            var same = people.Where(p => string.Equals(p.Name.Trim(), name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (same.Count == 1) return Fill.Of(lead.Item.Id, lead.After);
            // One person as a landlord and as a shop head: the rule the line names is for one of the kinds.
            if (await NamedRuleDecidesAsync(turn, same, lead.After) is { } decided) return Fill.Of(decided.Id, lead.After);
            labels ??= await SubjectLabelsAsync(turn, people);
            return Fill.Choose($"在您负责的范围内有 {same.Count} 人叫「{Phrases.Quote(name)}」，扣哪一位的分？",
                $"{same.Count} people in your area are called \"{Phrases.Quote(name)}\": whose points?", [.. same.Select(p => labels[p.Id])]) with { Remaining = lead.After };
        }
        if (people.FirstOrDefault(p => string.Equals(p.Id, firstWord, StringComparison.OrdinalIgnoreCase)) is { } byId)
            return Fill.Of(byId.Id, text[firstWord.Length..].Trim());
        // Someone the office took off the roster is known, not nobody: the worker is told why they cannot be charged.
        if (Names.Lead(await ScopeSubjectsAsync(turn, active: false), p => p.Name, text) is { } off)
            return Fill.Complaint($"「{Phrases.Quote(off.Item.Name)}」已不在花名册上（已停用），不能扣分。如有疑问请联系街道。",
                $"\"{Phrases.Quote(off.Item.Name)}\" is no longer on the roster (taken off), so no points can be taken. Ask the street office if in doubt.");
        return Fill.Complaint($"在您负责的范围内找不到「{Phrases.Quote(named)}」。", $"There is nobody called \"{Phrases.Quote(named)}\" in your area.");
    }

    /// <summary>
    /// Of people of one name, the one whose kind has the deduction rule the rest of the line names (the longest such rule
    /// name, as names are read); null when the line names none, or the rule fits several of them.
    /// </summary>
    private static async Task<Subject?> NamedRuleDecidesAsync(ChatTurn turn, IReadOnlyList<Subject> same, string rest)
    {
        if (rest.Length == 0) return null;
        var rules = await Reporting.RuleSetOfAsync(turn.S, turn.Staff!.StreetId, turn.Now);
        var role = turn.Staff.ReporterRole;
        var firstWord = CommandParser.SplitWords(rest) is [var w, ..] ? w : "";
        int Fit(SubjectKind kind)
        {
            var reportable = rules.For(kind).Where(r => r.IsDeduction && r.MayBeReportedBy(role)).ToList();
            if (reportable.Any(r => string.Equals(r.Code, firstWord, StringComparison.OrdinalIgnoreCase))) return int.MaxValue;
            return Math.Max(Names.Lead(reportable, r => r.NameZh, rest)?.Item.NameZh.Trim().Length ?? 0,
                Names.Lead(reportable, r => r.NameEn, rest)?.Item.NameEn.Trim().Length ?? 0);
        }
        var fits = same.Select(p => (Person: p, Fit: Fit(p.Kind))).Where(x => x.Fit > 0).ToList();
        if (fits.Count == 0) return null;
        var best = fits.Max(x => x.Fit);
        return fits.Where(x => x.Fit == best).ToList() is [var one] ? one.Person : null;
    }

    /// <summary>
    /// Each person's button label: the name, kind and community (and grid) — and, where that still leaves two alike, the
    /// phone's last four digits (never the whole number: buttons are stored and read over a shoulder).
    /// </summary>
    private static async Task<Dictionary<string, string>> SubjectLabelsAsync(ChatTurn turn, IReadOnlyList<Subject> people)
    {
        var communities = (await turn.S.ListCommunitiesAsync(turn.Staff!.StreetId)).ToDictionary(c => c.Id, c => c.Name);
        var grids = people.Any(p => p.GridId is not null) ? (await turn.S.ListGridsAsync(turn.Staff.StreetId)).ToDictionary(g => g.Id, g => g.Name) : [];
        string Base(Subject p) => string.Join(" · ", new[]
        {
            p.Name.Trim(), Phrases.Kind(p.Kind, turn.Zh), communities.GetValueOrDefault(p.CommunityId, p.CommunityId),
            p.GridId is { } g ? grids.GetValueOrDefault(g) : null,
        }.OfType<string>());
        var labels = people.ToDictionary(p => p.Id, Base);
        foreach (var alike in people.GroupBy(p => labels[p.Id], StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            foreach (var p in alike)
                labels[p.Id] += p.Phone is { Length: >= 4 } phone ? turn.T($" · 尾号{phone[^4..]}", $" · phone …{phone[^4..]}") : $" · {p.Id}";
        return labels;
    }

    /// <summary>The buttons of the step-by-step question: a name, or a whole label where the name is several people's.</summary>
    private static async Task<IEnumerable<string>> SubjectButtonsAsync(ChatTurn turn, IReadOnlyList<Subject> people, int take)
    {
        var shared = people.GroupBy(p => p.Name.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var labels = shared.Count > 0 ? await SubjectLabelsAsync(turn, people) : null;
        return people.Take(take).Select(p => labels is not null && shared.Contains(p.Name.Trim()) ? labels[p.Id] : p.Name);
    }

    /// <summary>
    /// Why a rule the worker named is not on their list, when the street has it for the person's kind: who records it
    /// (the system, the person themselves, the secretary). Null when the street has no such rule.
    /// </summary>
    private static async Task<Fill?> RuleNotYoursAsync(ChatTurn turn, string subjectId, string text, string firstWord)
    {
        if (await turn.S.GetSubjectAsync(subjectId) is not { } subject) return null;
        var all = (await Reporting.RuleSetOfAsync(turn.S, subject.StreetId, turn.Now)).For(subject.Kind).ToList();
        var rule = all.FirstOrDefault(r => string.Equals(r.Code, firstWord, StringComparison.OrdinalIgnoreCase))
            ?? Names.Lead(all, r => r.NameZh, text)?.Item ?? Names.Lead(all, r => r.NameEn, text)?.Item;
        if (rule is null) return null;
        var role = turn.Staff!.ReporterRole;
        string Who(bool zh) => string.Join(zh ? "或" : " or ", rule.ReportedBy.Where(r => r != role).Select(r => r switch
        {
            ReporterRole.System => zh ? "由系统自动记录" : "recorded by the system",
            ReporterRole.Self => zh ? $"由{Phrases.Kind(subject.Kind, true)}本人上报" : $"reported by the {Phrases.Kind(subject.Kind, false)} themselves",
            ReporterRole.Secretary => zh ? "由书记上报" : "reported by the secretary",
            _ => zh ? "由网格员上报" : "reported by a grid worker",
        }));
        var (zhRole, enRole) = (Phrases.Role(turn.Staff.Role, true), Phrases.Role(turn.Staff.Role, false));
        if (!rule.IsDeduction)
            return Fill.Complaint($"「{rule.NameZh}」是加分项（{Phrases.Delta(rule.Delta)}），不在扣分中上报。",
                $"\"{rule.NameEn}\" adds points ({Phrases.Delta(rule.Delta)}); it is no deduction.");
        return Fill.Complaint($"「{rule.NameZh}」{Who(true)}，{zhRole}不能上报。", $"\"{rule.NameEn}\" is {Who(false)}; a {enRole} cannot report it.");
    }
}
