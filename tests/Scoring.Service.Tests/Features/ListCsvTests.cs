using System.Net;
using System.Text;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Service.Tests.Features;

public class ListCsvTests
{
    [Fact]
    public async Task The_csv_has_a_bom_crlf_rows_and_quotes_what_needs_quoting()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await AddSubjectAsync(world, "quoted", "\"王,");             // masked: "*,  — a quote and a comma survive masking
        await AddSubjectAsync(world, "formula", "=HYPERLINK(1)");    // masked: =***********)  — must not run as a formula
        await world.ScoreAsync("quoted");
        await world.ScoreAsync("formula");
        await world.ApproveAsync(await world.ReportByStaffAsync("gridworker-1", "landlord-2", Scoring.Domain.Rules.DefaultRules.NotDisinfected));
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var response = await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("houzhai-2026-W47-landlord.csv", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Contains("\"\"\"*,\"", Encoding.UTF8.GetString(bytes));
        Assert.EndsWith("\r\n", Encoding.UTF8.GetString(bytes));
        var rows = Parse(bytes);
        Assert.Equal(["list", "rank", "name", "community", "balance"], rows[0][..5]);
        Assert.Equal([["red", "1", "'=***********)", "fangtang", "14"], ["red", "1", "\"*,", "fangtang", "14"], ["black", "1", "王*兰", "fangtang", "11"]], rows.Skip(1).Select(r => r[..5]).ToArray());
    }

    [Fact]
    public async Task A_corrected_list_downloads_under_a_name_with_its_revision_so_it_is_not_saved_over_the_first()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        await world.ScoreAsync("landlord-4", occurredAt: ServiceWorld.Wednesday);
        await world.PublishAsync("2026-W47", correctionReason: "一条核查较晚的记录");

        var latest = await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord");
        var first = await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord&revision=1");

        Assert.Equal("houzhai-2026-W47-landlord-r2.csv", latest.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("houzhai-2026-W47-landlord.csv", first.Content.Headers.ContentDisposition!.FileNameStar);
    }

    private static Task AddSubjectAsync(ServiceWorld world, string id, string name) => world.Db.WriteAsync(s =>
        s.InsertSubjectAsync(new Subject { Id = id, StreetId = "houzhai", CommunityId = "fangtang", Kind = SubjectKind.Landlord, Name = name }, world.Clock.GetUtcNow()));

    /// <summary>An RFC 4180 reader: CRLF rows, quoted fields with doubled quotes; the BOM is skipped.</summary>
    public static string[][] Parse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes.AsSpan(bytes.Length >= 3 && bytes[0] == 0xEF ? 3 : 0));
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString()); field.Clear();
                rows.Add([.. row]); row.Clear();
                i++;
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add([.. row]); }
        return [.. rows];
    }

    [Fact]
    public async Task Each_row_of_a_list_s_csv_ends_with_its_revision_publication_hash_correction_and_the_revision_that_replaced_it()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        await world.ScoreAsync("landlord-4", occurredAt: ServiceWorld.Wednesday);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.PublishAsync("2026-W47", correctionReason: "一条核查较晚的记录");
        var client = world.Client();
        var json = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(client, "/api/streets/houzhai/lists/2026-W47?kind=landlord");
        var firstJson = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(client, "/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=1");

        var latest = Parse(await client.GetByteArrayAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord"));
        var first = await client.GetAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord&revision=1");
        var firstRows = Parse(await first.Content.ReadAsByteArrayAsync());

        // The columns scripts read stay first and as they were; what a printed copy needs to be checked comes after them.
        Assert.Equal(["list", "rank", "name", "community", "balance", "revision", "publishedAt", "contentHash", "correctionReason", "replacedByRevision"], latest[0][..10]);
        Assert.All(latest.Skip(1), r => Assert.Equal(("2", json.GetProperty("publishedAt").GetDateTimeOffset(), json.GetProperty("contentHash").GetString(), "一条核查较晚的记录", ""),
            (r[5], DateTimeOffset.Parse(r[6], System.Globalization.CultureInfo.InvariantCulture), r[7], r[8], r[9])));
        Assert.NotEmpty(firstRows.Skip(1));
        Assert.All(firstRows.Skip(1), r => Assert.Equal(("1", firstJson.GetProperty("publishedAt").GetDateTimeOffset(), firstJson.GetProperty("contentHash").GetString(), "", "2"),
            (r[5], DateTimeOffset.Parse(r[6], System.Globalization.CultureInfo.InvariantCulture), r[7], r[8], r[9])));
        Assert.Contains("immutable", first.Headers.CacheControl!.ToString()); // replaced for good: it reads the same from now on
    }

    [Fact]
    public async Task The_csv_ends_with_the_community_s_name_and_the_local_publication_time_as_the_board_prints_them()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var rows = Parse(await world.Client().GetByteArrayAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord"));

        Assert.Equal(["list", "rank", "name", "community", "balance", "revision", "publishedAt", "contentHash", "correctionReason", "replacedByRevision",
            "communityName", "publishedAtLocal"], rows[0]);
        Assert.Equal(("fangtang", "方塘村", "2026-11-24 09:00"), (rows[1][3], rows[1][10], rows[1][11]));
    }

    [Fact]
    public async Task A_list_with_no_entries_still_says_in_its_csv_which_revision_it_is_and_why()
    {
        // The one addition revoked and the list corrected to nobody: the printed copy must still show it is revision 2.
        await using var world = await ServiceWorld.CreateAsync();
        var id = await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        Assert.True((await world.Service<Scoring.Application.Verification>().RevokeAsync(await world.StaffAsync("secretary-fangtang"), id, "看错了人")).Succeeded);
        await world.PublishAsync("2026-W47", correctionReason: "撤销了唯一一条加分");
        var json = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(world.Client(), "/api/streets/houzhai/lists/2026-W47?kind=landlord");
        Assert.Equal(0, json.GetProperty("red").GetArrayLength() + json.GetProperty("black").GetArrayLength());

        var rows = Parse(await world.Client().GetByteArrayAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord&revision=2"));

        // One row: the entry cells empty (a script reading the first five columns sees no list), the revision's cells filled.
        Assert.Equal(2, rows.Length);
        Assert.Equal(["", "", "", "", "", "2"], rows[1][..6]);
        Assert.Equal((json.GetProperty("contentHash").GetString(), "撤销了唯一一条加分", ""), (rows[1][7], rows[1][8], rows[1][9]));
    }

    [Fact]
    public async Task The_latest_revision_s_csv_is_not_cached_as_frozen_when_asked_for_by_number_as_a_correction_may_still_replace_it()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var first = await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord&revision=1");

        Assert.DoesNotContain("immutable", first.Headers.CacheControl!.ToString());
    }
}
