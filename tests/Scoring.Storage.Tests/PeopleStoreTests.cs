using Scoring.Domain;
using static Scoring.Storage.Tests.StorageWorld;

namespace Scoring.Storage.Tests;

public class PeopleStoreTests
{
    private static readonly DialectSql RawSubject = DialectSql.Both("SELECT kind, active FROM subjects WHERE id = @id");

    private sealed class RawSubjectRow { public string Kind { get; init; } = ""; public long Active { get; init; } }

    [Fact]
    public async Task A_subject_s_kind_is_stored_by_name_and_active_as_0_or_1_and_both_read_back()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai");
        var head = new Subject { Id = "shophead-1", StreetId = "houzhai", CommunityId = "houzhai-c", GridId = null, Kind = SubjectKind.ShopHead, Name = "王强生", Phone = "13900000011", Active = false };
        await world.Db.WriteAsync(s => s.InsertSubjectAsync(head, Wednesday));

        var back = await world.Db.ReadAsync(s => s.GetSubjectAsync("shophead-1"));
        var raw = (await world.Db.ReadAsync(s => s.FirstOrDefaultAsync<RawSubjectRow>(RawSubject, new { id = "shophead-1" })))!;

        Assert.Equal(head, back);
        Assert.Equal(("ShopHead", 0L), (raw.Kind, raw.Active));

