using Scoring.Application;
using Scoring.Storage;

namespace Scoring.Service.Hosting;

/// <summary>
/// The verification loop's clockwork: escalation and missed rounds, once a minute. Several instances may
/// run on one database; a lease in the database makes one of them do the round at a time (and the work
/// itself is idempotent, so a lease that expires mid-round costs nothing but time).
/// </summary>
public sealed class VerificationClockWork(Database db, TimeProvider time, Verification verification, Rounds rounds, ILogger<VerificationClockWork> log) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Verification clockwork failed; retrying in {Period}", Period);
            }
            try { await Task.Delay(Period, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <returns>False when another instance holds the lease.</returns>
    public async Task<bool> RunOnceAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (!await db.WriteAsync(s => s.TryTakeLeaseAsync("verification-clock", _owner, now, now + Period * 2), ct)) return false;
        var escalated = await verification.EscalateAsync(ct);
        var missed = await rounds.RecordMissedAsync(ct);
        if (escalated + missed > 0) log.LogInformation("Escalated {Escalated} pending items; recorded {Missed} missed rounds", escalated, missed);
        return true;
    }
}
