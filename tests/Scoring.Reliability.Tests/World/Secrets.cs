using System.Text.RegularExpressions;

namespace Scoring.Reliability.Tests.World;

/// <summary>
/// What must never reach a log or a public page: phone numbers, identity-card numbers, staff tokens, bot tokens,
/// enrolment codes and passwords. Known values are matched exactly; unknown ones by their shape.
/// </summary>
public sealed partial class Secrets
{
    private readonly HashSet<string> known = new(StringComparer.Ordinal);

    /// <summary>The demo's phones (139000000xx for subjects, 138000000xx for staff).</summary>
    public static readonly IReadOnlyList<string> DemoPhones =
        ["13900000001", "13900000002", "13900000003", "13900000004", "13900000005", "13900000011", "13900000012",
         "13800000001", "13800000002", "13800000003", "13800000004"];

    public Secrets()
    {
        foreach (var phone in DemoPhones) Add(phone);
    }

    /// <summary>A value that must not appear anywhere (ignored when too short to be told apart from ordinary text).</summary>
    public void Add(string? secret)
    {
        if (secret is { Length: >= 6 }) lock (known) known.Add(secret);
    }

    /// <summary>Every secret found in <paramref name="text"/>, described without repeating it in full.</summary>
    public IReadOnlyList<string> FindIn(string text)
    {
        var found = new List<string>();
        lock (known)
            foreach (var secret in known)
                if (text.Contains(secret, StringComparison.Ordinal)) found.Add($"a known secret ({Hint(secret)})");
        foreach (Match m in Phone().Matches(text)) found.Add($"a phone number ({Hint(m.Value)})");
        foreach (Match m in IdentityNumber().Matches(text))
            if (IsIdentityNumber(m.Value)) found.Add($"an identity-card number ({Hint(m.Value)})");
        foreach (Match m in StaffToken().Matches(text)) found.Add($"a staff token ({Hint(m.Value)})");
        foreach (Match m in Jwt().Matches(text)) found.Add($"a bearer JWT ({Hint(m.Value)})");
        return found;
    }

    /// <summary>
    /// The places in a set of texts where a secret appears, one line each (at most a few), each secret in them cut
    /// to its hint: a test's failure message lands in CI logs, which must not repeat what it reports.
    /// </summary>
    public IReadOnlyList<string> Leaks(IEnumerable<string> texts, int max = 10)
    {
        var leaks = new List<string>();
        foreach (var text in texts)
        {
            foreach (var what in FindIn(text))
            {
                leaks.Add($"{what} in: {Excerpt(Masked(text))}");
                if (leaks.Count >= max) return leaks;
            }
        }
        return leaks;
    }

    private static string Hint(string secret) => secret.Length <= 4 ? "…" : secret[..3] + "…";

    private string Masked(string text)
    {
        lock (known)
            foreach (var secret in known)
                text = text.Replace(secret, Hint(secret), StringComparison.Ordinal);
        text = Phone().Replace(text, m => Hint(m.Value));
        text = IdentityNumber().Replace(text, m => IsIdentityNumber(m.Value) ? Hint(m.Value) : m.Value);
        text = StaffToken().Replace(text, m => Hint(m.Value));
        return Jwt().Replace(text, m => Hint(m.Value));
    }

    private static string Excerpt(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= 300 ? oneLine : oneLine[..300] + "…";
    }

    /// <summary>The GB 11643 check digit: tells a real identity-card number from any 18 digits.</summary>
    public static bool IsIdentityNumber(string id)
    {
        if (id.Length != 18) return false;
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const string checks = "10X98765432";
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(id[i])) return false;
            sum += (id[i] - '0') * weights[i];
        }
        return char.ToUpperInvariant(id[17]) == checks[sum % 11];
    }

    [GeneratedRegex(@"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")]
    private static partial Regex Phone();

    [GeneratedRegex(@"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdentityNumber();

    [GeneratedRegex(@"st_[A-Za-z0-9_\-]{16,}")]
    private static partial Regex StaffToken();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}")]
    private static partial Regex Jwt();
}
