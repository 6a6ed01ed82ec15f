using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Scoring.Reliability.Tests.World;

namespace Scoring.Reliability.Tests.Service.Features;

/// <summary>
/// Staff systems retry too: reports through <c>POST /api/subjects/{id}/events</c>, each sent one to three times at
/// once with the same <c>Idempotency-Key</c>, score once; every copy ends with the first answer (a copy that
/// arrives while the first still runs hears 409 and, like any client following the draft standard, asks again).
/// </summary>
public sealed class IdempotentReportStormTests
{
    private const string GridWorker = "gridworker-1"; // 方塘村: load landlords with even numbers live there

    [Fact]
    public async Task Every_report_sent_up_to_three_times_with_one_key_scores_once_and_every_copy_gets_the_first_answer()
    {
        int reports = Figures.Size(quick: 400, full: 10_000);
        int landlords = Figures.Size(quick: 200, full: 2_000);
        await ReliabilityWorld.RunAsync(new WorldOptions { Scale = landlords }, async world =>
        {
            var random = new Random(11);
            var plan = Enumerable.Range(0, reports).Select(r => (Report: r, Copies: random.Next(1, 4))).ToList();
            var answers = new ConcurrentDictionary<int, List<(HttpStatusCode Status, string Body, bool Replayed)>>();
            var latencies = new ConcurrentBag<double>();
            int inFlightAnswers = 0;
            using var client = world.Client(GridWorker);
            using var gate = new SemaphoreSlim(32);
            var clock = Stopwatch.StartNew();

            await Task.WhenAll(plan.Select(async p =>
            {
                await gate.WaitAsync();
                try
                {
                    var subject = $"load-{p.Report % (landlords / 2) * 2}";
                    var body = new { rule = "corridor-not-disinfected", evidence = $"第{p.Report}次检查：楼道未按时消毒" };
                    var copies = await Task.WhenAll(Enumerable.Range(0, p.Copies).Select(async _ =>
                    {
                        var started = Stopwatch.GetTimestamp();
                        while (true)
                        {
                            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/subjects/{subject}/events") { Content = JsonContent.Create(body) };
                            request.Headers.Add("Idempotency-Key", $"storm-{p.Report}");
                            using var response = await client.SendAsync(request);
                            var text = await response.Content.ReadAsStringAsync();
                            if (response.StatusCode == HttpStatusCode.Conflict && text.Contains("idempotency-key-in-flight"))
                            {
                                Interlocked.Increment(ref inFlightAnswers);
                                await Task.Delay(20);
                                continue;
                            }
                            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                            return (response.StatusCode, text, response.Headers.Contains("Idempotent-Replayed"));
                        }
                    }));
                    answers[p.Report] = [.. copies];
                }
                finally
                {
                    gate.Release();
                }
            }));
            clock.Stop();

            var ids = new HashSet<string>();
            foreach (var (report, copies) in answers)
            {
                Assert.All(copies, c => Assert.True(c.Status == HttpStatusCode.Created, $"report {report}: {c.Status} {c.Body}"));
                Assert.Single(copies, c => !c.Replayed);
                var first = JsonNode.Parse(copies.Single(c => !c.Replayed).Body);
                Assert.All(copies, c => Assert.True(JsonNode.DeepEquals(first, JsonNode.Parse(c.Body)), $"report {report}: copies answered differently"));
                Assert.True(ids.Add(first!["id"]!.GetValue<string>()));
                Assert.Equal("pending", first["status"]!.GetValue<string>()); // every deduction waits for a secretary
            }
            Assert.Equal(reports, world.Scalar("SELECT count(*) FROM score_events"));
            Assert.Equal(reports, world.Scalar("SELECT count(*) FROM idempotency_keys WHERE completed_at IS NOT NULL"));

            var sorted = latencies.Order().ToList();
            int deliveries = plan.Sum(p => p.Copies);
            Figures.Record("storm-api", new Dictionary<string, object>
            {
                ["reports"] = reports, ["deliveries"] = deliveries, ["duplicates"] = deliveries - reports, ["events"] = reports,
                ["inFlight409"] = inFlightAnswers, ["seconds"] = Figures.Round(clock.Elapsed.TotalSeconds),
                ["deliveriesPerSecond"] = Figures.Round(deliveries / clock.Elapsed.TotalSeconds, 0),
                ["p50ms"] = Figures.Round(Figures.Percentile(sorted, 50)), ["p99ms"] = Figures.Round(Figures.Percentile(sorted, 99)), ["maxMs"] = Figures.Round(sorted[^1]),
            });
        });
    }
}
