using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>The year's good-person candidates (后宅好人): subjects on the red list at least K times in the cycle year.</summary>
public static class Honours
{
    public static IEndpointRouteBuilder MapHonours(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Honours");
        staff.MapGet("/streets/{street}/honours/{year}", GetAsync).WithName("GetHonours")
            .WithSummary("Candidates of a cycle year: on the (latest revision of the) published red list at least the threshold in force when the year ended times. " +
                         "?kind=landlord|shop-head for one kind. Names and communities as on the roster now; active false for someone taken off it. " +
                         "The year is 2000 to 9997 (400); one not begun yet is 409 week-not-begun, one before the street's first rules took effect 409 week-before-street, as a week's. " +
                         Scope)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapGet("/streets/{street}/honours/{year}.xlsx", XlsxAsync).WithName("ExportHonoursXlsx")
            .WithSummary("The candidates as a spreadsheet to print, with ?kind= as the JSON. " + Scope)
            .Produces(200, contentType: RosterFiles.XlsxType).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapGet("/streets/{street}/honours/{year}.csv", CsvAsync).WithName("ExportHonoursCsv")
            .WithSummary("The candidates as CSV (UTF-8 with a byte-order mark; text that a spreadsheet would run as a formula starts with '), with ?kind= as the JSON. " + Scope)
            .Produces(200, contentType: RosterFiles.CsvType).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    // Who may ask, as Publication.HonoursAsync scopes it.
    private const string Scope = "The street's officers and admins see every candidate; its secretaries and grid workers those in their community or grids now; staff of another street 403.";

    public sealed record CandidateView(string SubjectId, string Kind, string Name, string Community, bool Active, int RedListings, IReadOnlyList<string> Weeks);

    /// <param name="Threshold">The red listings that make a candidate: the street's setting in force when the year ended (now, while it runs).</param>
    public sealed record HonoursView(string Street, int Year, int Threshold, IReadOnlyList<CandidateView> Candidates);

    private static async Task<Results<Ok<HonoursView>, ProblemHttpResult>> GetAsync(string street, string year, string? kind, HttpContext http, Publication publication, CancellationToken ct)
    {
        if (!Parse(street, year, kind, out var y, out var k, out var bad)) return bad;
        var honours = await publication.HonoursAsync(http.Staff(), street, y, k, ct);
        if (honours.Failure is { } failure) return failure.ToProblem();
        var roll = honours.Value!;
        return TypedResults.Ok(new HonoursView(street, y, roll.Threshold, roll.Candidates.Select(c =>
            new CandidateView(c.SubjectId, c.Subject.Kind.ToWire(), c.Name, c.Community, c.Subject.Active, c.RedListings, c.Weeks)).ToList()));
    }

    private static Task<IResult> XlsxAsync(string street, string year, string? kind, HttpContext http, Publication publication, CancellationToken ct) =>
        FileAsync(street, year, kind, http, publication, RosterFiles.WriteXlsx, RosterFiles.XlsxType, "xlsx", ct);

    private static Task<IResult> CsvAsync(string street, string year, string? kind, HttpContext http, Publication publication, CancellationToken ct) =>
        FileAsync(street, year, kind, http, publication, RosterFiles.WriteCsv, RosterFiles.CsvType, "csv", ct);

    private static async Task<IResult> FileAsync(string street, string year, string? kind, HttpContext http, Publication publication,
        Func<ExportTable, byte[]> write, string contentType, string extension, CancellationToken ct)
    {
        if (!Parse(street, year, kind, out var y, out var k, out var bad)) return bad;
        var table = await publication.HonoursTableAsync(http.Staff(), street, y, k, ct);
        return table.Failure is { } failure ? failure.ToProblem()
            : Results.File(write(table.Value!), contentType, $"honours-{street}-{y}{(k is { } one ? "-" + one.ToWire() : "")}.{extension}");
    }

    private static bool Parse(string street, string year, string? kind, out int y, out SubjectKind? k, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ProblemHttpResult? bad)
    {
        var check = new Checks();
        check.Id("street", street);
        // Up to the last year a week can be written in: the year's last week is where its threshold is read.
        y = check.Year(year, 2000);
        k = string.IsNullOrEmpty(kind) ? null : check.Kind(kind);
        return !check.Failed(out bad);
    }
}
