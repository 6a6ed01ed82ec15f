using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

public class StreetSettingsBookTests
{
    private static StreetSettingsBook Book(TestWorld world) => new(world.Db, world.Clock);

    [Fact]
    public async Task An_officer_changes_only_the_settings_named_and_the_change_is_recorded_with_who_and_which()
    {
        await using var world = await CreateAsync();
        var officer = await world.StaffAsync("officer-1");

        var changed = await Book(world).ChangeAsync(officer, "houzhai", new SettingsDraft(DailyDeadline: "17:30", RedListSize: 5, Holidays: ["2027-01-01", "2026-12-31"]));

        Assert.True(changed.Succeeded, changed.Failure?.English);
        var stored = (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!.Settings;
        Assert.Equal((new TimeOnly(17, 30), 5, 3), (stored.DailyDeadline, stored.RedListSize, stored.BlackListSize));
        Assert.Equal([new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 1)], stored.Holidays);
        var change = Assert.Single(changed.Value!.Changes);
        Assert.Equal(("officer-1", Wednesday), (change.By, change.At));
        Assert.Equal(["dailyDeadline", "redListSize", "holidays"], change.Fields);
    }

    [Fact]
    public async Task A_change_on_one_instance_is_not_undone_by_another_instance_that_still_holds_the_street_in_its_cache()
    {
        await using var world = await CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var file = Path.Combine(Path.GetDirectoryName(world.CredentialsPath)!, "scoring.db");
        await using var other = new Database(StorageProvider.Sqlite, $"Data Source={file};Pooling=False", world.Clock);
        await new StreetSettingsBook(other, world.Clock).ReadAsync(officer, "houzhai"); // the other instance has the street cached

        await Book(world).ChangeAsync(officer, "houzhai", new SettingsDraft(RedListSize: 5));
        var second = await new StreetSettingsBook(other, world.Clock).ChangeAsync(officer, "houzhai", new SettingsDraft(BlackListSize: 4));

        Assert.True(second.Succeeded, second.Failure?.English);
        Assert.Equal((5, 4), (second.Value!.RedListSize, second.Value.BlackListSize));
    }

    [Fact]
    public async Task The_same_settings_again_change_nothing_and_record_nothing()
    {
        await using var world = await CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        await Book(world).ChangeAsync(officer, "houzhai", new SettingsDraft(EscalationAfterHours: 48));

        var again = await Book(world).ChangeAsync(officer, "houzhai", new SettingsDraft(EscalationAfterHours: 48, DailyDeadline: "16:00"));

        Assert.True(again.Succeeded);
        Assert.Single(again.Value!.Changes);
    }

    [Fact]
    public async Task A_secretary_reads_the_settings_but_may_not_change_them_and_other_streets_may_not_read_them()
    {
        await using var world = await CreateAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var stranger = secretary with { StreetId = "elsewhere" };

        Assert.Equal(24, (await Book(world).ReadAsync(secretary, "houzhai")).Value?.EscalationAfterHours);
        Assert.Equal(FailureKind.Forbidden, (await Book(world).ChangeAsync(secretary, "houzhai", new SettingsDraft(RedListSize: 9))).Failure?.Kind);
        Assert.Equal(FailureKind.Forbidden, (await Book(world).ReadAsync(stranger, "houzhai")).Failure?.Kind);
        Assert.Equal("street-not-found", (await Book(world).ReadAsync(await world.StaffAsync("officer-1") with { Role = StaffRole.Admin }, "nowhere")).Failure?.Code);
    }

