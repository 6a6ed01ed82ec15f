using System.Globalization;
using Scoring.Application;
using Scoring.Storage;

namespace Scoring.Service.Hosting;

/// <summary>Where the nightly backups go and how many are kept (README: <c>Backup:*</c>).</summary>
public sealed record BackupSettings(string Directory, int Keep)
{
    public const int DefaultKeep = 7;

    /// <summary>
    /// The settings, or null when nightly backups are off. On by default for a SQLite file, in a <c>backups</c> folder
    /// beside it; off on SQL Server (it has its own BACKUP DATABASE), and off in Development and Testing unless
    /// <c>Backup:Directory</c> is given: the test suites, the benchmarks and the end-to-end runs start the service on
    /// scratch databases, where a copy would cost time and disk for nothing.
    /// </summary>
    public static BackupSettings? Read(IConfiguration config, IHostEnvironment env, ScoringConfiguration scoring)
    {
        bool? enabled = config["Backup:Enabled"] is { Length: > 0 } e
            ? bool.TryParse(e, out var on) ? on : throw new ConfigurationProblem($"Backup:Enabled '{e}' must be true or false.")
            : null;
        var directory = config["Backup:Directory"] is { Length: > 0 } d ? d : null;
        var keep = DefaultKeep;
        if (config["Backup:Keep"] is { Length: > 0 } keepText && (!int.TryParse(keepText, NumberStyles.None, CultureInfo.InvariantCulture, out keep) || keep < 1 || keep > 1000))
            throw new ConfigurationProblem($"Backup:Keep '{keepText}' must be a whole number from 1 to 1000.");

        if (enabled == false) return null;
        if (scoring.Provider != StorageProvider.Sqlite)
            return enabled == true || directory is not null
                ? throw new ConfigurationProblem("Nightly backups (Backup:*) are for the embedded SQLite database; on SQL Server use its own BACKUP DATABASE (or your DBA's tooling).")
                : null;
        string source;
        try { source = Backups.SourceFile(scoring.ConnectionString); }
        catch (BackupProblem) when (enabled is null) { return null; } // in memory: nothing to copy
        catch (BackupProblem problem) { throw new ConfigurationProblem($"Backup:Enabled: {problem.Message}"); }
        if (enabled is null && directory is null && (env.IsDevelopment() || env.IsEnvironment("Testing"))) return null;
        return new BackupSettings(Path.GetFullPath(directory ?? Path.Combine(Path.GetDirectoryName(source)!, "backups")), keep);
    }
}

/// <summary>The nightly copies found in the folder: how many, and the newest one's file name, time (from its name) and size.</summary>
public sealed record NightlyCopies(int Count, string? Latest, DateTimeOffset? LatestAt, long? LatestBytes);

