using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Application;
using Scoring.Domain.Rules;

namespace Scoring.Service.Tests.Features;

public sealed class StaffActionsApiTests
{
    private static async Task<JsonElement> ActionsAsync(ServiceWorld world, string query = "")
    {
        var response = await world.Client("officer-1").GetAsync($"/api/streets/houzhai/staff-actions{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static List<(string Actor, string Action, string Target, string? Detail)> Rows(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("actor").GetString()!, i.GetProperty("action").GetString()!,
            i.GetProperty("targetId").GetString()!, i.GetProperty("detail").GetString())).ToList();

    [Fact]
    public async Task Who_gave_whom_access_and_who_changed_the_people_is_on_record_newest_first_without_tokens_codes_or_phones()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var token = await (await officer.PostKeyedAsync("/api/staff/secretary-fangtang/tokens")).Content.ReadFromJsonAsync<JsonElement>();
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        var code = await (await officer.PostAsJsonAsync("/api/enrolments", new { staffId = "gridworker-1" })).Content.ReadFromJsonAsync<JsonElement>();
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await world.Service<Enrolment>().BindAsync("webchat", "someone-7", code.GetProperty("code").GetString()!)).Succeeded);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await officer.PutAsJsonAsync("/api/staff/gridworker-1", new { role = "secretary", phone = "13900000099" })).IsSuccessStatusCode);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await world.Client("secretary-fangtang").PostAsync("/api/subjects/landlord-2/deactivate", null)).IsSuccessStatusCode);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await officer.DeleteAsync("/api/staff/secretary-fangtang/tokens")).IsSuccessStatusCode);

        var page = await ActionsAsync(world);
        var text = page.GetRawText();

        Assert.Equal(
        [
            ("officer-1", StaffActions.TokensRevoked, "secretary-fangtang", "2; credentials revoked; 1 unused code(s) voided; 0 chat account(s) unbound"), // and the demo street's token and code
            ("secretary-fangtang", StaffActions.SubjectDeactivated, "landlord-2", "landlord"),
        ], Rows(page).Take(2));
        // A new role, new credentials: the grid worker's token is taken back and the account his code bound unbound
        // with the change (of the same instant, on this clock, so in any order).
        Assert.Equal(
        [
            ("officer-1", StaffActions.AccountUnbound, "gridworker-1", "role changed; webchat:someone-7"),
            ("officer-1", StaffActions.StaffChanged, "gridworker-1", "role grid-worker → secretary; phone"),
            ("officer-1", StaffActions.TokensRevoked, "gridworker-1", "1; role changed; 0 unused code(s) voided; 1 chat account(s) unbound"),
        ], Rows(page).Skip(2).Take(3).OrderBy(r => r.Item2, StringComparer.Ordinal));
        Assert.Equal(
        [
            ("webchat:someone-7", StaffActions.AccountBound, "gridworker-1", "code of officer-1"),
            ("officer-1", StaffActions.CodeIssued, "gridworker-1", "grid-worker"),
            ("officer-1", StaffActions.TokenIssued, "secretary-fangtang", "secretary"),
        ], Rows(page).Skip(5).Take(3));
        Assert.DoesNotContain(token.GetProperty("token").GetString()!, text, StringComparison.Ordinal);
        Assert.DoesNotContain(code.GetProperty("code").GetString()!, text, StringComparison.Ordinal);
        Assert.DoesNotContain("13900000099", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_landlords_chat_account_taken_by_a_staff_code_of_another_street_is_on_the_landlords_street_s_record_too()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();
        var landlordCode = await (await world.Client("officer-1").PostAsJsonAsync("/api/enrolments", new { subjectId = "landlord-2" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((await world.Service<Enrolment>().BindAsync("webchat", "someone-8", landlordCode.GetProperty("code").GetString()!)).Succeeded);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        var staffCode = await (await world.Client(ServiceWorld.OtherStreetOfficerId).PostAsJsonAsync("/api/enrolments", new { staffId = "secretary-xincun" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True((await world.Service<Enrolment>().BindAsync("webchat", "someone-8", staffCode.GetProperty("code").GetString()!)).Succeeded);

        Assert.Equal(("webchat:someone-8", StaffActions.AccountUnbound, "landlord-2", "moved by a code of officer-jiangdong"), Rows(await ActionsAsync(world))[0]);
    }

    [Fact]
    public async Task A_chat_account_whose_id_is_a_phone_number_is_named_with_the_number_masked()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var code = await (await world.Client("officer-1").PostAsJsonAsync("/api/enrolments", new { subjectId = "landlord-2" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((await world.Service<Enrolment>().BindAsync("sms", "+8613912345678", code.GetProperty("code").GetString()!)).Succeeded);

        var page = await ActionsAsync(world);

        Assert.Equal("sms:+861******5678", Rows(page).First(r => r.Action == StaffActions.AccountBound).Actor);
        Assert.DoesNotContain("13912345678", page.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sms", "+86 139-1234-5678", "13912345678")]
    [InlineData("email", "zhang.wei@example.com", "zhang.wei")]
    public void A_chat_account_id_holding_a_phone_written_with_separators_or_an_address_is_masked(string channel, string user, string hidden)
    {
        var named = StaffActions.ChatAccount(channel, user);

        Assert.DoesNotContain(hidden, named.Replace(" ", "").Replace("-", ""), StringComparison.Ordinal);
        Assert.StartsWith(channel + ":", named, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_record_pages_back_with_the_cursor_it_gave_and_refuses_one_it_did_not()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        for (int i = 0; i < 3; i++)
        {
            await officer.PostKeyedAsync("/api/staff/secretary-fangtang/tokens");
            world.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await ActionsAsync(world, "?limit=2");
        var second = await ActionsAsync(world, $"?limit=2&before={first.GetProperty("next").GetString()}");
        var bad = await officer.GetAsync("/api/streets/houzhai/staff-actions?before=abc'--");

        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.True(second.GetProperty("items").GetArrayLength() >= 1);
        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.OrderByDescending(x => x, StringComparer.Ordinal), ids);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("翻页位置", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detailZh").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_that_ends_the_record_has_no_next_even_when_it_is_exactly_full()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        for (int i = 0; i < 3; i++)
        {
            await officer.PostKeyedAsync("/api/staff/secretary-fangtang/tokens");
            world.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        var all = (await ActionsAsync(world, $"?limit={StaffActions.MaxPage}")).GetProperty("items").GetArrayLength();

        var exactly = await ActionsAsync(world, $"?limit={all}");
        var first = await ActionsAsync(world, $"?limit={all - 1}");
        var last = await ActionsAsync(world, $"?limit=1&before={first.GetProperty("next").GetString()}");

        // As the subjects' pages and a subject's history: null on the last page, not a cursor to an empty one.
        Assert.Equal((all, JsonValueKind.Null), (exactly.GetProperty("items").GetArrayLength(), exactly.GetProperty("next").ValueKind));
        Assert.Equal((1, JsonValueKind.Null), (last.GetProperty("items").GetArrayLength(), last.GetProperty("next").ValueKind));
    }

    [Fact]
    public async Task Rules_published_and_a_roster_import_that_changed_someone_are_on_record_and_one_that_changed_nobody_is_not()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var body = ApiRouteExpectations.DefaultRuleBodies(r => r.Code == DefaultRules.LandlordService ? r with { Delta = 2 } : r);
        Assert.True((await officer.PutAsJsonAsync("/api/streets/houzhai/rules", new { rules = body })).IsSuccessStatusCode);
        var export = await (await officer.GetAsync("/api/streets/houzhai/roster.csv")).Content.ReadAsByteArrayAsync();
        using var same = new MultipartFormDataContent { { new ByteArrayContent(export), "file", "roster.csv" } };
        Assert.True((await officer.PostAsync("/api/streets/houzhai/roster/import", same)).IsSuccessStatusCode);
        var withOneMore = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(export).TrimEnd() + "\r\n房东,fangtang,新来的房东,13900000077,,,,\r\n");
        using var more = new MultipartFormDataContent { { new ByteArrayContent(withOneMore), "file", "roster.csv" } };
        Assert.True((await officer.PostAsync("/api/streets/houzhai/roster/import", more)).IsSuccessStatusCode);

        var rows = Rows(await ActionsAsync(world));

        var published = Assert.Single(rows, r => r.Action == StaffActions.RulesPublished);
        Assert.StartsWith("version 2 from ", published.Detail, StringComparison.Ordinal);
        var imported = Assert.Single(rows, r => r.Action == StaffActions.RosterImported); // the file as exported changed nobody: not recorded
        Assert.Equal(("officer-1", "created 1, updated 0, deactivated 0"), (imported.Actor, imported.Detail));
    }
}
