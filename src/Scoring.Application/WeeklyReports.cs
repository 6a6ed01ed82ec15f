using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>People on the roster in the week, by kind, and how many of them have a chat account bound (enrolment coverage).</summary>
public sealed record RosterFigures(int Landlords, int LandlordsBound, int ShopHeads, int ShopHeadsBound)
{
    public int People => Landlords + ShopHeads;
    public int Bound => LandlordsBound + ShopHeadsBound;
}

/// <summary>Reports by who made them: the landlord or shop head themself, a grid worker, a secretary (or officer), the system.</summary>
public sealed record ReporterCounts(int Self, int GridWorker, int Secretary, int System);

/// <summary>Reports by where they stand now.</summary>
public sealed record StatusCounts(int Approved, int Rejected, int Pending, int Revoked);

/// <summary>The week's reports under one rule.</summary>
public sealed record RuleReports(string Rule, string NameZh, string NameEn, int Delta, int Made, ReporterCounts By, StatusCounts Now);

/// <summary>The week's reports: how many, by whom, where they stand, and under which rules.</summary>
public sealed record ReportFigures(int Made, ReporterCounts By, StatusCounts Now, IReadOnlyList<RuleReports> ByRule);

/// <summary>
/// The verification of the week's reports that went to a secretary: how many (<see cref="Verified"/>), how many are
/// decided, how long deciding took (median and 90th percentile by nearest rank, and the slowest; null when none is
/// decided), how many were or are overdue and how many escalated to the officers.
/// </summary>
public sealed record VerificationFigures(int Verified, int Decided, TimeSpan? Median, TimeSpan? P90, TimeSpan? Slowest, int Overdue, int Escalated)
{
    public int Waiting => Verified - Decided;
}

/// <summary>Tenant returns reported during the week and how many of them were late.</summary>
public sealed record ReturnFigures(int Reported, int Late);

/// <summary>Shop heads' daily rounds reported for the week's days, and the days charged as missed (not waived).</summary>
public sealed record RoundFigures(int Done, int Missed);

/// <summary>Points of the week's approved reports: added and deducted (both positive).</summary>
public sealed record PointFigures(int Added, int Deducted);

/// <summary>The week's list of one kind: whether published, its latest revision (when, by whom) and how many stand on each list.</summary>
public sealed record ListFigures(SubjectKind Kind, int? Revision, DateTimeOffset? PublishedAt, string? PublishedBy, string? PublishedByName, int Red, int Black)
{
    public bool Published => Revision is not null;
}

/// <summary>Every figure of a week, for one community or for everything the caller sees.</summary>
public sealed record WeekReportFigures(RosterFigures Roster, ReportFigures Reports, VerificationFigures Verification, ReturnFigures Returns,
    RoundFigures Rounds, PointFigures Points, IReadOnlyList<ListFigures> Lists);

public sealed record CommunityWeek(string Community, string Name, WeekReportFigures Figures);

/// <summary>
/// A street's weekly work report (工作周报): how the twelve-point system ran in a week, per community and in all.
/// <see cref="Community"/> is the one community a secretary sees (null: the whole street); <see cref="Complete"/> is false
/// while the week runs; every figure is as of <see cref="AsOf"/>.
/// </summary>
public sealed record WeekSummary(string Street, string StreetName, IsoWeek Week, DateTimeOffset Start, DateTimeOffset End, bool Complete, DateTimeOffset AsOf,
    string? Community, WeekReportFigures Total, IReadOnlyList<CommunityWeek> Communities)
{
    /// <summary>The street's time zone, in which its weeks and days run.</summary>
    public required TimeZoneInfo Zone { get; init; }
}

/// <summary>
/// The weekly work report a street office sends upward every Monday: counted from the store, never by hand. Officers see
/// their street (every community), secretaries their own community, grid workers nothing (as the roster and ledger
/// exports). A week not begun yet is refused; a week under way is counted so far.
/// </summary>
public sealed class WeeklyReports(Database db, TimeProvider time)
{
    public Task<Outcome<WeekSummary>> SummaryAsync(StaffMember actor, string streetId, IsoWeek week, CancellationToken ct = default) =>
        db.ReadAsync(s => SummaryInAsync(s, actor, streetId, week), ct);

