using Microsoft.Extensions.Time.Testing;
using Scoring.Application.Demo;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Application.Tests;

/// <summary>A fresh SQLite file with the demo street, a fake clock and the use cases wired as in the service.</summary>
public sealed class TestWorld : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scoring-test-").FullName;

    public FakeTimeProvider Clock { get; }
    public Database Db { get; }
    public Reporting Reporting { get; }
    public Verification Verification { get; }
    public Publication Publication { get; }
    public Enrolment Enrolment { get; }
    public Scores Scores { get; }
    public Rounds Rounds { get; }
    public string CredentialsPath => Path.Combine(_dir, "demo-credentials.json");

    private TestWorld(DateTimeOffset now)
    {
        Clock = new FakeTimeProvider(now);
        Db = new Database(StorageProvider.Sqlite, $"Data Source={Path.Combine(_dir, "scoring.db")};Pooling=False", Clock);
        var notices = new NoNotices();
        Reporting = new Reporting(Db, Clock, notices);
        Verification = new Verification(Db, Clock, notices);
        Publication = new Publication(Db, Clock, notices);
        Enrolment = new Enrolment(Db, Clock);
        Scores = new Scores(Db, Clock);
        Rounds = new Rounds(Db, Clock, Reporting);
    }

    /// <summary>Wednesday of 2026-W47, 09:00 in Houzhai.</summary>
    public static readonly DateTimeOffset Wednesday = new(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8));

    public static async Task<TestWorld> CreateAsync(DateTimeOffset? now = null, int scale = 0)
    {
        var world = new TestWorld(now ?? Wednesday);
        await Migrator.MigrateAsync(world.Db, world.Clock);
        await new DemoStreet(world.Db, world.Clock).SeedIfEmptyAsync(world.CredentialsPath, scale);
        return world;
    }

    public Task<Subject> SubjectAsync(string id) => Db.ReadAsync(async s => (await s.GetSubjectAsync(id))!);
    public Task<StaffMember> StaffAsync(string id) => Db.ReadAsync(async s => (await s.GetStaffAsync(id))!);

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
