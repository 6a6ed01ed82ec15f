using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Time.Testing;
using Scoring.Application;
using Scoring.Application.Demo;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;

namespace Scoring.Storage.Tests.SqlServer;

/// <summary>
/// The same migration, report and publish path as on SQLite, against a real SQL Server. Each test gets a
/// database of its own and drops it afterwards.
/// </summary>
public sealed class LiveSqlServerTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private readonly string _name = "scoring_test_" + Guid.NewGuid().ToString("N")[..12];
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8)));
    private Database _db = null!;
    private bool _created;

    private static string Server => SqlServerFactAttribute.ConnectionString!;

    private static async Task ExecuteOnServerAsync(string sql)
    {
        var master = new SqlConnectionStringBuilder(Server) { InitialCatalog = "master" }.ConnectionString;
        await using var connection = new SqlConnection(master);
        await connection.OpenAsync();
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task InitializeAsync()
    {
        if (SqlServerFactAttribute.ConnectionString is null) return;
        await ExecuteOnServerAsync($"CREATE DATABASE [{_name}]");
        _created = true;
        _db = new Database(StorageProvider.SqlServer, new SqlConnectionStringBuilder(Server) { InitialCatalog = _name }.ConnectionString, _clock);
    }

    public async Task DisposeAsync()
    {
        if (!_created) return;
        await _db.DisposeAsync();
        SqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"ALTER DATABASE [{_name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_name}]");
    }

    [SqlServerFact]
    public async Task Migrations_apply_once_and_a_second_run_applies_nothing()
    {
        var first = await Migrator.MigrateAsync(_db, _clock);
        var second = await Migrator.MigrateAsync(_db, _clock);

        Assert.Equal(Migrator.Scripts(StorageProvider.SqlServer).Select(s => s.Name), first);
        Assert.Empty(second);
    }

    [SqlServerFact]
    public async Task The_staff_actions_record_reads_from_the_newest_and_pages_back_under_the_database_s_collation()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var officer = (await _db.ReadAsync(s => s.GetStaffAsync("officer-1")))!;
        var tokens = new StaffTokens(_db, _clock);
        for (int i = 0; i < 3; i++)
        {
            Assert.True((await tokens.IssueAsync(officer, "secretary-fangtang")).Succeeded);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        var actions = new StaffActions(_db);

        var first = (await actions.ReadAsync(officer, "houzhai", 2, null)).Value!;
        var second = (await actions.ReadAsync(officer, "houzhai", 2, first.Next)).Value!;

        Assert.Equal(2, first.Items.Count);
        Assert.Single(second.Items);
        Assert.All(first.Items.Concat(second.Items), a => Assert.Equal(StaffActions.TokenIssued, a.Action));
    }

    [SqlServerFact]
    public async Task Staff_actions_of_one_instant_page_back_one_at_a_time_each_once()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var officer = (await _db.ReadAsync(s => s.GetStaffAsync("officer-1")))!;
        var tokens = new StaffTokens(_db, _clock);
        for (int i = 0; i < 3; i++) Assert.True((await tokens.IssueAsync(officer, "secretary-fangtang")).Succeeded); // the clock stands still
        var actions = new StaffActions(_db);

        var seen = new List<string>();
        StaffActionCursor? next = null;
        do
        {
            var page = (await actions.ReadAsync(officer, "houzhai", 1, next)).Value!;
            seen.AddRange(page.Items.Select(a => a.Id));
            next = page.Next;
        } while (next is not null);

        var all = (await actions.ReadAsync(officer, "houzhai", StaffActions.MaxPage, null)).Value!.Items.Select(a => a.Id).ToList();
        Assert.Equal(all, seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [SqlServerFact]
    public async Task A_report_approved_and_published_gives_the_same_list_and_hash_as_its_preview()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var notices = new NoNotices();
        var reporting = new Reporting(_db, _clock, notices);
        var verification = new Verification(_db, _clock, notices);
        var publication = new Publication(_db, _clock, notices);
        var landlord = (await _db.ReadAsync(s => s.GetSubjectAsync("landlord-1")))!;
        var secretary = (await _db.ReadAsync(s => s.GetStaffAsync("secretary-fangtang")))!;
        var officer = (await _db.ReadAsync(s => s.GetStaffAsync("officer-1")))!;

        var report = await reporting.ReportAsync(new ReportRequest(Actor.Of(landlord), landlord.Id, DefaultRules.LandlordService, "sqlserver:1", "代购生活用品"));
        Assert.True(report.Succeeded, report.Failure?.English);
        var replay = await reporting.ReportAsync(new ReportRequest(Actor.Of(landlord), landlord.Id, DefaultRules.LandlordService, "sqlserver:1", "代购生活用品"));
        Assert.True(replay.Value!.Replayed);
        Assert.True((await verification.ApproveAsync(secretary, report.Value!.Event.Id)).Succeeded);

        var week = IsoWeek.Containing(_clock.GetUtcNow(), Shanghai);
        Assert.Equal("week-not-over", (await publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, null)).Failure!.Code);
        _clock.Advance(TimeSpan.FromDays(6));
        var published = await publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, null);
        var again = await publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, null);
        var preview = await publication.PreviewAsync(officer, "houzhai", week, SubjectKind.Landlord);

        Assert.True(published.Value!.Created);
        Assert.False(again.Value!.Created);
        Assert.Equal(("landlord-1", 13), (published.Value.List.Red.Single().SubjectId, published.Value.List.Red.Single().Balance));
        Assert.Equal(published.Value.List.ContentHash, preview.Value!.List.ContentHash);
        Assert.Equal(published.Value.List, await publication.PublishedAsync("houzhai", week, SubjectKind.Landlord), new ListComparer());
    }

    [SqlServerFact]
    public async Task The_settings_in_force_at_a_time_are_read_from_the_change_before_it_or_the_first()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var first = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));
        var second = new DateTimeOffset(2026, 11, 16, 15, 0, 0, TimeSpan.FromHours(8));
        await _db.WriteAsync(async s =>
        {
            await s.ChangeSettingsAsync("houzhai", new StreetSettings { LateReturnWindow = TimeSpan.FromHours(48) }, "officer-1", ["lateReturnWindowHours"], first);
            await s.ChangeSettingsAsync("houzhai", new StreetSettings { LateReturnWindow = TimeSpan.FromHours(24) }, "officer-1", ["lateReturnWindowHours"], second);
        });

        var read = await _db.ReadAsync(async s => new[]
        {
            await s.SettingsInForceAtAsync("houzhai", first.AddDays(-1)), await s.SettingsInForceAtAsync("houzhai", second.AddMinutes(-30)),
            await s.SettingsInForceAtAsync("houzhai", second.AddDays(1)),
        });

        Assert.Equal([first, first, second], read.Select(x => x!.At));
        Assert.Null(await _db.ReadAsync(s => s.SettingsInForceAtAsync("elsewhere", second)));
    }

    [SqlServerFact]
    public async Task A_page_of_the_pending_queue_is_skipped_to_by_the_server()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var reporting = new Reporting(_db, _clock, new NoNotices());
        var landlord = (await _db.ReadAsync(s => s.GetSubjectAsync("landlord-1")))!;
        for (int i = 0; i < 12; i++)
        {
            Assert.True((await reporting.ReportAsync(new ReportRequest(Actor.Of(landlord), "landlord-1", DefaultRules.LandlordMediation, $"api:page-{i}", "调解邻里纠纷"))).Succeeded);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var all = await _db.ReadAsync(s => s.PendingOfCommunityAsync("fangtang"));
        var page = await _db.ReadAsync(s => s.PendingOfCommunityAsync("fangtang", take: 5, skip: 10));

        Assert.True(all.Count >= 12);
        Assert.Equal(all.Skip(10).Take(5).Select(e => e.Id), page.Select(e => e.Id));
    }

    [SqlServerFact]
    public async Task A_repeated_source_is_a_unique_violation_and_times_round_trip_exactly()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var occurred = new DateTimeOffset(2026, 11, 18, 9, 30, 15, TimeSpan.FromHours(8)).AddTicks(1234567);
        var e = new ScoreEvent
        {
            Id = "E1", StreetId = "houzhai", CommunityId = "fangtang", SubjectId = "landlord-1", RuleCode = DefaultRules.LandlordService, RuleVersion = 1, Delta = 1,
            OccurredAt = occurred, ReportedAt = occurred, ReporterId = "landlord-1", ReporterRole = ReporterRole.Self, Source = "chat:dup", Status = EventStatus.Approved,
        };
        await _db.WriteAsync(s => s.InsertEventAsync(e, IsoWeek.Parse("2026-W47"), ScoringCycle.Containing(IsoWeek.Parse("2026-W47"), CycleKind.WeekYear)));

        var error = await Assert.ThrowsAsync<SqlException>(() => _db.WriteAsync(s => s.InsertEventAsync(e with { Id = "E2" }, IsoWeek.Parse("2026-W47"), ScoringCycle.Containing(IsoWeek.Parse("2026-W47"), CycleKind.WeekYear))));
        var back = (await _db.ReadAsync(s => s.GetEventAsync("E1")))!;

        Assert.True(TransientFaults.IsUniqueViolation(error));
        Assert.Equal(e, back);
        Assert.Equal(occurred.UtcTicks, back.OccurredAt.UtcTicks);
    }

    [SqlServerFact]
    public async Task A_subject_s_history_pages_alike_whatever_the_page_size_under_the_server_s_collation()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var at = new DateTimeOffset(2026, 11, 18, 9, 30, 15, TimeSpan.FromHours(8)).AddTicks(1234567);
        var week = IsoWeek.Parse("2026-W47");
        var cycle = ScoringCycle.Containing(week, CycleKind.WeekYear);
        // Ids whose order differs between ordinal and a case-insensitive collation, at one instant, and instants a tick apart.
        string[] ids = ["b2", "A1", "10", "Z9", "a0"];
        var events = ids.Select((id, i) => new ScoreEvent
        {
            Id = id, StreetId = "houzhai", CommunityId = "fangtang", SubjectId = "landlord-1", RuleCode = DefaultRules.LandlordService, RuleVersion = 1, Delta = 1,
            OccurredAt = i < 3 ? at : at.AddTicks(i == 3 ? 1 : -1), ReportedAt = at, ReporterId = "landlord-1", ReporterRole = ReporterRole.Self,
            Source = "history:" + id, Status = EventStatus.Approved,
        }).ToList();
        await _db.WriteAsync(async s => { foreach (var e in events) await s.InsertEventAsync(e, week, cycle); });

        var whole = await LedgerStoreTests.HistoryPagesAsync(_db, "landlord-1", cycle, null, 100);
        foreach (var take in new[] { 1, 2, 3 })
            Assert.Equal(whole.Select(e => e.Id), (await LedgerStoreTests.HistoryPagesAsync(_db, "landlord-1", cycle, null, take)).Select(e => e.Id));
        Assert.Equal(ids.Order(StringComparer.OrdinalIgnoreCase), whole.Select(e => e.Id).Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(("Z9", "a0"), (whole[0].Id, whole[^1].Id));
        Assert.Equal(((long)5, (long)5), await _db.ReadAsync(async s => { var f = await s.HistoryFiguresAsync("landlord-1", cycle, EventStatus.Approved); return (f.Total, f.CycleTotal); }));
    }

    [SqlServerFact]
    public async Task The_week_figures_and_the_lease_work_on_SQL_Server()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var week = IsoWeek.Parse("2026-W47");
        var cycle = ScoringCycle.Containing(week, CycleKind.WeekYear);
        var rows = await _db.ReadAsync(s => s.WeekFiguresAsync("houzhai", SubjectKind.Landlord, "fangtang", cycle, week, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));
        Assert.Equal(["landlord-1", "landlord-2", "landlord-3"], rows.Select(r => r.SubjectId).Order());
        Assert.All(rows, r => Assert.Equal(new WeekFigures(r.SubjectId, 12, 0, 0, 0), r.ToFigures()));

        var now = _clock.GetUtcNow();
        Assert.True(await _db.WriteAsync(s => s.TryTakeLeaseAsync("clock", "a", now, now.AddMinutes(1))));
        Assert.False(await _db.WriteAsync(s => s.TryTakeLeaseAsync("clock", "b", now.AddSeconds(30), now.AddSeconds(90))));
        Assert.True(await _db.WriteAsync(s => s.TryTakeLeaseAsync("clock", "b", now.AddMinutes(2), now.AddMinutes(3))));
    }

    [SqlServerFact]
    public async Task Codes_issued_for_one_person_at_the_same_moment_leave_one_valid_and_the_others_are_refused_or_replaced()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var enrolment = new Enrolment(_db, _clock);
        var secretary = (await _db.ReadAsync(s => s.GetStaffAsync("secretary-fangtang")))!;

        // Separate connections under READ COMMITTED: each voids the codes it can see, then inserts its own.
        var issued = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => enrolment.IssueAsync(secretary, "subject", "landlord-1"))));
        var valid = await _db.ReadAsync(s => s.Connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM enrolment_codes WHERE person_kind = 'subject' AND person_id = 'landlord-1' AND used_at IS NULL AND replaced_at IS NULL", transaction: s.Transaction));
        var binds = await Task.WhenAll(issued.Where(i => i.Succeeded).Select((i, n) => enrolment.BindAsync("emulator", $"u{n}", i.Value!.Code)));

        Assert.All(issued, i => Assert.True(i.Succeeded || i.Failure!.Code == "code-issued-meanwhile", i.Failure?.English));
        Assert.Equal(1, valid);
        Assert.Equal(1, binds.Count(b => b.Succeeded));
        Assert.All(binds.Where(b => !b.Succeeded), b => Assert.Equal("code-replaced", b.Failure!.Code));
    }

    [SqlServerFact]
    public async Task Changes_of_one_person_made_at_once_on_separate_connections_each_build_on_the_other()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var rosters = new Rosters(_db, _clock);
        var officer = (await _db.ReadAsync(s => s.GetStaffAsync("officer-1")))!;

        // Under READ COMMITTED each change would read the record, then write all of it back over the other's.
        var changes = await Task.WhenAll(
            Task.Run(() => rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Name: "楼新改"))),
            Task.Run(() => rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Phone: "13900000077"))));
        var tenants = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => rosters.AddTenantAsync(officer, "landlord-1", new HoldingDraft(Name: "同名租客")))));
        var stored = (await _db.ReadAsync(s => s.GetSubjectAsync("landlord-1")))!;

        Assert.All(changes, c => Assert.True(c.Succeeded, c.Failure?.English));
        Assert.Equal(("楼新改", "13900000077"), (stored.Name, stored.Phone));
        Assert.Equal(1, tenants.Count(t => t.Succeeded));
        Assert.Equal(1, (await _db.ReadAsync(s => s.ListTenantsAsync("landlord-1"))).Count(t => t.Name == "同名租客"));
    }

    [SqlServerFact]
    public async Task A_roster_import_waits_for_a_change_of_one_of_the_street_s_people_under_way_and_builds_on_it()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var officer = (await _db.ReadAsync(s => s.GetStaffAsync("officer-1")))!;
        // 方塘村's roster without 王秀兰: imported alone, it would take her off the lists.
        string[] header = [.. RosterColumns.Required];
        var sheet = new RosterSheet([new RosterLine(1, header), new RosterLine(2, ["房东", "fangtang", "应天乐", "13900000001", "", "王小明", "", ""])], []);
        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource();

        // Meanwhile she moves to 长春社区, as PUT /subjects/{id} does it: her row is held from the read to the commit.
        var move = Task.Run(() => _db.WriteAsync(async s =>
        {
            var x = (await s.GetSubjectForChangeAsync("landlord-2"))!;
            held.SetResult();
            await release.Task;
            return await s.UpdateSubjectAsync(x with { CommunityId = "changchun" }, _clock.GetUtcNow());
        }));
        await held.Task;
        var import = Task.Run(() => new RosterImport(_db, _clock).ImportAsync(officer, "houzhai", sheet, dryRun: false));
        await Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(1)));
        release.SetResult();
        await move;
        var report = await import;
        var stored = (await _db.ReadAsync(s => s.GetSubjectAsync("landlord-2")))!;

        Assert.True(report.Succeeded, report.Failure?.English);
        // Read under READ COMMITTED, the import saw her in 方塘村, then wrote her back there, off the roster, over the move.
        Assert.Equal(("changchun", true), (stored.CommunityId, stored.Active));
    }

    [SqlServerFact]
    public async Task A_community_deactivated_while_someone_is_moved_into_it_never_ends_with_an_active_person_in_it()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var rosters = new Rosters(_db, _clock);
        var officer = (await _db.ReadAsync(s => s.GetStaffAsync("officer-1")))!;
        var inChangchun = (await _db.ReadAsync(s => s.ListSubjectsAsync("houzhai", "changchun"))).Where(x => x.Active).ToList();
        foreach (var x in inChangchun.Where(x => x.Id != inChangchun[0].Id))
            Assert.True((await rosters.DeactivateSubjectAsync(officer, x.Id)).Succeeded);
        Assert.True((await rosters.DeactivateSubjectAsync(officer, inChangchun[0].Id)).Succeeded); // changchun is empty now

        // Under READ COMMITTED each would check the other's row before it changed: an active landlord in a closed community.
        await Task.WhenAll(
            Task.Run(() => rosters.DeactivateCommunityAsync(officer, "changchun")),
            Task.Run(() => rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Community: "changchun"))));
        var community = (await _db.ReadAsync(s => s.GetCommunityAsync("changchun")))!;
        var moved = (await _db.ReadAsync(s => s.GetSubjectAsync("landlord-1")))!;

        Assert.False(!community.Active && moved.Active && moved.CommunityId == "changchun");
    }

    [SqlServerFact]
    public async Task A_chat_user_id_as_long_as_the_bot_admits_binds_and_ids_differing_only_in_case_are_two_users()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var longId = "29:" + new string('x', Scoring.Bot.Endpoint.BotEndpoint.MaxIdLength - 3);
        var now = _clock.GetUtcNow();
        ChatAccount Account(string userId, string kind, string person) => new() { ChannelId = "msteams", UserId = userId, PersonKind = kind, PersonId = person, BoundAt = now };

        await _db.WriteAsync(async s =>
        {
            await s.BindChatAccountAsync(Account("AbC", "subject", "landlord-1"));
            await s.BindChatAccountAsync(Account("abc", "subject", "landlord-2"));
            await s.RecordBindFailureAsync("msteams", longId, now);
            await s.RecordBindFailureAsync("msteams", "ABC", now);
        });
        // The way a person binds: the code's used_by keeps the channel and the whole id.
        var enrolment = new Enrolment(_db, _clock);
        var secretary = (await _db.ReadAsync(s => s.GetStaffAsync("secretary-fangtang")))!;
        var code = await enrolment.IssueAsync(secretary, "subject", "landlord-3");
        var bound = await enrolment.BindAsync("msteams", longId, code.Value!.Code);
        Assert.True(bound.Succeeded, bound.Failure?.English);
        var (person, _) = await _db.ReadAsync(s => Scoring.Bot.Conversations.Dialogs.LoadTurnAsync(s, "msteams", "abc"));

        Assert.Equal("landlord-1", (await _db.ReadAsync(s => s.GetChatPersonAsync("msteams", "AbC")))!.PersonId);
        Assert.Equal("landlord-2", person!.PersonId);
        Assert.Null(await _db.ReadAsync(s => s.GetChatPersonAsync("msteams", "ABC")));
        Assert.Equal("landlord-3", (await _db.ReadAsync(s => s.GetChatPersonAsync("msteams", longId)))!.PersonId);
        Assert.Equal((1, 0), await _db.ReadAsync(async s =>
            ((int)await s.CountBindFailuresAsync("msteams", longId, now), (int)await s.CountBindFailuresAsync("msteams", "abc", now))));
    }

    [SqlServerFact]
    public async Task Chat_accounts_and_bind_failures_from_before_0620_keep_their_rows_and_are_then_found_by_the_exact_id()
    {
        // The database as it stood before 0620, with a row in each table that 0620 rebuilds or changes.
        await _db.WriteAsync(async s =>
        {
            await s.Connection.ExecuteAsync("CREATE TABLE schema_version (version NVARCHAR(200) NOT NULL PRIMARY KEY, applied_at DATETIMEOFFSET NOT NULL)", transaction: s.Transaction);
            foreach (var (name, sql) in Migrator.Scripts(StorageProvider.SqlServer).Where(m => string.CompareOrdinal(m.Name, "0620") < 0))
            {
                foreach (var batch in Migrator.Batches(sql)) await s.Connection.ExecuteAsync(batch, transaction: s.Transaction);
                await s.Connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@name, @at)", new { name, at = _clock.GetUtcNow() }, s.Transaction);
            }
            await s.Connection.ExecuteAsync(
                "INSERT INTO chat_accounts (channel_id, user_id, person_kind, person_id, bound_at) VALUES ('msteams', 'AbC', 'subject', 'landlord-1', @at);" +
                "INSERT INTO bind_failures (channel_id, user_id, failed_at) VALUES ('msteams', 'AbC', @at);", new { at = _clock.GetUtcNow() }, s.Transaction);
        });

        var applied = await Migrator.MigrateAsync(_db, _clock);
        await _db.WriteAsync(s => s.BindChatAccountAsync(new ChatAccount { ChannelId = "msteams", UserId = "abc", PersonKind = "subject", PersonId = "landlord-2", BoundAt = _clock.GetUtcNow() }));

        Assert.Equal("0620_chat_user_ids_exact", applied[0]);
        Assert.Equal("landlord-1", (await _db.ReadAsync(s => s.GetChatPersonAsync("msteams", "AbC")))!.PersonId);
        Assert.Equal("landlord-2", (await _db.ReadAsync(s => s.GetChatPersonAsync("msteams", "abc")))!.PersonId);
        Assert.Equal(1, await _db.ReadAsync(s => s.CountBindFailuresAsync("msteams", "AbC", _clock.GetUtcNow().AddHours(-1))));
    }

    [SqlServerFact]
    public async Task A_code_asked_for_by_an_id_in_another_case_is_issued_for_the_person_as_stored()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var enrolment = new Enrolment(_db, _clock);
        var secretary = (await _db.ReadAsync(s => s.GetStaffAsync("secretary-fangtang")))!;

        // The collation finds landlord-1 for LANDLORD-1 (SQLite finds nobody); the code must still name landlord-1.
        var code = await enrolment.IssueAsync(secretary, "subject", "LANDLORD-1");
        var bound = await enrolment.BindAsync("msteams", "u-case", code.Value!.Code);

        Assert.Equal("landlord-1", code.Value.PersonId);
        Assert.True(bound.Succeeded, bound.Failure?.English);
        Assert.Equal("landlord-1", (await _db.ReadAsync(s => s.GetChatPersonAsync("msteams", "u-case")))!.PersonId);
        Assert.Equal(["landlord-1"], await _db.ReadAsync(s => s.BoundSubjectIdsAsync("fangtang")));
    }

    [SqlServerFact]
    public async Task A_redemption_recorded_by_an_id_in_another_case_is_the_subject_s_as_stored()
    {
        await Migrator.MigrateAsync(_db, _clock);
        await new DemoStreet(_db, _clock).SeedIfEmptyAsync(Path.Combine(Path.GetTempPath(), _name + "-credentials.json"), scale: 0);
        var secretary = (await _db.ReadAsync(s => s.GetStaffAsync("secretary-fangtang")))!;
        await _db.WriteAsync(s => s.InsertEventAsync(new ScoreEvent
        {
            Id = "E1", StreetId = "houzhai", CommunityId = "fangtang", SubjectId = "landlord-1", RuleCode = DefaultRules.LandlordService, RuleVersion = 1, Delta = 2,
            OccurredAt = _clock.GetUtcNow(), ReportedAt = _clock.GetUtcNow(), ReporterId = "landlord-1", ReporterRole = ReporterRole.Self, Source = "redeem:1",
            Status = EventStatus.Approved,
        }, IsoWeek.Parse("2026-W47"), ScoringCycle.Containing(IsoWeek.Parse("2026-W47"), CycleKind.WeekYear)));

        var redeemed = await new Rewards(_db, _clock).RedeemAsync(secretary, "LANDLORD-1", 1, "毛巾");

        Assert.Equal("landlord-1", redeemed.Value!.SubjectId);
        Assert.Equal("landlord-1", await _db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>(
            "SELECT subject_id FROM redemptions WHERE id = @id", new { id = redeemed.Value.Id }, s.Transaction)));
    }

    /// <summary>Published lists hold lists of entries: compare them by content.</summary>
    private sealed class ListComparer : IEqualityComparer<PublishedList?>
    {
        public bool Equals(PublishedList? a, PublishedList? b) =>
            a is not null && b is not null
            && (a.Street, a.Week, a.Kind, a.Revision, a.PublishedAt, a.PublishedBy, a.RuleSetVersion, a.ContentHash, a.CorrectionReason)
               == (b.Street, b.Week, b.Kind, b.Revision, b.PublishedAt, b.PublishedBy, b.RuleSetVersion, b.ContentHash, b.CorrectionReason)
            && a.Red.SequenceEqual(b.Red) && a.Black.SequenceEqual(b.Black);

        public int GetHashCode(PublishedList? list) => list?.ContentHash.GetHashCode() ?? 0;
    }
}
