using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Weeks;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>
/// The street office's weekly work report (工作周报): how the twelve-point system ran in a week, per community and in all,
/// as JSON and as a sheet to print (<see cref="WeeklyReports"/>).
/// </summary>
public static class WeeklyReportsApi
{
    public static IEndpointRouteBuilder MapWeeklyReports(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Weekly report");
        staff.MapGet("/streets/{street}/weeks/{week}/summary", GetAsync).WithName("GetWeekSummary")
            .WithSummary("The weekly work report of a week (2026-W47; weeks run Monday 00:00 to Monday 00:00 in the street's time zone): counts per community and in all. " +
                         Figures + Scope)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapGet("/streets/{street}/weeks/{week}/summary.xlsx", XlsxAsync).WithName("ExportWeekSummaryXlsx")
            .WithSummary("The weekly work report as a sheet to print: a row per figure (and per rule), a column for the whole (street or community) and one per community. " + Scope)
            .Produces(200, contentType: RosterFiles.XlsxType).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    // What each figure counts: the README's "Weekly work report" says the same.
    private const string Figures =
        "A week's reports are the events counted in it, as its lists count them: by when they occurred (a system-detected failure when its duty fell due), " +
        "whenever they were reported; each person counts in the community they were in at the week's end, as on the lists. " +
        "roster: landlords and shop heads counted on the week's lists (everyone but those off the roster for the whole week), and of them those " +
        "with a chat account bound before the week's end (bound). " +
        "reports: made, by reporter (self, gridWorker, secretary — officers report as secretaries —, system), by status now (approved, rejected, pending, revoked), and per rule. " +
        "verification: of the week's reports that went to a secretary (pending when recorded): verified, decided, waiting, the time from report to decision " +
        "(medianSeconds and p90Seconds by nearest rank, slowestSeconds; null when none is decided), overdue (a working day's daily deadline passed between the report and " +
        "its decision, or now while it waits) and escalated. " +
        "returns: tenant returns reported during the week (by when the report came in) and of them late (charged −2; the charge counts in the week the return fell due). " +
        "rounds: shop heads' daily rounds reported for the week's seven days (done) and days charged as missed that were not waived (missed: pending or approved). " +
        "points: added and deducted by the week's approved reports. " +
        "lists: per kind, the latest published revision (null before publication), when and by whom, and how many are on the red and black lists (in a community: its own). " +
        "complete is false while the week runs (figures so far, asOf); a week not begun yet is 409 week-not-begun, one before the street's first rules took effect 409 week-before-street. ";

    private const string Scope = "The street's officers and admins get every community, its secretaries their own community; grid workers and staff of another street 403.";

    // The counts are the use case's own records (ReporterCounts, StatusCounts, RosterFigures…), as they serialise; only
    // what reads differently in JSON has a view: times as seconds, a list's kind as its wire name.
    // Named for the summary: the document names a schema by the type's simple name, and the rules and the roster have a
    // RuleView and a CommunityView of their own.
    public sealed record SummaryRuleView(string Rule, string NameZh, string NameEn, int Delta, int Made, ReporterCounts By, StatusCounts Status);
    public sealed record ReportsView(int Made, ReporterCounts By, StatusCounts Status, IReadOnlyList<SummaryRuleView> ByRule);
    public sealed record VerificationView(int Verified, int Decided, int Waiting, long? MedianSeconds, long? P90Seconds, long? SlowestSeconds, int Overdue, int Escalated);
    public sealed record ListView(string Kind, bool Published, int? Revision, DateTimeOffset? PublishedAt, string? PublishedBy, string? PublishedByName, int Red, int Black);
    public sealed record FiguresView(RosterFigures Roster, ReportsView Reports, VerificationView Verification, ReturnFigures Returns, RoundFigures Rounds, PointFigures Points, IReadOnlyList<ListView> Lists);
    public sealed record SummaryCommunityView(string Community, string Name, FiguresView Figures);

    /// <param name="Community">The one community the caller sees (a secretary's), or null for the whole street.</param>
    public sealed record SummaryView(string Street, string StreetName, string Week, DateTimeOffset Start, DateTimeOffset End, bool Complete, DateTimeOffset AsOf,
        string? Community, FiguresView Total, IReadOnlyList<SummaryCommunityView> Communities);

    private static async Task<Results<Ok<SummaryView>, ProblemHttpResult>> GetAsync(string street, string week, HttpContext http, WeeklyReports reports, CancellationToken ct)
    {
        if (!Parse(street, week, out var w, out var bad)) return bad;
        var summary = await reports.SummaryAsync(http.Staff(), street, w, ct);
        if (summary.Failure is { } failure) return failure.ToProblem();
        var v = summary.Value!;
        return TypedResults.Ok(new SummaryView(v.Street, v.StreetName, v.Week.ToString(), v.Start, v.End, v.Complete, v.AsOf, v.Community, View(v.Total),
            v.Communities.Select(c => new SummaryCommunityView(c.Community, c.Name, View(c.Figures))).ToList()));
    }

    private static FiguresView View(WeekReportFigures f) => new(
        f.Roster,
        new ReportsView(f.Reports.Made, f.Reports.By, f.Reports.Now,
            f.Reports.ByRule.Select(r => new SummaryRuleView(r.Rule, r.NameZh, r.NameEn, r.Delta, r.Made, r.By, r.Now)).ToList()),
        new VerificationView(f.Verification.Verified, f.Verification.Decided, f.Verification.Waiting, Seconds(f.Verification.Median), Seconds(f.Verification.P90),
            Seconds(f.Verification.Slowest), f.Verification.Overdue, f.Verification.Escalated),
        f.Returns, f.Rounds, f.Points,
        f.Lists.Select(l => new ListView(l.Kind.ToWire(), l.Published, l.Revision, l.PublishedAt, l.PublishedBy, l.PublishedByName, l.Red, l.Black)).ToList());

    private static long? Seconds(TimeSpan? t) => t is { } span ? (long)span.TotalSeconds : null;

    private static async Task<IResult> XlsxAsync(string street, string week, HttpContext http, WeeklyReports reports, CancellationToken ct)
    {
        if (!Parse(street, week, out var w, out var bad)) return bad;
        var table = await reports.TableAsync(http.Staff(), street, w, ct);
        return table.Failure is { } failure ? failure.ToProblem()
            : Results.File(RosterFiles.WriteXlsx(table.Value!), RosterFiles.XlsxType, $"summary-{street}-{w}.xlsx");
    }

    private static bool Parse(string street, string week, out IsoWeek w, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ProblemHttpResult? bad)
    {
        var check = new Checks();
        check.Id("street", street);
        w = check.Week(week);
        return !check.Failed(out bad);
    }
}