        await world.Db.WriteAsync(s => s.UpdateSubjectAsync(head with { Active = true, Kind = SubjectKind.Landlord }, world.Clock.GetUtcNow()));
        Assert.Equal((SubjectKind.Landlord, true), await world.Db.ReadAsync(async s => { var x = (await s.GetSubjectAsync("shophead-1"))!; return (x.Kind, x.Active); }));
    }

    /// <summary>Whom the previous release's lists count in the week from <c>@weekStart</c> (0510 to 0560), as it reads them.</summary>
    private static readonly DialectSql PreviousReleaseCounts = DialectSql.Both(
        "SELECT COUNT(*) FROM subjects WHERE id = @id AND (active = 1 OR deactivated_at >= @weekStart)");

    [Fact]
    public async Task Someone_taken_off_the_roster_this_week_still_counts_in_it_on_an_instance_of_the_previous_release_during_a_rolling_deploy()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai");
        var landlord = new Subject { Id = "landlord-1", StreetId = "houzhai", CommunityId = "houzhai-c", Kind = SubjectKind.Landlord, Name = "应天乐", Phone = "13900000001" };
        var weekStart = new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.FromHours(8)); // Monday of 2026-W47, Wednesday's week
        await world.Db.WriteAsync(s => s.InsertSubjectAsync(landlord, weekStart - TimeSpan.FromDays(30)));
        // Off in W45, back in W46, off again on Wednesday of W47.
        await world.Db.WriteAsync(s => s.UpdateSubjectAsync(landlord with { Active = false }, Wednesday - TimeSpan.FromDays(14)));
        await world.Db.WriteAsync(s => s.UpdateSubjectAsync(landlord, Wednesday - TimeSpan.FromDays(7)));
        await world.Db.WriteAsync(s => s.UpdateSubjectAsync(landlord with { Active = false }, Wednesday));

        var counted = await world.Db.ReadAsync(s => s.ScalarAsync<long>(PreviousReleaseCounts, new { id = "landlord-1", weekStart }));

        Assert.Equal(1, counted);
    }

    private static readonly DialectSql PreviousReleaseChanges = DialectSql.Both(
        "UPDATE subjects SET active = @active, deactivated_at = CASE WHEN @active = 1 THEN NULL ELSE @at END WHERE id = @id");
    private static readonly DialectSql Spans = DialectSql.Both("SELECT subject_id AS SubjectId, left_at AS LeftAt, back_at AS BackAt FROM subject_absences ORDER BY subject_id");

    private sealed record Span(string SubjectId, DateTimeOffset? LeftAt, DateTimeOffset? BackAt);

    [Fact]
    public async Task Roster_changes_an_instance_of_the_previous_release_made_during_a_rolling_deploy_are_given_their_spans_on_start()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai");
        Subject Landlord(string id) => new() { Id = id, StreetId = "houzhai", CommunityId = "houzhai-c", Kind = SubjectKind.Landlord, Name = id, Phone = "1390000000" + id[^1] };
        await world.Db.WriteAsync(s => s.InsertSubjectAsync(Landlord("landlord-1"), Wednesday - TimeSpan.FromDays(30)));
        await world.Db.WriteAsync(s => s.InsertSubjectAsync(Landlord("landlord-2"), Wednesday - TimeSpan.FromDays(30)));
        await world.Db.WriteAsync(s => s.UpdateSubjectAsync(Landlord("landlord-2") with { Active = false }, Wednesday - TimeSpan.FromDays(10)));
        // An instance still on the previous release takes landlord-1 off and brings landlord-2 back: it knows no spans.
        await world.Db.WriteAsync(s => s.ExecuteAsync(PreviousReleaseChanges, new { id = "landlord-1", active = false, at = Wednesday - TimeSpan.FromDays(2) }));
        await world.Db.WriteAsync(s => s.ExecuteAsync(PreviousReleaseChanges, new { id = "landlord-2", active = true, at = (DateTimeOffset?)null }));

        var repaired = await world.Db.WriteAsync(s => s.ReconcileRosterSpansAsync(Wednesday));
        var again = await world.Db.WriteAsync(s => s.ReconcileRosterSpansAsync(Wednesday + TimeSpan.FromHours(1)));
        var spans = await world.Db.ReadAsync(s => s.QueryAsync<Span>(Spans, null));

        Assert.Equal((2, 0), (repaired, again));
        Assert.Equal(
            [new Span("landlord-1", Wednesday - TimeSpan.FromDays(2), null), new Span("landlord-2", Wednesday - TimeSpan.FromDays(10), Wednesday)],
            spans); // DateTimeOffset compares instants, whatever the offset read back
    }

    [Fact]
    public async Task Staff_roles_and_an_optional_community_read_back()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai");
        StaffMember[] staff =
        [
            new() { Id = "officer-1", StreetId = "houzhai", CommunityId = null, Role = StaffRole.Officer, Name = "孙立华" },
            new() { Id = "gridworker-1", StreetId = "houzhai", CommunityId = "houzhai-c", Role = StaffRole.GridWorker, Name = "钱晓东", Phone = "13800000004" },
        ];
        await world.Db.WriteAsync(async s => { foreach (var m in staff) await s.InsertStaffAsync(m); });

        var all = await world.Db.ReadAsync(s => s.ListStaffAsync("houzhai"));
        Assert.Equal(staff.OrderBy(m => m.Id, StringComparer.Ordinal), all);
    }

    [Fact]
    public async Task A_community_s_secretaries_are_its_active_ones_only()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai");
        await world.SeedStreetAsync("other");
        StaffMember[] staff =
        [
            new() { Id = "secretary-1", StreetId = "houzhai", CommunityId = "houzhai-c", Role = StaffRole.Secretary, Name = "周书记" },
            new() { Id = "secretary-2", StreetId = "houzhai", CommunityId = "houzhai-c", Role = StaffRole.Secretary, Name = "吴书记", Active = false },
            new() { Id = "gridworker-1", StreetId = "houzhai", CommunityId = "houzhai-c", Role = StaffRole.GridWorker, Name = "钱晓东" },
            new() { Id = "officer-1", StreetId = "houzhai", CommunityId = null, Role = StaffRole.Officer, Name = "孙立华" },
            new() { Id = "secretary-3", StreetId = "other", CommunityId = "other-c", Role = StaffRole.Secretary, Name = "郑书记" },
        ];
        await world.Db.WriteAsync(async s => { foreach (var m in staff) await s.InsertStaffAsync(m); });

        var secretaries = await world.Db.ReadAsync(s => s.ListSecretariesAsync("houzhai-c"));

        Assert.Equal(["secretary-1"], secretaries.Select(x => x.Id));
    }

    [Fact]
    public async Task The_shop_heads_owing_rounds_read_back_with_when_they_were_entered_or_brought_back()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.SeedStreetAsync("other");
        Subject Head(string id, string street, bool active = true) =>
            new() { Id = id, StreetId = street, CommunityId = street + "-c", Kind = SubjectKind.ShopHead, Name = "铺长" + id, Active = active };
        await world.Db.WriteAsync(async s =>
        {
            await s.InsertSubjectAsync(Head("shophead-2", "houzhai"), Wednesday.AddDays(1).AddTicks(1));
            await s.InsertSubjectAsync(Head("shophead-1", "houzhai"), Wednesday);
            await s.InsertSubjectAsync(Head("shophead-3", "houzhai", active: false), Wednesday);
            await s.InsertSubjectAsync(Head("shophead-4", "other"), Wednesday);
            await s.InsertSubjectAsync(Head("shophead-5", "houzhai"), Wednesday); // no shop left in their charge
            await s.InsertSubjectAsync(Head("shophead-6", "houzhai"), Wednesday);
            await s.UpdateSubjectAsync(Head("shophead-6", "houzhai", active: false), Wednesday.AddHours(1));
            await s.UpdateSubjectAsync(Head("shophead-6", "houzhai"), Wednesday.AddHours(8));
            foreach (var id in new[] { "shophead-1", "shophead-2", "shophead-3", "shophead-4", "shophead-6" })
                await s.InsertShopAsync(new Shop { Id = id + "-s1", SubjectId = id, Name = "店" });
            await s.InsertShopAsync(new Shop { Id = "shophead-5-s1", SubjectId = "shophead-5", Name = "店", Active = false });
        });

        var heads = await world.Db.ReadAsync(s => s.ListRoundOwersSinceAsync("houzhai"));

        Assert.Equal([("shophead-1", Wednesday), ("shophead-2", Wednesday.AddDays(1).AddTicks(1)), ("shophead-6", Wednesday.AddHours(8))],
            heads.Select(h => (h.Id, h.Since)));
    }

    [Fact]
    public async Task A_tenant_s_expected_return_may_be_empty_or_an_exact_instant()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        var expected = new DateTimeOffset(2026, 2, 20, 8, 30, 0, TimeSpan.FromHours(8)).AddTicks(5);
        Tenant[] tenants =
        [
            new() { Id = "t1", SubjectId = "landlord-1", Name = "王小明", Room = "101", ExpectedReturn = expected },
            new() { Id = "t2", SubjectId = "landlord-1", Name = "李娜", ExpectedReturn = null, Active = false },
        ];
        await world.Db.WriteAsync(async s => { foreach (var t in tenants) await s.InsertTenantAsync(t); });

        Assert.Equal(tenants[0], await world.Db.ReadAsync(s => s.GetTenantAsync("t1")));
        Assert.Equal(tenants[1], await world.Db.ReadAsync(s => s.GetTenantAsync("t2")));
    }

    [Fact]
    public async Task A_revoked_token_no_longer_finds_its_staff_member()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai");
        var officer = new StaffMember { Id = "officer-1", StreetId = "houzhai", Role = StaffRole.Officer, Name = "孙立华" };
        await world.Db.WriteAsync(async s => { await s.InsertStaffAsync(officer); await s.InsertTokenAsync("hash-1", "officer-1", Wednesday); });

        Assert.Equal(officer, await world.Db.ReadAsync(s => s.FindStaffByTokenHashAsync("hash-1")));
        Assert.Equal(1, await world.Db.WriteAsync(s => s.RevokeTokensAsync("officer-1", Wednesday.AddHours(1))));
        Assert.Null(await world.Db.ReadAsync(s => s.FindStaffByTokenHashAsync("hash-1")));
    }

    [Fact]
    public async Task An_enrolment_code_can_be_used_once()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.Db.WriteAsync(s => s.InsertEnrolmentCodeAsync(new EnrolmentCodeRow
        {
            Hash = "code-hash", PersonKind = "subject", PersonId = "landlord-1", IssuedBy = "officer-1", IssuedAt = Wednesday, ExpiresAt = Wednesday.AddDays(7),
        }));

        var uses = await world.Db.WriteAsync(async s => (await s.UseEnrolmentCodeAsync("code-hash", "emulator:u1", Wednesday), await s.UseEnrolmentCodeAsync("code-hash", "emulator:u2", Wednesday)));
        var row = (await world.Db.ReadAsync(s => s.GetEnrolmentCodeAsync("code-hash")))!;

        Assert.Equal((1, 0), uses);
        Assert.Equal((Wednesday, Wednesday.AddDays(7)), (row.UsedAt!.Value, row.ExpiresAt));
    }

    [Fact]
    public async Task A_person_holds_one_code_that_is_neither_used_nor_replaced_and_replacing_voids_an_expired_one_too()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1", "landlord-2");
        EnrolmentCodeRow Code(string hash, string person, DateTimeOffset at, string kind = "subject") => new()
        {
            Hash = hash, PersonKind = kind, PersonId = person, IssuedBy = "officer-1", IssuedAt = at, ExpiresAt = at.AddDays(7),
        };
        await world.Db.WriteAsync(async s =>
        {
            await s.InsertEnrolmentCodeAsync(Code("used", "landlord-1", Wednesday.AddDays(-30)));
            await s.UseEnrolmentCodeAsync("used", "emulator:u1", Wednesday.AddDays(-29));
            await s.InsertEnrolmentCodeAsync(Code("expired", "landlord-1", Wednesday.AddDays(-20)));
            await s.InsertEnrolmentCodeAsync(Code("other-person", "landlord-2", Wednesday));
            await s.InsertEnrolmentCodeAsync(Code("same-id-as-staff", "landlord-1", Wednesday, kind: "staff"));
        });

        // Issued without voiding the expired one first (as a transaction that could not see it would): refused.
        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => world.Db.WriteAsync(s => s.InsertEnrolmentCodeAsync(Code("second", "landlord-1", Wednesday))));
        var replaced = await world.Db.WriteAsync(async s =>
        {
            var count = await s.ReplaceEnrolmentCodesAsync("subject", "landlord-1", Wednesday);
            await s.InsertEnrolmentCodeAsync(Code("second", "landlord-1", Wednesday));
            return count;
        });

        Assert.True(TransientFaults.IsUniqueViolation(error));
        Assert.Equal(1, replaced);
        Assert.Equal(Wednesday, (await world.Db.ReadAsync(s => s.GetEnrolmentCodeAsync("expired")))!.ReplacedAt);
        Assert.Null((await world.Db.ReadAsync(s => s.GetEnrolmentCodeAsync("used")))!.ReplacedAt);
    }

    [Fact]
    public async Task A_code_replaced_after_a_bind_read_it_cannot_be_taken_by_that_bind()
    {
        // On SQL Server a bind on one instance can read the old code unused while another instance issues a new one.
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.Db.WriteAsync(s => s.InsertEnrolmentCodeAsync(new EnrolmentCodeRow
        {
            Hash = "old-hash", PersonKind = "subject", PersonId = "landlord-1", IssuedBy = "officer-1", IssuedAt = Wednesday, ExpiresAt = Wednesday.AddDays(7),
        }));
        var read = (await world.Db.ReadAsync(s => s.GetEnrolmentCodeAsync("old-hash")))!;
        await world.Db.WriteAsync(s => s.ReplaceEnrolmentCodesAsync("subject", "landlord-1", Wednesday.AddMinutes(1)));

        var taken = await world.Db.WriteAsync(s => s.UseEnrolmentCodeAsync(read.Hash, "emulator:finder", Wednesday.AddMinutes(2)));

        Assert.Null(read.ReplacedAt);
        Assert.Equal(0, taken);
        Assert.Null((await world.Db.ReadAsync(s => s.GetEnrolmentCodeAsync("old-hash")))!.UsedAt);
    }

    [Fact]
    public async Task A_chat_account_reads_back_with_the_subject_or_staff_member_it_is_bound_to_active_or_not()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        var retired = new Subject { Id = "shophead-1", StreetId = "houzhai", CommunityId = "houzhai-c", GridId = "g-1", Kind = SubjectKind.ShopHead, Name = "王强生", Phone = "13900000011", Active = false };
        var gridWorker = new StaffMember { Id = "gridworker-1", StreetId = "houzhai", CommunityId = "houzhai-c", Role = StaffRole.GridWorker, Name = "钱晓东", Phone = "13800000004" };
        await world.Db.WriteAsync(async s =>
        {
            await s.InsertSubjectAsync(retired, Wednesday);
            await s.InsertStaffAsync(gridWorker);
            foreach (var (user, kind, person) in new[] { ("u1", "subject", "landlord-1"), ("u2", "subject", "shophead-1"), ("u3", "staff", "gridworker-1"), ("u4", "subject", "gone") })
                await s.BindChatAccountAsync(new ChatAccount { ChannelId = "emulator", UserId = user, PersonKind = kind, PersonId = person, BoundAt = Wednesday });
        });

        var (landlord, head, staff, orphan, stranger) = await world.Db.ReadAsync(async s => (
            await s.GetChatPersonAsync("emulator", "u1"), await s.GetChatPersonAsync("emulator", "u2"), await s.GetChatPersonAsync("emulator", "u3"),
            await s.GetChatPersonAsync("emulator", "u4"), await s.GetChatPersonAsync("emulator", "u5")));

        Assert.Equal(new ChatPerson("subject", "landlord-1", await world.Db.ReadAsync(s => s.GetSubjectAsync("landlord-1")), null), landlord);
        Assert.Equal(new ChatPerson("subject", "shophead-1", retired, null), head);
        Assert.Equal(new ChatPerson("staff", "gridworker-1", null, gridWorker), staff);
        Assert.Equal(new ChatPerson("subject", "gone", null, null), orphan);
        Assert.Null(stranger);
    }

    [Fact]
    public async Task Chat_ids_differing_only_in_case_are_two_users_and_one_as_long_as_the_bot_admits_binds()
    {
        // The same as LiveSqlServerTests' test of that name: SQL Server finds these by the id's hash (0620), SQLite by the id.
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1", "landlord-2");
        var longId = "29:" + new string('x', Scoring.Bot.Endpoint.BotEndpoint.MaxIdLength - 3);
        ChatAccount Account(string userId, string person) => new() { ChannelId = "msteams", UserId = userId, PersonKind = "subject", PersonId = person, BoundAt = Wednesday };
        await world.Db.WriteAsync(async s =>
        {
            await s.BindChatAccountAsync(Account("AbC", "landlord-1"));
            await s.BindChatAccountAsync(Account("abc", "landlord-2"));
            await s.BindChatAccountAsync(Account(longId, "landlord-1"));
            await s.RecordBindFailureAsync("msteams", longId, Wednesday);
            await s.RecordBindFailureAsync("msteams", "ABC", Wednesday);
        });

        var (person, _) = await world.Db.ReadAsync(s => Scoring.Bot.Conversations.Dialogs.LoadTurnAsync(s, "msteams", "abc"));
        Assert.Equal("landlord-1", (await world.Db.ReadAsync(s => s.GetChatPersonAsync("msteams", "AbC")))!.PersonId);
        Assert.Equal("landlord-2", person!.PersonId);
        Assert.Null(await world.Db.ReadAsync(s => s.GetChatPersonAsync("msteams", "ABC")));
        Assert.Equal("landlord-1", (await world.Db.ReadAsync(s => s.GetChatPersonAsync("msteams", longId)))!.PersonId);
        Assert.Equal((1L, 0L), await world.Db.ReadAsync(async s =>
            (await s.CountBindFailuresAsync("msteams", longId, Wednesday), await s.CountBindFailuresAsync("msteams", "abc", Wednesday))));
    }
}
