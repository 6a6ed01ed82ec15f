namespace Scoring.Domain.Lists;

/// <summary>What the public may see of a person: 应天喜 → 应*喜, 13812345678 → 138****5678.</summary>
public static class Masking
{
    public static string Name(string? name)
    {
        var chars = (name ?? "").Trim().EnumerateRunes().Select(r => r.ToString()).ToArray();
        return chars.Length switch
        {
            0 => "",
            1 => "*",
            2 => chars[0] + "*",
            _ => chars[0] + new string('*', chars.Length - 2) + chars[^1],
        };
    }

    public static string Phone(string? phone)
    {
        var p = (phone ?? "").Trim();
        if (p.Length <= 4) return new string('*', p.Length);
        if (p.Length < 8) return new string('*', p.Length - 4) + p[^4..];
        return p[..3] + new string('*', p.Length - 7) + p[^4..];
    }

    /// <summary>
    /// Whether text meant for the public (a correction's reason) gives a person away: a phone or an identity-card number
    /// (seven digits or more in one run, or eleven or more in groups split by spaces, dashes, dots, slashes or middle dots — a date's eight are
    /// not; full-width digits count; the brackets around an area code are read past), or one of
    /// <paramref name="fullNames"/> (two characters or more, in any letter case, however spaced: see <see cref="Names"/>).
    /// </summary>
    public static bool GivesAwayAPerson(string text, IEnumerable<string> fullNames)
    {
        int run = 0, grouped = 0;
        foreach (var c in text)
        {
            if (System.Globalization.CharUnicodeInfo.GetDecimalDigitValue(c) >= 0)
            {
                if (++run >= 7 || ++grouped >= 11) return true;
            }
            else if (c is '(' or ')' or '（' or '）')
            {
                // (0579) 8512 3456: the brackets of an area code are read past, as if they were not there
            }
            else if (run > 0 && c is ' ' or '-' or '.' or '/' or '·' or '\u3000' or '－' or '．' or '／' or '・' or '･')
            {
                run = 0; // one separator between digits keeps the group: 139-0000-0001, 139 0000 0001, 139.0000.0001, 139/0000/0001, 139·0000·0001
            }
            else
            {
                run = 0;
                grouped = 0; // two in a row, or anything else, ends it: "2026-11-17 - 2026-11-20" is two dates
            }
        }
        return fullNames.Any(n => Names(text, n));
    }

    /// <summary>
    /// Whether <paramref name="text"/> holds <paramref name="fullName"/> (two characters or more), however it is spaced:
    /// between Chinese characters any run of separators or none (张 三 丰, 张·三丰, 张　三丰 name 张三丰; 阿卜杜热合曼 names
    /// 阿卜杜·热合曼); between the words of a Latin name one separator or more, inside a word none (so Al Li is not in "finally").
    /// Whatever the letter case: "ann lee" names Ann Lee as well (Chinese has no case, so this changes nothing there).
    /// </summary>
    private static bool Names(string text, string fullName)
    {
        // The name's own characters, and after each whether the name had a separator there.
        var chars = new List<char>();
        var spacedAfter = new List<bool>();
        foreach (var c in fullName)
        {
            if (!IsSeparator(c)) { chars.Add(Fold(c)); spacedAfter.Add(false); }
            else if (chars.Count > 0) spacedAfter[^1] = true;
        }
        if (chars.Count < 2) return false;

        for (var start = 0; start < text.Length; start++)
        {
            for (int i = start, k = 0; i < text.Length && Fold(text[i]) == chars[k]; )
            {
                if (++k == chars.Count) return true;
                var separators = 0;
                for (i++; i < text.Length && IsSeparator(text[i]); i++) separators++;
                if ((IsWordy(chars[k - 1]) || IsWordy(chars[k])) && (separators > 0) != spacedAfter[k - 1]) break;
            }
        }
        return false;
    }

    /// <summary>What may stand between the characters of a name without changing whose it is: spaces (the full-width one too),
    /// middle dots (·, ・, ･), dots, dashes, slashes, underscores, and invisible characters such as a zero-width space.</summary>
    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c) || c is '·' or '・' or '･' or '‧' or '•' or '.' or '．' or '-' or '－' or '/' or '／' or '_' or '＿'
        || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;

    /// <summary>A letter of a script that spaces its words (Latin, Greek, Cyrillic: those with a letter case) or a digit.</summary>
    private static bool IsWordy(char c) => char.IsUpper(c) || char.IsLower(c) || char.IsDigit(c);

    private static char Fold(char c) => char.ToUpperInvariant(c);
}
