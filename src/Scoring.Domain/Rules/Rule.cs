namespace Scoring.Domain.Rules;

/// <summary>
/// One line of a street's rule set: what earns or costs points, for whom, who may report it.
/// </summary>
/// <param name="WeeklyCap">How many events under this rule one subject may have in a week (pending or approved); null = no cap.</param>
/// <param name="Once">What the rule scores only once, whoever reports it (a second report of it is refused); null = each report is its own.</param>
public sealed record Rule(
    string Code,
    string NameZh,
    string NameEn,
    SubjectKind AppliesTo,
    int Delta,
    IReadOnlyList<ReporterRole> ReportedBy,
    bool NeedsVerification,
    int? WeeklyCap = null,
    OncePer? Once = null)
{
    public bool IsAddition => Delta > 0;
    public bool IsDeduction => Delta < 0;
    public bool MayBeReportedBy(ReporterRole role) => ReportedBy.Contains(role);
    public string Name(bool chinese) => chinese ? NameZh : NameEn;
}

/// <summary>
/// What a rule scores only once. Data on the rule, not a property of its code: a street that renames the rule, or adds a
/// second one of the kind, keeps the protection.
/// </summary>
public enum OncePer
{
    /// <summary>
    /// Once per target a scoring cycle: what the evidence names (the shop helped to reopen) is scored once, the same name
    /// again in the cycle, while the first counts or waits, being that report (a shop head could otherwise fill the
    /// weekly cap from one shop).
    /// </summary>
    TargetPerCycle,

    /// <summary>Once per subject a day (the street's local day): a day's missed round is one failure, whether the system or a person records it.</summary>
    SubjectPerDay,
}

public static class OncePers
{
    /// <summary>The wire words of the rules API: <c>target-per-cycle</c> and <c>subject-per-day</c>.</summary>
    public static string ToWire(this OncePer once) => once == OncePer.SubjectPerDay ? "subject-per-day" : "target-per-cycle";

    public static bool TryParse(string? text, out OncePer once)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "target-per-cycle": once = OncePer.TargetPerCycle; return true;
            case "subject-per-day": once = OncePer.SubjectPerDay; return true;
            default: once = default; return false;
        }
    }
}
