using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// A rule as an officer writes it (wire words: <c>landlord</c>, <c>grid-worker</c>…), before it is checked. A misspelt
/// field is refused rather than ignored: <c>weekly_cap</c> read as no cap would publish an uncapped rule, answered 201.
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record RuleDraft(
    string? Code,
    string? NameZh,
    string? NameEn,
    string? AppliesTo,
    int Delta,
    IReadOnlyList<string>? ReportedBy,
    bool? NeedsVerification = null,
    int? WeeklyCap = null,
    string? Once = null);

/// <summary>A street's rules: the version in force now, the one waiting for next week (if any) and every version ever published.</summary>
public sealed record RuleBookView(string StreetId, RuleSet Current, RuleSet? Upcoming, IReadOnlyList<RuleSet> Versions);

/// <summary>
/// The outcome of publishing rules: the version the rules are published as, whether this call created it, and whether
/// it was taken for a retry of the request that did (<see cref="Replayed"/>: answered as that one, nothing changed).
/// <see cref="Newest"/> is the street's newest version after the call, which an <c>If-Match</c> is compared with.
/// </summary>
public sealed record RulePublishing(RuleSet Set, bool Created, int Newest, bool Replayed = false)
{
    /// <summary>What the new version stops in the chat (said, not refused: a street may drop a rule on purpose).</summary>
    public IReadOnlyList<RuleWarning> Warnings { get; init; } = [];
}

/// <summary>
/// A chat command (or the system's deduction after one) the published version leaves with no rule: <see cref="Rule"/> is
/// the code it is bound to. <see cref="Code"/> is <c>chat-command-unbound</c> or <c>system-deduction-unbound</c>; or
/// <c>once-dropped</c>, a rule kept without the <see cref="Rule.Once"/> it had (<see cref="Command"/> the chat command
/// reporting under it, empty when none does).
/// </summary>
public sealed record RuleWarning(string Code, string Command, SubjectKind Kind, string Rule, string English, string Chinese);

/// <summary>
/// The street's rule book: versioned data, read by all the street's staff and published by its officers.
/// A new version applies from the start of the next week, so no week is scored under two rule sets.
/// </summary>
public sealed class RuleBook(Database db, TimeProvider time)
{
    public const int MaxRules = 200;

    /// <summary>
    /// A new version starts with the week after the one this far ahead: reports may be dated <see cref="Reporting.MaxAhead"/>
    /// ahead, and another instance scores with the versions it cached up to <see cref="ReferenceCache.Lifetime"/> ago (its
    /// clock perhaps a little ahead of this one's). So a version published in a week's last minutes never starts before
    /// an event already scored, nor one another instance scores without knowing of it yet.
    /// </summary>
    public static readonly TimeSpan StartsNoSoonerThan = Reporting.MaxAhead + ReferenceCache.Lifetime + TimeSpan.FromMinutes(1);

    public async Task<Outcome<RuleBookView>> ReadAsync(StaffMember actor, string streetId, CancellationToken ct = default)
    {
        if (actor.Role != StaffRole.Admin && actor.StreetId != streetId) return Failure.Forbidden();
        return await db.ReadAsync<Outcome<RuleBookView>>(async s =>
        {
            var street = await s.GetStreetAsync(streetId);
            if (street is null) return Failure.StreetNotFound(streetId);
            var now = time.GetUtcNow();
            // As stored, not this instance's cached copy: the newest version is what a PUT's If-Match is compared with,
            // and one published a moment ago on another instance would otherwise be missing for up to 30 s.
            var versions = await s.ListRuleSetsForChangeAsync(streetId);
            var current = versions.Where(v => v.EffectiveFrom <= now).MaxBy(v => v.Version) ?? versions.MinBy(v => v.Version)
                ?? DefaultRules.For(streetId, DateTimeOffset.MinValue);
            var upcoming = versions.Where(v => v.EffectiveFrom > now && v.Version > current.Version).MaxBy(v => v.Version);
            return new RuleBookView(streetId, current, upcoming, versions);
        }, ct);
    }

    /// <summary>
    /// One published version of the street's rules, for anyone: the board names the version its list was ranked by, and a
    /// resident reads what earns and costs points under it. street-not-found, or rules-version-not-found.
    /// </summary>
    public Task<Outcome<RuleSet>> PublicVersionAsync(string streetId, int version, CancellationToken ct = default) =>
        db.ReadAsync<Outcome<RuleSet>>(async s =>
        {
            if (await s.GetStreetAsync(streetId) is null) return Failure.StreetNotFound(streetId);
            var versions = await s.ListRuleSetsAsync(streetId);
            // A street that never published its own has the default rules as version 1, as staff read them.
            var set = versions.Count == 0 ? (version == 1 ? DefaultRules.For(streetId, DateTimeOffset.MinValue) : null) : versions.FirstOrDefault(v => v.Version == version);
            return set is null
                ? Failure.NotFound("rules-version-not-found", $"{streetId} has no rules version {version}.", $"本街道没有第{version}版积分规则。")
                : set;
        }, ct);

