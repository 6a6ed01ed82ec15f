using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Scoring.Service.Tests.Features;

/// <summary>Bad input gets a 400 that says what was wrong, as ProblemDetails — never a 500.</summary>
public class ValidationTests
{
    [Theory]
    [InlineData("/api/streets/houzhai/lists/2026-W00?kind=landlord", "2026-W00")]
    [InlineData("/api/streets/houzhai/lists/2026-W54?kind=landlord", "2026-W54")]
    [InlineData("/api/streets/houzhai/lists/2027-W53?kind=landlord", "2027-W53")]
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
        Assert.Equal("list-not-published", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/api/streets/nowhere/lists/2026-W46?kind=landlord", "street-not-found")]
    [InlineData("/api/streets/nowhere/lists/2026-W46?kind=landlord&revision=2", "street-not-found")]
    [InlineData("/api/streets/nowhere/lists/2026-W46.csv?kind=landlord", "street-not-found")]
    [InlineData("/streets/nowhere/board/2026-W46", "street-not-found")]
    [InlineData("/api/streets/houzhai/lists/2026-W46?kind=landlord", "list-not-published")]
    [InlineData("/api/streets/houzhai/lists/2026-W46.csv?kind=landlord", "list-not-published")]
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
    public async Task A_body_of_the_wrong_content_type_is_a_415_saying_what_to_send(string url, string contentType, string expected)
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

    [Fact]
    public async Task An_unknown_route_is_a_problem_404()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client().GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
