using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

public class PublicationTests
{
    private static readonly IsoWeek W47 = IsoWeek.Parse("2026-W47");

    private static async Task<Outcome<Publishing>> PublishAsync(TestWorld world, IsoWeek week, string? correction = null, SubjectKind kind = SubjectKind.Landlord) =>
        await world.Publication.PublishAsync(await world.StaffAsync("officer-1"), "houzhai", week, kind, correction);

    [Fact]
    public async Task A_week_cannot_be_published_before_Monday_00_00_local_time()
    {
        await using var world = await CreateAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 22, 23, 59, 59));
        var early = await PublishAsync(world, W47);
        world.Clock.SetUtcNow(Local(2026, 11, 23));
        var onTime = await PublishAsync(world, W47);

        Assert.Equal(("week-not-over", FailureKind.Conflict), (early.Failure!.Code, early.Failure.Kind));
        Assert.True(onTime.Value!.Created);
        Assert.Null(await world.Publication.PublishedAsync("houzhai", W47.Next(), SubjectKind.Landlord));
    }

    [Fact]
    public async Task A_draft_shows_the_list_publishing_freezes_the_week_s_pending_reports_and_a_list_changed_since_is_not_published_unseen()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation);
        var mediation = await world.SelfReportAsync("landlord-2", DefaultRules.LandlordMediation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        var officer = await world.StaffAsync("officer-1");

        var draft = (await world.Db.WriteAsync(s => world.Publication.DraftInAsync(s, officer, "houzhai", W47, SubjectKind.Landlord))).Value!;
        await world.ApproveAsync(mediation);
        var stale = await world.Db.WriteAsync(s => world.Publication.PublishInAsync(s, officer, "houzhai", W47, SubjectKind.Landlord, null, draft.List.ContentHash));
        var redraft = (await world.Db.WriteAsync(s => world.Publication.DraftInAsync(s, officer, "houzhai", W47, SubjectKind.Landlord))).Value!;
        var published = await world.Db.WriteAsync(s => world.Publication.PublishInAsync(s, officer, "houzhai", W47, SubjectKind.Landlord, null, redraft.List.ContentHash));

        Assert.Equal((PublicationChange.First, 1, (PublishedList?)null), (draft.Change, draft.PendingUpToWeek, draft.Latest));
        Assert.Equal("list-changed", stale.Failure!.Code);
        Assert.Equal(0, redraft.PendingUpToWeek);
        Assert.Equal(redraft.List.ContentHash, published.Value!.List.ContentHash);
        Assert.True(published.Value.Created);
    }

    [Fact]
    public async Task A_draft_counts_the_pending_reports_of_every_earlier_week_of_the_cycle_whose_approval_would_change_the_list()
    {
        // A week's balance adds everything approved in the cycle before the week's end, so a report of W46 still
        // pending changes W47's list when it is approved; one of W48 does not, nor does one of the other kind.
        await using var world = await CreateAsync(Local(2026, 11, 25, 9));
        await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation, Local(2026, 11, 11, 10));
        await world.SelfReportAsync("landlord-2", DefaultRules.LandlordMediation, Local(2026, 11, 18, 10));
        await world.SelfReportAsync("landlord-2", DefaultRules.LandlordMediation, Local(2026, 11, 24, 10));
        await world.SelfReportAsync("shophead-1", DefaultRules.ShopMediation, Local(2026, 11, 18, 10));
        var officer = await world.StaffAsync("officer-1");

        var draft = (await world.Db.WriteAsync(s => world.Publication.DraftInAsync(s, officer, "houzhai", W47, SubjectKind.Landlord))).Value!;

        Assert.Equal(2, draft.PendingUpToWeek);
    }

    [Fact]
    public async Task Only_the_street_s_officers_publish()
    {
        await using var world = await CreateAsync(Local(2026, 11, 24));
        var outcome = await world.Publication.PublishAsync(await world.StaffAsync("secretary-fangtang"), "houzhai", W47, SubjectKind.Landlord, null);
        Assert.Equal(FailureKind.Forbidden, outcome.Failure!.Kind);
    }

    [Fact]
    public async Task Publishing_freezes_a_snapshot_that_later_ledger_changes_do_not_touch()
    {
        await using var world = await CreateAsync();
        var report = await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        var published = (await PublishAsync(world, W47)).Value!;

        await world.Verification.RevokeAsync(await world.StaffAsync("officer-1"), report.Event.Id, "举报不实");
        var read = (await world.Publication.PublishedAsync("houzhai", W47, SubjectKind.Landlord))!;

        Assert.Equal((1, "officer-1", Local(2026, 11, 23, 9), 1), (published.List.Revision, published.List.PublishedBy, published.List.PublishedAt!.Value, published.List.RuleSetVersion));
        Assert.Equal([new ListEntry(1, "landlord-1", "应天乐", "fangtang", 14)], read.Red);
        Assert.Equal(published.List.ContentHash, read.ContentHash);
    }

    [Fact]
    public async Task Publishing_again_without_a_reason_ranks_the_week_after_the_write_not_inside_it()
    {
        await using var world = await CreateAsync();
        var report = await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        await PublishAsync(world, W47);
        var officer = await world.StaffAsync("officer-1");
        await world.Verification.RevokeAsync(officer, report.Event.Id, "举报不实");

        // Inside the single writer a click that changes nothing ranks nobody (a city's street took ~160 ms there, every
        // write waiting); the API's door asks whether a correction is due afterwards, on a reader.
        var inWriter = (await world.Db.WriteAsync(s => world.Publication.PublishInAsync(s, officer, "houzhai", W47, SubjectKind.Landlord, null))).Value!;
        var answered = (await PublishAsync(world, W47)).Value!;

        Assert.Equal((1, false, null), (inWriter.List.Revision, inWriter.CorrectionDue, inWriter.CurrentContentHash));
        Assert.Equal((1, true), (answered.List.Revision, answered.CorrectionDue));
        Assert.NotEqual(answered.List.ContentHash, answered.CurrentContentHash);
    }

    [Fact]
    public async Task A_list_published_on_another_instance_just_after_an_officer_changed_the_list_size_has_the_new_size()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation);
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        var officer = await world.StaffAsync("officer-1");
        var file = Path.Combine(Path.GetDirectoryName(world.CredentialsPath)!, "scoring.db");
        await using var other = new Scoring.Storage.Database(Scoring.Storage.StorageProvider.Sqlite, $"Data Source={file};Pooling=False", world.Clock);
        var otherPublication = new Publication(other, world.Clock, world.Notices);
        await otherPublication.PreviewAsync(officer, "houzhai", W47, SubjectKind.Landlord); // the other instance has the street cached

        await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(officer, "houzhai", new SettingsDraft(RedListSize: 1));
        var published = await otherPublication.PublishAsync(officer, "houzhai", W47, SubjectKind.Landlord, null);

        Assert.Equal(["landlord-1"], published.Value!.List.Red.Select(e => e.SubjectId));
    }

    [Fact]
    public async Task A_correction_ranks_the_week_with_the_list_sizes_it_was_published_with_not_a_size_set_since()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation);
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        var officer = await world.StaffAsync("officer-1");
        await PublishAsync(world, W47);
        // From now on the street names one five-good landlord a week; then a report of W47 is verified late.
        await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(officer, "houzhai", new SettingsDraft(RedListSize: 1));
        await world.ScoreAsync("landlord-4", DefaultRules.LandlordMediation, Local(2026, 11, 20));

        var preview = (await world.Publication.PreviewAsync(officer, "houzhai", W47, SubjectKind.Landlord)).Value!;
        var corrected = (await PublishAsync(world, W47, correction: "补录董*华11月20日的上报")).Value!;

        Assert.Equal([("landlord-1", 1), ("landlord-2", 2), ("landlord-4", 2)], corrected.List.Red.Select(e => (e.SubjectId, e.Rank)));
        Assert.Equal(corrected.List.ContentHash, preview.List.ContentHash);
    }

    [Fact]
    public async Task A_list_size_changed_after_a_week_was_published_is_no_correction_of_that_week()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation);
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        var officer = await world.StaffAsync("officer-1");
        var published = (await PublishAsync(world, W47)).Value!;

        await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(officer, "houzhai", new SettingsDraft(RedListSize: 1));
        var draft = (await world.Db.WriteAsync(s => world.Publication.DraftInAsync(s, officer, "houzhai", W47, SubjectKind.Landlord))).Value!;
        var again = (await PublishAsync(world, W47, correction: "榜单人数调整")).Value!;

        Assert.Equal(PublicationChange.Unchanged, draft.Change);
        Assert.False(again.Created);
        Assert.Equal((1, published.List.ContentHash), (again.List.Revision, again.List.ContentHash));
    }

    [Fact]
    public async Task Publishing_again_without_a_correction_changes_nothing_even_when_the_ledger_moved()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        var first = (await PublishAsync(world, W47)).Value!;
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation, Local(2026, 11, 20));
        world.Clock.Advance(TimeSpan.FromHours(1));

        var second = (await PublishAsync(world, W47)).Value!;

        Assert.False(second.Created);
        Assert.Equal(first.List.Revision, second.List.Revision);
        Assert.Equal(first.List.ContentHash, second.List.ContentHash);
        Assert.Equal(first.List.PublishedAt, second.List.PublishedAt);
    }

    [Fact]
    public async Task A_correction_is_a_new_revision_with_its_reason_and_the_old_one_stays_readable()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        var first = (await PublishAsync(world, W47)).Value!;
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordReportedViolation, Local(2026, 11, 20)); // a report verified late

        var corrected = (await PublishAsync(world, W47, correction: "补录王*兰11月20日的上报")).Value!;
        var unchanged = (await PublishAsync(world, W47, correction: "再次更正")).Value!;

        Assert.True(corrected.Created);
        Assert.Equal((2, "补录王*兰11月20日的上报"), (corrected.List.Revision, corrected.List.CorrectionReason));
        Assert.Equal(["landlord-2", "landlord-1"], corrected.List.Red.Select(e => e.SubjectId));
        Assert.NotEqual(first.List.ContentHash, corrected.List.ContentHash);
        Assert.False(unchanged.Created); // nothing changed since the correction
        Assert.Equal(2, unchanged.List.Revision);
        Assert.Equal(2, (await world.Publication.PublishedAsync("houzhai", W47, SubjectKind.Landlord))!.Revision);
        var old = (await world.Publication.PublishedAsync("houzhai", W47, SubjectKind.Landlord, revision: 1))!;
        Assert.Equal((first.List.ContentHash, (string?)null), (old.ContentHash, old.CorrectionReason));
        Assert.Equal(["landlord-1"], old.Red.Select(e => e.SubjectId));
    }

    [Fact]
    public async Task A_preview_recomputed_later_has_the_published_hash()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        await world.DeductAsync("landlord-3", DefaultRules.NotDisinfected);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        var published = (await PublishAsync(world, W47)).Value!;
        world.Clock.Advance(TimeSpan.FromDays(30));

        var preview = (await world.Publication.PreviewAsync(await world.StaffAsync("officer-1"), "houzhai", W47, SubjectKind.Landlord)).Value!;

        Assert.Equal(published.List.ContentHash, preview.List.ContentHash);
        Assert.Equal(["landlord-3"], preview.List.Black.Select(e => e.SubjectId));
        Assert.Equal(5, preview.Standings.Count);
    }

    [Fact]
    public async Task The_published_list_is_the_preview_s_with_ties_at_the_cut_and_later_weeks_left_out()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation);
        foreach (var id in new[] { "landlord-4", "landlord-2", "landlord-3" }) await world.ScoreAsync(id, DefaultRules.LandlordMediation);
        await world.DeductAsync("landlord-5", DefaultRules.NotDisinfected);
        world.Clock.SetUtcNow(Local(2026, 11, 24, 9));
        await world.ScoreAsync("landlord-5", DefaultRules.LandlordReportedViolation); // in W48: not part of W47
        var officer = await world.StaffAsync("officer-1");

        var preview = (await world.Publication.PreviewAsync(officer, "houzhai", W47, SubjectKind.Landlord)).Value!.List;
        var published = (await PublishAsync(world, W47)).Value!.List;

        Assert.Equal([("landlord-1", 1), ("landlord-2", 2), ("landlord-3", 2), ("landlord-4", 2)], published.Red.Select(e => (e.SubjectId, e.Rank)));
        Assert.Equal([("landlord-5", 1, 11)], published.Black.Select(e => (e.SubjectId, e.Rank, e.Balance)));
        Assert.Equal(preview.Red, published.Red);
        Assert.Equal(preview.Black, published.Black);
        Assert.Equal(preview.ContentHash, published.ContentHash);
    }

    [Fact]
    public async Task Landlords_and_shop_heads_have_separate_lists()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        await world.ScoreAsync("shophead-2", DefaultRules.ShopMediation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));

        var landlords = (await PublishAsync(world, W47, kind: SubjectKind.Landlord)).Value!.List;
        var shopHeads = (await PublishAsync(world, W47, kind: SubjectKind.ShopHead)).Value!.List;

        Assert.Equal(("landlord", "shop-head"), (landlords.Kind, shopHeads.Kind));
        Assert.Equal(["landlord-1"], landlords.Red.Select(e => e.SubjectId));
        Assert.Equal(["shophead-2"], shopHeads.Red.Select(e => e.SubjectId));
    }

    [Fact]
    public async Task A_quiet_week_publishes_empty_lists()
    {
        await using var world = await CreateAsync(Local(2026, 11, 23, 9));
        var list = (await PublishAsync(world, W47)).Value!.List;
        Assert.Empty(list.Red);
        Assert.Empty(list.Black);
    }

    [Fact]
    public async Task A_week_with_no_shop_head_on_the_roster_has_no_shop_heads_list_to_publish_while_one_with_nobody_eligible_publishes_its_empty_list()
    {
        // Houzhai's two shop heads leave the roster on Wednesday of W48; nobody earned or lost a point.
        await using var world = await CreateAsync(Local(2026, 11, 25, 10));
        var officer = await world.StaffAsync("officer-1");
        foreach (var id in new[] { "shophead-1", "shophead-2" })
            Assert.True((await new Application.Rosters(world.Db, world.Clock).DeactivateSubjectAsync(officer, id)).Succeeded);
        world.Clock.SetUtcNow(Local(2026, 12, 7, 9));
        var w49 = IsoWeek.Parse("2026-W49");

        var withThem = await PublishAsync(world, W47.Next(), kind: SubjectKind.ShopHead);
        var without = await PublishAsync(world, w49, kind: SubjectKind.ShopHead);
        var landlords = await PublishAsync(world, w49);

        Assert.True(withThem.Value!.Created); // on the roster for part of W48: an empty list, not none
        Assert.Empty(withThem.Value.List.Red.Concat(withThem.Value.List.Black));
        Assert.Equal(("no-subjects-of-kind", FailureKind.Conflict), (without.Failure?.Code, without.Failure?.Kind));
        Assert.Contains("2026-W49", without.Failure!.English, StringComparison.Ordinal);
        Assert.Contains("没有铺长", without.Failure.Chinese, StringComparison.Ordinal);
        Assert.Null(await world.Publication.PublishedAsync("houzhai", w49, SubjectKind.ShopHead));
        Assert.True(landlords.Value!.Created);
    }

    [Fact]
    public async Task A_community_view_of_a_week_already_published_ranks_it_with_the_sizes_the_street_s_list_was_published_with()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation);
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        var officer = await world.StaffAsync("officer-1");
        await PublishAsync(world, W47);
        await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(officer, "houzhai", new SettingsDraft(RedListSize: 1));

        // 方塘村's two five-good landlords of W47 stand on the street's published list; its view must not drop one of them.
        var fangtang = (await world.Publication.PreviewAsync(await world.StaffAsync("secretary-fangtang"), "houzhai", W47, SubjectKind.Landlord, "fangtang")).Value!;
        var w48 = (await world.Publication.PreviewAsync(await world.StaffAsync("secretary-fangtang"), "houzhai", W47.Next(), SubjectKind.Landlord, "fangtang")).Value!;

        Assert.Equal(["landlord-1", "landlord-2"], fangtang.List.Red.Select(e => e.SubjectId));
        Assert.Equal(1, w48.List.RedListSize); // a week not published yet: the sizes set now
    }

    [Fact]
    public async Task A_community_preview_is_for_its_secretary_and_the_officers()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        await world.ScoreAsync("landlord-4", DefaultRules.LandlordMediation);

        var fangtang = (await world.Publication.PreviewAsync(await world.StaffAsync("secretary-fangtang"), "houzhai", W47, SubjectKind.Landlord, "fangtang")).Value!;
        var refused = await world.Publication.PreviewAsync(await world.StaffAsync("secretary-changchun"), "houzhai", W47, SubjectKind.Landlord, "fangtang");
        var street = await world.Publication.PreviewAsync(await world.StaffAsync("secretary-fangtang"), "houzhai", W47, SubjectKind.Landlord);

        Assert.Equal(["landlord-1"], fangtang.List.Red.Select(e => e.SubjectId));
        Assert.All(fangtang.Standings, e => Assert.Equal("fangtang", e.Community));
        Assert.Equal(FailureKind.Forbidden, refused.Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, street.Failure!.Kind);
    }

    [Fact]
    public async Task Week_2026_W53_and_2027_W01_are_published_each_in_their_own_cycle()
    {
        await using var world = await CreateAsync(Local(2026, 12, 30, 10)); // Wednesday of 2026-W53
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        world.Clock.SetUtcNow(Local(2027, 1, 3, 23, 59, 59));                  // Sunday night: still W53
        await world.ScoreAsync("landlord-3", DefaultRules.LandlordReportedViolation);
        world.Clock.SetUtcNow(Local(2027, 1, 4));                              // Monday 00:00: W53 is over
        var w53 = IsoWeek.Parse("2026-W53");
        var w01 = IsoWeek.Parse("2027-W01");

        var published53 = (await PublishAsync(world, w53)).Value!.List;
        var tooEarly01 = await PublishAsync(world, w01);
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation);  // at Monday 00:00: in W01
        world.Clock.SetUtcNow(Local(2027, 1, 11));
        var published01 = (await PublishAsync(world, w01)).Value!.List;

        Assert.Equal([("landlord-3", 14), ("landlord-1", 13)], published53.Red.Select(e => (e.SubjectId, e.Balance)));
        Assert.Equal("week-not-over", tooEarly01.Failure!.Code);
        // A new cycle: 2026's points are gone, only 2027's count.
        Assert.Equal([("landlord-2", 13)], published01.Red.Select(e => (e.SubjectId, e.Balance)));
        Assert.Equal("2027-W01", published01.Week);
        Assert.Equal(12, (await world.Scores.CardAsync("landlord-1"))!.Balance);
    }

    [Fact]
    public async Task Subjects_red_listed_three_times_in_published_weeks_are_the_year_s_candidates()
    {
        await using var world = await CreateAsync(Local(2026, 11, 4, 9)); // Wednesday of W45
        var officer = await world.StaffAsync("officer-1");
        foreach (var week in new[] { "2026-W45", "2026-W46", "2026-W47" }.Select(IsoWeek.Parse))
        {
            await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
            if (week.Number < 47) await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation);
            else await world.DeductAsync("landlord-2", DefaultRules.NotDisinfected); // a deduction: no red list this week
            world.Clock.Advance(TimeSpan.FromDays(7));
            Assert.True((await world.Publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, null)).Value!.Created);
        }
        await world.ScoreAsync("landlord-3", DefaultRules.LandlordMediation); // red in a preview only: not published

        var honours = (await world.Publication.HonoursAsync("houzhai", 2026)).Value!.Candidates;

        var candidate = Assert.Single(honours);
        Assert.Equal(("landlord-1", "应天乐", 3), (candidate.SubjectId, candidate.Name, candidate.RedListings));
        Assert.Equal(["2026-W45", "2026-W46", "2026-W47"], candidate.Weeks);
        Assert.Empty((await world.Publication.HonoursAsync("houzhai", 2027)).Value!.Candidates);
    }

    [Theory]
    [InlineData(CycleKind.WeekYear)]
    [InlineData(CycleKind.WeekQuarter)] // 2026-Q4 is W40 to W53; 2027-Q1 starts on 4 January
    public async Task The_honours_of_2026_count_its_53rd_week_and_none_of_2027_s_first(CycleKind cycle)
    {
        await using var world = await CreateAsync(Local(2026, 12, 16, 10)); // Wednesday of 2026-W51
        var street = (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!;
        await world.Db.WriteAsync(s => s.UpdateSettingsAsync("houzhai", street.Settings with { Cycle = cycle }));
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation); // 13 from W51 to the cycle's end
        world.Clock.SetUtcNow(Local(2027, 1, 6, 10));                       // 2027-W01: a new cycle, 12 again
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation);
        world.Clock.SetUtcNow(Local(2027, 1, 11, 9));
        foreach (var week in new[] { "2026-W51", "2026-W52", "2026-W53", "2027-W01" }.Select(IsoWeek.Parse))
            Assert.True((await PublishAsync(world, week)).Succeeded);

        var candidate = Assert.Single((await world.Publication.HonoursAsync("houzhai", 2026)).Value!.Candidates);

        Assert.Equal(("landlord-1", 3), (candidate.SubjectId, candidate.RedListings));
        Assert.Equal(["2026-W51", "2026-W52", "2026-W53"], candidate.Weeks);
        Assert.Empty((await world.Publication.HonoursAsync("houzhai", 2027)).Value!.Candidates); // landlord-2 once, in 2027-W01
    }

    [Theory]
    [InlineData("补录\u202e兰*王的上报")]     // the public would read the reason reversed
    [InlineData("补录\u2066王*兰\u2069的上报")]
    [InlineData("补录\u0000上报")]
    public async Task A_correction_reason_that_would_show_reordered_on_the_public_list_is_refused(string reason)
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        await PublishAsync(world, W47);
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordReportedViolation, Local(2026, 11, 20));

        var corrected = await PublishAsync(world, W47, correction: reason);

        Assert.Equal(("text-control", "correctionReason"), (corrected.Failure?.Code, corrected.Failure?.Field));
        Assert.Equal(1, (await world.Publication.PublishedAsync("houzhai", W47, SubjectKind.Landlord))!.Revision);
    }

    [Theory]
    [InlineData(SubjectKind.Landlord, "建国的一条调解加分经核实撤销")]                  // 陈*国 on revision 1 + 建国 = 陈建国
    [InlineData(SubjectKind.Landlord, "秀兰的一条调解加分核实较晚")]                    // 王*兰, on the new revision only
    [InlineData(SubjectKind.Landlord, "陈*国的一条调解加分经核实撤销（方塘村3幢201室纠纷）")] // a room
    [InlineData(SubjectKind.ShopHead, "汽配一号店的一条调解加分经核实撤销")]            // a listed shop head's shop
    public async Task A_correction_reason_naming_a_listed_person_s_given_name_a_tenant_s_room_or_a_listed_shop_head_s_shop_is_refused_as_naming_a_person(
        SubjectKind kind, string reason)
    {
        await using var world = await CreateAsync();
        var mediation = await world.ScoreAsync(kind == SubjectKind.Landlord ? "landlord-3" : "shophead-1",
            kind == SubjectKind.Landlord ? DefaultRules.LandlordMediation : DefaultRules.ShopMediation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        await PublishAsync(world, W47, kind: kind);
        await world.Verification.RevokeAsync(await world.StaffAsync("officer-1"), mediation.Event.Id, "调解未成");
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation, Local(2026, 11, 20)); // approved late

        var refused = await PublishAsync(world, W47, reason, kind);
        var masked = await PublishAsync(world, W47, "一条调解加分经核实撤销，一条核实较晚", kind);

        Assert.Equal("reason-names-a-person", refused.Failure?.Code);
        Assert.Equal(2, masked.Value!.List.Revision);
    }

    [Fact]
    public async Task A_correction_reason_of_500_characters_as_stored_is_taken_though_windows_line_breaks_made_it_longer_as_sent()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        await PublishAsync(world, W47);
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordReportedViolation, Local(2026, 11, 20));
        var stored = string.Join("\n", Enumerable.Repeat("补录上报", 100)) + "。"; // 500 with LF, 599 with CRLF

        var corrected = await PublishAsync(world, W47, correction: stored.Replace("\n", "\r\n"));

        Assert.True(corrected.Succeeded, corrected.Failure?.English);
        Assert.Equal(stored, corrected.Value!.List.CorrectionReason);
    }

    [Fact]
    public async Task A_landlord_who_moved_community_stays_in_the_old_one_on_the_lists_of_the_weeks_before_the_move()
    {
        // Lists were read with today's community: after 应天乐 moved from 方塘村 to 长春社区, 方塘村's W46 lost its first place
        // to 长春社区, which he never was in that week, and the street's W46 preview no longer hashed as the list published.
        await using var world = await CreateAsync(); // Wednesday of W47
        var officer = await world.StaffAsync("officer-1");
        var w46 = IsoWeek.Parse("2026-W46");
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation, Local(2026, 11, 11, 10));
        var published = (await PublishAsync(world, w46)).Value!.List;

        var moved = await new Application.Rosters(world.Db, world.Clock).UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(Community: "changchun"));
        Assert.True(moved.Succeeded, moved.Failure?.English);
        var street = (await world.Publication.PreviewAsync(officer, "houzhai", w46, SubjectKind.Landlord)).Value!;
        var fangtang = (await world.Publication.PreviewAsync(officer, "houzhai", w46, SubjectKind.Landlord, "fangtang")).Value!;
        var changchun = (await world.Publication.PreviewAsync(officer, "houzhai", w46, SubjectKind.Landlord, "changchun")).Value!;
        var thisWeek = (await world.Publication.PreviewAsync(officer, "houzhai", W47, SubjectKind.Landlord, "changchun")).Value!;

        Assert.Equal(published.ContentHash, street.List.ContentHash);
        Assert.Equal("fangtang", street.Standings.Single(e => e.SubjectId == "landlord-1").Community);
        Assert.Contains(fangtang.Standings, e => e.SubjectId == "landlord-1");
        Assert.DoesNotContain(changchun.Standings, e => e.SubjectId == "landlord-1");
        Assert.Contains(thisWeek.Standings, e => e.SubjectId == "landlord-1"); // the week he moved in: where he is at its end
    }
}
