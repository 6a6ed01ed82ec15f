using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Scoring.Service.Features;

namespace Scoring.Service.Tests.Features;

public class ApiDocsTests
{
    [Fact]
    public async Task The_openapi_document_lists_every_described_route_with_its_responses()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");

        var described = world.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m.ToLowerInvariant(), Path: e.RoutePattern.RawText!.Replace("?}", "}"))))
            .ToList();
        Assert.Contains(described, d => d.Path == "/api/streets/{street}/lists/{week}/publish");
        var problems = new List<string>();
        foreach (var (method, path) in described)
        {
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method, out var operation)) { problems.Add($"{method} {path} is missing"); continue; }
            var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            if (!responses.Any(r => r.StartsWith('2'))) problems.Add($"{method} {path} documents no success response");
            if (operation.TryGetProperty("security", out _) && !(responses.Contains("401") && responses.Contains("403"))) problems.Add($"{method} {path} needs a token but documents no 401/403");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Every_route_that_takes_a_token_documents_the_429_of_an_address_sending_made_up_ones_as_a_problem()
    {
        // Past RateLimits:RefusedStaffTokensPerMinute, a staff request from that address is refused before its token is read.
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));

        var missing = new List<string>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("security", out _)))
                if (!(operation.Value.GetProperty("responses").TryGetProperty("429", out var limited)
                    && limited.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _)))
                    missing.Add($"{operation.Name} {path.Name}");

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Theory]
    [InlineData("/openapi/v2.json")]
    [InlineData("/openapi/changchun.json")]
    [InlineData("/openapi/%3E.json")]
    public async Task An_openapi_document_there_is_not_is_a_coded_404_problem_like_any_other(string url)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client().GetAsync(url);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
        Assert.Equal("not-found", problem.GetProperty("code").GetString());
        Assert.Contains("/openapi/v1.json", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/streets/{street}/honours/{year}")]
    [InlineData("/api/streets/{street}/honours/{year}.xlsx")]
    [InlineData("/api/streets/{street}/honours/{year}.csv")]
    [InlineData("/api/streets/{street}/rewards.xlsx")]
    [InlineData("/api/streets/{street}/rewards.csv")]
    [InlineData("/api/streets/{street}/staff-actions")]
    public async Task A_street_s_read_says_who_may_call_it_and_documents_the_404_of_an_unknown_street(string path)
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));
        var get = doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get");

        // A client reading the docs learns whether its role may ask (officers, secretaries, grid workers) before a 403 tells it.
        var summary = get.TryGetProperty("summary", out var s) ? s.GetString() ?? "" : "";
        Assert.Contains("officer", summary, StringComparison.OrdinalIgnoreCase);
        // An admin asking for a street that is not there gets 404 street-not-found.
        Assert.Contains("404", get.GetProperty("responses").EnumerateObject().Select(r => r.Name));
    }

    [Fact]
    public async Task Staff_posts_document_the_idempotency_key_and_the_bearer_scheme()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));
        var publish = doc.RootElement.GetProperty("paths").GetProperty("/api/streets/{street}/lists/{week}/publish").GetProperty("post");

        Assert.Contains(publish.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == Idempotency.Header && p.GetProperty("in").GetString() == "header");
        Assert.Equal(["200", "201", "400", "401", "403", "404", "409", "413", "415", "422", "429"], publish.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order().ToArray());
        Assert.Equal("bearer", doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiDocs.BearerScheme).GetProperty("scheme").GetString());
        var board = doc.RootElement.GetProperty("paths").GetProperty("/streets/{street}/board/{week}").GetProperty("get");
        Assert.False(board.TryGetProperty("security", out _));
    }

    [Fact]
    public async Task The_rules_document_their_etag_the_put_s_if_match_and_its_412_and_the_put_takes_an_idempotency_key()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));
        var rules = doc.RootElement.GetProperty("paths").GetProperty("/api/streets/{street}/rules");
        var put = rules.GetProperty("put");

        Assert.True(rules.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
        var names = put.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("If-Match", names);
        Assert.Contains(Idempotency.Header, names);
        Assert.Contains("412", put.GetProperty("responses").EnumerateObject().Select(r => r.Name));
    }

    [Fact]
    public async Task A_post_that_takes_nothing_without_a_key_documents_the_key_as_required_and_its_428()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");
        var report = paths.GetProperty("/api/subjects/{id}/events").GetProperty("post");
        var redeem = paths.GetProperty("/api/subjects/{id}/redemptions").GetProperty("post");

        static JsonElement KeyOf(JsonElement op) => op.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == Idempotency.Header);
        Assert.True(KeyOf(report).GetProperty("required").GetBoolean());
        Assert.Contains("428", report.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        foreach (var path in new[] { "/api/staff/{id}/tokens", "/api/communities/{community}/enrolment-sheet" })
            Assert.True(KeyOf(paths.GetProperty(path).GetProperty("post")).GetProperty("required").GetBoolean(), path);
        // A contract route keeps taking requests without one.
        Assert.False(KeyOf(redeem).TryGetProperty("required", out var required) && required.GetBoolean());
        Assert.DoesNotContain("428", redeem.GetProperty("responses").EnumerateObject().Select(r => r.Name));
    }

    [Fact]
    public async Task The_docs_page_renders()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client().GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Scoring API", await response.Content.ReadAsStringAsync());
    }
}

