using Dapper;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Scoring.Application;
using Scoring.Bot.Conversations;
using Scoring.Bot.Outbox;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Service.Hosting;
using Scoring.Storage;

namespace Scoring.Service.Tests;

/// <summary>
/// The whole service in memory (WebApplicationFactory, environment Testing) on a fresh SQLite file in a temp folder,
/// with a fake clock and the demo street; staff sign in with the real tokens the demo wrote to its credentials file.
/// None of the service's background work runs unless a test asks for it: a round that fires while a test arranges
/// or asserts would change what the test sees.
/// </summary>
public sealed class ServiceWorld : IAsyncDisposable
{
    /// <summary>When the demo roster of a world made at <see cref="Wednesday"/> was entered: Wednesday of 2026-W39.</summary>
    public static readonly DateTimeOffset RosterEntered = new(2026, 9, 23, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Wednesday of 2026-W47, 09:00 in Houzhai.</summary>
    public static readonly DateTimeOffset Wednesday = new(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8));

    // A RAM disk where there is one: SQLite's durable commits cost nothing there, and the suite stays fast.
    private readonly string _dir = Directory.Exists("/dev/shm")
        ? Directory.CreateDirectory(Path.Combine("/dev/shm", $"scoring-api-{Guid.NewGuid():N}")).FullName
        : Directory.CreateTempSubdirectory("scoring-api-").FullName;
    private readonly Dictionary<string, string> _tokens = [];
    private int _sources;

    public FakeTimeProvider Clock { get; }
    public WebApplicationFactory<Program> Factory { get; private set; }
    public string DatabasePath => Path.Combine(_dir, "scoring.db");
    public string CredentialsPath => Path.Combine(_dir, "demo-credentials.json");

    /// <summary>The service's own background work, which no test here needs running (tests call the use cases).</summary>
    /// <remarks>Nightly backups too, where a test turns them on with <c>Backup:Directory</c>: moving the clock past their first look would start a copy.</remarks>
    private static readonly IReadOnlyList<Type> BackgroundWork = [typeof(VerificationClockWork), typeof(ChatNoticeWork), typeof(OutboxSender), typeof(NightlyBackups)];

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly List<WebApplicationFactory<Program>> _others = [];

    private ServiceWorld(DateTimeOffset now, IReadOnlyDictionary<string, string> settings)
    {
        Clock = new FakeTimeProvider(now);
        _settings = settings;
        Factory = Host(Clock, demo: true);
    }

