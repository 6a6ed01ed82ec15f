using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;

namespace Scoring.Service.Tests.Rosters;

/// <summary>Roster files as offices make them: .xlsx through ClosedXML, CSV in UTF-8 or GBK.</summary>
public static class RosterFile
{
    public static readonly string[] Header = ["类型", "社区", "姓名", "电话", "网格", "租客或店铺", "房间", "联系电话"];

    static RosterFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Gbk => Encoding.GetEncoding("GBK");

    public static byte[] Xlsx(IEnumerable<string[]> rows, string sheet = "花名册")
    {
        using var workbook = new XLWorkbook();
        var ws = workbook.Worksheets.Add(sheet);
        int r = 1;
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++) ws.Cell(r, c + 1).SetValue(row[c]);
            r++;
        }
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }

    public static string CsvText(IEnumerable<string[]> rows) =>
        string.Concat(rows.Select(r => string.Join(",", r.Select(c => c.Contains(',') || c.Contains('"') ? $"\"{c.Replace("\"", "\"\"")}\"" : c)) + "\r\n"));

    public static byte[] Csv(IEnumerable<string[]> rows, Encoding encoding, bool bom = false) =>
        [.. bom ? encoding.GetPreamble() : [], .. encoding.GetBytes(CsvText(rows))];

    /// <summary><paramref name="people"/> landlords of a community (fangtang unless said), each with two tenants, as rows (the header first).</summary>
    public static IEnumerable<string[]> Landlords(int people, int firstPhone = 0, string community = "fangtang")
    {
        var grid = community == "fangtang" ? "方塘村1号楼" : "";
        yield return Header;
        for (int i = 0; i < people; i++)
        {
            var phone = $"137{firstPhone + i:D8}";
            yield return ["房东", community, $"房东{i}", phone, grid, $"租客{i}甲", $"{100 + i % 50}", ""];
            yield return ["房东", community, $"房东{i}", phone, grid, $"租客{i}乙", $"{200 + i % 50}", $"136{i:D8}"];
        }
    }

    public static MultipartFormDataContent Upload(byte[] bytes, string fileName)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".csv") ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        content.Add(file, "file", fileName);
        return content;
    }
}

public sealed record ProblemRow(int Row, string? Column, string Problem, string Code);
public sealed record ImportResult(int Created, int Updated, int Unchanged, int Deactivated, List<ProblemRow> Errors, bool DryRun, bool Applied, List<ProblemRow>? Notices = null);

/// <summary>The roster routes as the tests call them, on a <see cref="ServiceWorld"/>'s clients.</summary>
public static class RosterClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A client signed in as the demo street's officer, who may do everything with rosters.</summary>
    public static HttpClient Officer(this ServiceWorld world) => world.Client("officer-1");

    public static async Task<(HttpResponseMessage Response, ImportResult? Result)> ImportAsync(this HttpClient client, byte[] bytes, string fileName, bool dryRun = false, string street = ServiceWorld.DemoStreetId)
    {
        var response = await client.PostAsync($"/api/streets/{street}/roster/import{(dryRun ? "?dryRun=true" : "")}", RosterFile.Upload(bytes, fileName));
        ImportResult? result = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
            result = await response.Content.ReadFromJsonAsync<ImportResult>(Json);
        return (response, result);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
