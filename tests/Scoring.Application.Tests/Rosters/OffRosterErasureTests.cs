using Dapper;
using Microsoft.Extensions.Logging;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application.Tests.Rosters;

/// <summary>
/// The personal data of landlords and shop heads off the roster is kept to the end of the year after the one they left
/// in, and then erased (README: Personal data kept); the ledger and the published lists stay as they are.
/// </summary>
public sealed class OffRosterErasureTests
{
    private const string IdCard = "11010519491231002x";

    /// <summary>The first moment of 2028's first week in Houzhai (Monday 3 January 2028).</summary>
    private static readonly DateTimeOffset Year2028 = TestWorld.Local(2028, 1, 3);

    private static Application.Rosters RostersOf(TestWorld world) => new(world.Db, world.Clock);
    private static OffRosterErasure ErasureOf(TestWorld world) => new(world.Db, world.Clock);

    private static Task<long> CountAsync(TestWorld world, string sql, object? args = null) =>
        world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>(sql, args));

    /// <summary>landlord-1 (应天乐) scored, with an identity card, a bound chat account and a code issued, then taken off the roster in 2026-W47.</summary>
    private static async Task<TestWorld> LandlordWhoLeftAsync()
    {
        var world = await TestWorld.CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var card = await RostersOf(world).UpdateSubjectAsync(secretary, "landlord-1", new SubjectDraft(IdCard: IdCard));
        Assert.True(card.Succeeded, card.Failure?.English);
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService);
        var code = await world.Enrolment.IssueAsync(secretary, "subject", "landlord-1");
        Assert.True((await world.Enrolment.BindAsync("msteams", "user-ying", code.Value!.Code)).Succeeded);
        await world.Enrolment.IssueAsync(secretary, "subject", "landlord-1"); // a second slip, never used
        // A tenant's return, late (so also a deduction in the ledger, with its evidence note).
        var back = await world.Reporting.ReportReturnAsync(Actor.Of(await world.SubjectAsync("landlord-1")), "landlord-1-t1", world.Clock.GetUtcNow().AddDays(-3), "chat:r1");
        Assert.True(back.Succeeded, back.Failure?.English);
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "INSERT INTO bot_conversation_reference (reference_key, channel_id, user_id, conversation_id, service_url, bot_account_json, user_account_json, updated_at) " +
            "VALUES (@key, 'msteams', 'user-ying', 'c1', 'https://example.test', '{}', '{\"name\":\"应天乐\"}', @at)",
            new { key = CompositeKey.Of("msteams", "user-ying"), at = world.Clock.GetUtcNow() }, s.Transaction));
        var off = await RostersOf(world).DeactivateSubjectAsync(await world.StaffAsync("officer-1"), "landlord-1");
        Assert.True(off.Succeeded, off.Failure?.English);
        return world;
    }

    [Fact]
    public async Task Someone_who_left_in_2026_keeps_their_personal_data_through_2027()
    {
        await using var world = await LandlordWhoLeftAsync();
        world.Clock.AdjustTime(Year2028 - TimeSpan.FromMinutes(1));

        Assert.Equal(0, await ErasureOf(world).EraseDueAsync());

        var subject = await world.SubjectAsync("landlord-1");
        Assert.Equal(("应天乐", "13900000001", (DateTimeOffset?)null), (subject.Name, subject.Phone, subject.ErasedAt));
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM chat_accounts WHERE person_id = 'landlord-1'"));
    }

    [Fact]
    public async Task From_2028_their_phone_identity_card_codes_and_chat_accounts_are_erased_their_tenants_made_anonymous_and_their_name_kept_masked()
    {
        await using var world = await LandlordWhoLeftAsync();
        var events = await CountAsync(world, "SELECT COUNT(*) FROM score_events WHERE subject_id = 'landlord-1'");
        world.Clock.AdjustTime(Year2028);

        Assert.Equal(1, await ErasureOf(world).EraseDueAsync());

        var subject = await world.SubjectAsync("landlord-1");
        Assert.Equal(("应*乐", null, Year2028), (subject.Name, subject.Phone, subject.ErasedAt));
        Assert.Equal(0, await CountAsync(world, "SELECT COUNT(*) FROM identity_cards WHERE subject_id = 'landlord-1'"));
        Assert.Equal(0, await CountAsync(world, "SELECT COUNT(*) FROM enrolment_codes WHERE person_id = 'landlord-1'"));
        Assert.Equal(0, await CountAsync(world, "SELECT COUNT(*) FROM chat_accounts WHERE person_id = 'landlord-1'"));
        Assert.Equal(0, await CountAsync(world, "SELECT COUNT(*) FROM bot_conversation_reference WHERE user_id = 'user-ying'"));
        Assert.Null(await world.Enrolment.IdentifyAsync("msteams", "user-ying"));
        // Their tenants stay, as ids with a masked name and nothing else, for the returns that name them.
        var tenants = await world.Db.ReadAsync(s => s.ListTenantsAsync("landlord-1"));
        Assert.Equal(2, tenants.Count);
        Assert.All(tenants, t => Assert.Equal((null, null, null, null, false), (t.Room, t.Phone, t.Origin, t.ExpectedReturn, t.Active)));
        Assert.All(tenants, t => Assert.Contains('*', t.Name));
        // The ledger is the audit record: not a row of it changes.
        Assert.Equal(events, await CountAsync(world, "SELECT COUNT(*) FROM score_events WHERE subject_id = 'landlord-1'"));
        // Others are untouched.
        Assert.Equal("13900000002", (await world.SubjectAsync("landlord-2")).Phone);
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM tenants WHERE subject_id = 'landlord-2' AND name NOT LIKE '%*%'"));
    }

    [Fact]
    public async Task A_tenant_s_returns_stay_referring_only_to_the_anonymous_tenant_and_nothing_reads_the_returns_to_erase_them()
    {
        // Deleting the tenants and their returns read the whole of tenant_returns (no index by tenant, on purpose: 0460),
        // and SQLite's foreign-key check read it again for every tenant deleted.
        await using var world = await LandlordWhoLeftAsync();
        var returns = await CountAsync(world, "SELECT COUNT(*) FROM tenant_returns");
        Assert.True(returns > 0);
        world.Clock.AdjustTime(Year2028);

        Assert.Equal(1, await ErasureOf(world).EraseDueAsync());

        Assert.Equal(returns, await CountAsync(world, "SELECT COUNT(*) FROM tenant_returns"));
        Assert.Equal(0, await CountAsync(world,
            "SELECT COUNT(*) FROM tenant_returns r JOIN tenants t ON t.id = r.tenant_id WHERE t.subject_id = 'landlord-1' AND (t.phone IS NOT NULL OR t.room IS NOT NULL OR t.origin IS NOT NULL)"));
    }

    [Fact]
    public async Task A_backlog_is_erased_a_round_s_worth_at_a_time_over_the_rounds_that_follow()
    {
        // Everyone who left in a year falls due in the same hour (and at the first deploy, every past year at once).
        await using var world = await ThreeWhoLeftAsync();
        world.Clock.AdjustTime(Year2028);

        Assert.Equal(2, await ErasureOf(world).EraseDueAsync(most: 2));
        Assert.Equal(1, await ErasureOf(world).EraseDueAsync(most: 2));
        Assert.Equal(0, await ErasureOf(world).EraseDueAsync(most: 2));
    }

    [Fact]
    public async Task A_round_stops_once_its_time_is_spent_and_the_next_goes_on_from_there()
    {
        await using var world = await ThreeWhoLeftAsync();
        world.Clock.AdjustTime(Year2028);
        world.Clock.AutoAdvanceAmount = OffRosterErasure.RoundTime; // every reading of the clock, a round's time later

        Assert.Equal(1, await ErasureOf(world).EraseDueAsync());
        world.Clock.AutoAdvanceAmount = TimeSpan.Zero;
        Assert.Equal(2, await ErasureOf(world).EraseDueAsync());
    }

    [Fact]
    public async Task One_person_whose_erasure_fails_is_left_for_the_next_round_and_those_after_them_are_erased()
    {
        await using var world = await ThreeWhoLeftAsync();
        world.Clock.AdjustTime(Year2028);
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "CREATE TRIGGER refuse_landlord_1 BEFORE UPDATE ON subjects WHEN OLD.id = 'landlord-1' BEGIN SELECT RAISE(ABORT, 'refused'); END", transaction: s.Transaction));

        Assert.Equal(2, await ErasureOf(world).EraseDueAsync());

        Assert.Null((await world.SubjectAsync("landlord-1")).ErasedAt);
        Assert.Equal(Year2028, (await world.SubjectAsync("landlord-2")).ErasedAt);
        Assert.Equal(Year2028, (await world.SubjectAsync("landlord-3")).ErasedAt);
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync("DROP TRIGGER refuse_landlord_1", transaction: s.Transaction));
        Assert.Equal(1, await ErasureOf(world).EraseDueAsync());
    }

    [Fact]
    public async Task Every_street_with_people_due_has_some_erased_each_round_however_long_another_street_s_backlog()
    {
        // Streets were drained one after the other: a year's leavers of the first street (at the first deploy, every past
        // year's) held up every street after it for hours.
        await using var world = await LandlordWhoLeftAsync();
        await LeaversOfAnotherStreetAsync(world, "anting", 5); // sorts before houzhai
        world.Clock.AdjustTime(Year2028);

        Assert.Equal(2, await ErasureOf(world).EraseDueAsync(most: 2));

        Assert.Equal(Year2028, (await world.SubjectAsync("landlord-1")).ErasedAt);
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM subjects WHERE street_id = 'anting' AND erased_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_failure_that_meets_everyone_is_given_up_after_a_few_people_and_logged_once_a_round_with_counts_and_types_only()
    {
        // Each failure was a warning of its own, and the round went on failing for its 30 s: hundreds of identical lines
        // an hour, and the single writer taken for nothing.
        await using var world = await LandlordWhoLeftAsync();
        await LeaversOfAnotherStreetAsync(world, "anting", 12);
        world.Clock.AdjustTime(Year2028);
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "CREATE TRIGGER refuse_everyone BEFORE UPDATE ON subjects BEGIN SELECT RAISE(ABORT, 'refused'); END", transaction: s.Transaction));
        var log = new Lines<OffRosterErasure>();

        Assert.Equal(0, await new OffRosterErasure(world.Db, world.Clock, log).EraseDueAsync());

        var warning = Assert.Single(log.Written, l => l.Level >= LogLevel.Warning);
        Assert.Equal(OffRosterErasure.GivenUpAfter, warning.Values["Failed"]);
        Assert.Contains("SqliteException", (string)warning.Values["Failures"]!);
        Assert.Equal(13, warning.Values["StillDue"]);
        Assert.DoesNotContain("应天乐", warning.Text);
        Assert.DoesNotContain("landlord-1", warning.Text);
    }

    [Fact]
    public async Task A_round_whose_status_cannot_be_written_still_logs_its_warning_and_says_the_status_was_not_kept()
    {
        // The status was written first and unguarded: with the database refusing writes the round threw before its warning,
        // and the status kept showing the round before.
        await using var world = await LandlordWhoLeftAsync();
        world.Clock.AdjustTime(Year2028);
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "CREATE TRIGGER refuse_everyone BEFORE UPDATE ON subjects BEGIN SELECT RAISE(ABORT, 'refused'); END; " +
            "CREATE TRIGGER refuse_rounds BEFORE INSERT ON erasure_rounds BEGIN SELECT RAISE(ABORT, 'refused'); END", transaction: s.Transaction));
        var log = new Lines<OffRosterErasure>();

        Assert.Equal(0, await new OffRosterErasure(world.Db, world.Clock, log).EraseDueAsync());

        var warnings = log.Written.Where(l => l.Level >= LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Equal(1, warnings[0].Values["Failed"]);
        Assert.Contains("SqliteException", warnings[1].Text);
        Assert.Contains("status", warnings[1].Text);
    }

    [Fact]
    public async Task Someone_no_longer_due_when_their_turn_came_is_not_counted_as_still_due()
    {
        await using var world = await ThreeWhoLeftAsync();
        world.Clock.AdjustTime(Year2028);
        // landlord-2 is brought back (by the office, on another instance) while the round erases landlord-1.
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "CREATE TRIGGER bring_back_landlord_2 BEFORE UPDATE OF erased_at ON subjects WHEN OLD.id = 'landlord-1' BEGIN UPDATE subjects SET active = 1 WHERE id = 'landlord-2'; END",
            transaction: s.Transaction));

        Assert.Equal(2, await ErasureOf(world).EraseDueAsync());

        var round = await world.Db.ReadAsync(s => s.LastErasureRoundAsync());
        Assert.Equal(0, round!.StillDue);
    }

    [Fact]
    public async Task Those_whose_erasure_failed_are_tried_after_the_others_next_round_so_a_few_bad_rows_hold_nobody_up()
    {
        await using var world = await TestWorld.CreateAsync();
        await LeaversOfAnotherStreetAsync(world, "anting", OffRosterErasure.GivenUpAfter + 2);
        world.Clock.AdjustTime(Year2028);
        // The first five in the street's order cannot be erased: the round gives up on them.
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            $"CREATE TRIGGER refuse_first BEFORE UPDATE ON subjects WHEN OLD.id <= 'anting-{OffRosterErasure.GivenUpAfter}' BEGIN SELECT RAISE(ABORT, 'refused'); END",
            transaction: s.Transaction));
        var erasure = ErasureOf(world);

        Assert.Equal(0, await erasure.EraseDueAsync());
        Assert.Equal(2, await erasure.EraseDueAsync());
    }

    [Fact]
    public async Task Those_whose_erasure_failed_are_tried_last_by_the_next_round_on_another_instance_too()
    {
        // The list was kept by the instance that made it: after the clockwork's lease moved (a restart, a deploy), the
        // next round tried the bad rows first again and gave up on them, erasing nobody behind them.
        await using var world = await TestWorld.CreateAsync();
        await LeaversOfAnotherStreetAsync(world, "anting", OffRosterErasure.GivenUpAfter + 2);
        world.Clock.AdjustTime(Year2028);
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            $"CREATE TRIGGER refuse_first BEFORE UPDATE ON subjects WHEN OLD.id <= 'anting-{OffRosterErasure.GivenUpAfter}' BEGIN SELECT RAISE(ABORT, 'refused'); END",
            transaction: s.Transaction));

        Assert.Equal(0, await ErasureOf(world).EraseDueAsync());
        Assert.Equal(2, await new OffRosterErasure(world.Db, world.Clock).EraseDueAsync());
    }

    [Fact]
    public async Task A_list_of_those_tried_last_that_cannot_be_read_is_taken_as_empty_and_erasure_goes_on()
    {
        // failed_ids is read at the start of every round: one bad value (a hand edit, a cut write) threw every round after.
        await using var world = await LandlordWhoLeftAsync();
        world.Clock.AdjustTime(Year2028 - TimeSpan.FromMinutes(1));
        await ErasureOf(world).EraseDueAsync(); // keeps a round's status
        Assert.Equal(1, await world.Db.WriteAsync(s => s.Connection.ExecuteAsync("UPDATE erasure_rounds SET failed_ids = 'x'", transaction: s.Transaction)));
        world.Clock.AdjustTime(Year2028);

        Assert.Equal(1, await ErasureOf(world).EraseDueAsync());
    }

    /// <summary>A second street (sorting before houzhai) with <paramref name="count"/> landlords entered off the roster now.</summary>
    private static Task LeaversOfAnotherStreetAsync(TestWorld world, string street, int count) => world.Db.WriteAsync(async s =>
    {
        var now = world.Clock.GetUtcNow();
        await s.InsertStreetAsync(new Street { Id = street, Name = street }, now);
        await s.InsertCommunityAsync(new Community { Id = street + "-c", StreetId = street, Name = "安亭村" });
        for (var i = 1; i <= count; i++)
            await s.InsertSubjectAsync(new Subject { Id = $"{street}-{i}", StreetId = street, CommunityId = street + "-c", Kind = SubjectKind.Landlord,
                Name = "安亭房东" + i, Phone = $"1370000{i:D4}", Active = false }, now);
    });

    /// <summary>What a logger was given: each line's level, text and structured values.</summary>
    private sealed class Lines<T> : ILogger<T>
    {
        public List<(LogLevel Level, string Text, IReadOnlyDictionary<string, object?> Values)> Written { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Written.Add((logLevel, formatter(state, exception) + exception,
                (state as IEnumerable<KeyValuePair<string, object?>> ?? []).ToDictionary(p => p.Key, p => p.Value)));
    }

    /// <summary>landlord-1 as <see cref="LandlordWhoLeftAsync"/>, and landlord-2 and landlord-3 taken off the roster with them.</summary>
    private static async Task<TestWorld> ThreeWhoLeftAsync()
    {
        var world = await LandlordWhoLeftAsync();
        var officer = await world.StaffAsync("officer-1");
        foreach (var id in new[] { "landlord-2", "landlord-3" })
            Assert.True((await RostersOf(world).DeactivateSubjectAsync(officer, id)).Succeeded);
        return world;
    }

    [Fact]
    public async Task The_street_office_sees_each_erasure_in_its_staff_actions_without_the_person_s_name_or_phone()
    {
        await using var world = await LandlordWhoLeftAsync();
        world.Clock.AdjustTime(Year2028);

        await ErasureOf(world).EraseDueAsync();

        var actions = await new StaffActions(world.Db).ReadAsync(await world.StaffAsync("officer-1"), "houzhai", 10, null);
        var erased = Assert.Single(actions.Value!.Items, a => a.Action == StaffActions.SubjectErased);
        Assert.Equal((StaffActions.Retention, "subject", "landlord-1"), (erased.ActorId, erased.TargetKind, erased.TargetId));
        Assert.Equal("landlord; tenants made anonymous 2, chat accounts that stopped speaking for them 1 (1 of them now unbound)", erased.Detail);
    }

    [Fact]
    public async Task Someone_entered_off_the_roster_counts_as_leaving_when_they_were_entered()
    {
        await using var world = await TestWorld.CreateAsync();
        var entered = await RostersOf(world).CreateSubjectAsync(await world.StaffAsync("officer-1"), "houzhai",
            new SubjectDraft(Kind: "landlord", Community: "fangtang", Name: "楼新民", Phone: "13711110001", Active: false));
        Assert.True(entered.Succeeded, entered.Failure?.English);

        world.Clock.AdjustTime(Year2028 - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await ErasureOf(world).EraseDueAsync());
        world.Clock.AdjustTime(Year2028);
        Assert.Equal(1, await ErasureOf(world).EraseDueAsync());
        Assert.Equal("楼*民", (await world.SubjectAsync(entered.Value!.Subject.Id)).Name);
    }

    [Fact]
    public async Task A_round_repeated_or_run_again_after_an_erasure_erases_nothing_twice()
    {
        await using var world = await LandlordWhoLeftAsync();
        world.Clock.AdjustTime(Year2028);

        Assert.Equal(1, await ErasureOf(world).EraseDueAsync());
        world.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await ErasureOf(world).EraseDueAsync());

        Assert.Equal("应*乐", (await world.SubjectAsync("landlord-1")).Name);
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM staff_actions WHERE action = 'subject-erased'"));
    }

    [Fact]
    public async Task Someone_brought_back_before_then_is_kept_whole_and_counted_again_from_their_next_leaving()
    {
        await using var world = await LandlordWhoLeftAsync();
        var officer = await world.StaffAsync("officer-1");
        world.Clock.AdjustTime(TestWorld.Local(2027, 6, 1, 9));
        Assert.True((await RostersOf(world).UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Active: true))).Succeeded);
        world.Clock.AdjustTime(TestWorld.Local(2027, 9, 1, 9));
        Assert.True((await RostersOf(world).DeactivateSubjectAsync(officer, "landlord-1")).Succeeded);

        world.Clock.AdjustTime(Year2028);
        Assert.Equal(0, await ErasureOf(world).EraseDueAsync()); // left again in 2027: kept through 2028
        Assert.Equal("13900000001", (await world.SubjectAsync("landlord-1")).Phone);

        world.Clock.AdjustTime(TestWorld.Local(2029, 1, 1));
        Assert.Equal(1, await ErasureOf(world).EraseDueAsync());
    }

    [Fact]
    public async Task The_live_view_of_an_old_week_and_the_honours_still_show_them_by_their_masked_name()
    {
        await using var world = await LandlordWhoLeftAsync();
        var officer = await world.StaffAsync("officer-1");
        world.Clock.AdjustTime(Year2028);
        await ErasureOf(world).EraseDueAsync();

        var preview = await world.Publication.PreviewAsync(officer, "houzhai", new IsoWeek(2026, 47), SubjectKind.Landlord);
        Assert.True(preview.Succeeded, preview.Failure?.English);
        Assert.Equal("应*乐", Assert.Single(preview.Value!.Standings, e => e.SubjectId == "landlord-1").Name);
        var card = await world.Scores.CardForStaffAsync(officer, "landlord-1");
        Assert.True(card.Succeeded, card.Failure?.English);
        Assert.Equal(("应*乐", null), (card.Value!.Subject.Name, card.Value.Subject.Phone));
    }

    [Fact]
    public async Task An_officer_is_never_asked_to_correct_a_published_week_for_an_erasure_alone()
    {
        // The chat's draft said "the records have changed: this would be a correction" of a week whose points had not.
        await using var world = await TestWorld.CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService);
        var waiting = await world.SelfReportAsync("landlord-2", DefaultRules.LandlordService); // approved only after the erasure
        var officer = await world.StaffAsync("officer-1");
        var week = IsoWeek.Containing(world.Clock.GetUtcNow(), TestWorld.Shanghai);
        world.Clock.AdjustTime(TestWorld.Local(2026, 11, 23, 9));
        var first = await world.Publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, null);
        Assert.Equal("landlord-1", Assert.Single(first.Value!.List.Red).SubjectId);
        Assert.True((await RostersOf(world).DeactivateSubjectAsync(officer, "landlord-1")).Succeeded);
        world.Clock.AdjustTime(Year2028);
        Assert.Equal(1, await ErasureOf(world).EraseDueAsync());

        var draft = await world.Db.WriteAsync(s => world.Publication.DraftInAsync(s, officer, "houzhai", week, SubjectKind.Landlord));
        var corrected = await world.Publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, "复核应*乐的记录");

        Assert.Equal(PublicationChange.Unchanged, draft.Value!.Change);
        Assert.Equal(first.Value.List.ContentHash, draft.Value.List.ContentHash);
        Assert.Equal((false, 1), (corrected.Value!.Created, corrected.Value.List.Revision));
        // A real change beside the erasure is a correction still, and freezes the masked name.
        await world.ApproveAsync(waiting);
        var changed = await world.Publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, "复核应*乐的记录");
        Assert.Equal((true, 2), (changed.Value!.Created, changed.Value.List.Revision));
        Assert.Equal("应*乐", Assert.Single(changed.Value.List.Red, e => e.SubjectId == "landlord-1").Name);
    }

    [Fact]
    public async Task An_erased_subject_cannot_be_brought_back_or_changed_the_roster_enters_them_anew()
    {
        await using var world = await LandlordWhoLeftAsync();
        world.Clock.AdjustTime(Year2028);
        await ErasureOf(world).EraseDueAsync();
        var officer = await world.StaffAsync("officer-1");

        var back = await RostersOf(world).UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Active: true));
        var tenant = await RostersOf(world).AddTenantAsync(officer, "landlord-1", new HoldingDraft(Name: "许佳"));

        Assert.Equal("subject-erased", back.Failure?.Code);
        Assert.Equal("subject-erased", tenant.Failure?.Code);
        Assert.False((await world.SubjectAsync("landlord-1")).Active);
    }

    [Fact]
    public async Task Someone_erased_who_appears_in_a_later_roster_with_the_same_phone_and_card_is_a_new_person()
    {
        await using var world = await LandlordWhoLeftAsync();
        world.Clock.AdjustTime(Year2028);
        await ErasureOf(world).EraseDueAsync();
        string[] header = [.. RosterColumns.Required, RosterColumns.IdCard];
        var sheet = new RosterSheet(new[] { header, ["房东", "fangtang", "应天乐", "13900000001", "", "王小明", "101", "", IdCard],
                ["房东", "fangtang", "王秀兰", "13900000002", "", "张伟", "", "", ""], ["房东", "fangtang", "陈建国", "13900000003", "", "刘洋", "", "", ""] }
            .Select((cells, i) => new RosterLine(i + 1, cells)).ToList(), []);

        var report = await new RosterImport(world.Db, world.Clock).ImportAsync(null, "houzhai", sheet, dryRun: false);

        Assert.True(report.Succeeded, report.Failure?.English);
        Assert.True(report.Value!.Applied, string.Join("; ", report.Value.Errors.Select(e => e.Problem)));
        var found = await world.Db.ReadAsync(s => s.FindSubjectByPhoneAsync("houzhai", SubjectKind.Landlord, "13900000001"));
        Assert.NotEqual("landlord-1", found!.Id);
        Assert.True(found.Active);
        var erased = await world.SubjectAsync("landlord-1");
        Assert.Equal(("应*乐", false, (string?)null), (erased.Name, erased.Active, erased.Phone));
    }

    [Fact]
    public async Task A_roster_row_without_a_phone_never_finds_an_erased_record_by_its_masked_name()
    {
        await using var world = await LandlordWhoLeftAsync();
        world.Clock.AdjustTime(Year2028);
        await ErasureOf(world).EraseDueAsync();
        // As an older record without a phone is written in an export, and would be found again by type, community and name.
        var sheet = new RosterSheet(new[] { [.. RosterColumns.Required], new[] { "房东", "fangtang", "应*乐", "", "", "", "", "" },
                ["房东", "fangtang", "王秀兰", "13900000002", "", "张伟", "", ""], ["房东", "fangtang", "陈建国", "13900000003", "", "刘洋", "", ""] }
            .Select((cells, i) => new RosterLine(i + 1, cells)).ToList(), []);

        var report = await new RosterImport(world.Db, world.Clock).ImportAsync(null, "houzhai", sheet, dryRun: false);

        Assert.Contains(report.Value!.Errors, e => e.Code == "phone-required");
        Assert.False((await world.SubjectAsync("landlord-1")).Active);
    }

    [Fact]
    public async Task A_correction_may_name_an_erased_person_by_their_masked_name()
    {
        await using var world = await LandlordWhoLeftAsync();
        world.Clock.AdjustTime(Year2028);
        await ErasureOf(world).EraseDueAsync();

        var reason = await world.Db.ReadAsync(async s => await Publication.CorrectionReasonAsync(s, (await s.GetStreetAsync("houzhai"))!, IsoWeek.Parse("2026-W47"), SubjectKind.Landlord, "应*乐的一条记录更正"));

        Assert.True(reason.Succeeded, reason.Failure?.English);
    }
}
