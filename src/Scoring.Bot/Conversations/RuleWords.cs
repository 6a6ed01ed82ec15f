using Scoring.Domain.Rules;

namespace Scoring.Bot.Conversations;

/// <summary>
/// A rule named the way people name it in the field: a word of its name (消毒, 瞒报, disinfected) or the same words in
/// another order (楼道没消毒 for 未按时消毒楼道等公共区域), rather than the rule's whole name.
/// </summary>
internal static class RuleWords
{
    /// <summary>
    /// The one rule the word is most like, when it is clearly one: a Latin word (4 letters or more) found in one rule's
    /// English name or code, or Chinese whose characters are at least half in one rule's name and more of them than in
    /// any other's. Null when no rule or more than one fits as well.
    /// </summary>
    public static Rule? Loose(IReadOnlyList<Rule> rules, string word)
    {
        var typed = word.Trim();
        var han = typed.Where(IsHan).Distinct().ToList();
        if (han.Count >= 2)
        {
            var scored = rules.Select(r => (Rule: r, Shared: han.Count(r.NameZh.Contains))).OrderByDescending(x => x.Shared).ToList();
            if (scored is [var best, ..] && best.Shared * 2 >= han.Count && (scored.Count == 1 || scored[1].Shared < best.Shared))
                return best.Rule;
            return null;
        }
        if (han.Count > 0 || typed.Length < 4) return null;
        var found = rules.Where(r => r.NameEn.Contains(typed, StringComparison.OrdinalIgnoreCase) || r.Code.Contains(typed, StringComparison.OrdinalIgnoreCase)).ToList();
        return found.Count == 1 ? found[0] : null;
    }

    private static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF';
}
