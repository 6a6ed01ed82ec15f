using System.Globalization;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;
using Scoring.Storage;
using C = Scoring.Application.RosterColumns;

namespace Scoring.Application;

/// <summary>A table for the office's own records: a header and rows whose cells are text or whole numbers.</summary>
public sealed record ExportTable(string Title, IReadOnlyList<string> Header, IReadOnlyList<object?[]> Rows);

/// <summary>
/// The roster and a week of the ledger as tables, for officers (their street) and secretaries (their
/// community). The roster comes out in the import's own columns, so exporting and importing it changes nothing.
/// </summary>
public sealed class RosterExport(Database db, TimeProvider time)
{
    public static readonly IReadOnlyList<string> LedgerHeader =
        ["编号", "社区", "对象编号", "对象", "类型", "规则", "规则名称", "分值", "状态", "发生时间", "上报时间", "上报人", "说明",
            // Appended, so sheets and scripts reading the columns before them by position read what they always did.
            "核查时间", "核查人", "原因"];

    public const string ExampleName = "张三", ExamplePhone = "13900000000", ExampleTenant = "李四";

    /// <summary>The template a street fills in: the headers and one example row, which an import skips.</summary>
    public static ExportTable Template(string communityExample) => new("花名册", C.Required,
    [
        [C.Landlord, communityExample, ExampleName, ExamplePhone, "1号楼", ExampleTenant, "101", "13700000000"],
    ]);

    /// <summary>
    /// Whether cleaned cells are the template's example row (in whatever community it names): imported, it made 张三 a
    /// landlord and took everyone else of that community off the roster.
    /// </summary>
    public static bool IsExample(IReadOnlyList<string> cells) =>
        cells.Count > 5 && cells[0] == C.Landlord && cells[2] == ExampleName && cells[3] == ExamplePhone && cells[5] == ExampleTenant;

    /// <summary>Who may take the roster or ledger home: the community's secretary, the street's officers (grid workers see masked phones only).</summary>
    internal static Outcome<string?> Scope(StaffMember actor, string street)
    {
        if (actor.CanRunStreet(street)) return (string?)null;
        if (actor.Role == StaffRole.Secretary && actor.StreetId == street) return actor.CommunityId;
        return Failure.Forbidden();
    }

    public async Task<Outcome<ExportTable>> RosterAsync(StaffMember actor, string street, CancellationToken ct = default)
    {
        var scope = Scope(actor, street);
        if (!scope.Succeeded) return scope.Failure!;
        var community = scope.Value;
        return await db.ReadAsync<Outcome<ExportTable>>(async s =>
        {
            if (await s.GetStreetAsync(street) is null) return Failure.StreetNotFound(street);
            var grids = (await s.ListGridsAsync(street)).ToDictionary(g => g.Id);
            var tenants = (await s.TenantsOfStreetAsync(street, community)).Where(t => t.Active).ToLookup(t => t.SubjectId);
            var shops = (await s.ShopsOfStreetAsync(street, community)).Where(t => t.Active).ToLookup(t => t.SubjectId);
            var rows = new List<object?[]>();
            foreach (var x in (await s.ListSubjectsAsync(street, community)).Where(x => x.Active)
                         .OrderBy(x => x.CommunityId, StringComparer.Ordinal).ThenBy(x => x.Kind).ThenBy(x => x.Phone, StringComparer.Ordinal).ThenBy(x => x.Id, StringComparer.Ordinal))
            {
                var grid = GridCell(x, grids);
                // An older record without a phone leaves 电话 empty; the import finds it by type, community and name.
                object?[] Person(string holding, string? room, string? phone) =>
                    [x.Kind == SubjectKind.ShopHead ? C.ShopHead : C.Landlord, x.CommunityId, x.Name, x.Phone ?? "", grid, holding, room ?? "", phone ?? ""];
                if (x.Kind == SubjectKind.Landlord)
                {
                    foreach (var t in tenants[x.Id]) rows.Add(Person(t.Name, t.Room, t.Phone));
                    if (!tenants[x.Id].Any()) rows.Add(Person("", null, null));
                }
                else
                {
                    foreach (var p in shops[x.Id]) rows.Add(Person(p.Name, null, null));
                    if (!shops[x.Id].Any()) rows.Add(Person("", null, null));
                }
            }
            return new ExportTable("花名册", C.Required, rows);
        }, ct);
    }

