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
    /// <paramref name="fullNames"/> (two characters or more, in any letter case).
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
        // Whatever the letter case: "ann lee" names Ann Lee as well (Chinese has no case, so this changes nothing there).
        return fullNames.Any(n => n.Trim() is { Length: >= 2 } name && text.Contains(name, StringComparison.OrdinalIgnoreCase));
    }
}
