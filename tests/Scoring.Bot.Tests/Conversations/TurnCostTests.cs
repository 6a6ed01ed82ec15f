namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// What a chat turn costs beside its reads and writes: every message pays it, some inside the single writer (the bench
/// answers about 25,000 a second). Measured as the bytes the turn allocates on its thread, the least of many turns.
/// </summary>
public sealed class TurnCostTests
{
    private static async Task<long> LeastAllocatedAsync(ChatWorld world, string who, string text)
    {
        for (var i = 0; i < 50; i++) await world.SayAsync(who, text); // past the JIT's first tiers and the caches' first loads
        var least = long.MaxValue;
        for (var i = 0; i < 30; i++)
        {
            var message = world.Message(who, text);
            var before = GC.GetAllocatedBytesForCurrentThread();
            await world.Handler.HandleAsync(message, true, CancellationToken.None);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }

    [Fact]
    public async Task A_landlord_asking_积分_costs_no_more_than_the_score_it_reads_and_the_menu_it_shows()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var allocated = await LeastAllocatedAsync(world, "landlord-1", "积分");

        // 15,560 bytes when the menu's buttons were worked out from the rules on every reply (a params array, a delegate,
        // a closure and a scan of the rule set per button, LINQ to find the version in force), 13,664 since: the rest is
        // the score read and the reply. The bound leaves room for a runtime's differences, not for that again.
        Assert.True(allocated < 14_300, $"{allocated} bytes");
    }
}
