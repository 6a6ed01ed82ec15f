using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Scoring.Service.Features;
using Scoring.Service.Hosting;
using Scoring.Application;
using Scoring.Service.Tests.Rosters;
using Scoring.Storage;

namespace Scoring.Service.Tests.Features;

public class IdempotencyTests
{
    private const string Route = "/api/subjects/landlord-1/redemptions";

    private static HttpRequestMessage Redeem(string key, int points = 1) => new(HttpMethod.Post, Route)
    {
        Content = JsonContent.Create(new { points, note = "兑换大米一袋" }),
        Headers = { { Idempotency.Header, key } },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_keys_on_one_request_are_a_bad_key_not_the_key_they_join_into(bool oneHeader)
    {
        // A single-valued header sent twice (or as a list) is a client bug: taken as the key "a,b" it would replay
        // neither a's outcome nor b's.
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = JsonContent.Create(new { points = 1, note = "兑换大米一袋" }) };
        if (oneHeader) request.Headers.TryAddWithoutValidation(Idempotency.Header, "6b1f0c3e-000a, 6b1f0c3e-000b");
        else request.Headers.TryAddWithoutValidation(Idempotency.Header, ["6b1f0c3e-000a", "6b1f0c3e-000b"]);

        var response = await world.Client("secretary-fangtang").SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("bad-idempotency-key", problem.GetProperty("code").GetString());
        Assert.Contains("one", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var subject = await world.Client("secretary-fangtang").GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");
        Assert.Equal(0, subject.GetProperty("rewards").GetProperty("redeemed").GetInt32());
    }

    [Fact]
    public async Task The_same_key_replays_the_first_outcome_and_redeems_once()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");

        var first = await client.SendAsync(Redeem("6b1f0c3e-0001"));
        var again = await client.SendAsync(Redeem("6b1f0c3e-0001"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal("application/json; charset=utf-8", again.Content.Headers.ContentType!.ToString());
        Assert.True(again.Headers.Contains(Idempotency.ReplayedHeader));
        var subject = await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");
        Assert.Equal(1, subject.GetProperty("rewards").GetProperty("redeemed").GetInt32());
    }

    [Fact]
    public async Task A_redemption_sent_again_without_a_key_is_recorded_once_and_answered_with_the_first()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");

        // The contract's client sends no key: its answer was lost, and it sends the same payment again a minute later.
        var first = await client.PostAsJsonAsync(Route, new { points = 1, note = "兑换大米一袋" });
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await client.PostAsJsonAsync(Route, new { points = 1, note = "兑换大米一袋" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(again.Headers.Contains(Idempotency.ReplayedHeader));
        var (a, b) = (await first.Content.ReadFromJsonAsync<JsonElement>(), await again.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
        Assert.Equal(a.GetProperty("recordedAt").GetDateTimeOffset(), b.GetProperty("recordedAt").GetDateTimeOffset());
        Assert.Equal(1, b.GetProperty("rewards").GetProperty("redeemed").GetInt32());
        var history = await client.GetFromJsonAsync<JsonElement>(Route);
        Assert.Equal(1, history.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Alike_redemptions_are_two_when_they_differ_in_anything_carry_keys_of_their_own_or_come_minutes_apart()
    {
        await using var world = await ServiceWorld.CreateAsync();
        foreach (var _ in Enumerable.Range(0, 4)) await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");

        await client.PostAsJsonAsync(Route, new { points = 1, note = "兑换大米一袋" });
        await client.PostAsJsonAsync(Route, new { points = 2, note = "兑换大米一袋" });            // other points
        await client.PostAsJsonAsync(Route, new { points = 1, note = "兑换食用油一桶" });          // another note
        await world.Client("officer-1").PostAsJsonAsync(Route, new { points = 1, note = "兑换大米一袋" }); // someone else's
        await client.SendAsync(Redeem("second-bag-1"));                                        // a key says it is a request of its own
        await client.SendAsync(Redeem("second-bag-2"));
        world.Clock.Advance(PlainRetry.Window + TimeSpan.FromSeconds(1));
        var later = await client.PostAsJsonAsync(Route, new { points = 1, note = "兑换大米一袋" });

        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        var history = await client.GetFromJsonAsync<JsonElement>(Route);
        Assert.Equal(7, history.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Copies_of_one_request_reaching_two_instances_at_once_redeem_once_and_every_copy_is_told_so()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var other = world.AnotherInstance();
        var (here, there) = (world.Client("secretary-fangtang"), world.Client(other, "secretary-fangtang"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? here : there).SendAsync(Redeem("two-instances"))));
        var retried = await Task.WhenAll(here.SendAsync(Redeem("two-instances")), there.SendAsync(Redeem("two-instances")));

        // A copy that came while the first was running is told to retry (409 in flight); every other gets the first answer.
        var created = answers.Where(a => a.StatusCode == HttpStatusCode.Created).ToList();
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.NotEmpty(created);
        var body = await retried[0].Content.ReadAsStringAsync();
        foreach (var answer in created.Concat(retried)) Assert.Equal(body, await answer.Content.ReadAsStringAsync());
        Assert.All(retried, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var subject = await here.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");
        Assert.Equal(1, subject.GetProperty("rewards").GetProperty("redeemed").GetInt32());
    }

    [Fact]
    public async Task A_keyed_request_refused_for_what_the_data_says_is_not_kept_and_runs_again_once_the_data_is_fixed()
    {
        // 409 and 412 describe the data, not the request: kept a week, a retry with the same key after the office closed
        // the shop (or read the rules again) was answered the old refusal.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        HttpRequestMessage Lower() => new(HttpMethod.Patch, "/api/streets/houzhai/settings")
        {
            Content = JsonContent.Create(new { shopLimit = 2 }),
            Headers = { { Idempotency.Header, "6b1f0c3e-0409" } },
        };
        var refused = await officer.SendAsync(Lower());
        await world.Db.WriteAsync(async s =>
        {
            // The office closes the shops past two of whoever answers for more (王强生: three).
            foreach (var held in (await s.ShopsOfStreetAsync("houzhai")).Where(x => x.Active).GroupBy(x => x.SubjectId))
                foreach (var shop in held.Skip(2))
                    await s.UpdateShopAsync(shop with { Active = false });
        });

        var again = await officer.SendAsync(Lower());
        var replayed = await officer.SendAsync(Lower());

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False(again.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.True(replayed.Headers.Contains(Idempotency.ReplayedHeader)); // what took effect is kept as before
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");

        await client.SendAsync(Redeem("key-2", points: 1));
        var different = await client.SendAsync(Redeem("key-2", points: 2));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.Equal("idempotency-key-reused", (await different.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_key_still_running_is_409_until_it_is_taken_as_abandoned()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");
        using var probe = Redeem("key-3");
        var body = await probe.Content!.ReadAsByteArrayAsync();
        // The first request with this key has been claimed but has not finished (it is running elsewhere).
        var requestHash = await Idempotency.RequestHashAsync("", probe.Content.Headers.ContentType!.ToString(), new MemoryStream(body));
        await world.Db.WriteAsync(s => s.InsertIdempotencyAsync(new IdempotencyClaim(Idempotency.ScopeOf("secretary-fangtang", Route), Idempotency.Sha256Hex("key-3")),
            requestHash, world.Clock.GetUtcNow()));

        var running = await client.SendAsync(Redeem("key-3"));
        world.Clock.Advance(Idempotency.Abandoned);
        var retried = await client.SendAsync(Redeem("key-3"));

        Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
        Assert.Equal("idempotency-key-in-flight", (await running.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    [Fact]
    public async Task A_retry_after_the_first_request_died_between_its_effect_and_its_answer_does_not_run_it_again()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");
        // The first request claimed the key and redeemed, then its process died before it recorded the answer.
        var claim = await ClaimAsync(world, "redeem-crash");
        IdempotencyClaim.Current = claim;
        try
        {
            Assert.True((await world.Service<Rewards>().RedeemAsync(await world.StaffAsync("secretary-fangtang"), "landlord-1", 1, "兑换大米一袋")).Succeeded);
        }
        finally
        {
            IdempotencyClaim.Current = null;
        }

        world.Clock.Advance(Idempotency.Abandoned);
        var retried = await client.SendAsync(Redeem("redeem-crash"));

        Assert.Equal(HttpStatusCode.Conflict, retried.StatusCode);
        Assert.Equal("idempotency-outcome-unknown", (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var subject = await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");
        Assert.Equal(1, subject.GetProperty("rewards").GetProperty("redeemed").GetInt32());
    }

    [Fact]
    public async Task A_first_request_that_outlived_its_claim_cannot_write_after_a_retry_took_the_key_over()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");
        var slow = await ClaimAsync(world, "redeem-slow");

        world.Clock.Advance(Idempotency.Abandoned);
        var retried = await client.SendAsync(Redeem("redeem-slow"));
        IdempotencyClaim.Current = slow;
        var late = await Record.ExceptionAsync(async () =>
            await world.Service<Rewards>().RedeemAsync(await world.StaffAsync("secretary-fangtang"), "landlord-1", 1, "兑换大米一袋"));
        IdempotencyClaim.Current = null;

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.IsType<IdempotencyClaimLostException>(late);
        var subject = await client.GetFromJsonAsync<JsonElement>("/api/subjects/landlord-1");
        Assert.Equal(1, subject.GetProperty("rewards").GetProperty("redeemed").GetInt32());
    }

    [Fact]
    public async Task A_retried_upload_with_the_same_key_and_file_is_replayed_although_its_multipart_boundary_is_new()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var file = RosterFile.Csv(RosterFile.Landlords(2), Encoding.UTF8);
        HttpRequestMessage Upload() => new(HttpMethod.Post, "/api/streets/houzhai/roster/import?dryRun=true")
        {
            Content = RosterFile.Upload(file, "roster.csv"),
            Headers = { { Idempotency.Header, "import-2026-11-18" } },
        };

        var first = await officer.SendAsync(Upload());
        var retried = await officer.SendAsync(Upload());
        var otherFile = await officer.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/streets/houzhai/roster/import?dryRun=true")
        {
            Content = RosterFile.Upload(RosterFile.Csv(RosterFile.Landlords(3), Encoding.UTF8), "roster.csv"),
            Headers = { { Idempotency.Header, "import-2026-11-18" } },
        });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.True(retried.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherFile.StatusCode);
    }

    /// <summary>The state a first redemption with <paramref name="key"/> leaves while it runs (or after its process died).</summary>
    private static async Task<IdempotencyClaim> ClaimAsync(ServiceWorld world, string key)
    {
        using var probe = Redeem(key);
        var requestHash = await Idempotency.RequestHashAsync("", probe.Content!.Headers.ContentType!.ToString(), new MemoryStream(await probe.Content.ReadAsByteArrayAsync()));
        var claim = new IdempotencyClaim(Idempotency.ScopeOf("secretary-fangtang", Route), Idempotency.Sha256Hex(key));
        await world.Db.WriteAsync(s => s.InsertIdempotencyAsync(claim, requestHash, world.Clock.GetUtcNow()));
        return claim;
    }

    [Fact]
    public async Task Keys_are_scoped_per_staff_member()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");

        var secretarys = await world.Client("secretary-fangtang").SendAsync(Redeem("shared"));
        var officers = await world.Client("officer-1").SendAsync(Redeem("shared"));
        var secretarysAgain = await world.Client("secretary-fangtang").SendAsync(Redeem("shared"));

        // The key is stored for the secretary (a replay for her), yet the officer's same key is a request of its own.
        Assert.Equal(HttpStatusCode.Created, secretarys.StatusCode);
        Assert.True(secretarysAgain.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(HttpStatusCode.Created, officers.StatusCode);
        Assert.False(officers.Headers.Contains(Idempotency.ReplayedHeader));
    }

    [Fact]
    public async Task A_replayed_enrolment_code_is_the_same_but_never_stored_readably()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var client = world.Client("secretary-fangtang");
        HttpRequestMessage Issue() => new(HttpMethod.Post, "/api/enrolments") { Content = JsonContent.Create(new { subjectId = "landlord-2" }), Headers = { { Idempotency.Header, "enrol-1" } } };

        var first = await (await client.SendAsync(Issue())).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await client.SendAsync(Issue())).Content.ReadFromJsonAsync<JsonElement>();

        var code = first.GetProperty("code").GetString()!;
        Assert.Equal(code, again.GetProperty("code").GetString());
        var stored = await world.Db.ReadAsync(s => s.GetIdempotencyAsync(Idempotency.ScopeOf("secretary-fangtang", "/api/enrolments"), Idempotency.Sha256Hex("enrol-1")));
        Assert.NotNull(stored?.ResponseBody);
        Assert.DoesNotContain(code, stored!.ResponseBody!);
        Assert.DoesNotContain(code, Encoding.UTF8.GetString(Convert.FromBase64String(stored.ResponseBody!)));
    }

    private static readonly Dictionary<string, string> Registered = new()
    {
        ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
        ["Bot:MicrosoftAppPassword"] = "the-bot's-secret",
    };

    private static HttpRequestMessage IssueCode(string key) =>
        new(HttpMethod.Post, "/api/enrolments") { Content = JsonContent.Create(new { subjectId = "landlord-2" }), Headers = { { Idempotency.Header, key } } };

    /// <summary>The seal as it was keyed before an app password went into it: from the scope and the Idempotency-Key alone.</summary>
    private static byte[] PlainSealingKey(string scope, string key) =>
        System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"scoring idempotent outcome\n{scope}\n{key}"));

    private static string? OpenWith(byte[] sealingKey, string sealedText)
    {
        var bytes = Convert.FromBase64String(sealedText);
        var plain = new byte[bytes.Length - 28];
        try
        {
            using var aes = new System.Security.Cryptography.AesGcm(sealingKey, 16);
            aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain);
            using var outcome = JsonDocument.Parse(plain); // the answer's bytes, as base64
            return Encoding.UTF8.GetString(outcome.RootElement.GetProperty("Body").GetBytesFromBase64());
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    [Fact]
    public async Task With_an_app_password_an_answer_sealed_under_a_guessable_key_is_not_opened_from_a_copy_of_the_database()
    {
        // Any 1–200 visible characters are taken as a key: a script that numbers its requests is not refused.
        await using var world = await ServiceWorld.CreateAsync(settings: Registered);
        var client = world.Client("secretary-fangtang");
        var first = await (await client.SendAsync(IssueCode("7"))).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await client.SendAsync(IssueCode("7"))).Content.ReadFromJsonAsync<JsonElement>();
        var code = first.GetProperty("code").GetString()!;

        // What a copy of the database allows: the scope is the staff id and route, the key a guess checked against its hash.
        var scope = Idempotency.ScopeOf("secretary-fangtang", "/api/enrolments");
        var stored = await world.Db.ReadAsync(s => s.Connection.QueryAsync<(string Key, string Body)>(
            "SELECT idem_key, response_body FROM idempotency_keys WHERE scope = @scope", new { scope }));
        // The guess is right (the stored key is the hash of 7): the opening below is really tried, not passed for want of a row.
        Assert.Contains(stored, row => row.Key == Idempotency.Sha256Hex("7"));
        var opened = (from row in stored
                      from guess in Enumerable.Range(0, 1000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                      where Idempotency.Sha256Hex(guess) == row.Key
                      select OpenWith(PlainSealingKey(scope, guess), row.Body)).ToList();
        Assert.NotEmpty(opened);

        Assert.Equal(code, again.GetProperty("code").GetString());
        Assert.DoesNotContain(opened, text => text?.Contains(code, StringComparison.Ordinal) == true);
    }

    private static async Task<string> StoreAnswerAsync(ServiceWorld world, string key, byte[] sealingKey, string answer)
    {
        using var probe = IssueCode(key);
        var body = await probe.Content!.ReadAsByteArrayAsync();
        var requestHash = await Idempotency.RequestHashAsync("", probe.Content.Headers.ContentType!.ToString(), new MemoryStream(body));
        var claim = new IdempotencyClaim(Idempotency.ScopeOf("secretary-fangtang", "/api/enrolments"), Idempotency.Sha256Hex(key));
        var plain = JsonSerializer.SerializeToUtf8Bytes(new { Location = (string?)null, Body = Encoding.UTF8.GetBytes(answer) });
        var nonce = System.Security.Cryptography.RandomNumberGenerator.GetBytes(12);
        var tag = new byte[16];
        var cipher = new byte[plain.Length];
        using (var aes = new System.Security.Cryptography.AesGcm(sealingKey, 16)) aes.Encrypt(nonce, plain, cipher, tag);
        await world.Db.WriteAsync(async s =>
        {
            await s.InsertIdempotencyAsync(claim, requestHash, world.Clock.GetUtcNow());
            await s.CompleteIdempotencyAsync(claim, 201, "application/json; charset=utf-8", Convert.ToBase64String([.. nonce, .. tag, .. cipher]), world.Clock.GetUtcNow());
        });
        return answer;
    }

    [Fact]
    public async Task An_answer_sealed_before_the_app_password_went_into_the_seal_is_still_replayed()
    {
        await using var world = await ServiceWorld.CreateAsync(settings: Registered);
        var scope = Idempotency.ScopeOf("secretary-fangtang", "/api/enrolments");
        var answer = await StoreAnswerAsync(world, "before-the-upgrade", PlainSealingKey(scope, "before-the-upgrade"), """{"code":"ABCD2345"}""");

        var replayed = await world.Client("secretary-fangtang").SendAsync(IssueCode("before-the-upgrade"));

        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Equal(answer, await replayed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_answer_sealed_under_an_app_password_changed_since_is_told_as_lost_not_a_500()
    {
        await using var world = await ServiceWorld.CreateAsync(settings: Registered);
        await StoreAnswerAsync(world, "before-the-rotation", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), """{"code":"ABCD2345"}""");

        var replayed = await world.Client("secretary-fangtang").SendAsync(IssueCode("before-the-rotation"));

        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Equal("idempotency-outcome-unknown", (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task After_the_app_password_is_changed_with_the_old_one_kept_as_previous_an_answer_sealed_before_is_replayed()
    {
        await using var world = await ServiceWorld.CreateAsync(settings: Registered);
        var first = await world.Client("secretary-fangtang").SendAsync(IssueCode("before-the-rotation"));
        var rotated = world.AnotherInstance(settings: new Dictionary<string, string>
        {
            ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
            ["Bot:MicrosoftAppPassword"] = "the-bot's-next-secret",
            ["Bot:PreviousAppPassword"] = "the-bot's-secret",
        });

        var replayed = await world.Client(rotated, "secretary-fangtang").SendAsync(IssueCode("before-the-rotation"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues(Idempotency.ReplayedHeader).Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task After_the_app_password_is_changed_without_keeping_the_old_one_an_answer_sealed_before_is_told_as_lost()
    {
        await using var world = await ServiceWorld.CreateAsync(settings: Registered);
        await world.Client("secretary-fangtang").SendAsync(IssueCode("before-the-rotation"));
        var rotated = world.AnotherInstance(settings: new Dictionary<string, string>
        {
            ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
            ["Bot:MicrosoftAppPassword"] = "the-bot's-next-secret",
        });

        var replayed = await world.Client(rotated, "secretary-fangtang").SendAsync(IssueCode("before-the-rotation"));

        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Equal("idempotency-outcome-unknown", (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_key_and_its_sealed_answer_are_kept_a_week_for_retries_and_then_forgotten_by_the_clockwork()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        var client = world.Client("secretary-fangtang");
        var clockwork = world.ClockWork();
        Task<long> KeysAsync() => world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys"));
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Redeem("kept-a-week"))).StatusCode);

        world.Clock.Advance(Idempotency.KeepKeys - TimeSpan.FromMinutes(1));
        await clockwork.RunRoundAsync(CancellationToken.None);
        var retried = await client.SendAsync(Redeem("kept-a-week"));
        Assert.True(retried.Headers.Contains(Idempotency.ReplayedHeader));

        world.Clock.Advance(TimeSpan.FromHours(1));
        await clockwork.RunRoundAsync(CancellationToken.None);
        Assert.Equal(0, await KeysAsync());
    }

    [Fact]
    public async Task A_key_that_is_not_visible_ascii_is_400()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var response = await world.Client("officer-1").SendAsync(Redeem(new string('k', Idempotency.MaxKeyLength + 1)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
