using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Domain.Rules;
using Scoring.Service.Features;

namespace Scoring.Service.Tests.Features;

/// <summary>Rules A, then B, then A sent again late (a retry, a second tab): B must not be undone behind the office's back.</summary>
public class RulesLostUpdateTests
{
    private const string Url = "/api/streets/houzhai/rules";

    private static object[] RulesWithServiceWorth(int delta) =>
        ApiRouteExpectations.DefaultRuleBodies(r => r.Code == DefaultRules.LandlordService ? r with { Delta = delta } : r);

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, int serviceWorth, string? ifMatch = null, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, Url) { Content = JsonContent.Create(new { rules = RulesWithServiceWorth(serviceWorth) }) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (key is not null) request.Headers.Add(Idempotency.Header, key);
        return client.SendAsync(request);
    }

    private static async Task<int> NewestVersionAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>(Url)).GetProperty("versions").EnumerateArray().Max(v => v.GetProperty("version").GetInt32());

    private static async Task<int> NewestServiceWorthAsync(HttpClient client)
    {
        var book = await client.GetFromJsonAsync<JsonElement>(Url);
        var newest = book.GetProperty("versions").EnumerateArray().MaxBy(v => v.GetProperty("version").GetInt32());
        return newest.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("code").GetString() == DefaultRules.LandlordService).GetProperty("delta").GetInt32();
    }

    [Fact]
    public async Task The_rules_carry_an_etag_of_their_newest_version_and_a_put_answers_the_new_one()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");

        var read = await officer.GetAsync(Url);
        var put = await PutAsync(officer, 2, ifMatch: read.Headers.ETag!.Tag);
        var again = await officer.GetAsync(Url);

        Assert.Equal("\"rules-v1\"", read.Headers.ETag.Tag);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("\"rules-v2\"", put.Headers.ETag?.Tag);
        Assert.Equal("\"rules-v2\"", again.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task The_etag_read_on_another_instance_right_after_a_put_names_the_version_just_published()
    {
        // Read from that instance's cache, the ETag named the version before for up to 30 s, and a PUT with it was refused.
        await using var world = await ServiceWorld.CreateAsync();
        var other = world.Client(world.AnotherInstance(), "officer-1");
        await other.GetAsync(Url); // the other instance has the rules in its cache
        await PutAsync(world.Client("officer-1"), 2);

        var read = await other.GetAsync(Url);
        var body = await read.Content.ReadFromJsonAsync<JsonElement>();
        var put = await PutAsync(other, 3, ifMatch: read.Headers.ETag!.Tag);

        Assert.Equal("\"rules-v2\"", read.Headers.ETag.Tag);
        Assert.Equal(2, body.GetProperty("versions").GetArrayLength());
        Assert.Equal(2, body.GetProperty("upcoming").GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    [Fact]
    public async Task A_put_with_the_etag_of_rules_since_replaced_is_refused_412_and_publishes_nothing()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var etag = (await officer.GetAsync(Url)).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(officer, 2, ifMatch: etag)).StatusCode);

        var stale = await PutAsync(officer, 3, ifMatch: etag);
        var problem = await stale.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("\"rules-v2\"", stale.Headers.ETag?.Tag); // the newest, to make the change to without another GET's race
        Assert.Equal("rules-changed-since-read", problem.GetProperty("code").GetString());
        Assert.Equal("Precondition failed", problem.GetProperty("title").GetString());
        Assert.StartsWith("https://", problem.GetProperty("type").GetString());
        Assert.Contains("version 2", problem.GetProperty("detail").GetString());
        Assert.Contains("第2版", problem.GetProperty("detailZh").GetString());
        Assert.Equal(2, await NewestVersionAsync(officer));
        Assert.Equal(2, await NewestServiceWorthAsync(officer));
    }

    [Fact]
    public async Task A_put_whose_if_match_names_no_version_is_refused_412()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await PutAsync(world.Client("officer-1"), 2, ifMatch: "W/\"rules-v1\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(1, await NewestVersionAsync(world.Client("officer-1")));
    }

    [Fact]
    public async Task A_delayed_retry_of_rules_a_after_rules_b_without_if_match_answers_a_as_published_and_leaves_b_newest()
    {
        // Put A (its answer lost), put B, and A's retry arrives: last write won, A was in force again from next week.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var a = await PutAsync(officer, 2);
        var b = await PutAsync(officer, 3);
        world.Clock.Advance(TimeSpan.FromSeconds(40));

        var retry = await PutAsync(officer, 2);
        var answer = await retry.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues(Idempotency.ReplayedHeader).Single());
        Assert.Equal(2, answer.GetProperty("version").GetInt32());
        Assert.Equal(3, await NewestVersionAsync(officer));
        Assert.Equal(3, await NewestServiceWorthAsync(officer));
    }

    [Fact]
    public async Task Going_back_to_earlier_rules_is_published_when_asked_with_the_newest_etag_or_after_the_retry_window()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        await PutAsync(officer, 2);
        var b = await PutAsync(officer, 3);

        var backOnPurpose = await PutAsync(officer, 2, ifMatch: b.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.Created, backOnPurpose.StatusCode);
        Assert.Equal(4, await NewestVersionAsync(officer));

        world.Clock.Advance(TimeSpan.FromMinutes(3));
        await PutAsync(officer, 3);
        world.Clock.Advance(TimeSpan.FromMinutes(3));
        var backLater = await PutAsync(officer, 2);
        Assert.Equal(HttpStatusCode.Created, backLater.StatusCode);
        Assert.Equal(6, await NewestVersionAsync(officer));
    }

    [Fact]
    public async Task Rules_published_exactly_the_retry_window_ago_are_not_taken_for_a_request_sent_again()
    {
        // The window ends where a redemption's and a code's end (PlainRetry.Covers): after now − 2 min, up to now.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        await PutAsync(officer, 2);
        await PutAsync(officer, 3);
        world.Clock.Advance(Scoring.Application.PlainRetry.Window);

        var back = await PutAsync(officer, 2);

        Assert.Equal(HttpStatusCode.Created, back.StatusCode);
        Assert.Equal(4, await NewestVersionAsync(officer));
    }

    [Fact]
    public async Task Another_officer_s_earlier_rules_sent_without_if_match_are_published_as_asked()
    {
        // Not a retry: a retry is the same officer's. Two officers without If-Match still overwrite each other, as before.
        await using var world = await ServiceWorld.CreateAsync();
        await world.EnsureStaffAsync("officer-2", Scoring.Domain.StaffRole.Officer, null);
        var other = world.Client();
        other.DefaultRequestHeaders.Authorization = new("Bearer", (await world.Service<Scoring.Application.StaffTokens>().IssueAsync(null, "officer-2")).Value!);
        await PutAsync(world.Client("officer-1"), 2);
        await PutAsync(world.Client("officer-1"), 3);

        var response = await PutAsync(other, 2);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, await NewestServiceWorthAsync(world.Client("officer-1")));
    }

    [Fact]
    public async Task An_idempotency_key_retry_of_rules_a_after_rules_b_replays_a_s_first_answer_and_leaves_b_newest()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var keyOfA = Guid.NewGuid().ToString();
        var a = await PutAsync(officer, 2, key: keyOfA);
        await PutAsync(officer, 3, key: Guid.NewGuid().ToString());
        world.Clock.Advance(TimeSpan.FromMinutes(10));

        var retry = await PutAsync(officer, 2, key: keyOfA);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues(Idempotency.ReplayedHeader).Single());
        Assert.Equal(await a.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal("\"rules-v2\"", a.Headers.ETag?.Tag);
        Assert.Equal(a.Headers.ETag?.Tag, retry.Headers.ETag?.Tag); // the first answer's, as its body
        Assert.Equal(3, await NewestVersionAsync(officer));
        Assert.Equal(3, await NewestServiceWorthAsync(officer));
    }

    [Fact]
    public async Task An_idempotency_key_used_for_other_rules_is_refused_422()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var key = Guid.NewGuid().ToString();
        await PutAsync(officer, 2, key: key);

        var reused = await PutAsync(officer, 3, key: key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal(2, await NewestVersionAsync(officer));
    }
}
