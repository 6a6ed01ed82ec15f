using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Domain.Rules;

namespace Scoring.Service.Tests.Features;

/// <summary>The whole week through the HTTP doors: reports → verification → publication → public JSON, CSV and notice board.</summary>
public class WeeklyCycleTests
{
    [Fact]
    public async Task An_ordinary_week_runs_from_reports_to_the_public_lists()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-fangtang");
        var officer = world.Client("officer-1");
        var first = await world.ReportAsync("landlord-1");                                    // +2, pending
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await world.ReportAsync("landlord-1", DefaultRules.LandlordService);      // +1, pending
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        var deduction = await world.ReportByStaffAsync("gridworker-1", "landlord-2", DefaultRules.NotDisinfected); // −1, pending

        var queue = await secretary.GetFromJsonAsync<JsonElement>("/api/communities/fangtang/pending");
        Assert.Equal([first, second, deduction], queue.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToArray());

        Assert.Equal(HttpStatusCode.OK, (await secretary.PostAsync($"/api/events/{first}/approve", null)).StatusCode);
        var bulk = await secretary.PostAsJsonAsync("/api/communities/fangtang/pending/approve", new { ids = new[] { second, deduction } });
        Assert.Equal(2, (await bulk.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("approved").GetInt32());

        var early = await officer.PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W47?kind=landlord")).StatusCode);

        world.Clock.Advance(TimeSpan.FromDays(5) - TimeSpan.FromHours(8.5) - TimeSpan.FromMinutes(10)); // Monday of W48, 00:30
        var published = await officer.PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord" });
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        Assert.Equal("/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=1", published.Headers.Location!.OriginalString);
        var snapshot = await published.Content.ReadFromJsonAsync<JsonElement>();

        var list = await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47?kind=landlord");
        Assert.Equal(snapshot.GetProperty("contentHash").GetString(), list.GetProperty("contentHash").GetString());
        var red = Assert.Single(list.GetProperty("red").EnumerateArray());
        Assert.Equal((1, "应*乐", "fangtang", 15), (red.GetProperty("rank").GetInt32(), red.GetProperty("name").GetString(), red.GetProperty("community").GetString(), red.GetProperty("balance").GetInt32()));
        var black = Assert.Single(list.GetProperty("black").EnumerateArray());
        Assert.Equal(("王*兰", 11), (black.GetProperty("name").GetString(), black.GetProperty("balance").GetInt32()));
        Assert.False(red.TryGetProperty("subjectId", out _));

        var csv = ListCsvTests.Parse(await world.Client().GetByteArrayAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord"));
        // The columns scripts read; the revision's own (revision, hash, …) follow them.
        Assert.Equal([["list", "rank", "name", "community", "balance"], ["red", "1", "应*乐", "fangtang", "15"], ["black", "1", "王*兰", "fangtang", "11"]], csv.Select(r => r[..5]));

        var board = await world.Client().GetStringAsync("/streets/houzhai/board/2026-W47");
        Assert.Contains("应*乐", board);
        Assert.DoesNotContain("应天乐", board);
    }

    [Fact]
    public async Task Publishing_again_and_recomputing_give_the_same_content_hash()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        await world.ScoreAsync("landlord-3", DefaultRules.LandlordMediation);
        world.Clock.Advance(TimeSpan.FromDays(6));
        var officer = world.Client("officer-1");

        var first = await (await officer.PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord" })).Content.ReadFromJsonAsync<JsonElement>();
        world.Clock.Advance(TimeSpan.FromDays(3));
        var again = await officer.PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord" });
        var preview = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var hash = first.GetProperty("contentHash").GetString();
        Assert.Equal(hash, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contentHash").GetString());
        Assert.Equal(hash, preview.GetProperty("contentHash").GetString());
        Assert.Equal(5, preview.GetProperty("standings").GetArrayLength()); // every landlord stands, shop heads have their own list
    }

    /// <summary>Week 47's landlord list published with one landlord's report still pending; returns that report's id.</summary>
    private static async Task<string> PublishWithAReportPendingAsync(ServiceWorld world)
    {
        await world.ScoreAsync("landlord-1");
        var late = await world.ReportAsync("landlord-2");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        return late;
    }

    /// <summary>The officer publishes week 47's landlord list again as a correction.</summary>
    private static Task<HttpResponseMessage> CorrectAsync(ServiceWorld world) =>
        world.Client("officer-1").PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord", correctionReason = "一条上报核实较晚" });

    [Fact]
    public async Task The_public_list_read_again_is_the_same_JSON_and_a_correction_is_read_at_once()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var late = await PublishWithAReportPendingAsync(world);
        const string url = "/api/streets/houzhai/lists/2026-W47?kind=landlord";

        var first = await world.Client().GetAsync(url);
        var again = await world.Client().GetByteArrayAsync(url); // the list's JSON is made once and kept with it
        await world.ApproveAsync(late);
        await CorrectAsync(world);
        var corrected = await world.Client().GetFromJsonAsync<JsonElement>(url);

        Assert.Equal(("application/json", "utf-8"), (first.Content.Headers.ContentType?.MediaType, first.Content.Headers.ContentType?.CharSet));
        var body = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.Length, first.Content.Headers.ContentLength);
        Assert.Equal(body, again);
        Assert.Equal(1, JsonDocument.Parse(body).RootElement.GetProperty("revision").GetInt32());
        Assert.Equal(2, corrected.GetProperty("revision").GetInt32());
        Assert.Equal(2, corrected.GetProperty("red").GetArrayLength());
    }

