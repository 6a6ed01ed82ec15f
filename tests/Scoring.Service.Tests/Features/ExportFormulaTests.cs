using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Scoring.Service.Tests.Features;

/// <summary>
/// Every CSV and xlsx the service exports (found in its endpoint data source, so a new export is checked too) keeps
/// text a spreadsheet would run as a formula inert: names, notes and evidence that staff type, or a landlord types in
/// the chat, come out with a leading apostrophe, never as a cell starting with = + - @, a tab or a carriage return.
/// </summary>
public class ExportFormulaTests
{
    private const string Evidence = "=cmd|' /C calc'!A0";
    private const string Community = "=HYPERLINK(\"http://127.0.0.1/x\",\"点此\")";

    [Fact]
    public async Task No_export_has_a_cell_a_spreadsheet_would_run_as_a_formula()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        // What people type: a community's name (an officer), every landlord's and shop head's name, and a report's
        // evidence as through the chat (a landlord).
        Assert.True((await officer.PutAsJsonAsync("/api/communities/fangtang", new { name = Community })).IsSuccessStatusCode);
        var subjects = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/subjects");
        string[] prefixes = ["=1+", "+", "-", "@SUM(", "=cmd|' /C calc'!A"];
        int n = 0;
        foreach (var subject in subjects.GetProperty("items").EnumerateArray())
        {
            var name = prefixes[n % prefixes.Length] + n++;
            var renamed = await officer.PutAsJsonAsync($"/api/subjects/{subject.GetProperty("id").GetString()}", new { name });
            Assert.True(renamed.IsSuccessStatusCode, await renamed.Content.ReadAsStringAsync());
        }
        await world.ReportAsync("landlord-1", evidence: Evidence);
        await world.PublishAsync("2026-W46");
        await world.PublishAsync("2026-W46", "shop-head");

        var problems = new List<string>();
        var exported = new StringBuilder();
        foreach (var pattern in ExportRoutes(world))
        {
            var answered = false;
            foreach (var week in new[] { "2026-W47", "2026-W46" })
            {
                var url = Filled(pattern, week) + (pattern.RawText!.Contains("/lists/") ? "?kind=landlord" : "");
                using var response = await officer.GetAsync(url);
                if (response.StatusCode != HttpStatusCode.OK) continue;
                answered = true;
                var bytes = await response.Content.ReadAsByteArrayAsync();
                var cells = url.Split('?')[0].EndsWith(".csv", StringComparison.Ordinal) ? CsvCells(bytes) : XlsxCells(bytes, url, problems);
                foreach (var cell in cells)
                {
                    exported.Append(cell).Append('\n');
                    if (RunsAsFormula(cell)) problems.Add($"{url}: {JsonSerializer.Serialize(cell)}");
                }
            }
            if (!answered) problems.Add($"{pattern.RawText}: no week gave a file to check");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The typed texts reached the files (neutralised), or the check above saw nothing worth seeing.
        var all = exported.ToString();
        Assert.Contains("'" + Evidence, all);
        Assert.Contains("'" + Community, all);
        Assert.Contains("'=1+0", all);
    }

    /// <summary>A text cell a spreadsheet runs (or splits) as a formula; numbers, negative ones too, are numbers.</summary>
    internal static bool RunsAsFormula(string cell) =>
        cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
        && !double.TryParse(cell, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static IEnumerable<RoutePattern> ExportRoutes(ServiceWorld world) =>
        world.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => e.RoutePattern)
            .Where(p => p.RawText!.EndsWith(".csv", StringComparison.Ordinal) || p.RawText.EndsWith(".xlsx", StringComparison.Ordinal));

    private static string Filled(RoutePattern pattern, string week) =>
        "/" + string.Join("/", pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => l.Content,
            RoutePatternSeparatorPart sep => sep.Content,
            RoutePatternParameterPart { Name: "street" } => "houzhai",
            RoutePatternParameterPart { Name: "week" } => week,
            RoutePatternParameterPart { Name: "year" } => "2026",
            RoutePatternParameterPart q => throw new InvalidOperationException($"an export with a route value this test cannot fill: {q.Name}"),
            _ => "",
        }))));

    /// <summary>The fields of an RFC 4180 file (UTF-8, its byte-order mark dropped), header included.</summary>
    private static IEnumerable<string> CsvCells(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c is ',' or '\n') { yield return field.ToString(); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { }
            else field.Append(c);
        }
        if (field.Length > 0) yield return field.ToString();
    }

    /// <summary>Every used cell's text; a cell holding a formula is a problem by itself.</summary>
    private static IEnumerable<string> XlsxCells(byte[] bytes, string url, List<string> problems)
    {
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var cells = new List<string>();
        foreach (var sheet in workbook.Worksheets)
        foreach (var cell in sheet.CellsUsed())
        {
            if (cell.HasFormula) problems.Add($"{url}: {cell.Address} holds the formula {cell.FormulaA1}");
            if (cell.DataType == XLDataType.Text) cells.Add(cell.GetString());
        }
        return cells;
    }
}
