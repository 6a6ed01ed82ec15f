namespace Scoring.Domain.Rules;

/// <summary>
/// One line of a street's rule set: what earns or costs points, for whom, who may report it.
/// </summary>
/// <param name="WeeklyCap">How many events under this rule one subject may have in a week (pending or approved); null = no cap.</param>
public sealed record Rule(
    string Code,
    string NameZh,
    string NameEn,
    SubjectKind AppliesTo,
    int Delta,
    IReadOnlyList<ReporterRole> ReportedBy,
    bool NeedsVerification,
    int? WeeklyCap = null)
{
    public bool IsAddition => Delta > 0;
    public bool IsDeduction => Delta < 0;
    public bool MayBeReportedBy(ReporterRole role) => ReportedBy.Contains(role);
    public string Name(bool chinese) => chinese ? NameZh : NameEn;
}
