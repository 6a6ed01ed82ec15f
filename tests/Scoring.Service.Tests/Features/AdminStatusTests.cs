using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Service.Hosting;
using Scoring.Storage;
using Scoring.Storage.Outbox;

namespace Scoring.Service.Tests.Features;

/// <summary>
/// GET /api/admin/status: what the person running the service checks instead of reading logs — the chat outbox, each
/// leased worker, the last nightly backup, what waits for verification per street, the schema and the instance.
/// </summary>
public class AdminStatusTests
{
    private static readonly DateTimeOffset Wednesday = ServiceWorld.Wednesday;

    private static async Task<JsonElement> StatusAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/admin/status");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static Task<IReadOnlyList<string>> EnqueueAsync(ServiceWorld world, string conversation, string text) =>
        world.Db.WriteAsync(s => world.Service<OutboxStore>().EnqueueAsync(s,
            [new OutgoingActivity("http://127.0.0.1:9", "emulator", conversation, null, JsonSerializer.Serialize(new { type = "message", text }))]));

    [Fact]
    public async Task An_admin_sees_the_outbox_waiting_and_dead_letters_with_the_oldest_waiting_message_s_age()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var outbox = world.Service<OutboxStore>();
        await EnqueueAsync(world, "conv-a", "第一条");
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await EnqueueAsync(world, "conv-b", "第二条");
        await EnqueueAsync(world, "conv-c", "第三条");
        var claimed = await outbox.ClaimDueAsync("sender", 1, TimeSpan.FromMinutes(1)); // conv-a's, the oldest
        await outbox.DeadLetterAsync(claimed.Single().Id, "sender", "Refused: HTTP 400");
        world.Clock.Advance(TimeSpan.FromMinutes(8));

        var status = await StatusAsync(await world.AdminAsync());

