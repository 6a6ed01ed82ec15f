using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Service.Tests.Hosting;

/// <summary>Start-up as an operator sees it: bad configuration stops it with one clear line (and exit code 2), never a stack trace; a good one logs what the deployment decides.</summary>
public class StartupTests
{
    /// <summary>The service as its own process, on any free port, with its output read by the caller.</summary>
    private static Process Start(string environment, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Scoring.Service.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        return Process.Start(info)!;
    }

    private static async Task<(int Exit, string Err)> StartAsync(string environment, params string[] args)
    {
        // An empty working directory of its own: it is the host's content root, which the host watches, every folder
        // under it, for changed settings. The shared temp folder (~180k folders here, more with the CI's clone in it)
        // made each start take seconds, and once past a minute.
        var dir = Directory.CreateTempSubdirectory("scoring-start-").FullName;
        try
        {
            return await StartInAsync(dir, environment, args);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>The service started in <paramref name="dir"/> and run until it stops by itself (60 s at most).</summary>
    private static async Task<(int Exit, string Err)> StartInAsync(string dir, string environment, params string[] args)
    {
        {
            using var process = Start(environment, dir, args);
            var err = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"The service did not stop within 60 s.\nstderr: {await err}\nstdout: {await output}");
            }
            await output;
            return (process.ExitCode, (await err).Trim());
        }
    }

    /// <summary>A database at this build's schema in <paramref name="dir"/>, with <paramref name="fill"/> written into it; its connection setting.</summary>
    private static async Task<string> DatabaseAsync(string dir, Func<Session, Task>? fill = null)
    {
        var connection = $"Data Source={Path.Combine(dir, "s.db")};Pooling=False";
        await using (var db = new Database(StorageProvider.Sqlite, connection, new FakeTimeProvider()))
        {
            await Migrator.MigrateAsync(db, new FakeTimeProvider());
            if (fill is not null) await db.WriteAsync(fill);
        }
        SqliteConnection.ClearAllPools();
        return $"--ConnectionStrings:Scoring={connection}";
    }

