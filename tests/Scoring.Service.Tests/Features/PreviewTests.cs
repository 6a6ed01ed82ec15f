using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scoring.Service.Tests.Features;

public class PreviewTests
{
    [Fact]
    public async Task A_secretary_previews_her_own_community_unmasked_but_not_the_whole_street()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var secretary = world.Client("secretary-fangtang");

        var own = await secretary.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord&community=fangtang");
        var street = await secretary.GetAsync("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord");

        Assert.Equal(["landlord-1", "landlord-2", "landlord-3"], own.GetProperty("standings").EnumerateArray().Select(s => s.GetProperty("subjectId").GetString()));
        Assert.Equal("应天乐", own.GetProperty("red")[0].GetProperty("name").GetString());
        Assert.Equal("fangtang", own.GetProperty("community").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, street.StatusCode);
    }

    [Theory]
    [InlineData("nowhere", "No community 'nowhere' in street 'houzhai'")]
    [InlineData("xincun", "No community 'xincun' in street 'houzhai'")]   // the other street's
    [InlineData("FANGTANG", "ids are case-sensitive: did you mean 'fangtang'?")]
    public async Task A_preview_of_a_community_the_street_does_not_have_is_not_found_rather_than_an_empty_list(string community, string says)
    {
        // It was 200 with nobody on it and a content hash: a stale or mistyped id read as a community with no one to rank.
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();

        var response = await world.Client("officer-1").GetAsync($"/api/streets/houzhai/lists/2026-W47/preview?kind=landlord&community={community}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("community-not-found", problem.GetProperty("code").GetString());
        Assert.Contains(says, problem.GetProperty("detail").GetString());
        Assert.Contains(community, problem.GetProperty("detailZh").GetString());
    }

    [Fact]
    public async Task An_officer_previews_the_street_while_the_week_runs()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("shophead-2", Scoring.Domain.Rules.DefaultRules.ShopMediation);

        var preview = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47/preview?kind=shop-head");

        Assert.Equal("shop-head", preview.GetProperty("kind").GetString());
        Assert.Equal(("shophead-2", 13), (preview.GetProperty("red")[0].GetProperty("subjectId").GetString(), preview.GetProperty("red")[0].GetProperty("balance").GetInt32()));
        Assert.Equal(2, preview.GetProperty("standings").GetArrayLength());
    }

    [Fact]
    public async Task A_preview_has_the_published_lists_shape_plus_the_standings()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var published = await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47?kind=landlord");
        var preview = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord");

        var missing = published.EnumerateObject().Select(p => p.Name).Where(name => !preview.TryGetProperty(name, out _)).ToList();
        Assert.Empty(missing);
        Assert.Equal(JsonValueKind.Null, preview.GetProperty("revision").ValueKind);   // live, not a published revision
        Assert.Equal(JsonValueKind.Null, preview.GetProperty("publishedAt").ValueKind);
        Assert.Equal(published.GetProperty("contentHash").GetString(), preview.GetProperty("contentHash").GetString());
        Assert.True(preview.GetProperty("standings").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_preview_of_a_published_week_whose_ledger_changed_says_who_left_the_list_since_the_latest_revision()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var added = await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        var unchanged = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord");
        Assert.True((await world.Client("secretary-fangtang").PostAsJsonAsync($"/api/events/{added}/revoke", new { reason = "核实为误报" })).IsSuccessStatusCode);

        var preview = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord");

        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("sincePublished").ValueKind); // nothing to correct
        var since = preview.GetProperty("sincePublished");
        Assert.Equal(1, since.GetProperty("revision").GetInt32());
        var left = Assert.Single(since.GetProperty("changes").EnumerateArray());
        Assert.Equal(("red", "left", "landlord-1", 1, 14, 12),
            (left.GetProperty("list").GetString(), left.GetProperty("change").GetString(), left.GetProperty("subjectId").GetString(),
             left.GetProperty("rankBefore").GetInt32(), left.GetProperty("balanceBefore").GetInt32(), left.GetProperty("balanceNow").GetInt32()));
    }

    [Fact]
    public async Task Each_standing_carries_the_figures_its_rank_and_its_place_off_the_red_list_are_read_from()
    {
        // Both at 14: 应天乐 ranks first with no deduction in the cycle; 王秀兰 has one this week, which keeps her off the red list.
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        await world.ScoreAsync("landlord-2");
        await world.ScoreAsync("landlord-2", Scoring.Domain.Rules.DefaultRules.LandlordMediation);
        await world.ReportByStaffAsync("secretary-fangtang", "landlord-2", Scoring.Domain.Rules.DefaultRules.NotDisinfected);

        var preview = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord");

        var standings = preview.GetProperty("standings").EnumerateArray().Take(2).Select(s => (s.GetProperty("subjectId").GetString(), s.GetProperty("rank").GetInt32(),
            s.GetProperty("balance").GetInt32(), s.GetProperty("cycleDeductionPoints").GetInt32(), s.GetProperty("weekAdditionPoints").GetInt32(),
            s.GetProperty("weekDeductionPoints").GetInt32()));
        Assert.Equal([("landlord-1", 1, 14, 0, 2, 0), ("landlord-2", 2, 14, 1, 3, 1)], standings);
        Assert.Equal(["landlord-1"], preview.GetProperty("red").EnumerateArray().Select(e => e.GetProperty("subjectId").GetString()));
    }

    [Fact]
    public async Task Publishing_again_without_a_reason_after_the_ledger_changed_answers_the_latest_revision_and_that_a_correction_is_due()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var revoked = await world.ScoreAsync("landlord-1");
        await world.ScoreAsync("landlord-2");
        world.Clock.Advance(TimeSpan.FromDays(6));
        var officer = world.Client("officer-1");
        var first = await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord" });
        var unchanged = await (await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((await world.Client("secretary-fangtang").PostAsJsonAsync($"/api/events/{revoked}/revoke", new { reason = "核实为误报" })).IsSuccessStatusCode);

        var stale = await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord" });
        var preview = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord");
        var corrected = await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord", correctionReason = "一条加分撤销" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(unchanged.GetProperty("correctionDue").GetBoolean());
        Assert.Equal(unchanged.GetProperty("contentHash").GetString(), unchanged.GetProperty("currentContentHash").GetString());
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        var answer = await stale.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, true), (answer.GetProperty("revision").GetInt32(), answer.GetProperty("correctionDue").GetBoolean()));
        Assert.Equal(preview.GetProperty("contentHash").GetString(), answer.GetProperty("currentContentHash").GetString());
        Assert.NotEqual(answer.GetProperty("contentHash").GetString(), answer.GetProperty("currentContentHash").GetString());
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        var revision2 = await corrected.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, false), (revision2.GetProperty("revision").GetInt32(), revision2.GetProperty("correctionDue").GetBoolean()));
    }
}
