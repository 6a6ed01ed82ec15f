using Scoring.Application;
using Scoring.Storage;

namespace Scoring.Application.Tests;

public sealed class StaffActionsTests
{
    /// <summary>
    /// Three actions within one millisecond, as two requests (or an import's rows) can be: their ids share the
    /// millisecond and end in whatever random characters they drew — here the earliest drew the highest.
    /// </summary>
    private static async Task<DateTimeOffset[]> ThreeInOneMillisecondAsync(TestWorld world)
    {
        var at = world.Clock.GetUtcNow().AddHours(1);
        var floor = Ids.OrderedFloor(at);
        var written = new[] { (at.AddTicks(1_000), floor + "ZZZZZZZ", "first"), (at.AddTicks(5_000), floor + "M000000", "second"), (at.AddTicks(9_000), floor + "0000000", "third") };
        await world.Db.WriteAsync(async s =>
        {
            foreach (var (when, id, what) in written)
                await s.InsertStaffActionAsync(new StaffAction { Id = id, StreetId = "houzhai", At = when, ActorId = "officer-1", Action = StaffActions.TokenIssued,
                    TargetKind = "staff", TargetId = "secretary-fangtang", Detail = what });
        });
        return written.Select(w => w.Item1).ToArray();
    }

    [Fact]
    public async Task Actions_of_the_same_millisecond_read_newest_first_by_when_they_were_done()
    {
        await using var world = await TestWorld.CreateAsync();
        await ThreeInOneMillisecondAsync(world);

        var page = (await new StaffActions(world.Db).ReadAsync(await world.StaffAsync("officer-1"), "houzhai", 3, null)).Value!;

        Assert.Equal(["third", "second", "first"], page.Items.Select(a => a.Detail));
    }

    [Fact]
    public async Task Paging_one_at_a_time_through_one_millisecond_gives_each_action_once_in_order()
    {
        await using var world = await TestWorld.CreateAsync();
        await ThreeInOneMillisecondAsync(world);
        var actions = new StaffActions(world.Db);
        var officer = await world.StaffAsync("officer-1");

        var seen = new List<string?>();
        StaffActionCursor? next = null;
        for (int i = 0; i < 3; i++)
        {
            var page = (await actions.ReadAsync(officer, "houzhai", 1, next)).Value!;
            seen.AddRange(page.Items.Select(a => a.Detail));
            next = page.Next;
        }

        Assert.Equal(["third", "second", "first"], seen);
        Assert.Null(next); // the demo street was seeded without any: these three are the whole record
    }
}
