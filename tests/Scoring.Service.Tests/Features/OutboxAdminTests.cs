using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scoring.Bot.Protocol;
using Scoring.Bot.Turns;
using Scoring.Storage.Outbox;

namespace Scoring.Service.Tests.Features;

public class OutboxAdminTests
{
    [Theory]
    [InlineData("abc", "limit 'abc' must be a whole number from 1 to 500")]
    [InlineData("0", "limit must be from 1 to 500")]
    [InlineData("501", "limit must be from 1 to 500")]
    [InlineData("99999999999", "limit '99999999999' must be a whole number from 1 to 500")]
    public async Task A_bad_limit_is_a_400_naming_the_limit_and_its_range(string limit, string detail)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var admin = await world.AdminAsync();

        var response = await admin.GetAsync($"/api/admin/outbox/dead-letters?limit={limit}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid-input", problem.GetProperty("code").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_admin_reads_the_dead_letters_with_or_without_a_limit()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var admin = await world.AdminAsync();

        var all = await admin.GetAsync("/api/admin/outbox/dead-letters");
        var some = await admin.GetAsync("/api/admin/outbox/dead-letters?limit=5");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (all.StatusCode, some.StatusCode));
        Assert.Equal(JsonValueKind.Array, (await some.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task A_dead_lettered_reply_that_carried_an_enrolment_code_shows_the_admin_no_code()
    {
        // The code binds whoever types it as the landlord: an admin reading why a message failed has no use for it.
        await using var world = await ServiceWorld.CreateAsync();
        var admin = await world.AdminAsync();
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(world.CredentialsPath));
        var secretaryCode = credentials.RootElement.GetProperty("staff").EnumerateArray()
            .Single(p => p.GetProperty("id").GetString() == "secretary-fangtang").GetProperty("enrolmentCode").GetString()!;
        var handler = world.Service<IActivityHandler>();
        var n = 0;
        Activity Message(string text) => new()
        {
            Type = ActivityTypes.Message, Id = $"m{++n}", ChannelId = "test", ServiceUrl = "http://connector.test", Locale = "zh-CN", Text = text,
            From = new ChannelAccount { Id = "chat-secretary" }, Recipient = new ChannelAccount { Id = "bot", Role = "bot" },
            Conversation = new ConversationAccount { Id = "conv-secretary" },
        };
        await handler.HandleAsync(Message($"绑定 {secretaryCode}"), false, CancellationToken.None);
        await handler.HandleAsync(Message("发码 王秀兰"), false, CancellationToken.None);
        var outbox = world.Service<OutboxStore>();
        // One message of a conversation at a time: each claimed once the one before it is given up on.
        while (await outbox.ClaimDueAsync("test", 100, TimeSpan.FromMinutes(1)) is { Count: > 0 } claimed)
            foreach (var message in claimed)
                await outbox.DeadLetterAsync(message.Id, "test", "Refused: 400 (BadArgument)");

        var letters = await (await admin.GetAsync("/api/admin/outbox/dead-letters")).Content.ReadFromJsonAsync<JsonElement>();

        var texts = letters.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("text").GetString() ?? "").ToList();
        var issued = Assert.Single(texts, t => t.Contains("王秀兰", StringComparison.Ordinal));
        Assert.DoesNotMatch(new Regex("绑定 [0-9A-Z]{8}"), issued);
        Assert.Contains("绑定码", issued, StringComparison.Ordinal);
    }
}
