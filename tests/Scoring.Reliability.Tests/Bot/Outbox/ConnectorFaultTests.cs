using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Domain;
using Scoring.Reliability.Tests.World;

namespace Scoring.Reliability.Tests.Bot.Outbox;

/// <summary>
/// A channel that fails three sends in ten — 429 with Retry-After, 500, 502, no answer, dropped connections, and an
/// outage with nothing listening — still receives every reply and notification exactly once, in a paced way; what
/// can never be delivered ends as a dead letter an admin can see.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class ConnectorFaultTests
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(200);

    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Bot:Connector:AttemptTimeout"] = "00:00:02",
        ["Bot:Connector:TotalTimeout"] = "00:00:08",
        ["Bot:Connector:MaxRetryAttempts"] = "2",
        ["Bot:Connector:RetryDelay"] = "00:00:00.100",
        ["Bot:Connector:MaxRetryDelay"] = "00:00:02",
        ["Bot:Outbox:PollInterval"] = "00:00:00.500",
        ["Bot:Outbox:LeaseDuration"] = "00:00:20",
        ["Bot:Outbox:MaxAttempts"] = "5",
        ["Bot:Outbox:RetryBaseDelay"] = "00:00:00.500",
        ["Bot:Outbox:RetryMaxDelay"] = "00:00:02",
        ["Bot:Outbox:MinimumGapPerConversation"] = "00:00:00.200",
    };

    [Fact]
    public async Task Every_reply_and_notice_reaches_a_channel_failing_30_percent_once_and_paced_and_the_undeliverable_are_dead_letters_an_admin_sees()
    {
        int landlords = Figures.Size(quick: 30, full: 200);
        await using var channel = await FaultyChannel.StartAsync(seed: 3);
        await ReliabilityWorld.RunAsync(new WorldOptions { Scale = landlords, Sender = true, Settings = FastRetries }, async world =>
        {
            await world.AddStaffAsync("admin-1", StaffRole.Admin);
            channel.Always["conv-doomed"] = 500;  // fails every attempt: dead-lettered after the last one
            channel.Always["conv-refused"] = 400; // the channel refuses the activity itself: dead-lettered at once
            using var client = world.Client();
            var clock = Stopwatch.StartNew();

            // Every landlord reports and asks for their score (two replies each); an outage hits in the middle.
            Task outage = Task.CompletedTask;
            await Task.WhenAll(Enumerable.Range(0, landlords).Select(async i =>
            {
                if (i == landlords / 2) outage = channel.OutageAsync(TimeSpan.FromSeconds(1.5));
                await SayAsync(world, client, $"load-{i}", $"违规 租客{i} 夜间喧哗", $"r-{i}", channel.ServiceUrl);
                await SayAsync(world, client, $"load-{i}", "积分", $"s-{i}", channel.ServiceUrl);
            }));
            await SayAsync(world, client, "stranger-1", "你好", "d-1", channel.ServiceUrl, "conv-doomed");
            await SayAsync(world, client, "stranger-2", "你好", "d-2", channel.ServiceUrl, "conv-refused");
            await outage;

            // The secretaries approve everything: each landlord is told (a notice per event).
            foreach (var (secretary, community) in new[] { ("secretary-fangtang", "fangtang"), ("secretary-changchun", "changchun") })
            {
                using var staff = world.Client(secretary);
                using var queue = JsonDocument.Parse(await staff.GetStringAsync($"/api/communities/{community}/pending"));
                var ids = queue.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
                using var approved = await staff.PostAsJsonAsync($"/api/communities/{community}/pending/approve", new { ids });
                Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
            }

            await Eventually.TrueAsync(() => world.Scalar("SELECT count(*) FROM bot_outbox WHERE sent_at IS NULL AND dead_lettered_at IS NULL") == 0,
                TimeSpan.FromSeconds(120), "the outbox to drain");
            clock.Stop();

            int expected = landlords * 3 + 2;
            Assert.Equal(expected, world.Scalar("SELECT count(*) FROM bot_outbox"));
            // The outbox's backoff (at least 0.25 + 0.5 + 1 + 2 s over five attempts) outlasts the 1.5 s outage.
            Assert.True(landlords * 3 == world.Scalar("SELECT count(*) FROM bot_outbox WHERE sent_at IS NOT NULL"),
                "dead letters: " + DeadLetters(world));
            Assert.Equal(landlords, world.Scalar("SELECT count(*) FROM bot_outbox WHERE activity_json LIKE '%核查结果%' AND sent_at IS NOT NULL"));

            // None lost: every sent row was acknowledged by the channel, and the sender stopped at the first 2xx it heard.
            // A 2xx it did not hear in time (the attempt timed out first) is sent again — HTTP cannot tell "lost" from
            // "slow" — so such doubles are counted, and bounded so that a sender resending what it knew was sent fails.
            var delivered = channel.Delivered();
            using (var connection = world.OpenConnection())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT conversation_id, activity_json FROM bot_outbox WHERE sent_at IS NOT NULL";
                using var rows = command.ExecuteReader();
                while (rows.Read())
                {
                    using var activity = JsonDocument.Parse(rows.GetString(1));
                    var key = $"{rows.GetString(0)}\n{activity.RootElement.GetProperty("text").GetString()}";
                    var tries = channel.Attempts.Where(a => a.Message == key).ToList();
                    var history = string.Join("; ", tries.Select(a => $"{a.Fault}@{Stopwatch.GetElapsedTime(a.At).TotalSeconds:0.000}s ago"));
                    Assert.True(delivered.ContainsKey(key), $"never delivered ({history}): {key}");
                    Assert.True(tries[^1].Fault == Fault.None, $"tried again after a success ({history}): {key}");
                }
            }
            Assert.Equal(landlords * 3, delivered.Count);
            // Load could only add doubles by making a loopback 200 take longer than the 2 s attempt timeout; the class runs
            // alone (TimingSensitive) so that stays rare, while a sender resending what it heard was sent doubles nearly every message.
            int doubles = delivered.Values.Sum(n => n - 1);
            Assert.True(doubles <= Math.Max(1, delivered.Count / 20), $"{doubles} messages were delivered twice");

            // Paced: a 429's Retry-After is honoured, and one conversation never gets two messages closer than the gap.
            // Lower bounds that load cannot break: the channel stamps a send when it reads it, and the sender starts the
            // wait only once it has the previous answer, so a slow machine only moves sends further apart.
            var attempts = channel.Attempts.ToList();
            foreach (var message in attempts.GroupBy(a => a.Message))
            {
                var tries = message.ToList();
                for (int k = 1; k < tries.Count; k++)
                    if (tries[k - 1].Fault == Fault.TooManyRequests)
                        Assert.True(tries[k].SecondsSince(tries[k - 1]) >= tries[k - 1].RetryAfterSeconds - 0.05,
                            $"retried {tries[k].SecondsSince(tries[k - 1]):0.000} s after a Retry-After of {tries[k - 1].RetryAfterSeconds} s");
            }
            foreach (var conversation in attempts.GroupBy(a => a.ConversationId))
            {
                var messages = conversation.GroupBy(a => a.Message).Select(g => (First: g.First(), Last: g.Last())).OrderBy(m => m.First.At).ToList();
                for (int k = 1; k < messages.Count; k++)
                    Assert.True(messages[k].First.SecondsSince(messages[k - 1].Last) >= Gap.TotalSeconds - 0.02,
                        $"{conversation.Key}: two messages {messages[k].First.SecondsSince(messages[k - 1].Last):0.000} s apart");
            }

            // The undeliverable: dead letters with their reasons, for admins only.
            using var admin = world.Client("admin-1");
            using var letters = JsonDocument.Parse(await admin.GetStringAsync("/api/admin/outbox/dead-letters"));
            var items = letters.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(2, items.Count);
            var doomed = items.Single(i => i.GetProperty("conversationId").GetString() == "conv-doomed");
            Assert.Contains("HTTP 500", doomed.GetProperty("reason").GetString());
            Assert.Equal(5, doomed.GetProperty("attempts").GetInt32());
            var refused = items.Single(i => i.GetProperty("conversationId").GetString() == "conv-refused");
            Assert.StartsWith("Refused: HTTP 400", refused.GetProperty("reason").GetString());
            Assert.Single(attempts, a => a.ConversationId == "conv-refused"); // never sent again once the channel refused it
            Assert.Contains("绑定", refused.GetProperty("text").GetString());
            using (var officer = world.Client("officer-1"))
                Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/admin/outbox/dead-letters")).StatusCode);
            using (var anonymous = world.Client())
                Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/admin/outbox/dead-letters")).StatusCode);

            var faults = attempts.GroupBy(a => a.Fault).ToDictionary(g => g.Key.ToString(), g => (object)g.Count());
            Figures.Record("connector-faults", new Dictionary<string, object>(faults)
            {
                ["messages"] = expected, ["delivered"] = delivered.Count, ["deliveredTwice"] = doubles, ["deadLetters"] = items.Count, ["attemptsSeen"] = attempts.Count,
                ["failedShare"] = Figures.Round(100.0 * attempts.Count(a => a.Fault != Fault.None && !channel.Always.ContainsKey(a.ConversationId))
                    / attempts.Count(a => !channel.Always.ContainsKey(a.ConversationId)), 1),
                ["outages"] = channel.Outages, ["secondsToDrain"] = Figures.Round(clock.Elapsed.TotalSeconds),
            });
        });
    }

    private static string DeadLetters(ReliabilityWorld world)
    {
        using var connection = world.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT conversation_id || ' after ' || attempts || ': ' || last_error FROM bot_outbox WHERE dead_lettered_at IS NOT NULL";
        using var rows = command.ExecuteReader();
        var lines = new List<string>();
        while (rows.Read()) lines.Add(rows.GetString(0));
        return string.Join("; ", lines);
    }

    private static async Task SayAsync(ReliabilityWorld world, HttpClient client, string from, string text, string id, string serviceUrl, string? conversation = null)
    {
        using var response = await world.PostActivityAsync(client, ReliabilityWorld.Message(from, text, id, expectReplies: false, serviceUrl: serviceUrl, conversation: conversation));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
