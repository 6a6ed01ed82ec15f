using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Dapper;
using Scoring.Application;
using Scoring.Storage;
using Scoring.Service.Hosting;

namespace Scoring.Service.Tests.Features;

/// <summary>Landlords and shop heads long off the roster, as the clockwork erases them and the API then shows them.</summary>
public sealed class OffRosterErasureApiTests
{
    private static VerificationClockWork Clockwork(ServiceWorld world) => new(world.Db, world.Clock, world.Service<Verification>(), world.Service<Rounds>(),
        world.Service<OffRosterErasure>(), NullLogger<VerificationClockWork>.Instance);

    [Fact]
    public async Task The_clockwork_erases_someone_off_the_roster_since_last_year_and_the_api_shows_them_masked_and_refuses_to_bring_them_back()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var officer = world.Client("officer-1");
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync("/api/subjects/landlord-1/deactivate", null)).StatusCode);

        world.Clock.AdjustTime(new DateTimeOffset(2028, 1, 3, 0, 0, 0, TimeSpan.FromHours(8)));
        await Clockwork(world).RunRoundAsync(CancellationToken.None);

        var subject = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/subjects?includeInactive=true");
        var erased = subject.GetProperty("items").EnumerateArray().Single(x => x.GetProperty("id").GetString() == "landlord-1");
        Assert.Equal("应*乐", erased.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, erased.GetProperty("phone").ValueKind);
        Assert.Equal(new DateTimeOffset(2028, 1, 3, 0, 0, 0, TimeSpan.FromHours(8)), erased.GetProperty("erasedAt").GetDateTimeOffset());
        var back = await officer.PutAsJsonAsync("/api/subjects/landlord-1", new { active = true });
        Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        Assert.Equal("subject-erased", (await back.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        // Their points stay in the ledger and its views.
        var card = await officer.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");
        Assert.Equal("应*乐", card.GetProperty("name").GetString());
    }
    [Fact]
    public async Task The_clockwork_erases_only_while_it_holds_its_lease_however_long_the_round_before_took()
    {
        // Every reading of the clock 30 s later: a slow round. The erasure came after escalation, missed rounds and the
        // forgetting of keys, under the lease taken at the round's start, and could outlast it; it now renews the lease
        // and stops taking people once its time is spent.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        foreach (var id in new[] { "landlord-1", "landlord-2", "landlord-3" })
            Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync($"/api/subjects/{id}/deactivate", null)).StatusCode);
        world.Clock.AdjustTime(new DateTimeOffset(2028, 1, 3, 0, 0, 0, TimeSpan.FromHours(8)));
        world.Clock.AutoAdvanceAmount = TimeSpan.FromSeconds(30);

        await Clockwork(world).RunRoundAsync(CancellationToken.None);

        world.Clock.AutoAdvanceAmount = TimeSpan.Zero;
        var leaseUntil = Assert.Single(await world.Db.ReadAsync(s => s.ListLeasesAsync())).LeaseUntil;
        var erasedAt = (await world.Db.ReadAsync(s => s.Connection.QueryAsync<string>("SELECT erased_at FROM subjects WHERE erased_at IS NOT NULL", transaction: s.Transaction)))
            .Select(DateTimeOffset.Parse).ToList();
        Assert.NotEmpty(erasedAt);
        Assert.All(erasedAt, at => Assert.True(at < leaseUntil, $"erased at {at:O}, the lease ran out at {leaseUntil:O}"));
    }

    [Fact]
    public async Task Erasure_alone_never_makes_a_published_week_look_corrected_its_preview_keeps_the_published_hash_and_publishing_again_changes_nothing()
    {
        // The masked name is in the content hash: once someone on an old week's list was erased, its preview's hash no
        // longer matched the published one, and publishing with a reason froze a "correction" in which no point changed.
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        var officer = world.Client("officer-1");
        var published = await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47?kind=landlord");
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync("/api/subjects/landlord-1/deactivate", null)).StatusCode);
        world.Clock.AdjustTime(new DateTimeOffset(2028, 1, 3, 0, 0, 0, TimeSpan.FromHours(8)));
        await Clockwork(world).RunRoundAsync(CancellationToken.None);
        Assert.Equal("应*乐", (await world.SubjectAsync("landlord-1")).Name);

        var preview = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord");
        var corrected = await officer.PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord", correctionReason = "复核应*乐的记录" });
        var again = await officer.PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord" });

        Assert.Equal(("landlord-1", "应*乐"), (preview.GetProperty("red")[0].GetProperty("subjectId").GetString(), preview.GetProperty("red")[0].GetProperty("name").GetString()));
        Assert.Equal(published.GetProperty("contentHash").GetString(), preview.GetProperty("contentHash").GetString());
        foreach (var answer in new[] { corrected, again })
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var list = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(1, list.GetProperty("revision").GetInt32());
            Assert.Equal(published.GetProperty("contentHash").GetString(), list.GetProperty("contentHash").GetString());
        }
        var board = await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47?kind=landlord");
        Assert.Equal(1, board.GetProperty("revision").GetInt32());
    }
}
