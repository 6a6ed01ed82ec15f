using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Application;
using Scoring.Domain.Rules;
using Scoring.Storage;

namespace Scoring.Service.Tests.Features;

public class VerificationApiTests
{
    [Fact]
    public async Task The_queue_shows_who_reported_what_when_and_the_points_at_stake_oldest_first()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var older = await world.ReportByStaffAsync("gridworker-1", "landlord-2", DefaultRules.NotDisinfected, "3号楼楼道未消毒");
        world.Clock.Advance(TimeSpan.FromMinutes(90));
        var newer = await world.ReportAsync("landlord-1");

        var items = (await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/communities/fangtang/pending")).GetProperty("items");

        Assert.Equal([older, newer], items.EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var first = items[0];
        Assert.Equal("landlord-2", first.GetProperty("subjectId").GetString());
        Assert.Equal("王秀兰", first.GetProperty("subjectName").GetString());
        Assert.Equal("landlord", first.GetProperty("kind").GetString());
        Assert.Equal(DefaultRules.NotDisinfected, first.GetProperty("rule").GetString());
        Assert.Equal(-1, first.GetProperty("delta").GetInt32());
        Assert.Equal("pending", first.GetProperty("status").GetString());
        Assert.Equal("gridworker-1", first.GetProperty("reporter").GetString());
        Assert.Equal("3号楼楼道未消毒", first.GetProperty("evidence").GetString());
        Assert.Equal(90, first.GetProperty("ageMinutes").GetInt32());
        Assert.False(first.GetProperty("escalated").GetBoolean());
        Assert.False(first.GetProperty("overdue").GetBoolean());
        Assert.True(first.TryGetProperty("occurredAt", out _) && first.TryGetProperty("reportedAt", out _));
    }

    [Fact]
    public async Task Each_queued_item_names_its_community_and_another_record_of_the_same_subject_rule_and_day()
    {
        // The chat's cards named both; the HTTP queue named neither, so the copy of one corridor reported twice went unseen.
        await using var world = await ServiceWorld.CreateAsync();
        var first = await world.ReportByStaffAsync("gridworker-1", "landlord-2", DefaultRules.NotDisinfected, "3号楼楼道未消毒");
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        var copy = await world.ReportByStaffAsync("secretary-fangtang", "landlord-2", DefaultRules.NotDisinfected, "3号楼楼道没有消毒");
        var other = await world.ReportAsync("landlord-4");

        var community = (await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/communities/fangtang/pending")).GetProperty("items");
        var street = (await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/pending")).GetProperty("items");

        var item = Assert.Single(community.EnumerateArray());
        Assert.Equal(first, item.GetProperty("id").GetString());
        Assert.Equal("fangtang", item.GetProperty("community").GetString());
        Assert.Equal("方塘村", item.GetProperty("communityName").GetString());
        Assert.Equal(copy, item.GetProperty("sameDayRecord").GetProperty("id").GetString());
        Assert.Equal("approved", item.GetProperty("sameDayRecord").GetProperty("status").GetString());
        var elsewhere = street.EnumerateArray().Single(i => i.GetProperty("id").GetString() == other);
        Assert.Equal("changchun", elsewhere.GetProperty("community").GetString());
        Assert.Equal("长春社区", elsewhere.GetProperty("communityName").GetString());
        Assert.Equal(JsonValueKind.Null, elsewhere.GetProperty("sameDayRecord").ValueKind); // an addition: never looked for
    }

    [Fact]
    public async Task A_secretary_who_is_the_landlord_sees_his_record_marked_and_gets_403_conflict_of_interest_deciding_it_or_redeeming_for_herself()
    {
        // 金永平 lets rooms as landlord-1: one person, one phone (as the roster keeps it).
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        await world.Db.WriteAsync(s => s.UpdateStaffAsync(secretary with { Phone = "13900000001" }));
        var hers = await world.ReportAsync("landlord-1");
        var other = await world.ReportAsync("landlord-2");
        var client = world.Client("secretary-fangtang");

        var items = (await client.GetFromJsonAsync<JsonElement>("/api/communities/fangtang/pending")).GetProperty("items").EnumerateArray().ToList();
        var approve = await client.PostAsync($"/api/events/{hers}/approve", null);
        var redeem = await client.PostKeyedAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 1, note = "兑换洗衣液一瓶" });
        var byOfficer = await world.Client("officer-1").PostAsync($"/api/events/{hers}/approve", null);

        Assert.True(items.Single(i => i.GetProperty("id").GetString() == hers).GetProperty("ownRecord").GetBoolean());
        Assert.False(items.Single(i => i.GetProperty("id").GetString() == other).GetProperty("ownRecord").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Contains("conflict-of-interest", await approve.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, redeem.StatusCode);
        Assert.Contains("conflict-of-interest", await redeem.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, byOfficer.StatusCode);
    }

    [Fact]
    public async Task Two_people_of_one_name_are_told_apart_by_their_phones_last_four_digits_and_a_corrected_late_return_gives_the_later_arrival()
    {
        await using var world = await ServiceWorld.CreateAsync(); // Wednesday 09:00
        var twin = new Scoring.Domain.Subject { Id = "landlord-twin", StreetId = "houzhai", CommunityId = "fangtang", Kind = Scoring.Domain.SubjectKind.Landlord, Name = "应天乐", Phone = "13900000099" };
        await world.Db.WriteAsync(async s =>
        {
            await Scoring.Storage.PeopleStore.InsertSubjectAsync(s, twin, world.Clock.GetUtcNow());
            await Scoring.Storage.PeopleStore.InsertTenantAsync(s, new Scoring.Domain.Tenant { Id = "twin-t1", SubjectId = twin.Id, Name = "王大明", Room = "201" });
        });
        var reporting = world.Service<Reporting>();
        var arrival = new DateTimeOffset(2026, 11, 16, 8, 0, 0, TimeSpan.FromHours(8));
        Assert.True((await reporting.ReportReturnAsync(Actor.Of(await world.SubjectAsync("landlord-1")), "landlord-1-t1", arrival, "src-a")).Succeeded);
        Assert.True((await reporting.ReportReturnAsync(Actor.Of(twin), "twin-t1", arrival, "src-b")).Succeeded);
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await reporting.ReportReturnAsync(Actor.Of(twin), "twin-t1", arrival.AddHours(36), "src-c")).Succeeded); // in time: a typo corrected

        var items = (await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/communities/fangtang/pending")).GetProperty("items").EnumerateArray().ToList();

        var mine = items.Single(i => i.GetProperty("subjectId").GetString() == "landlord-1");
        var theirs = items.Single(i => i.GetProperty("subjectId").GetString() == "landlord-twin");
        Assert.Equal(2, items.Count);
        Assert.Equal("0001", mine.GetProperty("phoneLastFour").GetString());
        Assert.Equal("0099", theirs.GetProperty("phoneLastFour").GetString());
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("laterArrival").ValueKind);
        Assert.Equal(arrival.AddHours(36), theirs.GetProperty("laterArrival").GetDateTimeOffset());
    }

