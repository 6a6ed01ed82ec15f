using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scoring.Service.Tests.Features;

/// <summary>
/// A week (or year) outside a street's time is answered by one rule on every route that reads one: not begun yet, 409
/// week-not-begun; before the street's first rules took effect, 409 week-before-street. The demo street's first rules
/// took effect in 2000-W01; the world's clock stands in 2026-W47.
/// </summary>
public class WeekRangeTests
{
    public static TheoryData<string> WeekRoutes => new()
    {
        "/api/streets/houzhai/weeks/{0}/summary",
        "/api/streets/houzhai/weeks/{0}/summary.xlsx",
        "/api/streets/houzhai/lists/{0}/preview?kind=landlord",
        "/api/streets/houzhai/ledger/{0}.csv",
        "/api/streets/houzhai/ledger/{0}.xlsx",
    };

    [Theory]
    [MemberData(nameof(WeekRoutes))]
    public async Task A_week_not_begun_yet_is_409_week_not_begun(string route)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("officer-1").GetAsync(string.Format(route, "2026-W50"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("week-not-begun", problem.GetProperty("code").GetString());
        Assert.Contains("2026-12-07", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(WeekRoutes))]
    public async Task A_week_before_the_street_s_first_rules_is_409_week_before_street(string route)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("officer-1").GetAsync(string.Format(route, "1999-W50"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("week-before-street", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("1999", "'1999'")]
    [InlineData("99999999999", "'9999999999…'")]
    [InlineData("twenty", "'twenty'")]
    public async Task An_honours_year_out_of_range_is_a_bad_request_naming_the_range(string year, string quoted)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("officer-1").GetAsync($"/api/streets/houzhai/honours/{year}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(quoted, detail, StringComparison.Ordinal);
        Assert.Contains("from 2000 to 9997", detail, StringComparison.Ordinal);
        Assert.Contains("2000至9997", problem.GetProperty("detailZh").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/streets/jiangdong/honours/2025", "week-before-street")]
    [InlineData("/api/streets/jiangdong/honours/2025.csv", "week-before-street")]
    [InlineData("/api/streets/jiangdong/honours/2027", "week-not-begun")]
    [InlineData("/api/streets/jiangdong/honours/2027.xlsx", "week-not-begun")]
    public async Task An_honours_year_outside_the_street_s_time_is_answered_as_a_week_is(string route, string code)
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync(); // its first rules took effect in 2026-W47

        var response = await world.Client(ServiceWorld.OtherStreetOfficerId).GetAsync(route);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_street_s_first_year_and_the_year_under_way_have_honours()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();

        var response = await world.Client(ServiceWorld.OtherStreetOfficerId).GetAsync("/api/streets/jiangdong/honours/2026");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
