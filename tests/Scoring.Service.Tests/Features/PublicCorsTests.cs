using System.Net;

namespace Scoring.Service.Tests.Features;

/// <summary>A notice-board page on another site reads the published lists in the browser; staff routes stay closed to it.</summary>
public class PublicCorsTests
{
    private const string Origin = "https://board.example.org";

    [Fact]
    public async Task A_page_on_another_origin_may_read_a_published_list_and_its_refusals()
    {
        await using var world = await ServiceWorld.CreateAsync();
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        var client = world.Client();

        var list = await client.SendAsync(WithOrigin(HttpMethod.Get, "/api/streets/houzhai/lists/2026-W47?kind=landlord"));
        var csv = await client.SendAsync(WithOrigin(HttpMethod.Get, "/api/streets/houzhai/lists/2026-W47.csv?kind=landlord"));
        var unpublished = await client.SendAsync(WithOrigin(HttpMethod.Get, "/api/streets/houzhai/lists/2026-W46?kind=landlord"));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("*", AllowedOrigin(list));
        Assert.Equal("*", AllowedOrigin(csv));
        Assert.Equal(HttpStatusCode.NotFound, unpublished.StatusCode);
        Assert.Equal("*", AllowedOrigin(unpublished)); // the page can read list-not-published and say so
        Assert.False(list.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("/api/streets/houzhai/lists/2026-W47?kind=landlord")]
    [InlineData("/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=1")]
    [InlineData("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord")]
    [InlineData("/streets/houzhai/board/2026-W47")]
    public async Task A_public_answer_is_the_same_for_every_origin_so_a_shared_cache_serves_it_to_any(string url)
    {
        // The answers are public and cacheable (for a year with ?revision=): one stored from a request without an Origin
        // (a printer, curl, the board opened directly) was served to a page on another origin, which the browser then
        // refused for want of Access-Control-Allow-Origin.
        await using var world = await ServiceWorld.CreateAsync();
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        var client = world.Client();

        var without = await client.GetAsync(url);
        var with = await client.SendAsync(WithOrigin(HttpMethod.Get, url));
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (without.StatusCode, with.StatusCode));
        Assert.Equal("*", AllowedOrigin(without));
        Assert.Equal(CorsHeaders(with), CorsHeaders(without));
        Assert.Equal(CorsHeaders(with), CorsHeaders(head));
        Assert.DoesNotContain("Origin", without.Headers.Vary);
    }

    [Fact]
    public async Task A_preflight_for_a_public_list_is_answered()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var preflight = WithOrigin(HttpMethod.Options, "/api/streets/houzhai/lists/2026-W47?kind=landlord");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "if-none-match");

        var response = await world.Client().SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", AllowedOrigin(response));
        Assert.Contains("GET", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact]
    public async Task Staff_routes_are_not_opened_to_other_origins()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var preflight = WithOrigin(HttpMethod.Options, "/api/streets/houzhai/lists/2026-W47/preview?kind=landlord");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");

        var preview = await officer.SendAsync(WithOrigin(HttpMethod.Get, "/api/streets/houzhai/lists/2026-W47/preview?kind=landlord"));
        var answer = await officer.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Null(AllowedOrigin(preview));
        Assert.Null(AllowedOrigin(answer));
    }

    private static HttpRequestMessage WithOrigin(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Origin", Origin);
        return request;
    }

    private static string CorsHeaders(HttpResponseMessage response) => string.Join("\n", response.Headers
        .Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase))
        .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));

    private static string? AllowedOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
}