    /// <summary>The number of the street's newest version in a book read: what a publisher says it read (If-Match).</summary>
    public static int NewestOf(RuleBookView book) => book.Versions.Count == 0 ? book.Current.Version : book.Versions.Max(v => v.Version);

    /// <summary>
    /// Publishes a new version effective from the next week's start. The same rules as the newest version change nothing.
    /// The versions read (If-Match), when given, is the newest version the officer read: if another has been published
    /// since, nothing is (412) — their rules were written against rules no longer the newest. Without it (clients that
    /// read nothing first), rules the same officer published as a version since replaced, within
    /// <see cref="PlainRetry.Window"/>, are that request sent again late (A, then B, then A's retry): answered as
    /// that version was, leaving the newest in place. Going back on purpose is said with the newest version's tag.
    /// </summary>
    public async Task<Outcome<RulePublishing>> PublishAsync(StaffMember actor, string streetId, IReadOnlyList<RuleDraft> drafts, CancellationToken ct = default) =>
        await PublishAsync(actor, streetId, drafts, readVersions: null, ct);

    /// <param name="readVersions">The versions an If-Match names (any of them matching will do); null without one, or for <c>*</c>.</param>
    public async Task<Outcome<RulePublishing>> PublishAsync(StaffMember actor, string streetId, IReadOnlyList<RuleDraft> drafts, IReadOnlySet<int>? readVersions, CancellationToken ct = default)
    {
        if (!actor.CanRunStreet(streetId)) return Failure.Forbidden("Only the street's officers set its rules.", "只有街道工作人员可以修改规则。");
        if (drafts.Count > MaxRules) return Failure.Invalid("too-many-rules", $"A rule set has at most {MaxRules} rules.", $"规则最多{MaxRules}条。");
        var (rules, problems) = Read(drafts);
        problems.AddRange(RuleSet.Validate(rules));
        if (problems.Count > 0)
            return Failure.Invalid("invalid-rules", Problem.Join(problems, chinese: false), "规则有误：" + Problem.Join(problems, chinese: true));
        try
        {
            return await db.WriteAsync<Outcome<RulePublishing>>(async s =>
            {
                var street = await s.GetStreetForChangeAsync(streetId);
                if (street is null) return Failure.StreetNotFound(streetId);
                // The versions as stored, not this instance's cached copy: another instance may have published a moment
                // ago, and its version is the newest one these rules are compared with and numbered after.
                var versions = await s.ListRuleSetsForChangeAsync(streetId);
                var latest = versions.MaxBy(v => v.Version);
                var newest = latest?.Version ?? 1;
                if (readVersions is not null && !readVersions.Contains(newest)) return ChangedSinceRead(readVersions.DefaultIfEmpty(0).Max(), newest);
                if (latest is not null && Same(latest.Rules, rules)) return new RulePublishing(latest, false, newest);
                var now = time.GetUtcNow();
                if (readVersions is null)
                {
                    var mine = await s.RuleSetsPublishedByAsync(streetId, actor.Id, now - PlainRetry.Window, now); // as PlainRetry.Covers
                    if (versions.Where(v => v.Version != newest && mine.Contains(v.Version) && Same(v.Rules, rules)).MaxBy(v => v.Version) is { } earlier)
                        return new RulePublishing(earlier, false, newest, Replayed: true);
                }
                var zone = street.Settings.TimeZone;
                var set = new RuleSet(streetId, (latest?.Version ?? 1) + 1, IsoWeek.Containing(now + StartsNoSoonerThan, zone).Next().Start(zone), rules);
                await s.InsertRuleSetAsync(set, actor.Id, now);
                await StaffActions.RecordAsync(s, now, streetId, actor.Id, StaffActions.RulesPublished, StaffActions.Targets.Street, streetId,
                    $"version {set.Version} from {set.EffectiveFrom.ToUniversalTime():yyyy-MM-dd'T'HH:mm'Z'}");
                return new RulePublishing(set, true, set.Version) { Warnings = Warnings(latest?.Rules ?? DefaultRules.All, set, zone) };
            }, ct);
        }
        catch (System.Data.Common.DbException e) when (TransientFaults.IsUniqueViolation(e))
        {
            return Failure.Conflict("rules-changed", "Someone published rules at the same moment; read them again and retry.", "规则刚被他人修改，请刷新后重试。");
        }
    }

