using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Domain.Rules;

namespace Scoring.Service.Tests.Features;

public class SubjectHistoryTests
{
    /// <summary>landlord-1's cycle: two approved additions, a deduction, a report still pending and one rejected.</summary>
    private static async Task<IReadOnlyList<string>> LedgerAsync(ServiceWorld world)
    {
        var secretary = world.Client("secretary-fangtang");
        var ids = new List<string>
        {
            await world.ScoreAsync("landlord-1", occurredAt: ServiceWorld.Wednesday.AddDays(-9)),
            await world.ScoreAsync("landlord-1", DefaultRules.LandlordService, ServiceWorld.Wednesday.AddDays(-2)),
            await world.ReportByStaffAsync("secretary-fangtang", "landlord-1", DefaultRules.NotDisinfected, occurredAt: ServiceWorld.Wednesday.AddDays(-2)),
            await world.ReportAsync("landlord-1", DefaultRules.LandlordMediation, "调解邻里纠纷"),
        };
        var rejected = await world.ReportAsync("landlord-1", DefaultRules.LandlordMediation, "又一次调解", ServiceWorld.Wednesday.AddDays(-1));
        Assert.Equal(HttpStatusCode.OK, (await secretary.PostAsJsonAsync($"/api/events/{rejected}/reject", new { reason = "没有调解记录" })).StatusCode);
        ids.Add(rejected);
        return ids;
    }

    private static async Task<List<JsonElement>> AllPagesAsync(HttpClient client, string query)
    {
        var pages = new List<JsonElement>();
        for (string? next = null; ;)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/subjects/landlord-1/events?{query}{(next is null ? "" : "&before=" + Uri.EscapeDataString(next))}");
            pages.Add(page);
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null) return pages;
            next = page.GetProperty("next").GetString();
            Assert.True(pages.Count < 50, "the pages never end");
        }
    }

    [Fact]
    public async Task A_secretary_pages_through_the_cycle_behind_a_balance_and_its_approved_points_plus_the_base_are_the_balance_the_subject_shows()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var ids = await LedgerAsync(world);
        var client = world.Client("secretary-fangtang");

        var pages = await AllPagesAsync(client, "limit=2");
        var subject = await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");

        var items = pages.SelectMany(p => p.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal([2, 2, 1], pages.Select(p => p.GetProperty("items").GetArrayLength()));
        Assert.Equal(ids.Order(), items.Select(i => i.GetProperty("id").GetString()!).Order());
        Assert.Equal(items.Select(i => i.GetProperty("occurredAt").GetDateTimeOffset()).OrderDescending(), items.Select(i => i.GetProperty("occurredAt").GetDateTimeOffset()));
        Assert.All(pages, p => Assert.Equal(("landlord-1", "2026", 5), (p.GetProperty("subjectId").GetString(), p.GetProperty("cycle").GetString(), p.GetProperty("total").GetInt32())));
        var balance = subject.GetProperty("balance").GetInt32();
        Assert.Equal(12 + 2 + 1 - 1, balance);
        Assert.All(pages, p => Assert.Equal(balance, p.GetProperty("balance").GetInt32()));
        Assert.Equal(balance, 12 + items.Where(i => i.GetProperty("status").GetString() == "approved").Sum(i => i.GetProperty("delta").GetInt32()));
    }

    [Fact]
    public async Task Each_item_reads_as_the_pending_queue_and_the_event_view_name_its_fields_and_transitions_come_when_asked()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var ids = await LedgerAsync(world);
        var client = world.Client("secretary-fangtang");

        var plain = await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1/events?status=rejected");
        var audited = await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1/events?status=REJECTED&transitions=true");
        var asEvent = await client.GetFromJsonAsync<JsonElement>($"/api/events/{ids[^1]}");

        var item = plain.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(1, plain.GetProperty("total").GetInt32());
        Assert.Equal(
            ["id", "rule", "ruleNameZh", "ruleNameEn", "ruleVersion", "delta", "status", "occurredAt", "reportedAt", "reporter", "reporterRole", "evidence", "week", "escalatedAt", "reason"],
            item.EnumerateObject().Select(p => p.Name));
        foreach (var field in new[] { "id", "rule", "ruleNameZh", "ruleNameEn", "ruleVersion", "delta", "status", "occurredAt", "reportedAt", "reporter", "reporterRole", "evidence", "escalatedAt" })
            Assert.Equal(asEvent.GetProperty(field).ToString(), item.GetProperty(field).ToString());
        Assert.Equal(("2026-W47", "没有调解记录"), (item.GetProperty("week").GetString(), item.GetProperty("reason").GetString()));
        var transitions = audited.GetProperty("items")[0].GetProperty("transitions");
        Assert.Equal(asEvent.GetProperty("transitions").ToString(), transitions.ToString());
        Assert.Equal(["pending", "rejected"], transitions.EnumerateArray().Select(t => t.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task The_history_keeps_to_the_scope_of_the_subject_and_its_audit_to_those_who_verify()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await LedgerAsync(world);

        var otherSecretary = await world.Client("secretary-changchun").GetAsync("/api/subjects/landlord-1/events");
        var unknown = await world.Client("officer-1").GetAsync("/api/subjects/nobody/events");
        var gridWorker = await world.Client("gridworker-1").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1/events");
        var gridWorkerAudit = await world.Client("gridworker-1").GetAsync("/api/subjects/landlord-1/events?transitions=true");

        Assert.Equal(HttpStatusCode.Forbidden, otherSecretary.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("subject-not-found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(5, gridWorker.GetProperty("total").GetInt32());
        Assert.All(gridWorker.GetProperty("items").EnumerateArray(), i => Assert.False(i.TryGetProperty("transitions", out _)));
        Assert.Equal(HttpStatusCode.Forbidden, gridWorkerAudit.StatusCode);
        Assert.Contains("transitions", (await gridWorkerAudit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_earlier_cycle_is_asked_for_by_its_year()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await LedgerAsync(world);

        var earlier = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1/events?cycle=2025");

        Assert.Equal(("2025", 12, 0, JsonValueKind.Null), (earlier.GetProperty("cycle").GetString(), earlier.GetProperty("balance").GetInt32(),
            earlier.GetProperty("total").GetInt32(), earlier.GetProperty("next").ValueKind));
        Assert.Empty(earlier.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("limit=0", "invalid-input", "limit")]
    [InlineData("limit=501", "invalid-input", "limit")]
    [InlineData("limit=ten", "invalid-input", "limit")]
    [InlineData("status=waived", "invalid-input", "status 'waived'")]
    [InlineData("status=1", "invalid-input", "status '1'")]
    [InlineData("status=approved,rejected", "invalid-input", "status")]
    [InlineData("before=not-a-cursor", "invalid-input", "before")]
    [InlineData("before=MTIzNDU", "invalid-input", "before")]
    [InlineData("before=abc!", "invalid-input", "before")]        // not base64url at all
    [InlineData("before=a%2Bb%2F", "invalid-input", "before")]    // base64, not base64url
    [InlineData("cycle=2026-W47", "invalid-input", "cycle '2026-W47'")]
    [InlineData("cycle=26", "invalid-input", "cycle '26'")]
    [InlineData("transitions=maybe", "invalid-input", "transitions")]
    [InlineData("cycle=2026-Q4", "cycle-not-of-street", "like 2026.")]
    public async Task Bad_paging_values_are_a_400_that_names_them(string query, string code, string named)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("secretary-fangtang").GetAsync($"/api/subjects/landlord-1/events?{query}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Contains(named, problem.GetProperty("detail").GetString());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detailZh").GetString()); // told in Chinese too
    }
}
