using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Scoring.Service.Tests.Rosters;

/// <summary>
/// The service in the Testing environment on a fresh SQLite file with the demo street, and an HTTP client per demo
/// staff member (their real bearer tokens, read from the credentials file the demo writes).
/// </summary>
public sealed class RosterApp : IAsyncDisposable
{
    public const string Street = "houzhai";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _dir = Directory.CreateTempSubdirectory("scoring-rosters-").FullName;
    private readonly WebApplicationFactory<Program> _factory;
    private readonly Dictionary<string, string> _tokens;

    public string Database => Path.Combine(_dir, "scoring.db");

    private RosterApp()
    {
        var credentials = Path.Combine(_dir, "demo-credentials.json");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("ConnectionStrings:Scoring", ConnectionString);
            web.UseSetting("Demo:Enabled", "true");
            web.UseSetting("Demo:CredentialsPath", credentials);
            web.UseSetting("Clock:Now", "2026-11-18T09:00:00+08:00");
        });
        _ = _factory.Server; // start: migrations and the demo street
        using var doc = JsonDocument.Parse(File.ReadAllText(credentials));
        _tokens = doc.RootElement.GetProperty("staff").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("token").GetString()!);
    }

    /// <summary>The service's own use cases and database, for arranging what the API has no route for.</summary>
    public IServiceProvider Services => _factory.Services;

    public string ConnectionString => $"Data Source={Database};Pooling=False";

    public static Task<RosterApp> StartAsync() => Task.FromResult(new RosterApp());

    public HttpClient Anonymous() => _factory.CreateClient();

    /// <summary>A client signed in as a demo staff member: officer-1, secretary-fangtang, secretary-changchun, gridworker-1.</summary>
    public HttpClient As(string staffId)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[staffId]);
        return client;
    }

    public HttpClient Officer() => As("officer-1");

    public ValueTask DisposeAsync()
    {
        _factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

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
public sealed record ImportResult(int Created, int Updated, int Unchanged, int Deactivated, List<ProblemRow> Errors, bool DryRun, bool Applied);

public static class RosterClient
{
    public static async Task<(HttpResponseMessage Response, ImportResult? Result)> ImportAsync(this HttpClient client, byte[] bytes, string fileName, bool dryRun = false, string street = RosterApp.Street)
    {
        var response = await client.PostAsync($"/api/streets/{street}/roster/import{(dryRun ? "?dryRun=true" : "")}", RosterFile.Upload(bytes, fileName));
        ImportResult? result = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
            result = await response.Content.ReadFromJsonAsync<ImportResult>(RosterApp.Json);
        return (response, result);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
