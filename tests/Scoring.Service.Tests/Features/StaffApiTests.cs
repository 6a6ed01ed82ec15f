using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scoring.Service.Tests.Features;

public class StaffApiTests
{
    [Fact]
    public async Task An_officer_issues_a_token_that_works_and_revoking_ends_every_token()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");

        var issued = await officer.PostKeyedAsync("/api/staff/gridworker-1/tokens");
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var newClient = world.Client();
        newClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var before = await newClient.GetAsync("/api/subjects/landlord-1");
        var revoked = await (await officer.DeleteAsync("/api/staff/gridworker-1/tokens")).Content.ReadFromJsonAsync<JsonElement>();
        var after = await newClient.GetAsync("/api/subjects/landlord-1");
        var demoToken = await world.Client("gridworker-1").GetAsync("/api/subjects/landlord-1");

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(2, revoked.GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, demoToken.StatusCode);
    }

    [Fact]
    public async Task A_token_is_issued_only_with_a_key_so_that_a_retry_does_not_mint_a_second_live_one()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        Task<long> TokensAsync() => world.Db.ReadAsync(s => Dapper.SqlMapper.ExecuteScalarAsync<long>(s.Connection, "SELECT COUNT(*) FROM staff_tokens"));
        var before = await TokensAsync();

        // Its answer lost, sent again: without a key the second would be a live token nobody holds.
        var first = await officer.PostAsync("/api/staff/gridworker-1/tokens", null);
        var again = await officer.PostAsync("/api/staff/gridworker-1/tokens", null);
        HttpRequestMessage Keyed() => new(HttpMethod.Post, "/api/staff/gridworker-1/tokens") { Headers = { { Scoring.Service.Features.Idempotency.Header, "token-1" } } };
        var issued = await officer.SendAsync(Keyed());
        var retried = await officer.SendAsync(Keyed());

        Assert.All([first, again], r => Assert.Equal((HttpStatusCode)428, r.StatusCode));
        Assert.Equal("idempotency-key-required", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(await issued.Content.ReadAsStringAsync(), await retried.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, await TokensAsync());
    }

    [Fact]
    public async Task A_request_without_a_token_is_told_to_send_one_and_one_with_a_wrong_token_that_it_is_not_valid()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var wrong = world.Client();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        var none = await world.Client().GetAsync("/api/subjects/landlord-1");
        var invalid = await wrong.GetAsync("/api/subjects/landlord-1");
        var noneDetail = (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        var invalidDetail = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (none.StatusCode, invalid.StatusCode));
        Assert.Contains("Send a staff token", noneDetail, StringComparison.Ordinal);
        Assert.Contains("unknown or revoked", invalidDetail, StringComparison.Ordinal);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().ToString());
        Assert.Equal("Bearer error=\"invalid_token\"", invalid.Headers.WwwAuthenticate.Single().ToString()); // RFC 6750 §3
    }

    [Fact]
    public async Task Staff_may_issue_a_token_for_themselves_and_their_community_s_grid_workers_but_not_for_a_colleague_or_a_superior()
    {
        // The rule of their enrolment codes (StaffMember.CanIssueCredentialsFor): a secretary enrols their grid workers.
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-fangtang");
        Assert.Equal(HttpStatusCode.Created, (await secretary.PostKeyedAsync("/api/staff/secretary-fangtang/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await secretary.PostKeyedAsync("/api/staff/gridworker-1/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await secretary.PostKeyedAsync("/api/staff/secretary-changchun/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await secretary.PostKeyedAsync("/api/staff/officer-1/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Client("gridworker-1").PostKeyedAsync("/api/staff/secretary-fangtang/tokens")).StatusCode);
    }

    [Fact]
    public async Task An_officer_neither_issues_nor_revokes_an_admins_tokens_and_an_admin_does()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var admin = await world.AdminAsync(); // an admin's row names a street too: houzhai, the officer's
        var officer = world.Client("officer-1");

        var issued = await officer.PostKeyedAsync("/api/staff/admin-1/tokens");
        var revoked = await officer.DeleteAsync("/api/staff/admin-1/tokens");
        var stillAdmin = await admin.GetAsync("/api/admin/outbox/dead-letters");
        var byAdmin = await admin.PostKeyedAsync("/api/staff/admin-1/tokens");

        Assert.Equal(HttpStatusCode.Forbidden, issued.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
    }

    [Fact]
    public async Task An_officer_may_not_mint_a_token_for_a_fellow_officer_but_may_revoke_theirs_and_an_admin_issues_it()
    {
        // Holding a fellow officer's token is acting as them: the street's record would name the wrong person.
        await using var world = await ServiceWorld.CreateAsync();
        await world.EnsureStaffAsync("officer-2", Scoring.Domain.StaffRole.Officer, null);
        var admin = await world.AdminAsync();
        var officer = world.Client("officer-1");

        var minted = await officer.PostKeyedAsync("/api/staff/officer-2/tokens");
        var problem = await minted.Content.ReadFromJsonAsync<JsonElement>();
        var revoked = await officer.DeleteAsync("/api/staff/officer-2/tokens");
        var byAdmin = await admin.PostKeyedAsync("/api/staff/officer-2/tokens");
        var forSecretary = await officer.PostKeyedAsync("/api/staff/secretary-fangtang/tokens");

        Assert.Equal(HttpStatusCode.Forbidden, minted.StatusCode);
        Assert.Equal("forbidden", problem.GetProperty("code").GetString());
        Assert.Contains("admin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Created, forSecretary.StatusCode);
        Assert.Equal(0, await world.Db.ReadAsync(s => Dapper.SqlMapper.ExecuteScalarAsync<long>(s.Connection,
            "SELECT COUNT(*) FROM staff_actions WHERE actor_id = 'officer-1' AND action = 'token-issued' AND target_id = 'officer-2'")));
    }

    [Fact]
    public async Task A_wrong_token_is_401_with_a_problem()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var client = world.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "st_not-a-real-token");
        var response = await client.GetAsync("/api/streets/houzhai/rules");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Revoking_after_a_lost_phone_unbinds_its_chat_account_and_voids_the_unused_code_and_says_how_many()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        async Task<string> CodeAsync() => (await (await officer.PostAsJsonAsync("/api/enrolments", new { staffId = "gridworker-1" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        var enrolment = world.Service<Scoring.Application.Enrolment>();
        Assert.True((await enrolment.BindAsync("wechat", "lost-phone", await CodeAsync())).Succeeded);
        var slip = await CodeAsync();

        var revoked = await officer.DeleteAsync("/api/staff/gridworker-1/tokens");
        var body = await revoked.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal((1, 1, 1), (body.GetProperty("revoked").GetInt32(), body.GetProperty("codesVoided").GetInt32(), body.GetProperty("chatAccountsUnbound").GetInt32()));
        Assert.Null(await enrolment.IdentifyAsync("wechat", "lost-phone"));
        Assert.False((await enrolment.BindAsync("wechat", "whoever-found-it", slip)).Succeeded);
    }

    [Fact]
    public async Task A_staff_record_given_another_name_and_phone_at_once_is_a_409_telling_the_office_to_create_the_new_person()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");

        var successor = await officer.PutAsJsonAsync("/api/staff/secretary-fangtang", new { name = "李新书记", phone = "13800009999" });
        var misspelt = await officer.PutAsJsonAsync("/api/staff/secretary-fangtang", new { name = "金咏平" });

        Assert.Equal(HttpStatusCode.Conflict, successor.StatusCode);
        Assert.Contains("staff-person-changed", await successor.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, misspelt.StatusCode);
    }
}
