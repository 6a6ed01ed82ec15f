using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scoring.Service.Tests.Features;

public class OutboxAdminTests
{
    [Theory]
    [InlineData("abc", "limit 'abc' must be a whole number from 1 to 500")]
    [InlineData("0", "limit must be from 1 to 500")]
    [InlineData("501", "limit must be from 1 to 500")]
    [InlineData("99999999999", "limit '99999999999' must be a whole number from 1 to 500")]
    public async Task A_bad_limit_is_a_400_naming_the_limit_and_its_range(string limit, string detail)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var admin = await world.AdminAsync();

        var response = await admin.GetAsync($"/api/admin/outbox/dead-letters?limit={limit}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid-input", problem.GetProperty("code").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_admin_reads_the_dead_letters_with_or_without_a_limit()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var admin = await world.AdminAsync();

        var all = await admin.GetAsync("/api/admin/outbox/dead-letters");
        var some = await admin.GetAsync("/api/admin/outbox/dead-letters?limit=5");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (all.StatusCode, some.StatusCode));
        Assert.Equal(JsonValueKind.Array, (await some.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").ValueKind);
    }
}
