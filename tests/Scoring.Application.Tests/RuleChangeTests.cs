using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

/// <summary>
/// An officer changes the rules on Wednesday 09:00 of 2026-W47, while reports under them wait for verification: each
/// report keeps the version it was scored with, and each week is scored under one version.
/// </summary>
public class RuleChangeTests
{
    /// <summary>From next week the service is worth +2, capped at 2, and needs nobody's check.</summary>
    private static List<RuleDraft> ServiceChanged() => DefaultRules.All
        .Select(r => r.Code == DefaultRules.LandlordService ? r with { Delta = 2, WeeklyCap = 2, NeedsVerification = false } : r)
        .Select(r => new RuleDraft(r.Code, r.NameZh, r.NameEn, r.AppliesTo.ToWire(), r.Delta, r.ReportedBy.Select(x => x.ToWire()).ToList(), r.NeedsVerification, r.WeeklyCap, r.Once?.ToWire()))
        .ToList();

    [Fact]
    public async Task Reports_pending_when_the_rules_change_keep_their_points_and_check_and_the_new_week_has_the_new_cap()
    {
        await using var world = await CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var landlord = await world.SubjectAsync("landlord-1");
        var before = new List<ReportReceipt>();
        for (var i = 0; i < 3; i++) before.Add(await world.SelfReportAsync("landlord-1", DefaultRules.LandlordService, evidence: $"代办{i}"));
        var published = (await new RuleBook(world.Db, world.Clock).PublishAsync(officer, "houzhai", ServiceChanged())).Value!;
        // Still this week: version 1 and its cap of 3, reached.
        var fourth = await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(landlord), "landlord-1", DefaultRules.LandlordService, "test:fourth", "代办3"));

        world.Clock.SetUtcNow(Local(2026, 11, 23, 9));
        var after = new List<ReportReceipt>();
        for (var i = 0; i < 2; i++) after.Add(await world.SelfReportAsync("landlord-1", DefaultRules.LandlordService, evidence: $"新代办{i}"));
        var third = await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(landlord), "landlord-1", DefaultRules.LandlordService, "test:third", "新代办2"));
        foreach (var receipt in before) await world.ApproveAsync(receipt);

        Assert.Equal(2, published.Set.Version);
        Assert.Equal("cap-reached", fourth.Failure?.Code);
        Assert.All(before, r => Assert.Equal((1, 1, EventStatus.Pending), (r.Event.RuleVersion, r.Event.Delta, r.Event.Status)));
        Assert.All(after, r => Assert.Equal((2, 2, EventStatus.Approved), (r.Event.RuleVersion, r.Event.Delta, r.Event.Status)));
        Assert.Equal("cap-reached", third.Failure?.Code);
        Assert.Equal(12 + 3 * 1 + 2 * 2, (await world.Scores.CardAsync("landlord-1"))!.Balance);
    }
}
