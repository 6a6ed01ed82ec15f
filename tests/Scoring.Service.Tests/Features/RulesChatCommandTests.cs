using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Domain.Rules;

namespace Scoring.Service.Tests.Features;

/// <summary>The chat's commands report under the default rules' codes: what a PUT tells the officer who changes one.</summary>
public class RulesChatCommandTests
{
    private const string Url = "/api/streets/houzhai/rules";

    [Fact]
    public async Task A_rule_whose_code_is_renamed_is_published_with_a_warning_naming_the_chat_command_that_stops_working()
    {
        // landlord-mediation renamed: 201, and nothing said that 调解 would be refused from next Monday.
        await using var world = await ServiceWorld.CreateAsync();
        var rules = ApiRouteExpectations.DefaultRuleBodies(r => r.Code == DefaultRules.LandlordMediation ? r with { Code = "mediation" } : r);

        var put = await world.Client("officer-1").PutAsJsonAsync(Url, new { rules });
        var body = await put.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var warning = Assert.Single(body.GetProperty("warnings").EnumerateArray());
        Assert.Equal("chat-command-unbound", warning.GetProperty("code").GetString());
        Assert.Equal("调解 | mediate", warning.GetProperty("command").GetString());
        Assert.Equal("landlord", warning.GetProperty("kind").GetString());
        Assert.Equal(DefaultRules.LandlordMediation, warning.GetProperty("rule").GetString());
        Assert.Contains("'mediation'", warning.GetProperty("detail").GetString());
        Assert.Contains("调解", warning.GetProperty("detailZh").GetString());
    }

    [Fact]
    public async Task A_rule_set_that_keeps_every_command_s_rule_is_published_without_warnings()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var rules = ApiRouteExpectations.DefaultRuleBodies(r => r.Code == DefaultRules.LandlordService ? r with { Delta = 2 } : r);

        var put = await world.Client("officer-1").PutAsJsonAsync(Url, new { rules });
        var body = await put.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(0, body.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task A_late_return_rule_renamed_is_warned_of_as_the_deduction_the_system_stops_making()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var rules = ApiRouteExpectations.DefaultRuleBodies(r => r.Code == DefaultRules.LateReturn ? r with { Code = "return-late" } : r);

        var put = await world.Client("officer-1").PutAsJsonAsync(Url, new { rules });
        var body = await put.Content.ReadFromJsonAsync<JsonElement>();

        var warning = Assert.Single(body.GetProperty("warnings").EnumerateArray());
        Assert.Equal("system-deduction-unbound", warning.GetProperty("code").GetString());
        Assert.Equal("返回 | return", warning.GetProperty("command").GetString());
        Assert.Contains("late", warning.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Rules_that_leave_out_a_rule_s_once_are_published_with_a_warning_naming_what_it_no_longer_guards()
    {
        // A client written before "once" sent the rules without it: 201, and the same shop's 复工 scored again, a missed
        // round twice a day, with nothing said.
        await using var world = await ServiceWorld.CreateAsync();
        var rules = ApiRouteExpectations.DefaultRuleBodies(r => r with { Once = null });

        var put = await world.Client("officer-1").PutAsJsonAsync(Url, new { rules });
        var body = await put.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var warnings = body.GetProperty("warnings").EnumerateArray().Where(w => w.GetProperty("code").GetString() == "once-dropped").ToList();
        Assert.Equal([DefaultRules.ShopReopenHelped, DefaultRules.RoundMissed], warnings.Select(w => w.GetProperty("rule").GetString()));
        var reopen = warnings[0];
        Assert.Equal("复工 | reopen", reopen.GetProperty("command").GetString());
        Assert.Equal("shop-head", reopen.GetProperty("kind").GetString());
        Assert.Contains("target-per-cycle", reopen.GetProperty("detail").GetString());
        Assert.Contains("同一店铺", reopen.GetProperty("detailZh").GetString());
        Assert.Contains("同一天", warnings[1].GetProperty("detailZh").GetString());

        // Kept as it was: nothing to say.
        var again = await world.Client("officer-1").PutAsJsonAsync(Url, new { rules = ApiRouteExpectations.DefaultRuleBodies(r => r.Code == DefaultRules.LandlordService ? r with { Delta = 2 } : r) });
        var kept = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(kept.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "once-dropped");
    }
}
