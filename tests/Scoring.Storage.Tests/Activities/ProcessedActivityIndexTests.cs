using Dapper;
using Scoring.Storage.Activities;

namespace Scoring.Storage.Tests.Activities;

/// <summary>
/// On SQLite the processed-activity records are found through an index in each instance's memory; it must answer as a
/// unique index in the database would, also with several instances on one file and with transactions that roll back.
/// </summary>
public sealed class ProcessedActivityIndexTests
{
    private static ProcessedActivityKey Key(int n) => new("emulator", $"conv-{n}", $"act-{n}");

    private static Task<List<string>> StoredRepliesAsync(Database db) => db.ReadAsync(async s =>
        (await s.Connection.QueryAsync<string>("SELECT replies_json FROM bot_processed_activity ORDER BY seq")).ToList());

    private static Task<bool> RecordAsync(Database db, ProcessedActivityStore store, ProcessedActivityKey key, string replies) =>
        db.WriteAsync(s => store.RecordAsync(s, key, replies));

    [Fact]
    public async Task A_record_made_by_another_instance_after_this_one_read_the_keys_is_found_there()
    {
        await using var world = await StorageWorld.CreateAsync();
        var other = world.NewDatabase();
        var here = new ProcessedActivityStore(world.Db, world.Clock);
        var there = new ProcessedActivityStore(other, world.Clock);
        Assert.True(await RecordAsync(world.Db, here, Key(1), "[1]")); // this instance has read the keys

        Assert.True(await RecordAsync(other, there, Key(2), "[2]"));

        Assert.False(await RecordAsync(world.Db, here, Key(2), "[2 again]"));
        Assert.Equal("[2]", await here.TryGetAsync(Key(2)));
        Assert.Equal("[2]", await world.Db.WriteAsync(s => here.TryGetAsync(s, Key(2))));
        Assert.True(await RecordAsync(other, there, Key(3), "[3]"));
        Assert.Equal("[3]", await here.TryGetAsync(Key(3))); // not seen here yet: the writer looks
    }

    [Fact]
    public async Task A_record_whose_transaction_rolled_back_does_not_count_as_processed()
    {
        await using var world = await StorageWorld.CreateAsync();
        var store = new ProcessedActivityStore(world.Db, world.Clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => world.Db.WriteAsync<bool>(async s =>
        {
            await store.RecordAsync(s, Key(1), "[lost]");
            throw new InvalidOperationException("the turn failed after recording");
        }));

        Assert.Null(await store.TryGetAsync(Key(1)));
        Assert.True(await RecordAsync(world.Db, store, Key(1), "[kept]"));
        Assert.Equal("[kept]", await store.TryGetAsync(Key(1)));
    }

    [Fact]
    public async Task A_place_freed_by_a_rollback_and_then_taken_by_another_instance_is_read_here()
    {
        await using var world = await StorageWorld.CreateAsync();
        var other = world.NewDatabase();
        var here = new ProcessedActivityStore(world.Db, world.Clock);
        var there = new ProcessedActivityStore(other, world.Clock);
        Assert.True(await RecordAsync(world.Db, here, Key(1), "[1]"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => world.Db.WriteAsync<bool>(async s =>
        {
            await here.RecordAsync(s, Key(2), "[rolled back]");
            throw new InvalidOperationException();
        }));

        Assert.True(await RecordAsync(other, there, Key(3), "[3]")); // the seq key 2 had, used again

        Assert.False(await RecordAsync(world.Db, here, Key(3), "[3 again]"));
        Assert.Null(await here.TryGetAsync(Key(2)));
        Assert.Equal(["[1]", "[3]"], await StoredRepliesAsync(world.Db));
    }

    [Fact]
    public async Task A_new_instance_finds_the_records_made_before_it_started()
    {
        await using var world = await StorageWorld.CreateAsync();
        var first = new ProcessedActivityStore(world.Db, world.Clock);
        for (var n = 1; n <= 3; n++) Assert.True(await RecordAsync(world.Db, first, Key(n), $"[{n}]"));

        var later = world.NewDatabase();
        var store = new ProcessedActivityStore(later, world.Clock);

        Assert.Equal("[2]", await store.TryGetAsync(Key(2)));
        Assert.False(await RecordAsync(later, store, Key(3), "[3 again]"));
        Assert.True(await RecordAsync(later, store, Key(4), "[4]"));
    }

    [Fact]
    public async Task Records_made_before_0430_are_kept_in_the_order_they_were_made_and_still_found()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await world.MigrateBeforeAsync("0430");
        await world.Db.WriteAsync(async s =>
        {
            foreach (var (n, at) in new[] { (2, "2026-11-17T09:00:00+00:00"), (1, "2026-11-16T09:00:00+00:00") })
                await s.Connection.ExecuteAsync(
                    "INSERT INTO bot_processed_activity (activity_key, channel_id, conversation_id, activity_id, replies_json, processed_at) " +
                    "VALUES (@Hash, @ChannelId, @ConversationId, @ActivityId, @replies, @at)",
                    new { Key(n).Hash, Key(n).ChannelId, Key(n).ConversationId, Key(n).ActivityId, replies = $"[{n}]", at }, s.Transaction);
        });

        Assert.Equal("0430_processed_activities_in_order", (await Migrator.MigrateAsync(world.Db, world.Clock)).First()); // then any later ones

        var store = new ProcessedActivityStore(world.Db, world.Clock);
        Assert.False(await RecordAsync(world.Db, store, Key(1), "[1 again]"));
        Assert.Equal("[2]", await store.TryGetAsync(Key(2)));
        Assert.Equal(["[1]", "[2]"], await StoredRepliesAsync(world.Db));
    }

