using Microsoft.Data.Sqlite;
using static Scoring.Storage.Tests.StorageWorld;

namespace Scoring.Storage.Tests;

public class RecordStoreTests
{
    private static Task<bool> TakeAsync(Database db, string owner, DateTimeOffset now) =>
        db.WriteAsync(s => s.TryTakeLeaseAsync("verification-clock", owner, now, now + TimeSpan.FromMinutes(1)));

    [Fact]
    public async Task Of_two_instances_only_one_holds_a_lease_until_it_expires()
    {
        await using var world = await CreateAsync();
        var (a, b) = (world.Db, world.NewDatabase());
        var now = Wednesday;

        Assert.True(await TakeAsync(a, "instance-a", now));
        Assert.False(await TakeAsync(b, "instance-b", now.AddSeconds(30)));
        Assert.True(await TakeAsync(a, "instance-a", now.AddSeconds(30)));   // the holder renews
        Assert.False(await TakeAsync(b, "instance-b", now.AddSeconds(89)));  // renewed until now + 90 s
        Assert.True(await TakeAsync(b, "instance-b", now.AddSeconds(91)));   // expired: the other takes it
        Assert.False(await TakeAsync(a, "instance-a", now.AddSeconds(92)));
    }

    [Fact]
    public async Task Two_instances_racing_for_a_free_lease_never_both_win()
    {
        await using var world = await CreateAsync();
        var dbs = Enumerable.Range(0, 4).Select(_ => world.NewDatabase()).ToArray();

        var wins = await Task.WhenAll(dbs.Select((db, i) => TakeAsync(db, $"instance-{i}", Wednesday)));

        Assert.Equal(1, wins.Count(w => w));
    }

    [Fact]
    public async Task Leases_with_different_names_are_independent()
    {
        await using var world = await CreateAsync();
        Assert.True(await world.Db.WriteAsync(s => s.TryTakeLeaseAsync("rounds", "a", Wednesday, Wednesday.AddMinutes(1))));
        Assert.True(await world.Db.WriteAsync(s => s.TryTakeLeaseAsync("escalation", "b", Wednesday, Wednesday.AddMinutes(1))));
    }

    [Fact]
    public async Task A_day_seen_before_its_deadline_is_kept_once_however_often_it_is_seen_until_it_is_closed()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai");
        var (a, b) = (world.Db, world.NewDatabase());

        await Task.WhenAll(a.WriteAsync(s => s.OpenRoundDayAsync("houzhai", "2026-11-18", Wednesday)), b.WriteAsync(s => s.OpenRoundDayAsync("houzhai", "2026-11-18", Wednesday)));
        await a.WriteAsync(s => s.OpenRoundDayAsync("houzhai", "2026-11-17", Wednesday.AddDays(-1)));
        await a.WriteAsync(s => s.OpenRoundDayAsync("houzhai", "2026-11-18", Wednesday.AddMinutes(1)));
        Assert.Equal(["2026-11-17", "2026-11-18"], await a.ReadAsync(s => s.OpenRoundDaysAsync("houzhai")));

        await a.WriteAsync(s => s.CloseRoundDayAsync("houzhai", "2026-11-17"));
        await b.WriteAsync(s => s.CloseRoundDayAsync("houzhai", "2026-11-17"));

        Assert.Equal(["2026-11-18"], await a.ReadAsync(s => s.OpenRoundDaysAsync("houzhai")));
    }

    [Fact]
    public async Task A_published_revision_reads_back_whole_and_the_same_revision_cannot_be_written_twice()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai");
        PublishedListRow Row(int revision, string hash) => new()
        {
            StreetId = "houzhai", Week = "2026-W47", Kind = "landlord", Revision = revision, PublishedAt = Wednesday.AddTicks(revision),
            PublishedBy = "officer-1", RuleVersion = 1, ContentHash = hash, CorrectionReason = revision > 1 ? "补录" : null, BodyJson = "{}",
        };
        await world.Db.WriteAsync(async s => { await s.InsertListAsync(Row(1, "h1")); await s.InsertListAsync(Row(2, "h2")); });

        var latest = (await world.Db.ReadAsync(s => s.LatestListAsync("houzhai", "2026-W47", "landlord")))!;
        var first = (await world.Db.ReadAsync(s => s.ListRevisionAsync("houzhai", "2026-W47", "landlord", 1)))!;
        var error = await Assert.ThrowsAsync<SqliteException>(() => world.Db.WriteAsync(s => s.InsertListAsync(Row(2, "other"))));

        Assert.Equal((2L, "h2", "补录", Wednesday.AddTicks(2)), (latest.Revision, latest.ContentHash, latest.CorrectionReason, latest.PublishedAt));
        Assert.Equal((1L, "h1", (string?)null), (first.Revision, first.ContentHash, first.CorrectionReason));
        Assert.True(TransientFaults.IsUniqueViolation(error));
        Assert.Null(await world.Db.ReadAsync(s => s.LatestListAsync("houzhai", "2026-W48", "landlord")));
        Assert.Equal(2, (await world.Db.ReadAsync(s => s.ListsOfYearAsync("houzhai", 2026))).Count);
        Assert.Empty(await world.Db.ReadAsync(s => s.ListsOfYearAsync("houzhai", 2027)));
    }

    [Fact]
    public async Task Redeemed_points_add_up_per_subject()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1", "landlord-2");
        await world.Db.WriteAsync(async s =>
        {
            await s.InsertRedemptionAsync(new RedemptionRow { Id = "r1", SubjectId = "landlord-1", Points = 3, Yuan = 30m, Note = "米", RecordedAt = Wednesday, RecordedBy = "officer-1" });
            await s.InsertRedemptionAsync(new RedemptionRow { Id = "r2", SubjectId = "landlord-1", Points = 2, Yuan = 20m, Note = "油", RecordedAt = Wednesday, RecordedBy = "officer-1" });
        });
        Assert.Equal(5, await world.Db.ReadAsync(s => s.RedeemedPointsAsync("landlord-1")));
        Assert.Equal(0, await world.Db.ReadAsync(s => s.RedeemedPointsAsync("landlord-2")));
    }
}
