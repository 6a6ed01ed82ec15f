using System.Net;
using Microsoft.AspNetCore.Http;

namespace Scoring.Service.Tests.Features;

public class RateLimitsTests
{
    [Fact]
    public async Task Public_routes_are_limited_per_client_and_staff_routes_are_not()
    {
        await using var world = await ServiceWorld.CreateAsync(settings: new Dictionary<string, string> { ["RateLimits:PublicPerMinute"] = "2" });
        var client = world.Client("officer-1");
        const string url = "/api/streets/houzhai/lists/2026-W46?kind=landlord";

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++) statuses.Add((await client.GetAsync(url)).StatusCode);
        var limited = await client.GetAsync(url);
        var staff = await client.GetAsync("/api/streets/houzhai/rules");

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
    }

    [Fact]
    public async Task A_public_answer_names_the_limit_and_a_refusal_says_none_is_left_and_when_it_resets()
    {
        await using var world = await ServiceWorld.CreateAsync(settings: new Dictionary<string, string> { ["RateLimits:PublicPerMinute"] = "1" });
        var client = world.Client();
        const string url = "/api/streets/houzhai/lists/2026-W46?kind=landlord";

        var first = await client.GetAsync(url);
        var limited = await client.GetAsync(url);
        var staff = await world.Client("officer-1").GetAsync("/api/streets/houzhai/rules");

        Assert.Equal("1;w=60", first.Headers.GetValues("RateLimit-Policy").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("1;w=60", limited.Headers.GetValues("RateLimit-Policy").Single());
        Assert.Matches(@"^limit=1, remaining=0, reset=\d+$", limited.Headers.GetValues("RateLimit").Single());
        Assert.False(staff.Headers.Contains("RateLimit-Policy"));
    }

    [Fact]
    public async Task Addresses_of_one_IPv6_network_share_a_quota_and_IPv4_clients_keep_their_own()
    {
        // One home or server gets a whole /64 of IPv6 addresses: counted one by one, it could read without any limit.
        await using var world = await ServiceWorld.CreateAsync(settings: new Dictionary<string, string> { ["RateLimits:PublicPerMinute"] = "2" });
        async Task<int> StatusFrom(string address) => (await world.Factory.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = "/api/streets/houzhai/lists/2026-W46";
            context.Request.QueryString = new QueryString("?kind=landlord");
            context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        })).Response.StatusCode;

        var sameNetwork = new[] { await StatusFrom("2001:db8:1:2::1"), await StatusFrom("2001:db8:1:2::2"), await StatusFrom("2001:db8:1:2:ffff::3") };
        var otherNetwork = await StatusFrom("2001:db8:1:3::1");
        // Kestrel on a dual-stack socket sees IPv4 clients as ::ffff:a.b.c.d: each is still its own client.
        var ipv4 = new[] { await StatusFrom("::ffff:192.0.2.1"), await StatusFrom("::ffff:192.0.2.1"), await StatusFrom("::ffff:192.0.2.2"), await StatusFrom("192.0.2.2") };

        Assert.Equal([404, 404, 429], sameNetwork);
        Assert.Equal(404, otherNetwork);
        Assert.Equal([404, 404, 404, 404], ipv4);
    }

    [Fact]
    public async Task A_client_sending_made_up_staff_tokens_is_stopped_before_the_database_and_other_clients_are_not()
    {
        // Each refused token cost a database read, and staff routes have no other limit: anyone could load the database so.
        await using var world = await ServiceWorld.CreateAsync(settings: new Dictionary<string, string> { ["RateLimits:RefusedStaffTokensPerMinute"] = "3" });

        var guesses = new List<int>();
        for (int i = 0; i < 4; i++) guesses.Add((await RulesAs(world, "2001:db8:7:7::1", $"st_guess{i}")).Response.StatusCode);
        var neverSeenHere = (await RulesAs(world, "2001:db8:7:7::2", world.TokenOf("officer-1"))).Response;
        var elsewhere = (await RulesAs(world, "192.0.2.10", world.TokenOf("officer-1"))).Response;

        Assert.Equal([401, 401, 401, 429], guesses);
        // A token this instance has not seen work yet is not read for a limited address: it could be one more guess.
        Assert.Equal(429, neverSeenHere.StatusCode);
        Assert.Equal("60", neverSeenHere.Headers.RetryAfter.ToString());
        Assert.Equal(200, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_token_that_worked_before_still_works_from_an_address_sending_made_up_ones_until_it_is_revoked()
    {
        // A secretary behind the same carrier NAT as someone spraying tokens keeps working; the sprayer's guesses still
        // cost no database read, and a revoked token stops at once, as it does from any other address.
        await using var world = await ServiceWorld.CreateAsync(settings: new Dictionary<string, string> { ["RateLimits:RefusedStaffTokensPerMinute"] = "3" });
        var before = (await RulesAs(world, "198.51.100.7", world.TokenOf("secretary-fangtang"))).Response.StatusCode;

        for (int i = 0; i < 4; i++) await RulesAs(world, "198.51.100.7", $"st_guess{i}");
        var guessAgain = (await RulesAs(world, "198.51.100.7", "st_guess9")).Response.StatusCode;
        var secretary = (await RulesAs(world, "198.51.100.7", world.TokenOf("secretary-fangtang"))).Response.StatusCode;
        var revoke = await world.Client("officer-1").DeleteAsync("/api/staff/secretary-fangtang/tokens");
        var revoked = (await RulesAs(world, "198.51.100.7", world.TokenOf("secretary-fangtang"))).Response;
        var revokedElsewhere = (await RulesAs(world, "192.0.2.10", world.TokenOf("secretary-fangtang"))).Response.StatusCode;

        Assert.Equal((200, 429, 200), (before, guessAgain, secretary));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(401, revoked.StatusCode);
        Assert.Equal(401, revokedElsewhere);
    }

    private static async Task<HttpContext> RulesAs(ServiceWorld world, string address, string token) => await world.Factory.Server.SendAsync(context =>
    {
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/api/streets/houzhai/rules";
        context.Request.Headers.Authorization = $"Bearer {token}";
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
    });

    [Fact]
    public void A_token_that_worked_a_moment_ago_costs_no_more_than_its_hash_to_note_again()
    {
        // Noted on every staff request that passes: rewriting the entry allocated, and counting the entries first took
        // every lock of the dictionary. Within a minute nothing is rewritten.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        using var tokens = new Scoring.Service.Features.RefusedStaffTokens(Microsoft.Extensions.Options.Options.Create(new Scoring.Service.Features.RateLimits()), clock);
        const string token = "a-staff-token-that-works";
        for (var i = 0; i < 100; i++) tokens.Worked(token); // past the JIT's first tiers
        for (var i = 0; i < 100; i++) Scoring.Application.Ids.Hash(token);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Scoring.Application.Ids.Hash(token);
        var hash = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        tokens.Worked(token);
        var noted = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(hash, noted);
    }
}
