using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

/// <summary>
/// The rule book with two service instances on one database: each keeps streets and rule sets in its own
/// <see cref="ReferenceCache"/> for a while, and what one publishes must not be decided against by the other.
/// </summary>
public sealed class RuleBookInstancesTests
{
    private static List<RuleDraft> Drafts(int serviceWorth) => DefaultRules.All.Select(r => new RuleDraft(
        r.Code, r.NameZh, r.NameEn, r.AppliesTo.ToWire(), r.Code == DefaultRules.LandlordService ? serviceWorth : r.Delta,
        r.ReportedBy.Select(x => x.ToWire()).ToList(), r.NeedsVerification, r.WeeklyCap, r.Once?.ToWire())).ToList();

    [Fact]
    public async Task Rules_put_back_on_one_instance_right_after_another_changed_them_make_a_new_version()
    {
        await using var world = await CreateAsync();
        await using var otherDb = world.AnotherDatabase();
        var (here, there) = (new RuleBook(world.Db, world.Clock), new RuleBook(otherDb, world.Clock));
        var officer = await world.StaffAsync("officer-1");
        await there.ReadAsync(officer, "houzhai"); // the other instance has version 1 in its cache

        var changed = await here.PublishAsync(officer, "houzhai", Drafts(serviceWorth: 3));
        world.Clock.Advance(TimeSpan.FromSeconds(5));
        var putBack = await there.PublishAsync(officer, "houzhai", Drafts(serviceWorth: 1));

        Assert.Equal(2, changed.Value!.Set.Version);
        // Version 1's rules are not the newest any more: putting them back is a change, not "identical to the newest".
        Assert.True(putBack.Succeeded, putBack.Failure?.English);
        Assert.True(putBack.Value!.Created);
        Assert.Equal(3, putBack.Value.Set.Version);
        var book = (await here.ReadAsync(officer, "houzhai")).Value!;
        Assert.Equal(1, book.Upcoming!.Rules.Single(r => r.Code == DefaultRules.LandlordService).Delta);
    }

    [Fact]
    public async Task New_rules_on_one_instance_can_be_changed_again_at_once_on_another()
    {
        await using var world = await CreateAsync();
        await using var otherDb = world.AnotherDatabase();
        var (here, there) = (new RuleBook(world.Db, world.Clock), new RuleBook(otherDb, world.Clock));
        var officer = await world.StaffAsync("officer-1");
        await there.ReadAsync(officer, "houzhai");

        await here.PublishAsync(officer, "houzhai", Drafts(serviceWorth: 3));
        var again = await there.PublishAsync(officer, "houzhai", Drafts(serviceWorth: 2));

        // Not "someone published at the same moment, retry" for as long as the other instance's cache lasts.
        Assert.True(again.Succeeded, again.Failure?.English);
        Assert.Equal(3, again.Value!.Set.Version);
    }

    [Fact]
    public async Task A_report_dated_into_next_week_on_another_instance_is_scored_with_the_version_published_for_that_week()
    {
        // Sunday night of 2026-W47, a little over five minutes before the week ends in Houzhai.
        var sundayLate = Local(2026, 11, 22, 23, 54, 40);
        await using var world = await CreateAsync(sundayLate);
        await using var otherDb = world.AnotherDatabase();
        var there = new Reporting(otherDb, world.Clock, world.Notices);
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        // The other instance has just read version 1 (a report of its own).
        Assert.True((await there.ReportAsync(new ReportRequest(landlord, "landlord-1", DefaultRules.LandlordService, "chat:a", "代办"))).Succeeded);

        var published = await new RuleBook(world.Db, world.Clock).PublishAsync(await world.StaffAsync("officer-1"), "houzhai", Drafts(serviceWorth: 3));
        world.Clock.Advance(TimeSpan.FromSeconds(25));
        // A phone a few minutes fast dates its report in the next week, which the new version is for (or else starts after).
        var occurred = world.Clock.GetUtcNow() + TimeSpan.FromMinutes(5);
        var report = await there.ReportAsync(new ReportRequest(landlord, "landlord-1", DefaultRules.LandlordService, "chat:b", "代办", occurred));

        Assert.True(report.Succeeded, report.Failure?.English);
        var version = published.Value!.Set;
        Assert.True(occurred < version.EffectiveFrom || report.Value!.Event.RuleVersion == version.Version,
            $"scored with version {report.Value!.Event.RuleVersion} at {occurred:O}; version {version.Version} is in force from {version.EffectiveFrom:O}");
    }
}
