using Microsoft.Extensions.Time.Testing;
using Scoring.Bot.Tests.World;
using Scoring.Storage;
using Scoring.Storage.Outbox;

namespace Scoring.Bot.Tests.Storage;

public sealed class OutboxStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private TestDatabase database = null!;
    private OutboxStore outbox = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(time);
        outbox = new OutboxStore(database.Database, time);
    }

    public Task DisposeAsync()
    {
        database.Dispose();
        return Task.CompletedTask;
    }

    private Task<IReadOnlyList<string>> EnqueueAsync(string conversation, params string[] texts) =>
        database.Database.WriteAsync(session => outbox.EnqueueAsync(session,
            texts.Select(text => new OutgoingActivity("http://127.0.0.1:9", "emulator", conversation, "in-1", $$"""{"text":"{{text}}"}"""))));

    [Fact]
    public async Task Only_the_oldest_waiting_message_of_each_conversation_is_claimed()
    {
        var a = await EnqueueAsync("a", "a0", "a1", "a2");
        var b = await EnqueueAsync("b", "b0", "b1");

        var claimed = await outbox.ClaimDueAsync("one", 10, Lease);

        Assert.Equal([a[0], b[0]], claimed.Select(m => m.Id));
        Assert.All(claimed, m => Assert.Equal(1, m.Attempts));
        Assert.All(claimed, m => Assert.Equal("one", m.LeaseOwner));
    }

    [Fact]
    public async Task A_conversation_whose_head_is_leased_yields_nothing_to_another_owner()
    {
        await EnqueueAsync("a", "a0", "a1");
        await outbox.ClaimDueAsync("one", 10, Lease);

        Assert.Empty(await outbox.ClaimDueAsync("two", 10, Lease));
    }

    [Fact]
    public async Task A_message_whose_lease_ran_out_is_claimed_by_another_owner()
    {
        var ids = await EnqueueAsync("a", "a0");
        await outbox.ClaimDueAsync("crashed", 10, Lease);

        time.Advance(Lease + TimeSpan.FromMilliseconds(1));
        var claimed = await outbox.ClaimDueAsync("survivor", 10, Lease);

        var message = Assert.Single(claimed);
        Assert.Equal(ids[0], message.Id);
        Assert.Equal("survivor", message.LeaseOwner);
        Assert.Equal(2, message.Attempts);
        Assert.False(await outbox.RescheduleAsync(ids[0], "crashed", time.GetUtcNow(), "late"));
    }

    [Fact]
    public async Task The_next_message_of_a_conversation_is_claimed_once_the_head_is_sent()
    {
        var ids = await EnqueueAsync("a", "a0", "a1");
        var head = Assert.Single(await outbox.ClaimDueAsync("one", 10, Lease));

        Assert.True(await outbox.MarkSentAsync(head.Id));
        var next = Assert.Single(await outbox.ClaimDueAsync("one", 10, Lease));

        Assert.Equal(ids[1], next.Id);
    }

    [Fact]
    public async Task A_rescheduled_message_waits_for_its_time_and_keeps_its_error()
    {
        var ids = await EnqueueAsync("a", "a0", "a1");
        await outbox.ClaimDueAsync("one", 10, Lease);

        Assert.True(await outbox.RescheduleAsync(ids[0], "one", time.GetUtcNow().AddSeconds(30), "HTTP 429"));

        Assert.Empty(await outbox.ClaimDueAsync("one", 10, Lease));
        Assert.Equal(time.GetUtcNow().AddSeconds(30), await outbox.NextDueAsync());
        time.Advance(TimeSpan.FromSeconds(30));
        var again = Assert.Single(await outbox.ClaimDueAsync("one", 10, Lease));
        Assert.Equal(ids[0], again.Id);
        Assert.Equal("HTTP 429", again.LastError);
    }

    [Fact]
    public async Task A_dead_letter_keeps_its_reason_unblocks_its_conversation_and_can_be_requeued()
    {
        var ids = await EnqueueAsync("a", "a0", "a1");
        await outbox.ClaimDueAsync("one", 10, Lease);

        Assert.True(await outbox.DeadLetterAsync(ids[0], "one", "Refused: HTTP 404 (ConversationNotFound)"));

        var dead = Assert.Single(await outbox.ListDeadLettersAsync());
        Assert.Equal("Refused: HTTP 404 (ConversationNotFound)", dead.LastError);
        Assert.Equal(ids[1], Assert.Single(await outbox.ClaimDueAsync("one", 10, Lease)).Id);

        Assert.True(await outbox.RequeueAsync(ids[0]));
        Assert.Empty(await outbox.ListDeadLettersAsync());
        Assert.Equal(0, (await outbox.FindAsync(ids[0]))!.Attempts);
    }

    [Fact]
    public async Task Enqueued_messages_vanish_with_a_rolled_back_transaction()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.Database.WriteAsync(async session =>
        {
            await outbox.EnqueueAsync(session, [new OutgoingActivity("http://127.0.0.1:9", "emulator", "a", null, "{}")]);
            throw new InvalidOperationException("the effect failed");
        }));

        Assert.Null(await outbox.NextDueAsync());
        Assert.Empty(await outbox.ClaimDueAsync("one", 10, Lease));
    }

    [Fact]
    public async Task Owners_racing_on_separate_connections_never_claim_the_same_message()
    {
        for (var conversation = 0; conversation < 40; conversation++)
        {
            await EnqueueAsync($"c{conversation}", "m0");
        }
        // Separate Database objects: no in-process writer gate, only SQLite's own locking.
        var stores = Enumerable.Range(0, 4)
            .Select(_ => new OutboxStore(new Database(StorageProvider.Sqlite, database.ConnectionString, time), time))
            .ToList();

        var claims = await Task.WhenAll(stores.Select((store, i) => Task.Run(async () =>
        {
            var mine = new List<string>();
            for (var round = 0; round < 10; round++)
            {
                mine.AddRange((await store.ClaimDueAsync($"owner-{i}", 3, Lease)).Select(m => m.Id));
            }
            return mine;
        })));

        var all = claims.SelectMany(ids => ids).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public async Task Sent_messages_are_purged_after_the_retention_but_dead_letters_stay()
    {
        var ids = await EnqueueAsync("a", "a0");
        var dead = await EnqueueAsync("b", "b0");
        await outbox.ClaimDueAsync("one", 10, Lease);
        await outbox.MarkSentAsync(ids[0]);
        await outbox.DeadLetterAsync(dead[0], "one", "gave up");

        time.Advance(TimeSpan.FromDays(8));
        var purged = await outbox.PurgeSentAsync(time.GetUtcNow() - TimeSpan.FromDays(7));

        Assert.Equal(1, purged);
        Assert.Null(await outbox.FindAsync(ids[0]));
        Assert.NotNull(await outbox.FindAsync(dead[0]));
    }

    [Fact]
    public async Task Dead_letters_are_purged_after_their_own_longer_retention_and_nothing_waiting_or_sent_with_them()
    {
        var old = await EnqueueAsync("a", "a0");
        var waiting = await EnqueueAsync("b", "b0");
        await outbox.ClaimDueAsync("one", 10, Lease);
        await outbox.DeadLetterAsync(old[0], "one", "gave up");
        time.Advance(TimeSpan.FromDays(20));
        var recent = await EnqueueAsync("c", "c0");
        await outbox.ClaimDueAsync("one", 10, Lease);
        await outbox.DeadLetterAsync(recent[0], "one", "refused");

        time.Advance(TimeSpan.FromDays(11));
        var purged = await outbox.PurgeDeadLettersAsync(time.GetUtcNow() - TimeSpan.FromDays(30));

        Assert.Equal(1, purged);
        Assert.Null(await outbox.FindAsync(old[0]));
        Assert.NotNull(await outbox.FindAsync(recent[0]));
        Assert.NotNull(await outbox.FindAsync(waiting[0]));
    }
}