        var part = status.GetProperty("outbox");
        Assert.Equal(2, part.GetProperty("waiting").GetInt32());
        Assert.Equal(8 * 60, part.GetProperty("oldestWaitingAgeSeconds").GetInt64()); // conv-b's: the dead letter waits no more
        Assert.Equal(Wednesday.AddMinutes(2), part.GetProperty("oldestWaitingSince").GetDateTimeOffset());
        Assert.Equal(1, part.GetProperty("deadLetters").GetInt32());
        Assert.Equal(JsonValueKind.Null, part.GetProperty("problem").ValueKind);
    }

    [Fact]
    public async Task An_empty_outbox_has_nothing_waiting_and_no_oldest_age()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var part = (await StatusAsync(await world.AdminAsync())).GetProperty("outbox");

        Assert.Equal((0, 0), (part.GetProperty("waiting").GetInt32(), part.GetProperty("deadLetters").GetInt32()));
        Assert.Equal(JsonValueKind.Null, part.GetProperty("oldestWaitingAgeSeconds").ValueKind);
    }

    [Fact]
    public async Task Each_street_shows_its_pending_items_their_oldest_age_and_how_many_escalated()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ReportAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(25)); // past the street's 24 h
        await world.Service<Verification>().EscalateAsync();
        await world.ReportAsync("landlord-1", evidence: "租客深夜喧哗，已劝阻");
        await world.ScoreAsync("landlord-1"); // decided: no longer pending
        world.Clock.Advance(TimeSpan.FromMinutes(10));

        var part = (await StatusAsync(await world.AdminAsync())).GetProperty("verification");

        var street = Assert.Single(part.GetProperty("streets").EnumerateArray());
        Assert.Equal(ServiceWorld.DemoStreetId, street.GetProperty("street").GetString());
        Assert.Equal(2, street.GetProperty("pending").GetInt32());
        Assert.Equal(1, street.GetProperty("escalated").GetInt32());
        Assert.Equal(25 * 60 + 10, street.GetProperty("oldestAgeMinutes").GetInt64());
        Assert.Equal(Wednesday, street.GetProperty("oldestReportedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_street_with_nothing_pending_is_listed_with_zero()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var street = Assert.Single((await StatusAsync(await world.AdminAsync())).GetProperty("verification").GetProperty("streets").EnumerateArray());

        Assert.Equal((0, 0), (street.GetProperty("pending").GetInt32(), street.GetProperty("escalated").GetInt32()));
        Assert.Equal(JsonValueKind.Null, street.GetProperty("oldestAgeMinutes").ValueKind);
    }

    [Fact]
    public async Task The_database_part_names_the_provider_and_the_latest_migration_applied_which_is_this_release_s()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var part = (await StatusAsync(await world.AdminAsync())).GetProperty("database");

        var latest = Migrator.Scripts(StorageProvider.Sqlite)[^1].Name;
        Assert.Equal("Sqlite", part.GetProperty("provider").GetString());
        Assert.Equal(latest, part.GetProperty("schemaVersion").GetString());
        Assert.Equal(latest, part.GetProperty("thisRelease").GetString());
        Assert.True(part.GetProperty("upToDate").GetBoolean());
        Assert.Equal(Wednesday, part.GetProperty("migratedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_instance_part_says_its_version_when_it_started_and_for_how_long_it_has_run()
    {
        await using var world = await ServiceWorld.CreateAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(90));

        var part = (await StatusAsync(await world.AdminAsync())).GetProperty("instance");

        Assert.Equal(Wednesday, part.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(90 * 60, part.GetProperty("uptimeSeconds").GetInt64());
        Assert.False(string.IsNullOrWhiteSpace(part.GetProperty("version").GetString()));
        Assert.StartsWith($"{Environment.MachineName}:{Environment.ProcessId}", part.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_worker_shows_who_holds_its_lease_until_when_and_when_a_round_last_completed()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var work = world.ClockWork();
        await work.RunRoundAsync(CancellationToken.None);
        world.Clock.Advance(TimeSpan.FromSeconds(30));
        await world.Db.WriteAsync(s => s.TryTakeLeaseAsync("chat-notices", "other-host:42:0123456789abcdef", world.Clock.GetUtcNow(), world.Clock.GetUtcNow().AddMinutes(2)));

        var workers = (await StatusAsync(await world.AdminAsync())).GetProperty("workers").GetProperty("items").EnumerateArray()
            .ToDictionary(w => w.GetProperty("name").GetString()!);

        var clock = workers["verification-clock"];
        Assert.StartsWith($"{Environment.MachineName}:{Environment.ProcessId}:", clock.GetProperty("owner").GetString());
        Assert.True(clock.GetProperty("thisInstance").GetBoolean());
        Assert.Equal(Wednesday.AddMinutes(2), clock.GetProperty("leaseUntil").GetDateTimeOffset());
        Assert.True(clock.GetProperty("held").GetBoolean());
        Assert.Equal(Wednesday, clock.GetProperty("lastCompletedAt").GetDateTimeOffset());
        Assert.False(clock.GetProperty("stale").GetBoolean());
        var notices = workers["chat-notices"];
        Assert.Equal("other-host:42:0123456789abcdef", notices.GetProperty("owner").GetString());
        Assert.False(notices.GetProperty("thisInstance").GetBoolean());
        Assert.Equal(JsonValueKind.Null, notices.GetProperty("lastCompletedAt").ValueKind);
    }

    [Fact]
    public async Task A_round_that_found_the_lease_held_by_another_instance_records_no_completion()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await using var otherDb = world.AnotherInstanceDatabase();
        var one = world.ClockWork(world.Db);
        var two = world.ClockWork(otherDb);

        await one.RunRoundAsync(CancellationToken.None);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await two.RunRoundAsync(CancellationToken.None); // the lease is one's for another minute: two does nothing

        var worker = Assert.Single((await StatusAsync(await world.AdminAsync())).GetProperty("workers").GetProperty("items").EnumerateArray());
        Assert.Equal(Wednesday, worker.GetProperty("lastCompletedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_worker_whose_lease_ran_out_or_whose_rounds_stopped_completing_is_stale()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var work = world.ClockWork();
        await work.RunRoundAsync(CancellationToken.None);
        world.Clock.Advance(TimeSpan.FromMinutes(10)); // no instance has run it since

        var worker = Assert.Single((await StatusAsync(await world.AdminAsync())).GetProperty("workers").GetProperty("items").EnumerateArray());

        Assert.False(worker.GetProperty("held").GetBoolean());
        Assert.True(worker.GetProperty("stale").GetBoolean());
        Assert.Equal(10 * 60, worker.GetProperty("lastCompletedAgeSeconds").GetInt64());
    }

    [Fact]
    public async Task A_nightly_copy_that_failed_is_not_a_completed_round()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"scoring-not-a-folder-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(folder, "a file where the backups' folder should be");
        try
        {
            await using var world = await ServiceWorld.CreateAsync();
            var backups = new NightlyBackups(world.Db, world.Clock, new BackupSettings(folder, 7), NullLogger<NightlyBackups>.Instance);

            await backups.RunRoundAsync(CancellationToken.None);

            var worker = Assert.Single((await StatusAsync(await world.AdminAsync())).GetProperty("workers").GetProperty("items").EnumerateArray());
            Assert.Equal("nightly-backups", worker.GetProperty("name").GetString());
            Assert.Equal(JsonValueKind.Null, worker.GetProperty("lastCompletedAt").ValueKind);
        }
        finally
        {
            File.Delete(folder);
        }
    }

    [Fact]
    public async Task The_backup_part_names_the_newest_nightly_copy_in_the_folder_and_whether_tonight_s_is_overdue()
    {
        var folder = Directory.CreateTempSubdirectory("scoring-status-backups-").FullName;
        try
        {
            await using var world = await ServiceWorld.CreateAsync(settings: new Dictionary<string, string> { ["Backup:Directory"] = folder });
            // Taken at 02:05 and 02:03 in Houzhai (UTC+8) on the two nights before; a copy by hand is not a nightly one.
            await File.WriteAllTextAsync(Path.Combine(folder, "scoring-2026-11-16T1805Z.db"), "older");
            await File.WriteAllTextAsync(Path.Combine(folder, "scoring-2026-11-17T1803Z.db"), "newest");
            await File.WriteAllTextAsync(Path.Combine(folder, "before-upgrade.db"), "by hand, later");

            var part = (await StatusAsync(await world.AdminAsync())).GetProperty("backup");

            Assert.True(part.GetProperty("enabled").GetBoolean());
            Assert.Equal("scoring-2026-11-17T1803Z.db", part.GetProperty("latest").GetString());
            Assert.Equal(new DateTimeOffset(2026, 11, 17, 18, 3, 0, TimeSpan.Zero), part.GetProperty("latestAt").GetDateTimeOffset());
            Assert.Equal(6, part.GetProperty("latestBytes").GetInt64());
            Assert.Equal(2, part.GetProperty("copies").GetInt32());
            Assert.False(part.GetProperty("overdue").GetBoolean()); // Wednesday 09:00: this night's 02:00 copy is there

            world.Clock.Advance(TimeSpan.FromDays(1)); // Thursday 09:00, and no copy of Thursday night
            Assert.True((await StatusAsync(await world.AdminAsync("admin-2"))).GetProperty("backup").GetProperty("overdue").GetBoolean());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task With_nightly_backups_off_the_backup_part_says_so()
    {
        await using var world = await ServiceWorld.CreateAsync(); // Testing: off unless Backup:Directory is set

        var part = (await StatusAsync(await world.AdminAsync())).GetProperty("backup");

        Assert.False(part.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, part.GetProperty("latest").ValueKind);
    }

    [Fact]
    public async Task A_part_that_cannot_be_read_says_so_in_its_own_field_and_the_rest_still_answers()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var admin = await world.AdminAsync();
        await world.Db.WriteAsync(s => s.ExecuteAsync(DialectSql.Both("ALTER TABLE worker_leases RENAME TO worker_leases_away")));

        var status = await StatusAsync(admin);

        Assert.Contains("could not be read", status.GetProperty("workers").GetProperty("problem").GetString());
        Assert.Empty(status.GetProperty("workers").GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("outbox").GetProperty("problem").ValueKind);
        Assert.Equal(0, status.GetProperty("outbox").GetProperty("waiting").GetInt32());
        Assert.Single(status.GetProperty("verification").GetProperty("streets").EnumerateArray());
    }

    [Fact]
    public async Task Nothing_personal_is_in_the_status_no_names_phones_chat_ids_or_message_text()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var landlord = await world.SubjectAsync("landlord-1");
        await world.ReportAsync("landlord-1", evidence: "租客电话13900000001");
        await EnqueueAsync(world, "conv-13900000001", $"{landlord.Name}，您的上报已收到");
        var claimed = await world.Service<OutboxStore>().ClaimDueAsync("sender", 1, TimeSpan.FromMinutes(1));
        await world.Service<OutboxStore>().DeadLetterAsync(claimed.Single().Id, "sender", $"Refused: HTTP 400 for {landlord.Name}");
        await EnqueueAsync(world, "conv-2", "张三");

        var body = (await StatusAsync(await world.AdminAsync())).GetRawText();

        foreach (var personal in new[] { landlord.Name, landlord.Phone ?? landlord.Name, "13900000001", "conv-", "张三", "HTTP 400", "landlord-1", "secretary", "officer" })
            Assert.DoesNotContain(personal, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_officer_sees_the_pending_items_of_their_own_street_and_none_of_the_service_wide_parts()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ReportAsync("landlord-1");
        await world.Db.WriteAsync(async s =>
        {
            await s.InsertStreetAsync(new Street { Id = "jiangdong", Name = "江东街道" }, world.Clock.GetUtcNow());
            await s.InsertStaffAsync(new StaffMember { Id = "officer-jiangdong", StreetId = "jiangdong", Role = StaffRole.Officer, Name = "江东主任" });
        });

        var houzhai = await StatusAsync(world.Client("officer-1"));
        var jiangdong = await StatusAsync(await ClientOf(world, "officer-jiangdong"));
        var admin = await StatusAsync(await world.AdminAsync());

        Assert.Equal("street", houzhai.GetProperty("scope").GetString());
        var own = Assert.Single(houzhai.GetProperty("verification").GetProperty("streets").EnumerateArray());
        Assert.Equal(("houzhai", 1), (own.GetProperty("street").GetString(), own.GetProperty("pending").GetInt32()));
        var other = Assert.Single(jiangdong.GetProperty("verification").GetProperty("streets").EnumerateArray());
        Assert.Equal(("jiangdong", 0), (other.GetProperty("street").GetString(), other.GetProperty("pending").GetInt32()));
        foreach (var part in new[] { "outbox", "workers", "backup", "database" })
            Assert.Equal(JsonValueKind.Null, houzhai.GetProperty(part).ValueKind);
        Assert.Equal("service", admin.GetProperty("scope").GetString());
        Assert.Equal(["houzhai", "jiangdong"], admin.GetProperty("verification").GetProperty("streets").EnumerateArray().Select(s => s.GetProperty("street").GetString()));
    }

    [Fact]
    public async Task An_admin_sees_that_the_erasure_of_people_long_off_the_roster_is_failing_how_many_are_still_due_and_when_it_last_succeeded()
    {
        // A failing erasure was only a warning in the log, once per person per hour: nothing here told the operator that
        // personal data was being kept past its time.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        foreach (var id in new[] { "landlord-1", "landlord-2", "landlord-3" })
            Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync($"/api/subjects/{id}/deactivate", null)).StatusCode);
        var admin = await world.AdminAsync();
        var before = (await StatusAsync(admin)).GetProperty("erasure");
        Assert.Equal(JsonValueKind.Null, before.GetProperty("lastRoundAt").ValueKind); // no round yet

        var year2028 = new DateTimeOffset(2028, 1, 3, 0, 0, 0, TimeSpan.FromHours(8));
        world.Clock.AdjustTime(year2028);
        await world.Db.WriteAsync(s => s.ExecuteAsync(DialectSql.Both(
            "CREATE TRIGGER refuse_everyone BEFORE UPDATE ON subjects BEGIN SELECT RAISE(ABORT, 'refused'); END")));
        await world.Service<OffRosterErasure>().EraseDueAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(5));

        var failing = (await StatusAsync(admin)).GetProperty("erasure");
        Assert.Equal(year2028, failing.GetProperty("lastRoundAt").GetDateTimeOffset());
        Assert.Equal((0, 3, 3), (failing.GetProperty("lastRoundErased").GetInt32(), failing.GetProperty("lastRoundFailed").GetInt32(),
            failing.GetProperty("stillDue").GetInt32()));
        Assert.Equal("SqliteException ×3", failing.GetProperty("lastRoundFailures").GetString());
        Assert.Equal(JsonValueKind.Null, failing.GetProperty("lastSucceededAt").ValueKind);
        Assert.True(failing.GetProperty("failing").GetBoolean());
        foreach (var personal in new[] { "landlord-", "应天乐", "13900000001" })
            Assert.DoesNotContain(personal, failing.GetRawText(), StringComparison.Ordinal);

        await world.Db.WriteAsync(s => s.ExecuteAsync(DialectSql.Both("DROP TRIGGER refuse_everyone")));
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.Service<OffRosterErasure>().EraseDueAsync();

        var mended = (await StatusAsync(admin)).GetProperty("erasure");
        Assert.Equal((3, 0, 0), (mended.GetProperty("lastRoundErased").GetInt32(), mended.GetProperty("lastRoundFailed").GetInt32(),
            mended.GetProperty("stillDue").GetInt32()));
        Assert.Equal(world.Clock.GetUtcNow(), mended.GetProperty("lastSucceededAt").GetDateTimeOffset());
        Assert.False(mended.GetProperty("failing").GetBoolean());
    }

    [Fact]
    public async Task Secretaries_and_grid_workers_are_refused_with_a_coded_403()
    {
        await using var world = await ServiceWorld.CreateAsync();

        foreach (var staff in new[] { "secretary-fangtang", "gridworker-1" })
        {
            var response = await world.Client(staff).GetAsync("/api/admin/status");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("forbidden", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Healthz_still_answers_as_before()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var health = await world.Client().GetFromJsonAsync<JsonElement>("/healthz");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(["status", "storage"], health.EnumerateObject().Select(p => p.Name));
    }

    private static async Task<HttpClient> ClientOf(ServiceWorld world, string staffId)
    {
        var token = await world.Service<StaffTokens>().IssueAsync(null, staffId);
        var client = world.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value!);
        return client;
    }

    [Fact]
    public async Task An_instance_on_another_app_password_than_the_database_s_codes_shows_it_in_its_status_and_one_after_a_rotation_does_not()
    {
        Dictionary<string, string> On(string password, string? previous = null) => new()
        {
            ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
            ["Bot:MicrosoftAppPassword"] = password,
            ["Bot:PreviousAppPassword"] = previous ?? "",
        };
        await using var world = await ServiceWorld.CreateAsync(settings: On("the-bot's-secret"));
        var admin = await world.AdminAsync();
        HttpClient ClientOf(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> instance)
        {
            var client = instance.CreateClient();
            client.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
            return client;
        }
        Assert.True((await StatusAsync(admin)).GetProperty("appPassword").GetProperty("secretMatches").GetBoolean());

        var stray = world.AnotherInstance(settings: On("a-secret-the-env-file-kept"));
        var stale = (await StatusAsync(ClientOf(stray))).GetProperty("appPassword");
        Assert.False(stale.GetProperty("secretMatches").GetBoolean());
        Assert.Equal("differs", stale.GetProperty("standing").GetString());

        var rotated = world.AnotherInstance(settings: On("the-bot's-next-secret", previous: "the-bot's-secret"));
        Assert.True((await StatusAsync(ClientOf(rotated))).GetProperty("appPassword").GetProperty("secretMatches").GetBoolean());
        // The first instance, still on the old password, is now the one behind.
        Assert.False((await StatusAsync(admin)).GetProperty("appPassword").GetProperty("secretMatches").GetBoolean());
    }
}
