using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Service.Hosting;
using Scoring.Storage;
using Scoring.Storage.Outbox;

namespace Scoring.Service.Features;

/// <summary>
/// GET /api/admin/status: whether the background work is healthy, at a glance and without the logs — the chat outbox,
/// each leased worker, the last nightly backup, what waits for verification per street, the last round of erasure of people
/// long off the roster, the schema, this instance and whether its app password is the one the database's codes are keyed with.
/// A few small reads (one per part, each on an index or a folder listing); a part that fails to read says so in its own
/// <c>problem</c> and the rest still answers, so the route never fails for one of them. Counts, times, file and worker
/// names only: no message text, conversation id, name or phone.
/// </summary>
public static class AdminStatus
{
    public static IEndpointRouteBuilder MapAdminStatus(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Admin");
        staff.MapGet("/admin/status", StatusAsync).WithName("ServiceStatus")
            .WithSummary("The service's health at a glance (admins; a street officer gets their street's verification part only): " +
                "the chat outbox (waiting, the oldest waiting message's age, dead letters), each leased worker (lease owner and until when, " +
                "when a round last completed, stale), the newest nightly backup (file, time, overdue), pending verification items per street " +
                "(count, oldest age, escalated), the last round of erasure of people long off the roster (erased, failed and of which types, still due, " +
                "when one last succeeded), the database provider and schema version, this instance's version and start, and whether its app password is the one the database's codes are keyed with. " +
                "A part that cannot be read carries a problem instead of failing the answer. Nothing personal is in it.");
        return app;
    }

    /// <param name="Scope"><c>service</c> for an admin; <c>street</c> for an officer, whose answer has the instance and their street's verification part only.</param>
    /// <param name="At">This instance's clock when it answered: the ages are counted to it.</param>
    public sealed record StatusReport(string Scope, DateTimeOffset At, InstancePart Instance, DatabasePart? Database, OutboxPart? Outbox,
        WorkersPart? Workers, BackupPart? Backup, VerificationPart Verification, ErasurePart? Erasure, PasswordPart? AppPassword);

    /// <summary>Whether this instance's <c>Bot:MicrosoftAppPassword</c> is the one the database's codes are keyed with (README: Deploying the bot).</summary>
    /// <param name="SecretMatches">False when it differs: binds of codes the other instances issued fail here; null without a password, or before one is recorded.</param>
    /// <param name="Standing">noPassword, unrecorded, matches, previous (a rotation this instance has not recorded), differs.</param>
    public sealed record PasswordPart(bool? SecretMatches, string? Standing, string? Problem);

    /// <param name="Name">machine:process id; the owners of the leases this instance holds begin with it.</param>
    public sealed record InstancePart(string Name, string Version, DateTimeOffset StartedAt, long UptimeSeconds);

    /// <param name="SchemaVersion">The newest migration applied to the database.</param>
    /// <param name="ThisRelease">The newest migration this instance's build carries; UpToDate when the two agree (a rolling deploy shows them apart).</param>
    public sealed record DatabasePart(string Provider, string? SchemaVersion, DateTimeOffset? MigratedAt, string ThisRelease, bool? UpToDate, string? Problem);

    public sealed record OutboxPart(int? Waiting, DateTimeOffset? OldestWaitingSince, long? OldestWaitingAgeSeconds, int? DeadLetters, string? Problem);

    public sealed record WorkersPart(IReadOnlyList<WorkerView> Items, string? Problem);

    /// <param name="Held">The lease is still in force: some instance runs this work.</param>
    /// <param name="Stale">No instance holds the lease, or no round has completed for <see cref="StaleAfter"/>: the work is not being done.</param>
    public sealed record WorkerView(string Name, string Owner, bool ThisInstance, DateTimeOffset LeaseUntil, bool Held,
        DateTimeOffset? LastCompletedAt, long? LastCompletedAgeSeconds, bool Stale);

    /// <param name="Enabled">Nightly copies are on for this instance (README: Backup:*); off on SQL Server, which has its own backups.</param>
    /// <param name="Overdue">No copy since the last quiet hour (02:00 in the first street's time zone) that passed over an hour ago.</param>
    public sealed record BackupPart(bool Enabled, string? Directory, int? Copies, string? Latest, DateTimeOffset? LatestAt, long? LatestBytes, bool? Overdue, string? Problem);

    public sealed record VerificationPart(IReadOnlyList<StreetPendingView> Streets, string? Problem);

