using Microsoft.Extensions.Hosting;
using Scoring.Service.Hosting;
using Scoring.Storage;

namespace Scoring.Service.Tests.Hosting;

/// <summary>Leased background work as instances stop and start: a clean stop leaves no lease behind for others to wait out.</summary>
public sealed class LeasedWorkTests
{
    [Fact]
    public async Task An_instance_that_stops_cleanly_hands_its_lease_back_so_another_instance_or_a_restore_need_not_wait_for_it_to_run_out()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await using var otherDb = world.AnotherInstanceDatabase();
        var stopping = world.ClockWork(world.Db);
        var staying = world.ClockWork(otherDb);
        await stopping.RunRoundAsync(CancellationToken.None);
        var held = Assert.Single(await world.Db.ReadAsync(s => s.ListLeasesAsync()));

        await stopping.StopAsync(CancellationToken.None);

        var handedBack = Assert.Single(await world.Db.ReadAsync(s => s.ListLeasesAsync()));
        Assert.Equal(world.Clock.GetUtcNow(), handedBack.LeaseUntil);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        await staying.RunRoundAsync(CancellationToken.None); // at once, not two minutes later
        Assert.NotEqual(held.Owner, Assert.Single(await world.Db.ReadAsync(s => s.ListLeasesAsync())).Owner);
    }

    /// <summary>The host's lifetime with its start in the test's hands.</summary>
    private sealed class HostLifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Started { get; } = new();
        public CancellationToken ApplicationStarted => Started.Token;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }

    [Fact]
    public async Task Leased_work_takes_no_lease_until_the_server_has_started_so_an_instance_that_cannot_listen_holds_up_no_other()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var lifetime = new HostLifetime();
        var work = world.ClockWork(lifetime: lifetime);

        await work.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // a round, ungated, takes its lease at once
        var beforeStart = await world.Db.ReadAsync(s => s.ListLeasesAsync());
        await lifetime.Started.CancelAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await world.Db.ReadAsync(s => s.ListLeasesAsync())).Count == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        await work.StopAsync(CancellationToken.None);

        Assert.Empty(beforeStart);
        Assert.Equal("verification-clock", Assert.Single(await world.Db.ReadAsync(s => s.ListLeasesAsync())).Name);
    }

    [Fact]
    public async Task An_instance_that_stops_leaves_another_instance_s_lease_alone()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await using var otherDb = world.AnotherInstanceDatabase();
        var holding = world.ClockWork(world.Db);
        var idle = world.ClockWork(otherDb);
        await holding.RunRoundAsync(CancellationToken.None);
        await idle.RunRoundAsync(CancellationToken.None); // found the lease held: it holds nothing
        var held = Assert.Single(await world.Db.ReadAsync(s => s.ListLeasesAsync()));

        await idle.StopAsync(CancellationToken.None);

        var after = Assert.Single(await world.Db.ReadAsync(s => s.ListLeasesAsync()));
        Assert.Equal((held.Owner, held.LeaseUntil), (after.Owner, after.LeaseUntil));
    }
}
