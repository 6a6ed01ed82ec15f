using System.Net;
using System.Net.Http.Json;
using System.Text;
using AngleSharp.Html.Parser;
using ClosedXML.Excel;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Storage;
using Scoring.Domain.Rules;

namespace Scoring.Service.Tests.Rosters;

public sealed class RostersExportTests
{
    private static IXLWorksheet Sheet(byte[] xlsx) => new XLWorkbook(new MemoryStream(xlsx)).Worksheets.First();

    /// <summary>The first sheet's XML as written, to see that no cell is a formula (an f element) whatever a reader makes of it.</summary>
    private static string SheetXml(byte[] xlsx)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(xlsx));
        using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        return reader.ReadToEnd();
    }

    private static List<string[]> CsvRows(byte[] bytes)
    {
        Assert.True(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]), "the CSV starts with a UTF-8 byte-order mark for Excel");
        return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
    }

    [Fact]
    public async Task The_template_has_the_Chinese_headers_in_order_and_one_example_row()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("secretary-changchun").GetAsync("/api/streets/houzhai/roster/template.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var sheet = Sheet(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(RosterFile.Header, Enumerable.Range(1, 8).Select(c => sheet.Cell(1, c).GetString()).ToArray());
        Assert.Equal(["房东", "changchun"], new[] { sheet.Cell(2, 1).GetString(), sheet.Cell(2, 2).GetString() });
        Assert.Equal(2, sheet.LastRowUsed().RowNumber());
    }

    [Fact]
    public async Task The_exported_roster_imports_again_without_changing_anything()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();

        var xlsx = await officer.GetByteArrayAsync("/api/streets/houzhai/roster.xlsx");
        var csv = await officer.GetByteArrayAsync("/api/streets/houzhai/roster.csv");
        var (_, fromXlsx) = await officer.ImportAsync(xlsx, "roster.xlsx");
        var (_, fromCsv) = await officer.ImportAsync(csv, "roster.csv");

        // 7 people, 8 tenants, 5 shops: all unchanged, both ways.
        Assert.Equal((0, 0, 20, 0), (fromXlsx!.Created, fromXlsx.Updated, fromXlsx.Unchanged, fromXlsx.Deactivated));
        Assert.Equal((0, 0, 20, 0), (fromCsv!.Created, fromCsv.Updated, fromCsv.Unchanged, fromCsv.Deactivated));
        var rows = CsvRows(csv);
        Assert.Equal(RosterFile.Header, rows[0]);
        Assert.Contains(rows, r => r[2] == "应天乐" && r[3] == "13900000001" && r[5] == "王小明");
    }

    [Fact]
    public async Task Older_people_without_a_phone_are_exported_with_it_empty_and_import_again_without_changing_anything()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        // Records from before a phone was required: the API takes no such person any more.
        await world.Db.WriteAsync(async s =>
        {
            await s.InsertSubjectAsync(new Subject { Id = "old-landlord", StreetId = "houzhai", CommunityId = "fangtang", Kind = SubjectKind.Landlord, Name = "楼无号" }, world.Clock.GetUtcNow());
            await s.InsertTenantAsync(new Tenant { Id = "old-landlord-t1", SubjectId = "old-landlord", Name = "租无号", Room = "102" });
            await s.InsertSubjectAsync(new Subject { Id = "old-shophead", StreetId = "houzhai", CommunityId = "changchun", Kind = SubjectKind.ShopHead, Name = "铺无号" }, world.Clock.GetUtcNow());
        });

        var xlsx = await officer.GetByteArrayAsync("/api/streets/houzhai/roster.xlsx");
        var (dry, dryRun) = await officer.ImportAsync(xlsx, "roster.xlsx", dryRun: true);
        var (applied, result) = await officer.ImportAsync(xlsx, "roster.xlsx");

        Assert.Contains(Sheet(xlsx).RowsUsed(), r => r.Cell(3).GetString() == "楼无号" && r.Cell(4).GetString() == "" && r.Cell(6).GetString() == "租无号");
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (dry.StatusCode, applied.StatusCode));
        // The demo's 7 people, 8 tenants and 5 shops, and the two older people and the tenant: all unchanged.
        Assert.Equal((0, 0, 23, 0), (dryRun!.Created, dryRun.Updated, dryRun.Unchanged, dryRun.Deactivated));
        Assert.Equal((0, 0, 23, 0), (result!.Created, result.Updated, result.Unchanged, result.Deactivated));
        Assert.True((await world.SubjectAsync("old-landlord")).Active);
        Assert.True((await world.SubjectAsync("old-shophead")).Active);
    }

    [Fact]
    public async Task A_secretary_exports_only_their_community()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var rows = CsvRows(await world.Client("secretary-fangtang").GetByteArrayAsync("/api/streets/houzhai/roster.csv"));

        Assert.All(rows.Skip(1), r => Assert.Equal("fangtang", r[1]));
        Assert.Equal(5, rows.Count - 1); // three landlords, five tenants
    }

    [Fact]
    public async Task Cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised_and_read_back_as_text()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var created = await (await officer.PostAsJsonAsync("/api/streets/houzhai/subjects",
            new { kind = "landlord", community = "fangtang", name = "=HYPERLINK(\"http://evil\",\"x\")", phone = "+85291234567" })).JsonAsync();
        var id = created.GetProperty("id").GetString();
        await officer.PostAsJsonAsync($"/api/subjects/{id}/tenants", new { name = "@SUM(A1:A9)", room = "-1+2" });

        var xlsx = await officer.GetByteArrayAsync("/api/streets/houzhai/roster.xlsx");
        var row = Sheet(xlsx).RowsUsed().Single(r => r.Cell(5 + 1).GetString() == "'@SUM(A1:A9)");
        var csv = CsvRowsQuoted(await officer.GetByteArrayAsync("/api/streets/houzhai/roster.csv")).Single(r => r[5] == "'@SUM(A1:A9)");

        Assert.Equal("'=HYPERLINK(\"http://evil\",\"x\")", row.Cell(3).GetString());
        Assert.Equal("'+85291234567", row.Cell(4).GetString());
        Assert.Equal("'-1+2", row.Cell(7).GetString());
        Assert.All(row.Cells(), c => Assert.False(c.HasFormula));
        // Every cell a text cell, none written as a formula. The quote stays in the value too, not just the cell's type:
        // an office that saves the sheet as CSV in Excel (as the import takes it) and opens that CSV again gets no formula.
        Assert.All(new[] { 3, 4, 6, 7 }.Select(c => row.Cell(c)), c => Assert.Equal(XLDataType.Text, c.DataType));
        Assert.DoesNotContain("<x:f", SheetXml(xlsx));
        Assert.Equal(["'=HYPERLINK(\"http://evil\",\"x\")", "'+85291234567", "'@SUM(A1:A9)", "'-1+2"], new[] { csv[2], csv[3], csv[5], csv[6] });
        // And the office's own export imports unchanged: the quote is ours, so it is taken off again.
        var (_, again) = await officer.ImportAsync(await officer.GetByteArrayAsync("/api/streets/houzhai/roster.xlsx"), "roster.xlsx");
        Assert.Equal((0, 0, 0), (again!.Created, again.Updated, again.Deactivated));
    }

    [Fact]
    public async Task The_weeks_ledger_exports_every_event_with_numbers_as_numbers_and_text_neutralised()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var report = await world.Service<Reporting>().ReportAsync(
            new ReportRequest(Actor.Of(secretary), "landlord-1", DefaultRules.NotDisinfected, "test:1", "=cmd|' /C calc'!A0"));
        Assert.True(report.Succeeded, report.Failure?.English);

        var sheet = Sheet(await world.Officer().GetByteArrayAsync("/api/streets/houzhai/ledger/2026-W47.xlsx"));
        var csv = CsvRowsQuoted(await world.Officer().GetByteArrayAsync("/api/streets/houzhai/ledger/2026-W47.csv"));
        var other = CsvRowsQuoted(await world.Client("secretary-changchun").GetByteArrayAsync("/api/streets/houzhai/ledger/2026-W47.csv"));

        Assert.Equal(RosterExport.LedgerHeader, Enumerable.Range(1, RosterExport.LedgerHeader.Count).Select(c => sheet.Cell(1, c).GetString()).ToArray());
        Assert.Equal(report.Value!.Event.Id, sheet.Cell(2, 1).GetString());
        Assert.Equal(XLDataType.Number, sheet.Cell(2, 8).DataType);
        Assert.Equal(-1, sheet.Cell(2, 8).GetValue<int>());
        Assert.Equal("'=cmd|' /C calc'!A0", sheet.Cell(2, 13).GetString());
        Assert.False(sheet.Cell(2, 13).HasFormula);
        Assert.Equal("-1", csv[1][7]);
        Assert.Equal("'=cmd|' /C calc'!A0", csv[1][12]);
        Assert.Single(other); // changchun's secretary sees the header and none of fangtang's events
    }

    [Fact]
    public async Task The_payout_sheet_gives_each_person_s_unredeemed_points_and_yuan_with_redemptions_at_the_yuan_recorded_then()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var secretary = world.Client("secretary-fangtang");
        await world.ScoreAsync("landlord-1");                                  // +2
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);  // +1
        Assert.Equal(HttpStatusCode.Created, (await secretary.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 1, note = "洗衣液" })).StatusCode);
        Assert.True((await officer.PatchAsJsonAsync("/api/streets/houzhai/settings", new { yuanPerPoint = 12.5m })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Created, (await secretary.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 1, note = "食用油" })).StatusCode);
        var revoked = await world.ScoreAsync("landlord-2");
        Assert.Equal(HttpStatusCode.Created, (await secretary.PostAsJsonAsync("/api/subjects/landlord-2/redemptions", new { points = 2, note = "大米" })).StatusCode);
        Assert.True((await secretary.PostAsJsonAsync($"/api/events/{revoked}/revoke", new { reason = "核实为误报" })).IsSuccessStatusCode);
        await world.ScoreAsync("landlord-3");
        Assert.True((await officer.PostAsync("/api/subjects/landlord-3/deactivate", null)).IsSuccessStatusCode); // moved away, still owed
        Assert.True((await officer.PostAsync("/api/subjects/landlord-4/deactivate", null)).IsSuccessStatusCode); // owed nothing

        var sheet = Sheet(await officer.GetByteArrayAsync("/api/streets/houzhai/rewards.xlsx"));
        var csv = CsvRows(await secretary.GetByteArrayAsync("/api/streets/houzhai/rewards.csv"));

        Assert.Equal(Rewards.PayoutHeader, Enumerable.Range(1, 13).Select(c => sheet.Cell(1, c).GetString()));
        var rows = Enumerable.Range(2, sheet.LastRowUsed().RowNumber() - 1).ToDictionary(r => sheet.Cell(r, 1).GetString(), r => sheet.Row(r));
        Assert.DoesNotContain("landlord-4", rows.Keys);
        Assert.Contains("shophead-1", rows.Keys);
        var first = rows["landlord-1"];
        Assert.Equal(("应天乐", "13900000001", "是"), (first.Cell(3).GetString(), first.Cell(4).GetString(), first.Cell(6).GetString()));
        // 3 earned, 2 redeemed for 10 + 12.5 yuan, none overdrawn, 1 left at today's 12.5.
        Assert.Equal([3, 2, 22.5, 0, 1, 12.5, 12.5], Enumerable.Range(7, 7).Select(c => first.Cell(c).GetDouble()));
        Assert.Equal("0.00", first.Cell(9).Style.NumberFormat.Format);
        Assert.Equal([0, 2, 25, 2, 0, 12.5, 0], Enumerable.Range(7, 7).Select(c => rows["landlord-2"].Cell(c).GetDouble()));
        Assert.Equal(("否", 2, 25.0), (rows["landlord-3"].Cell(6).GetString(), rows["landlord-3"].Cell(11).GetDouble(), rows["landlord-3"].Cell(13).GetDouble()));
        // The secretary's: 方塘村 only, yuan written to the fen.
        Assert.All(csv.Skip(1), r => Assert.Equal("fangtang", r[4]));
        Assert.Contains(csv, r => r[0] == "landlord-1" && r[8] == "22.50" && r[12] == "12.50");
    }

    [Fact]
    public async Task A_csv_field_holding_a_semicolon_or_a_tab_is_quoted_so_no_part_of_it_becomes_a_cell_of_its_own()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        // Excel where the list separator is ';' (much of Europe), or a text import split on tabs, cuts an unquoted field
        // there: the part after it is a cell of its own, beginning with '=', which no leading quote covered.
        const string evidence = "楼道脏;=1+1\t@SUM(1)";
        var report = await world.Service<Reporting>().ReportAsync(new ReportRequest(Actor.Of(secretary), "landlord-1", DefaultRules.NotDisinfected, "test:1", evidence));
        Assert.True(report.Succeeded, report.Failure?.English);

        var csv = Encoding.UTF8.GetString(await world.Officer().GetByteArrayAsync("/api/streets/houzhai/ledger/2026-W47.csv"));

        Assert.Contains($",\"{evidence}\",", csv); // the decision's columns follow it
    }

    /// <summary>Just enough CSV reading for the ledger: fields here hold no commas or quotes except the evidence.</summary>
    private static List<string[]> CsvRowsQuoted(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.RegularExpressions.Regex.Split(l, ",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)").Select(f => f.Trim('"').Replace("\"\"", "\"")).ToArray()).ToList();

    [Fact]
    public async Task An_enrolment_sheet_gives_each_unbound_person_of_the_community_a_fresh_code_and_QR()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("secretary-changchun").PostKeyedAsync("/api/communities/changchun/enrolment-sheet");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var cards = page.QuerySelectorAll(".card");
        Assert.Equal(4, cards.Length); // two landlords, two shop heads
        Assert.Equal(new[] { "吴丽娜", "李春梅", "王强生", "董宝华" }.Order(StringComparer.Ordinal), cards.Select(c => c.QuerySelector(".name")!.TextContent).Order(StringComparer.Ordinal));
        Assert.All(cards, c => Assert.StartsWith("data:image/png;base64,iVBOR", c.QuerySelector("img")!.GetAttribute("src")));
        // The printed code binds a chat account.
        var code = cards[0].QuerySelector(".code")!.TextContent;
        var bound = await world.Service<Enrolment>().BindAsync("test", "user-1", code);
        Assert.True(bound.Succeeded, bound.Failure?.English);
        var again = new HtmlParser().ParseDocument(await (await world.Client("secretary-changchun").PostKeyedAsync("/api/communities/changchun/enrolment-sheet")).Content.ReadAsStringAsync());
        Assert.Equal(3, again.QuerySelectorAll(".card").Length); // the bound person needs no new code
    }

    [Fact]
    public async Task An_enrolment_sheet_is_issued_only_with_a_key_so_that_a_retry_does_not_void_the_sheet_just_printed()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-changchun");
        HttpRequestMessage Keyed() => new(HttpMethod.Post, "/api/communities/changchun/enrolment-sheet") { Headers = { { Scoring.Service.Features.Idempotency.Header, "sheet-1" } } };

        var printed = await secretary.SendAsync(Keyed());
        var code = new HtmlParser().ParseDocument(await printed.Content.ReadAsStringAsync()).QuerySelector(".card .code")!.TextContent;
        // Sent again, its answer lost: with the key it is the same sheet; without one it is refused, issuing nothing.
        var retried = await secretary.SendAsync(Keyed());
        var unkeyed = await secretary.PostAsync("/api/communities/changchun/enrolment-sheet", null);

        Assert.Equal(HttpStatusCode.OK, printed.StatusCode);
        Assert.Equal("true", retried.Headers.GetValues(Scoring.Service.Features.Idempotency.ReplayedHeader).Single());
        Assert.Equal((HttpStatusCode)428, unkeyed.StatusCode);
        Assert.Equal("idempotency-key-required", (await unkeyed.JsonAsync()).GetProperty("code").GetString());
        var bound = await world.Service<Enrolment>().BindAsync("test", "user-1", code);
        Assert.True(bound.Succeeded, bound.Failure?.English);
    }

    [Fact]
    public async Task The_weeks_ledger_appends_who_decided_each_event_when_and_why_after_the_columns_it_always_had()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var revoked = await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(2));
        Assert.True((await world.Client("secretary-fangtang").PostAsJsonAsync($"/api/events/{revoked}/revoke", new { reason = "核实为误报" })).IsSuccessStatusCode);
        var secretary = await world.StaffAsync("secretary-fangtang");

        var csv = CsvRowsQuoted(await world.Officer().GetByteArrayAsync("/api/streets/houzhai/ledger/2026-W47.csv"));
        var sheet = Sheet(await world.Officer().GetByteArrayAsync("/api/streets/houzhai/ledger/2026-W47.xlsx"));

        Assert.Equal(["编号", "社区", "对象编号", "对象", "类型", "规则", "规则名称", "分值", "状态", "发生时间", "上报时间", "上报人", "说明", "核查时间", "核查人", "原因"], csv[0]);
        var row = csv.Single(r => r[0] == revoked);
        Assert.Equal(("已撤销", "2026-11-18 11:00", secretary.Name, "核实为误报"), (row[8], row[13], row[14], row[15]));
        Assert.Equal("核实为误报", sheet.Cell(2, 16).GetString());
    }
}
