using Dapper;
using Scoring.Domain;
using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

public class EnrolmentTests
{
    private static async Task<EnrolmentCode> IssueAsync(TestWorld world, string by = "secretary-fangtang", string kind = "subject", string person = "landlord-1")
    {
        var outcome = await world.Enrolment.IssueAsync(await world.StaffAsync(by), kind, person);
        Assert.True(outcome.Succeeded, outcome.Failure?.English);
        return outcome.Value!;
    }

    [Fact]
    public async Task A_code_binds_one_chat_account_once()
    {
        await using var world = await CreateAsync();
        var code = await IssueAsync(world);

        var bound = await world.Enrolment.BindAsync("msteams", "user-a", code.Code);
        var reused = await world.Enrolment.BindAsync("msteams", "user-b", code.Code);

        Assert.Equal(("landlord-1", "应天乐"), (bound.Value!.Subject!.Id, bound.Value.Name));
        Assert.Equal("landlord-1", (await world.Enrolment.IdentifyAsync("msteams", "user-a"))!.Subject!.Id);
        Assert.Equal("code-used", reused.Failure!.Code);
        Assert.Null(await world.Enrolment.IdentifyAsync("msteams", "user-b"));
    }

    [Fact]
    public async Task A_chat_s_code_asked_for_again_is_the_same_from_the_same_account_on_the_same_instance_only()
    {
        // The chat's seal is this instance's own secret with the account: the database alone cannot open it, and neither
        // can another instance (or this one restarted), which then issues a new code as before.
        await using var world = await CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        async Task<EnrolmentCode> IssueInChatAsync(Enrolment enrolment, string user) =>
            (await enrolment.IssueAsync(secretary, "subject", "landlord-1", retrySecret: enrolment.ChatRetrySecret("msteams", user))).Value!;

        var first = await IssueInChatAsync(world.Enrolment, "secretary-phone");
        var again = await IssueInChatAsync(world.Enrolment, "secretary-phone");
        var otherAccount = await IssueInChatAsync(world.Enrolment, "secretary-laptop");
        var otherInstance = await IssueInChatAsync(new Enrolment(world.Db, world.Clock), "secretary-laptop");

        Assert.Equal((first.Code, true), (again.Code, again.Replayed));
        Assert.NotEqual(first.Code, otherAccount.Code);
        Assert.False(otherAccount.Replayed);
        Assert.NotEqual(otherAccount.Code, otherInstance.Code);
    }

