using Microsoft.Extensions.Logging;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>How this instance's app password stands to the one the database's codes are keyed with.</summary>
public enum PasswordStanding
{
    /// <summary>This instance has no password (Development, Testing): nothing of it to compare.</summary>
    NoPassword,
    /// <summary>No instance with a password has written its verifier yet.</summary>
    Unrecorded,
    /// <summary>The database's codes are keyed with this instance's current password.</summary>
    Matches,
    /// <summary>With its previous one: a rotation under way that this instance has not yet recorded (it does at its start).</summary>
    Previous,
    /// <summary>Neither: codes, sealed replies and Idempotency-Key answers of the other instances are not this one's to read.</summary>
    Differs,
}

/// <summary>
/// Whether every instance on the database holds the same <c>Bot:MicrosoftAppPassword</c>. The database keeps a verifier of
/// the password its keyed data is made with (<see cref="AppSecret.Verifiers"/>): the first instance with a password writes
/// it, one started after a rotation (its previous password the one written) replaces it, and one on another password says so
/// at start, in a warning naming no secret, and in <c>/api/admin/status</c>. Without this, an instance whose env file kept an
/// old password answers "wrong code" to the binds the load balancer sends it, and nothing says why.
/// </summary>
public sealed class PasswordAgreement(Database db, TimeProvider time, AppSecret secret, ILogger<PasswordAgreement> log)
{
    /// <summary>At start, after migrations: records the verifier (first instance, or a rotation) and warns on a mismatch.</summary>
    public async Task<PasswordStanding> CheckAtStartAsync(CancellationToken ct = default)
    {
        var mine = secret.Verifiers();
        if (mine.Count == 0) return PasswordStanding.NoPassword;
        var now = time.GetUtcNow();
        var standing = await db.WriteAsync(async s =>
        {
            if (await s.WritePasswordVerifierAsync(mine[0], now)) return PasswordStanding.Matches;
            var standing = StandingOf(await s.PasswordVerifierAsync(), mine);
            if (standing == PasswordStanding.Previous && await s.ReplacePasswordVerifierAsync(mine[1], mine[0], now))
            {
                log.LogInformation("The app password was rotated: the database's codes are now made with this instance's Bot:MicrosoftAppPassword; " +
                    "those made with Bot:PreviousAppPassword are still read while it is configured");
                return PasswordStanding.Matches;
            }
            return standing;
        }, ct);
        if (standing == PasswordStanding.Differs)
            log.LogWarning("This instance's Bot:MicrosoftAppPassword differs from the one the database's codes are keyed with: enrolment codes, kept replies " +
                "and Idempotency-Key answers of the other instances will not be read here (binds fail as a wrong code). Give every instance the same " +
                "password, or during a rotation the new one with Bot:PreviousAppPassword set to the old (README: Deploying the bot)");
        return standing;
    }

    /// <summary>How this instance stands now (one read, for the status): another instance may have rotated since this one started.</summary>
    public async Task<PasswordStanding> StandingAsync(CancellationToken ct = default)
    {
        var mine = secret.Verifiers();
        if (mine.Count == 0) return PasswordStanding.NoPassword;
        return StandingOf(await db.ReadAsync(s => s.PasswordVerifierAsync(), ct), mine);
    }

    private static PasswordStanding StandingOf(string? recorded, IReadOnlyList<string> mine) =>
        recorded is null ? PasswordStanding.Unrecorded
        : recorded == mine[0] ? PasswordStanding.Matches
        : mine.Count > 1 && recorded == mine[1] ? PasswordStanding.Previous
        : PasswordStanding.Differs;
}
