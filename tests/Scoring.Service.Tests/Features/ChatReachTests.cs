using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scoring.Service.Tests.Features;

/// <summary>Someone who removed the bot in Teams is shown to staff as not reachable in chat, since when; their next message clears it.</summary>
public class ChatReachTests
{
    private static int _activity;

    private static async Task<HttpResponseMessage> PostAsync(ServiceWorld world, string user, string type, string? text = null, string? action = null,
        bool inGroup = false, bool botRemoved = false)
    {
        var activity = new JsonObject
        {
            ["type"] = type, ["id"] = $"reach-{Interlocked.Increment(ref _activity)}", ["channelId"] = "msteams",
            ["serviceUrl"] = "https://smba.example/", ["from"] = new JsonObject { ["id"] = $"29:{user}" },
            ["conversation"] = inGroup
                ? new JsonObject { ["id"] = "19:group@thread.v2", ["conversationType"] = "groupChat", ["isGroup"] = true }
                : new JsonObject { ["id"] = $"a:{user}", ["conversationType"] = "personal" },
            ["recipient"] = new JsonObject { ["id"] = "28:bot" },
            ["locale"] = "zh-CN", ["text"] = text, ["action"] = action, ["deliveryMode"] = "expectReplies",
        };
        if (botRemoved) activity["membersRemoved"] = new JsonArray(new JsonObject { ["id"] = "28:bot" });
        var response = await world.Client().PostAsync("/api/messages", new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private static async Task BindAsync(ServiceWorld world, string issuer, object body, string user)
    {
        var issued = await world.Client(issuer).PostAsJsonAsync("/api/enrolments", body);
        var code = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
        await PostAsync(world, user, "message", $"绑定 {code}");
    }

    [Fact]
    public async Task A_landlord_who_removed_the_bot_reads_as_unreachable_on_their_subject_view_until_they_write_again()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await BindAsync(world, "secretary-fangtang", new { subjectId = "landlord-1" }, "landlord-1");
        var officer = world.Client("officer-1");
        Assert.Equal(JsonValueKind.Null, (await officer.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1")).GetProperty("chatUnreachableSince").ValueKind);

        await PostAsync(world, "landlord-1", "installationUpdate", action: "remove");
        var removed = await officer.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");
        await PostAsync(world, "landlord-1", "message", "积分");
        var back = await officer.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");

        Assert.Equal(world.Clock.GetUtcNow(), removed.GetProperty("chatUnreachableSince").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, back.GetProperty("chatUnreachableSince").ValueKind);
    }

    [Fact]
    public async Task A_secretary_who_removed_the_bot_reads_as_unreachable_in_the_streets_staff_list()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await BindAsync(world, "secretary-fangtang", new { staffId = "secretary-fangtang" }, "secretary-fangtang");

        await PostAsync(world, "secretary-fangtang", "installationUpdate", action: "remove");
        var staff = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/staff");

        var items = staff.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(world.Clock.GetUtcNow(), items.Single(x => x.GetProperty("id").GetString() == "secretary-fangtang").GetProperty("chatUnreachableSince").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, items.Single(x => x.GetProperty("id").GetString() == "officer-1").GetProperty("chatUnreachableSince").ValueKind);
    }

    [Fact]
    public async Task Removing_the_bot_from_a_group_chat_leaves_the_person_s_private_chat_reachable()
    {
        // Teams sends installationUpdate remove for a team or group chat too, from whoever removed the app there: their own
        // chat with the bot, where their notices go, is untouched.
        await using var world = await ServiceWorld.CreateAsync();
        await BindAsync(world, "secretary-fangtang", new { staffId = "secretary-fangtang" }, "secretary-fangtang");

        await PostAsync(world, "secretary-fangtang", "installationUpdate", action: "remove", inGroup: true);
        var staff = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/streets/houzhai/staff");

        Assert.Equal(JsonValueKind.Null, staff.GetProperty("items").EnumerateArray()
            .Single(x => x.GetProperty("id").GetString() == "secretary-fangtang").GetProperty("chatUnreachableSince").ValueKind);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Teams_word_that_the_bot_left_a_personal_chat_keeps_the_person_unreachable_in_whichever_order_it_comes(bool removalFirst)
    {
        // With a personal uninstall Teams also sends a conversationUpdate whose membersRemoved holds the bot, in either order:
        // written as the person's reference, it cleared the mark the removal had just set.
        await using var world = await ServiceWorld.CreateAsync();
        await BindAsync(world, "secretary-fangtang", new { subjectId = "landlord-1" }, "landlord-1");

        if (removalFirst) await PostAsync(world, "landlord-1", "installationUpdate", action: "remove");
        await PostAsync(world, "landlord-1", "conversationUpdate", botRemoved: true);
        if (!removalFirst) await PostAsync(world, "landlord-1", "installationUpdate", action: "remove");
        var subject = await world.Client("officer-1").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");

        Assert.Equal(world.Clock.GetUtcNow(), subject.GetProperty("chatUnreachableSince").GetDateTimeOffset());
    }
}
