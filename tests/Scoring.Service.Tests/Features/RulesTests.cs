using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Domain.Rules;

namespace Scoring.Service.Tests.Features;

public class RulesTests
{
    private static object[] RulesWithServiceWorth(int delta) =>
        ApiRouteExpectations.DefaultRuleBodies(r => r.Code == DefaultRules.LandlordService ? r with { Delta = delta } : r);

    [Fact]
    public async Task A_version_published_in_a_week_s_last_minutes_never_starts_before_an_event_already_scored()
    {
        var sundayLate = new DateTimeOffset(2026, 11, 22, 23, 57, 0, TimeSpan.FromHours(8));
        await using var world = await ServiceWorld.CreateAsync(sundayLate);
        // Reports may be dated a few minutes ahead (a phone's clock): this one falls in the next week, under version 1.
        var id = await world.ReportAsync("landlord-1", DefaultRules.LandlordService, occurredAt: sundayLate.AddMinutes(4));
        world.Clock.Advance(TimeSpan.FromMinutes(1));

        var put = await world.Client("officer-1").PutAsJsonAsync("/api/streets/houzhai/rules", new { rules = RulesWithServiceWorth(3) });

        var version = await put.Content.ReadFromJsonAsync<JsonElement>();
        var scored = await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>($"/api/events/{id}");
        Assert.Equal(1, scored.GetProperty("ruleVersion").GetInt32());
        Assert.True(version.GetProperty("effectiveFrom").GetDateTimeOffset() > scored.GetProperty("occurredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_subject_s_events_say_which_rule_version_each_was_scored_with()
    {
        // One landlord's list holds a service worth 1 (version 1) and one worth 2 (version 2): the officer can tell why.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        await officer.PutAsJsonAsync("/api/streets/houzhai/rules", new { rules = RulesWithServiceWorth(2) });
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService);
        world.Clock.Advance(TimeSpan.FromDays(5));
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService);

        var subject = await officer.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");

        Assert.Equal([(2, 2), (1, 1)], subject.GetProperty("events").EnumerateArray()
            .Select(e => (e.GetProperty("delta").GetInt32(), e.GetProperty("ruleVersion").GetInt32())));
    }

    [Fact]
    public async Task A_new_version_applies_from_the_next_weeks_start()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");

        var put = await officer.PutAsJsonAsync("/api/streets/houzhai/rules", new { rules = RulesWithServiceWorth(2) });
        var same = await officer.PutAsJsonAsync("/api/streets/houzhai/rules", new { rules = RulesWithServiceWorth(2) });
        var book = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/rules");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var version = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, version.GetProperty("version").GetInt32());
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8)), version.GetProperty("effectiveFrom").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(1, book.GetProperty("current").GetProperty("version").GetInt32());
        Assert.Equal(2, book.GetProperty("upcoming").GetProperty("version").GetInt32());
        Assert.Equal([1, 2], book.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));

        world.Clock.Advance(TimeSpan.FromDays(5));
        var next = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/rules");
        Assert.Equal(2, next.GetProperty("current").GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Null, next.GetProperty("upcoming").ValueKind);
    }

    [Fact]
    public async Task An_invalid_rule_set_is_refused_with_every_problem_named()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var rules = new object[]
        {
            new { code = "a", nameZh = "甲", nameEn = "A", appliesTo = "landlord", delta = 0, reportedBy = new[] { "self" } },
            new { code = "a", nameZh = "甲", nameEn = "A", appliesTo = "landlord", delta = 1, reportedBy = new[] { "self" }, weeklyCap = -1 },
            new { code = "b", nameZh = "乙", nameEn = "B", appliesTo = "tenant", delta = 1, reportedBy = new[] { "self" } },
        };

        var response = await world.Client("officer-1").PutAsJsonAsync("/api/streets/houzhai/rules", new { rules });
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("used more than once", detail);
        Assert.Contains("delta ≠ 0", detail);
        Assert.Contains("negative weekly cap", detail);
        Assert.Contains("landlord or shop-head", detail);
    }

    [Fact]
    public async Task An_officer_reads_why_rules_are_refused_in_Chinese_in_the_problem_s_detailZh()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("officer-1").PutAsJsonAsync("/api/streets/houzhai/rules", new { rules = RulesWithServiceWorth(0) });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid-rules", problem.GetProperty("code").GetString());
        Assert.Equal($"Rule '{DefaultRules.LandlordService}' must add or deduct points (delta ≠ 0).", problem.GetProperty("detail").GetString());
        Assert.Equal($"规则有误：规则「{DefaultRules.LandlordService}」必须加分或扣分（分值不能为0）。", problem.GetProperty("detailZh").GetString());
    }

    [Theory]
    [InlineData("\u202e", "Mediation")]          // a name of just a right-to-left override was accepted
    [InlineData("参与\u200b调解", "Mediation")]
    [InlineData("参与调解", "Media\u0000tion")]
    [InlineData("参与调解", "\u2067Mediation\u2069")]
    [InlineData("\u3164", "Mediation")]          // a Hangul filler: a letter to Unicode, blank on every card
    [InlineData("参与调解", "\u2800")]           // a blank Braille pattern
    public async Task A_rule_name_with_control_or_invisible_characters_is_refused_as_a_person_s_name_is(string nameZh, string nameEn)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var rules = RulesWithServiceWorth(1).Append(new { code = "odd-name", nameZh, nameEn, appliesTo = "landlord", delta = 1, reportedBy = new[] { "self" } }).ToArray();

        var response = await world.Client("officer-1").PutAsJsonAsync("/api/streets/houzhai/rules", new { rules });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid-rules", problem.GetProperty("code").GetString());
        Assert.Contains("Rule 'odd-name'", problem.GetProperty("detail").GetString());
        Assert.Contains("control or invisible formatting characters", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_null_among_the_rules_is_a_400_naming_the_entry()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var body = "{\"rules\":[" + JsonSerializer.Serialize(RulesWithServiceWorth(1)[0]) + ",null]}";

        var response = await world.Client("officer-1").PutAsync("/api/streets/houzhai/rules", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Rule 2 (rules[1]) is null", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public async Task A_delta_at_the_ends_of_a_whole_number_is_a_400_not_a_500(int delta)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("officer-1").PutAsJsonAsync("/api/streets/houzhai/rules", new { rules = RulesWithServiceWorth(delta) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("implausible delta", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
    [Fact]
    public async Task A_misspelt_rule_field_is_a_400_naming_it_not_a_rule_published_without_it()
    {
        // weekly_cap for weeklyCap: read as no cap, the service would have been uncapped from next week, answered 201.
        await using var world = await ServiceWorld.CreateAsync();
        var rules = RulesWithServiceWorth(1).Append(new { code = "fire-check", nameZh = "消防自查", nameEn = "Fire check", appliesTo = "landlord",
            delta = 1, reportedBy = new[] { "self" }, weekly_cap = 1 }).ToArray();

        var response = await world.Client("officer-1").PutAsJsonAsync("/api/streets/houzhai/rules", new { rules });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("weekly_cap", await response.Content.ReadAsStringAsync());
        var book = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/rules");
        Assert.Equal(1, book.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task What_a_rule_scores_only_once_is_read_with_the_rules_and_published_with_a_renamed_rule()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var before = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/rules");
        string? OnceOf(JsonElement set, string code) => set.GetProperty("rules").EnumerateArray()
            .Single(r => r.GetProperty("code").GetString() == code).GetProperty("once").GetString();
        Assert.Equal("target-per-cycle", OnceOf(before.GetProperty("current"), DefaultRules.ShopReopenHelped));
        Assert.Equal("subject-per-day", OnceOf(before.GetProperty("current"), DefaultRules.RoundMissed));
        Assert.Null(OnceOf(before.GetProperty("current"), DefaultRules.LandlordService));

        // The street's own codes: its reopen rule renamed, and a once-a-day deduction of its own, with "once" said once more.
        var rules = ApiRouteExpectations.DefaultRuleBodies(r => r.Code == DefaultRules.ShopReopenHelped ? r with { Code = "shop-reopened" } : r)
            .Append(new { code = "stall-check-missed", nameZh = "未做摊位检查", nameEn = "Stall check missed", appliesTo = "shop-head", delta = -1,
                reportedBy = new[] { "grid-worker" }, once = "Subject-Per-Day" }).ToArray();
        var put = await officer.PutAsJsonAsync("/api/streets/houzhai/rules", new { rules });
        var after = await officer.GetFromJsonAsync<JsonElement>("/api/streets/houzhai/rules");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("target-per-cycle", OnceOf(after.GetProperty("upcoming"), "shop-reopened"));
        Assert.Equal("subject-per-day", OnceOf(after.GetProperty("upcoming"), "stall-check-missed"));
        Assert.Equal("subject-per-day", OnceOf(after.GetProperty("upcoming"), DefaultRules.RoundMissed));
        Assert.Null(OnceOf(after.GetProperty("upcoming"), DefaultRules.LandlordMediation));
        // The rules read and sent back unchanged are the same rules: nothing new is published.
        var again = await officer.PutAsJsonAsync("/api/streets/houzhai/rules", new { rules = after.GetProperty("upcoming").GetProperty("rules") });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_once_the_rules_do_not_know_is_refused_naming_the_two_there_are_and_nothing_is_published()
    {
        // Read as nothing, "once a week" would publish a rule that scores the same shop again and again, answered 201.
        await using var world = await ServiceWorld.CreateAsync();
        var rules = ApiRouteExpectations.DefaultRuleBodies().Append(new { code = "fire-check", nameZh = "消防自查", nameEn = "Fire check",
            appliesTo = "landlord", delta = 1, reportedBy = new[] { "self" }, once = "per-week" }).ToArray();

        var response = await world.Client("officer-1").PutAsJsonAsync("/api/streets/houzhai/rules", new { rules });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'per-week' is not target-per-cycle or subject-per-day", problem.GetProperty("detail").GetString());
        Assert.Contains("只计一次", problem.GetProperty("detailZh").GetString());
        var book = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/rules");
        Assert.Equal(1, book.GetProperty("versions").GetArrayLength());
    }

    [Theory]
    [InlineData("2026-11-18T10:00:00+08:00")] // Wednesday 10:00, this week
    [InlineData("2026-11-01T00:00:00+08:00")] // weeks ago
    [InlineData("2027-01-04T00:00:00+08:00")] // 2027-W01
    public async Task An_effective_date_asked_for_is_refused_saying_a_version_applies_from_the_next_week_not_silently_moved(string effectiveFrom)
    {
        // The answer's effectiveFrom was next Monday whatever the officer asked: rules meant for January in force in November.
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("officer-1").PutAsJsonAsync("/api/streets/houzhai/rules", new { rules = RulesWithServiceWorth(2), effectiveFrom });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("effectiveFrom", problem.GetProperty("detail").GetString());
        Assert.Contains("next week", problem.GetProperty("detail").GetString());
        Assert.Contains("下一周", problem.GetProperty("detailZh").GetString());
        var book = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/rules");
        Assert.Equal(1, book.GetProperty("versions").GetArrayLength());
    }
}
