using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Scoring.Application.Demo;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Storage;

namespace Scoring.Application.Tests;

/// <summary>A fresh SQLite file with the demo street, a fake clock and the use cases wired as in the service.</summary>
public sealed class TestWorld : IAsyncDisposable
{
    private readonly string _dir;

    public FakeTimeProvider Clock { get; }
    public Database Db { get; }
    public Reporting Reporting { get; }
    public Verification Verification { get; }
    public Publication Publication { get; }
    public Enrolment Enrolment { get; }
    public Scores Scores { get; }
    public Rounds Rounds { get; }
    public HeardNotices Notices { get; } = new();
    public string CredentialsPath => Path.Combine(_dir, "demo-credentials.json");

    private TestWorld(DateTimeOffset now, string? dir = null)
    {
        _dir = dir ?? NewFolder("scoring-test-");
        Clock = new FakeTimeProvider(now);
        Db = AnotherDatabase();
        Reporting = new Reporting(Db, Clock, Notices);
        Verification = new Verification(Db, Clock, Notices);
        Publication = new Publication(Db, Clock, Notices);
        Enrolment = new Enrolment(Db, Clock);
        Scores = new Scores(Db, Clock);
        Rounds = new Rounds(Db, Clock, Reporting, NullLogger<Rounds>.Instance);
    }

    /// <summary>The same database file opened again, as another service instance would (the caller disposes it).</summary>
    public Database AnotherDatabase() => new(StorageProvider.Sqlite, $"Data Source={Path.Combine(_dir, "scoring.db")};Pooling=False", Clock);

