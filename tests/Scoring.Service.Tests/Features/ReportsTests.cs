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

        var response = await world.Client("gridworker-1").PostAsJsonAsync("/api/subjects/landlord-1/events", new { rule = DefaultRules.NotDisinfected, evidence = "楼道未按时消毒" });
        var reported = await response.Content.ReadFromJsonAsync<JsonElement>();
        var page = await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>($"/api/events/{reported.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(EventFields.Append("balance").Order(StringComparer.Ordinal), reported.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(EventFields.Append("transitions").Order(StringComparer.Ordinal), page.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        // Written the same, instants included (in UTC, though the report was made with the clock's offset).
        Assert.All(EventFields, f => Assert.Equal(page.GetProperty(f).ToString(), reported.GetProperty(f).ToString()));
        Assert.Equal(("landlord-1", "corridor-not-disinfected", "gridworker-1", "grid-worker"),
            (reported.GetProperty("subjectId").GetString(), reported.GetProperty("rule").GetString(), reported.GetProperty("reporter").GetString(), reported.GetProperty("reporterRole").GetString()));
        Assert.Equal(JsonValueKind.Number, reported.GetProperty("balance").ValueKind);
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
}
