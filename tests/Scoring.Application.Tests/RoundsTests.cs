using Dapper;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

public class RoundsTests
{
    private static async Task<IReadOnlyList<ScoreEvent>> MissedAsync(TestWorld world, string subjectId) =>
        (await world.Db.ReadAsync(s => s.EventsOfSubjectAsync(subjectId, DateTimeOffset.MinValue))).Where(e => e.RuleCode == DefaultRules.RoundMissed).ToList();

    [Fact]
    public async Task Before_the_16_00_deadline_nobody_has_missed_the_round()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 15, 59, 59));
        Assert.Equal(0, await world.Rounds.RecordMissedAsync());
    }

    [Fact]
    public async Task From_16_00_each_shop_head_without_a_round_gets_one_pending_missed_round_dated_at_the_deadline()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        Assert.Equal(0, await world.Rounds.RecordMissedAsync()); // the clockwork sees the day before its deadline, as it does every minute
        Assert.True((await world.Reporting.ReportRoundAsync(Actor.Of(await world.SubjectAsync("shophead-1")), "chat:round")).Succeeded);
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16));

        Assert.Equal(1, await world.Rounds.RecordMissedAsync());

        Assert.Empty(await MissedAsync(world, "shophead-1"));
        var missed = Assert.Single(await MissedAsync(world, "shophead-2"));
        Assert.Equal((EventStatus.Pending, -1, ReporterRole.System, Local(2026, 11, 18, 16)), (missed.Status, missed.Delta, missed.ReporterRole, missed.OccurredAt));
        Assert.Empty(await MissedAsync(world, "landlord-1"));
    }

    [Fact]
    public async Task A_round_reported_after_the_deadline_is_late_and_does_not_spare_the_day_s_missed_round()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        await world.Rounds.RecordMissedAsync();
        var head = Actor.Of(await world.SubjectAsync("shophead-1"));
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16, 30));

        var before = (await world.Reporting.ReportRoundAsync(head, "chat:late-round")).Value!; // before the clockwork's run
        await world.Rounds.RecordMissedAsync();
        var after = (await world.Reporting.ReportRoundAsync(head, "chat:late-round-again")).Value!;

        var missed = Assert.Single(await MissedAsync(world, "shophead-1"));
        Assert.Equal((true, null), (before.Late, before.Missed));
        Assert.Equal((true, missed.Id), (after.Late, after.Missed?.Id));
    }

    [Fact]
    public async Task A_street_that_lets_its_holidays_off_charges_no_missed_round_on_them_and_one_that_does_not_still_does()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        var officer = await world.StaffAsync("officer-1");
        var book = new StreetSettingsBook(world.Db, world.Clock);
        await book.ChangeAsync(officer, "houzhai", new SettingsDraft(Holidays: ["2026-11-18"]));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16));
        var chargedOnHoliday = await world.Rounds.RecordMissedAsync();

        world.Clock.SetUtcNow(Local(2026, 11, 19, 10));
        await book.ChangeAsync(officer, "houzhai", new SettingsDraft(Holidays: ["2026-11-19"], RoundsOnHolidays: false));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 19, 16));
        var chargedWhenLetOff = await world.Rounds.RecordMissedAsync();

        Assert.Equal(2, chargedOnHoliday); // DESIGN: a daily round, holidays included unless the street says otherwise
        Assert.Equal(0, chargedWhenLetOff);
    }

    [Fact]
    public async Task A_day_s_missed_round_reported_by_the_secretary_is_not_charged_again_by_the_system()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 18, 14));
        var byHand = await world.DeductAsync("shophead-2", DefaultRules.RoundMissed); // "no round today", said before the deadline
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16));

        await world.Rounds.RecordMissedAsync();

        var lateRound = (await world.Reporting.ReportRoundAsync(Actor.Of(await world.SubjectAsync("shophead-2")), "chat:late")).Value!;

        Assert.Equal([byHand.Event.Id], (await MissedAsync(world, "shophead-2")).Select(e => e.Id));
        Assert.Single(await MissedAsync(world, "shophead-1")); // the other head's day is charged as ever
        Assert.Equal(byHand.Event.Id, lateRound.Missed?.Id);   // a late round is told of the day's charge, whoever recorded it
    }

    [Fact]
    public async Task A_missed_round_rule_a_street_renamed_is_still_recorded_once_a_day()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 17));
        await world.RulesAsync(r => r.Code == DefaultRules.RoundMissed ? r with { Code = "no-round" } : r);
        var secretary = Actor.Of(await world.StaffAsync("secretary-changchun"));
        Assert.True((await world.Reporting.ReportAsync(new ReportRequest(secretary, "shophead-2", "no-round", "test:first", "今天没巡查"))).Succeeded);

        var again = await world.Reporting.ReportAsync(new ReportRequest(secretary, "shophead-2", "no-round", "test:again", "下午也没巡查"));

        Assert.Equal("round-missed-recorded", again.Failure?.Code);
        Assert.Contains("同一天只记一次", again.Failure!.Chinese, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deduction_not_scored_once_a_day_may_be_reported_twice_that_day_even_under_the_default_missed_round_code()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 17));
        await world.RulesAsync(r => r.Code == DefaultRules.RoundMissed ? r with { Once = null } : r);
        var secretary = Actor.Of(await world.StaffAsync("secretary-changchun"));
        Assert.True((await world.Reporting.ReportAsync(new ReportRequest(secretary, "shophead-2", DefaultRules.RoundMissed, "test:first", "今天没巡查"))).Succeeded);

        var again = await world.Reporting.ReportAsync(new ReportRequest(secretary, "shophead-2", DefaultRules.RoundMissed, "test:again", "下午也没巡查"));

        Assert.True(again.Succeeded, again.Failure?.English);
    }

    [Fact]
    public async Task A_missed_round_the_system_recorded_is_not_reported_again_by_hand_for_that_day()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16));
        await world.Rounds.RecordMissedAsync();
        var system = Assert.Single(await MissedAsync(world, "shophead-2"));
        world.Clock.SetUtcNow(Local(2026, 11, 18, 17));
        var secretary = await world.StaffAsync("secretary-changchun");

        var again = await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(secretary), "shophead-2", DefaultRules.RoundMissed, "test:again", "今天没巡查"));
        var dayBefore = await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(secretary), "shophead-2", DefaultRules.RoundMissed, "test:before", "昨天没巡查", Local(2026, 11, 17, 15)));

        Assert.Equal("round-missed-recorded", again.Failure?.Code);
        Assert.Contains(system.Id, again.Failure!.Chinese, StringComparison.Ordinal);  // which record already holds the day
        Assert.Contains("11月18日", again.Failure.Chinese, StringComparison.Ordinal);
        Assert.True(dayBefore.Succeeded, dayBefore.Failure?.English); // another day is another round
        Assert.Equal(2, (await MissedAsync(world, "shophead-2")).Count);
    }

    [Fact]
    public async Task Running_the_check_again_or_twice_at_once_records_a_missed_round_only_once()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 15));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 18, 17));

        var concurrent = await Task.WhenAll(world.Rounds.RecordMissedAsync(), world.Rounds.RecordMissedAsync());
        world.Clock.Advance(TimeSpan.FromHours(2));
        var later = await world.Rounds.RecordMissedAsync();

        Assert.Equal(2, concurrent.Sum());
        Assert.Equal(0, later);
        Assert.Single(await MissedAsync(world, "shophead-1"));
        Assert.Single(await MissedAsync(world, "shophead-2"));
    }

    [Fact]
    public async Task Each_day_is_checked_on_its_own()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 15));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16, 30));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 19, 15));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 19, 16, 30));
        Assert.Equal(2, await world.Rounds.RecordMissedAsync());
        Assert.Equal(2, (await MissedAsync(world, "shophead-1")).Count);
    }

    [Fact]
    public async Task A_deadline_moved_earlier_during_the_day_neither_charges_a_round_done_before_the_morning_s_deadline_nor_charges_before_it()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        await world.Rounds.RecordMissedAsync(); // the day is seen open: rounds are due by 16:00
        world.Clock.SetUtcNow(Local(2026, 11, 18, 15));
        Assert.True((await world.Reporting.ReportRoundAsync(Actor.Of(await world.SubjectAsync("shophead-1")), "chat:round")).Succeeded);
        world.Clock.SetUtcNow(Local(2026, 11, 18, 15, 30));
        var moved = await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(await world.StaffAsync("officer-1"), "houzhai", new SettingsDraft(DailyDeadline: "14:00"));
        Assert.True(moved.Succeeded, moved.Failure?.English);

        var atHalfPast = await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16));
        await world.Rounds.RecordMissedAsync();

        Assert.Equal(0, atHalfPast);
        Assert.Empty(await MissedAsync(world, "shophead-1"));
        Assert.Equal(Local(2026, 11, 18, 16), Assert.Single(await MissedAsync(world, "shophead-2")).OccurredAt);
    }

    [Fact]
    public async Task A_deadline_moved_later_during_the_day_gives_that_day_the_later_deadline()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        await world.Rounds.RecordMissedAsync();
        await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(await world.StaffAsync("officer-1"), "houzhai", new SettingsDraft(DailyDeadline: "17:00"));
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16, 30));
        Assert.True((await world.Reporting.ReportRoundAsync(Actor.Of(await world.SubjectAsync("shophead-1")), "chat:round")).Succeeded);

        var atHalfPast = await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 18, 17));
        await world.Rounds.RecordMissedAsync();

        Assert.Equal(0, atHalfPast);
        Assert.Empty(await MissedAsync(world, "shophead-1"));
        Assert.Equal(Local(2026, 11, 18, 17), Assert.Single(await MissedAsync(world, "shophead-2")).OccurredAt);
    }

    [Fact]
    public async Task A_day_whose_deadline_passed_while_the_service_was_down_is_charged_by_the_next_run_even_the_next_morning()
    {
        // The office PC is switched off at 15:30 and on again the next morning.
        await using var world = await CreateAsync(Local(2026, 11, 18, 15, 30));
        Assert.Equal(0, await world.Rounds.RecordMissedAsync());
        world.Clock.SetUtcNow(Local(2026, 11, 19, 8));

        Assert.Equal(2, await world.Rounds.RecordMissedAsync());

        var missed = Assert.Single(await MissedAsync(world, "shophead-1"));
        Assert.Equal(Local(2026, 11, 18, 16), missed.OccurredAt);
        Assert.Single(await MissedAsync(world, "shophead-2"));
    }

    [Fact]
    public async Task A_day_missed_overnight_and_the_next_day_are_each_charged_once()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 15, 59)); // Wednesday, before the deadline
        await world.Rounds.RecordMissedAsync();
        // Down from 15:59 until after midnight (a deployment, a power cut); it checks again on Thursday.
        world.Clock.SetUtcNow(Local(2026, 11, 19, 0, 5));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 19, 16, 5));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 19, 18));

        Assert.Equal(0, await world.Rounds.RecordMissedAsync());
        Assert.Equal([Local(2026, 11, 18, 16), Local(2026, 11, 19, 16)], (await MissedAsync(world, "shophead-1")).Select(e => e.OccurredAt).Order());
    }

    [Fact]
    public async Task A_day_the_service_was_not_running_before_its_deadline_is_not_charged()
    {
        // Nobody could report a round on Wednesday: the service first ran at 17:00.
        await using var world = await CreateAsync(Local(2026, 11, 18, 17));

        Assert.Equal(0, await world.Rounds.RecordMissedAsync());
        world.Clock.SetUtcNow(Local(2026, 11, 19, 9));
        Assert.Equal(0, await world.Rounds.RecordMissedAsync());
        Assert.Empty(await MissedAsync(world, "shophead-1"));
    }

    [Fact]
    public async Task A_day_seen_open_is_charged_only_within_the_catch_up_after_its_deadline()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        await world.Rounds.RecordMissedAsync();
        // Switched off on Wednesday morning for more than the catch-up: Wednesday is too long ago to charge.
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16) + Rounds.CatchUp + TimeSpan.FromMinutes(1));

        Assert.Equal(0, await world.Rounds.RecordMissedAsync());
        Assert.Empty(await world.Db.ReadAsync(s => s.OpenRoundDaysAsync("houzhai")));
        Assert.Empty(await MissedAsync(world, "shophead-1"));
    }

    [Fact]
    public async Task A_shop_head_is_not_charged_for_a_day_whose_deadline_passed_before_they_were_entered()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16, 30));
        await world.Db.WriteAsync(async s =>
        {
            await s.InsertSubjectAsync(new Subject { Id = "shophead-new", StreetId = "houzhai", CommunityId = "changchun", Kind = SubjectKind.ShopHead, Name = "新铺长" }, world.Clock.GetUtcNow());
            await s.InsertShopAsync(new Shop { Id = "shophead-new-s1", SubjectId = "shophead-new", Name = "新店" });
        });
        world.Clock.SetUtcNow(Local(2026, 11, 19, 10));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 19, 16, 30));

        await world.Rounds.RecordMissedAsync();

        var missed = Assert.Single(await MissedAsync(world, "shophead-new"));
        Assert.Equal(Local(2026, 11, 19, 16), missed.OccurredAt);
        Assert.Equal(2, (await MissedAsync(world, "shophead-1")).Count);
    }

    [Fact]
    public async Task A_round_reported_twice_in_a_day_is_one_round()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 9));
        var head = Actor.Of(await world.SubjectAsync("shophead-1"));
        await world.Reporting.ReportRoundAsync(head, "chat:r1");
        await world.Reporting.ReportRoundAsync(head, "chat:r2");
        Assert.Equal(Local(2026, 11, 18, 9), await world.Db.ReadAsync(s => s.ShopRoundReportedAtAsync("shophead-1", "2026-11-18")));
    }

    [Fact]
    public async Task A_shop_head_at_the_weekly_cap_of_missed_rounds_is_skipped_and_the_others_are_still_charged()
    {
        await using var world = await CreateAsync(Local(2026, 11, 19, 10)); // Thursday of W47
        await world.RulesAsync(r => r.Code == DefaultRules.RoundMissed ? r with { WeeklyCap = 1 } : r);
        await world.Rounds.RecordMissedAsync();
        // Thursday: shophead-2 does the round, shophead-1 does not.
        Assert.True((await world.Reporting.ReportRoundAsync(Actor.Of(await world.SubjectAsync("shophead-2")), "chat:round-thu")).Succeeded);
        world.Clock.SetUtcNow(Local(2026, 11, 19, 16, 30));
        Assert.Equal(1, await world.Rounds.RecordMissedAsync());

        // Friday: neither does. shophead-1 is at the cap (nothing more to deduct); shophead-2's first miss of the week counts.
        world.Clock.SetUtcNow(Local(2026, 11, 20, 10));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 20, 16, 30));

        Assert.Equal(1, await world.Rounds.RecordMissedAsync());
        Assert.Single(await MissedAsync(world, "shophead-1"));
        Assert.Single(await MissedAsync(world, "shophead-2"));
    }

    [Fact]
    public async Task A_street_whose_rules_have_no_missed_round_records_none_and_the_other_streets_still_get_theirs()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        await world.RulesAsync(r => r.Code == DefaultRules.RoundMissed ? null : r); // a street with no specialty shopping street
        await AddYitingAsync(world);
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 18, 17));

        var recorded = await world.Rounds.RecordMissedAsync();

        Assert.Equal(1, recorded);
        Assert.Empty(await MissedAsync(world, "shophead-1"));
        Assert.Single(await MissedAsync(world, "shophead-y1"));
    }

    [Fact]
    public async Task A_street_that_fails_does_not_stop_the_missed_rounds_of_the_others()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        // Sorted before houzhai, with a time zone this machine does not know: every look at its clock throws.
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync("INSERT INTO streets (id, name, settings_json, created_at) VALUES ('anting', '安亭街道', @settings, @at)",
            new { settings = """{"timeZoneId":"Nowhere/Atlantis"}""", at = world.Clock.GetUtcNow() }, s.Transaction));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 18, 17));

        Assert.Equal(2, await world.Rounds.RecordMissedAsync());
        Assert.Single(await MissedAsync(world, "shophead-1"));
    }

    /// <summary>A second street on the same service, with the default rules and one shop head.</summary>
    private static Task AddYitingAsync(TestWorld world) => world.Db.WriteAsync(async s =>
    {
        Assert.True((await new StreetSetup(world.Clock).PrepareInAsync(s, "yiting", "义亭街道", ["xianhua"], null)).Succeeded);
        await s.InsertSubjectAsync(new Subject { Id = "shophead-y1", StreetId = "yiting", CommunityId = "xianhua", Kind = SubjectKind.ShopHead, Name = "陈店长" }, world.Clock.GetUtcNow());
        await s.InsertShopAsync(new Shop { Id = "shophead-y1-s1", SubjectId = "shophead-y1", Name = "义亭花店" });
    });

    [Fact]
    public async Task An_inactive_shop_head_is_not_charged()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 15));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 18, 17));
        await world.Db.WriteAsync(async s => await s.UpdateSubjectAsync((await s.GetSubjectAsync("shophead-2"))! with { Active = false }, world.Clock.GetUtcNow()));
        Assert.Equal(1, await world.Rounds.RecordMissedAsync());
        Assert.Empty(await MissedAsync(world, "shophead-2"));
    }

    [Fact]
    public async Task A_shop_head_whose_shops_were_all_moved_to_another_head_owes_no_round_and_is_not_charged()
    {
        // A round is of the shops a head answers for: with none left (a re-import gave them to another head), there is none to do.
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        await world.Rounds.RecordMissedAsync();
        await world.Db.WriteAsync(async s =>
        {
            foreach (var shop in await s.ListShopsAsync("shophead-2")) await s.UpdateShopAsync(shop with { Active = false });
        });
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16, 5));

        Assert.Equal(1, await world.Rounds.RecordMissedAsync());

        Assert.Empty(await MissedAsync(world, "shophead-2"));
        Assert.Single(await MissedAsync(world, "shophead-1"));
    }

    [Fact]
    public async Task A_shop_head_brought_back_onto_the_roster_after_the_day_s_deadline_is_not_charged_for_that_day()
    {
        // Off the roster at the deadline (a community's file imported without them that morning), like one entered after it.
        await using var world = await CreateAsync(Local(2026, 11, 18, 10));
        await world.Rounds.RecordMissedAsync();
        async Task SetActiveAsync(bool active) => await world.Db.WriteAsync(async s =>
            await s.UpdateSubjectAsync((await s.GetSubjectAsync("shophead-2"))! with { Active = active }, world.Clock.GetUtcNow()));
        await SetActiveAsync(false);
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16, 30));
        await SetActiveAsync(true);
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16, 31));

        await world.Rounds.RecordMissedAsync();

        Assert.Empty(await MissedAsync(world, "shophead-2"));
        Assert.Single(await MissedAsync(world, "shophead-1"));
    }
}
