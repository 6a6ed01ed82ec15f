using Scoring.Domain;
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

    /// <summary>The street's record, oldest first, of the actions on these targets.</summary>
    private static async Task<List<(string Actor, string Action, string Target, string? Detail)>> RecordOfAsync(TestWorld world, params string[] targets) =>
        (await new StaffActions(world.Db).ReadAsync(await world.StaffAsync("officer-1"), "houzhai", StaffActions.MaxPage, null)).Value!.Items
            .Where(a => targets.Contains(a.TargetId)).Reverse().Select(a => (a.ActorId, a.Action, a.TargetId, a.Detail)).ToList();

    [Fact]
    public async Task A_landlord_moved_to_another_grid_or_renamed_is_on_the_record_by_the_fields_changed_not_their_values()
    {
        await using var world = await TestWorld.CreateAsync();
        await world.Db.WriteAsync(s => s.InsertGridAsync(new Grid { Id = "fangtang-2", CommunityId = "fangtang", Name = "方塘村2号楼" }));
        var rosters = new Application.Rosters(world.Db, world.Clock);
        var secretary = await world.StaffAsync("secretary-fangtang");

        Assert.True((await rosters.UpdateSubjectAsync(secretary, "landlord-1", new SubjectDraft(Grid: "fangtang-2"))).Succeeded);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await rosters.UpdateSubjectAsync(secretary, "landlord-1", new SubjectDraft(Name: "应天乐乐", Phone: "13900000077"))).Succeeded);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await rosters.UpdateSubjectAsync(secretary, "landlord-1", new SubjectDraft(Name: "应天乐乐"))).Succeeded); // nothing changed

        Assert.Equal(
        [
            ("secretary-fangtang", StaffActions.SubjectChanged, "landlord-1", "landlord; grid"),
            ("secretary-fangtang", StaffActions.SubjectChanged, "landlord-1", "landlord; name; phone"),
        ], await RecordOfAsync(world, "landlord-1"));
    }

    [Fact]
    public async Task Tenants_and_shops_added_changed_and_closed_are_on_the_record_without_phones()
    {
        await using var world = await TestWorld.CreateAsync();
        var rosters = new Application.Rosters(world.Db, world.Clock);
        var fangtang = await world.StaffAsync("secretary-fangtang");
        var changchun = await world.StaffAsync("secretary-changchun");

        var tenant = (await rosters.AddTenantAsync(fangtang, "landlord-1", new HoldingDraft(Name: "陈小红", Room: "203", Phone: "13612345678"))).Value!;
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await rosters.UpdateTenantAsync(fangtang, tenant.Id, new HoldingDraft(Room: "305", Phone: "13612345679"))).Succeeded);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await rosters.DeactivateTenantAsync(fangtang, tenant.Id)).Succeeded);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        var shop = (await rosters.AddShopAsync(changchun, "shophead-1", new HoldingDraft(Name: "五金三号店"))).Value!;
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await rosters.UpdateShopAsync(changchun, shop.Id, new HoldingDraft(Name: "五金三号店（新）"))).Succeeded);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await rosters.DeactivateShopAsync(changchun, shop.Id)).Succeeded);

        var record = await RecordOfAsync(world, tenant.Id, shop.Id);

        Assert.Equal(
        [
            ("secretary-fangtang", StaffActions.TenantAdded, tenant.Id, "landlord-1"),
            ("secretary-fangtang", StaffActions.TenantChanged, tenant.Id, "landlord-1; room; phone"),
            ("secretary-fangtang", StaffActions.TenantClosed, tenant.Id, "landlord-1"),
            ("secretary-changchun", StaffActions.ShopAdded, shop.Id, "shophead-1"),
            ("secretary-changchun", StaffActions.ShopChanged, shop.Id, "shophead-1; name"),
            ("secretary-changchun", StaffActions.ShopClosed, shop.Id, "shophead-1"),
        ], record);
        Assert.DoesNotContain(record, r => r.Detail!.Contains("136", StringComparison.Ordinal));
    }
}
