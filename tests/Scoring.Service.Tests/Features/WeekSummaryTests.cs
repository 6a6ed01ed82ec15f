using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using Scoring.Domain.Rules;

namespace Scoring.Service.Tests.Features;

/// <summary>GET /api/streets/{street}/weeks/{week}/summary(.xlsx): the street office's weekly work report over HTTP.</summary>
public class WeekSummaryTests
{
    [Fact]
    public async Task An_officer_gets_the_week_s_figures_for_the_street_and_each_community()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService);
        await world.ReportAsync("landlord-4", DefaultRules.LandlordMediation);

        var summary = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/weeks/2026-W47/summary");

        Assert.Equal(("houzhai", "2026-W47", false, JsonValueKind.Null), (summary.GetProperty("street").GetString(), summary.GetProperty("week").GetString(),
            summary.GetProperty("complete").GetBoolean(), summary.GetProperty("community").ValueKind));
        var total = summary.GetProperty("total");
        Assert.Equal(2, total.GetProperty("reports").GetProperty("made").GetInt32());
        Assert.Equal((1, 1), (total.GetProperty("reports").GetProperty("status").GetProperty("approved").GetInt32(), total.GetProperty("reports").GetProperty("status").GetProperty("pending").GetInt32()));
        Assert.Equal(2, total.GetProperty("reports").GetProperty("by").GetProperty("self").GetInt32());
        Assert.Equal((5, 2), (total.GetProperty("roster").GetProperty("landlords").GetInt32(), total.GetProperty("roster").GetProperty("shopHeads").GetInt32()));
        Assert.Equal((7, 0), (total.GetProperty("roster").GetProperty("people").GetInt32(), total.GetProperty("roster").GetProperty("bound").GetInt32()));
        Assert.Equal((0, 0, 1), (total.GetProperty("returns").GetProperty("late").GetInt32(), total.GetProperty("rounds").GetProperty("missed").GetInt32(),
            total.GetProperty("points").GetProperty("added").GetInt32()));
        Assert.Equal(1, total.GetProperty("verification").GetProperty("decided").GetInt32());
        Assert.Equal(JsonValueKind.Number, total.GetProperty("verification").GetProperty("medianSeconds").ValueKind);
        Assert.Equal(["landlord", "shop-head"], total.GetProperty("lists").EnumerateArray().Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal(["changchun", "fangtang"], summary.GetProperty("communities").EnumerateArray().Select(c => c.GetProperty("community").GetString()));
    }

    [Fact]
    public async Task A_secretary_gets_their_own_community_only()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService);

        var summary = await world.Client("secretary-changchun").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/weeks/2026-W47/summary");

        Assert.Equal("changchun", summary.GetProperty("community").GetString());
        Assert.Equal(["changchun"], summary.GetProperty("communities").EnumerateArray().Select(c => c.GetProperty("community").GetString()));
        Assert.Equal(0, summary.GetProperty("total").GetProperty("reports").GetProperty("made").GetInt32());
    }

    [Fact]
    public async Task A_week_not_begun_is_a_problem_saying_when_it_starts()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("officer-1").GetAsync("/api/streets/houzhai/weeks/2026-W48/summary");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("week-not-begun", problem.GetProperty("code").GetString());
        Assert.Contains("2026-11-23", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-W54")]
    [InlineData("2026-47")]
    [InlineData("W47")]
    public async Task A_week_that_is_none_is_a_bad_request(string week)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("officer-1").GetAsync($"/api/streets/houzhai/weeks/{week}/summary");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid-input", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_sheet_prints_a_row_per_figure_with_a_column_per_community()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService);

        var response = await world.Client("officer-1").GetAsync("/api/streets/houzhai/weeks/2026-W47/summary.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("summary-houzhai-2026-W47.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        using var book = new XLWorkbook(await response.Content.ReadAsStreamAsync());
        var sheet = book.Worksheet(1);
        Assert.Equal(["项目", "后宅街道", "长春社区", "方塘村"], Enumerable.Range(1, 4).Select(c => sheet.Cell(1, c).GetString()));
        var made = sheet.RowsUsed().Single(r => r.Cell(1).GetString() == "上报合计");
        Assert.Equal((1, 0, 1), (made.Cell(2).GetValue<int>(), made.Cell(3).GetValue<int>(), made.Cell(4).GetValue<int>()));
    }
}
