using Microsoft.Extensions.Time.Testing;
using Scoring.Bot.Tests.World;
using Scoring.Storage.Activities;

namespace Scoring.Bot.Tests.Storage;

public sealed class ActivityStoresTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync(time);

    public Task DisposeAsync()
    {
        database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_processed_activity_is_recorded_once_and_its_replies_are_found_again()
    {
        var store = new ProcessedActivityStore(database.Database, time);
        var key = new ProcessedActivityKey("msteams", "a:conv|1", "act:1");

        Assert.Null(await store.TryGetAsync(key));
        Assert.True(await database.Database.WriteAsync(session => store.RecordAsync(session, key, """[{"text":"first"}]""")));
        Assert.False(await database.Database.WriteAsync(session => store.RecordAsync(session, key, """[{"text":"second"}]""")));

        Assert.Equal("""[{"text":"first"}]""", await store.TryGetAsync(key));
    }

    [Fact]
    public async Task A_key_that_has_been_looked_up_still_equals_a_new_key_of_the_same_activity()
    {
        var store = new ProcessedActivityStore(database.Database, time);
        var used = new ProcessedActivityKey("msteams", "a:conv|1", "act:1");
        await store.TryGetAsync(used);

        Assert.Equal(new ProcessedActivityKey("msteams", "a:conv|1", "act:1"), used);
    }

    [Fact]
    public async Task Keys_that_differ_only_in_where_a_separator_falls_are_different_activities()
    {
        var store = new ProcessedActivityStore(database.Database, time);
        await database.Database.WriteAsync(session => store.RecordAsync(session, new ProcessedActivityKey("a", "b:c", "d"), "[]"));

        Assert.Null(await store.TryGetAsync(new ProcessedActivityKey("a:b", "c", "d")));
    }

    [Fact]
    public async Task Old_processed_activities_are_purged()
    {
        var store = new ProcessedActivityStore(database.Database, time);
        var key = new ProcessedActivityKey("emulator", "c", "1");
        await database.Database.WriteAsync(session => store.RecordAsync(session, key, "[]"));

        time.Advance(TimeSpan.FromDays(8));
        await store.PurgeAsync(time.GetUtcNow() - TimeSpan.FromDays(7));

        Assert.Null(await store.TryGetAsync(key));
    }

    [Fact]
    public async Task A_conversation_reference_is_replaced_when_the_user_writes_from_elsewhere()
    {
        var store = new ConversationReferenceStore(database.Database);
        await store.UpsertAsync(new ConversationReference("msteams", "29:u", "conv-1", "https://one.example/", "{}", "{}", "zh-CN", time.GetUtcNow()));
        time.Advance(TimeSpan.FromHours(1));

        await store.UpsertAsync(new ConversationReference("msteams", "29:u", "conv-2", "https://two.example/", "{}", "{}", "en-US", time.GetUtcNow()));

        var found = await store.FindAsync("msteams", "29:u");
        Assert.Equal("conv-2", found!.ConversationId);
        Assert.Equal("https://two.example/", found.ServiceUrl);
        Assert.Equal("en-US", found.Locale);
        Assert.Equal(time.GetUtcNow(), found.UpdatedAt);
        Assert.Null(await store.FindAsync("webchat", "29:u"));
    }

    [Fact]
    public async Task A_conversation_reference_written_without_a_locale_keeps_the_one_it_had()
    {
        var store = new ConversationReferenceStore(database.Database);
        await store.UpsertAsync(new ConversationReference("webchat", "u", "conv-1", "https://one.example/", "{}", "{}", "en-GB", time.GetUtcNow()));
        time.Advance(TimeSpan.FromHours(1));

        await store.UpsertAsync(new ConversationReference("webchat", "u", "conv-2", "https://one.example/", "{}", "{}", null, time.GetUtcNow()));

        var found = await store.FindAsync("webchat", "u");
        Assert.Equal(("conv-2", "en-GB"), (found!.ConversationId, found.Locale));
    }
}