    /// <summary>The last hourly round of erasure of people long off the roster (README: Personal data kept); all null before the first.</summary>
    /// <param name="StillDue">People past their keeping still not erased when the round ended: a backlog the next rounds drain, or people whose erasure fails.</param>
    /// <param name="LastRoundFailures">The exception types of the round's failures with their counts (SqliteException ×3).</param>
    /// <param name="LastSucceededAt">When a round last went without a failure.</param>
    /// <param name="Failing">The last round could not erase someone due.</param>
    public sealed record ErasurePart(DateTimeOffset? LastRoundAt, int? LastRoundErased, int? LastRoundFailed, string? LastRoundFailures, int? StillDue,
        DateTimeOffset? LastSucceededAt, bool? Failing, string? Problem);

    public sealed record StreetPendingView(string Street, string Name, int Pending, DateTimeOffset? OldestReportedAt, long? OldestAgeMinutes, int Escalated);

    /// <summary>Rounds run every <see cref="LeasedWork.Period"/>; five without a completed one is no longer a slow round.</summary>
    public static readonly TimeSpan StaleAfter = LeasedWork.Period * 5;

    private static async Task<Results<Ok<StatusReport>, ProblemHttpResult>> StatusAsync(HttpContext http, Database db, OutboxStore outbox, ServiceInstance instance,
        TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        // Admins see the whole service. A street's officers run their street and may see its part: how many of its reports
        // wait and how old they are (counts, which their pending queue shows in full anyway). The outbox, the workers, the
        // backups and the database are shared by every street and say nothing an officer can act on, so they are left out.
        // Secretaries and grid workers have their queues and nothing to run here.
        var staff = http.Staff();
        if (staff.Role is not (StaffRole.Admin or StaffRole.Officer))
            return Problems.Of(StatusCodes.Status403Forbidden, "forbidden", "Only admins, and street officers for their street, see the service's status.",
                "只有管理员（以及街道工作人员查看本街道）可以查看服务状态。");
        var street = staff.Role == StaffRole.Admin ? null : staff.StreetId;
        var log = loggers.CreateLogger(typeof(AdminStatus).FullName!);
        var now = time.GetUtcNow().ToUniversalTime(); // as the database's times are written, whatever offset a clock carries

        var instancePart = new InstancePart(instance.Name, instance.Version, instance.StartedAt.ToUniversalTime(), Seconds(now - instance.StartedAt));
        var (streets, streetsProblem) = await ReadAsync("streets", () => db.ReadAsync(s => s.ListStreetsAsync(), ct), log, ct);
        var verification = await VerificationAsync(db, streets, streetsProblem, street, now, log, ct);
        if (street is not null)
            return TypedResults.Ok(new StatusReport("street", now, instancePart, null, null, null, null, verification, null, null));

        return TypedResults.Ok(new StatusReport("service", now, instancePart,
            await DatabaseAsync(db, log, ct),
            await OutboxAsync(outbox, now, log, ct),
            await WorkersAsync(db, now, log, ct),
            Backup(http.RequestServices.GetService<BackupSettings>(), streets, now, log),
            verification,
            await ErasureAsync(db, log, ct),
            await PasswordAsync(http.RequestServices.GetRequiredService<PasswordAgreement>(), log, ct)));
    }

    private static async Task<DatabasePart> DatabaseAsync(Database db, ILogger log, CancellationToken ct)
    {
        var thisRelease = Migrator.Scripts(db.Provider)[^1].Name;
        var (applied, problem) = await ReadAsync("database", () => Migrator.LatestAppliedAsync(db, ct), log, ct);
        return new DatabasePart(db.Provider.ToString(), applied?.Version, applied?.AppliedAt, thisRelease,
            problem is null ? applied?.Version == thisRelease : null, problem);
    }

    private static async Task<OutboxPart> OutboxAsync(OutboxStore outbox, DateTimeOffset now, ILogger log, CancellationToken ct)
    {
        var (figures, problem) = await ReadAsync("outbox", () => outbox.FiguresAsync(ct), log, ct);
        return figures is null
            ? new OutboxPart(null, null, null, null, problem)
            : new OutboxPart(figures.Waiting, figures.OldestWaitingSince, figures.OldestWaitingSince is { } since ? Seconds(now - since) : null, figures.DeadLetters, null);
    }

