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
    /// English name or code (or another form of one of its words: disinfection for disinfected), or Chinese whose characters are at least half in one rule's name (two at least) and more of them than in
    /// any other's. Null when no rule or more than one fits as well.
    /// </summary>
    public static Rule? Loose(IReadOnlyList<Rule> rules, string word)
    {
        var typed = word.Trim();
        var han = typed.Where(IsHan).Distinct().ToList();
        if (han.Count >= 2)
        {
            var scored = rules.Select(r => (Rule: r, Shared: han.Count(r.NameZh.Contains))).OrderByDescending(x => x.Shared).ToList();
            // One character in common is no sign (迟报 shares only 报 with 故意瞒报租客情况, the heaviest deduction): two at least,
            // or the word itself in the rule's name.
            if (scored is [var best, ..] && (best.Shared >= 2 || best.Rule.NameZh.Contains(typed, StringComparison.Ordinal))
                && best.Shared * 2 >= han.Count && (scored.Count == 1 || scored[1].Shared < best.Shared))
                return best.Rule;
            return null;
        }
        if (han.Count > 0 || typed.Length < 4) return null;
        var found = rules.Where(r => r.NameEn.Contains(typed, StringComparison.OrdinalIgnoreCase) || r.Code.Contains(typed, StringComparison.OrdinalIgnoreCase)).ToList();
        if (found.Count == 0) found = rules.Where(r => EnglishWords(r).Any(w => SameWord(typed, w))).ToList();
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>
    /// The rule a line starts with, loosely (<see cref="Loose"/>), and the rest of the line: "not disinfected 3rd floor"
    /// names its rule by the word after a leading "not", as "disinfected 3rd floor" does by its first.
    /// </summary>
    public static (Rule Rule, string After)? LooseLead(IReadOnlyList<Rule> rules, string text)
    {
        var words = CommandParser.SplitWords(text);
        if (words.Count == 0) return null;
        if (Loose(rules, words[0]) is { } rule) return (rule, After(text, 1));
        return words.Count > 1 && Fillers.Contains(words[0]) && Loose(rules, words[1]) is { } second ? (second, After(text, 2)) : null;
    }

    /// <summary>The text after its first <paramref name="words"/> words, as typed.</summary>
    private static string After(string text, int words)
    {
        var at = 0;
        for (int w = 0; w < words; w++)
        {
            while (at < text.Length && char.IsWhiteSpace(text[at])) at++;
            while (at < text.Length && !char.IsWhiteSpace(text[at])) at++;
        }
        return text[at..].Trim();
    }

    /// <summary>Words people put before the one that names the failure: not disinfected, no registration, failed to disinfect.</summary>
    private static readonly HashSet<string> Fillers = new(StringComparer.OrdinalIgnoreCase)
    {
        "not", "no", "never", "didn't", "didnt", "did", "failed", "the", "a", "an", "was", "were", "is",
    };

    private static IEnumerable<string> EnglishWords(Rule rule) =>
        (rule.NameEn + " " + rule.Code).Split(NotALetter, StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 4);

    private static readonly char[] NotALetter = [' ', '-', '/', '\'', ',', '.', '(', ')'];

    /// <summary>
    /// Two forms of one English word, as far as a field report needs: disinfection and disinfected, concealing and concealed,
    /// registration and registering share all but their endings.
    /// </summary>
    private static bool SameWord(string typed, string word)
    {
        int shared = 0, shorter = Math.Min(typed.Length, word.Length);
        while (shared < shorter && char.ToLowerInvariant(typed[shared]) == char.ToLowerInvariant(word[shared])) shared++;
        return shared >= 5 && shared >= shorter - 5;
    }

    private static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF';
}
