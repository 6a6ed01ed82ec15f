using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Scoring.Domain.Rules;

namespace Scoring.Service.Tests.Features;

/// <summary>Bad input gets a 400 that says what was wrong, as ProblemDetails — never a 500.</summary>
public class ValidationTests
{
    [Theory]
    [InlineData("/api/streets/houzhai/lists/2026-W00?kind=landlord", "2026-W00")]
    [InlineData("/api/streets/houzhai/lists/2026-W54?kind=landlord", "2026-W54")]
    [InlineData("/api/streets/houzhai/lists/2027-W53?kind=landlord", "2027-W53")]
    [InlineData("/api/streets/houzhai/lists/2025-W53?kind=landlord", "2025 has 52 weeks: its last is 2025-W52")]
    [InlineData("/api/streets/houzhai/lists/2025-W53.csv?kind=landlord", "2025 has 52 weeks")]
    [InlineData("/streets/houzhai/board/2027-W53", "2027 has 52 weeks")]
    [InlineData("/api/streets/houzhai/lists/2026-47?kind=landlord", "2026-47")]
    [InlineData("/api/streets/houzhai/lists/0001-W01?kind=landlord", "0001-W01")]
    [InlineData("/api/streets/houzhai/lists/9998-W53?kind=landlord", "9998-W53")]
    [InlineData("/api/streets/houzhai/lists/2026-W47?kind=tenant", "kind 'tenant'")]
    [InlineData("/api/streets/houzhai/lists/2026-W47", "kind is required")]
    [InlineData("/api/streets/hou%20zhai/lists/2026-W47?kind=landlord", "street")]
    [InlineData("/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=0", "revision")]
    [InlineData("/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=abc", "revision")]
    [InlineData("/streets/houzhai/board/2026-W99", "2026-W99")]
    public async Task Public_routes_refuse_bad_input_with_a_detail(string url, string named)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client().GetAsync(url);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(named, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/streets/houzhai/pending?escalated=maybe", "escalated")]
    [InlineData("/api/subjects/landlord-1?recent=1000", "recent")]
    [InlineData("/api/streets/houzhai/lists/2026-W47/preview?kind=landlord&community=%3Cb%3E", "community")]
    public async Task Staff_routes_refuse_bad_query_values_with_a_detail(string url, string named)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client("officer-1").GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("0001-W01")] // starts before year 1 in UTC
    [InlineData("9998-W53")] // its end was found through the week after, in 9999
    public async Task A_week_too_near_the_ends_of_time_is_a_400_on_preview_and_publish_not_a_500(string week)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");

