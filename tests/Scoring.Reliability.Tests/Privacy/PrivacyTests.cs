using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scoring.Reliability.Tests.World;
using Xunit.Sdk;

namespace Scoring.Reliability.Tests.Privacy;

/// <summary>
/// Personal data and secrets stay where they belong. Every world of this suite already fails its test if a phone,
/// identity number, staff token, bot token, enrolment code or password reaches the log; this test walks the paths that
/// handle them on purpose (binding, wrong codes, tokens good and bad, new codes and tokens, a roster entry with an
/// identity card, failures) and checks the public outputs — lists as JSON and CSV, the notice board — carry no full
/// name and no phone.
/// </summary>
public sealed class PrivacyTests
{
    private const string IdCard = "11010519491231002X";
    private const string NewPhone = "13712345678";

    [Fact]
    public async Task Secrets_and_personal_data_never_reach_the_log_and_public_lists_carry_no_full_name_or_phone()
    {
        await ReliabilityWorld.RunAsync(new WorldOptions { Scale = 2 }, async world =>
        {
            world.Secrets.Add(IdCard);
            world.Secrets.Add(NewPhone);
            using var officer = world.Client("officer-1");
            using var secretary = world.Client("secretary-fangtang");
            using var chat = world.Client();
            int n = 0;
            Task<HttpResponseMessage> SayAsync(string user, string text) => world.PostActivityAsync(chat, ReliabilityWorld.Message(user, text, $"p-{n++}"));

            // Codes typed into the chat, right and wrong; a bound landlord reports.
            await SayAsync("chat-l1", $"绑定 {world.CodeOf("landlord-1")}");
            await SayAsync("chat-l2", "绑定 WRONG123");
            await SayAsync("chat-l2", $"绑定 {world.CodeOf("landlord-2").ToLowerInvariant()}");
            await SayAsync("chat-l1", "违规 王小明 电话13900000001打不通");
            await SayAsync("chat-l1", $"调解 身份证{IdCard}的租客与邻居的纠纷");

            // Tokens: a made-up one, a revoked one, new ones; enrolment codes issued; a roster entry with phone and identity card.
            using (var forged = world.Client())
            {
                forged.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "st_madeUpTokenThatLooksRealEnough123456");
                world.Secrets.Add("st_madeUpTokenThatLooksRealEnough123456");
                Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/subjects/landlord-1")).StatusCode);
            }
            var issued = await officer.PostKeyedAsync("/api/staff/gridworker-1/tokens");
            using (var token = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()))
                world.Secrets.Add(token.RootElement.GetProperty("token").GetString());
            var code = await secretary.PostAsJsonAsync("/api/enrolments", new { subjectId = "landlord-3" });
            using (var codeBody = JsonDocument.Parse(await code.Content.ReadAsStringAsync()))
                world.Secrets.Add(codeBody.RootElement.GetProperty("code").GetString());
            var created = await officer.PostAsJsonAsync("/api/streets/houzhai/subjects", new { kind = "landlord", community = "fangtang", name = "隐私测试", phone = NewPhone, idCard = IdCard });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using (var revoked = await officer.DeleteAsync("/api/staff/gridworker-1/tokens"))
                Assert.True(revoked.IsSuccessStatusCode);

            // A week with people on both lists, published.
            var lastWeek = new DateTimeOffset(2026, 11, 11, 10, 0, 0, TimeSpan.FromHours(8));
            Assert.Equal(HttpStatusCode.Created, (await officer.PostKeyedAsJsonAsync("/api/subjects/landlord-1/events", new { rule = "tenant-violation-reported", evidence = "举报租客违规", occurredAt = lastWeek })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await officer.PostKeyedAsJsonAsync("/api/subjects/landlord-4/events", new { rule = "corridor-not-disinfected", evidence = "楼道未消毒", occurredAt = lastWeek })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync("/api/streets/houzhai/lists/2026-W46/publish", new { kind = "landlord" })).StatusCode);

            using var anonymous = world.Client();
            var outputs = new Dictionary<string, string>
            {
                ["list JSON"] = await anonymous.GetStringAsync("/api/streets/houzhai/lists/2026-W46?kind=landlord"),
                ["list CSV"] = await anonymous.GetStringAsync("/api/streets/houzhai/lists/2026-W46.csv?kind=landlord"),
                ["notice board"] = await anonymous.GetStringAsync("/streets/houzhai/board/2026-W46"),
            };
            var fullNames = world.DemoNames.Values.Append("隐私测试").ToList();
            foreach (var (what, text) in outputs)
            {
                Assert.Empty(world.Secrets.FindIn(text));
                var named = fullNames.Where(text.Contains).ToList();
                Assert.True(named.Count == 0, $"the public {what} names {string.Join(", ", named)} in full");
            }
            Assert.Contains("应*乐", outputs["list JSON"]); // the red list's landlord, masked
            Assert.Contains("董*华", outputs["notice board"]); // the black list's, masked

            // The log saw all of that; RunAsync checks it line by line once the world is disposed. Make sure there was something to check.
            Assert.True(world.Log.Lines.Count > 50, $"only {world.Log.Lines.Count} log lines were captured");
            Assert.Contains(world.Log.Lines, l => l.Level >= LogLevel.Information && l.Category.StartsWith("Microsoft.AspNetCore.Hosting"));
            Figures.Record("privacy", new Dictionary<string, object> { ["logLines"] = world.Log.Lines.Count, ["outputs"] = string.Join(", ", outputs.Keys) });
        });
    }

    [Fact]
    public void The_privacy_check_itself_finds_what_it_must()
    {
        var secrets = new Secrets();
        secrets.Add("AB12CD34");
        Assert.NotEmpty(secrets.FindIn("bound with code AB12CD34"));
        Assert.NotEmpty(secrets.FindIn("call 13812345678 now"));
        Assert.NotEmpty(secrets.FindIn("id 11010519491231002X here"));
        Assert.NotEmpty(secrets.FindIn("Bearer st_Abcdefghijklmnopqrstuvwx"));
        Assert.NotEmpty(secrets.FindIn("Authorization: eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2FwaS5ib3Q"));
        Assert.Empty(secrets.FindIn("event 01JD3X7K8Q2 at 2026-11-18T01:00:00.000Z, 12 points, outbox 0193a2b4c5d6e7f8"));
        Assert.Empty(secrets.FindIn("ticks 123456789012345678"));
    }

    // The check every world runs (ReliabilityWorld.RunAsync), proved on worlds that leak on purpose: the service's
    // own logger writes a demo phone, as a careless log line in the service would.
    private static void LeakAPhone(ReliabilityWorld world) =>
        world.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Scoring.Careless").LogWarning("Calling {Phone}", Secrets.DemoPhones[0]);

    [Fact]
    public async Task A_test_whose_service_logs_a_phone_fails_with_the_leak_although_its_own_assertions_pass()
    {
        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => ReliabilityWorld.RunAsync(async world =>
        {
            LeakAPhone(world);
            using var client = world.Client();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        }));

        Assert.StartsWith("Secrets or personal data reached the log", failure.Message);
        Assert.Contains("a phone number (139…) in: ", failure.Message);
        Assert.DoesNotContain(Secrets.DemoPhones[0], failure.Message); // the report must not leak it again
    }

    [Fact]
    public async Task A_failing_test_that_also_leaks_reports_its_own_failure_first_and_the_leak_beside_it()
    {
        var failure = await Assert.ThrowsAsync<AggregateException>(() => ReliabilityWorld.RunAsync(world =>
        {
            LeakAPhone(world);
            Assert.Fail("the test's own failure");
            return Task.CompletedTask;
        }));

        Assert.Collection(failure.InnerExceptions,
            own => Assert.Equal("the test's own failure", own.Message),
            leak => Assert.StartsWith("Secrets or personal data reached the log", leak.Message));
        // What xunit prints for such a test names both.
        var printed = ExceptionUtility.CombineMessages(ExceptionUtility.ConvertExceptionToFailureInformation(failure));
        Assert.Contains("the test's own failure", printed);
        Assert.Contains("Secrets or personal data reached the log", printed);
    }

    [Fact]
    public async Task A_failing_test_that_leaks_nothing_fails_with_its_own_exception_unchanged()
    {
        var own = new InvalidOperationException("the test's own failure");
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ReliabilityWorld.RunAsync(async world =>
        {
            using var client = world.Client();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            throw own;
        }));

        Assert.Same(own, failure);
    }
}