    /// <summary>The summary read inside a caller's session (a chat turn answers in its own unit of work).</summary>
    public async Task<Outcome<WeekSummary>> SummaryInAsync(Session s, StaffMember actor, string streetId, IsoWeek week)
    {
        var scope = RosterExport.Scope(actor, streetId);
        if (!scope.Succeeded) return scope.Failure!;
        var community = scope.Value;
        var street = await s.GetStreetAsync(streetId);
        if (street is null) return Failure.StreetNotFound(streetId);
        var zone = street.Settings.TimeZone;
        var now = time.GetUtcNow();
        var (start, end) = (week.Start(zone), week.End(zone));
        if (await StreetWeeks.OutsideAsync(s, street, week, now, WeekAsked.Report) is { } outside) return outside;

        var roster = await s.WeekRosterAsync(streetId, week, zone);
        var reports = await s.WeekReportsAsync(streetId, week, zone);
        var verification = await s.WeekVerificationAsync(streetId, week, zone, Deadlines(street.Settings, start, now), now);
        var returns = await s.WeekReturnsAsync(streetId, week, zone, Ids.OrderedFloor(start), Ids.OrderedFloor(end));
        var rounds = await s.WeekRoundsAsync(streetId, week, zone);
        var lists = new List<(SubjectKind Kind, PublishedListRow? Row, PublishedList? List, string? By)>();
        foreach (var kind in new[] { SubjectKind.Landlord, SubjectKind.ShopHead })
        {
            var row = await s.LatestListAsync(streetId, week.ToString(), kind.ToWire());
            var by = row is null ? null : (await s.GetStaffAsync(row.PublishedBy))?.Name;
            lists.Add((kind, row, row is null ? null : Publication.FromRow(row), by));
        }
        // Rule names as the week's rule set has them (a rule retired since keeps its code).
        var rules = await Reporting.RuleSetOfAsync(s, streetId, (now < end ? now : end).AddTicks(-1));
        var defaults = DefaultRules.For(streetId, DateTimeOffset.MinValue);

        WeekReportFigures Figures(Func<string, bool> counts, Func<VerificationRow, bool> verified) => new(
            RosterOf(roster.Where(r => counts(r.CommunityId))),
            ReportsOf(reports.Where(r => counts(r.CommunityId)).ToList(), code => rules.Find(code) ?? defaults.Find(code)),
            VerificationOf(verification.FirstOrDefault(verified)),
            new ReturnFigures(Sum(returns.Where(r => counts(r.CommunityId)), r => r.Reported), Sum(returns.Where(r => counts(r.CommunityId)), r => r.Late)),
            new RoundFigures(Sum(rounds.Where(r => counts(r.CommunityId)), r => r.Done),
                Sum(reports.Where(r => counts(r.CommunityId) && r.RuleCode == DefaultRules.RoundMissed && r.Status is nameof(EventStatus.Pending) or nameof(EventStatus.Approved)), r => r.Reports)),
            new PointFigures(Sum(reports.Where(r => counts(r.CommunityId) && r.Status == nameof(EventStatus.Approved)), r => r.Added),
                Sum(reports.Where(r => counts(r.CommunityId) && r.Status == nameof(EventStatus.Approved)), r => r.Deducted)),
            lists.Select(l => new ListFigures(l.Kind, l.Row is null ? null : (int)l.Row.Revision, l.Row?.PublishedAt, l.Row?.PublishedBy, l.By,
                l.List?.Red.Count(e => counts(e.Community)) ?? 0, l.List?.Black.Count(e => counts(e.Community)) ?? 0)).ToList());

        // Every community with anything to count, and every community still in use.
        var seen = roster.Select(r => r.CommunityId).Concat(reports.Select(r => r.CommunityId)).Concat(returns.Select(r => r.CommunityId))
            .Concat(rounds.Select(r => r.CommunityId)).ToHashSet(StringComparer.Ordinal);
        var communities = (await s.ListCommunitiesAsync(streetId))
            .Where(c => (community is null || c.Id == community) && (c.Active || seen.Contains(c.Id)))
            .Select(c => new CommunityWeek(c.Id, c.Name, Figures(id => id == c.Id, v => v.CommunityId == c.Id)))
            .ToList();
        var total = community is null
            ? Figures(_ => true, v => v.CommunityId is null)
            : Figures(id => id == community, v => v.CommunityId == community);
        return new WeekSummary(streetId, street.Name, week, start, end, now >= end, now, community, total, communities) { Zone = zone };
    }