    /// <summary>Wednesday of 2026-W47, 09:00 in Houzhai.</summary>
    public static readonly DateTimeOffset Wednesday = new(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8));

    public static async Task<TestWorld> CreateAsync(DateTimeOffset? now = null, int scale = 0)
    {
        if (scale == 0)
        {
            // Migrating and seeding costs a few hundred milliseconds on a busy machine; every world without
            // load-test landlords starts as a copy of one seeded file instead (still a file of its own).
            var template = await Template.Value;
            var dir = NewFolder("scoring-test-");
            foreach (var file in Directory.GetFiles(template)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            return new TestWorld(now ?? Wednesday, dir);
        }
        var world = new TestWorld(now ?? Wednesday);
        await Migrator.MigrateAsync(world.Db, world.Clock);
        await new DemoStreet(world.Db, world.Clock).SeedIfEmptyAsync(world.CredentialsPath, scale);
        return world;
    }

    /// <summary>
    /// A fresh temp folder, in memory (/dev/shm) where there is one: the ledger's durable commits (fsync per write)
    /// cost nothing there, and durability across power loss is not what these tests are about.
    /// </summary>
    private static string NewFolder(string prefix) =>
        Directory.Exists("/dev/shm")
            ? Directory.CreateDirectory(Path.Combine("/dev/shm", prefix + Guid.NewGuid().ToString("N")[..12])).FullName
            : Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The migrated demo street, seeded once per test run (at <see cref="Wednesday"/>) and closed, ready to copy.</summary>
    private static readonly Lazy<Task<string>> Template = new(async () =>
    {
        await using var seeded = new TestWorld(Wednesday);
        await Migrator.MigrateAsync(seeded.Db, seeded.Clock);
        await new DemoStreet(seeded.Db, seeded.Clock).SeedIfEmptyAsync(seeded.CredentialsPath, 0);
        // The street has run for weeks before W47, and a week owes a kind's list only from when its first was entered:
        // dated back, the weeks tests publish (from W45) owe theirs.
        await seeded.Db.WriteAsync(s => Dapper.SqlMapper.ExecuteAsync(s.Connection, "UPDATE subjects SET created_at = @at",
            new { at = new DateTimeOffset(2026, 9, 23, 9, 0, 0, TimeSpan.FromHours(8)) }, s.Transaction));
        var dir = NewFolder("scoring-template-");
        await seeded.Db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(seeded._dir).Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, recursive: true); } catch (IOException) { } };
        return dir;
    });

    /// <summary>
    /// Houzhai's rules changed to <paramref name="change"/> of each default rule (null drops it), in force from long ago:
    /// an officer may drop a rule, cap it or say who reports it (the API would date the change from next week).
    /// </summary>
    public Task RulesAsync(Func<Rule, Rule?> change) =>
        Db.WriteAsync(s => s.InsertRuleSetAsync(new RuleSet("houzhai", 2, new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero),
            DefaultRules.All.Select(change).OfType<Rule>().ToList()), "test", Clock.GetUtcNow()));

    public Task<Subject> SubjectAsync(string id) => Db.ReadAsync(async s => (await s.GetSubjectAsync(id))!);
    public Task<StaffMember> StaffAsync(string id) => Db.ReadAsync(async s => (await s.GetStaffAsync(id))!);

    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>A wall-clock moment in Houzhai.</summary>
    public static DateTimeOffset Local(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.FromHours(8));

    private int _sources;

    /// <summary>A subject reports for themself; the report must be accepted.</summary>
    /// <remarks>Each with evidence of its own unless given: the same addition again the same day is the one recorded.</remarks>
    public async Task<ReportReceipt> SelfReportAsync(string subjectId, string rule, DateTimeOffset? occurredAt = null, string? evidence = null)
    {
        var subject = await SubjectAsync(subjectId);
        var source = Interlocked.Increment(ref _sources);
        var outcome = await Reporting.ReportAsync(new ReportRequest(Actor.Of(subject), subjectId, rule, $"test:{source}", evidence ?? $"证据{source}", occurredAt));
        Assert.True(outcome.Succeeded, outcome.Failure?.English);
        return outcome.Value!;
    }

    /// <summary>The subject's community secretary approves; the approval must go through.</summary>
    public async Task<Decision> ApproveAsync(ReportReceipt receipt)
    {
        var outcome = await Verification.ApproveAsync(await StaffAsync("secretary-" + receipt.Subject.CommunityId), receipt.Event.Id);
        Assert.True(outcome.Succeeded, outcome.Failure?.English);
        return outcome.Value!;
    }

    /// <summary>A self-report approved at once: the usual way to give a subject points in a test.</summary>
    public async Task<ReportReceipt> ScoreAsync(string subjectId, string rule, DateTimeOffset? occurredAt = null)
    {
        var receipt = await SelfReportAsync(subjectId, rule, occurredAt);
        await ApproveAsync(receipt);
        return receipt;
    }

    /// <summary>Fangtang's grid worker reports a deduction on one of its subjects; it lands pending.</summary>
    public async Task<ReportReceipt> ObserveAsync(string subjectId, string rule)
    {
        var outcome = await Reporting.ReportAsync(new ReportRequest(Actor.Of(await StaffAsync("gridworker-1")), subjectId, rule, $"test:{Interlocked.Increment(ref _sources)}", "现场发现"));
        Assert.True(outcome.Succeeded, outcome.Failure?.English);
        return outcome.Value!;
    }

    /// <summary>The subject's secretary records a deduction (approved at once: it is their own check).</summary>
    public async Task<ReportReceipt> DeductAsync(string subjectId, string rule, DateTimeOffset? occurredAt = null)
    {
        var subject = await SubjectAsync(subjectId);
        var secretary = await StaffAsync("secretary-" + subject.CommunityId);
        var outcome = await Reporting.ReportAsync(new ReportRequest(Actor.Of(secretary), subjectId, rule, $"test:{Interlocked.Increment(ref _sources)}", "核查发现", occurredAt));
        Assert.True(outcome.Succeeded, outcome.Failure?.English);
        return outcome.Value!;
    }

    /// <summary>The weeks of 2026 (of <paramref name="weeks"/>) whose landlords' preview ranks <paramref name="subjectId"/>: those that count them.</summary>
    public async Task<IReadOnlyList<int>> WeeksRankingAsync(string subjectId, params int[] weeks)
    {
        var officer = await StaffAsync("officer-1");
        var ranking = new List<int>();
        foreach (var n in weeks)
        {
            var preview = await Publication.PreviewAsync(officer, "houzhai", new Domain.Weeks.IsoWeek(2026, n), SubjectKind.Landlord);
            Assert.True(preview.Succeeded, preview.Failure?.English);
            if (preview.Value!.Standings.Any(e => e.SubjectId == subjectId)) ranking.Add(n);
        }
        return ranking;
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>What the use cases give the notices, as far as the tests look at it: the balance alerts (the chat's texts are the bot's tests').</summary>
public sealed class HeardNotices : INotices
{
    public ConcurrentQueue<(string EventId, string SubjectId, EventStatus To, int Balance)> BalanceAlerts { get; } = new();
    public ConcurrentQueue<(string Street, IReadOnlyList<string> EventIds)> Escalations { get; } = new();

    /// <summary>Each change of published weeks told: the event, the weeks and who made it.</summary>
    public ConcurrentQueue<(string EventId, IReadOnlyList<string> Weeks, string ActorId)> PublishedWeeksChanged { get; } = new();

    public Task PublishedWeeksChangedAsync(Session s, ScoreEvent e, Subject subject, IReadOnlyList<string> weeks, string actorId)
    {
        PublishedWeeksChanged.Enqueue((e.Id, weeks, actorId));
        return Task.CompletedTask;
    }

    public Task EscalatedAsync(Session s, Street street, IReadOnlyList<string> eventIds)
    {
        Escalations.Enqueue((street.Id, eventIds));
        return Task.CompletedTask;
    }

    /// <summary>The closed cycle each alert of one was about, by event id (alerts of the current cycle are not here).</summary>
    public ConcurrentDictionary<string, string> ClosedCycles { get; } = new();

    public Task BalanceAlertAsync(Session s, ScoreEvent e, Subject subject, EventStatus to, int balance, EarlierCycle? closed)
    {
        BalanceAlerts.Enqueue((e.Id, subject.Id, to, balance));
        if (closed is not null) ClosedCycles[e.Id] = closed.Cycle.Key;
        return Task.CompletedTask;
    }
}
