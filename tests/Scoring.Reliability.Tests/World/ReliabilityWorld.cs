using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Scoring.Application;
using Scoring.Bot.Conversations;
using Scoring.Bot.Tests.World;
using Scoring.Bot.Outbox;
using Scoring.Domain;
using Scoring.Service.Hosting;
using Scoring.Storage;

namespace Scoring.Reliability.Tests.World;

/// <summary>How a test wants its service.</summary>
public sealed record WorldOptions
{
    /// <summary>Demo:Scale: landlords load-0 … load-(N-1), landlord i with tenant 租客i, bound as load-i on channel emulator.</summary>
    public int Scale { get; init; }

    /// <summary>Run the outbox sender (replies and notices leave for their serviceUrl).</summary>
    public bool Sender { get; init; }

    /// <summary>A fake clock the test moves; otherwise the service's own clock starting at <see cref="ReliabilityWorld.Wednesday"/> runs on in real time.</summary>
    public bool FakeClock { get; init; }

    /// <summary>Where the SQLite file lives (a tmpfs for the full-disk test); a fresh temp folder by default.</summary>
    public string? DatabaseFolder { get; init; }

    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Extra service registrations after the service's own (test doubles).</summary>
    public Action<IServiceCollection>? Services { get; init; }
}

/// <summary>
/// The whole service in memory (WebApplicationFactory, environment Testing) on a fresh SQLite file with the demo
/// street, every log line captured. A test gets one only through <see cref="RunAsync(WorldOptions?, Func{ReliabilityWorld, Task})"/>,
/// which fails the test if a phone, identity number, token, enrolment code or password reached the log.
/// </summary>
public sealed class ReliabilityWorld
{
    /// <summary>Wednesday of 2026-W47, 09:00 in Houzhai.</summary>
    public static readonly DateTimeOffset Wednesday = new(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8));

    public const string Emulator = "emulator";

    private readonly string folder;
    private readonly bool ownsFolder;
    private readonly Dictionary<string, string> tokens = [];
    private readonly Dictionary<string, string> codes = [];
    private readonly Dictionary<string, string> names = [];

    private ReliabilityWorld(WorldOptions options)
    {
        ownsFolder = options.DatabaseFolder is null;
        folder = options.DatabaseFolder ?? Directory.CreateTempSubdirectory("scoring-rel-").FullName;
        Clock = options.FakeClock ? new FakeTimeProvider(Wednesday) : null;
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("ConnectionStrings:Scoring", $"Data Source={DatabasePath}");
            web.UseSetting("Demo:Enabled", "true");
            web.UseSetting("Demo:Scale", options.Scale.ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Demo:CredentialsPath", CredentialsPath);
            web.UseSetting("Bot:AllowUnauthenticated", "true");
            if (Clock is null) web.UseSetting("Clock:Now", Wednesday.ToString("O"));
            foreach (var (key, value) in options.Settings) web.UseSetting(key, value);
            // Everything ours logs, at every level; the framework from Information up (its per-request debug chatter would
            // only slow the storms). Set as configuration so appsettings' quieter levels do not win.
            web.UseSetting("Logging:LogLevel:Default", "Trace");
            web.UseSetting("Logging:LogLevel:Microsoft", "Information");
            web.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Information");
            web.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information"); // each request's path, off by default
            web.UseSetting("Logging:LogLevel:System", "Information");
            web.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Log));
            web.ConfigureTestServices(services =>
            {
                if (Clock is not null) services.AddSingleton<TimeProvider>(Clock);
                // Minute-by-minute clockwork would write on its own while a test counts rows; the tests drive it.
                RemoveHosted(services, typeof(VerificationClockWork));
                RemoveHosted(services, typeof(ChatNoticeWork));
                if (!options.Sender) RemoveHosted(services, typeof(OutboxSender));
                options.Services?.Invoke(services);
            });
        });
    }

    public WebApplicationFactory<Program> Factory { get; }
    public FakeTimeProvider? Clock { get; }
    public LogCapture Log { get; } = new();
    public Secrets Secrets { get; } = new();
    public string Folder => folder;
    public string DatabasePath => Path.Combine(folder, "scoring.db");
    public string CredentialsPath => Path.Combine(folder, "demo-credentials.json");
    public IServiceProvider Services => Factory.Services;
    public Database Db => Services.GetRequiredService<Database>();
    public TimeProvider Time => Services.GetRequiredService<TimeProvider>();

    /// <summary>
    /// Runs a test's body in a fresh world, disposes the world, then checks its log for secrets and personal data.
    /// Not a check in <c>DisposeAsync</c>: under <c>await using</c> a throw there replaces the exception of a body
    /// that already failed, hiding the real failure. Here a body's own failure is rethrown as it was; a leak (or a
    /// failed disposal) found as well comes after it in an <see cref="AggregateException"/>, which xunit reports in full.
    /// </summary>
    public static async Task RunAsync(WorldOptions? options, Func<ReliabilityWorld, Task> test)
    {
        var world = new ReliabilityWorld(options ?? new WorldOptions());
        var failures = new List<Exception>();
        try
        {
            await world.StartAsync();
            await test(world);
        }
        catch (Exception e)
        {
            failures.Add(e);
        }
        try
        {
            await world.DisposeAsync();
        }
        catch (Exception e)
        {
            failures.Add(e);
        }
        // After disposal, so the host's shutdown lines are checked too; also after a failure, whose log may be the leak.
        var leaks = world.Secrets.Leaks(world.Log.Texts);
        if (leaks.Count > 0)
            failures.Add(new Xunit.Sdk.XunitException("Secrets or personal data reached the log:\n" + string.Join("\n", leaks)));
        if (failures.Count == 1) ExceptionDispatchInfo.Throw(failures[0]);
        if (failures.Count > 1) throw new AggregateException(failures);
    }

    /// <inheritdoc cref="RunAsync(WorldOptions?, Func{ReliabilityWorld, Task})"/>
    public static Task RunAsync(Func<ReliabilityWorld, Task> test) => RunAsync(null, test);

    private async Task StartAsync()
    {
        _ = Factory.Server; // starts the host: migrations, demo street, credentials file
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(CredentialsPath));
        foreach (var staff in credentials.RootElement.GetProperty("staff").EnumerateArray())
        {
            var id = staff.GetProperty("id").GetString()!;
            tokens[id] = staff.GetProperty("token").GetString()!;
            codes[id] = staff.GetProperty("enrolmentCode").GetString()!;
            names[id] = staff.GetProperty("name").GetString()!;
        }
        foreach (var subject in credentials.RootElement.GetProperty("subjects").EnumerateArray())
        {
            var id = subject.GetProperty("id").GetString()!;
            codes[id] = subject.GetProperty("enrolmentCode").GetString()!;
            names[id] = subject.GetProperty("name").GetString()!;
        }
        foreach (var secret in tokens.Values.Concat(codes.Values)) Secrets.Add(secret);
    }

    public string TokenOf(string staffId) => tokens[staffId];
    public string CodeOf(string personId) => codes[personId];
    public string NameOf(string personId) => names[personId];
    public IReadOnlyDictionary<string, string> DemoNames => names;

    /// <summary>A client without a token, or signed in as a staff member (demo staff, or one added with <see cref="AddStaffAsync"/>).</summary>
    public HttpClient Client(string? staffId = null)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (staffId is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens[staffId]);
        return client;
    }

    /// <summary>A staff member who exists only in this world, with a token (an admin, say).</summary>
    public async Task AddStaffAsync(string id, StaffRole role, string? community = null, string name = "测试人员")
    {
        await Db.WriteAsync(s => s.InsertStaffAsync(new StaffMember { Id = id, StreetId = "houzhai", CommunityId = community, Role = role, Name = name }));
        var issued = await Services.GetRequiredService<StaffTokens>().IssueAsync(null, id);
        tokens[id] = issued.Value!;
        Secrets.Add(issued.Value);
    }

    /// <summary>Posts a Bot Framework activity to /api/messages.</summary>
    public async Task<HttpResponseMessage> PostActivityAsync(HttpClient client, string activityJson, string? bearer = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(activityJson, Encoding.UTF8, "application/json") };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await client.SendAsync(request, ct);
    }

    /// <summary>A chat message as a channel delivers it (the load landlords speak on the emulator channel).</summary>
    public static string Message(string from, string? text, string id, bool expectReplies = true, string channel = Emulator,
        string serviceUrl = "http://127.0.0.1:9", string? conversation = null, string locale = "zh-CN", object? value = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "message",
            ["id"] = id,
            ["timestamp"] = "2026-11-18T01:00:00.000Z",
            ["channelId"] = channel,
            ["serviceUrl"] = serviceUrl,
            ["from"] = new { id = from, name = from },
            ["recipient"] = new { id = "scoring-bot", name = "Scoring", role = "bot" },
            ["conversation"] = new { id = conversation ?? "conv-" + from },
            ["locale"] = locale,
            ["text"] = text,
            ["value"] = value,
            ["deliveryMode"] = expectReplies ? "expectReplies" : null,
        });

    /// <summary>The texts of an expectReplies body.</summary>
    public static IReadOnlyList<string> ReplyTexts(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("activities").EnumerateArray()
            .Select(a => a.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "").ToList();
    }

    /// <summary>A fresh connection to the same file (for counting, or to play another process holding a lock).</summary>
    public SqliteConnection OpenConnection(bool pooled = false)
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling={pooled}");
        connection.Open();
        return connection;
    }

    public long Scalar(string sql)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A digest of everything that counts: events and their transitions, tenant returns, redemptions and published
    /// lists. Equal digests mean an unchanged ledger.
    /// </summary>
    public string LedgerFingerprint()
    {
        using var connection = OpenConnection();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // In insertion order; chat accounts are kept in key order (WITHOUT ROWID) and have no rowid.
        foreach (var (table, order) in new[] { ("score_events", "rowid"), ("event_transitions", "rowid"), ("tenant_returns", "rowid"),
                     ("redemptions", "rowid"), ("published_lists", "rowid"), ("chat_accounts", "channel_id, user_id") })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} ORDER BY {order}";
            using var reader = command.ExecuteReader();
            hash.AppendData(Encoding.UTF8.GetBytes(table + "\n"));
            while (reader.Read())
            {
                for (int i = 0; i < reader.FieldCount; i++)
                    hash.AppendData(Encoding.UTF8.GetBytes((reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)) + "\u001f"));
                hash.AppendData("\n"u8);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The tables that hold <paramref name="text"/> anywhere in a text column, as typed.</summary>
    public IReadOnlyList<string> TablesContaining(string text)
    {
        using var connection = OpenConnection();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            using var reader = list.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        var found = new List<string>();
        foreach (var table in tables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = command.ExecuteReader();
            while (reader.Read() && !found.Contains(table))
                for (int i = 0; i < reader.FieldCount; i++)
                    if (!reader.IsDBNull(i) && reader.GetValue(i) is string value && value.Contains(text, StringComparison.Ordinal)) { found.Add(table); break; }
        }
        return found;
    }

    private async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (ownsFolder)
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static void RemoveHosted(IServiceCollection services, Type type)
    {
        foreach (var d in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == type).ToList())
            services.Remove(d);
    }
}