public class ApiDocsSchemaTests
{
    [Fact]
    public async Task Every_problem_is_documented_with_its_stable_code()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));
        var problem = doc.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails");

        var properties = problem.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("code", properties);
        Assert.Contains("detailZh", properties);
        Assert.Contains("field", properties);
        Assert.Contains("code", problem.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_pending_item_s_community_and_same_day_record_are_described()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));
        var properties = doc.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("PendingView").GetProperty("properties");

        foreach (var name in new[] { "community", "communityName", "sameDayRecord" })
            Assert.False(string.IsNullOrWhiteSpace(Description(properties.GetProperty(name))), name);

        // A nullable reference is written as a oneOf of null and the reference: its description sits beside the $ref.
        static string? Description(JsonElement p) => p.TryGetProperty("description", out var d) ? d.GetString()
            : p.TryGetProperty("oneOf", out var any) ? any.EnumerateArray().Select(Description).FirstOrDefault(x => x is not null) : null;
    }

    [Fact]
    public async Task A_reported_event_s_same_day_record_is_documented_as_nullable()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));
        var property = doc.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("ReportedEvent").GetProperty("properties").GetProperty("sameDayRecord");

        Assert.True(property.TryGetProperty("oneOf", out var any), property.ToString());
        Assert.Contains(any.EnumerateArray(), s => s.TryGetProperty("type", out var t) && t.GetString() == "null");
        Assert.Contains(any.EnumerateArray(), s => s.TryGetProperty("$ref", out _));
    }

    [Fact]
    public async Task The_document_names_no_server_built_from_the_request_so_it_is_right_behind_a_tls_proxy()
    {
        // Behind a proxy the request is http://127.0.0.1:5392: a server named from it is the wrong scheme and host for
        // /docs' "try it" on the https page.
        await using var world = await ServiceWorld.CreateAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json") { Headers = { { "X-Forwarded-Proto", "https" }, { "X-Forwarded-Host", "scoring.example.gov.cn" } } };
        using var doc = JsonDocument.Parse(await (await world.Client().SendAsync(request)).Content.ReadAsStringAsync());

        var servers = doc.RootElement.TryGetProperty("servers", out var s) ? s.EnumerateArray().Select(x => x.GetProperty("url").GetString()).ToList() : [];
        Assert.All(servers, url => Assert.Equal("/", url));
    }

    [Fact]
    public async Task Whole_numbers_in_answers_are_documented_as_integers_not_as_text()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));
        var revision = doc.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("PublicList").GetProperty("properties").GetProperty("revision");

        Assert.Equal("integer", revision.GetProperty("type").GetString());
        Assert.False(revision.TryGetProperty("pattern", out _));
    }

    [Theory]
    [InlineData("/api/streets/{street}/lists/{week}")]
    [InlineData("/api/streets/{street}/lists/{week}.csv")]
    [InlineData("/api/streets/{street}/lists/{week}/preview")]
    public async Task A_lists_kind_is_documented_as_required_with_its_two_values(string path)
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));
        var parameters = doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray().ToList();

        var kind = parameters.Single(p => p.GetProperty("name").GetString() == "kind");
        Assert.True(kind.GetProperty("required").GetBoolean());
        Assert.Equal(["landlord", "shop-head"], kind.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var week = parameters.Single(p => p.GetProperty("name").GetString() == "week");
        Assert.True(week.GetProperty("schema").TryGetProperty("pattern", out _));
    }

    [Theory]
    [InlineData("/api/streets/{street}/lists/{week}.csv", "text/csv", null)]
    [InlineData("/streets/{street}/board/{week}", "text/html", null)]
    [InlineData("/api/streets/{street}/roster.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "binary")]
    public async Task A_file_or_page_route_documents_what_its_success_carries(string path, string mediaType, string? format)
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));
        var ok = doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200");

        Assert.True(ok.TryGetProperty("content", out var content), $"{path} documents no content for 200");
        var schema = content.GetProperty(mediaType).GetProperty("schema");
        Assert.Equal("string", schema.GetProperty("type").GetString());
        Assert.Equal(format, schema.TryGetProperty("format", out var f) ? f.GetString() : null);
    }
}
