using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Domain.Rules;

namespace Scoring.Service.Tests.Features;

public class ReportsTests
{
    private static readonly string[] EventFields = ["id", "street", "community", "subjectId", "subjectName", "kind", "rule", "ruleNameZh", "ruleNameEn", "ruleVersion",
        "delta", "status", "occurredAt", "reportedAt", "reporter", "reporterRole", "source", "evidence", "escalatedAt"];

    [Fact]
    public async Task A_report_answers_the_event_as_its_own_page_shows_it_with_the_balance_after_it()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("gridworker-1").SendAsync(Keyed("report-first"));
        var reported = await response.Content.ReadFromJsonAsync<JsonElement>();
        var page = await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>($"/api/events/{reported.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(EventFields.Concat(["balance", "week", "cycle", "cycleBalance", "publishedWeeksAffected", "sameDayRecord", "alreadyRecorded"]).Order(StringComparer.Ordinal), reported.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(EventFields.Append("transitions").Order(StringComparer.Ordinal), page.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        // Written the same, instants included (in UTC, though the report was made with the clock's offset).
        Assert.All(EventFields, f => Assert.Equal(page.GetProperty(f).ToString(), reported.GetProperty(f).ToString()));
        Assert.Equal(("landlord-1", "corridor-not-disinfected", "gridworker-1", "grid-worker"),
            (reported.GetProperty("subjectId").GetString(), reported.GetProperty("rule").GetString(), reported.GetProperty("reporter").GetString(), reported.GetProperty("reporterRole").GetString()));
        Assert.Equal(JsonValueKind.Number, reported.GetProperty("balance").ValueKind);
    }