    /// <summary>A grid is written by name (what people read) unless the name would find another grid on import; then by id.</summary>
    private static string GridCell(Subject x, Dictionary<string, Grid> grids)
    {
        if (x.GridId is null || !grids.TryGetValue(x.GridId, out var grid)) return x.GridId ?? "";
        var sameName = grids.Values.FirstOrDefault(g => g.Active && g.CommunityId == grid.CommunityId && g.Name == grid.Name);
        return sameName?.Id == grid.Id && grids.Values.All(g => g.Id != grid.Name) ? grid.Name : grid.Id;
    }

    public async Task<Outcome<ExportTable>> LedgerAsync(StaffMember actor, string street, IsoWeek week, CancellationToken ct = default)
    {
        var scope = Scope(actor, street);
        if (!scope.Succeeded) return scope.Failure!;
        var community = scope.Value;
        return await db.ReadAsync<Outcome<ExportTable>>(async s =>
        {
            var found = await s.GetStreetAsync(street);
            if (found is null) return Failure.StreetNotFound(street);
            if (await StreetWeeks.OutsideAsync(s, found, week, time.GetUtcNow(), WeekAsked.Ledger) is { } outside) return outside;
            var zone = found.Settings.TimeZone;
            var subjects = (await s.ListSubjectsAsync(street)).ToDictionary(x => x.Id);
            var staff = (await s.ListStaffAsync(street)).ToDictionary(x => x.Id);
            var sets = await s.ListRuleSetsAsync(street);
            var rows = new List<object?[]>();
            var chains = (await s.TransitionsOfWeekAsync(street, week.ToString(), community)).ToLookup(t => t.EventId);
            foreach (var e in await s.EventsOfWeekAsync(street, week.ToString(), community))
            {
                // The rule's name as it was when the event was scored.
                var set = sets.FirstOrDefault(r => r.Version == e.RuleVersion) ?? Domain.Rules.DefaultRules.For(street, DateTimeOffset.MinValue);
                var subject = subjects.GetValueOrDefault(e.SubjectId);
                var reporter = staff.GetValueOrDefault(e.ReporterId)?.Name ?? subjects.GetValueOrDefault(e.ReporterId)?.Name ?? (e.ReporterRole == ReporterRole.System ? "系统" : e.ReporterId);
                rows.Add(
                [
                    e.Id, e.CommunityId, e.SubjectId, subject?.Name ?? "", subject?.Kind.NameZh() ?? "", e.RuleCode, set.Find(e.RuleCode)?.NameZh ?? e.RuleCode,
                    e.Delta, e.Status.NameZh(), Local(e.OccurredAt, zone), Local(e.ReportedAt, zone), reporter, e.Evidence,
                    .. DecisionCells(Scores.LastDecision(chains[e.Id], e.Status), zone, staff, subjects),
                ]);
            }
            return new ExportTable($"积分台账 {week}", LedgerHeader, rows);
        }, ct);
    }

    /// <summary>Who decided an event, when and why, by name as 上报人 is written; empty cells while it is pending.</summary>
    private static object?[] DecisionCells(Transition? decision, TimeZoneInfo zone, Dictionary<string, StaffMember> staff, Dictionary<string, Subject> subjects) =>
        decision is null ? ["", "", ""]
        : [Local(decision.At, zone), staff.GetValueOrDefault(decision.ActorId)?.Name ?? subjects.GetValueOrDefault(decision.ActorId)?.Name
            ?? (decision.ActorId == Actor.System.Id ? "系统" : decision.ActorId), decision.Reason ?? ""];

    private static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