    [Theory]
    [InlineData("应天乐的记录核实较晚")]          // a full name
    [InlineData("租客王小明的返回记录有误")]      // a tenant's: tenants are never public
    [InlineData("联系１３９００００００01核实")]   // full-width digits, as a Chinese keyboard types them
    [InlineData("联系 139 0000 0001 核实")]        // a phone, spaced
    [InlineData("身份证330782199001011234有误")]  // an identity number
    public async Task A_correction_reason_that_gives_a_person_away_is_refused_as_it_would_be_public(string reason)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var late = await PublishWithAReportPendingAsync(world);
        await world.ApproveAsync(late);

        var refused = await world.Client("officer-1").PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord", correctionReason = reason });
        var masked = await world.Client("officer-1").PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord", correctionReason = "应*乐 2026-11-17 的记录核实较晚" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("reason-names-a-person", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, masked.StatusCode);
    }

    [Fact]
    public async Task A_correction_reason_behind_a_right_to_left_override_is_a_400_text_control_naming_the_field_as_the_public_would_read_it_reversed()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var late = await PublishWithAReportPendingAsync(world);
        await world.ApproveAsync(late);

        var refused = await world.Client("officer-1").PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish",
            new { kind = "landlord", correctionReason = "\u202e晚较实核报上条一" });
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(("text-control", "correctionReason"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        Assert.Contains("U+202E", problem.GetProperty("detail").GetString());
        Assert.Contains("更正原因", problem.GetProperty("detailZh").GetString());
        Assert.Equal(1, (await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47?kind=landlord")).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_correction_makes_a_new_revision_and_the_old_one_stays_readable()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var late = await PublishWithAReportPendingAsync(world);
        await world.ApproveAsync(late); // approved after publication: the list is now out of date

        var correction = await CorrectAsync(world);

        Assert.Equal(HttpStatusCode.Created, correction.StatusCode);
        var latest = await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47?kind=landlord");
        var original = await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=1");
        Assert.Equal((2, "一条上报核实较晚"), (latest.GetProperty("revision").GetInt32(), latest.GetProperty("correctionReason").GetString()));
        Assert.Equal(2, latest.GetProperty("red").GetArrayLength());
        Assert.Equal(1, original.GetProperty("red").GetArrayLength());
        Assert.NotEqual(original.GetProperty("contentHash").GetString(), latest.GetProperty("contentHash").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=3")).StatusCode);
    }

    [Fact]
    public async Task The_year_end_week_2026_W53_and_2027_W01_belong_to_different_cycles()
    {
        var wednesdayOfW53 = new DateTimeOffset(2026, 12, 30, 9, 0, 0, TimeSpan.FromHours(8));
        await using var world = await ServiceWorld.CreateAsync(wednesdayOfW53);
        await world.ScoreAsync("landlord-1");                         // 2026-W53: 14
        world.Clock.Advance(TimeSpan.FromDays(7));                   // Wednesday of 2027-W01
        await world.ScoreAsync("landlord-1");                         // a new cycle: 12 + 2
        world.Clock.Advance(TimeSpan.FromDays(5));                   // Monday of 2027-W02
        var officer = world.Client("officer-1");

        Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync("/api/streets/houzhai/lists/2026-W53/publish", new { kind = "landlord" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync("/api/streets/houzhai/lists/2027-W01/publish", new { kind = "landlord" })).StatusCode);

        var w53 = await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W53?kind=landlord");
        var w01 = await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2027-W01?kind=landlord");
        Assert.Equal(14, w53.GetProperty("red")[0].GetProperty("balance").GetInt32());
        Assert.Equal(14, w01.GetProperty("red")[0].GetProperty("balance").GetInt32());
        var board = await world.Client().GetStringAsync("/streets/houzhai/board/2026-W53");
        Assert.Contains("2026年12月28日（周一）至 2027年1月3日（周日）", board);
        Assert.Equal(HttpStatusCode.BadRequest, (await world.Client().GetAsync("/api/streets/houzhai/lists/2027-W53?kind=landlord")).StatusCode);
    }

    [Fact]
    public async Task A_subject_read_on_monday_4_january_shows_cycle_2027_from_12_and_what_cycle_2026_ended_at()
    {
        await using var world = await ServiceWorld.CreateAsync(new DateTimeOffset(2026, 12, 30, 9, 0, 0, TimeSpan.FromHours(8)));
        await world.ScoreAsync("landlord-1");                         // 2026-W53: 14
        world.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(8)));

        var subject = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");

        Assert.Equal(12, subject.GetProperty("balance").GetInt32());
        Assert.Equal("2027", subject.GetProperty("cycle").GetString());
        Assert.Equal("2026", subject.GetProperty("previousCycle").GetProperty("cycle").GetString());
        Assert.Equal(14, subject.GetProperty("previousCycle").GetProperty("balance").GetInt32());
        var counted = subject.GetProperty("events")[0];
        Assert.Equal(("2026-W53", "2026"), (counted.GetProperty("week").GetString(), counted.GetProperty("cycle").GetString()));
    }

    [Fact]
    public async Task Someone_entered_in_january_has_no_previous_cycle_to_show()
    {
        await using var world = await ServiceWorld.CreateAsync(new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(8)));
        var officer = world.Client("officer-1");
        var created = await officer.PostAsJsonAsync("/api/streets/houzhai/subjects", new { kind = "landlord", community = "fangtang", name = "新房东", phone = "13755550000" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var subject = await officer.GetFromJsonAsync<JsonElement>($"/api/subjects/{id}");

        Assert.Equal("2027", subject.GetProperty("cycle").GetString());
        Assert.Equal(JsonValueKind.Null, subject.GetProperty("previousCycle").ValueKind);
    }

    [Fact]
    public async Task Someone_off_the_roster_the_whole_previous_cycle_has_none_to_show_but_one_off_for_part_of_it_has()
    {
        await using var world = await ServiceWorld.CreateAsync(new DateTimeOffset(2025, 12, 3, 9, 0, 0, TimeSpan.FromHours(8)));
        var officer = world.Client("officer-1");
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync("/api/subjects/landlord-1/deactivate", null)).StatusCode);   // off in cycle 2025, all of 2026
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 3, 9, 0, 0, TimeSpan.FromHours(8)));
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync("/api/subjects/landlord-2/deactivate", null)).StatusCode);   // off from mid-2026
        world.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 6, 9, 0, 0, TimeSpan.FromHours(8)));
        foreach (var id in new[] { "landlord-1", "landlord-2" })
            Assert.Equal(HttpStatusCode.OK, (await officer.PutAsJsonAsync($"/api/subjects/{id}", new { active = true })).StatusCode);

        var away = await officer.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");
        var partly = await officer.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-2");

        Assert.Equal(JsonValueKind.Null, away.GetProperty("previousCycle").ValueKind);
        Assert.Equal(("2026", 12), (partly.GetProperty("previousCycle").GetProperty("cycle").GetString(), partly.GetProperty("previousCycle").GetProperty("balance").GetInt32()));
    }
}