    [Fact]
    public async Task A_bind_that_loses_the_race_for_its_code_binds_nobody()
    {
        await using var world = await CreateAsync();
        var code = await IssueAsync(world);
        // Another account takes the code between this bind's read and its update (as two binds can on SQL Server):
        // the update then changes no row.
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "CREATE TRIGGER taken_meanwhile BEFORE UPDATE ON enrolment_codes BEGIN SELECT RAISE(IGNORE); END", transaction: s.Transaction));

        var bound = await world.Enrolment.BindAsync("msteams", "user-b", code.Code);

        Assert.Equal("code-used", bound.Failure?.Code);
        Assert.Null(await world.Enrolment.IdentifyAsync("msteams", "user-b"));
    }

    [Fact]
    public async Task A_new_code_for_a_person_voids_their_earlier_unused_one_and_nobody_elses()
    {
        await using var world = await CreateAsync();
        var (lost, other) = (await IssueAsync(world), await IssueAsync(world, person: "landlord-2"));
        var reissued = await IssueAsync(world);

        var withLost = await world.Enrolment.BindAsync("msteams", "finder", lost.Code);
        var withNew = await world.Enrolment.BindAsync("msteams", "owner", reissued.Code);
        var withOther = await world.Enrolment.BindAsync("msteams", "neighbour", other.Code);

        Assert.Equal("code-replaced", withLost.Failure?.Code);
        Assert.Null(await world.Enrolment.IdentifyAsync("msteams", "finder"));
        Assert.Equal(("landlord-1", "landlord-2"), (withNew.Value?.Subject?.Id, withOther.Value?.Subject?.Id));
    }

    /// <summary>The person's codes that would bind now: neither used, replaced nor expired.</summary>
    private static Task<long> ValidCodesAsync(TestWorld world, string person = "landlord-1") => world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>(
        "SELECT COUNT(*) FROM enrolment_codes WHERE person_kind = 'subject' AND person_id = @person AND used_at IS NULL AND replaced_at IS NULL AND expires_at > @now",
        new { person, now = world.Clock.GetUtcNow() }, s.Transaction));

    [Fact]
    public async Task Two_codes_issued_for_one_person_at_the_same_instant_leave_exactly_one_valid_and_the_first_slip_is_told_it_was_replaced()
    {
        await using var world = await CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        // A double-click: both at once, and the clock does not move between them.
        var issued = await Task.WhenAll(world.Enrolment.IssueAsync(secretary, "subject", "landlord-1"), world.Enrolment.IssueAsync(secretary, "subject", "landlord-1"));
        Assert.All(issued, i => Assert.True(i.Succeeded, i.Failure?.English));
        // SQLite's one writer ran them in turn; whichever ran second replaced the other's code.
        var binds = await Task.WhenAll(issued.Select((i, n) => world.Enrolment.BindAsync("emulator", $"u{n}", i.Value!.Code)));

        Assert.Equal(1, binds.Count(b => b.Succeeded));
        Assert.Equal(["code-replaced"], binds.Where(b => !b.Succeeded).Select(b => b.Failure!.Code));
        Assert.Equal(0, await ValidCodesAsync(world)); // the one that bound is used
    }

    [Fact]
    public async Task An_issue_that_did_not_see_a_code_issued_meanwhile_is_refused_and_that_code_stays_the_one_valid()
    {
        await using var world = await CreateAsync();
        var first = await IssueAsync(world);
        // As on SQL Server under READ COMMITTED, when another instance's code was not yet committed as this issue voided
        // the person's codes: its update finds nothing to void, and the database must refuse the second valid code.
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "CREATE TRIGGER unseen_meanwhile BEFORE UPDATE ON enrolment_codes BEGIN SELECT RAISE(IGNORE); END", transaction: s.Transaction));

        var second = await world.Enrolment.IssueAsync(await world.StaffAsync("officer-1"), "subject", "landlord-1");
        var sheet = await new EnrolmentSheets(world.Db, world.Enrolment).IssueAsync(await world.StaffAsync("secretary-fangtang"), "fangtang", null, includeBound: true);
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync("DROP TRIGGER unseen_meanwhile", transaction: s.Transaction));

        Assert.Equal(("code-issued-meanwhile", FailureKind.Conflict), (second.Failure?.Code, second.Failure?.Kind));
        Assert.Equal(("code-issued-meanwhile", FailureKind.Conflict), (sheet.Failure?.Code, sheet.Failure?.Kind));
        Assert.Equal(1, await ValidCodesAsync(world));
        Assert.True((await world.Enrolment.BindAsync("emulator", "owner", first.Code)).Succeeded);
    }

    [Fact]
    public async Task A_new_code_replaces_an_expired_unused_one_too()
    {
        await using var world = await CreateAsync();
        var expired = await IssueAsync(world);
        world.Clock.Advance(Enrolment.CodeLifetime + TimeSpan.FromDays(1));

        var fresh = await IssueAsync(world);

        Assert.Equal("code-replaced", (await world.Enrolment.BindAsync("emulator", "finder", expired.Code)).Failure?.Code);
        Assert.True((await world.Enrolment.BindAsync("emulator", "owner", fresh.Code)).Succeeded);
    }

    [Fact]
    public async Task A_code_already_used_stays_used_when_the_person_gets_another_for_a_second_account()
    {
        await using var world = await CreateAsync();
        var first = await IssueAsync(world);
        Assert.True((await world.Enrolment.BindAsync("msteams", "phone", first.Code)).Succeeded);

        var second = await IssueAsync(world);

        Assert.True((await world.Enrolment.BindAsync("webchat", "desk", second.Code)).Succeeded);
        Assert.Equal("landlord-1", (await world.Enrolment.IdentifyAsync("msteams", "phone"))?.Subject?.Id);
        Assert.Equal("code-used", (await world.Enrolment.BindAsync("msteams", "other", first.Code)).Failure?.Code);
    }

    [Fact]
    public async Task A_code_expires_after_seven_days()
    {
        await using var world = await CreateAsync();
        var (fresh, stale) = (await IssueAsync(world), await IssueAsync(world, person: "landlord-2"));
        Assert.Equal(Wednesday.AddDays(7), stale.ExpiresAt);

        world.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.True((await world.Enrolment.BindAsync("emulator", "u1", fresh.Code)).Succeeded);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("code-expired", (await world.Enrolment.BindAsync("emulator", "u2", stale.Code)).Failure!.Code);
    }

    [Fact]
    public async Task Codes_are_forgiving_about_case_and_spaces()
    {
        await using var world = await CreateAsync();
        var code = await IssueAsync(world);
        Assert.True((await world.Enrolment.BindAsync("emulator", "u1", "  " + code.Code.ToLowerInvariant() + " ")).Succeeded);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account_for_an_hour_even_against_the_right_code()
    {
        await using var world = await CreateAsync();
        var code = await IssueAsync(world);
        for (int i = 0; i < Enrolment.MaxFailuresPerHour; i++) await world.Enrolment.BindAsync("emulator", "guesser", $"WRONG{i:D3}");

        var locked = await world.Enrolment.BindAsync("emulator", "guesser", code.Code);
        var otherAccount = await world.Enrolment.IssueAsync(await world.StaffAsync("officer-1"), "subject", "landlord-2");
        var unaffected = await world.Enrolment.BindAsync("emulator", "someone-else", otherAccount.Value!.Code);
        world.Clock.Advance(TimeSpan.FromMinutes(61));
        var later = await world.Enrolment.BindAsync("emulator", "guesser", code.Code);

        Assert.Equal(("too-many-attempts", FailureKind.Conflict), (locked.Failure!.Code, locked.Failure.Kind));
        Assert.True(unaffected.Succeeded);
        Assert.True(later.Succeeded, later.Failure?.English);
    }

    [Fact]
    public async Task Codes_are_issued_by_those_who_answer_for_the_person()
    {
        await using var world = await CreateAsync();
        var otherSecretary = await world.Enrolment.IssueAsync(await world.StaffAsync("secretary-changchun"), "subject", "landlord-1");
        var gridWorker = await world.Enrolment.IssueAsync(await world.StaffAsync("gridworker-1"), "subject", "landlord-1");
        var secretaryForOfficer = await world.Enrolment.IssueAsync(await world.StaffAsync("secretary-fangtang"), "staff", "officer-1");
        var secretaryForGridWorker = await world.Enrolment.IssueAsync(await world.StaffAsync("secretary-fangtang"), "staff", "gridworker-1");
        var officer = await world.Enrolment.IssueAsync(await world.StaffAsync("officer-1"), "staff", "secretary-changchun");

        Assert.Equal(FailureKind.Forbidden, otherSecretary.Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, gridWorker.Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, secretaryForOfficer.Failure!.Kind);
        Assert.True(secretaryForGridWorker.Succeeded && officer.Succeeded);
    }

    [Fact]
    public async Task An_officer_gets_no_code_for_a_fellow_officer_is_told_who_issues_it_and_is_not_offered_them_in_chat()
    {
        // A code binds a chat account as its person: an officer holding a fellow officer's acts as them.
        await using var world = await CreateAsync();
        await world.Db.WriteAsync(s => s.InsertStaffAsync(new StaffMember { Id = "officer-2", StreetId = "houzhai", Role = StaffRole.Officer, Name = "第二位主任" }));
        var officer = await world.StaffAsync("officer-1");
        var admin = new StaffMember { Id = "admin-1", StreetId = "houzhai", Role = StaffRole.Admin, Name = "管理员" };

        var forFellow = await world.Enrolment.IssueAsync(officer, "staff", "officer-2");
        var offered = await world.Db.ReadAsync(s => world.Enrolment.EnrolleesInAsync(s, officer));
        var forThemself = await world.Enrolment.IssueAsync(officer, "staff", "officer-1");
        var byAdmin = await world.Enrolment.IssueAsync(admin, "staff", "officer-2");

        Assert.Equal(FailureKind.Forbidden, forFellow.Failure?.Kind);
        Assert.Contains("admin", forFellow.Failure!.English, StringComparison.Ordinal);
        Assert.Contains("管理员", forFellow.Failure.Chinese, StringComparison.Ordinal);
        Assert.DoesNotContain(offered, e => e.Id == "officer-2");
        Assert.Contains(offered, e => e.Id == "secretary-fangtang");
        Assert.True(forThemself.Succeeded && byAdmin.Succeeded);
    }

    [Fact]
    public async Task An_inactive_person_gets_no_code_and_whoever_may_not_issue_for_them_is_not_told_why()
    {
        await using var world = await CreateAsync();
        await world.Db.WriteAsync(async s => await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-2"))! with { Active = false }, world.Clock.GetUtcNow()));
        await world.Db.WriteAsync(async s => await s.UpdateStaffAsync((await s.GetStaffAsync("gridworker-1"))! with { Active = false }));

        var subject = await world.Enrolment.IssueAsync(await world.StaffAsync("secretary-fangtang"), "subject", "landlord-2");
        var staff = await world.Enrolment.IssueAsync(await world.StaffAsync("officer-1"), "staff", "gridworker-1");
        var outside = await world.Enrolment.IssueAsync(await world.StaffAsync("secretary-changchun"), "subject", "landlord-2");

        Assert.Equal(("person-inactive", FailureKind.Conflict), (subject.Failure!.Code, subject.Failure.Kind));
        Assert.Equal("person-inactive", staff.Failure!.Code);
        Assert.Equal(FailureKind.Forbidden, outside.Failure!.Kind);
        Assert.Equal(2, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM enrolment_codes WHERE person_id IN ('landlord-2', 'gridworker-1')"))); // the demo's only
    }

    [Fact]
    public async Task The_people_offered_to_a_staff_member_are_exactly_those_the_issue_allows_them_but_themselves()
    {
        await using var world = await CreateAsync();
        var everyone = await world.Db.ReadAsync(async s =>
            (await s.ListSubjectsAsync("houzhai")).Select(x => ("subject", x.Id)).Concat((await s.ListStaffAsync("houzhai")).Select(x => ("staff", x.Id))).ToList());

        foreach (var id in new[] { "officer-1", "secretary-fangtang", "secretary-changchun", "gridworker-1" })
        {
            var actor = await world.StaffAsync(id);
            var offered = (await world.Db.ReadAsync(s => world.Enrolment.EnrolleesInAsync(s, actor))).Select(e => (e.PersonKind, e.Id)).ToHashSet();
            var allowed = new HashSet<(string, string)>();
            foreach (var (kind, person) in everyone)
                if (person != id && (await world.Enrolment.IssueAsync(actor, kind, person)).Succeeded) allowed.Add((kind, person));

            Assert.Equal(allowed.Order(), offered.Order());
        }
    }

    [Fact]
    public async Task Unknown_people_and_kinds_are_refused()
    {
        await using var world = await CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        Assert.Equal("subject-not-found", (await world.Enrolment.IssueAsync(officer, "subject", "nobody")).Failure!.Code);
        Assert.Equal("staff-not-found", (await world.Enrolment.IssueAsync(officer, "staff", "nobody")).Failure!.Code);
        Assert.Equal("bad-person-kind", (await world.Enrolment.IssueAsync(officer, "tenant", "landlord-1-t1")).Failure!.Code);
    }

    [Fact]
    public async Task A_staff_member_binds_as_staff()
    {
        await using var world = await CreateAsync();
        var code = await IssueAsync(world, by: "officer-1", kind: "staff", person: "secretary-fangtang");
        var identity = (await world.Enrolment.BindAsync("emulator", "sec", code.Code)).Value!;
        Assert.Equal(("secretary-fangtang", (string?)null), (identity.Staff!.Id, identity.Subject?.Id));
        Assert.Equal("secretary-fangtang", identity.Actor.Id);
    }

    [Fact]
    public async Task A_slip_of_someone_taken_off_the_roster_since_binds_nobody_and_leaves_the_account_as_it_was()
    {
        // The code of a landlord taken off after it was printed used to be taken: the account that typed it was bound to
        // them (off the roster), losing the binding it had, and the slip was spent for when they came back.
        await using var world = await CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var own = await world.Enrolment.IssueAsync(secretary, "subject", "landlord-2");
        Assert.True((await world.Enrolment.BindAsync("emulator", "someone", own.Value!.Code)).Succeeded);
        var slip = await world.Enrolment.IssueAsync(secretary, "subject", "landlord-1");
        await world.Db.WriteAsync(async s => await s.UpdateSubjectAsync((await s.GetSubjectAsync("landlord-1"))! with { Active = false }, world.Clock.GetUtcNow()));

        var bound = await world.Enrolment.BindAsync("emulator", "someone", slip.Value!.Code);

        Assert.Equal("person-inactive", bound.Failure?.Code);
        Assert.Equal("landlord-2", (await world.Enrolment.IdentifyAsync("emulator", "someone"))?.Subject?.Id);
        Assert.Null((await world.Db.ReadAsync(s => s.GetEnrolmentCodeAsync(Ids.Hash(slip.Value.Code))))!.UsedAt);
    }
    [Fact]
    public async Task An_account_that_stops_speaking_for_its_first_record_keeps_when_the_next_one_was_bound()
    {
        // The next record took the first one's place with bound_at set to the moment of the unbinding: the weekly report,
        // which counts bindings by bound_at, lost it from the week it was made.
        await using var world = await CreateAsync();
        var first = await IssueAsync(world, person: "landlord-1");
        Assert.True((await world.Enrolment.BindAsync("emulator", "ying", first.Code)).Succeeded);
        world.Clock.Advance(TimeSpan.FromDays(1));
        var boundAt = world.Clock.GetUtcNow();
        var second = await IssueAsync(world, by: "secretary-changchun", person: "shophead-1");
        Assert.True((await world.Enrolment.BindAsync("emulator", "ying", second.Code)).Succeeded);
        world.Clock.Advance(TimeSpan.FromDays(9));

        Assert.True(await world.Db.WriteAsync(s => world.Enrolment.UnbindInAsync(s, "emulator", "ying", "subject", "landlord-1")));

        var account = Assert.Single(await world.Db.ReadAsync(s => s.ChatAccountsOfAsync("subject", "shophead-1")));
        Assert.Equal(("shophead-1", boundAt), (account.PersonId, account.BoundAt));
        Assert.Equal(0L, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM chat_account_records", transaction: s.Transaction)));
    }
}
