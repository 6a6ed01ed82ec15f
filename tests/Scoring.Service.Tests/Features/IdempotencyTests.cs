using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Scoring.Service.Features;
using Scoring.Storage;

namespace Scoring.Service.Tests.Features;

public class IdempotencyTests
{
    private const string Route = "/api/subjects/landlord-1/redemptions";

    private static HttpRequestMessage Redeem(string key, int points = 1) => new(HttpMethod.Post, Route)
    {
        Content = JsonContent.Create(new { points, note = "兑换大米一袋" }),
        Headers = { { Idempotency.Header, key } },
    };

    [Fact]
    public async Task The_same_key_replays_the_first_outcome_and_redeems_once()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");

        var first = await client.SendAsync(Redeem("6b1f0c3e-0001"));
        var again = await client.SendAsync(Redeem("6b1f0c3e-0001"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal("application/json; charset=utf-8", again.Content.Headers.ContentType!.ToString());
        Assert.True(again.Headers.Contains(Idempotency.ReplayedHeader));
        var subject = await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");
        Assert.Equal(1, subject.GetProperty("rewards").GetProperty("redeemed").GetInt32());
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");

        await client.SendAsync(Redeem("key-2", points: 1));
        var different = await client.SendAsync(Redeem("key-2", points: 2));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.Equal("idempotency-key-reused", (await different.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_key_still_running_is_409_until_it_is_taken_as_abandoned()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");
        using var probe = Redeem("key-3");
        var body = await probe.Content!.ReadAsByteArrayAsync();
        // The first request with this key has been claimed but has not finished (it is running elsewhere).
        var requestHash = await Idempotency.RequestHashAsync("", probe.Content.Headers.ContentType!.ToString(), new MemoryStream(body));
        await world.Db.WriteAsync(s => s.InsertIdempotencyAsync(Idempotency.ScopeOf("secretary-fangtang", Route), Idempotency.Sha256Hex("key-3"),
            requestHash, world.Clock.GetUtcNow()));

        var running = await client.SendAsync(Redeem("key-3"));
        world.Clock.Advance(Idempotency.Abandoned);
        var retried = await client.SendAsync(Redeem("key-3"));

        Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
        Assert.Equal("idempotency-key-in-flight", (await running.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    [Fact]
    public async Task Keys_are_scoped_per_staff_member()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");

        var secretarys = await world.Client("secretary-fangtang").SendAsync(Redeem("shared"));
        var officers = await world.Client("officer-1").SendAsync(Redeem("shared"));
        var secretarysAgain = await world.Client("secretary-fangtang").SendAsync(Redeem("shared"));

        // The key is stored for the secretary (a replay for her), yet the officer's same key is a request of its own.
        Assert.Equal(HttpStatusCode.Created, secretarys.StatusCode);
        Assert.True(secretarysAgain.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(HttpStatusCode.Created, officers.StatusCode);
        Assert.False(officers.Headers.Contains(Idempotency.ReplayedHeader));
    }

    [Fact]
    public async Task A_replayed_enrolment_code_is_the_same_but_never_stored_readably()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var client = world.Client("secretary-fangtang");
        HttpRequestMessage Issue() => new(HttpMethod.Post, "/api/enrolments") { Content = JsonContent.Create(new { subjectId = "landlord-2" }), Headers = { { Idempotency.Header, "enrol-1" } } };

        var first = await (await client.SendAsync(Issue())).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await client.SendAsync(Issue())).Content.ReadFromJsonAsync<JsonElement>();

        var code = first.GetProperty("code").GetString()!;
        Assert.Equal(code, again.GetProperty("code").GetString());
        var stored = await world.Db.ReadAsync(s => s.GetIdempotencyAsync(Idempotency.ScopeOf("secretary-fangtang", "/api/enrolments"), Idempotency.Sha256Hex("enrol-1")));
        Assert.NotNull(stored?.ResponseBody);
        Assert.DoesNotContain(code, stored!.ResponseBody!);
        Assert.DoesNotContain(code, Encoding.UTF8.GetString(Convert.FromBase64String(stored.ResponseBody!)));
    }

    [Fact]
    public async Task A_key_that_is_not_visible_ascii_is_400()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client("officer-1").SendAsync(Redeem(new string('k', Idempotency.MaxKeyLength + 1)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
