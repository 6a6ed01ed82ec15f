using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// Background work that runs a round every <see cref="Period"/> on one instance at a time: several instances
/// may share a database, and a lease in it says whose turn it is. Every round must be idempotent, so a lease
/// lost mid-round costs nothing but time.
/// </summary>
/// <remarks>Rounds begin once the server has started (<see cref="ServerStart"/>); <paramref name="lifetime"/> is the host's, null without one.</remarks>
public abstract class LeasedWork(Database db, TimeProvider time, ILogger log, IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private readonly string _owner = OwnerOf(Environment.MachineName, Environment.ProcessId, Guid.NewGuid());

    /// <summary>
    /// Names this instance in worker_leases.owner, 100 characters on SQL Server: the machine's name (up to 64 on Linux) is
    /// cut to 50, so that any process id and the instance's guid fit after it. The guid alone tells instances apart.
    /// </summary>
    internal static string OwnerOf(string machineName, int processId, Guid instance) =>
        $"{(machineName.Length <= MaxMachineName ? machineName : machineName[..MaxMachineName])}:{processId}:{instance:N}";

    private const int MaxMachineName = 50;

    /// <summary>The start of this instance's owner name (machine:process id:), which its status compares lease owners with.</summary>
    public static string InstancePrefix { get; } = OwnerOf(Environment.MachineName, Environment.ProcessId, Guid.Empty)[..^32];

    // Whether this round took (or renewed) the lease: only then may it say the work's round completed.
    private bool _leaseTaken;

    protected Database Db { get; } = db;
    protected TimeProvider Time { get; } = time;
    protected ILogger Log { get; } = log;

    /// <summary>The lease's name, unique per kind of work.</summary>
    protected abstract string LeaseName { get; }

    /// <summary>One round, run by the loop; a failure is logged and the next round comes anyway.</summary>
    protected abstract Task RoundAsync(CancellationToken ct);

    /// <summary>Takes (or renews) the lease for two periods; false when another instance holds it.</summary>
    protected Task<bool> TakeLeaseAsync(CancellationToken ct) => TakeLeaseAsync(Period * 2, ct);

    /// <summary>Takes (or renews) the lease for <paramref name="holdFor"/>, for a step that may outlast two periods; the next round's renewal shortens it again.</summary>
    protected async Task<bool> TakeLeaseAsync(TimeSpan holdFor, CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var taken = await Db.WriteAsync(s => s.TryTakeLeaseAsync(LeaseName, _owner, now, now + holdFor), ct);
        _leaseTaken |= taken;
        return taken;
    }

    /// <summary>How often <see cref="HourlyAsync"/> runs its step: the forgetting of what is kept only for a while.</summary>
    public static readonly TimeSpan Hourly = TimeSpan.FromHours(1);

    // Per instance: an instance that takes the lease over runs the hourly step at its first round.
    private DateTimeOffset _hourlyAt = DateTimeOffset.MinValue;

    /// <summary>
    /// A step of the round done once an hour, not every minute (a scan of a whole table, say): at this instance's first
    /// round and then whenever an hour has passed since it last ran here.
    /// </summary>
    protected async Task HourlyAsync(Func<Task> step)
    {
        var now = Time.GetUtcNow();
        if (now < _hourlyAt) return;
        await step();
        _hourlyAt = now + Hourly;
    }

    /// <summary>For a round that catches its own failure (and so returns as if done): it is not recorded as completed.</summary>
    protected void RoundFailed() => _leaseTaken = false;

    /// <summary>
    /// One round as the loop runs it: <see cref="RoundAsync"/>, then, when this instance took the lease for it and it ran
    /// to its end, the time it completed on the lease's row (worker_leases.last_completed_at, for the service's status).
    /// A round that found the lease held elsewhere, or failed, leaves the time of the last one that completed.
    /// </summary>
    public async Task RunRoundAsync(CancellationToken ct)
    {
        _leaseTaken = false;
        Step("lease");
        await RoundAsync(ct);
        if (!_leaseTaken) return;
        Step("round's completion");
        var now = Time.GetUtcNow();
        await Db.WriteAsync(s => s.CompleteLeasedRoundAsync(LeaseName, _owner, now), ct);
    }

    /// <summary>
    /// Stops the loop, then hands back the lease if this instance holds it: a lease left to run out kept another instance
    /// from the work, and <c>restore</c> from the database, for two minutes after a clean stop (an hour after one during a
    /// nightly copy). A failure to hand it back is only logged: the lease runs out as it did before.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await Db.WriteAsync(s => s.ReleaseLeaseAsync(LeaseName, _owner, Time.GetUtcNow()), cancellationToken);
        }
        catch (Exception e)
        {
            // The type only: a message could quote personal data from a row.
            Log.LogWarning("{Work} could not hand its lease back on stopping ({ExceptionType}); it runs out by itself", LeaseName, e.GetType().FullName);
        }
    }

    /// <summary>Names the step of the round about to run, so that its failure says which step failed.</summary>
    protected void Step(string name) => Failures.Step(name);

    /// <summary>How this work's failed rounds are logged (step, types, the database's code, how many in a row), and its recovery.</summary>
    protected RoundFailures Failures => _failures ??= new RoundFailures(LeaseName, Time, Log, RetryIn);

    /// <summary>How long after a failed round the next try comes, as its log line says: the loop's period unless the work waits longer.</summary>
    protected virtual TimeSpan RetryIn => Period;

    private RoundFailures? _failures;

    /// <summary>One round as the loop runs it: a failure is logged, not thrown, and the next round comes anyway.</summary>
    public async Task RunLoggedRoundAsync(CancellationToken ct)
    {
        try
        {
            await RunRoundAsync(ct);
            // Only a round that did the work says it works again: one that found the lease elsewhere did nothing.
            if (_leaseTaken) Failures.Succeeded();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failures.Failed(e);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await ServerStart.WaitAsync(lifetime, stoppingToken)) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            await RunLoggedRoundAsync(stoppingToken);
            try { await Task.Delay(Period, Time, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