    private WebApplicationFactory<Program> Host(TimeProvider clock, bool demo, IReadOnlyDictionary<string, string>? settings = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("ConnectionStrings:Scoring", $"Data Source={DatabasePath}");
            web.UseSetting("Demo:Enabled", demo ? "true" : "false");
            web.UseSetting("Demo:CredentialsPath", CredentialsPath);
            web.UseSetting("Bot:AllowUnauthenticated", "true");
            foreach (var (key, value) in settings ?? _settings) web.UseSetting(key, value);
            web.ConfigureTestServices(services =>
            {
                services.AddSingleton(clock);
                // The clockwork, for one, would run on its own when a test moves the clock; tests call the use cases instead.
                foreach (var d in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType is { } work && BackgroundWork.Contains(work)).ToList())
                    services.Remove(d);
            });
        });

    /// <summary>
    /// A second instance of the service on the same database (its own writer, caches and idempotency middleware), with
    /// its own clock if given: what another process behind the same load balancer would be. Disposed with the world.
    /// </summary>
    /// <param name="settings">Its configuration instead of the world's (another app password: one changed since).</param>
    public WebApplicationFactory<Program> AnotherInstance(TimeProvider? clock = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var other = Host(clock ?? Clock, demo: false, settings);
        _ = other.Server;
        _others.Add(other);
        return other;
    }

    /// <summary>
    /// Stops the service (every instance) as an operator does, runs <paramref name="whileStopped"/> on its files (a restore,
    /// say), and starts it again on the same database file, without the demo: what it serves is what the file holds.
    /// </summary>
    public async Task RestartAsync(Func<Task> whileStopped)
    {
        foreach (var other in _others) await other.DisposeAsync();
        _others.Clear();
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // a stopped process holds no connection: nor may the test's pool
        await whileStopped();
        Factory = Host(Clock, demo: false);
        _ = Factory.Server; // starts the host: migrations
    }

    /// <summary>A client of <paramref name="instance"/> signed in as a demo staff member.</summary>
    public HttpClient Client(WebApplicationFactory<Program> instance, string staffId)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[staffId]);
        return client;
    }

    public static async Task<ServiceWorld> CreateAsync(DateTimeOffset? now = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var world = new ServiceWorld(now ?? Wednesday, settings ?? new Dictionary<string, string>());
        _ = world.Factory.Server; // starts the host: migrations, demo street, credentials file
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(world.CredentialsPath));
        foreach (var staff in credentials.RootElement.GetProperty("staff").EnumerateArray())
            world._tokens[staff.GetProperty("id").GetString()!] = staff.GetProperty("token").GetString()!;
        // The demo's roster is entered as the host starts; the street has run for weeks before, and a week owes a kind's
        // list only from when its first was entered: dated back, the weeks before W47 that tests publish owe theirs.
        if (now is null)
            await world.Db.WriteAsync(s => s.Connection.ExecuteAsync("UPDATE subjects SET created_at = @at", new { at = RosterEntered }, s.Transaction));
        return world;
    }

    public T Service<T>() where T : notnull => Factory.Services.GetRequiredService<T>();
    public Database Db => Service<Database>();
    /// <summary>The database as another instance of the service opens it: the same file, its own connections and writer.</summary>
    public Database AnotherInstanceDatabase() => new(StorageProvider.Sqlite, $"Data Source={DatabasePath}", Clock);

    /// <summary>The verification clockwork as an instance on <paramref name="db"/> (this world's database when null) would run it.</summary>
    public VerificationClockWork ClockWork(Database? db = null, IHostApplicationLifetime? lifetime = null) =>
        new(db ?? Db, Clock, Service<Verification>(), Service<Rounds>(), Service<OffRosterErasure>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<VerificationClockWork>.Instance, lifetime);

    /// <summary>The chat's reminders and notices as an instance on this world's database would run them.</summary>
    public ChatNoticeWork NoticeWork() =>
        new(Db, Clock, Service<ChatNotices>(), Service<OutboxSignal>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ChatNoticeWork>.Instance);

    public string TokenOf(string staffId) => _tokens[staffId];

    /// <summary>A client without a token, or signed in as a demo staff member.</summary>
    public HttpClient Client(string? staffId = null)
    {
        var client = Factory.CreateClient();
        if (staffId is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[staffId]);
        return client;
    }

    public Task<StaffMember> StaffAsync(string id) => Db.ReadAsync(async s => (await s.GetStaffAsync(id))!);
    public Task<Subject> SubjectAsync(string id) => Db.ReadAsync(async s => (await s.GetSubjectAsync(id))!);

    /// <summary>A subject reports for themself (as through the chat): the event id, pending.</summary>
    /// <remarks>Each with evidence of its own unless given: the same addition again the same day is the one recorded.</remarks>
    public async Task<string> ReportAsync(string subjectId, string rule = DefaultRules.LandlordReportedViolation, string? evidence = null, DateTimeOffset? occurredAt = null)
    {
        var subject = await SubjectAsync(subjectId);
        var source = Interlocked.Increment(ref _sources);
        var receipt = await Service<Reporting>().ReportAsync(new ReportRequest(Actor.Of(subject), subjectId, rule, $"test:{source}", evidence ?? $"租客夜间聚众喧哗,已劝阻并上报（{source}）", occurredAt));
        Assert.True(receipt.Succeeded, receipt.Failure?.English);
        return receipt.Value!.Event.Id;
    }

    /// <summary>A grid worker's (or secretary's) report about a subject, such as a deduction.</summary>
    public async Task<string> ReportByStaffAsync(string staffId, string subjectId, string rule, string evidence = "楼道未按时消毒", DateTimeOffset? occurredAt = null)
    {
        var staff = await StaffAsync(staffId);
        var receipt = await Service<Reporting>().ReportAsync(new ReportRequest(Actor.Of(staff), subjectId, rule, $"test:{Interlocked.Increment(ref _sources)}", evidence, occurredAt));
        Assert.True(receipt.Succeeded, receipt.Failure?.English);
        return receipt.Value!.Event.Id;
    }

    public async Task ApproveAsync(string eventId, string secretaryId = "secretary-fangtang")
    {
        var approved = await Service<Verification>().ApproveAsync(await StaffAsync(secretaryId), eventId);
        Assert.True(approved.Succeeded, approved.Failure?.English);
    }

    /// <summary>A report approved at once: points on the balance.</summary>
    public async Task<string> ScoreAsync(string subjectId, string rule = DefaultRules.LandlordReportedViolation, DateTimeOffset? occurredAt = null)
    {
        var id = await ReportAsync(subjectId, rule, occurredAt: occurredAt);
        var subject = await SubjectAsync(subjectId);
        await ApproveAsync(id, subject.CommunityId == "fangtang" ? "secretary-fangtang" : "secretary-changchun");
        return id;
    }

    public async Task PublishAsync(string week, string kind = "landlord", string? correctionReason = null)
    {
        SubjectKinds.TryParse(kind, out var k);
        var published = await Service<Publication>().PublishAsync(await StaffAsync("officer-1"), DemoStreetId, IsoWeek.Parse(week), k, correctionReason);
        Assert.True(published.Succeeded, published.Failure?.English);
    }

    /// <summary>A staff member that exists only in this world (to issue and revoke tokens without touching the demo's).</summary>
    public async Task EnsureStaffAsync(string id, StaffRole role, string? community)
    {
        await Db.WriteAsync(async s =>
        {
            if (await s.GetStaffAsync(id) is null)
                await s.InsertStaffAsync(new StaffMember { Id = id, StreetId = DemoStreetId, CommunityId = community, Role = role, Name = "临时网格员" });
        });
    }

    /// <summary>A client signed in as an admin that exists only in this world (the demo has none).</summary>
    public async Task<HttpClient> AdminAsync(string id = "admin-1")
    {
        await EnsureStaffAsync(id, StaffRole.Admin, null);
        var token = await Service<StaffTokens>().IssueAsync(null, id);
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value!);
        return client;
    }

    public const string DemoStreetId = "houzhai";

    /// <summary>The officer of <see cref="AnotherStreetAsync"/>'s street.</summary>
    public const string OtherStreetOfficerId = "officer-jiangdong";

    /// <summary>
    /// A second street on the same service, as a district runs several: 江东街道 (jiangdong) with the community
    /// <c>xincun</c> (新村社区, its secretary <c>secretary-xincun</c>), the landlord <c>landlord-jd-1</c> and its officer
    /// <see cref="OtherStreetOfficerId"/>, both staff signed in like the demo's.
    /// </summary>
    public async Task AnotherStreetAsync()
    {
        if (_tokens.ContainsKey(OtherStreetOfficerId)) return;
        await Db.WriteAsync(async s =>
        {
            var now = Clock.GetUtcNow();
            var street = new Street { Id = "jiangdong", Name = "江东街道" };
            await s.InsertStreetAsync(street, now);
            var zone = street.Settings.TimeZone;
            await s.InsertRuleSetAsync(DefaultRules.For(street.Id, IsoWeek.Containing(now, zone).Start(zone)), "test", now);
            await s.InsertCommunityAsync(new Community { Id = "xincun", StreetId = "jiangdong", Name = "新村社区" });
            await s.InsertStaffAsync(new StaffMember { Id = OtherStreetOfficerId, StreetId = "jiangdong", Role = StaffRole.Officer, Name = "江东主任" });
            await s.InsertStaffAsync(new StaffMember { Id = "secretary-xincun", StreetId = "jiangdong", CommunityId = "xincun", Role = StaffRole.Secretary, Name = "新村书记" });
            await s.InsertSubjectAsync(new Subject { Id = "landlord-jd-1", StreetId = "jiangdong", CommunityId = "xincun", Kind = SubjectKind.Landlord, Name = "江一", Phone = "13900001111" }, now);
        });
        foreach (var id in new[] { OtherStreetOfficerId, "secretary-xincun" })
            _tokens[id] = (await Service<StaffTokens>().IssueAsync(null, id)).Value!;
    }

    public static HttpContent Json(object body) => JsonContent.Create(body);

    public async ValueTask DisposeAsync()
    {
        foreach (var other in _others) await other.DisposeAsync();
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A POST with an Idempotency-Key of its own, as the routes that take none without one need (428).</summary>
public static class KeyedPosts
{
    public static Task<HttpResponseMessage> PostKeyedAsJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = System.Net.Http.Json.JsonContent.Create(body), Headers = { { Scoring.Service.Features.Idempotency.Header, Guid.NewGuid().ToString() } },
        });

    public static Task<HttpResponseMessage> PostKeyedAsync(this HttpClient client, string url, HttpContent? content = null) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = content, Headers = { { Scoring.Service.Features.Idempotency.Header, Guid.NewGuid().ToString() } } });
}
