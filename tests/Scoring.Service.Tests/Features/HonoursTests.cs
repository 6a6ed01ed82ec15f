using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Domain.Rules;

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

    /// <summary>landlord-1 (方塘村) is on the landlords' red list in W45, W46 and W47; shophead-1 (长春社区) on the shop heads' when given.</summary>
    private static async Task RedThreeWeeksAsync(ServiceWorld world, bool shopHead = false)
    {
        await world.ScoreAsync("landlord-1", occurredAt: ServiceWorld.Wednesday - TimeSpan.FromDays(14));
        if (shopHead) await world.ScoreAsync("shophead-1", DefaultRules.ShopReportedViolation, ServiceWorld.Wednesday - TimeSpan.FromDays(14));
        foreach (var week in new[] { "2026-W45", "2026-W46", "2026-W47" })
        {
            if (week == "2026-W47") world.Clock.Advance(TimeSpan.FromDays(6));
            await world.PublishAsync(week);
            if (shopHead) await world.PublishAsync(week, "shop-head");
        }
    }

    [Fact]
    public async Task Landlords_and_shop_heads_are_told_apart_among_the_candidates()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await RedThreeWeeksAsync(world, shopHead: true);

        var honours = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026");
        var shopHeads = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026?kind=shop-head");

        Assert.Equal([("landlord-1", "landlord"), ("shophead-1", "shop-head")],
            honours.GetProperty("candidates").EnumerateArray().Select(c => (c.GetProperty("subjectId").GetString(), c.GetProperty("kind").GetString())).Order());
        Assert.Equal(["shophead-1"], shopHeads.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("subjectId").GetString()));
    }

    [Fact]
    public async Task A_correction_that_takes_a_landlord_off_a_red_list_takes_that_listing_off_the_honours()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await RedThreeWeeksAsync(world);
        // A deduction of W47 found late: no red list that week, as corrected.
        var late = await world.ReportByStaffAsync("gridworker-1", "landlord-1", DefaultRules.NotDisinfected, occurredAt: ServiceWorld.Wednesday + TimeSpan.FromDays(1));
        await world.ApproveAsync(late);
        await world.PublishAsync("2026-W47", correctionReason: "补录楼道消毒扣分");

        var honours = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026");

        Assert.Equal(0, honours.GetProperty("candidates").GetArrayLength());
    }

    [Fact]
    public async Task A_candidate_who_moved_community_and_had_the_name_corrected_is_shown_as_the_roster_has_them_now_to_the_new_community()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await RedThreeWeeksAsync(world);
        var officer = world.Client("officer-1");
        Assert.True((await officer.PutAsJsonAsync("/api/subjects/landlord-1", new { community = "changchun", name = "应天东" })).IsSuccessStatusCode);

        var honours = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026");
        var newSecretary = await world.Client("secretary-changchun").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026");

        var candidate = Assert.Single(honours.GetProperty("candidates").EnumerateArray());
        Assert.Equal(("应天东", "changchun"), (candidate.GetProperty("name").GetString(), candidate.GetProperty("community").GetString()));
        Assert.Equal(1, newSecretary.GetProperty("candidates").GetArrayLength());
    }

    [Fact]
    public async Task A_candidate_taken_off_the_roster_during_the_year_is_still_a_candidate_marked_as_off_the_roster()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await RedThreeWeeksAsync(world);
        Assert.True((await world.Client("officer-1").PostAsync("/api/subjects/landlord-1/deactivate", null)).IsSuccessStatusCode);

        var honours = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026");

        var candidate = Assert.Single(honours.GetProperty("candidates").EnumerateArray());
        Assert.False(candidate.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task The_threshold_in_force_when_the_year_ended_names_its_candidates_whatever_is_set_for_the_next()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await RedThreeWeeksAsync(world);
        var officer = world.Client("officer-1");
        world.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 12, 9, 0, 0, TimeSpan.FromHours(8)));
        Assert.True((await officer.PatchAsJsonAsync("/api/streets/houzhai/settings", new { honourThreshold = 4 })).IsSuccessStatusCode); // for 2027

        var honours = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026");

        Assert.Equal(3, honours.GetProperty("threshold").GetInt32());
        Assert.Equal(["landlord-1"], honours.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("subjectId").GetString()));
    }

    [Fact]
    public async Task A_threshold_changed_during_the_year_applies_to_the_whole_year()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await RedThreeWeeksAsync(world);
        var officer = world.Client("officer-1");
        Assert.True((await officer.PatchAsJsonAsync("/api/streets/houzhai/settings", new { honourThreshold = 4 })).IsSuccessStatusCode);
        world.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 12, 9, 0, 0, TimeSpan.FromHours(8)));

        var honours = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/honours/2026");

        Assert.Equal((4, 0), (honours.GetProperty("threshold").GetInt32(), honours.GetProperty("candidates").GetArrayLength()));
    }

    [Fact]
    public async Task The_candidates_come_as_a_spreadsheet_and_a_CSV_to_print_for_the_annual_meeting_each_secretary_their_community_s()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await RedThreeWeeksAsync(world, shopHead: true);

        var xlsx = await world.Client("officer-1").GetAsync("/api/streets/houzhai/honours/2026.xlsx");
        var csv = await world.Client("secretary-fangtang").GetByteArrayAsync("/api/streets/houzhai/honours/2026.csv");

        Assert.Equal(System.Net.HttpStatusCode.OK, xlsx.StatusCode);
        var sheet = new ClosedXML.Excel.XLWorkbook(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync())).Worksheets.First();
        Assert.Equal(["对象编号", "类型", "姓名", "社区", "社区名称", "上红榜次数", "上榜周次", "在册"], Enumerable.Range(1, 8).Select(c => sheet.Cell(1, c).GetString()));
        Assert.Equal(["landlord-1", "房东", "应天乐", "fangtang", "方塘村", "3", "2026-W45 2026-W46 2026-W47", "是"], Enumerable.Range(1, 8).Select(c => sheet.Cell(2, c).GetString()));
        Assert.Equal(("shophead-1", "铺长", "长春社区"), (sheet.Cell(3, 1).GetString(), sheet.Cell(3, 2).GetString(), sheet.Cell(3, 5).GetString()));
        var lines = System.Text.Encoding.UTF8.GetString(csv).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length); // the header and 应天乐: 长春社区's shop head is not the 方塘村 secretary's
        Assert.StartsWith("landlord-1,房东,应天乐,fangtang,方塘村,3,", lines[1]);
    }

    [Theory]
    [InlineData("26")]
    [InlineData("twenty")]
    [InlineData("99999")]
    [InlineData("9998")] // beyond the last year a week is written in
    public async Task A_year_that_is_not_a_year_is_400(string year)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client("officer-1").GetAsync($"/api/streets/houzhai/honours/{year}");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }
}
