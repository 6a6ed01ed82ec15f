namespace Scoring.Domain.Rules;

/// <summary>
/// A street's rules as versioned data. A version applies from the start of its effective week;
/// every score event keeps the version and delta it was scored with.
/// </summary>
public sealed record RuleSet(string StreetId, int Version, DateTimeOffset EffectiveFrom, IReadOnlyList<Rule> Rules)
{
    public Rule? Find(string code) =>
        Rules.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<Rule> For(SubjectKind kind) => Rules.Where(r => r.AppliesTo == kind);

    /// <summary>Problems that stop a rule set from being published; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<Rule> rules)
    {
        var problems = new List<string>();
        if (rules.Count == 0) problems.Add("A rule set needs at least one rule.");
        foreach (var dup in rules.GroupBy(r => r.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add($"Rule code '{dup.Key}' is used more than once.");
        foreach (var r in rules)
        {
            if (string.IsNullOrWhiteSpace(r.Code) || r.Code.Length > 64 || !r.Code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                problems.Add($"Rule code '{r.Code}' must be 1–64 letters, digits or '-'.");
            if (string.IsNullOrWhiteSpace(r.NameZh) || string.IsNullOrWhiteSpace(r.NameEn))
                problems.Add($"Rule '{r.Code}' needs a Chinese and an English name.");
            if (r.NameZh?.Length > 100 || r.NameEn?.Length > 200)
                problems.Add($"Rule '{r.Code}' has a name that is too long.");
            if (!Enum.IsDefined(r.AppliesTo))
                problems.Add($"Rule '{r.Code}' must apply to landlord or shop-head.");
            if (r.Delta == 0) problems.Add($"Rule '{r.Code}' must add or deduct points (delta ≠ 0).");
            if (r.Delta is < -100 or > 100) problems.Add($"Rule '{r.Code}' has an implausible delta {r.Delta}.");
            // The failures the system detects itself are deductions: as an addition, a late return would earn points.
            if (r.Delta > 0 && (string.Equals(r.Code, DefaultRules.LateReturn, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Code, DefaultRules.RoundMissed, StringComparison.OrdinalIgnoreCase)))
                problems.Add($"Rule '{r.Code}' is a failure the system detects: it must deduct points (delta < 0).");
            if (r.WeeklyCap is < 0) problems.Add($"Rule '{r.Code}' has a negative weekly cap.");
            if (r.ReportedBy is null || r.ReportedBy.Count == 0) problems.Add($"Rule '{r.Code}' must say who may report it.");
        }
        return problems;
    }
}
