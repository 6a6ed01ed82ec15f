using Microsoft.Extensions.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Scoring.Application;
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

    [Fact]
    public async Task A_round_that_keeps_failing_says_which_step_failed_with_the_database_s_code_and_how_many_rounds_in_a_row_but_no_message()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var log = new RecordingLog();
        var work = new FailingWork(world.Db, world.Clock, log);

        await work.RunLoggedRoundAsync(CancellationToken.None);
        world.Clock.Advance(LeasedWork.Period);
        await work.RunLoggedRoundAsync(CancellationToken.None);

        Assert.Equal(2, log.Lines.Count);
        var second = log.Lines[1];
        Assert.Equal(LogLevel.Warning, second.Level);
        Assert.Contains("missed rounds", second.Text);
        Assert.Contains("SqliteException", second.Text);
        Assert.Contains("error 19", second.Text);
        Assert.Contains("2 rounds in a row", second.Text);
        Assert.DoesNotContain("13800138000", string.Join("\n", log.Lines.Select(l => l.Text)));
        // The stack trace once, not again while the failure is the same.
        Assert.Contains(nameof(FailingWork), log.Lines[0].Text);
        Assert.DoesNotContain(nameof(FailingWork), second.Text);
    }

    [Fact]
    public async Task A_round_that_works_again_after_failing_says_so_once()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var log = new RecordingLog();
        var work = new FailingWork(world.Db, world.Clock, log);
        await work.RunLoggedRoundAsync(CancellationToken.None);

        work.Fails = false;
        await work.RunLoggedRoundAsync(CancellationToken.None);
        await work.RunLoggedRoundAsync(CancellationToken.None);

        Assert.Equal(2, log.Lines.Count);
        Assert.Equal(LogLevel.Information, log.Lines[1].Level);
        Assert.Contains("works again after 1 failed round", log.Lines[1].Text);
    }

    /// <summary>A round whose second step fails as a row breaking a constraint would, its message quoting the row.</summary>
    private sealed class FailingWork(Database db, TimeProvider time, ILogger log) : LeasedWork(db, time, log)
    {
        public bool Fails { get; set; } = true;
        protected override string LeaseName => "failing-work";

        protected override async Task RoundAsync(CancellationToken ct)
        {
            if (!await TakeLeaseAsync(ct)) return;
            Step("escalation");
            Step("missed rounds");
            if (Fails) Throw();
        }

        private static void Throw() => throw new SqliteException("UNIQUE constraint failed: subjects.phone = 13800138000", 19);
    }

    private sealed class RecordingLog : ILogger
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add((logLevel, $"{formatter(state, exception)} {exception}"));
        }
    }
}
