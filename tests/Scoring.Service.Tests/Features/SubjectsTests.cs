using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scoring.Service.Tests.Features;

public class SubjectsTests
{
    [Fact]
    public async Task A_subject_shows_balance_rank_reward_points_and_their_yuan_value()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.ReportAsync("landlord-1", evidence: "待核查的上报");

        var subject = await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");

        Assert.Equal(("应天乐", 14, 1), (subject.GetProperty("name").GetString(), subject.GetProperty("balance").GetInt32(), subject.GetProperty("weekRank").GetInt32()));
        Assert.Equal((2, 20m), (subject.GetProperty("rewardPoints").GetInt32(), subject.GetProperty("yuanValue").GetDecimal()));
        Assert.Equal("2026-W47", subject.GetProperty("week").GetString());
        Assert.Equal(["pending", "approved"], subject.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task The_phone_is_shown_to_the_subjects_secretary_and_masked_for_a_grid_worker()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var bySecretary = await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");
        var byOfficer = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");
        var byGridWorker = await world.Client("gridworker-1").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");

        Assert.Equal("13900000001", bySecretary.GetProperty("phone").GetString());
        Assert.Equal("13900000001", byOfficer.GetProperty("phone").GetString());
        Assert.Equal("139****0001", byGridWorker.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task A_subject_s_redemptions_are_listed_newest_first_each_with_the_yuan_recorded_at_its_rate()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");
        await client.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 1, note = "兑换洗衣液一瓶" });
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.Client("officer-1").PatchAsJsonAsync("/api/streets/houzhai/settings", new { yuanPerPoint = 15 });
        await client.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 2, note = "兑换食用油一桶" });

        var list = await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1/redemptions");
        var elsewhere = await world.Client("secretary-changchun").GetAsync("/api/subjects/landlord-1/redemptions");

        var items = list.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("points").GetInt32(), i.GetProperty("yuan").GetDecimal(), i.GetProperty("note").GetString(), i.GetProperty("recordedBy").GetString())).ToList();
        Assert.Equal([(2, 30m, "兑换食用油一桶", "secretary-fangtang"), (1, 10m, "兑换洗衣液一瓶", "secretary-fangtang")], items);
        Assert.Equal((4, 3, 1), (list.GetProperty("rewards").GetProperty("earned").GetInt32(), list.GetProperty("rewards").GetProperty("redeemed").GetInt32(),
            list.GetProperty("rewards").GetProperty("available").GetInt32()));
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_redemption_spends_reward_points_but_never_the_balance_nor_more_than_available()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");

        var redeemed = await client.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 2, note = "兑换食用油一桶" });
        var tooMuch = await client.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 1, note = "再兑换" });
        var zero = await client.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 0, note = "" });
        var subject = await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");

        Assert.Equal(HttpStatusCode.Created, redeemed.StatusCode);
        var receipt = await redeemed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((20m, 0), (receipt.GetProperty("yuan").GetDecimal(), receipt.GetProperty("rewards").GetProperty("available").GetInt32()));
        Assert.Equal(HttpStatusCode.Conflict, tooMuch.StatusCode);
        var problem = await tooMuch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not-enough-points", problem.GetProperty("code").GetString());
        Assert.Contains("0 reward points available", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Equal((14, 0), (subject.GetProperty("balance").GetInt32(), subject.GetProperty("rewardPoints").GetInt32()));
    }

    [Fact]
    public async Task Points_redeemed_and_then_revoked_show_as_overdrawn_rather_than_figures_that_do_not_add_up()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var scored = await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 2, note = "兑换食用油一桶" })).StatusCode);
        Assert.True((await client.PostAsJsonAsync($"/api/events/{scored}/revoke", new { reason = "核实为误报" })).IsSuccessStatusCode);

        var rewards = (await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1")).GetProperty("rewards");

        Assert.Equal((0, 2, 0, 2), (rewards.GetProperty("earned").GetInt32(), rewards.GetProperty("redeemed").GetInt32(),
            rewards.GetProperty("available").GetInt32(), rewards.GetProperty("overdrawn").GetInt32()));
    }

    [Fact]
    public async Task A_landlord_taken_off_the_roster_can_still_be_paid_what_they_earned()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");
        Assert.True((await world.Client("officer-1").PostAsync("/api/subjects/landlord-1/deactivate", null)).IsSuccessStatusCode);

        var redeemed = await client.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 2, note = "搬离前兑换" });
        var subject = await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");

        Assert.Equal(HttpStatusCode.Created, redeemed.StatusCode);
        Assert.Equal((false, 0), (subject.GetProperty("active").GetBoolean(), subject.GetProperty("rewards").GetProperty("available").GetInt32()));
    }

    [Fact]
    public async Task A_redemption_refused_on_an_overdrawn_account_says_it_is_overdrawn_and_why()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var scored = await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 2, note = "兑换食用油一桶" })).StatusCode);
        Assert.True((await client.PostAsJsonAsync($"/api/events/{scored}/revoke", new { reason = "核实为误报" })).IsSuccessStatusCode);
        await world.ScoreAsync("landlord-1", Scoring.Domain.Rules.DefaultRules.LandlordMediation); // +1: makes up half of what is owed

        var refused = await client.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 1, note = "兑换洗衣液" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not-enough-points", problem.GetProperty("code").GetString());
        Assert.Contains("1 overdrawn", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_subject_is_404()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client("officer-1").GetAsync("/api/subjects/nobody");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_redemption_recorded_in_error_is_reversed_with_who_when_and_why_and_the_account_and_the_payout_net_it_out()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");                                                  // +2
        await world.ScoreAsync("landlord-1", Scoring.Domain.Rules.DefaultRules.LandlordMediation); // +1: 3 earned
        var client = world.Client("secretary-fangtang");
        var redeemed = await (await client.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 2, note = "兑换食用油一桶" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = redeemed.GetProperty("id").GetString();
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        HttpRequestMessage Reverse(string key, string? reason) => new(HttpMethod.Post, $"/api/subjects/landlord-1/redemptions/{id}/reverse")
        {
            Content = JsonContent.Create(new { reason }), Headers = { { Scoring.Service.Features.Idempotency.Header, key } },
        };

        var unreasoned = await client.SendAsync(Reverse("r0", " "));
        var elsewhere = await world.Client("secretary-changchun").SendAsync(Reverse("r1", "录错了"));
        var reversed = await client.SendAsync(Reverse("r2", "登记错误，实际未兑换"));
        var replayed = await client.SendAsync(Reverse("r2", "登记错误，实际未兑换"));
        var twice = await client.SendAsync(Reverse("r3", "再撤一次"));
        var list = await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1/redemptions");
        var payout = System.Text.Encoding.UTF8.GetString(await world.Client("officer-1").GetByteArrayAsync("/api/streets/houzhai/rewards.csv"))
            .Split("\r\n").Select(l => l.Split(',')).First(r => r[0] == "landlord-1");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Forbidden), (unreasoned.StatusCode, elsewhere.StatusCode));
        Assert.Equal(HttpStatusCode.Created, reversed.StatusCode);
        var body = await reversed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((id, 2, "secretary-fangtang", "登记错误，实际未兑换"), (body.GetProperty("redemptionId").GetString(), body.GetProperty("points").GetInt32(),
            body.GetProperty("reversedBy").GetString(), body.GetProperty("reason").GetString()));
        Assert.Equal(world.Clock.GetUtcNow(), body.GetProperty("reversedAt").GetDateTimeOffset());
        Assert.Equal((0, 3), (body.GetProperty("rewards").GetProperty("redeemed").GetInt32(), body.GetProperty("rewards").GetProperty("available").GetInt32()));
        Assert.Equal(await reversed.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync()); // the same key: the first answer
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("redemption-reversed", (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        // The original stays readable, with its reversal beside it.
        var item = list.GetProperty("items").EnumerateArray().Single();
        Assert.Equal((2, "兑换食用油一桶", "secretary-fangtang", "登记错误，实际未兑换"), (item.GetProperty("points").GetInt32(), item.GetProperty("note").GetString(),
            item.GetProperty("reversedBy").GetString(), item.GetProperty("reversalReason").GetString()));
        Assert.Equal((0, 3), (list.GetProperty("rewards").GetProperty("redeemed").GetInt32(), list.GetProperty("rewards").GetProperty("available").GetInt32()));
        Assert.Equal(("3", "0", "0.00", "3"), (payout[6], payout[7], payout[8], payout[10])); // earned, redeemed, its yuan, available
    }

    [Fact]
    public async Task Events_on_a_subject_s_card_carry_their_last_decision_who_when_and_why()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var revoked = await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(2));
        var client = world.Client("secretary-fangtang");
        Assert.True((await client.PostAsJsonAsync($"/api/events/{revoked}/revoke", new { reason = "核实为误报，租客并未转租" })).IsSuccessStatusCode);
        var pending = await world.ReportAsync("landlord-1", evidence: "待核查的上报");

        var events = (await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1")).GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);

        var decided = events[revoked];
        Assert.Equal(("secretary-fangtang", "核实为误报，租客并未转租"), (decided.GetProperty("decidedBy").GetString(), decided.GetProperty("reason").GetString()));
        Assert.Equal(world.Clock.GetUtcNow(), decided.GetProperty("decidedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, events[pending].GetProperty("decidedBy").ValueKind); // nobody has decided it yet
        Assert.Equal(JsonValueKind.Null, events[pending].GetProperty("decidedAt").ValueKind);
    }
}