    /// <summary>
    /// The summary as a sheet to print and send upward: a row per figure (and one per rule reported under), a column for the
    /// whole (the street, or a secretary's community) and one per community. Counts are numbers; times in minutes.
    /// </summary>
    public async Task<Outcome<ExportTable>> TableAsync(StaffMember actor, string streetId, IsoWeek week, CancellationToken ct = default)
    {
        var summary = await SummaryAsync(actor, streetId, week, ct);
        if (summary.Failure is { } failure) return failure;
        var v = summary.Value!;
        var columns = new List<WeekReportFigures> { v.Total };
        var header = new List<string> { "项目", v.Community is null ? v.StreetName : v.Communities.FirstOrDefault()?.Name ?? v.Community };
        if (v.Community is null)
            foreach (var c in v.Communities) { columns.Add(c.Figures); header.Add(c.Name); }
        var rows = new List<object?[]>();
        void Row(string title, Func<WeekReportFigures, object?> figure) => rows.Add([title, .. columns.Select(figure)]);
        void Text(string title, string text) => rows.Add([title, text]);
        Text("周次", $"{v.Week}（{Day(v.Start, v)}至{Day(v.End.AddTicks(-1), v)}）");
        // A week over is not frozen: statuses, the roster and erasures are read as they stand when the sheet is made.
        Text("统计截至", v.Complete ? $"{Local(v.AsOf, v)}（整周）" : $"{Local(v.AsOf, v)}（本周尚未结束）");
        Row("在册房东", f => f.Roster.Landlords);
        Row("其中已绑定聊天账号", f => f.Roster.LandlordsBound);
        Row("在册铺长", f => f.Roster.ShopHeads);
        Row("其中已绑定聊天账号 ", f => f.Roster.ShopHeadsBound);
        Row("绑定率", f => f.Roster.People == 0 ? "" : $"{100.0 * f.Roster.Bound / f.Roster.People:0.0}%");
        Row("上报合计", f => f.Reports.Made);
        Row("本人上报", f => f.Reports.By.Self);
        Row("网格员上报", f => f.Reports.By.GridWorker);
        Row("书记/街道上报", f => f.Reports.By.Secretary);
        Row("系统记录", f => f.Reports.By.System);
        Row("已通过", f => f.Reports.Now.Approved);
        Row("已驳回", f => f.Reports.Now.Rejected);
        Row("待核查", f => f.Reports.Now.Pending);
        Row("已撤销", f => f.Reports.Now.Revoked);
        foreach (var rule in v.Total.Reports.ByRule)
            Row($"上报：{rule.NameZh}（{(rule.Delta > 0 ? "+" : "")}{rule.Delta}）", f => f.Reports.ByRule.FirstOrDefault(r => r.Rule == rule.Rule)?.Made ?? 0);
        Row("需核查", f => f.Verification.Verified);
        Row("已核查", f => f.Verification.Decided);
        Row("核查用时中位数（分钟）", f => Minutes(f.Verification.Median));
        Row("核查用时90%（分钟）", f => Minutes(f.Verification.P90));
        Row("最长核查用时（分钟）", f => Minutes(f.Verification.Slowest));
        Row("逾期", f => f.Verification.Overdue);
        Row("升级至街道", f => f.Verification.Escalated);
        Row("租客返回上报", f => f.Returns.Reported);
        Row("其中迟报", f => f.Returns.Late);
        Row("铺长巡查完成（天次）", f => f.Rounds.Done);
        Row("铺长漏巡（天次）", f => f.Rounds.Missed);
        Row("加分", f => f.Points.Added);
        Row("扣分", f => f.Points.Deducted);
        foreach (var kind in new[] { SubjectKind.Landlord, SubjectKind.ShopHead })
        {
            var list = v.Total.Lists.First(l => l.Kind == kind);
            Text($"{kind.NameZh()}红黑榜", list.Published ? $"已发布第{list.Revision}版，{Local(list.PublishedAt!.Value, v)}，{list.PublishedByName ?? list.PublishedBy}" : "未发布");
            if (!list.Published) continue;
            Row($"{kind.NameZh()}红榜人数", f => f.Lists.First(l => l.Kind == kind).Red);
            Row($"{kind.NameZh()}黑榜人数", f => f.Lists.First(l => l.Kind == kind).Black);
        }
        return new ExportTable($"工作周报 {v.Week}", header, rows);
    }