    [Fact]
    public async Task Every_unusable_setting_is_named_at_once_and_nothing_changes()
    {
        await using var world = await CreateAsync();

        var refused = await Book(world).ChangeAsync(await world.StaffAsync("officer-1"), "houzhai",
            new SettingsDraft(Cycle: "monthly", DailyDeadline: "4pm", WorkingHoursStart: "19:00", RedListSize: 0, Workdays: ["10/10"], LateReturnWindowHours: int.MaxValue));

        Assert.Equal("invalid-settings", refused.Failure?.Code);
        foreach (var named in new[] { "cycle 'monthly'", "dailyDeadline '4pm'", "workingHoursStart", "redListSize", "'10/10'", "lateReturnWindowHours" })
            Assert.Contains(named, refused.Failure!.English);
        Assert.Equal(new StreetSettings(), (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!.Settings with { Holidays = [], Workdays = [] });
    }

    [Fact]
    public async Task The_time_zone_moves_only_before_the_street_has_scored_anything()
    {
        await using var world = await CreateAsync();
        var setup = await world.Db.WriteAsync(s => new StreetSetup(world.Clock).PrepareInAsync(s, "xinjie", "新街街道", ["xincun"], "新主任"));
        var newOfficer = setup.Value!.Officer!;

        var early = await Book(world).ChangeAsync(newOfficer, "xinjie", new SettingsDraft(TimeZone: "Asia/Urumqi"));
        await world.SelfReportAsync("landlord-1", Domain.Rules.DefaultRules.LandlordService);
        var late = await Book(world).ChangeAsync(await world.StaffAsync("officer-1"), "houzhai", new SettingsDraft(TimeZone: "Asia/Urumqi", Cycle: "week-quarter"));

        Assert.Equal("Asia/Urumqi", early.Value?.TimeZone);
        Assert.Equal("settings-fixed", late.Failure?.Code);
    }
    [Fact]
    public async Task A_time_zone_set_before_anything_is_scored_starts_the_street_s_rule_versions_on_its_own_mondays()
    {
        // Set up on Wednesday of 2026-W47 with Asia/Shanghai's Monday for its first rules, and next week's rules waiting.
        await using var world = await CreateAsync();
        var setup = await world.Db.WriteAsync(s => new StreetSetup(world.Clock).PrepareInAsync(s, "xinjie", "新街街道", ["xincun"], "新主任"));
        var officer = setup.Value!.Officer!;
        var drafts = DefaultRules.All.Select(r => new RuleDraft(r.Code, r.NameZh, r.NameEn, r.AppliesTo.ToWire(), r.Delta * 2,
            r.ReportedBy.Select(x => x.ToWire()).ToList(), r.NeedsVerification, r.WeeklyCap, r.Once?.ToWire())).ToList();
        await new RuleBook(world.Db, world.Clock).PublishAsync(officer, "xinjie", drafts);

        await Book(world).ChangeAsync(officer, "xinjie", new SettingsDraft(TimeZone: "Asia/Urumqi"));

        var urumqi = TimeZoneInfo.FindSystemTimeZoneById("Asia/Urumqi");
        var (street, versions) = await world.Db.ReadAsync(async s => ((await s.GetStreetAsync("xinjie"))!, await s.ListRuleSetsAsync("xinjie")));
        // Shanghai's Monday 00:00 is Sunday 22:00 in Urumqi: the street would have begun in 2026-W46, and Sunday's last
        // two hours of every week after the change would be scored under the next week's rules.
        Assert.Equal([new IsoWeek(2026, 47).Start(urumqi), new IsoWeek(2026, 48).Start(urumqi)], versions.Select(v => v.EffectiveFrom));
        Assert.Equal(new IsoWeek(2026, 47), await world.Db.ReadAsync(s => StreetWeeks.FirstAsync(s, street)));
        var sundayBefore = await world.Db.ReadAsync(s => Reporting.RuleSetOfAsync(s, "xinjie", new DateTimeOffset(2026, 11, 22, 23, 0, 0, TimeSpan.FromHours(6))));
        Assert.Equal(1, sundayBefore.Version);
    }

    [Fact]
    public async Task The_shop_limit_is_not_lowered_below_the_shops_a_shop_head_answers_for_and_the_refusal_names_them()
    {
        // Lowered to 2 under 王强生's three shops, the limit stood, and re-importing the roster failed for him.
        await using var world = await CreateAsync();
        var officer = await world.StaffAsync("officer-1");

        var lowered = await Book(world).ChangeAsync(officer, "houzhai", new SettingsDraft(ShopLimit: 2));

        Assert.Equal("shop-limit-below-holdings", lowered.Failure?.Code);
        Assert.Contains("王强生 (3)", lowered.Failure!.English);
        Assert.Contains("at least 3", lowered.Failure.English);
        Assert.Contains("王强生（3家）", lowered.Failure.Chinese);
        Assert.Equal(10, (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!.Settings.ShopLimit);
    }

    [Fact]
    public async Task The_shop_limit_is_lowered_to_what_the_busiest_shop_head_answers_for_counting_only_open_shops_of_people_on_the_roster()
    {
        await using var world = await CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        // 王强生 has three shops, one closed; 吴丽娜 two.
        await world.Db.WriteAsync(async s =>
        {
            var shop = (await s.ListShopsAsync("shophead-1"))[0];
            await s.UpdateShopAsync(shop with { Active = false });
        });

        var lowered = await Book(world).ChangeAsync(officer, "houzhai", new SettingsDraft(ShopLimit: 2));

        Assert.True(lowered.Succeeded, lowered.Failure?.English);
        Assert.Equal(2, (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!.Settings.ShopLimit);
    }
}
