using Scoring.Application;
using Scoring.Service.Features;
using Scoring.Storage;

namespace Scoring.Service.Hosting;

/// <summary>
/// The verification loop's clockwork: escalation and missed rounds, once a minute, on one instance at a time; and once an
/// hour, forgetting the Idempotency-Keys of staff requests past <see cref="Idempotency.KeepKeys"/> (their sealed answers
/// can hold phones and names) and erasing the personal data of landlords and shop heads off the roster past its
/// keeping (<see cref="OffRosterErasure"/>).
/// </summary>
public sealed class VerificationClockWork(Database db, TimeProvider time, Verification verification, Rounds rounds, OffRosterErasure erasure,
    ILogger<VerificationClockWork> log, IHostApplicationLifetime? lifetime = null)
    : LeasedWork(db, time, log, lifetime)
{
    protected override string LeaseName => "verification-clock";

    protected override Task RoundAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <returns>False when another instance holds the lease.</returns>
    public async Task<bool> RunOnceAsync(CancellationToken ct = default)
    {
        if (!await TakeLeaseAsync(ct)) return false;
        Step("escalation");
        var escalated = await verification.EscalateAsync(ct);
        Step("missed rounds");
        var missed = await rounds.RecordMissedAsync(ct);
        if (escalated + missed > 0) Log.LogInformation("Escalated {Escalated} pending items; recorded {Missed} missed rounds", escalated, missed);
        await HourlyAsync(async () =>
        {
            Step("Idempotency-Key forgetting");
            await Db.WriteAsync(s => s.ForgetIdempotencyBeforeAsync(Time.GetUtcNow() - Idempotency.KeepKeys), ct);
            // The lease renewed for the erasure, which stops taking people after OffRosterErasure.RoundTime (a quarter of
            // it): what ran before it in this round (escalation, the scan of keys) cannot leave it a lease running out.
            if (!await TakeLeaseAsync(ct)) return;
            Step("off-roster erasure");
            // Ids and counts only: who was erased is in the street's staff actions.
            if (await erasure.EraseDueAsync(ct) is > 0 and var erased) Log.LogInformation("Erased the personal data of {Count} people long off the roster", erased);
        });
        return true;
    }
}
