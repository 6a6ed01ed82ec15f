namespace Scoring.Domain.Rules;

/// <summary>
/// A chat command bound to a default rule's code: the command reports under that code (<see cref="SelfReported"/>), or
/// what the command records lets the system deduct under it (a return reported late, a round missed). The chat knows a
/// rule by its code only — the rules are the street's data, their purpose is not — so a code renamed or dropped, or the
/// rule taken from the people themselves, leaves the command with nothing to report under.
/// </summary>
/// <param name="Index">Its place in <see cref="ChatBindings.All"/>: the chat keeps which bindings work as a bit per binding, read by this.</param>
public sealed record ChatBinding(string CommandZh, string CommandEn, SubjectKind Kind, string Code, bool SelfReported, int Index)
{
    /// <summary>The command as the chat's help writes it, both languages.</summary>
    public string Command => $"{CommandZh} | {CommandEn}";

    /// <summary>
    /// Whether <paramref name="rules"/> keep the command working: a self-report needs the rule for that kind, reportable
    /// by the person; a detected failure needs it to deduct (the system's check and the chat's help ask the same).
    /// </summary>
    public bool WorksUnder(IReadOnlyList<Rule> rules) =>
        rules.FirstOrDefault(r => string.Equals(r.Code, Code, StringComparison.OrdinalIgnoreCase)) is { } r && r.AppliesTo == Kind
        && (SelfReported ? r.MayBeReportedBy(ReporterRole.Self) : r.IsDeduction);
}

public static class ChatBindings
{
    public static readonly ChatBinding Service = new("代办", "service", SubjectKind.Landlord, DefaultRules.LandlordService, true, 0);
    public static readonly ChatBinding LandlordViolation = new("违规", "violation", SubjectKind.Landlord, DefaultRules.LandlordReportedViolation, true, 1);
    public static readonly ChatBinding LandlordMediation = new("调解", "mediate", SubjectKind.Landlord, DefaultRules.LandlordMediation, true, 2);
    public static readonly ChatBinding Reopen = new("复工", "reopen", SubjectKind.ShopHead, DefaultRules.ShopReopenHelped, true, 3);
    public static readonly ChatBinding ShopViolation = new("违规", "violation", SubjectKind.ShopHead, DefaultRules.ShopReportedViolation, true, 4);
    public static readonly ChatBinding ShopMediation = new("调解", "mediate", SubjectKind.ShopHead, DefaultRules.ShopMediation, true, 5);
    public static readonly ChatBinding LateReturn = new("返回", "return", SubjectKind.Landlord, DefaultRules.LateReturn, false, 6);
    public static readonly ChatBinding MissedRound = new("巡查", "round", SubjectKind.ShopHead, DefaultRules.RoundMissed, false, 7);

    public static IReadOnlyList<ChatBinding> All { get; } = [Service, LandlordViolation, LandlordMediation, Reopen, ShopViolation, ShopMediation, LateReturn, MissedRound];

    /// <summary>The bindings <paramref name="before"/> kept working and <paramref name="after"/> do not.</summary>
    public static IEnumerable<ChatBinding> Lost(IReadOnlyList<Rule> before, IReadOnlyList<Rule> after) =>
        All.Where(b => b.WorksUnder(before) && !b.WorksUnder(after));
}
