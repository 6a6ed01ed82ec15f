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
    /// Whether text meant for the public (a correction's reason) gives a person away: a run of seven or more digits
    /// (a phone or an identity-card number, spaces and all; dashes end a run, as dates have them), or one of <paramref name="fullNames"/> (two characters or more).
    /// </summary>
    public static bool GivesAwayAPerson(string text, IEnumerable<string> fullNames)
    {
        int digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c)) { if (++digits >= 7) return true; }
            else if (c is not (' ' or '\u3000')) digits = 0;
        }
        return fullNames.Any(n => n.Trim() is { Length: >= 2 } name && text.Contains(name, StringComparison.Ordinal));
    }
}