    private static int? Minutes(TimeSpan? t) => t is { } span ? (int)Math.Round(span.TotalMinutes) : null;

    private static string Day(DateTimeOffset at, WeekSummary v) => TimeZoneInfo.ConvertTime(at, v.Zone).ToString("M月d日", System.Globalization.CultureInfo.InvariantCulture);
    private static string Local(DateTimeOffset at, WeekSummary v) => TimeZoneInfo.ConvertTime(at, v.Zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Every working day's deadline from a week before <paramref name="start"/> (before the earliest report of anything
    /// counted in the week) to <paramref name="now"/>: an item is overdue when one of them passed between its report and
    /// its decision (VerificationClock.IsOverdue's first deadline after the report is the one it is due by).
    /// </summary>
    private static List<DateTimeOffset> Deadlines(StreetSettings settings, DateTimeOffset start, DateTimeOffset now)
    {
        var deadlines = new List<DateTimeOffset>();
        var last = VerificationClock.LocalDay(now, settings);
        for (var day = VerificationClock.LocalDay(start, settings).AddDays(-7); day <= last; day = day.AddDays(1))
            if (settings.IsWorkingDay(day) && VerificationClock.DeadlineOf(day, settings) is var deadline && deadline <= now) deadlines.Add(deadline);
        return deadlines;
    }

    private static int Sum<T>(IEnumerable<T> rows, Func<T, long> figure) => (int)rows.Sum(figure);

    private static RosterFigures RosterOf(IEnumerable<RosterCountRow> rows)
    {
        var list = rows.ToList();
        var landlords = list.Where(r => r.Kind == nameof(SubjectKind.Landlord)).ToList();
        var shopHeads = list.Where(r => r.Kind == nameof(SubjectKind.ShopHead)).ToList();
        return new RosterFigures(Sum(landlords, r => r.People), Sum(landlords, r => r.Bound), Sum(shopHeads, r => r.People), Sum(shopHeads, r => r.Bound));
    }

    private static ReportFigures ReportsOf(IReadOnlyList<ReportCountRow> rows, Func<string, Rule?> rule)
    {
        static ReporterCounts By(IEnumerable<ReportCountRow> rows)
        {
            var list = rows.ToList();
            int Of(ReporterRole role) => Sum(list.Where(r => r.ReporterRole == role.ToString()), r => r.Reports);
            return new ReporterCounts(Of(ReporterRole.Self), Of(ReporterRole.GridWorker), Of(ReporterRole.Secretary), Of(ReporterRole.System));
        }
        static StatusCounts Now(IEnumerable<ReportCountRow> rows)
        {
            var list = rows.ToList();
            int Of(EventStatus status) => Sum(list.Where(r => r.Status == status.ToString()), r => r.Reports);
            return new StatusCounts(Of(EventStatus.Approved), Of(EventStatus.Rejected), Of(EventStatus.Pending), Of(EventStatus.Revoked));
        }
        var byRule = rows.GroupBy(r => r.RuleCode, StringComparer.Ordinal)
            .Select(g => (Rule: rule(g.Key), Code: g.Key, Rows: g.ToList()))
            // Additions first, then deductions, each by code: the same order every week.
            .OrderByDescending(g => g.Rule?.Delta > 0).ThenBy(g => g.Code, StringComparer.Ordinal)
            .Select(g => new RuleReports(g.Code, g.Rule?.NameZh ?? g.Code, g.Rule?.NameEn ?? g.Code, g.Rule?.Delta ?? 0, Sum(g.Rows, r => r.Reports), By(g.Rows), Now(g.Rows)))
            .ToList();
        return new ReportFigures(Sum(rows, r => r.Reports), By(rows), Now(rows), byRule);
    }

    private static VerificationFigures VerificationOf(VerificationRow? row) => row is null
        ? new VerificationFigures(0, 0, null, null, null, 0, 0)
        : new VerificationFigures((int)row.Verified, (int)row.Decided, Seconds(row.MedianSeconds), Seconds(row.P90Seconds), Seconds(row.SlowestSeconds), (int)row.Overdue, (int)row.Escalated);

    private static TimeSpan? Seconds(long? seconds) => seconds is { } n ? TimeSpan.FromSeconds(n) : null;
}
