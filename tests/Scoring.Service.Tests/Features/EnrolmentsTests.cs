using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Scoring.Application;
using Scoring.Service.Features;

namespace Scoring.Service.Tests.Features;

public class EnrolmentsTests
{
    [Fact]
    public async Task A_code_for_a_subject_expires_in_seven_days_comes_with_a_qr_png_and_binds_once()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client("secretary-fangtang").PostAsJsonAsync("/api/enrolments", new { subjectId = "landlord-2" });
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        var code = issued.GetProperty("code").GetString()!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(8, code.Length);
        Assert.Equal(world.Clock.GetUtcNow() + Enrolment.CodeLifetime, issued.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal($"绑定 {code}", issued.GetProperty("bindCommand").GetString());
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], Convert.FromBase64String(issued.GetProperty("qrPng").GetString()!)[..4]);
        var bound = await world.Service<Enrolment>().BindAsync("emulator", "user-7", code);
        Assert.Equal("landlord-2", bound.Value!.Subject!.Id);
    }

    [Fact]
    public async Task With_an_app_password_a_code_from_the_api_is_kept_as_a_hash_no_copy_of_the_database_can_check_a_guess_against_and_binds()
    {
        await using var world = await ServiceWorld.CreateAsync(settings: new Dictionary<string, string>
        {
            ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
            ["Bot:MicrosoftAppPassword"] = "the-bot's-secret",
        });
        var response = await world.Client("secretary-fangtang").PostAsJsonAsync("/api/enrolments", new { subjectId = "landlord-2" });
        var code = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

        var stored = await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>(
            "SELECT code_hash FROM enrolment_codes WHERE person_id = 'landlord-2' AND used_at IS NULL AND replaced_at IS NULL"));
        Assert.NotEqual(Ids.Hash(code), stored);
        Assert.Equal("landlord-2", (await world.Service<Enrolment>().BindAsync("emulator", "user-7", code)).Value?.Subject?.Id);
    }

    [Fact]
    public async Task A_secretary_may_enrol_a_grid_worker_of_her_community()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client("secretary-fangtang").PostAsJsonAsync("/api/enrolments", new { staffId = "gridworker-1" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("staff", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("personKind").GetString());
    }

    [Fact]
    public async Task Only_an_admin_issues_an_enrolment_code_for_an_admin()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var admin = await world.AdminAsync();

        var byOfficer = await world.Client("officer-1").PostAsJsonAsync("/api/enrolments", new { staffId = "admin-1" });
        var byAdmin = await admin.PostAsJsonAsync("/api/enrolments", new { staffId = "admin-1" });

        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
    }

    [Theory]
    [InlineData("{}", HttpStatusCode.BadRequest)]
    [InlineData("{\"subjectId\":\"landlord-1\",\"staffId\":\"gridworker-1\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"subjectId\":\"nobody\"}", HttpStatusCode.NotFound)]
    public async Task A_code_is_for_exactly_one_known_person(string body, HttpStatusCode expected)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client("officer-1").PostAsync("/api/enrolments", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_code_asked_for_again_without_a_key_is_the_first_code_which_still_binds()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var client = world.Client("secretary-fangtang");

        // The contract's client sends no key; its first answer was lost on the way, and it asks again.
        var first = await client.PostAsJsonAsync("/api/enrolments", new { subjectId = "landlord-2" });
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await client.PostAsJsonAsync("/api/enrolments", new { subjectId = "landlord-2" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(again.Headers.Contains(Idempotency.ReplayedHeader));
        var (a, b) = (await first.Content.ReadFromJsonAsync<JsonElement>(), await again.Content.ReadFromJsonAsync<JsonElement>());
        var code = a.GetProperty("code").GetString()!;
        Assert.Equal(code, b.GetProperty("code").GetString());
        Assert.Equal(a.GetProperty("expiresAt").GetDateTimeOffset(), b.GetProperty("expiresAt").GetDateTimeOffset());
        // Kept for the retry only sealed (with the caller's token): the database alone cannot read it.
        var stored = await world.Db.ReadAsync(s => s.Connection.QueryAsync<string>("SELECT retry_answer FROM enrolment_codes WHERE person_id = 'landlord-2'"));
        Assert.DoesNotContain(stored, x => x is not null && x.Contains(code, StringComparison.Ordinal));
        var bound = await world.Service<Enrolment>().BindAsync("emulator", "user-7", code);
        Assert.Equal("landlord-2", bound.Value!.Subject!.Id);
        // Used, it is no answer to a retry any more: asked again, a new code is issued.
        var afterUse = await (await client.PostAsJsonAsync("/api/enrolments", new { subjectId = "landlord-2" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(code, afterUse.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_code_asked_for_again_without_a_key_on_an_instance_rotated_meanwhile_is_the_first_code()
    {
        // A rolling rotation: the first answer came from an instance on the old password, the retry reaches one on the new
        // with the old kept as previous. A new code would void the one the lost answer carried.
        await using var world = await ServiceWorld.CreateAsync(settings: new Dictionary<string, string>
        {
            ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
            ["Bot:MicrosoftAppPassword"] = "the-bot's-secret",
        });
        var rotated = world.AnotherInstance(settings: new Dictionary<string, string>
        {
            ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
            ["Bot:MicrosoftAppPassword"] = "the-bot's-next-secret",
            ["Bot:PreviousAppPassword"] = "the-bot's-secret",
        });

        var first = await world.Client("secretary-fangtang").PostAsJsonAsync("/api/enrolments", new { subjectId = "landlord-2" });
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await world.Client(rotated, "secretary-fangtang").PostAsJsonAsync("/api/enrolments", new { subjectId = "landlord-2" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_retry_whose_Authorization_header_is_written_differently_with_the_same_token_gets_the_same_code()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var token = world.TokenOf("secretary-fangtang");
        async Task<HttpResponseMessage> IssueAsync(string authorization)
        {
            var request = RouteMatrix.Send(HttpMethod.Post, "/api/enrolments", new { subjectId = "landlord-2" });
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            return await world.Client().SendAsync(request);
        }

        // The same token is the same caller, however a client writes the scheme and the space after it.
        var first = await IssueAsync($"Bearer {token}");
        var again = await IssueAsync($"bearer  {token}");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_code_asked_for_again_with_a_key_of_its_own_by_someone_else_or_minutes_later_replaces_the_first()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-fangtang");
        async Task<string> IssueAsync(HttpClient client, string? key = null)
        {
            var request = RouteMatrix.Send(HttpMethod.Post, "/api/enrolments", new { subjectId = "landlord-2" });
            if (key is not null) request.Headers.Add(Idempotency.Header, key);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        }

        var first = await IssueAsync(secretary);
        // A slip handed to the wrong person is voided at once by asking with a new key.
        var rekeyed = await IssueAsync(secretary, "reprint-1");
        var byOfficer = await IssueAsync(world.Client("officer-1"));
        world.Clock.Advance(PlainRetry.Window + TimeSpan.FromSeconds(1));
        var later = await IssueAsync(world.Client("officer-1"));

        Assert.Equal(4, new[] { first, rekeyed, byOfficer, later }.Distinct().Count());
        Assert.Equal("code-replaced", (await world.Service<Enrolment>().BindAsync("emulator", "user-7", byOfficer)).Failure?.Code);
        Assert.True((await world.Service<Enrolment>().BindAsync("emulator", "user-7", later)).Succeeded);
    }
}