    /// <summary>
    /// The chat's commands that worked under the newest version and will not under <paramref name="set"/>: the chat
    /// reports under the default codes, so a code renamed (or the rule dropped, or no longer the person's own to report)
    /// leaves the command refused from the version's start — nothing said so to the officer. A rule new in this version
    /// for the same kind, adding or deducting alike, is named as the one perhaps meant.
    /// </summary>
    private static List<RuleWarning> Warnings(IReadOnlyList<Rule> before, RuleSet set, TimeZoneInfo zone)
    {
        var from = TimeZoneInfo.ConvertTime(set.EffectiveFrom, zone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var warnings = new List<RuleWarning>();
        foreach (var b in ChatBindings.Lost(before, set.Rules))
        {
            var old = before.First(r => string.Equals(r.Code, b.Code, StringComparison.OrdinalIgnoreCase));
            var alike = set.Rules.Where(r => r.AppliesTo == b.Kind && Math.Sign(r.Delta) == Math.Sign(old.Delta)
                && !before.Any(x => string.Equals(x.Code, r.Code, StringComparison.OrdinalIgnoreCase))).Select(r => r.Code).ToList();
            var (renamedEn, renamedZh) = alike.Count > 0
                ? ($" If {string.Join(" or ", alike.Select(c => $"'{c}'"))} is that rule renamed, publish it again under the code '{b.Code}'; if the street means to drop it, nothing else is needed.",
                   $"若「{string.Join("」或「", alike)}」就是改了代码的这条规则，请改回代码「{b.Code}」再发布；若街道确实不再计这一项，则无需处理。")
                : ($" Keep the code '{b.Code}' for the command to work; if the street means to drop the rule, nothing else is needed.",
                   $"要让该命令继续可用，请保留代码「{b.Code}」；若街道确实不再计这一项，则无需处理。");
            var kindEn = b.Kind == SubjectKind.Landlord ? "landlords" : "shop heads";
            var kindZh = b.Kind.NameZh();
            warnings.Add(b.SelfReported
                ? new RuleWarning("chat-command-unbound", b.Command, b.Kind, b.Code,
                    $"The chat command {b.Command} of {kindEn} reports under the rule '{b.Code}', which version {set.Version} does not have for {kindEn} to report themselves: from {from} the command will be refused.{renamedEn}",
                    $"{kindZh}的聊天命令「{b.CommandZh}」（{b.CommandEn}）按规则代码「{b.Code}」上报，第{set.Version}版规则中没有{kindZh}可自行上报的这条规则：从{from}起该命令将被拒绝。{renamedZh}")
                : new RuleWarning("system-deduction-unbound", b.Command, b.Kind, b.Code,
                    $"The system deducts {Detected(b, false)} (after {b.Command}) under the rule '{b.Code}', which version {set.Version} does not have as a deduction for {kindEn}: from {from} none will cost points.{renamedEn}",
                    $"系统按规则代码「{b.Code}」对{Detected(b, true)}（「{b.CommandZh}」之后）自动扣分，第{set.Version}版规则中没有{kindZh}的这条扣分规则：从{from}起不再扣分。{renamedZh}"));
        }
        foreach (var (rule, once) in OnceDropped(before, set.Rules))
        {
            // A client that predates "once" sends the rules without it: published as asked, but the officer hears what stops.
            var command = ChatBindings.All.FirstOrDefault(b => b.Kind == rule.AppliesTo && string.Equals(b.Code, rule.Code, StringComparison.OrdinalIgnoreCase))?.Command ?? "";
            var (guardedEn, guardedZh) = once == OncePer.SubjectPerDay
                ? ("a subject's second report of it on the same day (a missed round charged twice a day)", "同一天对同一人的第二次记录（如同一天的未巡查扣两次）")
                : ("the same target named again in the cycle (the same shop's reopening scored again)", "同一周期内同一店铺等对象的再次上报（如同一店铺复工再次计分）");
            warnings.Add(new RuleWarning("once-dropped", command, rule.AppliesTo, rule.Code,
                $"The rule '{rule.Code}' scored only once ({once.ToWire()}) in the version before and has no 'once' in version {set.Version}: from {from} it no longer refuses {guardedEn}. Send \"once\": \"{once.ToWire()}\" with the rule to keep it; if the street means each report to count, nothing else is needed.",
                $"规则「{rule.Code}」在上一版中只计一次（{once.ToWire()}），第{set.Version}版中没有 once：从{from}起不再拒绝{guardedZh}。要保留，请在该规则中带上 \"once\": \"{once.ToWire()}\" 再发布；若街道确实要每次上报都计分，则无需处理。"));
        }
        return warnings;

        static string Detected(ChatBinding b, bool zh) => b.Code == DefaultRules.LateReturn
            ? (zh ? "租客返回上报晚了" : "a tenant's return reported late")
            : (zh ? "未完成每日巡查" : "a daily round missed");
    }

    /// <summary>The rules <paramref name="after"/> keeps (same code and kind) without the "once" <paramref name="before"/> gave them.</summary>
    private static IEnumerable<(Rule Rule, OncePer Once)> OnceDropped(IReadOnlyList<Rule> before, IReadOnlyList<Rule> after) =>
        from r in after
        where r.Once is null
        let old = before.FirstOrDefault(b => b.AppliesTo == r.AppliesTo && string.Equals(b.Code, r.Code, StringComparison.OrdinalIgnoreCase))
        where old?.Once is not null
        select (r, old.Once!.Value);

    public const string ChangedSinceReadCode = "rules-changed-since-read";

    private static Failure ChangedSinceRead(int read, int newest) => new(FailureKind.PreconditionFailed, ChangedSinceReadCode,
        read > newest || read < 1
            ? $"If-Match names no version of these rules (the newest is version {newest}): send the ETag a GET of the rules answered, such as \"rules-v{newest}\"."
            : $"The rules changed since you read them: you read version {read}, the newest is now version {newest}. Nothing was published. Read them again (GET), make your change to version {newest} and send its ETag.",
        read > newest || read < 1
            ? $"If-Match 没有指明规则的任何一版（最新为第{newest}版）：请带上读取规则（GET）时答复的 ETag，如 \"rules-v{newest}\"。"
            : $"您读取规则之后，规则已被修改：您读的是第{read}版，现在最新的是第{newest}版。本次没有发布。请重新读取（GET），在第{newest}版上修改，并带上它的 ETag。");

    private static (List<Rule> Rules, List<Problem> Problems) Read(IReadOnlyList<RuleDraft> drafts)
    {
        var rules = new List<Rule>(drafts.Count);
        var problems = new List<Problem>();
        for (int i = 0; i < drafts.Count; i++)
        {
            // JSON binds [null] to a list with a null entry.
            if (drafts[i] is not { } d)
            {
                problems.Add(new($"Rule {i + 1} (rules[{i}]) is null; each entry must be a rule.", $"第{i + 1}条规则（rules[{i}]）是空的（null），每一项都必须是一条规则。"));
                continue;
            }
            var code = d.Code?.Trim() ?? "";
            if (!SubjectKinds.TryParse(d.AppliesTo, out var kind))
            {
                problems.Add(RuleSet.AppliesToNeither(code));
                continue;
            }
            var roles = new List<ReporterRole>();
            foreach (var r in d.ReportedBy ?? [])
            {
                if (ReporterRoles.TryParse(r, out var role)) { if (!roles.Contains(role)) roles.Add(role); }
                else problems.Add(new($"Rule '{code}': '{r}' is not self, grid-worker, secretary or system.", $"规则「{code}」：上报人「{r}」须为 self、grid-worker、secretary 或 system。"));
            }
            OncePer? once = null;
            if (d.Once is not null)
            {
                if (OncePers.TryParse(d.Once, out var o)) once = o;
                else problems.Add(new($"Rule '{code}': once '{d.Once}' is not target-per-cycle or subject-per-day.", $"规则「{code}」：只计一次（once）「{d.Once}」须为 target-per-cycle（同一对象每周期一次）或 subject-per-day（同一人每天一次）。"));
            }
            // A rule's names are read as people's names are (on every report, card and score): the same characters are refused.
            if (RosterText.Hides(d.NameZh)) problems.Add(new($"Rule '{code}': nameZh contains control or invisible formatting characters.", $"规则「{code}」：中文名（nameZh）含有控制字符或看不见的格式字符。"));
            if (RosterText.Hides(d.NameEn)) problems.Add(new($"Rule '{code}': nameEn contains control or invisible formatting characters.", $"规则「{code}」：英文名（nameEn）含有控制字符或看不见的格式字符。"));
            rules.Add(new Rule(code, d.NameZh?.Trim() ?? "", d.NameEn?.Trim() ?? "", kind, d.Delta, roles, d.NeedsVerification ?? true, d.WeeklyCap, once));
        }
        return (rules, problems);
    }

    private static bool Same(IReadOnlyList<Rule> a, IReadOnlyList<Rule> b) =>
        a.Count == b.Count && a.Zip(b).All(p => Key(p.First) == Key(p.Second) && p.First.ReportedBy.SequenceEqual(p.Second.ReportedBy));

    private static (string, string, string, SubjectKind, int, bool, int?, OncePer?) Key(Rule r) => (r.Code, r.NameZh, r.NameEn, r.AppliesTo, r.Delta, r.NeedsVerification, r.WeeklyCap, r.Once);
}
