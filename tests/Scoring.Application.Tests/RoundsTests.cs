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
        Assert.True((await world.Reporting.ReportRoundAsync(Actor.Of(await world.SubjectAsync("shophead-1")), "chat:round")).Succeeded);
        world.Clock.SetUtcNow(Local(2026, 11, 18, 16));

        Assert.Equal(1, await world.Rounds.RecordMissedAsync());

        Assert.Empty(await MissedAsync(world, "shophead-1"));
        var missed = Assert.Single(await MissedAsync(world, "shophead-2"));
        Assert.Equal((EventStatus.Pending, -1, ReporterRole.System, Local(2026, 11, 18, 16)), (missed.Status, missed.Delta, missed.ReporterRole, missed.OccurredAt));
        Assert.Empty(await MissedAsync(world, "landlord-1"));
    }

    [Fact]
    public async Task Running_the_check_again_or_twice_at_once_records_a_missed_round_only_once()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 17));

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
        await using var world = await CreateAsync(Local(2026, 11, 18, 16, 30));
        await world.Rounds.RecordMissedAsync();
        world.Clock.SetUtcNow(Local(2026, 11, 19, 16, 30));
        Assert.Equal(2, await world.Rounds.RecordMissedAsync());
        Assert.Equal(2, (await MissedAsync(world, "shophead-1")).Count);
    }

    [Fact]
    public async Task A_round_reported_twice_in_a_day_is_one_round()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 9));
        var head = Actor.Of(await world.SubjectAsync("shophead-1"));
        await world.Reporting.ReportRoundAsync(head, "chat:r1");
        await world.Reporting.ReportRoundAsync(head, "chat:r2");
        Assert.True(await world.Db.ReadAsync(s => s.HasShopRoundAsync("shophead-1", "2026-11-18")));
    }

    [Fact]
    public async Task An_inactive_shop_head_is_not_charged()
    {
        await using var world = await CreateAsync(Local(2026, 11, 18, 17));
        await world.Db.WriteAsync(async s => await s.UpdateSubjectAsync((await s.GetSubjectAsync("shophead-2"))! with { Active = false }));
        Assert.Equal(1, await world.Rounds.RecordMissedAsync());
        Assert.Empty(await MissedAsync(world, "shophead-2"));
    }
}
