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
    public static IReadOnlyList<Problem> Validate(IReadOnlyList<Rule> rules)
    {
        var problems = new List<Problem>();
        if (rules.Count == 0) problems.Add(new("A rule set needs at least one rule.", "规则至少要有一条。"));
        foreach (var dup in rules.GroupBy(r => r.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add(new($"Rule code '{dup.Key}' is used more than once.", $"规则代码「{dup.Key}」重复了。"));
        foreach (var r in rules)
        {
            if (string.IsNullOrWhiteSpace(r.Code) || r.Code.Length > 64 || !r.Code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                problems.Add(new($"Rule code '{r.Code}' must be 1–64 letters, digits or '-'.", $"规则代码「{r.Code}」须由1至64个字母、数字或「-」组成。"));
            if (string.IsNullOrWhiteSpace(r.NameZh) || string.IsNullOrWhiteSpace(r.NameEn))
                problems.Add(new($"Rule '{r.Code}' needs a Chinese and an English name.", $"规则「{r.Code}」须有中文名和英文名。"));
            if (r.NameZh?.Length > 100 || r.NameEn?.Length > 200)
                problems.Add(new($"Rule '{r.Code}' has a name that is too long.", $"规则「{r.Code}」的名称太长（中文名最多100字，英文名最多200字符）。"));
            if (!Enum.IsDefined(r.AppliesTo)) problems.Add(AppliesToNeither(r.Code));
            if (r.Delta == 0) problems.Add(new($"Rule '{r.Code}' must add or deduct points (delta ≠ 0).", $"规则「{r.Code}」必须加分或扣分（分值不能为0）。"));
            if (r.Delta is < -100 or > 100)
                problems.Add(new($"Rule '{r.Code}' has an implausible delta {r.Delta}.", $"规则「{r.Code}」的分值{r.Delta}不合理（应在-100至100之间）。"));
            // The failures the system detects itself are deductions: as an addition, a late return would earn points.
            if (r.Delta > 0 && (string.Equals(r.Code, DefaultRules.LateReturn, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Code, DefaultRules.RoundMissed, StringComparison.OrdinalIgnoreCase)))
                problems.Add(new($"Rule '{r.Code}' is a failure the system detects: it must deduct points (delta < 0).", $"规则「{r.Code}」是系统自动记录的失职，只能扣分（分值须小于0）。"));
            if (r.Once is { } once && !Enum.IsDefined(once))
                problems.Add(new($"Rule '{r.Code}': once must be target-per-cycle or subject-per-day.", $"规则「{r.Code}」：只计一次（once）须为 target-per-cycle（同一对象每周期一次）或 subject-per-day（同一人每天一次）。"));
            if (r.WeeklyCap is < 0) problems.Add(new($"Rule '{r.Code}' has a negative weekly cap.", $"规则「{r.Code}」的每周上限不能为负数。"));
            if (r.ReportedBy is null || r.ReportedBy.Count == 0) problems.Add(new($"Rule '{r.Code}' must say who may report it.", $"规则「{r.Code}」须写明可由谁上报。"));
        }
        return problems;
    }

    /// <summary>A rule for neither landlords nor shop heads (also said when the officer's word for it cannot be read).</summary>
    public static Problem AppliesToNeither(string code) =>
        new($"Rule '{code}' must apply to landlord or shop-head.", $"规则「{code}」须适用于房东（landlord）或铺长（shop-head）。");
}
