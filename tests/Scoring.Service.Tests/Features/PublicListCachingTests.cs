using System.Net;
using System.Net.Http.Headers;

namespace Scoring.Service.Tests.Features;

/// <summary>
/// A published revision never changes, so the public reads carry a validator (ETag) and say how long they stay fresh:
/// a notice board polling every minute, or a proxy in front of it, asks "still the same?" and gets 304 without the body.
/// </summary>
public class PublicListCachingTests
{
    public static TheoryData<string> PublicReads => new()
    {
        "/api/streets/houzhai/lists/2026-W47?kind=landlord",
        "/api/streets/houzhai/lists/2026-W47.csv?kind=landlord",
        "/streets/houzhai/board/2026-W47",
    };

    [Theory]
    [MemberData(nameof(PublicReads))]
    public async Task A_public_read_has_an_etag_and_the_same_tag_asked_again_is_304_without_a_body(string url)
    {
        await using var world = await PublishedWorldAsync();
        var client = world.Client();

        var first = await client.GetAsync(url);
        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var notModified = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(first.Headers.ETag);
        Assert.True(first.Headers.CacheControl?.Public);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(first.Headers.ETag, notModified.Headers.ETag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_correction_changes_the_latest_tag_and_a_named_revision_is_cacheable_for_good_once_replaced()
    {
        await using var world = await PublishedWorldAsync();
        var client = world.Client();
        var before = await client.GetAsync("/api/streets/houzhai/lists/2026-W47?kind=landlord");
        var json = await client.GetAsync("/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=1");
        var csv = await client.GetAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord&revision=1");

        await world.ScoreAsync("landlord-2", occurredAt: ServiceWorld.Wednesday);
        var corrected = await world.Client("officer-1").PostAsync("/api/streets/houzhai/lists/2026-W47/publish",
            ServiceWorld.Json(new { kind = "landlord", correctionReason = "补录一条已核实的记录" }));
        var stale = new HttpRequestMessage(HttpMethod.Get, "/api/streets/houzhai/lists/2026-W47?kind=landlord");
        stale.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        var after = await client.SendAsync(stale);
        var replacedCsv = await client.GetAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord&revision=1");

        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.NotEqual(json.Headers.ETag, csv.Headers.ETag); // two representations, two tags
        Assert.True(before.Headers.CacheControl!.MaxAge <= TimeSpan.FromMinutes(5)); // the latest may be corrected
        // Revision 1, named, says which revision replaced it (JSON and CSV alike): fresh for a while as long as none has, then for good.
        Assert.True(json.Headers.CacheControl!.MaxAge <= TimeSpan.FromMinutes(5));
        Assert.True(csv.Headers.CacheControl!.MaxAge <= TimeSpan.FromMinutes(5));
        Assert.True(replacedCsv.Headers.CacheControl!.MaxAge >= TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task A_revision_named_in_the_json_says_which_revision_replaced_it_and_is_immutable_only_once_replaced()
    {
        await using var world = await PublishedWorldAsync();
        var client = world.Client();
        const string url = "/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=1";
        var standing = await client.GetAsync(url);
        var standingBody = System.Text.Json.JsonDocument.Parse(await standing.Content.ReadAsStringAsync()).RootElement;

        await world.ScoreAsync("landlord-2", occurredAt: ServiceWorld.Wednesday);
        var corrected = await world.Client("officer-1").PostAsync("/api/streets/houzhai/lists/2026-W47/publish",
            ServiceWorld.Json(new { kind = "landlord", correctionReason = "补录一条已核实的记录" }));
        var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.IfNoneMatch.Add(standing.Headers.ETag!);
        var replaced = await client.SendAsync(stale); // a cache that kept the standing answer is told it changed
        var replacedBody = System.Text.Json.JsonDocument.Parse(await replaced.Content.ReadAsStringAsync()).RootElement;
        var latestNamed = await client.GetAsync("/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=2");

        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, standingBody.GetProperty("replacedByRevision").ValueKind);
        Assert.Equal(TimeSpan.FromSeconds(60), standing.Headers.CacheControl!.MaxAge);
        Assert.DoesNotContain(standing.Headers.CacheControl.Extensions, e => e.Name == "immutable");
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(2, replacedBody.GetProperty("replacedByRevision").GetInt32());
        Assert.Equal(1, replacedBody.GetProperty("revision").GetInt32());
        Assert.Contains(replaced.Headers.CacheControl!.Extensions, e => e.Name == "immutable");
        Assert.Equal(TimeSpan.FromSeconds(60), latestNamed.Headers.CacheControl!.MaxAge); // the latest, named by its number, may be corrected too
    }

    [Fact]
    public async Task A_community_s_part_of_a_replaced_revision_says_so_in_json_and_csv_and_is_immutable_only_once_replaced()
    {
        // A village's printout pins a revision like the street's does: its part of the list must say when a correction
        // replaced it (the community view and the replaced flag were made by two changes; one memo holds both).
        await using var world = await PublishedWorldAsync();
        var client = world.Client();
        const string json = "/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=1&community=fangtang";
        const string csv = "/api/streets/houzhai/lists/2026-W47.csv?kind=landlord&revision=1&community=fangtang";
        var standing = await client.GetAsync(json);
        var standingBody = System.Text.Json.JsonDocument.Parse(await standing.Content.ReadAsStringAsync()).RootElement;

        await world.ScoreAsync("landlord-2", occurredAt: ServiceWorld.Wednesday);
        var corrected = await world.Client("officer-1").PostAsync("/api/streets/houzhai/lists/2026-W47/publish",
            ServiceWorld.Json(new { kind = "landlord", correctionReason = "补录一条已核实的记录" }));
        var replaced = await client.GetAsync(json);
        var replacedBody = System.Text.Json.JsonDocument.Parse(await replaced.Content.ReadAsStringAsync()).RootElement;
        var replacedCsv = await client.GetAsync(csv);
        var rows = (await replacedCsv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal("fangtang", standingBody.GetProperty("community").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, standingBody.GetProperty("replacedByRevision").ValueKind);
        Assert.DoesNotContain(standing.Headers.CacheControl!.Extensions, e => e.Name == "immutable");
        Assert.Equal("fangtang", replacedBody.GetProperty("community").GetString());
        Assert.Equal(2, replacedBody.GetProperty("replacedByRevision").GetInt32());
        Assert.Contains(replaced.Headers.CacheControl!.Extensions, e => e.Name == "immutable");
        var header = rows[0].Split(',');
        Assert.All(rows.Skip(1), row => Assert.Equal("2", row.Split(',')[Array.IndexOf(header, "replacedByRevision")]));
        Assert.Contains(replacedCsv.Headers.CacheControl!.Extensions, e => e.Name == "immutable");
    }

    [Fact]
    public async Task A_list_not_yet_published_is_not_cached()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W46?kind=landlord");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.ETag);
        Assert.False(response.Headers.CacheControl?.Public ?? false);
    }

    private static async Task<ServiceWorld> PublishedWorldAsync()
    {
        var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        return world;
    }
}
