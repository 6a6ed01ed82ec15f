using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Scoring.Service.Tests.Hosting;

/// <summary>What every answer tells a browser or a cache, whoever made it.</summary>
public class SecurityHeadersTests
{
    [Fact]
    public async Task Every_staff_answer_is_kept_by_no_cache_also_a_refusal()
    {
        // Phones unmasked, roster files and a token shown once were answered with no Cache-Control at all: a shared
        // PC's browser kept them on disk after signing out.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Token() => new(HttpMethod.Post, "/api/staff/gridworker-1/tokens") { Headers = { { Scoring.Service.Features.Idempotency.Header, key } } };

        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["subject"] = await officer.GetAsync("/api/subjects/landlord-1"),
            ["roster.csv"] = await officer.GetAsync("/api/streets/houzhai/roster.csv"),
            ["token"] = await officer.SendAsync(Token()),
            ["token replayed"] = await officer.SendAsync(Token()),
            ["404"] = await officer.GetAsync("/api/subjects/nobody"),
            ["403"] = await world.Client("secretary-changchun").GetAsync("/api/subjects/landlord-1"),
            ["401"] = await world.Client().GetAsync("/api/subjects/landlord-1"),
            ["400 body"] = await officer.PostAsync("/api/streets/houzhai/lists/2026-W46/publish", new StringContent("{\"kind\":", Encoding.UTF8, "application/json")),
            ["400 query"] = await officer.GetAsync("/api/subjects/landlord-1?recent=1000"),
        };

        Assert.Equal(["true"], answers["token replayed"].Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized),
            (answers["subject"].StatusCode, answers["404"].StatusCode, answers["403"].StatusCode, answers["401"].StatusCode));
        Assert.All(answers, a => Assert.True(a.Value.Headers.CacheControl?.NoStore == true, $"{a.Key}: Cache-Control {a.Value.Headers.CacheControl}"));
    }

    [Fact]
    public async Task Public_answers_keep_their_own_freshness()
    {
        await using var world = await ServiceWorld.CreateAsync();
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var list = await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W47?kind=landlord");
        var revision = await world.Client("officer-1").GetAsync("/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=1"); // a token changes nothing there

        Assert.Equal("public, max-age=60", list.Headers.CacheControl!.ToString());
        Assert.Equal("public, max-age=31536000, immutable", revision.Headers.CacheControl!.ToString());
    }
}
