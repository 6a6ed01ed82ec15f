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

    /// <summary>
    /// A workbook as the smallest writers make it (some systems' exports): no styles part, no shared strings; text as
    /// inline strings and numbers as bare values (no t attribute, as Excel writes them), columns listed in <paramref name="numbers"/>.
    /// </summary>
    public static byte[] MinimalXlsx(IEnumerable<string[]> rows, params int[] numbers)
    {
        var sheet = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        int r = 1;
        foreach (var row in rows)
        {
            sheet.Append($"<row r=\"{r}\">");
            for (int c = 0; c < row.Length; c++)
            {
                if (row[c].Length == 0) continue;
                var at = $"{(char)('A' + c)}{r}";
                sheet.Append(r > 1 && numbers.Contains(c) ? $"<c r=\"{at}\"><v>{row[c]}</v></c>"
                    : $"<c r=\"{at}\" t=\"inlineStr\"><is><t>{System.Security.SecurityElement.Escape(row[c])}</t></is></c>");
            }
            sheet.Append("</row>");
            r++;
        }
        sheet.Append("</sheetData></worksheet>");
        const string main = "http://schemas.openxmlformats.org/";
        using var output = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string text) { using var w = new StreamWriter(zip.CreateEntry(name).Open()); w.Write(text); }
            Add("[Content_Types].xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"{main}package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
                "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>");
            Add("_rels/.rels", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{main}package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{main}officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            Add("xl/workbook.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{main}spreadsheetml/2006/main\" xmlns:r=\"{main}officeDocument/2006/relationships\"><sheets><sheet name=\"花名册\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            Add("xl/_rels/workbook.xml.rels", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{main}package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{main}officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
            Add("xl/worksheets/sheet1.xml", sheet.ToString());
        }
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
