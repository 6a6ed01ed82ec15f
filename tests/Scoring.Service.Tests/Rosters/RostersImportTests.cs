using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using Scoring.Domain;
using Scoring.Storage;
using Xunit.Abstractions;

namespace Scoring.Service.Tests.Rosters;

public sealed class RostersImportTests(ITestOutputHelper log)
{
    private static string[] Row(params string[] cells) => cells;

    /// <summary>The one problem of a report, as (row, column, code).</summary>
    private static (int Row, string? Column, string Code) Only(ImportResult? result)
    {
        var e = Assert.Single(result!.Errors);
        return (e.Row, e.Column, e.Code);
    }

    private static async Task<JsonElement[]> SubjectsAsync(HttpClient client, string community)
    {
        var body = await (await client.GetAsync($"/api/streets/houzhai/subjects?community={community}")).JsonAsync();
        return body.GetProperty("items").EnumerateArray().ToArray();
    }

    [Fact]
    public async Task An_xlsx_roster_creates_landlords_with_their_tenants_and_shop_heads_with_their_shops()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var file = RosterFile.Xlsx(
        [
            RosterFile.Header,
            Row("房东", "fangtang", "楼新民", "13711110001", "方塘村1号楼", "许佳", "301", "13622220001"),
            Row("房东", "fangtang", "楼新民", "13711110001", "方塘村1号楼", "何斌", "302", ""),
            Row("铺长", "changchun", "金海燕", "13711110002", "", "海燕服饰", "", ""),
            Row("房东", "changchun", "周国平", "13711110003", "", "", "", ""),
        ]);

        var (response, result) = await officer.ImportAsync(file, "roster.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(result!.Errors);
        Assert.True(result.Applied);
        // 3 people + 2 tenants + 1 shop; the demo people of both communities are not in the file, so they leave the lists.
        Assert.Equal(6, result.Created); // the grid 方塘村1号楼 exists: found by its name
        Assert.Equal(7, result.Deactivated);
        var fangtang = await SubjectsAsync(officer, "fangtang");
        var lou = Assert.Single(fangtang);
        Assert.Equal("楼新民", lou.GetProperty("name").GetString());
        Assert.Equal("13711110001", lou.GetProperty("phone").GetString());
        Assert.Equal(2, lou.GetProperty("tenants").GetInt32());
        var tenants = await (await officer.GetAsync($"/api/subjects/{lou.GetProperty("id").GetString()}/tenants")).JsonAsync();
        Assert.Equal(["何斌", "许佳"], tenants.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Order().ToArray());
        var changchun = await SubjectsAsync(officer, "changchun");
        Assert.Equal(["周国平", "金海燕"], changchun.Select(s => s.GetProperty("name").GetString()!).Order().ToArray());
        Assert.Equal(1, changchun.Single(s => s.GetProperty("name").GetString() == "金海燕").GetProperty("shops").GetInt32());
    }

    [Fact]
    public async Task One_person_who_lets_rooms_and_heads_shops_is_entered_as_a_landlord_and_a_shop_head_under_one_phone()
    {
        // One person, one phone, two rows of the office's sheet: each type is a record of its own (its own lists and score),
        // found again by type and phone on the next import.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var file = RosterFile.Xlsx(
        [
            RosterFile.Header,
            Row("房东", "changchun", "金海燕", "13711110002", "", "许佳", "301", ""),
            Row("铺长", "changchun", "金海燕", "13711110002", "", "海燕服饰", "", ""),
            Row("铺长", "changchun", "金海燕", "13711110002", "", "海燕二店", "", ""),
        ]);

        var (response, result) = await officer.ImportAsync(file, "roster.xlsx");
        var (_, again) = await officer.ImportAsync(file, "roster.xlsx");