/// <summary>
/// A checked copy of the SQLite database every night (<see cref="Backups"/>), named by when it was taken
/// (<c>scoring-2026-11-24T1800Z.db</c>, UTC), keeping the <see cref="BackupSettings.Keep"/> most recent. A copy is due once
/// the quiet hour (02:00 in the first street's time zone, UTC without a street) has passed since the newest copy in the
/// folder: every night at 02:00 while the service runs, and at once on a start that missed it (a night the service was
/// down is made up, not skipped). Several instances on one database take turns through a lease, held for the length of
/// a copy; the folder is what they agree on, so give them the same one (the default, beside the database, is).
/// A failure is logged (no connection string, no row's contents) and tried again <see cref="RetryAfter"/> later; it
/// never stops the service, and older copies are removed only after a new one is in place.
/// </summary>
public sealed class NightlyBackups(Database db, TimeProvider time, BackupSettings settings, ILogger<NightlyBackups> log, IHostApplicationLifetime? lifetime = null)
    : LeasedWork(db, time, log, lifetime)
{
    /// <summary>The local time of day after which a night's copy is due.</summary>
    public static readonly TimeSpan QuietHour = TimeSpan.FromHours(2);
    /// <summary>How long the service runs before its first look: start-up (migrations, a rolling deploy) is not the time for a copy.</summary>
    public static readonly TimeSpan FirstLookAfter = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(15);
    // Longer than any copy of a street office's database: another instance must not start one while this one copies.
    private static readonly TimeSpan HoldWhileCopying = TimeSpan.FromHours(1);

    private const string Prefix = "scoring-", Suffix = ".db", Partial = ".partial", Stamp = "yyyy-MM-dd'T'HHmm'Z'";

    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    // A failed copy is tried again in a quarter of an hour, not the loop's minute, and its log line says so.
    protected override TimeSpan RetryIn => RetryAfter;

    protected override string LeaseName => "nightly-backups";

    protected override Task RoundAsync(CancellationToken ct) => RunOnceAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.LogInformation("Nightly backups of the database to {Directory}, the {Keep} most recent kept", settings.Directory, settings.Keep);
        try { await Task.Delay(FirstLookAfter, Time, stoppingToken); }
        catch (OperationCanceledException) { return; }
        await base.ExecuteAsync(stoppingToken);
    }

    /// <returns>The copy written; null when none was due, another instance holds the lease, or the copy failed (logged).</returns>
    public async Task<BackupCopy?> RunOnceAsync(CancellationToken ct = default)
    {
        var now = Time.GetUtcNow();
        if (now < _retryAt || !await TakeLeaseAsync(ct)) return null;
        BackupCopy copy;
        try
        {
            Step("look for the night's copy");
            var taken = TakenIn(settings.Directory);
            if (taken.Count > 0 && taken[^1].At >= await QuietHourBeforeAsync(now, ct)) return null;
            if (!await TakeLeaseAsync(HoldWhileCopying, ct)) return null;
            Step("copy");
            copy = await Backups.WriteAsync(Db, Path.Combine(settings.Directory, NameFor(now)), Time, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _retryAt = now + RetryAfter;
            RoundFailed(); // logged and retried, but not a round that did its work
            // A BackupProblem names files and SQLite's finding only; anything else could quote a row, so its types, code and stack.
            if (e is BackupProblem) Log.LogWarning("Nightly backup failed; trying again in {RetryAfter}: {Problem}", RetryAfter, e.Message);
            else Failures.Failed(e);
            return null;
        }
        Failures.Succeeded();
        var removed = RemoveOld(settings.Directory, settings.Keep, now);
        Log.LogInformation("Backed up the database to {Path}: {Bytes} bytes in {Seconds:0.0} s, {ScoreEvents} score events; {Removed} older backups removed",
            copy.Path, copy.Bytes, copy.Took.TotalSeconds, copy.ScoreEvents, removed);
        return copy;
    }

    /// <summary>The name of a copy taken at <paramref name="at"/>.</summary>
    public static string NameFor(DateTimeOffset at) => Prefix + at.UtcDateTime.ToString(Stamp, CultureInfo.InvariantCulture) + Suffix;

    /// <summary>The latest quiet hour (in <paramref name="zone"/>) at or before <paramref name="now"/>.</summary>
    public static DateTimeOffset QuietHourBefore(DateTimeOffset now, TimeZoneInfo zone)
    {
        // The first time the clocks show it: a night that repeats 02:00 (clocks going back) has one quiet hour, not one
        // in each pass, and a night that skips it has it when the clocks resume.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var quiet = Domain.Weeks.WallClock.First(today, TimeOnly.FromTimeSpan(QuietHour), zone);
        return quiet <= now ? quiet : Domain.Weeks.WallClock.First(today.AddDays(-1), TimeOnly.FromTimeSpan(QuietHour), zone);
    }

    private async Task<DateTimeOffset> QuietHourBeforeAsync(DateTimeOffset now, CancellationToken ct) =>
        QuietHourBefore(now, ZoneOf(await Db.ReadAsync(s => s.ListStreetsAsync(), ct)));

    /// <summary>The time zone whose quiet hour the copies keep: the first street's (by id), UTC without a street.</summary>
    public static TimeZoneInfo ZoneOf(IReadOnlyList<Domain.Street> streets) => streets.Count > 0 ? streets[0].Settings.TimeZone : TimeZoneInfo.Utc;

    /// <summary>How long after the quiet hour a night without its copy counts as overdue: time for a late first look and a few retries.</summary>
    public static readonly TimeSpan OverdueAfter = TimeSpan.FromHours(1);

    /// <summary>The nightly copies in <paramref name="directory"/> as the service's status shows them: how many, and the newest's name, time and size.</summary>
    public static NightlyCopies CopiesIn(string directory)
    {
        var taken = TakenIn(directory);
        if (taken.Count == 0) return new NightlyCopies(0, null, null, null);
        var (file, at) = taken[^1];
        return new NightlyCopies(taken.Count, Path.GetFileName(file), at, new FileInfo(file).Length);
    }

    /// <summary>
    /// Whether a night's copy is missing: none at all, or the newest from before the last quiet hour that passed more than
    /// <see cref="OverdueAfter"/> ago.
    /// </summary>
    public static bool Overdue(DateTimeOffset? newest, DateTimeOffset now, TimeZoneInfo zone) =>
        newest is not { } at || at < QuietHourBefore(now - OverdueAfter, zone);

    /// <summary>The nightly copies in <paramref name="directory"/>, oldest first: only files named as <see cref="NameFor"/> names them.</summary>
    private static List<(string File, DateTimeOffset At)> TakenIn(string directory, string suffix = Suffix)
    {
        if (!Directory.Exists(directory)) return [];
        var taken = new List<(string, DateTimeOffset)>();
        foreach (var file in Directory.EnumerateFiles(directory, Prefix + "*" + suffix))
            if (TakenAt(Path.GetFileName(file), suffix) is { } at)
                taken.Add((file, at));
        return taken.OrderBy(t => t.Item2).ToList();
    }

    /// <summary>When a nightly copy was taken, read from its file name as <see cref="NameFor"/> writes it; null for any other name.</summary>
    public static DateTimeOffset? TakenAt(string fileName, string suffix = Suffix) =>
        fileName.StartsWith(Prefix, StringComparison.Ordinal) && fileName.EndsWith(suffix, StringComparison.Ordinal) && fileName.Length >= Prefix.Length + suffix.Length
        && DateTimeOffset.TryParseExact(fileName[Prefix.Length..^suffix.Length], Stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at : null;

    /// <summary>
    /// Deletes the nightly copies beyond the <paramref name="keep"/> most recent, and what an interrupted copy left (a
    /// partial file older than any copy can take); never a file named otherwise. Returns how many copies went.
    /// </summary>
    private int RemoveOld(string directory, int keep, DateTimeOffset now)
    {
        var old = TakenIn(directory).SkipLast(keep).Select(t => t.File).ToList();
        var interrupted = TakenIn(directory, Suffix + Partial).Where(t => t.At < now - HoldWhileCopying).Select(t => t.File);
        var removed = 0;
        foreach (var file in old.Concat(interrupted))
        {
            try
            {
                File.Delete(file);
                if (file.EndsWith(Suffix, StringComparison.Ordinal)) removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.LogWarning("Could not remove the old backup {File}: {Problem}", file, e.Message);
            }
        }
        return removed;
    }
}
