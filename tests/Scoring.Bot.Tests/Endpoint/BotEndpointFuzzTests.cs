using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Scoring.Bot.Tests.World;
using Xunit.Abstractions;

namespace Scoring.Bot.Tests.Endpoint;

/// <summary>Random and mutated activity JSON into the endpoint: never a 5xx, never an escaped exception.</summary>
public sealed class BotEndpointFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Seeds =
    [
        BotEndpointTests.Message("返回 张三 今天 14:00").ToJsonString(),
        BotEndpointTests.Message("score", deliveryMode: "expectReplies").ToJsonString(),
        """{"type":"conversationUpdate","id":"u1","channelId":"emulator","serviceUrl":"http://127.0.0.1:9","from":{"id":"u"},"conversation":{"id":"c"},"membersAdded":[{"id":"u"},{"id":"bot"}],"recipient":{"id":"bot"}}""",
        """{"type":"message","id":"s1","channelId":"emulator","serviceUrl":"http://127.0.0.1:9","from":{"id":"u"},"conversation":{"id":"c"},"value":{"action":"approve","eventId":"E-1"},"channelData":{"postBack":true},"deliveryMode":"expectReplies"}""",
        """{"type":"invoke","name":"adaptiveCard/action","id":"i1","channelId":"msteams","serviceUrl":"http://127.0.0.1:9","from":{"id":"u"},"conversation":{"id":"c"},"value":{"action":{"type":"Action.Execute"}}}""",
        """{"type":"typing","channelId":"emulator","serviceUrl":"http://127.0.0.1:9","from":{"id":"u"},"conversation":{"id":"c"}}""",
    ];

    private static readonly string[] Keys =
    [
        "type", "id", "channelId", "serviceUrl", "from", "conversation", "recipient", "text", "value", "locale",
        "timestamp", "localTimestamp", "membersAdded", "membersRemoved", "attachments", "suggestedActions",
        "entities", "channelData", "deliveryMode", "replyToId", "name", "isGroup", "role",
    ];

    private static readonly Gen<JsonNode?> Scalar = Gen.OneOf<JsonNode?>(
        Gen.Const((JsonNode?)null),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Long.Select(n => (JsonNode?)JsonValue.Create(n)),
        Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)JsonValue.Create(d)),
        Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.OneOf("message", "conversationUpdate", "invoke", "typing", "expectReplies", "", "http://127.0.0.1:9", "2026-11-20T08:30:00Z", "𠀀积分", "\u0000")
            .Select(s => (JsonNode?)JsonValue.Create(s)));

    private static readonly Gen<JsonNode?> Value = Gen.Recursive<JsonNode?>((depth, value) => depth >= 3
        ? Scalar
        : Gen.Frequency(
            (4, Scalar),
            (1, value.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
            (2, Gen.Select(Gen.OneOf(Keys), value).Array[0, 5].Select(pairs =>
            {
                var node = new JsonObject();
                foreach (var (key, item) in pairs)
                {
                    node[key] = item;
                }
                return (JsonNode?)node;
            }))));

    /// <summary>A seed with a few fields replaced by anything, removed, or the text cut and spliced.</summary>
    private static readonly Gen<string> Mutated = Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Select(Gen.OneOf(Keys), Value, Gen.Bool).Array[1, 4], Gen.Int[0, 3])
        .SelectMany((seed, edits, textEdit) => Gen.Int[0, Seeds[seed].Length].SelectMany(at => Gen.String[0, 6].Select(splice =>
        {
            var node = JsonNode.Parse(Seeds[seed])!.AsObject();
            foreach (var (key, value, remove) in edits)
            {
                if (remove)
                {
                    node.Remove(key);
                }
                else
                {
                    node[key] = value?.DeepClone();
                }
            }
            var text = node.ToJsonString();
            return textEdit switch
            {
                0 => text[..Math.Min(at, text.Length)],
                1 => text.Insert(Math.Min(at, text.Length), splice),
                _ => text,
            };
        })));

    private static readonly Gen<string> AnyBody = Gen.Frequency(
        (6, Mutated),
        (2, Value.Select(v => v?.ToJsonString() ?? "null")),
        (1, Gen.String));

    [Fact]
    public async Task Random_and_mutated_activities_never_get_a_5xx()
    {
        await using var app = await BotApp.StartAsync();
        var statuses = new SortedDictionary<int, int>();

        await AnyBody.SampleAsync(async body =>
        {
            var response = await app.PostAsync(body);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            return status is >= 200 and < 500 or 501;
        }, iter: 400, threads: 1);

        output.WriteLine(string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        // The mutations must reach the handler too, not only the parser's refusals.
        Assert.True(statuses.GetValueOrDefault(200) > 20, "too few accepted activities");
    }

    [Fact]
    public async Task Random_bytes_never_get_a_5xx()
    {
        await using var app = await BotApp.StartAsync();

        await Gen.Byte.Array[0, 512].SampleAsync(async bytes =>
        {
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new("application/json");
            var response = await app.Client.PostAsync("/api/messages", content);
            return (int)response.StatusCode is >= 400 and < 500;
        }, iter: 200, threads: 1);
    }

    [Fact]
    public async Task Deeply_nested_json_is_a_400_not_a_crash()
    {
        await using var app = await BotApp.StartAsync();
        var deep = new StringBuilder("{\"type\":\"message\",\"value\":");
        deep.Append('[', 5000).Append(']', 5000).Append('}');

        var response = await app.PostAsync(deep.ToString());

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }
}