    [Fact]
    public async Task Two_deliveries_in_one_batch_record_once()
    {
        await using var world = await StorageWorld.CreateAsync();
        var store = new ProcessedActivityStore(world.Db, world.Clock);

        var both = await Task.WhenAll(RecordAsync(world.Db, store, Key(1), "[first]"), RecordAsync(world.Db, store, Key(1), "[second]"));

        Assert.Equal([false, true], both.Order());
        Assert.Equal(1, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM bot_processed_activity")));
    }

    [Fact]
    public async Task Purged_records_are_forgotten_and_can_be_made_again()
    {
        await using var world = await StorageWorld.CreateAsync();
        var store = new ProcessedActivityStore(world.Db, world.Clock);
        Assert.True(await RecordAsync(world.Db, store, Key(1), "[old]"));
        world.Clock.Advance(TimeSpan.FromDays(8));
        Assert.True(await RecordAsync(world.Db, store, Key(2), "[recent]"));

        Assert.Equal(1, await store.PurgeAsync(world.Clock.GetUtcNow() - TimeSpan.FromDays(7)));

        Assert.Null(await store.TryGetAsync(Key(1)));
        Assert.Equal("[recent]", await store.TryGetAsync(Key(2)));
        Assert.True(await RecordAsync(world.Db, store, Key(1), "[new]"));
    }

    [Fact]
    public async Task The_index_forgets_the_keys_of_purged_records()
    {
        await using var world = await StorageWorld.CreateAsync();
        var index = new ProcessedActivityIndex();
        await world.Db.WriteAsync(s => index.RecordAsync(s, Key(1), Utf8Text.Of("[1]"), world.Clock.GetUtcNow()));
        await world.Db.WriteAsync(s => index.RecordAsync(s, Key(2), Utf8Text.Of("[2]"), world.Clock.GetUtcNow().AddDays(8)));
        Assert.Equal(2, index.Count);

        await world.Db.WriteAsync(async s =>
        {
            await s.Connection.ExecuteAsync("DELETE FROM bot_processed_activity WHERE activity_key = @Hash", Key(1), s.Transaction);
            await index.TrimAsync(s);
        });

        Assert.Equal(1, index.Count);
    }

    [Fact]
    public async Task Keys_that_share_a_fingerprint_are_each_found_with_their_own_replies()
    {
        await using var world = await StorageWorld.CreateAsync();
        var index = new ProcessedActivityIndex(fingerprint: _ => 42);

        foreach (var n in new[] { 1, 2, 3 })
            Assert.True(await world.Db.WriteAsync(s => index.RecordAsync(s, Key(n), Utf8Text.Of($"[{n}]"), world.Clock.GetUtcNow())));

        foreach (var n in new[] { 1, 2, 3 })
            Assert.Equal($"[{n}]", await world.Db.WriteAsync(s => index.FindAsync(s, Key(n).Hash)));
        Assert.False(await world.Db.WriteAsync(s => index.RecordAsync(s, Key(1), Utf8Text.Of("[1 again]"), world.Clock.GetUtcNow())));
        Assert.Null(await world.Db.WriteAsync(s => index.FindAsync(s, Key(4).Hash)));
    }

    [Fact]
    public void A_fingerprint_is_the_first_64_bits_of_the_hash()
    {
        Assert.Equal(unchecked((long)0x0123456789abcdefUL), ProcessedActivityIndex.Fingerprint("0123456789abcdef" + new string('0', 48)));
        Assert.Equal(-1L, ProcessedActivityIndex.Fingerprint("ffffffffffffffff" + new string('0', 48)));
    }
}