    private static async Task<T> QueryAsync<T>(string dir, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "s.db")};Pooling=False");
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException(sql);
    }

    private static void AssertOneLine(string err, params string[] expected)
    {
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Scoring cannot start: ", line);
        foreach (var e in expected) Assert.Contains(e, line);
    }

    [Fact]
    public async Task A_street_whose_time_zone_this_machine_does_not_know_stops_start_up_with_one_line_naming_it()
    {
        // What a host without tzdata looks like to every street (a chiseled container image): said at start, not as a 500 later.
        var dir = Directory.CreateTempSubdirectory("scoring-start-").FullName;
        try
        {
            var database = await DatabaseAsync(dir, s => s.InsertStreetAsync(
                new Street { Id = "houzhai", Name = "后宅街道", Settings = new StreetSettings { TimeZoneId = "Mars/Olympus" } }, DateTimeOffset.UnixEpoch));

            var (exit, err) = await StartInAsync(dir, "Development", database, "--Demo:Enabled=false");

            Assert.Equal(2, exit);
            AssertOneLine(err, "street houzhai's time zone 'Mars/Olympus' is not known on this machine", "tzdata");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task An_address_already_in_use_stops_start_up_with_one_line_before_any_background_work_touches_the_database()
    {
        var dir = Directory.CreateTempSubdirectory("scoring-start-").FullName;
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        try
        {
            var database = await DatabaseAsync(dir, s => s.Connection.ExecuteAsync(
                "INSERT INTO bot_outbox (id, conversation_key, service_url, channel_id, conversation_id, activity_json, created_at, next_attempt_at) " +
                "VALUES ('m1', 'emulator|c1', 'http://127.0.0.1:9/', 'emulator', 'c1', '{\"type\":\"message\",\"text\":\"hi\"}', '2000-01-01T00:00:00.0000000Z', '2000-01-01T00:00:00.0000000Z')",
                transaction: s.Transaction));

            var (exit, err) = await StartInAsync(dir, "Development", database, "--Demo:Enabled=false", "--urls", $"http://127.0.0.1:{port}");

            Assert.Equal(2, exit);
            AssertOneLine(err, $"127.0.0.1:{port}", "address already in use");
            Assert.Equal(0L, await QueryAsync<long>(dir, "SELECT COUNT(*) FROM worker_leases"));
            Assert.Equal(0L, await QueryAsync<long>(dir, "SELECT COUNT(*) FROM bot_outbox WHERE attempts > 0 OR lease_owner IS NOT NULL OR sent_at IS NOT NULL"));
        }
        finally
        {
            taken.Stop();
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_database_a_newer_release_migrated_is_said_at_start_in_a_warning_naming_the_migrations_this_build_does_not_know()
    {
        var dir = Directory.CreateTempSubdirectory("scoring-start-").FullName;
        var database = await DatabaseAsync(dir, s => s.Connection.ExecuteAsync(
            "INSERT INTO schema_version (version, applied_at) VALUES ('9990_from_a_newer_release', '2026-11-01T00:00:00.0000000Z')", transaction: s.Transaction));
        using var process = Start("Development", dir, database, "--Demo:Enabled=false");
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var lines = new List<string>();
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is not null) lines.Add(line);
            }
            while (line is not null && !line.Contains("Now listening on: ", StringComparison.Ordinal));

            Assert.NotNull(line);
            var at = lines.FindIndex(l => l.Contains("9990_from_a_newer_release", StringComparison.Ordinal));
            Assert.True(at > 0 && lines[at - 1].StartsWith("warn: ", StringComparison.Ordinal), string.Join('\n', lines));
            Assert.Contains($"this build ({Migrator.Scripts(StorageProvider.Sqlite)[^1].Name})", lines[at]);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task The_demo_credentials_with_staff_tokens_are_readable_by_the_service_s_user_only()
    {
        if (OperatingSystem.IsWindows()) return; // file modes are Unix's
        await using var world = await ServiceWorld.CreateAsync();

        var mode = File.GetUnixFileMode(world.CredentialsPath);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task The_start_up_log_says_whether_the_sqlite_writer_runs_ahead_of_request_threads_and_has_no_page_cache_warning()
    {
        var dir = Directory.CreateTempSubdirectory("scoring-start-").FullName;
        using var process = Start("Development", dir,
            $"--ConnectionStrings:Scoring=Data Source={Path.Combine(dir, "s.db")}", $"--Demo:CredentialsPath={Path.Combine(dir, "demo.json")}");
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            var before = new List<string>();
            do
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is not null) before.Add(line);
            }
            while (line is not null && !line.Contains("SQLite writer", StringComparison.Ordinal));

            Assert.NotNull(line);
            Assert.Contains(line.Trim(), new[]
            {
                "The SQLite writer's thread runs ahead of request threads",
                "The SQLite writer's thread runs at normal priority; with CAP_SYS_NICE (or RLIMIT_NICE) it would run ahead of request threads, see README",
            });
            // The service's own start-up order lets SqlitePageCache in before SQLite is first used.
            Assert.DoesNotContain(before, l => l.Contains("page cache", StringComparison.Ordinal));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task The_service_started_as_its_own_process_reads_a_JSON_body_in_GB18030()
    {
        // The code pages are registered at start-up, process-wide (the framework's body reader finds GB18030 only so). In
        // the test process something else registers them sooner or later (AngleSharp does, parsing a page), so only a
        // process of its own tells whether start-up still does, whatever ran before.
        var dir = Directory.CreateTempSubdirectory("scoring-start-").FullName;
        var credentials = Path.Combine(dir, "demo.json");
        using var process = Start("Development", dir, $"--ConnectionStrings:Scoring=Data Source={Path.Combine(dir, "s.db")}", $"--Demo:CredentialsPath={credentials}");
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            do line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            while (line is not null && !line.Contains("Now listening on: ", StringComparison.Ordinal));
            Assert.NotNull(line);
            using var client = new HttpClient { BaseAddress = new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim()) };
            using var staff = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(credentials, timeout.Token));
            var token = staff.RootElement.GetProperty("staff").EnumerateArray().First(x => x.GetProperty("id").GetString() == "officer-1").GetProperty("token").GetString();
            // 楼道未消毒 in GB18030, written out: encoding it here would need the code pages in this process.
            var body = new ByteArrayContent([.. "{\"rule\":\"corridor-not-disinfected\",\"evidence\":\""u8, 0xC2, 0xA5, 0xB5, 0xC0, 0xCE, 0xB4, 0xCF, 0xFB, 0xB6, 0xBE, .. "\"}"u8]);
            body.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=gb18030");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/subjects/landlord-1/events") { Content = body };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

            var response = await client.SendAsync(request, timeout.Token);

            var answer = await response.Content.ReadAsStringAsync(timeout.Token);
            Assert.True(response.IsSuccessStatusCode, answer);
            Assert.Contains("楼道未消毒", answer, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("Development", "--Storage:Provider=Oracle", "Storage:Provider 'Oracle' is unknown")]
    [InlineData("Development", "--ConnectionStrings:Scoring=Data Source=/proc/scoring-cannot-be-here/s.db", "Cannot open the database file")]
    [InlineData("Production", "--Clock:Now=2026-11-18T09:00:00+08:00", "Clock:Now is only allowed in Development or Testing")]
    [InlineData("Production", "--Demo:Enabled=false", "Bot:MicrosoftAppId is required")]
    public async Task Bad_configuration_stops_start_up_with_one_line(string environment, string setting, string expected)
    {
        var (exit, err) = await StartAsync(environment, setting);

        Assert.Equal(2, exit);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Scoring cannot start: ", line);
        Assert.Contains(expected, line);
    }
}