    private static async Task<WorkersPart> WorkersAsync(Database db, DateTimeOffset now, ILogger log, CancellationToken ct)
    {
        var (leases, problem) = await ReadAsync("workers", () => db.ReadAsync(s => s.ListLeasesAsync(), ct), log, ct);
        var items = (leases ?? []).Select(l =>
        {
            var held = l.LeaseUntil > now;
            return new WorkerView(l.Name, l.Owner, l.Owner.StartsWith(LeasedWork.InstancePrefix, StringComparison.Ordinal), l.LeaseUntil, held,
                l.LastCompletedAt, l.LastCompletedAt is { } done ? Seconds(now - done) : null,
                Stale: !held || l.LastCompletedAt is not { } last || now - last > StaleAfter);
        }).ToList();
        return new WorkersPart(items, problem);
    }

    private static async Task<PasswordPart> PasswordAsync(PasswordAgreement agreement, ILogger log, CancellationToken ct)
    {
        var (standing, problem) = await ReadAsync("app password", async () => (PasswordStanding?)await agreement.StandingAsync(ct), log, ct);
        bool? matches = standing switch
        {
            PasswordStanding.Matches or PasswordStanding.Previous => true,
            PasswordStanding.Differs => false,
            _ => null,
        };
        return new PasswordPart(matches, standing is { } s ? System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(s.ToString()) : null, problem);
    }

    private static async Task<ErasurePart> ErasureAsync(Database db, ILogger log, CancellationToken ct)
    {
        var (round, problem) = await ReadAsync("erasure", () => db.ReadAsync(s => s.LastErasureRoundAsync(), ct), log, ct);
        return round is null
            ? new ErasurePart(null, null, null, null, null, null, null, problem)
            : new ErasurePart(round.RanAt, round.Erased, round.Failed, round.Failures, round.StillDue, round.SucceededAt, round.Failed > 0, null);
    }

    private static BackupPart Backup(BackupSettings? settings, IReadOnlyList<Street>? streets, DateTimeOffset now, ILogger log)
    {
        if (settings is null) return new BackupPart(false, null, null, null, null, null, null, null);
        try
        {
            var copies = NightlyBackups.CopiesIn(settings.Directory);
            // Without the streets (their read failed) the quiet hour's zone is unknown: no verdict rather than a wrong one.
            bool? overdue = streets is null ? null : NightlyBackups.Overdue(copies.LatestAt, now, NightlyBackups.ZoneOf(streets));
            return new BackupPart(true, settings.Directory, copies.Count, copies.Latest, copies.LatestAt, copies.LatestBytes, overdue, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("The status could not read the backups' folder ({ExceptionType})", e.GetType().FullName);
            return new BackupPart(true, settings.Directory, null, null, null, null, null, Unreadable(e));
        }
    }

    private static async Task<VerificationPart> VerificationAsync(Database db, IReadOnlyList<Street>? streets, string? streetsProblem, string? only,
        DateTimeOffset now, ILogger log, CancellationToken ct)
    {
        if (streets is null) return new VerificationPart([], streetsProblem);
        var (figures, problem) = await ReadAsync("verification", () => db.ReadAsync(s => s.PendingByStreetAsync(), ct), log, ct);
        if (figures is null) return new VerificationPart([], problem);
        var byStreet = figures.ToDictionary(f => f.StreetId, StringComparer.Ordinal);
        var views = streets.Where(s => only is null || s.Id == only).OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => byStreet.TryGetValue(s.Id, out var f)
                ? new StreetPendingView(s.Id, s.Name, (int)f.Pending, f.OldestReportedAt, Seconds(now - f.OldestReportedAt) / 60, (int)f.Escalated)
                : new StreetPendingView(s.Id, s.Name, 0, null, null, 0))
            .ToList();
        return new VerificationPart(views, null);
    }

    /// <summary>One part's read: its value, or why not. The exception's type only, in the answer and the log: a message could quote a row.</summary>
    private static async Task<(T? Value, string? Problem)> ReadAsync<T>(string part, Func<Task<T>> read, ILogger log, CancellationToken ct)
    {
        try
        {
            return (await read(), null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning("The status's {Part} part could not be read ({ExceptionType})", part, e.GetType().FullName);
            return (default, Unreadable(e));
        }
    }

    private static string Unreadable(Exception e) => $"could not be read ({e.GetType().Name})";

    /// <summary>Whole seconds, never negative: another instance's clock may run a little ahead of this one's.</summary>
    private static long Seconds(TimeSpan span) => Math.Max(0, (long)span.TotalSeconds);
}
