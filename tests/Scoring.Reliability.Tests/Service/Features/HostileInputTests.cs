using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Scoring.Reliability.Tests.World;

namespace Scoring.Reliability.Tests.Service.Features;

/// <summary>
/// Whatever arrives — broken JSON, invalid UTF-8, megabytes, SQL and markup, path tricks, impossible weeks, huge
/// numbers — gets a clear 4xx or a helpful chat reply, never a 5xx, and never changes the ledger it was not meant to.
/// </summary>
public sealed class HostileInputTests
{
    public const string Evil = "'; DROP TABLE score_events; -- <script>alert('x')</script> \" OR 1=1 --";

    /// <summary>The same within the 50 characters a name may have.</summary>
    public const string EvilName = "<script>alert(1)</script>' OR 1=1;--";

    // ASCII text: the message helper escapes Chinese, and the replacements below must find what they replace.
    private static readonly string Activity = ReliabilityWorld.Message("load-1", "score", "hostile-base");

    /// <summary>The base activity with one piece replaced; the piece must be there, or the case would test nothing.</summary>
    private static string Mutated(string from, string to)
    {
        Assert.Contains(from, Activity);
        return Activity.Replace(from, to);
    }

    [Fact]
    public async Task Malformed_truncated_nested_oversized_and_invalid_utf8_activities_get_a_clear_4xx_and_change_nothing()
    {
        await ReliabilityWorld.RunAsync(new WorldOptions { Scale = 3 }, async world =>
        {
            var ledger = world.LedgerFingerprint();
            using var client = world.Client();
            // Most must be refused; a few are well-formed enough that a tolerant reader may take them (A2005) — those must
            // then be answered like any message, still without a 5xx.
            string[] mayBeTaken = ["a timestamp far out", "a lone surrogate escaped"];
            var bodies = new List<(string What, byte[] Body)>
            {
                ("empty", []),
                ("an open brace", "{"u8.ToArray()),
                ("truncated", Encoding.UTF8.GetBytes(Activity[..(Activity.Length / 2)])),
                ("a trailing comma", Encoding.UTF8.GetBytes(Activity.TrimEnd('}') + ",}")),
                ("an array", "[]"u8.ToArray()),
                ("a string", "\"message\""u8.ToArray()),
                ("null", "null"u8.ToArray()),
                ("a number for an object", Encoding.UTF8.GetBytes(Mutated("\"from\":{\"id\":\"load-1\",\"name\":\"load-1\"}", "\"from\":12"))),
                ("a huge number", Encoding.UTF8.GetBytes(Mutated("\"locale\":\"zh-CN\"", "\"locale\":1e400"))),
                ("a 40-digit id", Encoding.UTF8.GetBytes(Mutated("\"id\":\"hostile-base\"", "\"id\":1234567890123456789012345678901234567890"))),
                ("a timestamp far out", Encoding.UTF8.GetBytes(Mutated("2026-11-18T01:00:00.000Z", "99999-99-99T99:99:99Z"))),
                ("deeply nested value", Encoding.UTF8.GetBytes(Mutated("\"value\":null", "\"value\":" + new string('[', 20_000) + new string(']', 20_000)))),
                ("deeply nested objects", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000))),
                ("invalid UTF-8 in the text", [.. Encoding.UTF8.GetBytes(Mutated("score", "\u0001"))[..^40], 0xC3, 0x28, 0xFF, 0xFE, .. "\"}"u8.ToArray()]),
                ("invalid UTF-8 everywhere", [0xFF, 0xFE, 0xC0, 0xAF, 0xED, 0xA0, 0x80]),
                ("a lone surrogate escaped", Encoding.UTF8.GetBytes(Mutated("\"score\"", "\"\\ud800\""))),
                ("300 KB of padding", Encoding.UTF8.GetBytes(Mutated("\"locale\"", $"\"pad\":\"{new string('x', 300_000)}\",\"locale\""))),
                ("1 MB of chat text", Encoding.UTF8.GetBytes(ReliabilityWorld.Message("load-1", "违规 租客1 " + new string('闹', 350_000), "hostile-1mb"))),
                ("no serviceUrl", Encoding.UTF8.GetBytes(Mutated("\"serviceUrl\":\"http://127.0.0.1:9\",", ""))),
                ("a file serviceUrl", Encoding.UTF8.GetBytes(Mutated("http://127.0.0.1:9", "file:///etc/passwd"))),
                ("a 10,000-character conversation id", Encoding.UTF8.GetBytes(Mutated("conv-load-1", new string('c', 10_000)))),
            };
            var answers = new List<string>();
            foreach (var (what, body) in bodies)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync("/api/messages", content);
                var status = (int)response.StatusCode;
                answers.Add($"{what}: {status}");
                if (mayBeTaken.Contains(what) && status == 200) continue;
                Assert.True(status is >= 400 and < 500, $"{what}: {status} {await response.Content.ReadAsStringAsync()}");
                Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString());
            }
            Assert.Equal(ledger, world.LedgerFingerprint());
            Assert.Equal(0, world.Log.Count(Microsoft.Extensions.Logging.LogLevel.Error));
            int taken = answers.Count(a => a.EndsWith(": 200"));
            Hostile.Count(bodies.Count, fourXx: bodies.Count - taken, twoXx: taken);
        });
    }

    [Fact]
    public async Task Hostile_chat_text_gets_a_helpful_reply_and_scores_nothing()
    {
        await ReliabilityWorld.RunAsync(new WorldOptions { Scale = 3 }, async world =>
        {
            var ledger = world.LedgerFingerprint();
            using var client = world.Client();
            string[] texts =
            [
                Evil, "<script>alert(1)</script>", "' OR '1'='1", "通过 ../../etc/passwd", "驳回 %00 原因", "扣分 landlord-2 round-missed 乱来",
                "返回 租客1 9999-99-99 99:99", "返回 租客1 2026-13-45 08:00", "返回 租客1 明天 25:61", "返回 ' OR 1=1 --", "返回 租客1 " + new string('9', 400),
                "代办 " + new string('租', 5_000), "\u0000\u0001\u0002", "\ud800 lone surrogate", "🙂🙂🙂", "/help' --", "绑定 ' OR 1=1 --",
                new string(' ', 100), "積分", "ＳＣＯＲＥ", "\u202e分积",
            ];
            int n = 0;
            foreach (var text in texts)
            {
                foreach (var who in new[] { "load-1", "stranger-hostile" })
                {
                    using var response = await world.PostActivityAsync(client, ReliabilityWorld.Message(who, text, $"hostile-text-{n++}"));
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who} '{text[..Math.Min(text.Length, 40)]}': {(int)response.StatusCode} {body}");
                    var replies = ReliabilityWorld.ReplyTexts(body);
                    Assert.True(replies.Count > 0 && replies.All(r => r.Length > 0), $"no helpful reply to '{text[..Math.Min(text.Length, 40)]}'");
                    Assert.DoesNotContain(replies, r => r.Contains("Exception") || r.Contains("   at "));
                }
            }
            // Dialog state and the de-duplication records may change; the ledger may not.
            Assert.Equal(ledger, world.LedgerFingerprint());
            Assert.Equal(0, world.Log.Count(Microsoft.Extensions.Logging.LogLevel.Error));
            Hostile.Count(n, twoXx: n);
        });
    }

    [Fact]
    public async Task Sql_and_markup_in_every_free_text_field_are_stored_literally_and_escaped_on_the_board()
    {
        await ReliabilityWorld.RunAsync(async world =>
        {
            using var officer = world.Client("officer-1");
            using var secretary = world.Client("secretary-fangtang");
            using var gridWorker = world.Client("gridworker-1");
            const string IdCard = "11010519491231002X";
            world.Secrets.Add(IdCard);

            // Names: a community and a landlord (with an identity card) created through the roster API.
            var community = await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/communities", new { id = "evil", name = EvilName });
            Assert.True(community.StatusCode == HttpStatusCode.Created, await community.Content.ReadAsStringAsync());
            var created = await officer.PostAsJsonAsync("/api/streets/houzhai/subjects", new { kind = "landlord", community = "evil", name = "恶意" + EvilName, phone = "13700000099", idCard = IdCard });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            world.Secrets.Add("13700000099");
            using var subject = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            var subjectId = subject.RootElement.GetProperty("id").GetString()!;
            Assert.Equal("恶意" + EvilName, subject.RootElement.GetProperty("name").GetString());

            // Evidence (API and chat), a rejection reason, a redemption note.
            var lastWeek = new DateTimeOffset(2026, 11, 11, 10, 0, 0, TimeSpan.FromHours(8)); // 2026-W46, over
            var reported = await officer.PostKeyedAsJsonAsync($"/api/subjects/{subjectId}/events", new { rule = "tenant-violation-reported", evidence = Evil, occurredAt = lastWeek });
            Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
            using var reportedBody = JsonDocument.Parse(await reported.Content.ReadAsStringAsync());
            Assert.Equal(Evil, reportedBody.RootElement.GetProperty("evidence").GetString());
            var deduction = await gridWorker.PostKeyedAsJsonAsync("/api/subjects/landlord-1/events", new { rule = "corridor-not-disinfected", evidence = Evil });
            using var deductionBody = JsonDocument.Parse(await deduction.Content.ReadAsStringAsync());
            var rejected = await secretary.PostAsJsonAsync($"/api/events/{deductionBody.RootElement.GetProperty("id").GetString()}/reject", new { reason = Evil });
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
            var redeemed = await officer.PostAsJsonAsync($"/api/subjects/{subjectId}/redemptions", new { points = 1, note = Evil });
            Assert.True(redeemed.IsSuccessStatusCode, await redeemed.Content.ReadAsStringAsync());
            using var chat = world.Client();
            Assert.Equal(HttpStatusCode.OK, (await world.PostActivityAsync(chat, ReliabilityWorld.Message("chat-landlord-1", $"绑定 {world.CodeOf("landlord-1")}", "bind-1"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await world.PostActivityAsync(chat, ReliabilityWorld.Message("chat-landlord-1", $"违规 王小明 {Evil}", "evil-1"))).StatusCode);

            Assert.Equal(1, world.Scalar($"SELECT count(*) FROM communities WHERE name = '{EvilName.Replace("'", "''")}'"));
            Assert.Equal(2, world.Scalar($"SELECT count(*) FROM score_events WHERE evidence = '{Evil.Replace("'", "''")}'"));
            Assert.Equal(1, world.Scalar($"SELECT count(*) FROM score_events WHERE evidence = '王小明：{Evil.Replace("'", "''")}'"));
            Assert.Equal(1, world.Scalar($"SELECT count(*) FROM event_transitions WHERE reason = '{Evil.Replace("'", "''")}'"));
            Assert.Equal(1, world.Scalar($"SELECT count(*) FROM redemptions WHERE note = '{Evil.Replace("'", "''")}'"));
            Assert.Empty(world.TablesContaining(IdCard)); // hashed, never kept as typed

            // The board: the community's name is on it, escaped; no markup from the data gets through.
            Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync("/api/streets/houzhai/lists/2026-W46/publish", new { kind = "landlord" })).StatusCode);
            var board = await world.Client().GetStringAsync("/streets/houzhai/board/2026-W46");
            Assert.DoesNotContain("<script>", board);
            Assert.Contains(HtmlEncoder.Create(UnicodeRanges.All).Encode(EvilName), board);
            Hostile.Count(8, twoXx: 8);
        });
    }

    private static readonly (string Method, string Url, string? Body)[] Tricks =
    [
        ("GET", "/api/subjects/..%2F..%2Fetc%2Fpasswd", null),
        ("GET", "/api/subjects/%2e%2e", null),
        ("GET", "/api/subjects/landlord-1%2500", null), // a raw %00 never leaves the client (Kestrel answers 400 to it)
        ("GET", "/api/subjects/landlord-1'%20OR%20'1'='1", null),
        ("GET", "/api/events/..%5C..%5Cwindows", null),
        ("GET", "/api/communities/..%2Ffangtang/pending", null),
        ("GET", "/api/streets/houzhai%2F..%2F/lists/2026-W46?kind=landlord", null),
        ("GET", "/api/streets/houzhai/lists/2026-W00?kind=landlord", null),
        ("GET", "/api/streets/houzhai/lists/2026-W54?kind=landlord", null),
        ("GET", "/api/streets/houzhai/lists/2025-W53?kind=landlord", null),
        ("GET", "/api/streets/houzhai/lists/99999-W01?kind=landlord", null),
        ("GET", "/api/streets/houzhai/lists/-1-W01?kind=landlord", null),
        ("GET", "/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=99999999999999999999", null),
        ("GET", "/api/streets/houzhai/lists/2026-W47?kind=%3Cscript%3E", null),
        ("GET", "/api/streets/houzhai/lists/2026-W01.csv?kind=landlord", null),
        ("GET", "/streets/houzhai/board/2026-W54", null),
        ("GET", "/streets/houzhai/board/2026-w5%203", null),
        ("GET", "/api/streets/houzhai/lists/2026-W46/preview?kind=landlord&community=..%2F", null),
        ("GET", "/api/streets/houzhai/honours/99999999999", null),
        ("GET", "/api/streets/houzhai/honours/-5", null),
        ("POST", "/api/streets/houzhai/lists/2026-W00/publish", "{\"kind\":\"landlord\"}"),
        ("POST", "/api/streets/houzhai/lists/2026-W54/publish", "{\"kind\":\"landlord\"}"),
        ("POST", "/api/subjects/landlord-1/redemptions", "{\"points\":1e400,\"note\":\"x\"}"),
        ("POST", "/api/subjects/landlord-1/redemptions", "{\"points\":99999999999999999999,\"note\":\"x\"}"),
        ("POST", "/api/subjects/landlord-1/redemptions", "{\"points\":2147483647,\"note\":\"x\"}"),
        ("POST", "/api/subjects/landlord-1/redemptions", "{\"points\":-2147483648,\"note\":\"x\"}"),
        ("POST", "/api/subjects/landlord-1/events", "{\"rule\":\"tenant-violation-reported\",\"evidence\":\"x\",\"occurredAt\":\"9999-12-31T23:59:59Z\"}"),
        ("POST", "/api/subjects/landlord-1/events", "{\"rule\":\"tenant-violation-reported\",\"evidence\":\"x\",\"occurredAt\":\"0001-01-01T00:00:00Z\"}"),
        ("POST", "/api/subjects/landlord-1/events", "{\"rule\":\"../../tenant-violation-reported\",\"evidence\":\"x\"}"),
        ("POST", "/api/subjects/landlord-1/events", "{\"rule\":\"tenant-violation-reported\",\"evidence\":{\"$gt\":\"\"}}"),
        ("POST", "/api/subjects/landlord-1/events", "{\"rule\":\"tenant-violation-reported\",\"evidence\":\"x\""),
        ("POST", "/api/events/%2e%2e/approve", ""),
        ("POST", "/api/events/x'%3B--/reject", "{\"reason\":\"x\"}"),
        ("POST", "/api/enrolments", "{\"subjectId\":\"../../staff/officer-1\"}"),
        ("POST", "/api/enrolments", "{\"subjectId\":null,\"staffId\":null}"),
        ("PUT", "/api/streets/houzhai/rules", "{\"rules\":[{\"code\":\"x\",\"delta\":1e400}]}"),
        ("PUT", "/api/streets/houzhai/rules", "{\"rules\":[{\"code\":\"x\",\"nameZh\":\"x\",\"nameEn\":\"x\",\"appliesTo\":\"landlord\",\"delta\":2147483647,\"reportedBy\":[\"self\"],\"needsVerification\":true}]}"),
    ];

    [Fact]
    public async Task Path_tricks_impossible_weeks_and_huge_numbers_get_a_4xx_and_change_nothing()
    {
        await ReliabilityWorld.RunAsync(async world =>
        {
            var ledger = world.LedgerFingerprint();
            var rulesBefore = world.Scalar("SELECT count(*) FROM rule_sets");
            using var officer = world.Client("officer-1");
            var wrong = new List<string>();
            foreach (var (method, url, body) in Tricks)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                // With a key, so that a report's body is read rather than refused for want of one.
                if (method == "POST") request.Headers.Add(KeyedPosts.Header, Guid.NewGuid().ToString());
                using var response = await officer.SendAsync(request);
                var status = (int)response.StatusCode;
                if (status is < 400 or >= 500) wrong.Add($"{method} {url} {body}: {status} {await response.Content.ReadAsStringAsync()}");
            }
            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
            Assert.Equal(ledger, world.LedgerFingerprint());
            Assert.Equal(rulesBefore, world.Scalar("SELECT count(*) FROM rule_sets"));
            Hostile.Count(Tricks.Length, fourXx: Tricks.Length);
        });
    }
}

/// <summary>Counts the hostile requests of the run for the figures.</summary>
internal static class Hostile
{
    private static int requests, fourXx, twoXx;

    public static void Count(int n, int fourXx = 0, int twoXx = 0)
    {
        Interlocked.Add(ref requests, n);
        Interlocked.Add(ref Hostile.fourXx, fourXx);
        Interlocked.Add(ref Hostile.twoXx, twoXx);
        Figures.Record("hostile", new Dictionary<string, object> { ["requests"] = requests, ["answers4xx"] = Hostile.fourXx, ["answers2xx"] = Hostile.twoXx });
    }
}
