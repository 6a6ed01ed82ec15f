using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Service.Hosting;
using Scoring.Storage;

namespace Scoring.Service.Features;

/// <summary>
/// Roster spreadsheets over HTTP: the template, the import (a dry run first, then an apply that writes all or
/// nothing), and exports of the roster and of a week's ledger for the office's own records.
/// </summary>
public static class RostersFilesApi
{
    // The form around the file (boundaries, the field's headers) needs a little room beyond the file itself.
    private const long MaxBodyBytes = RosterFiles.MaxUploadBytes + 1024 * 1024;

    // As every route that reads a week's data answers a week outside the street's time (StreetWeeks.OutsideAsync).
    private const string LedgerWeeks = "409 week-not-begun for a week not begun yet, week-before-street for one before the street's first rules took effect.";

    public static IEndpointRouteBuilder MapRosterFiles(this IEndpointRouteBuilder app)
    {
        var files = app.StaffRoutes("Rosters: import and export");
        files.MapGet("/streets/{street}/roster/template.xlsx", TemplateAsync).WithName("RosterTemplate")
            .WithSummary("The import template: the Chinese headers 类型,社区,姓名,电话,网格,租客或店铺,房间,联系电话 and one example row.")
            .Produces(200, contentType: RosterFiles.XlsxType);
        files.MapPost("/streets/{street}/roster/import", ImportAsync).WithName("ImportRoster")
            .WithSummary("Multipart field 'file': .xlsx, or .csv in UTF-8 or GB18030/GBK; at most 50 MB (413). ?dryRun=true writes nothing. " +
                         "Answers {created, updated, unchanged, deactivated, errors: [{row, column, problem, code}], notices (same shape: worth a look, nothing wrong)}; 422 with the same body when any row is wrong (nothing written).")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .WithFormOptions(multipartBodyLengthLimit: MaxBodyBytes)
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<ImportView>(200).Produces<ImportView>(422).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);
        files.MapGet("/streets/{street}/roster.xlsx", RosterXlsxAsync).WithName("ExportRosterXlsx")
            .WithSummary("The roster in the import's columns (re-importing it changes nothing). Secretaries get their community.").Produces(200, contentType: RosterFiles.XlsxType);
        files.MapGet("/streets/{street}/roster.csv", RosterCsvAsync).WithName("ExportRosterCsv").Produces(200, contentType: RosterFiles.CsvType);
        files.MapGet("/streets/{street}/ledger/{week}.xlsx", LedgerXlsxAsync).WithName("ExportLedgerXlsx")
            .WithSummary("Every event of the week with its status. Text cells starting with = + - @ are prefixed with ' (no formulas). " + LedgerWeeks)
            .Produces(200, contentType: RosterFiles.XlsxType).ProducesProblem(StatusCodes.Status409Conflict);
        files.MapGet("/streets/{street}/ledger/{week}.csv", LedgerCsvAsync).WithName("ExportLedgerCsv").WithSummary("The ledger export as CSV. " + LedgerWeeks)
            .Produces(200, contentType: RosterFiles.CsvType).ProducesProblem(StatusCodes.Status409Conflict);
        files.MapGet("/streets/{street}/rewards.xlsx", RewardsXlsxAsync).WithName("ExportRewardsXlsx")
            .WithSummary("Each landlord's and shop head's reward points for paying out the fund: earned, redeemed (and the yuan recorded then), overdrawn, " +
                         "available and its yuan at today's rate (numbers, to the fen). " + RewardsScope)
            .Produces(200, contentType: RosterFiles.XlsxType).ProducesProblem(404);
        files.MapGet("/streets/{street}/rewards.csv", RewardsCsvAsync).WithName("ExportRewardsCsv")
            .WithSummary("rewards.xlsx as CSV (UTF-8 with a byte-order mark; yuan to the fen; text that a spreadsheet would run as a formula starts with '). " + RewardsScope)
            .Produces(200, contentType: RosterFiles.CsvType).ProducesProblem(404);
        return app;
    }

    // Who may ask, as RosterExport.Scope decides (the roster and ledger exports' scope).
    private const string RewardsScope = "The street's officers and admins get the street, its secretaries their community; grid workers and staff of another street 403.";

    public sealed record ProblemView(int Row, string? Column, string Problem, string Code);

    /// <param name="Notices">What the office should know though nothing is wrong (e.g. a new phone beside a same-named person leaving), shaped as errors.</param>
    public sealed record ImportView(int Created, int Updated, int Unchanged, int Deactivated, IReadOnlyList<ProblemView> Errors, bool DryRun, bool Applied, IReadOnlyList<ProblemView> Notices);

    private static async Task<IResult> TemplateAsync(string street, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        if (check.Failed(out var bad)) return bad;
        var actor = http.Staff();
        // The same scope and 404 as the street's community list, whose first community is the example.
        var communities = await rosters.ListCommunitiesAsync(actor, street, ct: ct);
        if (communities.Failure is { } failure) return failure.ToProblem();
        var example = actor.CommunityId ?? communities.Value!.FirstOrDefault()?.Id ?? "community-id";
        return Results.File(RosterFiles.WriteXlsx(RosterExport.Template(example)), RosterFiles.XlsxType, $"roster-template-{street}.xlsx");
    }

    private static async Task<IResult> ImportAsync(string street, string? dryRun, HttpContext http, RosterImport import, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        var dry = check.Flag("dryRun", dryRun);
        if (check.Failed(out var bad)) return bad;
        var request = http.Request;
        if (request.ContentLength > MaxBodyBytes) return TooLarge();
        if (!request.HasFormContentType)
            return Problems.Of(415, "multipart-required", "Upload the roster as multipart/form-data with the file in the field 'file'.", "请以 multipart/form-data 上传，文件字段名为 file。");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            // The body is within the size limit (checked above) but not a readable form: no boundary or one over 70
            // characters, a part's headers malformed or over the reader's limits, the body ending before its closing
            // boundary. A careless script's mistake, not a size problem and not ours.
            return Problems.Of(400, "multipart-malformed",
                "The upload is not well-formed multipart/form-data (a boundary, a part's headers or the closing boundary is missing or malformed): send the file in the field 'file'.",
                "上传内容不是有效的 multipart/form-data（分隔符、分段头或结束分隔符缺失或有误），请以字段 file 上传文件。");
        }
        var files = form.Files.GetFiles("file");
        if (files.Count == 0)
            return Problems.Of(400, "file-required", "The multipart field 'file' is missing.", "缺少文件字段 file。");
        // Two files chosen at once (a form's multiple select, a script's loop): importing the first would drop the other unsaid.
        if (files.Count > 1)
            return Problems.Of(400, "file-twice", $"The field 'file' holds {files.Count} files; upload one roster at a time.",
                $"字段 file 中有{files.Count}个文件，请一次只上传一份花名册。");
        var file = files[0];
        if (file.Length > RosterFiles.MaxUploadBytes) return TooLarge();

        RosterSheet sheet;
        await using (var content = file.OpenReadStream()) sheet = RosterFiles.Read(content, file.FileName);
        var outcome = await import.ImportAsync(http.Staff(), street, sheet, dry, ct);
        if (outcome.Failure is { } failure) return failure.ToProblem();
        var report = outcome.Value!;
        var view = new ImportView(report.Created, report.Updated, report.Unchanged, report.Deactivated,
            report.Errors.Select(e => new ProblemView(e.Row, e.Column, e.Problem, e.Code)).ToList(), dry, report.Applied,
            report.Notices.Select(e => new ProblemView(e.Row, e.Column, e.Problem, e.Code)).ToList());
        return report.HasErrors ? TypedResults.UnprocessableEntity(view) : TypedResults.Ok(view);
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Of(413, "file-too-large", $"The upload is limited to {RosterFiles.MaxUploadBytes / (1024 * 1024)} MB.", $"上传文件不能超过{RosterFiles.MaxUploadBytes / (1024 * 1024)}MB。");

    private static async Task<IResult> RosterXlsxAsync(string street, HttpContext http, RosterExport export, CancellationToken ct) =>
        File(await RosterTableAsync(street, http, export, ct), RosterFiles.WriteXlsx, RosterFiles.XlsxType, $"roster-{street}.xlsx");

    private static async Task<IResult> RosterCsvAsync(string street, HttpContext http, RosterExport export, CancellationToken ct) =>
        File(await RosterTableAsync(street, http, export, ct), RosterFiles.WriteCsv, RosterFiles.CsvType, $"roster-{street}.csv");

    private static Task<Outcome<ExportTable>> RosterTableAsync(string street, HttpContext http, RosterExport export, CancellationToken ct) =>
        OfStreetAsync(street, () => export.RosterAsync(http.Staff(), street, ct));

    /// <summary>A street's table, once its id is one: a file route answers a problem, never a file, for a street id that cannot be.</summary>
    private static async Task<Outcome<ExportTable>> OfStreetAsync(string street, Func<Task<Outcome<ExportTable>>> table)
    {
        var check = new Checks();
        check.Id("street", street);
        if (check.Failed(out _)) return Failure.Invalid("invalid-input", $"street '{street}' is not an id.", $"街道编号「{street}」无效。");
        return await table();
    }

    private static async Task<IResult> LedgerXlsxAsync(string street, string week, HttpContext http, RosterExport export, CancellationToken ct) =>
        File(await LedgerTableAsync(street, week, http, export, ct), RosterFiles.WriteXlsx, RosterFiles.XlsxType, $"ledger-{street}-{week}.xlsx");

    private static async Task<IResult> LedgerCsvAsync(string street, string week, HttpContext http, RosterExport export, CancellationToken ct) =>
        File(await LedgerTableAsync(street, week, http, export, ct), RosterFiles.WriteCsv, RosterFiles.CsvType, $"ledger-{street}-{week}.csv");

    private static async Task<Outcome<ExportTable>> LedgerTableAsync(string street, string week, HttpContext http, RosterExport export, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        var w = check.Week(week);
        if (check.Failed(out _)) return Failure.Invalid("invalid-input", $"'{street}' / '{week}': give a street id and a week like 2026-W47.", "请填写街道编号和周次（如 2026-W47）。");
        return await export.LedgerAsync(http.Staff(), street, w, ct);
    }

    private static async Task<IResult> RewardsXlsxAsync(string street, HttpContext http, Rewards rewards, CancellationToken ct) =>
        File(await RewardsTableAsync(street, http, rewards, ct), RosterFiles.WriteXlsx, RosterFiles.XlsxType, $"rewards-{street}.xlsx");

    private static async Task<IResult> RewardsCsvAsync(string street, HttpContext http, Rewards rewards, CancellationToken ct) =>
        File(await RewardsTableAsync(street, http, rewards, ct), RosterFiles.WriteCsv, RosterFiles.CsvType, $"rewards-{street}.csv");

    private static Task<Outcome<ExportTable>> RewardsTableAsync(string street, HttpContext http, Rewards rewards, CancellationToken ct) =>
        OfStreetAsync(street, () => rewards.PayoutAsync(http.Staff(), street, ct));

    private static IResult File(Outcome<ExportTable> table, Func<ExportTable, byte[]> write, string contentType, string name) =>
        table.Failure is { } failure ? failure.ToProblem() : Results.File(write(table.Value!), contentType, name);
}
