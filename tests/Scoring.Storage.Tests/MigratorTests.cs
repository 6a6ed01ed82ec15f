using Dapper;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;

namespace Scoring.Storage.Tests;

public class MigratorTests
{
    private static readonly DialectSql AppliedVersions = DialectSql.Both("SELECT version FROM schema_version ORDER BY version");
    private static readonly DialectSql Tables = DialectSql.Both("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");

    private static IReadOnlyList<string> ScriptNames(StorageProvider provider) => Migrator.Scripts(provider).Select(s => s.Name).ToList();

    [Fact]
    public async Task A_fresh_database_gets_every_migration_once_in_ordinal_order()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);

        var applied = await Migrator.MigrateAsync(world.Db, world.Clock);

        Assert.Equal(ScriptNames(StorageProvider.Sqlite), applied);
        Assert.Equal(applied.Order(StringComparer.Ordinal), applied);
        Assert.Equal(applied, await world.Db.ReadAsync(async s => (await s.QueryAsync<string>(AppliedVersions)).ToList()));
        Assert.Contains("score_events", await world.Db.ReadAsync(async s => (await s.QueryAsync<string>(Tables)).ToList()));
    }

    [Fact]
    public async Task Running_the_migrations_again_applies_nothing_and_keeps_the_data()
    {
        await using var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");

        var second = await Migrator.MigrateAsync(world.Db, world.Clock);
        var third = await Migrator.MigrateAsync(world.NewDatabase(), world.Clock);

        Assert.Empty(second);
        Assert.Empty(third);
        Assert.NotNull(await world.Db.ReadAsync(s => s.GetSubjectAsync("landlord-1")));
        Assert.Equal(ScriptNames(StorageProvider.Sqlite), await world.Db.ReadAsync(async s => (await s.QueryAsync<string>(AppliedVersions)).ToList()));
    }

    [Fact]
    public async Task Two_instances_migrating_one_file_at_the_same_moment_apply_each_migration_exactly_once()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        var (a, b) = (world.NewDatabase(), world.NewDatabase());

        var results = await Task.WhenAll(Migrator.MigrateAsync(a, world.Clock), Migrator.MigrateAsync(b, world.Clock));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(ScriptNames(StorageProvider.Sqlite), all.Order(StringComparer.Ordinal));
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(ScriptNames(StorageProvider.Sqlite), await world.Db.ReadAsync(async s => (await s.QueryAsync<string>(AppliedVersions)).ToList()));
    }

    [Fact]
    public async Task Chat_accounts_dialogs_and_cycle_totals_from_before_0410_keep_their_rows_and_are_then_stored_by_key()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        // The database as it stood before 0410, with a row in each table that 0410 rebuilds.
        await world.MigrateBeforeAsync("0410");
        await world.Db.WriteAsync(async s =>
        {
            await s.Connection.ExecuteAsync(
                "INSERT INTO chat_accounts (channel_id, user_id, person_kind, person_id, bound_at) VALUES ('wechat', 'u-1', 'subject', 'landlord-1', '2026-11-02T08:00:00+00:00');" +
                "INSERT INTO chat_dialogs (dialog_key, channel_id, user_id, verb, step, values_json, updated_at, greeted_at) " +
                "VALUES ('k-1', 'wechat', 'u-1', 'Return', 'arrival', '{\"tenant\":\"t-1\"}', '2026-11-02T08:01:00+00:00', '2026-11-02T08:00:00+00:00');" +
                "INSERT INTO subject_cycle_totals (subject_id, cycle, total, deductions) VALUES ('landlord-1', '2026', -3, 4);",
                transaction: s.Transaction);
        });

        var applied = await Migrator.MigrateAsync(world.Db, world.Clock);

        Assert.Equal(["0410_keyed_tables", "0420_recent_events", "0430_processed_activities_in_order"], applied.Take(3)); // and any later ones
        var rows = await world.Db.ReadAsync(async s => (
            Account: await s.Connection.QuerySingleAsync<string>("SELECT channel_id || '|' || user_id || '|' || person_kind || '|' || person_id || '|' || bound_at FROM chat_accounts"),
            Dialog: await s.Connection.QuerySingleAsync<string>("SELECT dialog_key || '|' || verb || '|' || step || '|' || values_json || '|' || updated_at || '|' || greeted_at FROM chat_dialogs"),
            Totals: await s.Connection.QuerySingleAsync<string>("SELECT subject_id || '|' || cycle || '|' || total || '|' || deductions FROM subject_cycle_totals"),
            Keyed: (await s.Connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID' ORDER BY name")).ToList(),
            Indexes: (await s.Connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'chat_accounts' AND sql IS NOT NULL")).ToList()));
        Assert.Equal("wechat|u-1|subject|landlord-1|2026-11-02T08:00:00+00:00", rows.Account);
        Assert.Equal("k-1|Return|arrival|{\"tenant\":\"t-1\"}|2026-11-02T08:01:00+00:00|2026-11-02T08:00:00+00:00", rows.Dialog);
        Assert.Equal("landlord-1|2026|-3|4", rows.Totals);
        // chat_account_records (0680) is made keyed from the start.
        Assert.Equal(["chat_account_records", "chat_accounts", "chat_dialogs", "subject_cycle_totals"], rows.Keyed);
        // An account bound before 0680 speaks for its one record, read without a second statement.
        Assert.Equal(0, await world.Db.ReadAsync(s => s.Connection.QuerySingleAsync<int>("SELECT more_records FROM chat_accounts")));
        Assert.Equal(["ix_chat_accounts_person"], rows.Indexes);
    }

    /// <summary>
    /// Every stored phone ("id=phone") after 0480, on a database that held these before it: subjects of one street,
    /// a tenant and a staff member.
    /// </summary>
    private static async Task<List<string>> PhonesAfter0480Async(IEnumerable<(string Id, string Phone)> subjects, string tenantPhone, string staffPhone)
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await world.MigrateBeforeAsync("0480");
        await world.Db.WriteAsync(async s =>
        {
            await s.Connection.ExecuteAsync(
                "INSERT INTO streets (id, name, settings_json, created_at) VALUES ('st', 'S', '{}', '2026-11-02T08:00:00+00:00');" +
                "INSERT INTO communities (id, street_id, name) VALUES ('c', 'st', 'C');", transaction: s.Transaction);
            foreach (var (id, phone) in subjects)
                await s.Connection.ExecuteAsync("INSERT INTO subjects (id, street_id, community_id, kind, name, phone, created_at) " +
                    "VALUES (@id, 'st', 'c', 'landlord', @id, @phone, '2026-11-02T08:00:00+00:00')", new { id, phone }, s.Transaction);
            await s.Connection.ExecuteAsync("INSERT INTO tenants (id, subject_id, name, phone) VALUES ('t', @first, 'T', @tenantPhone);" +
                "INSERT INTO staff (id, street_id, role, name, phone) VALUES ('s', 'st', 'officer', 'S', @staffPhone);",
                new { first = subjects.First().Id, tenantPhone, staffPhone }, s.Transaction);
        });

        await Migrator.MigrateAsync(world.Db, world.Clock);

        return await world.Db.ReadAsync(async s => (await s.Connection.QueryAsync<string>(
            "SELECT id || '=' || phone FROM subjects UNION ALL SELECT id || '=' || phone FROM tenants UNION ALL SELECT id || '=' || phone FROM staff ORDER BY 1")).ToList());
    }

    [Fact]
    public async Task Phones_stored_with_the_country_code_before_0480_are_kept_as_dialled_at_home_unless_another_holds_that()
    {
        var phones = await PhonesAfter0480Async(
            [("a", "+8613900000001"), ("b", "008613900000002"), ("d", "+862112345678"), ("e", "+8613900000005"), ("f", "13900000005"), ("g", "+85291234567")],
            tenantPhone: "8613900000003", staffPhone: "+8675512345678");

        Assert.Equal(["a=13900000001", "b=13900000002", "d=02112345678",
            "e=+8613900000005", // F holds the short form: both stay, for the street office to merge
            "f=13900000005", "g=+85291234567", "s=075512345678", "t=13900000003"], phones);
    }

    [Fact]
    public async Task A_400_service_number_stored_with_the_country_code_before_0480_loses_it_without_gaining_a_trunk_zero()
    {
        var phones = await PhonesAfter0480Async([("a", "+864008108888"), ("b", "00868008108888")], tenantPhone: "+864001234567", staffPhone: "00864007654321");

        Assert.Equal(["a=4008108888", "b=8008108888", "s=4007654321", "t=4001234567"], phones);
    }

    [Fact]
    public async Task Two_landlords_of_a_street_whose_long_forms_shorten_to_one_number_both_keep_them_for_the_office_to_merge()
    {
        var phones = await PhonesAfter0480Async([("a", "+8613900000007"), ("b", "008613900000007")], tenantPhone: "+8613900000007", staffPhone: "+8613900000007");

        Assert.Equal(["a=+8613900000007", "b=008613900000007", "s=13900000007", "t=13900000007"], phones);
    }

    [Fact]
    public async Task Enrolment_codes_left_valid_side_by_side_before_0530_are_replaced_by_each_persons_newest_which_alone_stays_valid()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await world.MigrateBeforeAsync("0530");
        var at = new DateTimeOffset(2026, 11, 18, 1, 0, 0, TimeSpan.Zero);
        // landlord-1: an expired code a later one did not replace (before 0530 expired ones were skipped), then two issued
        // at one instant by two instances (the later hash is kept), a used one and one replaced properly.
        (string Hash, string Kind, string Person, DateTimeOffset IssuedAt, DateTimeOffset? UsedAt, DateTimeOffset? ReplacedAt)[] codes =
        [
            ("a-expired", "subject", "landlord-1", at.AddDays(-10), null, null),
            ("b-raced", "subject", "landlord-1", at, null, null),
            ("c-raced", "subject", "landlord-1", at, null, null),
            ("d-used", "subject", "landlord-1", at.AddDays(-20), at.AddDays(-19), null),
            ("e-replaced", "subject", "landlord-1", at.AddDays(-30), null, at.AddDays(-10)),
            ("f-alone", "subject", "landlord-2", at.AddDays(-1), null, null),
            ("g-staff", "staff", "landlord-1", at.AddDays(-2), null, null),
        ];
        await world.Db.WriteAsync(async s =>
        {
            foreach (var c in codes)
                await s.Connection.ExecuteAsync(
                    "INSERT INTO enrolment_codes (code_hash, person_kind, person_id, issued_by, issued_at, expires_at, used_at, used_by, replaced_at) " +
                    "VALUES (@Hash, @Kind, @Person, 'officer-1', @IssuedAt, @ExpiresAt, @UsedAt, NULL, @ReplacedAt)",
                    new { c.Hash, c.Kind, c.Person, c.IssuedAt, ExpiresAt = c.IssuedAt.AddDays(7), c.UsedAt, c.ReplacedAt }, s.Transaction);
        });

        await Migrator.MigrateAsync(world.Db, world.Clock);

        var rows = await world.Db.ReadAsync(async s => (await s.Connection.QueryAsync<string>(
            "SELECT code_hash || '=' || COALESCE(replaced_at, '-') FROM enrolment_codes ORDER BY code_hash", transaction: s.Transaction)).ToList());
        string Text(DateTimeOffset t) => DateTimeOffsetHandler.ToText(t);
        Assert.Equal([$"a-expired={Text(at)}", $"b-raced={Text(at)}", "c-raced=-", "d-used=-", $"e-replaced={Text(at.AddDays(-10))}", "f-alone=-", "g-staff=-"], rows);
        var duplicate = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "INSERT INTO enrolment_codes (code_hash, person_kind, person_id, issued_by, issued_at, expires_at) VALUES ('h-second', 'subject', 'landlord-2', 'officer-1', @at, @at)",
            new { at }, s.Transaction)));
        Assert.True(TransientFaults.IsUniqueViolation(duplicate));
    }

    [Fact]
    public async Task Subjects_off_the_roster_before_0570_count_in_the_same_weeks_after_it()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await world.MigrateBeforeAsync("0570");
        var left = new IsoWeek(2026, 45).Start(StorageWorld.Shanghai).AddDays(2);
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "INSERT INTO streets (id, name, settings_json, created_at) VALUES ('houzhai', 'H', '{}', '2026-01-01T00:00:00.0000000Z');" +
            "INSERT INTO communities (id, street_id, name) VALUES ('c', 'houzhai', 'C');" +
            "INSERT INTO subjects (id, street_id, community_id, kind, name, active, deactivated_at, created_at) VALUES " +
            "('stayed', 'houzhai', 'c', 'Landlord', 'A', 1, NULL, '2026-01-01T00:00:00.0000000Z'), " +
            "('left-in-w45', 'houzhai', 'c', 'Landlord', 'B', 0, @left, '2026-01-01T00:00:00.0000000Z'), " +
            // Taken off before 0510 recorded when: out of every week.
            "('left-before-0510', 'houzhai', 'c', 'Landlord', 'C', 0, NULL, '2026-01-01T00:00:00.0000000Z');",
            new { left = DateTimeOffsetHandler.ToText(left) }, s.Transaction));

        await Migrator.MigrateAsync(world.Db, world.Clock);

        async Task<IEnumerable<string>> Counted(int week)
        {
            var w = new IsoWeek(2026, week);
            var rows = await world.Db.ReadAsync(s => s.WeekFiguresAsync("houzhai", SubjectKind.Landlord, null, ScoringCycle.Containing(w, CycleKind.WeekYear), w, StorageWorld.Shanghai));
            return rows.Select(r => r.SubjectId).Order(StringComparer.Ordinal);
        }
        Assert.Equal(["left-in-w45", "stayed"], await Counted(2));
        Assert.Equal(["left-in-w45", "stayed"], await Counted(45));
        Assert.Equal(["stayed"], await Counted(46));
    }

    [Fact]
    public async Task Tenant_returns_recorded_before_ids_sorted_by_time_get_ids_of_when_they_were_reported_which_the_ranges_of_returns_then_find()
    {
        // Returns were given random ids until 6adad2c; the weekly report, the return reminders and the late-return copy
        // check read returns as a range of time-ordered ids, so an old row was missed by its week (or walked by every range).
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await world.MigrateBeforeAsync("0710");
        await world.SeedStreetAsync("houzhai", "landlord-1");
        var week = new IsoWeek(2026, 45);
        // Wednesday 10:00 and a moment before the next second: rounded, its milliseconds would be the next second's.
        var reported = week.Start(StorageWorld.Shanghai).AddDays(2).AddHours(10).AddTicks(9_999_999);
        // Sunday night's last instant, stored in another form (an offset, four digits of a second): rounded to the
        // millisecond it would be Monday 00:00, in the next week's range with its time in this one's, counted in neither.
        var sundayNight = week.End(StorageWorld.Shanghai).AddTicks(-4_000);
        var thursdayNoon = week.Start(StorageWorld.Shanghai).AddDays(3).AddHours(12).AddTicks(1_235_000); // .1235: rounded, .124
        static string WithOffset(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffzzz", System.Globalization.CultureInfo.InvariantCulture);
        var arrival = reported.AddHours(-30);
        var madeSince = Ids.Ordered(reported.AddDays(7)); // the next week
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "INSERT INTO tenants (id, subject_id, name) VALUES ('t1', 'landlord-1', '租客');" +
            "INSERT INTO tenant_returns (id, tenant_id, subject_id, arrival_at, reported_at, source, late_event_id) VALUES " +
            // Random ids as Ids.New(12) made them: one sorting after every time-ordered id, one before them.
            "('K7M2Q9X4ABCD', 't1', 'landlord-1', @arrival, @reported, 'chat:old-after', 'E1'), " +
            "('0A1B2C3D4E5F', 't1', 'landlord-1', @arrivalLater, @reportedLater, 'chat:old-before', NULL), " +
            "(@madeSince, 't1', 'landlord-1', @arrival, @reportedSince, 'chat:new', NULL), " +
            "('Z9Y8X7W6V5T4', 't1', 'landlord-1', @arrivalSunday, @reportedSunday, 'chat:old-offset', NULL), " +
            "('M3N4P5Q6R7S8', 't1', 'landlord-1', @arrivalThursday, @reportedThursday, 'chat:old-offset-noon', NULL);",
            new
            {
                arrival = DateTimeOffsetHandler.ToText(arrival), reported = DateTimeOffsetHandler.ToText(reported),
                arrivalLater = DateTimeOffsetHandler.ToText(arrival.AddHours(1)), // another return (one tenant and arrival is one return)
                reportedLater = DateTimeOffsetHandler.ToText(reported.AddHours(1)), madeSince, reportedSince = DateTimeOffsetHandler.ToText(reported.AddDays(7)),
                arrivalSunday = DateTimeOffsetHandler.ToText(arrival.AddHours(2)),
                reportedSunday = WithOffset(sundayNight),
                arrivalThursday = DateTimeOffsetHandler.ToText(arrival.AddHours(3)), reportedThursday = WithOffset(thursdayNoon),
            }, s.Transaction));

        await Migrator.MigrateAsync(world.Db, world.Clock);

        var ids = (await world.Db.ReadAsync(s => s.Connection.QueryAsync<(string Id, string Source)>("SELECT id, source FROM tenant_returns", transaction: s.Transaction)))
            .ToDictionary(r => r.Source, r => r.Id);
        Assert.Equal(Ids.OrderedFloor(reported) + "K7M2Q9X4ABCD", ids["chat:old-after"]);
        Assert.Equal(Ids.OrderedFloor(reported.AddHours(1)) + "0A1B2C3D4E5F", ids["chat:old-before"]);
        Assert.Equal(Ids.OrderedFloor(sundayNight) + "Z9Y8X7W6V5T4", ids["chat:old-offset"]);
        Assert.Equal(Ids.OrderedFloor(thursdayNoon) + "M3N4P5Q6R7S8", ids["chat:old-offset-noon"]);
        Assert.Equal(madeSince, ids["chat:new"]); // made time-ordered: kept
        var counted = await world.Db.ReadAsync(s => s.WeekReturnsAsync("houzhai", week, StorageWorld.Shanghai,
            Ids.OrderedFloor(week.Start(StorageWorld.Shanghai)), Ids.OrderedFloor(week.End(StorageWorld.Shanghai))));
        Assert.Equal((4L, 1L), (Assert.Single(counted).Reported, Assert.Single(counted).Late));
        var copy = await world.Db.ReadAsync(s => s.GetTenantReturnAmongAsync("t1", arrival, Ids.OrderedFloor(arrival), Ids.OrderedFloor(reported.AddMilliseconds(1))));
        Assert.Equal("chat:old-after", copy?.Source);
    }

    [Fact]
    public async Task A_tenant_return_whose_time_cannot_be_read_stops_0710_rather_than_keeping_its_random_id()
    {
        // Its milliseconds would be NULL and the row left out of every week's range without a word.
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await world.MigrateBeforeAsync("0710");
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "INSERT INTO tenants (id, subject_id, name) VALUES ('t1', 'landlord-1', '租客');" +
            "INSERT INTO tenant_returns (id, tenant_id, subject_id, arrival_at, reported_at, source) VALUES ('K7M2Q9X4ABCD', 't1', 'landlord-1', '2026-11-01T00:00:00.0000000Z', 'yesterday', 'chat:old');",
            transaction: s.Transaction));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Migrator.MigrateAsync(world.Db, world.Clock));

        Assert.Contains("reported_at", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal("K7M2Q9X4ABCD", await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>("SELECT id FROM tenant_returns", transaction: s.Transaction)));
    }

    [Fact]
    public async Task Replies_and_dialogs_that_kept_an_enrolment_code_in_clear_before_0730_keep_none()
    {
        // Until 0730 a chat reply carrying a code was kept as it went out: a backup of the week's handled activities, of
        // the outbox's sent messages and dead letters handed out live codes, and so did a dialog asking to confirm a move.
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await world.MigrateBeforeAsync("0730");
        const string Issued = "[{\"type\":\"message\",\"text\":\"已为王秀兰（方塘村 · 房东 · 尾号0002）生成绑定码：AB12CD34\\n请对方私聊我发送「绑定 AB12CD34」完成绑定。\"}]";
        const string Again = "{\"type\":\"message\",\"text\":\"09:00 已为王秀兰（方塘村）生成过绑定码，这个码仍然有效，没有另发新码：EF56GH78\"}";
        const string English = "{\"type\":\"message\",\"text\":\"Enrolment code for Wang (Fangtang): JK90MN12\\nAsk them to send me \\\"bind JK90MN12\\\" in a private chat.\"}";
        const string Other = "{\"type\":\"message\",\"text\":\"绑定成功！您好，王秀兰（房东）。\"}";
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "INSERT INTO bot_processed_activity (activity_key, channel_id, conversation_id, activity_id, replies_json, processed_at) VALUES " +
            "('k1', 'test', 'c1', 'a1', @Issued, '2026-11-20T00:00:00.0000000Z'), ('k2', 'test', 'c1', 'a2', @OtherList, '2026-11-20T00:00:00.0000000Z');" +
            "INSERT INTO bot_outbox (id, conversation_key, service_url, channel_id, conversation_id, activity_json, created_at, next_attempt_at, sent_at, dead_lettered_at, last_error) VALUES " +
            "('sent', 'k', 'http://x', 'test', 'c1', @Again, '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:01.0000000Z', NULL, NULL), " +
            "('dead', 'k', 'http://x', 'test', 'c1', @English, '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:00.0000000Z', NULL, '2026-11-20T00:01:00.0000000Z', 'Refused: 400'), " +
            "('other', 'k', 'http://x', 'test', 'c1', @Other, '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:01.0000000Z', NULL, NULL);" +
            "INSERT INTO chat_dialogs (dialog_key, channel_id, user_id, verb, step, values_json, updated_at, greeted_at) VALUES " +
            "('d1', 'test', 'u1', 'Bind', 'rebind', '{\"code\":\"PQ34RS56\",\"last-answer\":\"PQ34RS56\"}', '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:00.0000000Z'), " +
            "('d2', 'test', 'u2', 'Report', 'note', '{\"tenant\":\"t1\"}', '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:00.0000000Z');",
            new { Issued, OtherList = $"[{Other}]", Again, English, Other }, s.Transaction));

        // As the chat writes them: a code issued in English after a greeting, a typed code quoted back (没看懂「…」), and the
        // English help of a secretary, whose line on 发码 says "issue an enrolment code for" and carries no code.
        var issuedAfterGreeting = Scoring.Bot.Protocol.ActivityJson.Serialize(new Scoring.Bot.Protocol.Activity
        {
            Type = "message",
            Text = "Hello Fang! I am the scoring assistant.\nEnrolment code for Wang Xiulan (Fangtang · landlord): ST78UV90\nAsk them to send me \"bind ST78UV90\" in a private chat.",
        });
        var quoted = Scoring.Bot.Protocol.ActivityJson.SerializeAll([new Scoring.Bot.Protocol.Activity { Type = "message", Text = "没看懂「我的码是WX12YZ34，怎么用」。" }]);
        var help = Scoring.Bot.Protocol.ActivityJson.Serialize(new Scoring.Bot.Protocol.Activity
        {
            Type = "message",
            Text = "Secretary commands:\n· pending — the reports waiting for you\n· code <name-or-phone> — issue an enrolment code for someone you look after (in private; valid 30 days)",
        });
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "INSERT INTO bot_processed_activity (activity_key, channel_id, conversation_id, activity_id, replies_json, processed_at) VALUES " +
            "('k3', 'test', 'c1', 'a3', @quoted, '2026-11-20T00:00:00.0000000Z');" +
            "INSERT INTO bot_outbox (id, conversation_key, service_url, channel_id, conversation_id, activity_json, created_at, next_attempt_at, sent_at, dead_lettered_at, last_error) VALUES " +
            "('greeted', 'k', 'http://x', 'test', 'c1', @issuedAfterGreeting, '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:01.0000000Z', NULL, NULL), " +
            "('help-sent', 'k', 'http://x', 'test', 'c1', @help, '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:01.0000000Z', NULL, NULL), " +
            "('help-dead', 'k', 'http://x', 'test', 'c1', @help, '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:00.0000000Z', NULL, '2026-11-20T00:01:00.0000000Z', 'Refused: 400');",
            new { quoted, issuedAfterGreeting, help }, s.Transaction));

        await Migrator.MigrateAsync(world.Db, world.Clock);

        // The help is not a reply that carried a code: an admin reading the dead letter reads what failed to go.
        Assert.Equal([help, help], await world.Db.ReadAsync(async s =>
            (await s.Connection.QueryAsync<string>("SELECT activity_json FROM bot_outbox WHERE id LIKE 'help-%'", transaction: s.Transaction)).ToList()));
        var kept = string.Join("\n", await world.Db.ReadAsync(async s =>
            (await s.Connection.QueryAsync<string>("SELECT replies_json FROM bot_processed_activity", transaction: s.Transaction))
            .Concat(await s.Connection.QueryAsync<string>("SELECT activity_json FROM bot_outbox", transaction: s.Transaction))
            .Concat(await s.Connection.QueryAsync<string>("SELECT COALESCE(values_json, '') FROM chat_dialogs", transaction: s.Transaction))));
        foreach (var code in new[] { "AB12CD34", "EF56GH78", "JK90MN12", "PQ34RS56", "ST78UV90", "WX12YZ34" }) Assert.DoesNotContain(code, kept, StringComparison.Ordinal);
        // What the rows are for stays: the activity is still one handled, the dead letter still says why, the rest as it was.
        Assert.Equal(3, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM bot_processed_activity", transaction: s.Transaction)));
        Assert.Equal("Refused: 400", await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>("SELECT last_error FROM bot_outbox WHERE id = 'dead'", transaction: s.Transaction)));
        Assert.Contains("绑定成功", kept, StringComparison.Ordinal);
        // A handled activity's replies that quote nothing cannot hold a typed code: kept for a redelivery as they were.
        Assert.Contains("绑定成功", await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>("SELECT replies_json FROM bot_processed_activity WHERE activity_key = 'k2'", transaction: s.Transaction)));
        Assert.Contains("\"tenant\":\"t1\"", kept, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instance_starting_while_another_process_holds_the_write_lock_says_within_seconds_that_it_waits()
    {
        // It sat silent for a minute and a half before; now it stops after ~15 s, and says why it waits before that.
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await using var db = new Database(StorageProvider.Sqlite, world.ConnectionString); // the notice waits on real time, as SQLite does
        await using var other = await world.OpenConnectionAsync();
        await other.ExecuteAsync("BEGIN IMMEDIATE");
        var said = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waited = System.Diagnostics.Stopwatch.StartNew();

        var migrating = Migrator.MigrateAsync(db, TimeProvider.System, waiting: said.SetResult);
        var message = await said.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var saidAfter = waited.Elapsed;
        await other.ExecuteAsync("ROLLBACK");

        Assert.True(saidAfter < TimeSpan.FromSeconds(5), $"said after {saidAfter.TotalSeconds:0.0} s");
        Assert.Contains("holds its write lock", message, StringComparison.Ordinal);
        Assert.Equal(ScriptNames(StorageProvider.Sqlite), await migrating); // let go in time: it goes on
    }

    [Fact]
    public void On_SQL_Server_a_migration_and_its_lock_run_without_the_clients_thirty_second_command_timeout()
    {
        // A migration that rewrites or indexes a year's table takes as long as it takes: cut off at SqlClient's 30 s, it was
        // rolled back, retried as a transient fault and cut off again, and the upgrade could never pass. The lock's wait is
        // bounded by sp_getapplock's own @LockTimeout.
        Assert.Equal(0, Migrator.Command(StorageProvider.SqlServer, "SELECT 1", null, default).CommandTimeout);
        // SQLite: the connection's own (Database keeps the driver's retry short), never 0, which would retry a lock for ever.
        Assert.Null(Migrator.Command(StorageProvider.Sqlite, "SELECT 1", null, default).CommandTimeout);
    }

    [Fact]
    public void Every_migration_exists_in_both_dialects()
    {
        Assert.NotEmpty(ScriptNames(StorageProvider.Sqlite));
        Assert.Equal(ScriptNames(StorageProvider.Sqlite), ScriptNames(StorageProvider.SqlServer));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("SqlServer")]
    public void Every_migration_file_on_disk_is_embedded(string dialect)
    {
        var folder = Path.Combine(StorageWorld.RepositoryRoot, "src", "Scoring.Storage", "Migrations", dialect);
        var onDisk = Directory.GetFiles(folder, "*.sql").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(onDisk, ScriptNames(Enum.Parse<StorageProvider>(dialect)));
    }

    [Fact]
    public async Task Rule_sets_stored_before_0780_mark_the_default_reopen_and_missed_round_rules_as_scored_once_and_keep_every_other_field()
    {
        // Before 0780 "once per shop a cycle" and "once a day" were keyed on these two codes; they are now data on the rule.
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        await world.MigrateBeforeAsync("0780");
        await world.SeedStreetAsync("houzhai");
        const string Old = """
            [{"code":"shop-reopen-helped","nameZh":"\u534F\u52A9\u5E97\u94FA\u590D\u5DE5\u767B\u8BB0","nameEn":"Helped a shop register to reopen","appliesTo":"ShopHead","delta":1,"reportedBy":["Self","Secretary"],"needsVerification":true,"weeklyCap":3},
             {"code":"Round-Missed","nameZh":"\u672A\u5B8C\u6210\u6BCF\u65E5\u5DE1\u67E5","nameEn":"Daily round missed","appliesTo":"ShopHead","delta":-1,"reportedBy":["System","GridWorker","Secretary"],"needsVerification":true,"weeklyCap":null},
             {"code":"tenant-service","nameZh":"\u4E3A\u79DF\u5BA2\u4EE3\u529E","nameEn":"Service done on a tenant's behalf","appliesTo":"Landlord","delta":1,"reportedBy":["Self","Secretary"],"needsVerification":false,"weeklyCap":3}]
            """;
        const string Renamed = """[{"code":"shop-reopened","nameZh":"\u590D\u5DE5","nameEn":"Reopened","appliesTo":"ShopHead","delta":2,"reportedBy":["Self"],"needsVerification":true,"weeklyCap":null}]""";
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "INSERT INTO rule_sets (street_id, version, effective_from, rules_json, created_at, created_by) VALUES " +
            "('houzhai', 1, '2026-01-05T00:00:00.0000000+08:00', @Old, '2026-01-01T00:00:00.0000000Z', 'seed'), " +
            "('houzhai', 2, '2026-02-02T00:00:00.0000000+08:00', @Renamed, '2026-01-30T00:00:00.0000000Z', 'officer-1');",
            new { Old, Renamed }, s.Transaction));

        await Migrator.MigrateAsync(world.Db, world.Clock);

        var sets = await world.Db.ReadAsync(s => s.ListRuleSetsForChangeAsync("houzhai"));
        Assert.Equal([("shop-reopen-helped", (OncePer?)OncePer.TargetPerCycle), ("Round-Missed", OncePer.SubjectPerDay), ("tenant-service", null)],
            sets[0].Rules.Select(r => (r.Code, r.Once)));
        // Every other field as it was, in its order.
        Assert.Equal(
            [("协助店铺复工登记", SubjectKind.ShopHead, 1, "Self,Secretary", true, (int?)3), ("未完成每日巡查", SubjectKind.ShopHead, -1, "System,GridWorker,Secretary", true, null),
             ("为租客代办", SubjectKind.Landlord, 1, "Self,Secretary", false, 3)],
            sets[0].Rules.Select(r => (r.NameZh, r.AppliesTo, r.Delta, string.Join(',', r.ReportedBy), r.NeedsVerification, r.WeeklyCap)));
        Assert.Equal("Service done on a tenant's behalf", sets[0].Rules[2].NameEn);
        // A street's own code is its own rule: the office says whether it is scored once (GET and PUT /rules).
        Assert.Null(Assert.Single(sets[1].Rules).Once);
    }

    [Fact]
    public void Migration_names_start_with_a_four_digit_number_so_ordinal_order_is_numeric_order() =>
        Assert.All(ScriptNames(StorageProvider.Sqlite).Concat(ScriptNames(StorageProvider.SqlServer)),
            name => Assert.Matches(@"^[0-9]{4}_[a-z0-9_]+$", name));
}