        var preview = await officer.GetAsync($"/api/streets/houzhai/lists/{week}/preview?kind=landlord");
        var publish = await officer.PostAsJsonAsync($"/api/streets/houzhai/lists/{week}/publish", new { kind = "landlord" });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (preview.StatusCode, publish.StatusCode));
        Assert.Contains("years 1000 to 9997", (await publish.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Every_query_value_is_taken_as_text_so_Checks_can_name_what_is_wrong_with_it()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var query = world.Service<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .SelectMany(d => d.ParameterDescriptions.Where(p => p.Source == BindingSource.Query).Select(p => (Route: $"{d.HttpMethod} {d.RelativePath} ?{p.Name}", p.Type)))
            .ToList();

        Assert.Contains(query, q => q.Route == "GET api/streets/{street}/communities ?includeInactive");
        Assert.Empty(query.Where(q => q.Type != typeof(string)).Select(q => $"{q.Route}: {q.Type}"));
    }

    [Fact]
    public async Task A_week_that_exists_but_was_not_published_is_404()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W53?kind=shop-head");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        // In W47, W53 is still to come: it says when it is published, not that it is overdue.
        Assert.Equal("week-not-over", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/api/streets/nowhere/lists/2026-W46?kind=landlord", "street-not-found")]
    [InlineData("/api/streets/nowhere/lists/2026-W46?kind=landlord&revision=2", "street-not-found")]
    [InlineData("/api/streets/nowhere/lists/2026-W46.csv?kind=landlord", "street-not-found")]
    [InlineData("/streets/nowhere/board/2026-W46", "street-not-found")]
    [InlineData("/api/streets/houzhai/lists/2026-W46?kind=landlord", "list-not-published")]
    [InlineData("/api/streets/houzhai/lists/2026-W46.csv?kind=landlord", "list-not-published")]
    [InlineData("/api/streets/houzhai/lists/2026-W46?kind=landlord&revision=1", "list-not-published")]
    [InlineData("/api/streets/houzhai/lists/2026-W46.csv?kind=landlord&revision=1", "list-not-published")]
    [InlineData("/streets/houzhai/board/2026-W46", "list-not-published")]
    public async Task A_public_list_or_board_of_an_unknown_street_is_street_not_found_and_of_a_known_street_unpublished_list_not_published(string url, string code)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client().GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"kind\":")]
    [InlineData("[1,2]")]
    [InlineData("{\"kind\": 7}")]
    public async Task A_malformed_body_is_400_without_a_stack_trace(string json)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client("officer-1").PostAsync("/api/streets/houzhai/lists/2026-W46/publish", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"code\":\"bad-request\"", body);
        Assert.DoesNotContain(" at Scoring", body);
        Assert.DoesNotContain("   at ", body);
    }

    [Theory]
    [InlineData("/api/streets/houzhai/lists/2026-W46/publish", "{\"kind\": 7}", "$.kind")]
    [InlineData("/api/streets/houzhai/lists/2026-W46/publish", "[{\"kind\": \"landlord\"}]", "$")]
    [InlineData("/api/subjects/landlord-1/redemptions", "{\"points\": 1e400}", "$.points")]
    [InlineData("/api/subjects/landlord-1/redemptions", "{\"points\": NaN}", "$.points")]
    [InlineData("/api/streets/houzhai/rules", "{\"rules\": [{\"code\": \"a\", \"delta\": \"x\"}]}", "$.rules[0].delta")]
    public async Task A_body_of_the_wrong_shape_says_where_without_naming_the_services_own_types(string url, string json, string where)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var request = new HttpRequestMessage(url.EndsWith("/rules") ? HttpMethod.Put : HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        var response = await world.Client("officer-1").SendAsync(request);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"at {where}", detail);
        Assert.DoesNotContain("Scoring.", detail);
        Assert.DoesNotContain("Request?", detail);
    }

    [Theory]
    [InlineData("/api/streets/houzhai/lists/2026-W46/publish", "text/plain", "application/json")]
    [InlineData("/api/streets/houzhai/lists/2026-W46/publish", "application/x-www-form-urlencoded", "application/json")]
    [InlineData("/api/streets/houzhai/roster/import", "application/json", "multipart/form-data")]
    public async Task A_body_of_the_wrong_content_type_is_a_415_saying_what_to_send_in_both_languages(string url, string contentType, string expected)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var content = new StringContent("{\"kind\":\"landlord\"}");
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        var response = await world.Client("officer-1").PostAsync(url, content);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported-media-type", problem.GetProperty("code").GetString());
        Assert.Contains(contentType, problem.GetProperty("detail").GetString());
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
        // In Chinese too, naming what was sent and what to send.
        Assert.Matches($"^请求体的类型「{contentType}」.*{expected}.*。$", problem.GetProperty("detailZh").GetString());
    }

    [Fact]
    public async Task A_body_sent_without_a_content_type_is_a_415_saying_in_both_languages_to_send_json()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("officer-1").PostAsync("/api/streets/houzhai/lists/2026-W46/publish", new ByteArrayContent("{\"kind\":\"landlord\"}"u8.ToArray()));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Expected a supported JSON media type but got \"\".", problem.GetProperty("detail").GetString()); // the framework's own words
        Assert.Equal("请求体的类型此接口不接受：JSON 请以 application/json 发送。", problem.GetProperty("detailZh").GetString());
    }

    [Fact]
    public async Task A_report_with_a_misspelt_field_is_refused_naming_it_rather_than_dated_now()
    {
        // occuredAt (one r) was dropped: the event was dated at the report time, in another week, and answered 201.
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-fangtang");

        var response = await secretary.PostKeyedAsync("/api/subjects/landlord-1/events", new StringContent(
            """{"rule":"tenant-service","evidence":"helped","occuredAt":"2026-11-17T10:00:00+08:00"}""", Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var events = await secretary.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1/events?cycle=2026");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("bad-request", "occuredAt"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        Assert.Contains("'occuredAt'", problem.GetProperty("detail").GetString());
        Assert.Contains("occuredAt", problem.GetProperty("detailZh").GetString());
        Assert.Equal(0, events.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Every_json_body_of_the_staff_api_refuses_a_field_it_does_not_take_naming_it()
    {
        // A misspelt optional field (a PUT's {"nmae":…}) was dropped and answered 200 with nothing changed.
        await using var world = await ServiceWorld.CreateAsync();
        var bodies = world.Service<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .Where(d => d.ParameterDescriptions.Any(p => p.Source == BindingSource.Body) && d.RelativePath != "api/messages"
                && d.SupportedRequestFormats.Any(f => f.MediaType == "application/json")) // not the roster file's multipart
            .Select(d => (Method: d.HttpMethod!, Url: "/" + System.Text.RegularExpressions.Regex.Replace(d.RelativePath!, @"\{(\w+)\}", m => m.Groups[1].Value switch
            {
                "street" => "houzhai", "community" => "fangtang", "week" => "2026-W46", _ => "landlord-1",
            })))
            .ToList();
        var officer = world.Client("officer-1");

        var answers = new List<string>();
        foreach (var (method, url) in bodies)
        {
            var response = await officer.SendAsync(new HttpRequestMessage(new HttpMethod(method), url)
            {
                Content = new StringContent("""{"notAField":1}""", Encoding.UTF8, "application/json"),
                Headers = { { Scoring.Service.Features.Idempotency.Header, Guid.NewGuid().ToString() } },
            });
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            answers.Add($"{method} {url}: {(int)response.StatusCode} {(problem.TryGetProperty("field", out var f) ? f.GetString() : "(no field)")}");
        }

        Assert.Contains("PUT /api/subjects/landlord-1: 400 notAField", answers);
        Assert.True(bodies.Count > 20, $"{bodies.Count} routes with a body");
        Assert.All(answers, a => Assert.EndsWith(": 400 notAField", a));
    }

    [Fact]
    public async Task A_field_a_rule_does_not_take_is_named_with_where_it_is()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var rules = ApiRouteExpectations.DefaultRuleBodies().Select((r, i) => i == 0
            ? (object)new { code = "tenant-service", nameZh = "代办", nameEn = "Service", appliesTo = "landlord", delta = 1, reportedBy = new[] { "self" }, weeklyLimit = 2 }
            : r).ToArray();

        var response = await world.Client("officer-1").PutAsJsonAsync("/api/streets/houzhai/rules", new { rules });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("rules[0].weeklyLimit", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_chat_endpoint_still_reads_an_activity_with_fields_this_service_does_not_know()
    {
        // Channels add Bot Framework fields over time (and their own): an activity is read by its own options, not the staff API's.
        await using var world = await ServiceWorld.CreateAsync();
        var activity = """
            {"type":"conversationUpdate","id":"unknown-fields-1","channelId":"webchat","serviceUrl":"https://webchat.example/",
             "from":{"id":"wx-someone","aadObjectId":"x"},"conversation":{"id":"dm-someone","tenantId":"t"},"recipient":{"id":"bot"},
             "membersAdded":[{"id":"bot"}],"localTimezone":"Asia/Shanghai","entities":[{"type":"clientInfo","platform":"web"}],"aNewField":{"x":1}}
            """;

        var response = await world.Client().PostAsync("/api/messages", new StringContent(activity, Encoding.UTF8, "application/json"));

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_body_naming_a_field_twice_is_refused_rather_than_read_by_its_last_value()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");

        var response = await officer.PostAsync("/api/streets/houzhai/lists/2026-W46/publish",
            new StringContent("{\"kind\":\"landlord\",\"kind\":\"shop-head\"}", Encoding.UTF8, "application/json"));
        var published = await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W46?kind=shop-head");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad-request", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, published.StatusCode);
    }

    [Fact]
    public async Task Reasons_and_ids_are_checked_before_anything_happens()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var id = await world.ReportAsync("landlord-1");
        var client = world.Client("secretary-fangtang");

        var noReason = await client.PostAsJsonAsync($"/api/events/{id}/reject", new { reason = "  " });
        var longReason = await client.PostAsJsonAsync($"/api/events/{id}/reject", new { reason = new string('长', 501) });
        var badId = await client.PostAsync($"/api/events/{new string('A', 65)}/approve", null);
        var noIds = await client.PostAsJsonAsync("/api/communities/fangtang/pending/approve", new { ids = Array.Empty<string>() });

        Assert.All(new[] { noReason, longReason, badId, noIds }, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Contains("reason is required", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var queue = await client.GetFromJsonAsync<JsonElement>("/api/communities/fangtang/pending");
        Assert.Equal(1, queue.GetProperty("items").GetArrayLength());
    }

    /// <summary>
    /// Text of exactly <paramref name="limit"/> characters as it is stored (lines ending in LF), and the same text as a
    /// Windows client sends it (CRLF): a few characters longer on the wire.
    /// </summary>
    private static (string Stored, string Sent) AtTheLimitWithWindowsLineBreaks(int limit)
    {
        var lines = string.Join("\n", Enumerable.Repeat("情况属实", limit / 5));
        var stored = lines + new string('实', limit - lines.Length);
        return (stored, stored.Replace("\n", "\r\n"));
    }

    [Fact]
    public async Task Evidence_at_its_limit_written_with_windows_line_breaks_is_taken_as_it_is_stored_and_one_more_is_refused()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var (stored, sent) = AtTheLimitWithWindowsLineBreaks(Scoring.Application.Reporting.MaxEvidenceLength);
        var client = world.Client("gridworker-1");

        var atLimit = await client.SendAsync(RouteMatrix.Keyed(RouteMatrix.Send(HttpMethod.Post, "/api/subjects/landlord-1/events", new { rule = DefaultRules.NotDisinfected, evidence = sent })));
        var over = await client.SendAsync(RouteMatrix.Keyed(RouteMatrix.Send(HttpMethod.Post, "/api/subjects/landlord-1/events", new { rule = DefaultRules.NotDisinfected, evidence = sent + "实" })));

        Assert.Equal(HttpStatusCode.Created, atLimit.StatusCode);
        Assert.Equal(stored, (await atLimit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("evidence").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
    }

    [Fact]
    public async Task A_rejection_s_reason_at_its_limit_written_with_windows_line_breaks_is_taken_as_it_is_stored_and_one_more_is_refused()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var (stored, sent) = AtTheLimitWithWindowsLineBreaks(Scoring.Service.Features.VerificationApi.MaxReason);
        var first = await world.ReportAsync("landlord-1");
        var second = await world.ReportAsync("landlord-2");
        var client = world.Client("secretary-fangtang");

        var over = await client.PostAsJsonAsync($"/api/events/{second}/reject", new { reason = sent + "实" });
        var atLimit = await client.PostAsJsonAsync($"/api/events/{first}/reject", new { reason = sent });

        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        var history = await client.GetFromJsonAsync<JsonElement>($"/api/events/{first}");
        Assert.Contains(history.GetProperty("transitions").EnumerateArray(), t => t.TryGetProperty("reason", out var r) && r.GetString() == stored);
    }

    [Fact]
    public async Task A_redemption_s_note_at_its_limit_written_with_windows_line_breaks_is_taken_as_it_is_stored()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var (_, sent) = AtTheLimitWithWindowsLineBreaks(Scoring.Application.Rewards.MaxNoteLength);
        await world.ScoreAsync("landlord-1");

        var redeemed = await world.Client("secretary-fangtang").PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 1, note = sent });

        Assert.Equal(HttpStatusCode.Created, redeemed.StatusCode);
    }

    [Fact]
    public async Task A_correction_reason_at_its_limit_written_with_windows_line_breaks_is_taken_as_it_is_stored()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var (stored, sent) = AtTheLimitWithWindowsLineBreaks(Scoring.Service.Features.Lists.MaxCorrectionReason);
        await world.ScoreAsync("landlord-1");
        var late = await world.ReportAsync("landlord-2");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        await world.ApproveAsync(late);

        var corrected = await world.Client("officer-1").PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord", correctionReason = sent });

        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal(stored, (await corrected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("correctionReason").GetString());
    }

    /// <summary>Two English words in a row: a sentence, where the Chinese may hold only ids, numbers, weeks and field names.</summary>
    private static readonly System.Text.RegularExpressions.Regex EnglishWords = new(@"[A-Za-z]{2,} +[A-Za-z]{2,}");

    /// <summary>ASCII punctuation beside a Chinese character: the Chinese is punctuated （），：； as the rest of the product.</summary>
    private static readonly System.Text.RegularExpressions.Regex AsciiNextToChinese =
        new(@"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef][,:;()!?]|[,:;()!?][\u3000-\u303f\u3400-\u9fff\uff00-\uffef]");

    [Fact]
    public async Task Refusals_at_the_door_tell_the_officer_in_Chinese_what_was_wrong_beside_the_unchanged_English()
    {
        await using var world = await ServiceWorld.CreateAsync();
        const string Publish = "/api/streets/houzhai/lists/2026-W46/publish";
        // Who asks, what is sent, and the refusal as clients know it today (a detail ending in … is matched by its start:
        // its end quotes the JSON reader).
        (string? Staff, string Method, string Url, string? Body, string Code, string Detail)[] refusals =
        [
            (null, "GET", "/api/streets/houzhai/lists/2026-W99?kind=landlord", null, "invalid-input",
                "'2026-W99' is not a week: write it like 2026-W47 (week 01 to the year's last week, 52 or 53; years 1000 to 9997)."),
            (null, "GET", "/api/streets/houzhai/lists/2025-W53?kind=landlord", null, "invalid-input", "'2025-W53' is not a week: 2025 has 52 weeks: its last is 2025-W52."),
            (null, "GET", "/api/streets/houzhai/lists/2026-W47?kind=tenant", null, "invalid-input", "kind 'tenant' is unknown: use landlord or shop-head."),
            (null, "GET", "/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=0", null, "invalid-input", "revision must be from 1 to 100000."),
            ("secretary-fangtang", "GET", "/api/events/a%20b", null, "invalid-input", "id 'a b' is not an id (1–64 letters, digits, '-', '_' or '.')."),
            ("secretary-fangtang", "POST", "/api/events/ev-1/reject", $"{{\"reason\":\"{new string('长', 501)}\"}}", "invalid-input", "reason is limited to 500 characters."),
            ("secretary-fangtang", "POST", "/api/communities/fangtang/pending/approve", "{\"ids\":[]}", "invalid-input", "ids must list 1 to 500 event ids."),
            ("officer-1", "GET", "/api/subjects/landlord-1?recent=abc", null, "invalid-input", "recent 'abc' must be a whole number from 1 to 200."),
            ("officer-1", "GET", "/api/streets/houzhai/pending?escalated=maybe", null, "invalid-input", "escalated 'maybe' must be true or false."),
            ("officer-1", "GET", "/api/streets/houzhai/honours/20x6", null, "invalid-input", "year '20x6' must be a year from 2000 to 9997, like 2026."),
            ("officer-1", "POST", Publish, "", "invalid-input", "The body ({kind, correctionReason?}) is required. kind is required: landlord or shop-head."),
            ("officer-1", "POST", Publish, "{\"kind\":", "bad-request", "The body is not valid JSON at $.kind (line 1, byte 9): …"),
            ("officer-1", "POST", Publish, "{\"kind\":\"landlord\",\"kind\":\"shop-head\"}", "bad-request", "The body is JSON but not what this request takes at $.kind (…"),
            ("officer-1", "PUT", "/api/streets/houzhai/rules", "{\"rules\":[]}", "invalid-input", "rules must list at least one rule."),
            ("officer-1", "PATCH", "/api/streets/houzhai/settings", "{\"street\":\"elsewhere\"}", "invalid-input", "street 'elsewhere' in the body is not the street of the address."),
            ("officer-1", "POST", "/api/enrolments", "{\"subjectId\":\"landlord-1\",\"staffId\":\"officer-1\"}", "invalid-input", "Give exactly one of subjectId and staffId."),
            ("officer-1", "POST", "/api/subjects/landlord-1/redemptions", "{\"note\":\"兑换\"}", "invalid-input", "points is required."),
            ("gridworker-1", "POST", "/api/subjects/landlord-1/events", "{}", "invalid-input", "rule is required. evidence is required."),
        ];

        var wrong = new List<string>();
        foreach (var (staff, method, url, body, code, detail) in refusals)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            if (method == "POST") RouteMatrix.Keyed(request); // the report takes none without one (428 before its body is read)
            var response = await world.Client(staff).SendAsync(request);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var said = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
            var zh = problem.TryGetProperty("detailZh", out var z) ? z.GetString() : null;
            var sameEnglish = detail.EndsWith('…') ? said?.StartsWith(detail[..^1], StringComparison.Ordinal) == true : said == detail;
            if (response.StatusCode != HttpStatusCode.BadRequest || problem.GetProperty("code").GetString() != code || !sameEnglish)
                wrong.Add($"{method} {url}: {(int)response.StatusCode} {problem.GetProperty("code")} detail \"{said}\", not \"{detail}\"");
            else if (zh is null || !zh.Any(c => c is >= '\u4e00' and <= '\u9fff') || EnglishWords.IsMatch(zh) || AsciiNextToChinese.IsMatch(zh))
                wrong.Add($"{method} {url}: detailZh \"{zh}\" for \"{said}\"");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        // The idempotency key is checked before the route: a header no client would send.
        using var keyed = new HttpRequestMessage(HttpMethod.Post, Publish) { Content = ServiceWorld.Json(new { kind = "landlord" }) };
        keyed.Headers.TryAddWithoutValidation("Idempotency-Key", "two words");
        var refused = await (await world.Client("officer-1").SendAsync(keyed)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Idempotency-Key must be 1–200 visible ASCII characters, such as a UUID.", refused.GetProperty("detail").GetString());
        Assert.Equal("幂等键（Idempotency-Key）须为1至200个可见的 ASCII 字符，如 UUID。", refused.GetProperty("detailZh").GetString());
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_404()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client().GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