    [Fact]
    public async Task Items_past_the_deadline_are_overdue_and_past_the_window_escalate_to_the_officers()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var id = await world.ReportAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(8)); // 17:00, after the 16:00 deadline
        var afternoon = (await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/communities/fangtang/pending")).GetProperty("items")[0];
        world.Clock.Advance(TimeSpan.FromHours(17));
        await world.Service<Verification>().EscalateAsync();

        var escalated = (await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/pending?escalated=true")).GetProperty("items");

        Assert.True(afternoon.GetProperty("overdue").GetBoolean());
        Assert.False(afternoon.GetProperty("overdueSinceEarlierDay").GetBoolean()); // past today's deadline only
        Assert.False(afternoon.GetProperty("escalated").GetBoolean());
        Assert.Equal(id, Assert.Single(escalated.EnumerateArray()).GetProperty("id").GetString());
        Assert.True(escalated[0].GetProperty("escalated").GetBoolean());
        Assert.True(escalated[0].GetProperty("overdueSinceEarlierDay").GetBoolean()); // the next morning: as the card's 已超过核查时限
    }

    [Fact]
    public async Task An_event_s_history_shows_its_escalation_by_the_system_and_why()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var id = await world.ReportAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(24));
        await world.Service<Verification>().EscalateAsync();
        await world.ApproveAsync(id);

        var history = await world.Client("officer-1").GetFromJsonAsync<JsonElement>($"/api/events/{id}");

        var transitions = history.GetProperty("transitions").EnumerateArray()
            .Select(t => (t.GetProperty("kind").GetString(), t.GetProperty("from").GetString(), t.GetProperty("to").GetString(), t.GetProperty("actor").GetString(), t.GetProperty("reason").GetString()))
            .ToList();
        Assert.Equal([("status", null, "pending", "landlord-1", null), ("escalation", "pending", "pending", "system", "pending longer than 24 h"),
            ("status", "pending", "approved", "secretary-fangtang", null)], transitions);
        Assert.Equal(world.Clock.GetUtcNow(), history.GetProperty("transitions")[1].GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Reject_and_revoke_need_a_reason_and_every_transition_is_in_the_history()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var rejected = await world.ReportAsync("landlord-1");
        var revoked = await world.ScoreAsync("landlord-3");
        var client = world.Client("secretary-fangtang");

        var reject = await client.PostAsJsonAsync($"/api/events/{rejected}/reject", new { reason = "查无此事" });
        var revoke = await client.PostAsJsonAsync($"/api/events/{revoked}/revoke", new { reason = "重复上报" });
        var history = await client.GetFromJsonAsync<JsonElement>($"/api/events/{revoked}");

        Assert.Equal("rejected", (await reject.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("revoked", (await revoke.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var transitions = history.GetProperty("transitions").EnumerateArray()
            .Select(t => (t.GetProperty("from").GetString(), t.GetProperty("to").GetString(), t.GetProperty("actor").GetString(), t.GetProperty("reason").GetString())).ToList();
        Assert.Equal([(null, "pending", "landlord-3", null), ("pending", "approved", "secretary-fangtang", null), ("approved", "revoked", "secretary-fangtang", "重复上报")], transitions);
        Assert.Equal("revoked", history.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_decision_that_changes_balances_of_weeks_already_published_names_them_for_a_correction()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var revoked = await world.ScoreAsync("landlord-1");            // W47, approved
        var late = await world.ReportAsync("landlord-3");              // W47, still pending
        var rejected = await world.ReportAsync("landlord-2");
        world.Clock.Advance(TimeSpan.FromDays(6));                     // Tuesday of W48: W47 is over
        await world.PublishAsync("2026-W47");
        await world.PublishAsync("2026-W47", "shop-head");
        var client = world.Client("secretary-fangtang");

        var revoke = await (await client.PostAsJsonAsync($"/api/events/{revoked}/revoke", new { reason = "重复上报" })).Content.ReadFromJsonAsync<JsonElement>();
        var approve = await (await client.PostAsync($"/api/events/{late}/approve", null)).Content.ReadFromJsonAsync<JsonElement>();
        var reject = await (await client.PostAsJsonAsync($"/api/events/{rejected}/reject", new { reason = "查无此事" })).Content.ReadFromJsonAsync<JsonElement>();
        var another = await world.ReportAsync("landlord-3", occurredAt: ServiceWorld.Wednesday);
        var many = await (await client.PostAsJsonAsync("/api/communities/fangtang/pending/approve", new { ids = new[] { another, "NOSUCH1" } })).Content.ReadFromJsonAsync<JsonElement>();

        static string[] Affected(JsonElement d) => d.GetProperty("publishedWeeksAffected").EnumerateArray().Select(w => w.GetString()!).ToArray();
        Assert.Equal(["2026-W47"], Affected(revoke));   // the landlords' list of W47 counted it
        Assert.Equal(["2026-W47"], Affected(approve));  // it would have counted, had it been approved in time
        Assert.Empty(Affected(reject));                 // a pending report never counted: nothing published changes
        Assert.Equal(["2026-W47"], Affected(many.GetProperty("results")[0])); // the bulk door says it too
        var refused = many.GetProperty("results")[1];
        Assert.Equal((404, "event-not-found"), (refused.GetProperty("status").GetInt32(), refused.GetProperty("code").GetString()));
        Assert.Contains("找不到", refused.GetProperty("detailZh").GetString()); // a refused item is said in Chinese too
    }

    [Fact]
    public async Task A_repeated_approval_names_the_weeks_still_published_without_it_until_a_correction_includes_it()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var late = await world.ReportAsync("landlord-3");              // W47, still pending
        world.Clock.Advance(TimeSpan.FromDays(6));                     // Tuesday of W48: W47 is over
        await world.PublishAsync("2026-W47");
        var client = world.Client("secretary-fangtang");
        static async Task<string[]> Affected(HttpResponseMessage r) =>
            (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publishedWeeksAffected").EnumerateArray().Select(w => w.GetString()!).ToArray();

        var first = await Affected(await client.PostAsync($"/api/events/{late}/approve", null));
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var retried = await Affected(await client.PostAsync($"/api/events/{late}/approve", null)); // the first answer was lost
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.PublishAsync("2026-W47", correctionReason: "补录核查通过的返回");
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var afterCorrection = await Affected(await client.PostAsync($"/api/events/{late}/approve", null));

        Assert.Equal(["2026-W47"], first);
        Assert.Equal(["2026-W47"], retried);    // the list published before the approval still lacks it
        Assert.Empty(afterCorrection);          // the correction counted it: nothing published is stale
    }

    [Fact]
    public async Task Approving_twice_changes_nothing_and_approving_a_rejected_event_is_409()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var id = await world.ReportAsync("landlord-1");
        var other = await world.ReportAsync("landlord-2");
        var client = world.Client("secretary-fangtang");

        await client.PostAsync($"/api/events/{id}/approve", null);
        var again = await (await client.PostAsync($"/api/events/{id}/approve", null)).Content.ReadFromJsonAsync<JsonElement>();
        await client.PostAsJsonAsync($"/api/events/{other}/reject", new { reason = "证据不足" });
        var conflict = await client.PostAsync($"/api/events/{other}/approve", null);

        Assert.False(again.GetProperty("changed").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("wrong-status", (await conflict.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Rejecting_or_revoking_again_answers_the_record_as_it_is_and_records_nothing_more()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var rejected = await world.ReportAsync("landlord-1");
        var revoked = await world.ScoreAsync("landlord-2");
        var client = world.Client("secretary-fangtang");
        await client.PostAsJsonAsync($"/api/events/{rejected}/reject", new { reason = "证据不足" });
        await client.PostAsJsonAsync($"/api/events/{revoked}/revoke", new { reason = "重复上报" });

        // Sent again without a key (the contract's client): the record as it is, not a 409.
        var rejectedAgain = await client.PostAsJsonAsync($"/api/events/{rejected}/reject", new { reason = "证据不足" });
        var revokedAgain = await client.PostAsJsonAsync($"/api/events/{revoked}/revoke", new { reason = "重复上报" });

        foreach (var again in new[] { rejectedAgain, revokedAgain })
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.False((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        }
        Assert.Equal(2, (await world.Service<Scoring.Application.Verification>().HistoryAsync(rejected)).Count);
        Assert.Equal(3, (await world.Service<Scoring.Application.Verification>().HistoryAsync(revoked)).Count);
    }

    [Fact]
    public async Task Bulk_approval_answers_for_each_id()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var mine = await world.ReportAsync("landlord-1");
        var elsewhere = await world.ReportAsync("landlord-4"); // 长春社区

        var response = await world.Client("secretary-fangtang").PostAsJsonAsync("/api/communities/fangtang/pending/approve", new { ids = new[] { mine, "NOSUCHID", elsewhere } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        var results = body.GetProperty("results").EnumerateArray().Select(r => (r.GetProperty("id").GetString(), r.GetProperty("status").GetInt32())).ToList();
        Assert.Equal([(mine, 200), ("NOSUCHID", 404), (elsewhere, 404)], results);
        Assert.Equal((1, 2), (body.GetProperty("approved").GetInt32(), body.GetProperty("refused").GetInt32()));
        Assert.Equal("approved", body.GetProperty("results")[0].GetProperty("eventStatus").GetString());
    }

    [Fact]
    public async Task A_pending_report_follows_its_subject_when_the_subject_moves_to_another_community()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var id = await world.ReportAsync("landlord-1"); // 方塘村
        var moved = await world.Client("officer-1").PutAsJsonAsync("/api/subjects/landlord-1", new { community = "changchun" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var oldSecretary = world.Client("secretary-fangtang");
        var newSecretary = world.Client("secretary-changchun");

        async Task<List<string?>> QueueAsync(HttpClient client, string community) =>
            (await client.GetFromJsonAsync<JsonElement>($"/api/communities/{community}/pending")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        var newQueue = await QueueAsync(newSecretary, "changchun");
        var oldQueue = await QueueAsync(oldSecretary, "fangtang");
        var approveByOld = await oldSecretary.PostAsync($"/api/events/{id}/approve", null);
        var approveByNew = await newSecretary.PostAsync($"/api/events/{id}/approve", null);

        Assert.Contains(id, newQueue);
        Assert.DoesNotContain(id, oldQueue);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.OK), (approveByOld.StatusCode, approveByNew.StatusCode));
    }

    [Fact]
    public async Task An_event_is_read_by_the_secretary_of_its_subject_now_not_by_the_one_it_moved_away_from()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var id = await world.ReportAsync("landlord-1", evidence: "租客王小明夜间喧哗"); // 方塘村
        var moved = await world.Client("officer-1").PutAsJsonAsync("/api/subjects/landlord-1", new { community = "changchun" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        var byOld = await world.Client("secretary-fangtang").GetAsync($"/api/events/{id}");
        var byNew = await world.Client("secretary-changchun").GetAsync($"/api/events/{id}");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.OK), (byOld.StatusCode, byNew.StatusCode));
    }

    [Fact]
    public async Task A_queue_answers_at_most_the_limit_asked_for_with_the_total_pending()
    {
        await using var world = await ServiceWorld.CreateAsync();
        for (int i = 0; i < 3; i++) await world.ReportAsync("landlord-1");
        var secretary = world.Client("secretary-fangtang");

        var page = await secretary.GetFromJsonAsync<JsonElement>("/api/communities/fangtang/pending?limit=2");
        var badLimit = await secretary.GetAsync("/api/communities/fangtang/pending?limit=0");

        Assert.Equal((2, 3), (page.GetProperty("items").GetArrayLength(), page.GetProperty("total").GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task Revoking_an_addition_whose_points_were_already_redeemed_says_the_reward_account_is_overdrawn()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var paid = await world.ScoreAsync("landlord-1");   // +2, redeemed below
        var kept = await world.ScoreAsync("landlord-2");   // +2, never redeemed
        var client = world.Client("secretary-fangtang");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 2, note = "兑换食用油一桶" })).StatusCode);

        var overdrawn = await (await client.PostAsJsonAsync($"/api/events/{paid}/revoke", new { reason = "核实为误报" })).Content.ReadFromJsonAsync<JsonElement>();
        var covered = await (await client.PostAsJsonAsync($"/api/events/{kept}/revoke", new { reason = "核实为误报" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(2, overdrawn.GetProperty("rewardsOverdrawn").GetInt32());
        Assert.Equal(0, covered.GetProperty("rewardsOverdrawn").GetInt32());
    }
}
