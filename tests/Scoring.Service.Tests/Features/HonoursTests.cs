using System.Net.Http.Json;
using System.Text.Json;

namespace Scoring.Service.Tests.Features;

public class HonoursTests
{
    [Fact]
    public async Task Three_red_listings_in_the_year_make_a_good_person_candidate()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1", occurredAt: ServiceWorld.Wednesday - TimeSpan.FromDays(14)); // W45: 14 from then on
        await world.ScoreAsync("landlord-3", occurredAt: ServiceWorld.Wednesday - TimeSpan.FromDays(7));  // W46: red twice only
        await world.PublishAsync("2026-W45");
        await world.PublishAsync("2026-W46");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var honours = await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026");

        var candidate = Assert.Single(honours.GetProperty("candidates").EnumerateArray());
        Assert.Equal(("landlord-1", "应天乐", 3), (candidate.GetProperty("subjectId").GetString(), candidate.GetProperty("name").GetString(), candidate.GetProperty("redListings").GetInt32()));
        Assert.Equal(["2026-W45", "2026-W46", "2026-W47"], candidate.GetProperty("weeks").EnumerateArray().Select(w => w.GetString()));
    }

    [Theory]
    [InlineData("secretary-changchun")]
    [InlineData("gridworker-1")]
    public async Task Staff_of_one_community_see_only_their_community_s_candidates(string staffId)
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1", occurredAt: ServiceWorld.Wednesday - TimeSpan.FromDays(14)); // 方塘村, red in W45–W47
        await world.PublishAsync("2026-W45");
        await world.PublishAsync("2026-W46");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        var staff = await world.StaffAsync(staffId);

        var honours = await world.Client(staffId).GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026");
        var officers = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026");

        Assert.Equal(staff.CommunityId == "fangtang" ? 1 : 0, honours.GetProperty("candidates").GetArrayLength());
        Assert.Equal(1, officers.GetProperty("candidates").GetArrayLength());
    }

    [Fact]
    public async Task A_grid_worker_given_a_grid_sees_only_that_grid_s_candidates()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        await officer.PutAsJsonAsync("/api/staff/gridworker-1", new { grids = new[] { "fangtang-1" } });
        await world.ScoreAsync("landlord-1", occurredAt: ServiceWorld.Wednesday - TimeSpan.FromDays(14)); // 方塘村, no grid of the worker's
        await world.PublishAsync("2026-W45");
        await world.PublishAsync("2026-W46");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var honours = await world.Client("gridworker-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026");
        var outside = await world.Client("gridworker-1").GetAsync("/api/subjects/landlord-1");

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal(0, honours.GetProperty("candidates").GetArrayLength());
    }

    [Theory]
    [InlineData("26")]
    [InlineData("twenty")]
    [InlineData("99999")]
    public async Task A_year_that_is_not_a_year_is_400(string year)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client("officer-1").GetAsync($"/api/streets/houzhai/honours/{year}");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }
}
