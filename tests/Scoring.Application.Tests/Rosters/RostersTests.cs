using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Application.Tests.Rosters;

/// <summary>What landlords and shop heads do to their own roster in chat: 登记 a tenant, list and change their shops.</summary>
public sealed class RostersTests
{
    private static Application.Rosters RostersOf(TestWorld world) => new(world.Db, world.Clock);

    [Fact]
    public async Task A_landlord_registers_a_new_tenant_with_room_and_phone()
    {
        await using var world = await TestWorld.CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        var outcome = await RostersOf(world).RegisterTenantAsync(landlord, " 陈小红 ", "203", "136 1234 5678");

        Assert.True(outcome.Succeeded, outcome.Failure?.English);
        Assert.Equal(("陈小红", "203", "13612345678", "landlord-1"), (outcome.Value!.Name, outcome.Value.Room, outcome.Value.Phone, outcome.Value.SubjectId));
        var tenants = await world.Db.ReadAsync(s => s.ListTenantsAsync("landlord-1"));
        Assert.Contains(tenants, t => t.Id == outcome.Value.Id && t.Active);
    }

    [Theory]
    [InlineData("王小明", "tenant-exists")] // already a tenant of landlord-1
    [InlineData("", "name-empty")]
    [InlineData("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", "name-too-long")]
    public async Task A_tenant_is_refused_with_a_reason_the_chat_can_say(string name, string code)
    {
        await using var world = await TestWorld.CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));

        var outcome = await RostersOf(world).RegisterTenantAsync(landlord, name, null, null);

        Assert.Equal(code, outcome.Failure?.Code);
        Assert.NotEmpty(outcome.Failure!.Chinese);
    }

    [Fact]
    public async Task The_same_name_may_come_back_once_the_old_tenant_has_left()
    {
        await using var world = await TestWorld.CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var left = await world.Db.ReadAsync(async s => (await s.GetTenantAsync("landlord-1-t1"))!);
        await world.Db.WriteAsync(s => s.UpdateTenantAsync(left with { Active = false }));

        var outcome = await RostersOf(world).RegisterTenantAsync(landlord, "王小明", "101", null);

        Assert.True(outcome.Succeeded, outcome.Failure?.English);
    }

    [Fact]
    public async Task A_change_saying_active_for_a_tenant_on_the_list_keeps_when_they_were_listed_and_one_put_back_is_listed_from_then()
    {
        await using var world = await TestWorld.CreateAsync();
        var rosters = RostersOf(world);
        var secretary = await world.StaffAsync("secretary-fangtang");
        var onList = (await rosters.AddTenantAsync(secretary, "landlord-1", new HoldingDraft(Name: "赵六", Room: "103"))).Value!;
        Assert.True((await rosters.DeactivateTenantAsync(secretary, "landlord-1-t1")).Succeeded);
        var takenOff = world.Clock.GetUtcNow();
        world.Clock.Advance(TimeSpan.FromDays(1));

        var renamed = await rosters.UpdateTenantAsync(secretary, onList.Id, new HoldingDraft(Name: "赵六六", Active: true));
        var back = await rosters.UpdateTenantAsync(secretary, "landlord-1-t1", new HoldingDraft(Room: "105", Active: true));

        Assert.True(renamed.Succeeded && back.Succeeded, renamed.Failure?.English ?? back.Failure?.English);
        var (stillListed, putBack) = await world.Db.ReadAsync(async s => ((await s.GetTenantAsync(onList.Id))!, (await s.GetTenantAsync("landlord-1-t1"))!));
        Assert.Equal((true, onList.ListedAt, "赵六六"), (stillListed.Active, stillListed.ListedAt, stillListed.Name));
        Assert.Equal((true, world.Clock.GetUtcNow(), takenOff, "105"), (putBack.Active, putBack.ListedAt, putBack.UnlistedAt, putBack.Room));
    }

    [Fact]
    public async Task Only_an_active_landlord_registers_tenants()
    {
        await using var world = await TestWorld.CreateAsync();
        var rosters = RostersOf(world);
        var shopHead = Actor.Of(await world.SubjectAsync("shophead-1"));
        var secretary = Actor.Of(await world.StaffAsync("secretary-fangtang"));
        var landlord = await world.SubjectAsync("landlord-2");
        await world.Db.WriteAsync(s => s.UpdateSubjectAsync(landlord with { Active = false }, world.Clock.GetUtcNow()));

        Assert.Equal("forbidden", (await rosters.RegisterTenantAsync(shopHead, "某人", null, null)).Failure?.Code);
        Assert.Equal("forbidden", (await rosters.RegisterTenantAsync(secretary, "某人", null, null)).Failure?.Code);
        Assert.Equal("person-inactive", (await rosters.RegisterTenantAsync(Actor.Of(landlord), "某人", null, null)).Failure?.Code);
    }

    [Fact]
    public async Task A_registration_inside_a_callers_unit_of_work_commits_with_it()
    {
        await using var world = await TestWorld.CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-2"));
        var rosters = RostersOf(world);

        var outcome = await world.Db.WriteAsync(s => rosters.RegisterTenantAsync(s, landlord, "新租客", null, null));

        Assert.True(outcome.Succeeded);
        Assert.Contains(await world.Db.ReadAsync(s => s.ListTenantsAsync("landlord-2")), t => t.Name == "新租客");
    }

    [Fact]
    public async Task A_shop_head_lists_adds_renames_and_closes_shops()
    {
        await using var world = await TestWorld.CreateAsync();
        var head = Actor.Of(await world.SubjectAsync("shophead-2"));
        var rosters = RostersOf(world);

        var before = await rosters.ListShopsAsync(head);
        var added = await rosters.AddShopAsync(head, "长春文具");
        var renamed = await rosters.RenameShopAsync(head, "长春五金", "长春五金总店");
        var closed = await rosters.CloseShopAsync(head, added.Value!.Id);
        var after = await rosters.ListShopsAsync(head);

        Assert.Equal(["小商品批发", "长春五金"], before.Value!.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal("长春五金总店", renamed.Value!.Name);
        Assert.False(closed.Value!.Active);
        Assert.Equal(["小商品批发", "长春五金总店"], after.Value!.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal("shop-not-found", (await rosters.CloseShopAsync(head, "不存在的店")).Failure?.Code);
        Assert.Equal("forbidden", (await rosters.ListShopsAsync(Actor.Of(await world.SubjectAsync("landlord-1")))).Failure?.Code);
    }

    [Fact]
    public async Task A_shop_head_answers_for_at_most_the_streets_shop_limit()
    {
        await using var world = await TestWorld.CreateAsync();
        var head = Actor.Of(await world.SubjectAsync("shophead-1")); // three shops
        var rosters = RostersOf(world);
        var street = await world.Db.ReadAsync(async s => (await s.GetStreetAsync("houzhai"))!);
        await world.Db.WriteAsync(s => s.UpdateSettingsAsync("houzhai", street.Settings with { ShopLimit = 4 }));

        var fourth = await rosters.AddShopAsync(head, "第四家");
        var fifth = await rosters.AddShopAsync(head, "第五家");
        var again = await rosters.AddShopAsync(head, "第四家");

        Assert.True(fourth.Succeeded);
        Assert.Equal("shop-limit", fifth.Failure?.Code);
        Assert.Equal("shop-exists", again.Failure?.Code);
    }

    [Fact]
    public async Task A_shop_head_brought_back_onto_the_roster_with_more_shops_than_the_street_s_limit_is_refused_naming_it()
    {
        // Off the roster, their three open shops did not hold the limit down; back on it, they would answer for more than it.
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var rosters = RostersOf(world);
        Assert.True((await rosters.DeactivateSubjectAsync(officer, "shophead-1")).Succeeded); // three shops
        var lowered = await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(officer, "houzhai", new SettingsDraft(ShopLimit: 2));
        Assert.True(lowered.Succeeded, lowered.Failure?.English);

        var back = await rosters.UpdateSubjectAsync(officer, "shophead-1", new SubjectDraft(Active: true));

        Assert.Equal(("shop-limit", FailureKind.Conflict), (back.Failure?.Code, back.Failure?.Kind));
        Assert.Contains("limit of 2", back.Failure!.English, StringComparison.Ordinal);
        Assert.Contains("上限2家", back.Failure.Chinese, StringComparison.Ordinal);
        Assert.False((await world.SubjectAsync("shophead-1")).Active);
        // At the limit is within it: with one shop closed they come back.
        await world.Db.WriteAsync(async s => await s.UpdateShopAsync((await s.ListShopsAsync("shophead-1"))[0] with { Active = false }));
        var within = await rosters.UpdateSubjectAsync(officer, "shophead-1", new SubjectDraft(Active: true));
        Assert.True(within.Succeeded, within.Failure?.English);
    }

    [Fact]
    public async Task A_shop_limit_lowered_on_one_instance_holds_at_once_on_another()
    {
        await using var world = await TestWorld.CreateAsync();
        await using var otherDb = world.AnotherDatabase();
        var there = new Application.Rosters(otherDb, world.Clock);
        var head = Actor.Of(await world.SubjectAsync("shophead-1")); // three shops
        await otherDb.ReadAsync(s => s.GetStreetAsync("houzhai")); // the other instance has the street (limit 10) in its cache

        var lowered = await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(await world.StaffAsync("officer-1"), "houzhai", new SettingsDraft(ShopLimit: 3));
        var fourth = await there.AddShopAsync(head, "第四家");

        Assert.True(lowered.Succeeded, lowered.Failure?.English);
        Assert.Equal("shop-limit", fourth.Failure?.Code);
    }

    [Fact]
    public async Task An_officer_gives_a_grid_worker_grids_of_their_community_and_a_move_to_another_community_clears_them()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var rosters = RostersOf(world);

        var given = await rosters.UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ["fangtang-1", " fangtang-1 "]));
        var stored = (await world.StaffAsync("gridworker-1")).GridIds;
        var elsewhere = await rosters.UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ["changchun-auto"]));
        var toSecretary = await rosters.CreateStaffAsync(officer, "houzhai", new StaffDraft(Role: "secretary", Community: "fangtang", Name: "新书记", Grids: ["fangtang-1"]));
        var moved = await rosters.UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Community: "changchun"));

        Assert.Equal(["fangtang-1"], given.Value!.GridIds);
        Assert.Equal(["fangtang-1"], stored);
        Assert.Equal("grid-unknown", elsewhere.Failure?.Code);
        Assert.Equal("grids-for-grid-workers", toSecretary.Failure?.Code);
        Assert.Empty(moved.Value!.GridIds);
        Assert.Empty((await world.StaffAsync("gridworker-1")).GridIds);
    }

    [Fact]
    public async Task A_grid_is_given_by_the_name_the_roster_file_wrote_in_its_grid_column_as_well_as_by_its_id()
    {
        // A roster's 网格 column names grids (方塘村1号楼); the grids it creates get ids nobody typed.
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var rosters = RostersOf(world);
        await world.Db.WriteAsync(s => s.InsertGridAsync(new Grid { Id = "k3x9q2m7ab", CommunityId = "fangtang", Name = "方塘村2号楼" }));

        var worker = await rosters.UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ["方塘村1号楼", "k3x9q2m7ab", " 方塘村2号楼 "]));
        var landlord = await rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Grid: "方塘村2号楼"));
        var otherCommunity = await rosters.UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ["汽配专业街"]));

        Assert.True(worker.Succeeded, worker.Failure?.English);
        Assert.Equal(["fangtang-1", "k3x9q2m7ab"], worker.Value!.GridIds);
        Assert.True(landlord.Succeeded, landlord.Failure?.English);
        Assert.Equal("k3x9q2m7ab", landlord.Value!.Subject.GridId);
        Assert.Equal("grid-unknown", otherCommunity.Failure?.Code); // 长春社区's grid, by name, is not fangtang's
    }

    [Fact]
    public async Task Two_active_grids_of_one_name_in_a_community_are_told_apart_by_id_only()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        await world.Db.WriteAsync(s => s.InsertGridAsync(new Grid { Id = "fangtang-1b", CommunityId = "fangtang", Name = "方塘村1号楼" }));

        var byName = await RostersOf(world).UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ["方塘村1号楼"]));
        var byId = await RostersOf(world).UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ["fangtang-1b"]));

        Assert.Equal("grid-ambiguous", byName.Failure?.Code);
        Assert.Contains("fangtang-1b", byName.Failure!.English);
        Assert.Equal(["fangtang-1b"], byId.Value!.GridIds);
    }

    [Fact]
    public async Task A_grid_worker_is_given_at_most_40_grids_so_their_ids_fit_the_column_that_holds_them()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        // Ids of the longest a person may choose (40): 41 of them with their spaces exceed the 2000 characters SQL Server keeps.
        var ids = Enumerable.Range(0, 50).Select(i => $"fangtang-{i:D2}-".PadRight(40, 'x')).ToList();
        await world.Db.WriteAsync(async s =>
        {
            foreach (var id in ids) await s.InsertGridAsync(new Grid { Id = id, CommunityId = "fangtang", Name = id });
        });

        var tooMany = await RostersOf(world).UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ids));
        var forty = await RostersOf(world).UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ids.Take(40).ToList()));

        Assert.Equal("too-many-grids", tooMany.Failure?.Code);
        Assert.True(forty.Succeeded, forty.Failure?.English);
        Assert.True(string.Join(' ', forty.Value!.GridIds).Length <= 2000);
    }

    [Fact]
    public async Task A_grid_worker_s_staff_record_sent_back_as_read_is_saved_after_one_of_their_grids_was_deactivated()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var rosters = RostersOf(world);
        await world.Db.WriteAsync(s => s.InsertGridAsync(new Grid { Id = "fangtang-2", CommunityId = "fangtang", Name = "方塘村2号楼" }));
        await rosters.UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ["fangtang-1", "fangtang-2"]));
        Assert.True((await rosters.DeactivateGridAsync(officer, "fangtang-2")).Succeeded);
        var read = await world.StaffAsync("gridworker-1");

        // The officer edits the phone and sends the record back as it was read, grids included.
        var saved = await rosters.UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Name: read.Name, Phone: "13900000077", Grids: [.. read.GridIds]));
        var newlyGiven = await rosters.UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ["fangtang-1", "fangtang-2", "fangtang-2"]));
        var onlyActive = await rosters.UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ["fangtang-1"]));
        var inactiveAgain = await rosters.UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ["fangtang-1", "fangtang-2"]));

        Assert.True(saved.Succeeded, saved.Failure?.English);
        Assert.Equal(["fangtang-1", "fangtang-2"], saved.Value!.GridIds);
        Assert.Equal("13900000077", saved.Value.Phone);
        Assert.True(newlyGiven.Succeeded, newlyGiven.Failure?.English);
        Assert.Equal(["fangtang-1"], onlyActive.Value!.GridIds);
        Assert.Equal("grid-unknown", inactiveAgain.Failure?.Code); // a deactivated grid is never newly given
    }

    [Fact]
    public async Task A_landlord_s_record_sent_back_as_read_is_saved_after_their_grid_was_deactivated()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var rosters = RostersOf(world);
        await world.Db.WriteAsync(s => s.InsertGridAsync(new Grid { Id = "fangtang-2", CommunityId = "fangtang", Name = "方塘村2号楼" }));
        Assert.True((await rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Grid: "fangtang-2"))).Succeeded);
        Assert.True((await rosters.DeactivateGridAsync(officer, "fangtang-2")).Succeeded);
        var read = (await rosters.GetSubjectAsync(officer, "landlord-1")).Value!.Subject;

        // The officer edits the phone and sends the record back as it was read, grid included.
        var saved = await rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Name: read.Name, Phone: "13900000077", Grid: read.GridId));
        var newlyGiven = await rosters.UpdateSubjectAsync(officer, "landlord-2", new SubjectDraft(Grid: "fangtang-2"));

        Assert.True(saved.Succeeded, saved.Failure?.English);
        Assert.Equal(("fangtang-2", "13900000077"), (saved.Value!.Subject.GridId, saved.Value.Subject.Phone));
        Assert.Equal("grid-unknown", newlyGiven.Failure?.Code); // a deactivated grid is never newly given
    }

    /// <summary>Takes 长春社区's landlords and shop heads off the roster and deactivates it (only an empty community closes).</summary>
    private static async Task CloseChangchunAsync(Application.Rosters rosters, StaffMember officer)
    {
        foreach (var id in new[] { "landlord-4", "landlord-5", "shophead-1", "shophead-2" })
            Assert.True((await rosters.DeactivateSubjectAsync(officer, id)).Succeeded);
        Assert.True((await rosters.DeactivateCommunityAsync(officer, "changchun")).Succeeded);
    }

    [Fact]
    public async Task A_secretary_of_a_deactivated_community_is_still_taken_off_duty()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var rosters = RostersOf(world);
        await CloseChangchunAsync(rosters, officer);

        var offDuty = await rosters.DeactivateStaffAsync(officer, "secretary-changchun");
        var intoIt = await rosters.UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Community: "changchun"));

        Assert.True(offDuty.Succeeded, offDuty.Failure?.English);
        Assert.False((await world.StaffAsync("secretary-changchun")).Active);
        Assert.Equal("community-unknown", intoIt.Failure?.Code); // nobody is newly placed in a deactivated community
    }

    [Fact]
    public async Task A_landlord_of_a_deactivated_community_is_not_taken_back_onto_the_lists_there()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var rosters = RostersOf(world);
        await CloseChangchunAsync(rosters, officer);

        var back = await rosters.UpdateSubjectAsync(officer, "landlord-4", new SubjectDraft(Active: true));
        var stillOff = (await world.SubjectAsync("landlord-4")).Active;
        var movedBack = await rosters.UpdateSubjectAsync(officer, "landlord-4", new SubjectDraft(Community: "fangtang", Active: true));

        Assert.Equal("community-inactive", back.Failure?.Code);
        Assert.False(stillOff);
        Assert.True(movedBack.Succeeded, movedBack.Failure?.English); // moved to an active community, they are back
        Assert.Equal(("fangtang", true), (movedBack.Value!.Subject.CommunityId, movedBack.Value.Subject.Active));
    }

    [Fact]
    public async Task A_landlord_taken_off_brought_back_and_taken_off_again_counts_only_in_the_weeks_they_were_on_the_roster()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var rosters = RostersOf(world);

        Assert.True((await rosters.DeactivateSubjectAsync(officer, "landlord-2")).Succeeded); // Wednesday of W47
        world.Clock.Advance(TimeSpan.FromDays(14));
        Assert.True((await rosters.UpdateSubjectAsync(officer, "landlord-2", new SubjectDraft(Active: true))).Succeeded); // W49
        world.Clock.Advance(TimeSpan.FromDays(14));
        Assert.True((await rosters.DeactivateSubjectAsync(officer, "landlord-2")).Succeeded); // W51
        world.Clock.Advance(TimeSpan.FromDays(14));

        Assert.Equal([47, 49, 50, 51], await world.WeeksRankingAsync("landlord-2", 47, 48, 49, 50, 51, 52));
    }

    [Fact]
    public async Task A_refusal_of_an_unknown_grid_or_community_quotes_what_was_typed_clipped()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var rosters = RostersOf(world);
        var pasted = new string('x', 5000);

        var grid = await rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Grid: pasted));
        var community = await rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Community: pasted));
        var staff = await rosters.CreateStaffAsync(officer, "houzhai", new StaffDraft(Role: "secretary", Community: pasted, Name: "新书记"));

        foreach (var refusal in new[] { grid.Failure, community.Failure, staff.Failure })
        {
            Assert.NotNull(refusal);
            Assert.InRange(refusal.English.Length, 1, 300);
            Assert.InRange(refusal.Chinese.Length, 1, 300);
        }
    }

    [Theory]
    [InlineData("20\u200b3", null, "room-control")]
    [InlineData(null, "\u202e南湖", "origin-control")]   // was told "origin-too-long"
    [InlineData(null, "湖南\u0007", "origin-control")]
    public async Task A_tenant_s_room_or_origin_with_control_or_invisible_characters_is_refused_saying_which(string? room, string? origin, string code)
    {
        await using var world = await TestWorld.CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");

        var outcome = await RostersOf(world).AddTenantAsync(secretary, "landlord-1", new HoldingDraft(Name: "陈小红", Room: room, Origin: origin));

        Assert.Equal(code, outcome.Failure?.Code);
    }

    [Fact]
    public async Task Changing_a_tenant_off_the_list_without_putting_them_back_is_refused_as_for_a_shop_and_changes_nothing()
    {
        // A body without "active" on a tenant the roster took off answered 200 and dropped the expected day back and the room:
        // the reminder the office set would never come.
        await using var world = await TestWorld.CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var rosters = RostersOf(world);
        Assert.True((await rosters.DeactivateTenantAsync(secretary, "landlord-1-t1")).Succeeded);

        var changed = await rosters.UpdateTenantAsync(secretary, "landlord-1-t1", new HoldingDraft(ExpectedReturn: "2026-12-01", Room: "909"));
        var offAgain = await rosters.UpdateTenantAsync(secretary, "landlord-1-t1", new HoldingDraft(Active: false));

        Assert.Equal(("tenant-inactive", FailureKind.Conflict), (changed.Failure?.Code, changed.Failure?.Kind));
        Assert.Contains("active: true", changed.Failure!.English, StringComparison.Ordinal);
        Assert.True(offAgain.Succeeded, offAgain.Failure?.English);
        var kept = await world.Db.ReadAsync(async s => (await s.GetTenantAsync("landlord-1-t1"))!);
        Assert.Equal(("101", (DateTimeOffset?)null, false), (kept.Room, kept.ExpectedReturn, kept.Active));
    }

    [Fact]
    public async Task An_officer_may_not_raise_a_secretary_to_officer_whose_credentials_only_an_admin_issues_and_her_token_stays_a_secretary_s()
    {
        // The officer could issue her token as a secretary; raised by that officer, it would be an officer's credential
        // an officer minted.
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var tokens = new StaffTokens(world.Db, world.Clock);
        var token = (await tokens.IssueAsync(officer, "secretary-fangtang")).Value!;

        var raised = await RostersOf(world).UpdateStaffAsync(officer, "secretary-fangtang", new StaffDraft(Role: "officer"));
        var actingAs = await tokens.AuthenticateAsync(token);

        Assert.Equal(FailureKind.Forbidden, raised.Failure?.Kind);
        Assert.Contains("管理员", raised.Failure!.Chinese, StringComparison.Ordinal);
        Assert.Equal(StaffRole.Secretary, actingAs?.Role);
    }

    [Fact]
    public async Task A_role_change_takes_back_the_member_s_tokens_and_unused_codes_issued_for_the_old_role_and_the_street_s_record_says_so()
    {
        // An admin raises a secretary whose token and code an officer issued: neither may act as the new officer.
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var admin = new StaffMember { Id = "admin-1", StreetId = "houzhai", Role = StaffRole.Admin, Name = "管理员" };
        var tokens = new StaffTokens(world.Db, world.Clock);
        var token = (await tokens.IssueAsync(officer, "secretary-fangtang")).Value!;
        var code = (await world.Enrolment.IssueAsync(officer, "staff", "secretary-fangtang")).Value!;

        var raised = await RostersOf(world).UpdateStaffAsync(admin, "secretary-fangtang", new StaffDraft(Role: "officer"));
        var actingAs = await tokens.AuthenticateAsync(token);
        var bound = await world.Enrolment.BindAsync("wecom", "someone", code.Code);
        var record = (await new StaffActions(world.Db).ReadAsync(admin, "houzhai", 10, null)).Value!.Items;

        Assert.True(raised.Succeeded, raised.Failure?.English);
        Assert.Null(actingAs);
        Assert.False(bound.Succeeded);
        Assert.Contains(record, a => a.Action == StaffActions.TokensRevoked && a.TargetId == "secretary-fangtang" && a.ActorId == "admin-1");
        // A change that keeps the role keeps them: a new phone is no reason to sign in again.
        var renewed = (await tokens.IssueAsync(admin, "secretary-fangtang")).Value!;
        Assert.True((await RostersOf(world).UpdateStaffAsync(admin, "secretary-fangtang", new StaffDraft(Phone: "13900000077"))).Succeeded);
        Assert.NotNull(await tokens.AuthenticateAsync(renewed));
    }
    [Fact]
    public async Task A_raise_unbinds_the_member_s_chat_accounts_so_an_account_her_officer_bound_with_her_code_no_longer_speaks_for_her()
    {
        // The officer could issue her code as a secretary's and bind a phone of their own with it: raised, that phone
        // would be an officer's chat identity in an officer's hands. Which phone typed a code is not knowable, so every
        // account of hers is unbound, on record, and she binds again with a code from whoever may issue it now.
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var admin = new StaffMember { Id = "admin-1", StreetId = "houzhai", Role = StaffRole.Admin, Name = "管理员" };
        var code = (await world.Enrolment.IssueAsync(officer, "staff", "secretary-fangtang")).Value!;
        Assert.True((await world.Enrolment.BindAsync("wecom", "officer-s-second-phone", code.Code)).Succeeded);

        var raised = await RostersOf(world).UpdateStaffAsync(admin, "secretary-fangtang", new StaffDraft(Role: "officer"));
        var record = (await new StaffActions(world.Db).ReadAsync(admin, "houzhai", 10, null)).Value!.Items;

        Assert.True(raised.Succeeded, raised.Failure?.English);
        Assert.Null(await world.Enrolment.IdentifyAsync("wecom", "officer-s-second-phone"));
        Assert.Contains(record, a => a.Action == StaffActions.AccountUnbound && a.TargetId == "secretary-fangtang" && a.ActorId == "admin-1" && a.Detail == "role changed; wecom:officer-s-second-phone");
        Assert.Contains(record, a => a.Action == StaffActions.TokensRevoked && a.TargetId == "secretary-fangtang" && a.Detail == "1; role changed; 0 unused code(s) voided; 1 chat account(s) unbound"); // the demo street's token
    }

    [Fact]
    public async Task A_grid_worker_moved_to_another_community_loses_the_credentials_his_secretary_issued_and_a_move_between_grids_keeps_them()
    {
        // A grid worker's credentials are his community's secretary's to issue: moved, they would act in a community not hers.
        await using var world = await TestWorld.CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var officer = await world.StaffAsync("officer-1");
        var tokens = new StaffTokens(world.Db, world.Clock);
        var token = (await tokens.IssueAsync(secretary, "gridworker-1")).Value!;
        var boundWith = (await world.Enrolment.IssueAsync(secretary, "staff", "gridworker-1")).Value!;
        Assert.True((await world.Enrolment.BindAsync("wecom", "his-phone", boundWith.Code)).Succeeded);
        var unused = (await world.Enrolment.IssueAsync(secretary, "staff", "gridworker-1")).Value!;

        var regridded = await RostersOf(world).UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Grids: ["fangtang-1"]));
        var keptToken = await tokens.AuthenticateAsync(token);
        var keptAccount = await world.Enrolment.IdentifyAsync("wecom", "his-phone");
        var moved = await RostersOf(world).UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Community: "changchun"));
        var record = (await new StaffActions(world.Db).ReadAsync(officer, "houzhai", 20, null)).Value!.Items;

        Assert.True(regridded.Succeeded, regridded.Failure?.English);
        Assert.NotNull(keptToken);
        Assert.NotNull(keptAccount);
        Assert.True(moved.Succeeded, moved.Failure?.English);
        Assert.Null(await tokens.AuthenticateAsync(token));
        Assert.Null(await world.Enrolment.IdentifyAsync("wecom", "his-phone"));
        Assert.False((await world.Enrolment.BindAsync("wecom", "someone", unused.Code)).Succeeded);
        Assert.Contains(record, a => a.Action == StaffActions.TokensRevoked && a.TargetId == "gridworker-1" && a.Detail == "2; community changed; 1 unused code(s) voided; 1 chat account(s) unbound"); // and the demo street's token
    }

    [Fact]
    public async Task Creating_a_staff_member_as_an_officer_is_an_admin_s_as_a_raise_is()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var admin = new StaffMember { Id = "admin-1", StreetId = "houzhai", Role = StaffRole.Admin, Name = "管理员" };

        var byOfficer = await RostersOf(world).CreateStaffAsync(officer, "houzhai", new StaffDraft(Role: "officer", Name: "新街道干部"));
        var byAdmin = await RostersOf(world).CreateStaffAsync(admin, "houzhai", new StaffDraft(Role: "officer", Name: "新街道干部"));

        Assert.Equal(FailureKind.Forbidden, byOfficer.Failure?.Kind);
        Assert.Contains("管理员", byOfficer.Failure!.Chinese, StringComparison.Ordinal);
        Assert.Equal(StaffRole.Officer, byAdmin.Value?.Role);
    }

    [Fact]
    public async Task Off_duty_and_a_new_role_in_one_change_records_the_tokens_it_took_back_and_both_causes()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var tokens = new StaffTokens(world.Db, world.Clock);
        await tokens.IssueAsync(officer, "gridworker-1");

        var changed = await RostersOf(world).UpdateStaffAsync(officer, "gridworker-1", new StaffDraft(Role: "secretary", Active: false));
        var record = (await new StaffActions(world.Db).ReadAsync(officer, "houzhai", 10, null)).Value!.Items;

        Assert.True(changed.Succeeded, changed.Failure?.English);
        Assert.Contains(record, a => a.Action == StaffActions.TokensRevoked && a.TargetId == "gridworker-1" && a.Detail == "2; off duty; role changed; 1 unused code(s) voided; 0 chat account(s) unbound"); // and the demo street's token and code
    }

    [Fact]
    public async Task A_staff_record_given_another_name_and_another_phone_is_refused_as_another_person_and_a_misspelt_name_is_still_corrected()
    {
        // Handing 金永平's post to 李新书记 on her record would leave 金永平's token and chat account acting under the
        // successor's name, and every decision of hers read as his: a new person is a new staff member.
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var tokens = new StaffTokens(world.Db, world.Clock);
        var token = (await tokens.IssueAsync(officer, "secretary-fangtang")).Value!;
        Assert.True((await world.Enrolment.BindAsync("wechat", "her-phone", (await world.Enrolment.IssueAsync(officer, "staff", "secretary-fangtang")).Value!.Code)).Succeeded);

        var successor = await RostersOf(world).UpdateStaffAsync(officer, "secretary-fangtang", new StaffDraft(Name: "李新书记", Phone: "13800009999"));
        var unchanged = await world.StaffAsync("secretary-fangtang");
        var misspelt = await RostersOf(world).UpdateStaffAsync(officer, "secretary-fangtang", new StaffDraft(Name: "金咏平"));

        Assert.Equal(("staff-person-changed", FailureKind.Conflict), (successor.Failure?.Code, successor.Failure?.Kind));
        Assert.Contains("off duty", successor.Failure!.English, StringComparison.Ordinal);
        Assert.Contains("停用", successor.Failure.Chinese, StringComparison.Ordinal);
        Assert.Equal(("金永平", "13800000002"), (unchanged.Name, unchanged.Phone));
        Assert.True(misspelt.Succeeded, misspelt.Failure?.English);
        Assert.Equal("金咏平", (await tokens.AuthenticateAsync(token))?.Name);
        Assert.Equal("金咏平", (await world.Enrolment.IdentifyAsync("wechat", "her-phone"))?.Staff?.Name);
    }

    [Fact]
    public async Task Going_off_duty_voids_her_unused_enrolment_code_as_it_revokes_her_tokens_so_it_binds_nobody_once_she_is_back()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        Assert.True((await world.Enrolment.BindAsync("wechat", "her-phone", (await world.Enrolment.IssueAsync(officer, "staff", "secretary-fangtang")).Value!.Code)).Succeeded);
        var slip = (await world.Enrolment.IssueAsync(officer, "staff", "secretary-fangtang")).Value!;

        Assert.True((await RostersOf(world).UpdateStaffAsync(officer, "secretary-fangtang", new StaffDraft(Active: false))).Succeeded);
        world.Clock.Advance(TimeSpan.FromDays(2));
        Assert.True((await RostersOf(world).UpdateStaffAsync(officer, "secretary-fangtang", new StaffDraft(Active: true))).Succeeded);
        var bound = await world.Enrolment.BindAsync("wechat", "whoever-kept-the-slip", slip.Code);
        var record = (await new StaffActions(world.Db).ReadAsync(officer, "houzhai", 10, null)).Value!.Items;

        Assert.Equal("code-replaced", bound.Failure?.Code);
        Assert.Contains(record, a => a.Action == StaffActions.TokensRevoked && a.TargetId == "secretary-fangtang" && a.Detail == "1; off duty; 1 unused code(s) voided"); // the demo street's token
        // Her own account stays bound, without powers while she is off duty, as README's table says; back, it is hers again.
        Assert.Equal("secretary-fangtang", (await world.Enrolment.IdentifyAsync("wechat", "her-phone"))?.Staff?.Id);
    }

    [Fact]
    public async Task A_new_person_on_the_phone_of_someone_off_the_roster_is_told_how_to_free_it_and_may_be_entered_once_it_is()
    {
        // "Reactivate them instead" was the whole answer: right for the same person, no way forward for someone new on
        // their old number but an invented one (the phone could not be cleared).
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var rosters = RostersOf(world);
        Assert.True((await rosters.DeactivateSubjectAsync(officer, "landlord-1")).Succeeded);
        var draft = new SubjectDraft(Kind: "landlord", Community: "fangtang", Name: "陈新人", Phone: "13900000001");

        var refused = await rosters.CreateSubjectAsync(officer, "houzhai", draft);
        var freed = await rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Phone: ""));
        var created = await rosters.CreateSubjectAsync(officer, "houzhai", draft);

        Assert.Equal("phone-taken", refused.Failure?.Code);
        Assert.Contains("PUT /api/subjects/landlord-1 {\"phone\":\"\"}", refused.Failure!.English);
        Assert.Contains("PUT /api/subjects/landlord-1 {\"phone\":\"\"}", refused.Failure.Chinese);
        Assert.True(freed.Succeeded, freed.Failure?.English);
        Assert.True(created.Succeeded, created.Failure?.English);
        var seller = await world.SubjectAsync("landlord-1");
        Assert.Equal(("应天乐", (string?)null, false), (seller.Name, seller.Phone, seller.Active));
    }

    [Fact]
    public async Task The_phone_of_someone_on_the_roster_is_never_cleared()
    {
        await using var world = await TestWorld.CreateAsync();
        var rosters = RostersOf(world);
        var officer = await world.StaffAsync("officer-1");

        var cleared = await rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Phone: ""));
        Assert.True((await rosters.DeactivateSubjectAsync(officer, "landlord-2")).Succeeded);
        var freedAndBack = await rosters.UpdateSubjectAsync(officer, "landlord-2", new SubjectDraft(Phone: "", Active: true));

        Assert.Equal(("phone-required", "phone-required"), (cleared.Failure?.Code, freedAndBack.Failure?.Code));
        Assert.Equal("13900000001", (await world.SubjectAsync("landlord-1")).Phone);
    }

    [Fact]
    public async Task A_second_person_on_the_phone_of_someone_on_the_roster_is_told_to_give_their_own_phone()
    {
        await using var world = await TestWorld.CreateAsync();

        var refused = await RostersOf(world).CreateSubjectAsync(await world.StaffAsync("officer-1"), "houzhai",
            new SubjectDraft(Kind: "landlord", Community: "fangtang", Name: "应天乐之妻", Phone: "13900000001", IdCard: "330102198001010018"));

        Assert.Equal("phone-taken", refused.Failure?.Code);
        Assert.Contains("own phone", refused.Failure!.English);
        Assert.Contains("本人的电话", refused.Failure.Chinese);
    }
}