        Assert.True(response.StatusCode == HttpStatusCode.OK, string.Join("; ", result!.Errors.Select(e => $"{e.Row} {e.Column} {e.Code}")));
        Assert.Equal(5, result.Created); // two records, a tenant and two shops
        var jin = (await SubjectsAsync(officer, "changchun")).Where(x => x.GetProperty("name").GetString() == "金海燕").ToArray();
        Assert.Equal(["landlord", "shop-head"], jin.Select(x => x.GetProperty("kind").GetString()!).Order().ToArray());
        Assert.All(jin, x => Assert.Equal("13711110002", x.GetProperty("phone").GetString()));
        Assert.Equal(2, jin.Single(x => x.GetProperty("kind").GetString() == "shop-head").GetProperty("shops").GetInt32());
        Assert.Equal((0, 0, 0, 5), (again!.Created, again.Updated, again.Deactivated, again.Unchanged));
        // Said, in case a type was mistyped on a row.
        Assert.Equal(3, result.Notices!.Single(n => n.Code == "phone-both-kinds").Row);
    }

    [Fact]
    public async Task A_shop_listed_under_two_shop_heads_of_one_community_is_said_in_a_notice()
    {
        // A shop moved to another head, its old row left in place: both heads answer for it, and a deduction naming the shop
        // can be charged to neither.
        await using var world = await ServiceWorld.CreateAsync();
        var file = RosterFile.Xlsx(
        [
            RosterFile.Header,
            Row("铺长", "changchun", "王强生", "13900000011", "", "饰品店", "", ""),
            Row("铺长", "changchun", "王强生", "13900000011", "", "汽配一号店", "", ""),
            Row("铺长", "changchun", "吴丽娜", "13900000012", "", "长春五金", "", ""),
            Row("铺长", "changchun", "吴丽娜", "13900000012", "", "饰品店", "", ""),
        ]);

        var (response, result) = await world.Officer().ImportAsync(file, "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notice = Assert.Single(result!.Notices!, n => n.Code == "shop-two-heads");
        Assert.Equal((5, "租客或店铺"), (notice.Row, notice.Column));
        Assert.Contains("第2行", notice.Problem);
    }

    [Fact]
    public async Task Importing_the_same_file_twice_changes_nothing_the_second_time()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var file = RosterFile.Xlsx(RosterFile.Landlords(20));

        var (firstResponse, first) = await officer.ImportAsync(file, "roster.xlsx");
        Assert.True(first is not null, $"{firstResponse.StatusCode}: {await firstResponse.Content.ReadAsStringAsync()}");
        var (response, second) = await officer.ImportAsync(file, "roster.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(20 + 40, first!.Created);
        Assert.Equal((0, 0, 60, 0), (second!.Created, second.Updated, second.Unchanged, second.Deactivated));
    }

    [Fact]
    public async Task A_changed_row_updates_only_what_changed_and_a_missing_tenant_is_deactivated_not_deleted()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        await officer.ImportAsync(RosterFile.Xlsx(RosterFile.Landlords(3)), "roster.xlsx");
        var changed = RosterFile.Landlords(3).ToList();
        changed[1] = Row("房东", "fangtang", "房东0", "13700000000", "方塘村1号楼", "租客0甲", "999", ""); // a new room
        changed.RemoveAt(2); // 租客0乙 moved out

        var (_, result) = await officer.ImportAsync(RosterFile.Xlsx(changed), "roster.xlsx");

        Assert.Equal((0, 1, 7, 1), (result!.Created, result.Updated, result.Unchanged, result.Deactivated));
        var landlord = (await SubjectsAsync(officer, "fangtang")).Single(s => s.GetProperty("name").GetString() == "房东0");
        var all = await (await officer.GetAsync($"/api/subjects/{landlord.GetProperty("id").GetString()}/tenants?includeInactive=true")).JsonAsync();
        var gone = all.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "租客0乙");
        Assert.False(gone.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_GBK_csv_as_Chinese_Excel_saves_it_imports_like_the_xlsx()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var rows = new[]
        {
            RosterFile.Header,
            Row("房东", "fangtang", "楼新民", "137 1111 0001", "", "许佳", "301", ""),
            Row("铺长", "changchun", "金海燕", "13711110002", "", "海燕服饰, 二店", "", ""),
        };

        var (response, result) = await officer.ImportAsync(RosterFile.Csv(rows, RosterFile.Gbk), "花名册.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(result!.Errors);
        var lou = Assert.Single(await SubjectsAsync(officer, "fangtang"));
        Assert.Equal("楼新民", lou.GetProperty("name").GetString());
        Assert.Equal("13711110001", lou.GetProperty("phone").GetString());
        var jin = (await SubjectsAsync(officer, "changchun")).Single(s => s.GetProperty("name").GetString() == "金海燕");
        var shops = await (await officer.GetAsync($"/api/subjects/{jin.GetProperty("id").GetString()}/shops")).JsonAsync();
        Assert.Equal("海燕服饰, 二店", shops.GetProperty("items")[0].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_UTF8_csv_imports_with_or_without_a_byte_order_mark(bool bom)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var rows = new[] { RosterFile.Header, Row("房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", "") };

        var (response, result) = await world.Officer().ImportAsync(RosterFile.Csv(rows, new UTF8Encoding(false), bom), "roster.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, result!.Created);
    }

    [Fact]
    public async Task Five_thousand_rows_from_xlsx_and_from_GBK_csv_import_in_a_few_seconds()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var rows = RosterFile.Landlords(2500).ToList(); // 5,000 rows under the header
        var xlsx = RosterFile.Xlsx(rows);
        var csv = RosterFile.Csv(RosterFile.Landlords(2500, firstPhone: 50_000), RosterFile.Gbk);

        var clock = Stopwatch.StartNew();
        var (response, result) = await officer.ImportAsync(xlsx, "big.xlsx");
        var xlsxTime = clock.Elapsed;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2500 + 5000, result!.Created);

        clock.Restart();
        var (again, same) = await officer.ImportAsync(xlsx, "big.xlsx");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(7500, same!.Unchanged);
        var reimportTime = clock.Elapsed;

        clock.Restart();
        var (csvResponse, replaced) = await officer.ImportAsync(csv, "big.csv");
        var csvTime = clock.Elapsed;
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal((7500, 2500), (replaced!.Created, replaced.Deactivated)); // other phones: other people

        log.WriteLine($"5,000 rows: xlsx {xlsxTime.TotalSeconds:F1} s, re-import {reimportTime.TotalSeconds:F1} s, GBK csv {csvTime.TotalSeconds:F1} s");
        // Generous on a shared two-core machine; the point is seconds, not minutes.
        Assert.True(xlsxTime < TimeSpan.FromSeconds(20), $"xlsx import took {xlsxTime}");
        Assert.True(reimportTime < TimeSpan.FromSeconds(20), $"re-import took {reimportTime}");
        Assert.True(csvTime < TimeSpan.FromSeconds(20), $"csv import took {csvTime}");
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_happen_and_writes_nothing()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();

        var (response, result) = await officer.ImportAsync(RosterFile.Xlsx(RosterFile.Landlords(5)), "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(result!.DryRun);
        Assert.False(result.Applied);
        Assert.Equal(15, result.Created);
        Assert.Equal(3, (await SubjectsAsync(officer, "fangtang")).Length); // still the demo's three
    }

    [Fact]
    public async Task Wrong_cells_are_reported_by_row_and_column_and_nothing_is_written()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var file = RosterFile.Xlsx(
        [
            RosterFile.Header,
            Row("房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", ""),   // row 2: fine
            Row("租户", "fangtang", "王五", "13711110002", "", "", "", ""),            // row 3: no such type
            Row("房东", "nowhere", "赵六", "13711110003", "", "", "", ""),             // row 4: unknown community
            Row("房东", "fangtang", "钱七", "not a phone", "", "", "", ""),            // row 5: phone
            Row("房东", "fangtang", "", "13711110005", "", "", "", ""),                // row 6: empty name
            Row("房东", "fangtang", new string('长', 51), "13711110006", "", "", "", ""), // row 7: name too long
            Row("房东", "fangtang", "楼新民", "13711110001", "", "许佳", "302", ""),   // row 8: a second 许佳 of row 2's landlord
            Row("铺长", "fangtang", "楼新明", "13711110001", "", "新店", "", ""),      // row 9: same phone, other type, another name
            Row("房东", "fangtang", "孙八", "13711110009", "", "", "", "12"),          // row 10: contact phone, no tenant
        ]);

        var (response, result) = await officer.ImportAsync(file, "roster.xlsx");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.False(result!.Applied);
        Assert.Equal(
        [
            (3, "类型", "type-invalid"),
            (4, "社区", "community-unknown"),
            (5, "电话", "phone-invalid"),
            (6, "姓名", "name-empty"),
            (7, "姓名", "name-too-long"),
            (8, "租客或店铺", "holding-same-name"),
            (9, "姓名", "person-inconsistent"),
            (10, "联系电话", "phone-invalid"),
            (10, "租客或店铺", "holding-required"),
        ], result.Errors.Select(e => (e.Row, e.Column, e.Code)).ToArray());
        Assert.Contains("第2行", result.Errors.Single(e => e.Row == 8).Problem);
        Assert.Equal(3, (await SubjectsAsync(officer, "fangtang")).Length);
    }

    [Fact]
    public async Task Every_wrong_row_is_reported_at_once_those_wrong_against_the_street_beside_those_wrong_in_themselves()
    {
        // A wrong cell hid every problem found against what the street has (a phone of another kind, eleven shops): the office
        // fixed row 2, uploaded again, and only then learnt of rows 3 and 4.
        await using var world = await ServiceWorld.CreateAsync();
        var rows = new List<string[]>
        {
            RosterFile.Header,
            Row("房东", "fangtang", "楼新民", "1371111000", "", "许佳", "301", ""),  // row 2: a digit short
            Row("房东", "changchun", "某人", "13900000011", "", "", "", ""),        // row 3: 王强生's phone, a shop head's
        };
        for (int i = 1; i <= 11; i++) rows.Add(Row("铺长", "changchun", "金海燕", "13711110002", "", $"店{i}", "", "")); // rows 4–14

        var (response, result) = await world.Officer().ImportAsync(RosterFile.Xlsx(rows), "roster.xlsx");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal([(2, "电话", "phone-invalid"), (3, "电话", "phone-taken"), (14, "租客或店铺", "shop-limit")],
            result!.Errors.Select(e => (e.Row, e.Column, e.Code)).Order().ToArray());
        Assert.Equal((0, 0, 0, 0), (result.Created, result.Updated, result.Unchanged, result.Deactivated)); // nothing is done
    }

    [Fact]
    public async Task A_community_written_by_its_name_or_its_id_in_capitals_or_full_width_and_a_type_in_English_capitals_are_understood()
    {
        // Offices type 方塘村, not fangtang, and an IME leaves ｆａｎｇｔａｎｇ: each was 'no community' in this street.
        await using var world = await ServiceWorld.CreateAsync();
        var file = RosterFile.Xlsx(
        [
            RosterFile.Header,
            Row("房东", "方塘村", "楼新民", "13711110001", "", "许佳", "301", ""),
            Row("Landlord", "FANGTANG", "楼新", "13711110002", "", "", "", ""),
            Row("SHOP-HEAD", "ｃｈａｎｇｃｈｕｎ", "金海燕", "13711110003", "", "海燕服饰", "", ""),
            Row("房东", "长春", "周国平", "13711110004", "", "", "", ""), // no community is called so
        ]);

        var (response, result) = await world.Officer().ImportAsync(file, "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = Assert.Single(result!.Errors);
        Assert.Equal((5, "社区", "community-unknown"), (problem.Row, problem.Column, problem.Code));
        Assert.Contains("fangtang（方塘村）", problem.Problem); // the problem says what the street's communities are
    }

    [Fact]
    public async Task Two_tenants_of_one_landlord_with_the_same_name_in_different_rooms_are_told_apart_not_called_a_repeat()
    {
        // Row 3 was 'repeats row 2', though it is another 张伟 in another room: the office looked for a copy that was not there.
        await using var world = await ServiceWorld.CreateAsync();
        var file = RosterFile.Xlsx(
        [
            RosterFile.Header,
            Row("房东", "fangtang", "楼新民", "13711110001", "", "张伟", "101", ""),
            Row("房东", "fangtang", "楼新民", "13711110001", "", "张伟", "202", "13622220002"),
            Row("房东", "fangtang", "楼新民", "13711110001", "", "张伟", "101", ""), // this one is a copy of row 2
        ]);

        var (_, result) = await world.Officer().ImportAsync(file, "roster.xlsx", dryRun: true);

        Assert.Equal([(3, "租客或店铺", "holding-same-name"), (4, "租客或店铺", "duplicate-row")], result!.Errors.Select(e => (e.Row, e.Column, e.Code)).ToArray());
        Assert.Contains("张伟（202）", result.Errors[0].Problem);
        Assert.Contains("第2行", result.Errors[1].Problem);
    }

    [Fact]
    public async Task Names_that_show_blank_are_reported_by_row_and_column_and_a_persian_name_with_its_non_joiner_is_taken()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var file = RosterFile.Xlsx(
        [
            RosterFile.Header,
            Row("房东", "fangtang", "\u3164", "13711110001", "", "", "", ""),            // row 2: a Hangul filler alone
            Row("房东", "fangtang", "\u3164楼新民\u3164", "13711110002", "", "", "", ""), // row 3: padded with it
            Row("房东", "fangtang", "楼新民", "13711110003", "", "\u2800", "301", ""),   // row 4: a blank Braille tenant
            Row("房东", "fangtang", "楼新民", "13711110004", "", "علی\u200cاکبر", "302", ""), // row 5: fine
        ]);

        var (response, result) = await world.Officer().ImportAsync(file, "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(
        [
            (2, "姓名", "name-control"),
            (3, "姓名", "name-control"),
            (4, "租客或店铺", "name-control"),
        ], result!.Errors.Select(e => (e.Row, e.Column, e.Code)).ToArray());
    }

    [Fact]
    public async Task Missing_or_misplaced_columns_are_reported_on_the_header_row()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var file = RosterFile.Xlsx(
        [
            ["类型", "社区", "电话", "姓名", "网格", "租客或店铺", "房间"],
            ["房东", "fangtang", "13711110001", "楼新民", "", "许佳", "301"],
        ]);

        var (response, result) = await world.Officer().ImportAsync(file, "roster.xlsx");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(
        [
            (1, "姓名", "column-order"),
            (1, "电话", "column-order"),
            (1, "联系电话", "column-missing"),
        ], result!.Errors.Select(e => (e.Row, e.Column, e.Code)).ToArray());
    }

    [Fact]
    public async Task A_text_file_with_no_roster_header_at_all_is_one_problem_naming_the_header_not_eight()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var letter = Encoding.UTF8.GetBytes("关于报送花名册的通知\r\n各社区：请于本周五前报送。\r\n");

        var (response, result) = await world.Officer().ImportAsync(letter, "通知.csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = Assert.Single(result!.Errors);
        Assert.Equal((1, (string?)null, "header-missing"), (problem.Row, problem.Column, problem.Code));
        Assert.Contains("类型,社区,姓名,电话,网格,租客或店铺,房间,联系电话", problem.Problem);
    }

    [Fact]
    public async Task An_empty_sheet_and_a_header_without_rows_are_refused()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();

        var (emptyResponse, empty) = await officer.ImportAsync(RosterFile.Xlsx([]), "empty.xlsx");
        var (headerResponse, headerOnly) = await officer.ImportAsync(RosterFile.Xlsx([RosterFile.Header]), "header.xlsx");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, emptyResponse.StatusCode);
        Assert.Equal((1, (string?)null, "empty"), Only(empty));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, headerResponse.StatusCode);
        Assert.Equal("no-rows", Assert.Single(headerOnly!.Errors).Code);
    }

    [Fact]
    public async Task Bytes_that_are_neither_UTF8_nor_GB18030_are_reported_on_their_rows()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var good = Encoding.UTF8.GetBytes(RosterFile.CsvText([RosterFile.Header, Row("房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", "")]));
        // Row 3 carries bytes no encoding we accept can read (0xFF is never valid in UTF-8 or GB18030).
        var broken = good.Concat(Encoding.UTF8.GetBytes("房东,fangtang,王")).Concat(new byte[] { 0xFF, 0xFF }).Concat(Encoding.UTF8.GetBytes(",13711110002,,,,\r\n")).ToArray();

        var (response, result) = await world.Officer().ImportAsync(broken, "broken.csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = Assert.Single(result!.Errors);
        Assert.Equal((3, "encoding-broken"), (problem.Row, problem.Code));
    }

    [Fact]
    public async Task A_file_that_is_not_a_spreadsheet_is_refused_as_unreadable()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var (response, result) = await world.Officer().ImportAsync("PK\u0003\u0004 not really a zip"u8.ToArray(), "roster.xlsx");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal((0, "file-unreadable"), (Only(result).Row, Only(result).Code));
    }

    [Fact]
    public async Task An_upload_over_50_MB_is_refused_with_413()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var (response, _) = await world.Officer().ImportAsync(new byte[52 * 1024 * 1024], "huge.csv");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("file-too-large", (await response.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_upload_without_the_file_field_is_a_bad_request()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var form = new MultipartFormDataContent { { new StringContent("x"), "other" } };

        var response = await world.Officer().PostAsync("/api/streets/houzhai/roster/import", form);
        var json = await world.Officer().PostAsJsonAsync("/api/streets/houzhai/roster/import", new { file = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }

    [Fact]
    public async Task Two_files_in_the_field_file_are_refused_rather_than_importing_the_first_and_dropping_the_other()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(RosterFile.Xlsx(RosterFile.Landlords(2))), "file", "方塘村.xlsx");
        form.Add(new ByteArrayContent(RosterFile.Xlsx(RosterFile.Landlords(2, firstPhone: 50, community: "changchun"))), "file", "长春社区.xlsx");

        var response = await world.Officer().PostAsync("/api/streets/houzhai/roster/import", form);
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("file-twice", problem.GetProperty("code").GetString());
        Assert.Contains("2", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n类型,社区")] // ends before its closing boundary
    [InlineData("boundary=xyz", "--xyz\r\nnot a header\r\n\r\ndata\r\n--xyz--\r\n")]
    [InlineData("", "--xyz\r\n\r\ndata\r\n--xyz--\r\n")] // no boundary at all
    public async Task A_malformed_multipart_upload_is_a_bad_request_not_a_500_or_a_too_large(string parameters, string body)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; {parameters}".TrimEnd(' ', ';'));

        var response = await world.Officer().PostAsync("/api/streets/houzhai/roster/import", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("multipart-malformed", (await response.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_shop_head_over_the_shop_limit_is_reported_on_the_eleventh_shop()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var rows = new List<string[]> { RosterFile.Header };
        for (int i = 1; i <= 11; i++) rows.Add(Row("铺长", "changchun", "金海燕", "13711110002", "", $"店{i}", "", ""));

        var (response, result) = await world.Officer().ImportAsync(RosterFile.Xlsx(rows), "roster.xlsx");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal((12, "租客或店铺", "shop-limit"), Only(result));
    }

    [Fact]
    public async Task A_secretary_imports_only_rows_of_their_community()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-fangtang");
        var file = RosterFile.Xlsx(
        [
            RosterFile.Header,
            Row("房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", ""),
            Row("房东", "changchun", "周国平", "13711110003", "", "", "", ""),
        ]);

        var (refused, errors) = await secretary.ImportAsync(file, "roster.xlsx");
        var (accepted, result) = await secretary.ImportAsync(RosterFile.Xlsx(RosterFile.Landlords(2)), "roster.xlsx");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal((3, "社区", "community-outside-scope"), Only(errors));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(3, result!.Deactivated); // fangtang's three demo landlords; changchun untouched
        Assert.Equal(7 - 3 + 2, (await SubjectsAsync(world.Officer(), "fangtang")).Length + (await SubjectsAsync(world.Officer(), "changchun")).Length);
    }

    [Fact]
    public async Task A_file_of_only_newcomers_tells_the_secretary_that_it_takes_most_of_the_community_off_the_roster()
    {
        // The file is the community's whole roster: a secretary sending only the two landlords new this month would take
        // the other three off, and the report said nothing beyond 'deactivated: 3'.
        await using var world = await ServiceWorld.CreateAsync();
        var file = RosterFile.Xlsx(RosterFile.Landlords(2));

        var (response, result) = await world.Client("secretary-fangtang").ImportAsync(file, "new.xlsx", dryRun: true);
        var (_, whole) = await world.Officer().ImportAsync(await world.Officer().GetByteArrayAsync("/api/streets/houzhai/roster.xlsx"), "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, result!.Deactivated);
        var notice = Assert.Single(result.Notices!);
        Assert.Equal((0, "社区", "community-mostly-leaving"), (notice.Row, notice.Column, notice.Code));
        Assert.Contains("方塘村", notice.Problem);
        Assert.Contains("导出", notice.Problem);
        Assert.Empty(whole!.Notices!);
    }

    [Fact]
    public async Task A_file_whose_rows_are_refused_is_not_told_that_their_people_leave_the_roster()
    {
        // Excel turned three phones into 1.39E+10: those people are in the file; the refused rows only need mending.
        await using var world = await ServiceWorld.CreateAsync();
        var export = System.Text.Encoding.UTF8.GetString(await world.Officer().GetByteArrayAsync("/api/streets/houzhai/roster.csv"));
        var mangled = System.Text.RegularExpressions.Regex.Replace(export, "1390000000[123]", "1.39E+10");

        var (response, result) = await world.Officer().ImportAsync(System.Text.Encoding.UTF8.GetBytes(mangled), "roster.csv", dryRun: true);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotEmpty(result!.Errors);
        Assert.Empty(result.Notices ?? []);
    }

    [Fact]
    public async Task A_row_without_a_phone_is_refused_unless_it_is_an_older_record_without_one()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.Db.WriteAsync(s => s.InsertSubjectAsync(
            new Subject { Id = "old-landlord", StreetId = "houzhai", CommunityId = "fangtang", Kind = SubjectKind.Landlord, Name = "楼无号" }, world.Clock.GetUtcNow()));
        var file = RosterFile.Xlsx(
        [
            RosterFile.Header,
            Row("房东", "fangtang", "楼无号", "", "", "租无号", "102", ""), // row 2: the older record, found by type, community and name
            Row("房东", "fangtang", "新无号", "", "", "", "", ""),         // row 3: a new person
            Row("铺长", "fangtang", "楼无号", "", "", "", "", ""),         // row 4: another type is another person
        ]);

        var (response, result) = await world.Officer().ImportAsync(file, "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal([(3, "电话", "phone-required"), (4, "电话", "phone-required")], result!.Errors.Select(e => (e.Row, e.Column, e.Code)).ToArray());
    }

    [Fact]
    public async Task A_taken_phone_names_its_holder_only_to_whoever_may_read_them()
    {
        await using var world = await ServiceWorld.CreateAsync();
        // 13900000011 is 王强生, a shop head of changchun, whom fangtang's secretary may not read.
        var file = RosterFile.Csv([RosterFile.Header, Row("房东", "fangtang", "某人", "13900000011", "", "", "", "")], Encoding.UTF8);

        var (outsider, hidden) = await world.Client("secretary-fangtang").ImportAsync(file, "roster.csv", dryRun: true);
        var (_, named) = await world.Officer().ImportAsync(file, "roster.csv", dryRun: true);

        Assert.Equal((2, "电话", "phone-taken"), Only(hidden));
        var body = await outsider.Content.ReadAsStringAsync();
        Assert.DoesNotContain("王强生", body);
        Assert.DoesNotContain("changchun", body);
        Assert.Equal((2, "电话", "phone-taken"), Only(named));
        Assert.Contains("王强生", named!.Errors[0].Problem);
    }

    [Fact]
    public async Task Merged_cells_of_a_person_spanning_their_rows_read_as_the_person_on_every_row()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var workbook = new XLWorkbook();
        var ws = workbook.Worksheets.Add("花名册");
        for (int c = 0; c < 8; c++) ws.Cell(1, c + 1).SetValue(RosterFile.Header[c]);
        string[] person = ["房东", "fangtang", "楼新民", "13711110001", "方塘村1号楼"];
        for (int c = 0; c < 5; c++) { ws.Cell(2, c + 1).SetValue(person[c]); ws.Range(2, c + 1, 4, c + 1).Merge(); }
        ws.Cell(2, 6).SetValue("许佳"); ws.Cell(3, 6).SetValue("何斌"); ws.Cell(4, 6).SetValue("林芳");
        using var output = new MemoryStream();
        workbook.SaveAs(output);

        var (response, result) = await world.Officer().ImportAsync(output.ToArray(), "merged.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, result!.Created);
    }

    [Fact]
    public async Task The_template_imports_as_nothing_and_its_example_row_is_skipped_when_the_office_fills_in_below_it()
    {
        // The example row (张三 with tenant 李四 in the street's first community) imported as it was made 张三 a landlord
        // and took every other landlord and shop head of that community off the roster.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var template = await officer.GetByteArrayAsync("/api/streets/houzhai/roster/template.xlsx");
        var (asIs, nothing) = await officer.ImportAsync(template, "template.xlsx");
        using var workbook = new XLWorkbook(new MemoryStream(template));
        string[] row = ["房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", ""];
        for (int c = 0; c < row.Length; c++) workbook.Worksheets.First().Cell(3, c + 1).SetValue(row[c]);
        using var filled = new MemoryStream();
        workbook.SaveAs(filled);

        var (_, result) = await officer.ImportAsync(filled.ToArray(), "filled.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, asIs.StatusCode);
        Assert.Equal((0, 0, 0), (nothing!.Created, nothing.Updated, nothing.Deactivated));
        Assert.Contains("示例", Assert.Single(nothing.Errors).Problem);
        Assert.Equal(3, (await SubjectsAsync(officer, "fangtang")).Length); // still the demo's three
        Assert.Empty(result!.Errors);
        Assert.Equal((2, 3), (result.Created, result.Deactivated)); // 楼新民 and 许佳; no 张三, no 李四, no grid 1号楼
    }

    [Fact]
    public async Task A_workbook_whose_first_sheets_are_notes_or_hidden_lists_is_read_from_the_sheet_with_the_roster_header()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var workbook = new XLWorkbook();
        workbook.Worksheets.Add("填表说明").Cell(1, 1).SetValue("每个租客一行，同一房东重复填写");
        var lists = workbook.Worksheets.Add("下拉选项");
        lists.Cell(1, 1).SetValue("房东"); lists.Cell(2, 1).SetValue("铺长");
        lists.Hide();
        var roster = workbook.Worksheets.Add("花名册");
        string[][] rows = [RosterFile.Header, ["房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", ""]];
        for (int r = 0; r < rows.Length; r++) for (int c = 0; c < 8; c++) roster.Cell(r + 1, c + 1).SetValue(rows[r][c]);
        using var output = new MemoryStream();
        workbook.SaveAs(output);

        var (response, result) = await world.Officer().ImportAsync(output.ToArray(), "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, result!.Created);
    }

    [Fact]
    public async Task A_hidden_sheet_holding_last_year_s_roster_before_the_visible_one_is_not_the_one_read()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var workbook = new XLWorkbook();
        void Fill(IXLWorksheet sheet, string[][] rows)
        {
            for (int r = 0; r < rows.Length; r++) for (int c = 0; c < rows[r].Length; c++) sheet.Cell(r + 1, c + 1).SetValue(rows[r][c]);
        }
        var old = workbook.Worksheets.Add("去年");
        Fill(old, [RosterFile.Header, ["房东", "fangtang", "旧房东", "13711119999", "", "", "", ""]]);
        old.Hide();
        Fill(workbook.Worksheets.Add("花名册"), [RosterFile.Header, ["房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", ""]]);
        using var output = new MemoryStream();
        workbook.SaveAs(output);

        var (_, result) = await world.Officer().ImportAsync(output.ToArray(), "roster.xlsx", dryRun: true);

        Assert.Equal(2, result!.Created); // 楼新民 and 许佳, not 旧房东
    }

    [Fact]
    public async Task A_header_typed_with_spaces_line_breaks_full_width_forms_or_a_required_mark_is_the_header()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var file = RosterFile.Xlsx(
        [
            ["\u3000类型", "社 区", "*姓名", "电话 *", "网格", "租客或\n店铺", "房间\u00a0", "联系\r\n电话"],
            ["房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", ""],
        ]);

        var (response, result) = await world.Officer().ImportAsync(file, "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, result!.Created);
    }

    [Fact]
    public async Task Community_files_pasted_one_under_another_with_their_headers_import_as_one_roster()
    {
        // The header repeated above the second community's rows was a row of type 类型, refused.
        await using var world = await ServiceWorld.CreateAsync();
        var file = RosterFile.Xlsx(
        [
            RosterFile.Header,
            Row("房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", ""),
            [],
            RosterFile.Header,
            Row("铺长", "changchun", "金海燕", "13711110002", "", "海燕服饰", "", ""),
        ]);

        var (response, result) = await world.Officer().ImportAsync(file, "street.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, result!.Created);
    }

    [Fact]
    public async Task A_GB18030_csv_with_its_byte_order_mark_imports()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var rows = new[] { RosterFile.Header, Row("房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", "") };
        byte[] bytes = [0x84, 0x31, 0x95, 0x33, .. Encoding.GetEncoding(54936).GetBytes(RosterFile.CsvText(rows))];

        var (response, result) = await world.Officer().ImportAsync(bytes, "roster.csv", dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, result!.Created);
    }

    [Fact]
    public async Task A_phone_that_Excel_saved_in_scientific_notation_is_reported_as_lost_digits_with_how_to_keep_them()
    {
        // Excel shows a long number typed into a General cell as 1.38123E+10 and saves a CSV as shown: the digits are gone.
        await using var world = await ServiceWorld.CreateAsync();
        var csv = RosterFile.Gbk.GetBytes("类型,社区,姓名,电话,网格,租客或店铺,房间,联系电话\r\n房东,fangtang,楼新民,1.38123E+10,,许佳,301,1.36222E+10\r\n");

        var (response, result) = await world.Officer().ImportAsync(csv, "roster.csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal([(2, "电话"), (2, "联系电话")], result!.Errors.Select(e => (e.Row, e.Column)).ToArray());
        Assert.All(result.Errors, e => Assert.Contains("科学计数法", e.Problem));
        Assert.All(result.Errors, e => Assert.Contains("文本", e.Problem));
    }

    [Fact]
    public async Task A_csv_exported_with_numbers_kept_as_text_by_an_equals_sign_imports_the_numbers()
    {
        // Systems that export for Excel write ="13711110001" so the phone is not shown as 1.37111E+10; that was refused as a phone.
        await using var world = await ServiceWorld.CreateAsync();
        var csv = RosterFile.Gbk.GetBytes("类型,社区,姓名,电话,网格,租客或店铺,房间,联系电话\r\n房东,fangtang,楼新民,=\"13711110001\",,许佳,=\"0301\",=\"13622220001\"\r\n");

        var (response, result) = await world.Officer().ImportAsync(csv, "export.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, result!.Created);
        var lou = Assert.Single(await SubjectsAsync(world.Officer(), "fangtang"));
        Assert.Equal("13711110001", lou.GetProperty("phone").GetString());
        var tenants = await (await world.Officer().GetAsync($"/api/subjects/{lou.GetProperty("id").GetString()}/tenants")).JsonAsync();
        Assert.Equal("0301", tenants.GetProperty("items")[0].GetProperty("room").GetString());
    }

    [Theory]
    [InlineData("roster.csv", new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0, 0x3E, 0, 3, 0 })] // an old .xls renamed
    [InlineData("roster.csv", new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x34, 0x0A, 0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A, 0 })] // a PDF
    [InlineData("photo.png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52 })]
    public async Task A_file_that_is_not_a_spreadsheet_nor_text_is_one_problem_saying_so_not_eight_missing_columns(string name, byte[] bytes)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var (response, result) = await world.Officer().ImportAsync(bytes, name);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = Assert.Single(result!.Errors);
        Assert.Equal((0, "file-type"), (problem.Row, problem.Code));
        Assert.Contains(".xlsx", problem.Problem);
    }

    [Fact]
    public async Task A_dry_run_tells_the_office_when_a_new_phone_stands_beside_a_same_named_person_the_file_takes_off()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var rows = new List<string[]> { RosterFile.Header };
        rows.Add(Row("房东", "fangtang", "应天乐", "13911112222", "", "王小明", "", "")); // 应天乐 (13900000001) with a new number
        rows.Add(Row("房东", "fangtang", "王秀兰", "13900000002", "", "张伟", "", ""));
        rows.Add(Row("房东", "fangtang", "陈建国", "13900000003", "", "刘洋", "", ""));

        var (response, result) = await officer.ImportAsync(RosterFile.Xlsx(rows), "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notice = Assert.Single(result!.Notices!);
        Assert.Equal((2, "电话", "same-name-leaving"), (notice.Row, notice.Column, notice.Code));
        Assert.Contains("139****0001", notice.Problem);
    }

    [Fact]
    public async Task A_person_moved_to_another_community_with_their_old_grid_left_in_the_row_is_named_in_a_notice_before_a_grid_of_that_name_is_made_there()
    {
        // The roster's 网格 column kept 方塘村1号楼 when the secretary moved the landlord to 长春社区: the import made a
        // second 方塘村1号楼 in 长春社区 without a word, outside every grid worker's grids.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var rows = new XLWorkbook(new MemoryStream(await officer.GetByteArrayAsync("/api/streets/houzhai/roster.xlsx"))).Worksheets.First().RowsUsed()
            .Select(r => Enumerable.Range(1, 8).Select(c => r.Cell(c).GetString()).ToArray()).ToList();
        var mover = rows.First(r => r[1] == "fangtang" && r[0] == "房东");
        var moved = rows.Where(r => r[3] == mover[3]).ToList();
        foreach (var r in moved) r[4] = "方塘村1号楼";
        Assert.Equal(HttpStatusCode.OK, (await officer.ImportAsync(RosterFile.Xlsx(rows), "roster.xlsx")).Response.StatusCode);
        foreach (var r in moved) r[1] = "changchun";
        var regridded = rows.Select(r => (string[])r.Clone()).ToList();
        foreach (var r in regridded.Where(r => r[3] == mover[3])) r[4] = "长春1号楼";

        var (response, result) = await officer.ImportAsync(RosterFile.Xlsx(rows), "roster.xlsx", dryRun: true);
        var (_, mended) = await officer.ImportAsync(RosterFile.Xlsx(regridded), "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notice = Assert.Single(result!.Notices!);
        Assert.Equal((rows.IndexOf(moved[0]) + 1, "网格", "grid-left-behind"), (notice.Row, notice.Column, notice.Code));
        Assert.Contains("方塘村1号楼", notice.Problem);
        Assert.Contains(mover[2], notice.Problem);
        Assert.Empty(mended!.Notices ?? []); // a new grid named for the new community is the office's own choice
    }

    [Fact]
    public async Task A_workbook_without_styles_with_inline_strings_and_phones_as_numbers_imports_every_digit()
    {
        // Read as is, such a workbook lost every number (the reader keeps a bare number only beside a styles part):
        // the landlord's phone was 'required' and the tenant's contact phone went missing without a word.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var file = RosterFile.MinimalXlsx([RosterFile.Header, ["房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", "13622220001"]], 3, 6, 7);

        var (response, result) = await officer.ImportAsync(file, "export.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, result!.Created);
        var lou = Assert.Single(await SubjectsAsync(officer, "fangtang"));
        var tenants = await (await officer.GetAsync($"/api/subjects/{lou.GetProperty("id").GetString()}/tenants")).JsonAsync();
        var tenant = tenants.GetProperty("items")[0];
        Assert.Equal(("301", "13622220001"), (tenant.GetProperty("room").GetString(), tenant.GetProperty("phone").GetString()));
    }

    [Fact]
    public async Task An_identity_card_number_Excel_kept_as_a_number_is_reported_as_lost_digits_with_how_to_keep_them()
    {
        // Typed into a General cell, an 18-digit number keeps 15 significant digits: what arrives cannot be the card.
        await using var world = await ServiceWorld.CreateAsync();
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("花名册");
        string[] header = [.. RosterFile.Header, "身份证号"];
        for (int c = 0; c < header.Length; c++) sheet.Cell(1, c + 1).SetValue(header[c]);
        string[] row = ["房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", ""];
        for (int c = 0; c < row.Length; c++) sheet.Cell(2, c + 1).SetValue(row[c]);
        sheet.Cell(2, 9).SetValue(110105194912310021d);
        using var output = new MemoryStream();
        workbook.SaveAs(output);

        var (response, result) = await world.Officer().ImportAsync(output.ToArray(), "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = Assert.Single(result!.Errors);
        Assert.Equal((2, "身份证号", "id-card-invalid"), (problem.Row, problem.Column, problem.Code));
        Assert.Contains("科学计数法", problem.Problem);
    }

    [Fact]
    public async Task A_room_Excel_turned_into_a_date_is_reported_not_stored_as_a_date()
    {
        // Typed 1-3 (building 1, room 3), Excel keeps a date: the room was stored as 2026-01-03, or 1月3日 from a CSV.
        await using var world = await ServiceWorld.CreateAsync();
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("花名册");
        for (int c = 0; c < 8; c++) sheet.Cell(1, c + 1).SetValue(RosterFile.Header[c]);
        string[] row = ["房东", "fangtang", "楼新民", "13711110001", "", "许佳", "", ""];
        for (int c = 0; c < row.Length; c++) sheet.Cell(2, c + 1).SetValue(row[c]);
        sheet.Cell(2, 7).SetValue(new DateTime(2026, 1, 3));
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        var csv = RosterFile.Csv([RosterFile.Header, Row("房东", "fangtang", "楼新民", "13711110001", "", "许佳", "1月3日", "")], RosterFile.Gbk);

        var (_, fromXlsx) = await world.Officer().ImportAsync(output.ToArray(), "roster.xlsx", dryRun: true);
        var (_, fromCsv) = await world.Officer().ImportAsync(csv, "roster.csv", dryRun: true);

        foreach (var result in new[] { fromXlsx, fromCsv })
        {
            var problem = Assert.Single(result!.Errors);
            Assert.Equal((2, "房间", "room-date"), (problem.Row, problem.Column, problem.Code));
            Assert.Contains("文本", problem.Problem);
        }
    }

    [Fact]
    public async Task A_room_stored_as_a_date_before_such_rooms_were_refused_still_exports_and_imports_unchanged()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.Db.WriteAsync(async s =>
        {
            var tenant = (await s.ListTenantsAsync("landlord-1")).First();
            await s.UpdateTenantAsync(tenant with { Room = "2026-01-03" });
        });
        var officer = world.Officer();

        var (response, result) = await officer.ImportAsync(await officer.GetByteArrayAsync("/api/streets/houzhai/roster.xlsx"), "roster.xlsx", dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((0, 0, 20, 0), (result!.Created, result.Updated, result.Unchanged, result.Deactivated));
    }

    [Fact]
    public async Task Identity_card_numbers_are_kept_only_as_a_salted_hash_and_the_last_four()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        string[] header = [.. RosterFile.Header, "身份证号"];
        const string idCard = "11010519491231002X";
        var file = RosterFile.Xlsx([header, ["房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", "", idCard]]);

        var (firstResponse, first) = await officer.ImportAsync(file, "roster.xlsx");
        Assert.True(first is not null, $"{firstResponse.StatusCode}: {await firstResponse.Content.ReadAsStringAsync()}");
        var (_, again) = await officer.ImportAsync(file, "roster.xlsx");
        var (badResponse, bad) = await officer.ImportAsync(RosterFile.Xlsx([header, ["房东", "fangtang", "楼新民", "13711110001", "", "许佳", "301", "", "110105194912310021"]]), "roster.xlsx");

        Assert.True(first is not null, "no report");
        Assert.Empty(first!.Errors);
        Assert.Equal((0, 0), (again!.Created, again.Updated));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badResponse.StatusCode);
        Assert.Equal((2, "身份证号", "id-card-invalid"), Only(bad));
        var lou = Assert.Single(await SubjectsAsync(officer, "fangtang"));
        Assert.Equal("002X", lou.GetProperty("idCardLastFour").GetString());
        // Nothing in the database file holds the number in clear.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(world.DatabasePath);
        var wal = world.DatabasePath + "-wal";
        if (File.Exists(wal)) bytes = [.. bytes, .. await File.ReadAllBytesAsync(wal)];
        Assert.DoesNotContain(idCard, Encoding.UTF8.GetString(bytes));
        Assert.DoesNotContain("110105194912", Encoding.UTF8.GetString(bytes));
    }
}
