using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Application;

namespace Scoring.Service.Tests.Features;

/// <summary>A landlord's chat accounts seen and cut off, his data in one answer, and his erasure on request, over HTTP.</summary>
public sealed class PersonalDataApiTests
{
    private static async Task BindAsync(ServiceWorld world, string user)
    {
        var code = await world.Service<Enrolment>().IssueAsync(await world.StaffAsync("secretary-fangtang"), "subject", "landlord-1");
        Assert.True((await world.Service<Enrolment>().BindAsync("wechat", user, code.Value!.Code)).Succeeded);
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    [Fact]
    public async Task The_secretary_lists_a_landlord_s_accounts_masked_and_deletes_the_old_phone_s_which_then_speaks_for_nobody()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await BindAsync(world, "oldphone-openid-1234");
        world.Clock.Advance(TimeSpan.FromDays(3));
        await BindAsync(world, "newphone-openid-5678");
        var secretary = world.Client("secretary-fangtang");

        var listed = await secretary.GetStringAsync("/api/subjects/landlord-1/chat-accounts");
        Assert.DoesNotContain("openid", listed);
        var items = JsonDocument.Parse(listed).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["ol********34", "ne********78"], items.Select(i => i.GetProperty("maskedUserId").GetString()));

        var deleted = await secretary.DeleteAsync($"/api/subjects/landlord-1/chat-accounts/{items[0].GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Null(await world.Service<Enrolment>().IdentifyAsync("wechat", "oldphone-openid-1234"));
        Assert.NotNull(await world.Service<Enrolment>().IdentifyAsync("wechat", "newphone-openid-5678"));
        var again = await secretary.DeleteAsync($"/api/subjects/landlord-1/chat-accounts/{items[0].GetProperty("id").GetString()}");
        Assert.Equal((HttpStatusCode.NotFound, "chat-account-not-found"), (again.StatusCode, await CodeOf(again)));
    }

    [Fact]
    public async Task A_landlord_s_data_in_one_answer_carries_his_account_masked_and_his_card_by_its_last_four_only()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await BindAsync(world, "ying-openid-0001");
        var officer = world.Client("officer-1");
        Assert.Equal(HttpStatusCode.OK, (await officer.PutAsJsonAsync("/api/subjects/landlord-1", new { idCard = "11010519491231002X" })).StatusCode);

        var text = await officer.GetStringAsync("/api/subjects/landlord-1/personal-data");

        Assert.DoesNotContain("openid", text);
        Assert.DoesNotContain("1101051949", text);
        var data = JsonDocument.Parse(text).RootElement;
        Assert.Equal(("应天乐", "002X"), (data.GetProperty("name").GetString(), data.GetProperty("idCardLastFour").GetString()?.ToUpperInvariant()));
        Assert.Equal("yi********01", data.GetProperty("chatAccounts")[0].GetProperty("maskedUserId").GetString());
        Assert.Contains(data.GetProperty("staffActions").EnumerateArray(), a => a.GetProperty("action").GetString() == "account-bound");
        Assert.NotEmpty(data.GetProperty("tenants").EnumerateArray());
    }

    [Fact]
    public async Task An_officer_erases_a_landlord_off_the_roster_on_request_and_one_on_it_is_a_409()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");

        var onRoster = await officer.PostAsJsonAsync("/api/subjects/landlord-1/erase", new { reason = "本人申请删除" });
        Assert.Equal((HttpStatusCode.Conflict, "subject-on-roster"), (onRoster.StatusCode, await CodeOf(onRoster)));
        var noReason = await officer.PostAsJsonAsync("/api/subjects/landlord-1/erase", new { });
        Assert.Equal((HttpStatusCode.BadRequest, "reason-required"), (noReason.StatusCode, await CodeOf(noReason))); // as documented, not the generic invalid-input

        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync("/api/subjects/landlord-1/deactivate", null)).StatusCode);
        var erased = await officer.PostAsJsonAsync("/api/subjects/landlord-1/erase", new { reason = "本人申请删除" });

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var body = await erased.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("应*乐", body.GetProperty("name").GetString());
        var subject = await world.SubjectAsync("landlord-1");
        Assert.Equal(("应*乐", (string?)null), (subject.Name, subject.Phone));
        Assert.NotNull(subject.ErasedAt);
    }
}
