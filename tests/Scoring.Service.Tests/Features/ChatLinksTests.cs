using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Service.Tests.Features;

/// <summary>The addresses chat names are ones this service answers: followed as written, with the speaker's own access.</summary>
public class ChatLinksTests
{
    private const int Landlords = 20; // more than a chat list shows, so the reply names where the whole list is

    [Fact]
    public async Task The_whole_list_an_officer_s_preview_names_is_a_request_the_service_answers_with_the_officer_s_token()
    {
        await using var world = await TiedStreetAsync();
        await BindAsync(world, "officer-1");

        var reply = await SayAsync(world, "officer-1", "发布 上周 房东");

        var named = Regex.Match(reply, @"GET (/api/\S+)");
        Assert.True(named.Success, reply);
        var response = await world.Client("officer-1").GetAsync(named.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("2026-W46", preview.GetProperty("week").GetString());
        Assert.Equal(Landlords, preview.GetProperty("red").GetArrayLength());
    }

    [Fact]
    public async Task The_notice_board_a_published_list_in_chat_names_is_a_page_anyone_opens()
    {
        await using var world = await TiedStreetAsync();
        await world.PublishAsync("2026-W46");
        await BindAsync(world, "officer-1");

        var reply = await SayAsync(world, "officer-1", "榜单");

        var named = Regex.Match(reply, @"(/streets/houzhai/board/\S+)");
        Assert.True(named.Success, reply);
        var response = await world.Client().GetAsync(named.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("2026-W46", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_a_public_address_the_list_in_chat_names_a_full_link_a_phone_opens()
    {
        await using var world = await TiedStreetAsync("https://jifen.houzhai.gov.cn");
        await world.PublishAsync("2026-W46");
        await BindAsync(world, "officer-1");

        var reply = await SayAsync(world, "officer-1", "榜单");

        Assert.Contains("完整名单：https://jifen.houzhai.gov.cn/streets/houzhai/board/2026-W46?kind=landlord", reply);
    }

    /// <summary>The demo street with <see cref="Landlords"/> load landlords, all tied first in 2026-W46.</summary>
    private static async Task<ServiceWorld> TiedStreetAsync(string? publicBaseUrl = null)
    {
        var settings = new Dictionary<string, string> { ["Demo:Scale"] = $"{Landlords}" };
        if (publicBaseUrl is not null) settings["PublicBaseUrl"] = publicBaseUrl;
        var world = await ServiceWorld.CreateAsync(settings: settings);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var at = new DateTimeOffset(2026, 11, 10, 10, 0, 0, TimeSpan.FromHours(8));
        var cycle = ScoringCycle.Containing(IsoWeek.Parse("2026-W46"), CycleKind.WeekYear);
        await world.Db.WriteAsync(async s =>
        {
            for (int i = 0; i < Landlords; i++)
            {
                await s.InsertEventAsync(new ScoreEvent
                {
                    Id = $"tied-{i}", StreetId = "houzhai", CommunityId = i % 2 == 0 ? "fangtang" : "changchun", SubjectId = $"load-{i}",
                    RuleCode = DefaultRules.LandlordMediation, RuleVersion = 1, Delta = 1, OccurredAt = at, ReportedAt = at,
                    ReporterId = $"load-{i}", ReporterRole = ReporterRole.Self, Source = $"tied:{i}", Evidence = "调解", Status = EventStatus.Approved,
                }, IsoWeek.Containing(at, zone), cycle);
            }
        });
        return world;
    }

    private static async Task BindAsync(ServiceWorld world, string staffId)
    {
        var issued = await world.Client(staffId).PostAsJsonAsync("/api/enrolments", new { staffId });
        var code = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
        Assert.Contains("绑定成功", await SayAsync(world, staffId, $"绑定 {code}"));
    }

    private static int _activity;

    private static async Task<string> SayAsync(ServiceWorld world, string user, string text)
    {
        var activity = new JsonObject
        {
            ["type"] = "message", ["id"] = $"link-{Interlocked.Increment(ref _activity)}", ["channelId"] = "webchat",
            ["serviceUrl"] = "https://webchat.example/", ["from"] = new JsonObject { ["id"] = $"wx-{user}" },
            ["conversation"] = new JsonObject { ["id"] = $"dm-{user}" }, ["recipient"] = new JsonObject { ["id"] = "bot" },
            ["locale"] = "zh-CN", ["text"] = text, ["deliveryMode"] = "expectReplies",
        };
        var response = await world.Client().PostAsync("/api/messages", new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return string.Join("\n", body.GetProperty("activities").EnumerateArray().Select(a => a.TryGetProperty("text", out var t) ? t.GetString() : ""));
    }
}
