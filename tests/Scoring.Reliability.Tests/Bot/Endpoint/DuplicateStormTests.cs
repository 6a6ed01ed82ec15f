using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Scoring.Reliability.Tests.World;

namespace Scoring.Reliability.Tests.Bot.Endpoint;

/// <summary>
/// Channels re-deliver activities (A2033) and clients retry: a storm of reports, each delivered one to three times
/// at once with the same activity id, must score each report exactly once and answer every copy alike.
/// </summary>
public sealed partial class DuplicateStormTests
{
    [Fact]
    public async Task Every_report_delivered_up_to_three_times_at_once_scores_once_and_every_copy_gets_the_first_answer()
    {
        int reports = Figures.Size(quick: 1_000, full: 10_000);
        int landlords = reports / 5;
        await ReliabilityWorld.RunAsync(new WorldOptions { Scale = landlords }, async world =>
        {
            var random = new Random(7);
            var plan = Enumerable.Range(0, reports).Select(r => (Report: r, Copies: random.Next(1, 4))).ToList();
            var answers = new ConcurrentDictionary<int, List<(HttpStatusCode Status, string Body)>>();
            var latencies = new ConcurrentBag<double>();
            using var client = world.Client();
            using var gate = new SemaphoreSlim(48);
            var clock = Stopwatch.StartNew();

            await Task.WhenAll(plan.Select(async p =>
            {
                await gate.WaitAsync();
                try
                {
                    var (landlord, round) = (p.Report % landlords, p.Report / landlords);
                    var activity = ReliabilityWorld.Message($"load-{landlord}", TextOf(landlord, round), id: $"storm-{p.Report}");
                    var copies = await Task.WhenAll(Enumerable.Range(0, p.Copies).Select(async _ =>
                    {
                        var started = Stopwatch.GetTimestamp();
                        using var response = await world.PostActivityAsync(client, activity);
                        var body = await response.Content.ReadAsStringAsync();
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        return (response.StatusCode, body);
                    }));
                    answers[p.Report] = [.. copies];
                }
                finally
                {
                    gate.Release();
                }
            }));
            clock.Stop();

            var eventIds = new HashSet<string>();
            foreach (var (report, copies) in answers)
            {
                Assert.All(copies, c => Assert.Equal(HttpStatusCode.OK, c.Status));
                var first = JsonNode.Parse(copies[0].Body);
                Assert.All(copies, c => Assert.True(JsonNode.DeepEquals(first, JsonNode.Parse(c.Body)), $"report {report}: copies answered differently:\n{copies[0].Body}\n{c.Body}"));
                var text = string.Join("\n", ReliabilityWorld.ReplyTexts(copies[0].Body));
                var id = EventId().Match(text);
                Assert.True(id.Success, $"report {report} got no event id: {text}");
                Assert.True(eventIds.Add(id.Groups[1].Value), $"report {report} was answered with another report's event {id.Groups[1].Value}");
            }
            Assert.Equal(reports, answers.Count);
            Assert.Equal(reports, world.Scalar("SELECT count(*) FROM score_events"));
            Assert.Equal(reports, world.Scalar("SELECT count(DISTINCT source) FROM score_events"));
            Assert.Equal(plan.Count(p => p.Report / landlords % 2 == 1), world.Scalar("SELECT count(*) FROM tenant_returns"));
            Assert.Equal(reports, world.Scalar("SELECT count(*) FROM bot_processed_activity"));
            Assert.Equal(0, world.Scalar("SELECT count(*) FROM bot_outbox")); // expectReplies: nothing goes out by the connector

            var sorted = latencies.Order().ToList();
            int deliveries = plan.Sum(p => p.Copies);
            Figures.Record("storm-chat", new Dictionary<string, object>
            {
                ["reports"] = reports, ["deliveries"] = deliveries, ["duplicates"] = deliveries - reports, ["events"] = reports,
                ["seconds"] = Figures.Round(clock.Elapsed.TotalSeconds), ["deliveriesPerSecond"] = Figures.Round(deliveries / clock.Elapsed.TotalSeconds, 0),
                ["p50ms"] = Figures.Round(Figures.Percentile(sorted, 50)), ["p99ms"] = Figures.Round(Figures.Percentile(sorted, 99)), ["maxMs"] = Figures.Round(sorted[^1]),
            });
        });
    }

    /// <summary>Even rounds report a tenant's violation (+2), odd ones a return three days late (a −2 the system records).</summary>
    // A tenant's returns three days apart: two stays, each charged late (arrivals within one window of each other are one
    // stay told again — a mistyped time corrected — and share one charge).
    private static string TextOf(int landlord, int round) => round % 2 == 0
        ? $"违规 租客{landlord} 第{round}次夜间喧哗"
        : $"返回 租客{landlord} 2026-11-{15 - round / 2 % 3 * 3} 08:00";

    [GeneratedRegex(@"编号：(\S+)")]
    private static partial Regex EventId();
}
