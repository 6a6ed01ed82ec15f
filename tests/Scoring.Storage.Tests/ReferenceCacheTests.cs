using Microsoft.Extensions.Time.Testing;
using Scoring.Domain;

namespace Scoring.Storage.Tests;

public sealed class ReferenceCacheTests
{
    [Fact]
    public async Task A_street_asked_for_before_it_existed_is_found_as_soon_as_another_instance_creates_it()
    {
        await using var world = await StorageWorld.CreateAsync();
        Assert.Null(await world.Db.ReadAsync(s => s.GetStreetAsync("later")));

        await world.NewDatabase().WriteAsync(s => s.InsertStreetAsync(new Street { Id = "later", Name = "后来的街道" }, world.Clock.GetUtcNow()));

        Assert.Equal("后来的街道", (await world.Db.ReadAsync(s => s.GetStreetAsync("later")))?.Name);
    }

    [Fact]
    public async Task What_a_rolled_back_transaction_read_of_its_own_change_is_not_kept()
    {
        await using var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("houzhai");
        Assert.Equal(3, (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!.Settings.RedListSize);

        await Assert.ThrowsAsync<InvalidOperationException>(() => world.Db.WriteAsync(async s =>
        {
            await s.UpdateSettingsAsync("houzhai", new StreetSettings { RedListSize = 9 });
            Assert.Equal(9, (await s.GetStreetAsync("houzhai"))!.Settings.RedListSize);
            throw new InvalidOperationException("changed its mind");
        }));

        Assert.Equal(3, (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!.Settings.RedListSize);
    }

    [Fact]
    public void A_reader_that_loaded_an_earlier_version_cannot_put_it_back_over_the_later_one()
    {
        var cache = new ReferenceCache(TimeProvider.System);

        cache.PutLatest("list", (Revision: 2, Body: "corrected"), l => l.Revision); // the publisher, after its commit
        cache.PutLatest("list", (Revision: 1, Body: "first"), l => l.Revision);     // a reader that loaded just before it

        Assert.True(cache.TryGet<(int Revision, string Body)>("list", out var kept));
        Assert.Equal("corrected", kept.Body);
        cache.PutLatest("list", (Revision: 3, Body: "again"), l => l.Revision);
        Assert.True(cache.TryGet<(int Revision, string Body)>("list", out kept));
        Assert.Equal("again", kept.Body);
    }

    [Fact]
    public async Task Callers_who_find_a_costly_entry_missing_at_the_same_time_share_one_load()
    {
        var cache = new ReferenceCache(new FakeTimeProvider(StorageWorld.Wednesday));
        var release = new TaskCompletionSource();
        int loads = 0;
        async Task<string> LoadAsync() { Interlocked.Increment(ref loads); await release.Task; return "ranks"; }

        var callers = Enumerable.Range(0, 5).Select(_ => cache.GetOrRefreshAsync("ranks", LoadAsync, TimeSpan.FromSeconds(10))).ToList();
        release.SetResult();

        Assert.All(await Task.WhenAll(callers), r => Assert.Equal("ranks", r));
        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task An_expired_costly_entry_is_reloaded_once_in_the_background_while_everyone_answers_from_it()
    {
        var clock = new FakeTimeProvider(StorageWorld.Wednesday);
        var cache = new ReferenceCache(clock);
        Assert.Equal("old", await cache.GetOrRefreshAsync("ranks", () => Task.FromResult("old"), TimeSpan.FromSeconds(10)));
        clock.Advance(TimeSpan.FromSeconds(11));
        var release = new TaskCompletionSource();
        int loads = 0;

        // Nobody waits for the reload, not even the caller that started it.
        var first = await cache.GetOrRefreshAsync("ranks", async () => { Interlocked.Increment(ref loads); await release.Task; return "new"; }, TimeSpan.FromSeconds(10));
        var meanwhile = await cache.GetOrRefreshAsync("ranks", () => { Interlocked.Increment(ref loads); return Task.FromResult("unwanted"); }, TimeSpan.FromSeconds(10));
        release.SetResult();

        Assert.Equal(("old", "old"), (first, meanwhile));
        Assert.Equal("new", await EventuallyAsync(cache, "ranks"));
        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task An_entry_expired_more_than_a_lifetime_ago_is_not_answered_from_its_reload_is_waited_for()
    {
        var clock = new FakeTimeProvider(StorageWorld.Wednesday);
        var cache = new ReferenceCache(clock);
        await cache.GetOrRefreshAsync("ranks", () => Task.FromResult("an hour ago"), TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal("now", await cache.GetOrRefreshAsync("ranks", () => Task.FromResult("now"), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_failed_background_reload_leaves_the_expired_entry_in_use_and_the_next_caller_tries_again()
    {
        var clock = new FakeTimeProvider(StorageWorld.Wednesday);
        var cache = new ReferenceCache(clock);
        await cache.GetOrRefreshAsync("ranks", () => Task.FromResult("old"), TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal("old", await cache.GetOrRefreshAsync<string>("ranks", () => throw new TimeoutException("the reader gave up"), TimeSpan.FromSeconds(10)));
        var again = "old";
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5); again == "old" && DateTime.UtcNow < deadline; await Task.Delay(10))
            again = await cache.GetOrRefreshAsync("ranks", () => Task.FromResult("new"), TimeSpan.FromSeconds(10));

        Assert.Equal("new", again);
    }

    /// <summary>The fresh entry under <paramref name="key"/> once a background reload has put it (real time, bounded).</summary>
    private static async Task<string?> EventuallyAsync(ReferenceCache cache, string key)
    {
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5); DateTime.UtcNow < deadline; await Task.Delay(10))
            if (cache.TryGet<string>(key, out var value)) return value;
        return null;
    }

    [Fact]
    public async Task When_the_shared_load_fails_those_who_waited_for_it_load_for_themselves()
    {
        var cache = new ReferenceCache(new FakeTimeProvider(StorageWorld.Wednesday));
        var release = new TaskCompletionSource();

        var failing = cache.GetOrRefreshAsync<string>("ranks", async () => { await release.Task; throw new TimeoutException("the reader gave up"); }, TimeSpan.FromSeconds(10));
        var waiting = cache.GetOrRefreshAsync("ranks", () => Task.FromResult("ranks"), TimeSpan.FromSeconds(10));
        release.SetResult();

        await Assert.ThrowsAsync<TimeoutException>(() => failing);
        Assert.Equal("ranks", await waiting);
    }
}
