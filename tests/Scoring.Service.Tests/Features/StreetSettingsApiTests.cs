using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scoring.Service.Tests.Features;

public class StreetSettingsApiTests
{
    [Fact]
    public async Task An_officer_changes_the_deadline_and_the_holidays_and_reads_back_what_changed_and_who_changed_it()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");

        var patched = await officer.PatchAsJsonAsync("/api/streets/houzhai/settings", new { dailyDeadline = "17:00", holidays = new[] { "2027-01-01" }, workdays = new[] { "2027-01-02" }, roundsOnHolidays = false });
        var read = await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/settings");

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(("17:00", "08:00", 24, "week-year", "Asia/Shanghai"), (read.GetProperty("dailyDeadline").GetString(), read.GetProperty("workingHoursStart").GetString(),
            read.GetProperty("escalationAfterHours").GetInt32(), read.GetProperty("cycle").GetString(), read.GetProperty("timeZone").GetString()));
        Assert.Equal(("2027-01-01", false), (read.GetProperty("holidays")[0].GetString(), read.GetProperty("roundsOnHolidays").GetBoolean()));
        var change = read.GetProperty("changes")[0];
        Assert.Equal("officer-1", change.GetProperty("by").GetString());
        Assert.Equal(["dailyDeadline", "holidays", "workdays", "roundsOnHolidays"], change.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!));
    }

    [Fact]
    public async Task What_GET_answers_can_be_edited_and_sent_back_but_not_to_another_street()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var read = (await officer.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/streets/houzhai/settings"))!;
        read["blackListSize"] = 5;

        var sentBack = await officer.PatchAsJsonAsync("/api/streets/houzhai/settings", read);
        read["street"] = "elsewhere";
        var elsewhere = await officer.PatchAsJsonAsync("/api/streets/houzhai/settings", read);

        Assert.Equal(HttpStatusCode.OK, sentBack.StatusCode);
        Assert.Equal(5, (await sentBack.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("blackListSize").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
    }

    [Theory]
    [InlineData("""{"redListSize":"five"}""", "redListSize")]
    [InlineData("""{"redListSze":5}""", "redListSze")]
    [InlineData("""{"dailyDeadline":"25:00"}""", "dailyDeadline")]
    [InlineData("""{"holidays":[null]}""", "holidays")]
    [InlineData("null", "body")]
    public async Task A_setting_that_cannot_be_read_is_a_400_naming_it_and_changes_nothing(string body, string named)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("officer-1").PatchAsync("/api/streets/houzhai/settings", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(named, await response.Content.ReadAsStringAsync());
        var read = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/settings");
        Assert.Equal(0, read.GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public async Task An_officer_reads_why_settings_are_refused_in_Chinese_in_the_problem_s_detailZh()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("officer-1").PatchAsJsonAsync("/api/streets/houzhai/settings", new { timeZone = "Mars/Olympus", redListSize = 0 });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid-settings", problem.GetProperty("code").GetString());
        Assert.Equal("timeZone 'Mars/Olympus' is not a known time zone (e.g. Asia/Shanghai). redListSize must be from 1 to 50.", problem.GetProperty("detail").GetString());
        var chinese = problem.GetProperty("detailZh").GetString()!;
        Assert.StartsWith("设置有误：时区（timeZone）「Mars/Olympus」", chinese);
        Assert.Contains("红榜人数（redListSize）", chinese);
        Assert.DoesNotContain("must", chinese);
    }

    [Fact]
    public async Task A_smaller_red_list_shows_in_the_preview_of_a_week_not_yet_published()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        await world.ScoreAsync("landlord-1");
        await world.ScoreAsync("landlord-2");
        var officer = world.Client("officer-1");
        var before = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord");

        await officer.PatchAsJsonAsync("/api/streets/houzhai/settings", new { redListSize = 1 });
        var after = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord");

        Assert.Equal(["landlord-1", "landlord-2"], before.GetProperty("red").EnumerateArray().Select(e => e.GetProperty("subjectId").GetString()!));
        Assert.Equal(["landlord-1"], after.GetProperty("red").EnumerateArray().Select(e => e.GetProperty("subjectId").GetString()!));
    }

    [Fact]
    public async Task A_refusal_quotes_a_pasted_page_or_a_list_of_a_hundred_thousand_bad_days_in_a_bounded_detail()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var page = new string('x', 100_000);

        var zone = await officer.PatchAsJsonAsync("/api/streets/houzhai/settings", new { timeZone = page });
        var days = await officer.PatchAsJsonAsync("/api/streets/houzhai/settings", new { holidays = Enumerable.Repeat("someday", 100_000) });
        var street = await officer.PatchAsJsonAsync("/api/streets/houzhai/settings", new { street = page });
        var rules = await officer.PutAsJsonAsync("/api/streets/houzhai/rules", new { rules = new[] { new { code = page, nameZh = "规则", nameEn = "Rule", appliesTo = "landlord", delta = 1, reportedBy = new[] { "self" } } } });

        foreach (var refused in new[] { zone, days, street, rules })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True(body.Length < 10_000, $"{refused.RequestMessage!.RequestUri}: {body.Length} characters");
        }
    }
}