    [Fact]
    public async Task A_deduction_reported_again_the_same_day_names_the_record_already_there_as_the_chat_s_receipt_does()
    {
        // Two grid workers (here one, twice) reporting one dirty corridor: the desk tool is told, as chat is, to check.
        await using var world = await ServiceWorld.CreateAsync();
        async Task<JsonElement> ReportAsync(string key, string evidence) =>
            await (await world.Client("gridworker-1").SendAsync(Keyed(key, evidence))).Content.ReadFromJsonAsync<JsonElement>();

        var first = await ReportAsync("same-day-1", "楼道未按时消毒");
        var second = await ReportAsync("same-day-2", "三楼楼道没消毒");

        Assert.Equal(JsonValueKind.Null, first.GetProperty("sameDayRecord").ValueKind);
        Assert.Equal((first.GetProperty("id").GetString(), "pending"),
            (second.GetProperty("sameDayRecord").GetProperty("id").GetString(), second.GetProperty("sameDayRecord").GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Keys_that_differ_only_in_case_are_two_reports_whatever_the_database_s_collation()
    {
        await using var world = await ServiceWorld.CreateAsync();
        async Task<JsonElement> ReportAsync(string key) => await (await world.Client("gridworker-1").SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/api/subjects/landlord-1/events")
            {
                Content = JsonContent.Create(new { rule = DefaultRules.NotDisinfected, evidence = "楼道未按时消毒" }),
                Headers = { { Scoring.Service.Features.Idempotency.Header, key } },
            })).Content.ReadFromJsonAsync<JsonElement>();

        var upper = await ReportAsync("Round-A1");
        var lower = await ReportAsync("round-a1");

        Assert.NotEqual(upper.GetProperty("id").GetString(), lower.GetProperty("id").GetString());
        // SQL Server compares text without case by default: the sources must differ in more than case.
        Assert.False(string.Equals(upper.GetProperty("source").GetString(), lower.GetProperty("source").GetString(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_report_without_an_Idempotency_Key_is_refused_so_that_a_retry_cannot_record_it_twice()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var client = world.Client("gridworker-1");

        // A client that times out and sends the report again: without a key the two could not be told from two reports.
        var first = await client.PostAsJsonAsync("/api/subjects/landlord-1/events", new { rule = DefaultRules.NotDisinfected, evidence = "楼道未按时消毒" });
        var again = await client.PostAsJsonAsync("/api/subjects/landlord-1/events", new { rule = DefaultRules.NotDisinfected, evidence = "楼道未按时消毒" });

        Assert.All([first, again], r => Assert.Equal((HttpStatusCode)428, r.StatusCode));
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("idempotency-key-required", problem.GetProperty("code").GetString());
        Assert.Contains("幂等键", problem.GetProperty("detailZh").GetString());
        var history = await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1/events");
        Assert.Equal(0, history.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_report_sent_again_with_its_key_is_recorded_once_and_answered_as_the_first_time()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var client = world.Client("gridworker-1");

        var first = await client.SendAsync(Keyed("report-7f3a"));
        var again = await client.SendAsync(Keyed("report-7f3a"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        var history = await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1/events");
        Assert.Equal(1, history.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("2026-11-15T22:00:00")]      // Sunday 22:00 in Shanghai (W46); read as the host's UTC, Monday 06:00 there (W47)
    [InlineData("2026-11-15T22:00")]
    [InlineData("2026-11-15")]
    public async Task A_report_dated_without_an_offset_is_refused_saying_to_give_one_never_read_in_the_host_s_zone(string occurredAt)
    {
        // The same request scored in two weeks depending on the machine's time zone (System.Text.Json reads an
        // offset-less time as the host's local time).
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-fangtang");

        var response = await secretary.PostKeyedAsync("/api/subjects/landlord-1/events",
            JsonContent.Create(new { rule = DefaultRules.LandlordService, evidence = "周日晚上帮租客办居住登记", occurredAt }));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var events = await secretary.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1/events?cycle=2026");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("invalid-input", "occurredAt"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        Assert.Contains("+08:00", problem.GetProperty("detail").GetString());
        Assert.Contains("+08:00", problem.GetProperty("detailZh").GetString());
        Assert.Equal(0, events.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("2026-11-15T22:00:00+08:00", "2026-W46")]
    [InlineData("2026-11-15T14:00:00Z", "2026-W46")]
    [InlineData("2026-11-15T22:30:00.5+08:00", "2026-W46")]
    [InlineData("2026-11-15T16:00:00Z", "2026-W47")]
    public async Task A_report_dated_with_an_offset_or_Z_counts_in_the_street_s_week_of_that_instant(string occurredAt, string week)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("secretary-fangtang").PostKeyedAsync("/api/subjects/landlord-1/events",
            JsonContent.Create(new { rule = DefaultRules.LandlordService, evidence = "周日晚上帮租客办居住登记", occurredAt }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(week, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("week").GetString());
    }

    [Fact]
    public async Task The_same_addition_sent_again_the_same_day_with_another_key_is_answered_with_the_record_already_made_saying_so_not_as_a_replay()
    {
        await using var world = await ServiceWorld.CreateAsync();
        HttpRequestMessage Mediation(string key) => new(HttpMethod.Post, "/api/subjects/landlord-1/events")
        {
            Content = JsonContent.Create(new { rule = DefaultRules.LandlordMediation, evidence = "调解3楼邻里纠纷" }),
            Headers = { { Scoring.Service.Features.Idempotency.Header, key } },
        };

        var first = await world.Client("secretary-fangtang").SendAsync(Mediation("mediation-1"));
        var again = await world.Client("secretary-fangtang").SendAsync(Mediation("mediation-2"));
        var firstBody = await first.Content.ReadFromJsonAsync<JsonElement>();
        var againBody = await again.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal((firstBody.GetProperty("id").GetString(), "approved"), (againBody.GetProperty("id").GetString(), againBody.GetProperty("status").GetString()));
        // Another key's request: not this key's replay, a copy refused — a desk system must not take it for its own retry.
        Assert.Equal((false, true), (firstBody.GetProperty("alreadyRecorded").GetBoolean(), againBody.GetProperty("alreadyRecorded").GetBoolean()));
        Assert.False(again.Headers.Contains(Scoring.Service.Features.Idempotency.ReplayedHeader));
        var history = await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1/events");
        Assert.Equal(1, history.GetProperty("total").GetInt32());
    }

    private static HttpRequestMessage Keyed(string key, string evidence = "楼道未按时消毒") => new(HttpMethod.Post, "/api/subjects/landlord-1/events")
    {
        Content = JsonContent.Create(new { rule = DefaultRules.NotDisinfected, evidence }),
        Headers = { { Scoring.Service.Features.Idempotency.Header, key } },
    };
    [Fact]
    public async Task A_report_dated_before_the_street_s_first_rules_took_effect_is_refused_nothing_was_scored_then()
    {
        // 江东's rules are in force from Monday 16 November: a deduction dated the Friday before was scored under them
        // all the same, in a week the street never had (no list of it can be published) and counted in every week after.
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();
        var secretary = world.Client("secretary-xincun");
        HttpRequestMessage Report(string key, DateTimeOffset occurredAt) => new(HttpMethod.Post, "/api/subjects/landlord-jd-1/events")
        {
            Content = JsonContent.Create(new { rule = DefaultRules.NotDisinfected, evidence = "楼道未按时消毒", occurredAt }),
            Headers = { { Scoring.Service.Features.Idempotency.Header, key } },
        };

        var before = await secretary.SendAsync(Report("before", new DateTimeOffset(2026, 11, 13, 10, 0, 0, TimeSpan.FromHours(8))));
        var after = await secretary.SendAsync(Report("after", new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.FromHours(8))));

        Assert.Equal(HttpStatusCode.BadRequest, before.StatusCode);
        var problem = await before.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("before-rules", problem.GetProperty("code").GetString());
        Assert.Contains("2026-11-16", problem.GetProperty("detail").GetString());
        Assert.Contains("11月16日", problem.GetProperty("detailZh").GetString());
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
    }

    [Fact]
    public async Task A_secretary_s_own_report_dated_into_a_published_week_of_last_cycle_names_the_week_that_cycle_s_balance_and_the_list_it_made_stale()
    {
        // 2026-W53 is over and published on the Monday of 2027-W01; a secretary's report of the Sunday before is approved at once.
        await using var world = await ServiceWorld.CreateAsync(new DateTimeOffset(2026, 12, 30, 10, 0, 0, TimeSpan.FromHours(8)));
        world.Clock.Advance(TimeSpan.FromDays(5));
        await world.PublishAsync("2026-W53");
        var secretary = world.Client("secretary-changchun");
        HttpRequestMessage Report(string key, DateTimeOffset? occurredAt) => new(HttpMethod.Post, "/api/subjects/landlord-5/events")
        {
            Content = JsonContent.Create(new { rule = DefaultRules.LandlordReportedViolation, evidence = "W53 发生，W01 补报", occurredAt }),
            Headers = { { Scoring.Service.Features.Idempotency.Header, key } },
        };

        var late = await (await secretary.SendAsync(Report("late", new DateTimeOffset(2027, 1, 3, 20, 0, 0, TimeSpan.FromHours(8))))).Content.ReadFromJsonAsync<JsonElement>();
        var today = await (await secretary.SendAsync(Report("today", null))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(("approved", "2026-W53", "2026"), (late.GetProperty("status").GetString(), late.GetProperty("week").GetString(), late.GetProperty("cycle").GetString()));
        Assert.Equal((12, 14), (late.GetProperty("balance").GetInt32(), late.GetProperty("cycleBalance").GetInt32())); // the +2 went to 2026
        Assert.Equal(["2026-W53"], late.GetProperty("publishedWeeksAffected").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(("2027-W01", "2027"), (today.GetProperty("week").GetString(), today.GetProperty("cycle").GetString()));
        Assert.Equal(JsonValueKind.Null, today.GetProperty("cycleBalance").ValueKind); // the current cycle's is the balance
        Assert.Empty(today.GetProperty("publishedWeeksAffected").EnumerateArray());
    }
}
