using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Application;

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
}
