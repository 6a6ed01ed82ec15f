using Microsoft.Data.Sqlite;
using Scoring.Application;
using Scoring.Application.Demo;
using Scoring.Storage;

namespace Scoring.Service.Hosting;

public static class HostingExtensions
{
    /// <summary>Configuration, clock, database and use cases; <paramref name="prepareSqliteFile"/> as in <see cref="ScoringConfiguration.Read"/>.</summary>
    public static ScoringConfiguration AddScoring(this WebApplicationBuilder builder, bool prepareSqliteFile = true)
    {
        var config = ScoringConfiguration.Read(builder.Configuration, builder.Environment, prepareSqliteFile);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton<TimeProvider>(config.ClockStart is { } start ? new ShiftedClock(start, TimeProvider.System) : TimeProvider.System);
        builder.Services.AddScoringCore(config.Provider, config.ConnectionString);
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<ServiceInstance>();
        return config;
    }

    /// <summary>A checked copy of the SQLite database every night, unless <see cref="BackupSettings.Read"/> says they are off.</summary>
    public static void AddNightlyBackups(this WebApplicationBuilder builder, ScoringConfiguration config)
    {
        if (BackupSettings.Read(builder.Configuration, builder.Environment, config) is not { } settings) return;
        builder.Services.AddSingleton(settings);
        builder.Services.AddHostedService<NightlyBackups>();
    }

    /// <summary>
    /// Applies migrations and seeds the demo street; a database that cannot be opened, or a street whose time zone this
    /// machine does not know, stops start-up with one line. A database a newer release has migrated is said in a warning.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var config = app.Services.GetRequiredService<ScoringConfiguration>();
        var db = app.Services.GetRequiredService<Database>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        await MigrateAsync(app, config, db, time);
        var schema = await Opened(config, () => SchemaStanding.ReadAsync(db));
        if (schema.Unknown.Count > 0)
            // A rolling deploy passes through this (an old instance restarted mid-way); a rollback stays in it.
            app.Logger.LogWarning(
                "The database records migrations this build ({Build}) does not know: {Unknown}. A newer release migrated it: finish the rolling deploy, or, rolling back, read README (SQL Server, the migrations an older release must not run past) before running this build for long",
                SchemaStanding.BuildSchema(db.Provider), string.Join(", ", schema.Unknown));
        // Records the app password's verifier, or warns that this instance's differs from the other instances'.
        await Opened(config, async () => { await app.Services.GetRequiredService<PasswordAgreement>().CheckAtStartAsync(); return true; });
        if (db.Provider == StorageProvider.Sqlite)
        {
            if (!Database.PageCacheInstalled)
                app.Logger.LogWarning("SQLite was in use before Scoring's storage could set up its page cache: writes will be slower (see docs/benchmarks.md, SqlitePageCache)");
            // Throughput under load depends on it, and only the deployment can grant it: say which it is.
            if (await db.WriterPriorityRaised)
                app.Logger.LogInformation("The SQLite writer's thread runs ahead of request threads");
            else
                app.Logger.LogInformation("The SQLite writer's thread runs at normal priority; with CAP_SYS_NICE (or RLIMIT_NICE) it would run ahead of request threads, see README");
        }
        if (config.DemoEnabled)
        {
            var seeded = await app.Services.GetRequiredService<DemoStreet>().SeedIfEmptyAsync(config.DemoCredentialsPath, config.DemoScale, scaleEvents: config.DemoScaleEvents);
            if (seeded)
                app.Logger.LogInformation("Demo street '{Street}' seeded; its people's tokens and enrolment codes are in {Path}", DemoStreet.StreetId, Path.GetFullPath(config.DemoCredentialsPath));
            else
                app.Logger.LogInformation("Demo enabled; the database already has a street (credentials stay in {Path})", Path.GetFullPath(config.DemoCredentialsPath));
        }
        await CheckTimeZonesAsync(config, db);
    }

    /// <summary>
    /// The verbs' start on the live database: one this build's schema runs on is used as it is; a new, empty one gets its
    /// tables (nothing runs on it yet); one an older release left is migrated only when the operator asked
    /// (<paramref name="migrate"/>, said on <paramref name="error"/>), since instances of that release may still run on it;
    /// one a newer release migrated is refused, as this build's verbs would write by older assumptions.
    /// </summary>
    /// <param name="dryRun">The verb must change nothing: an older database is refused even with <paramref name="migrate"/>.</param>
    public static async Task PrepareDatabaseForVerbAsync(this WebApplication app, bool migrate, bool dryRun, TextWriter error)
    {
        var config = app.Services.GetRequiredService<ScoringConfiguration>();
        var db = app.Services.GetRequiredService<Database>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        var schema = await Opened(config, () => SchemaStanding.ReadAsync(db));
        var build = SchemaStanding.BuildSchema(db.Provider);
        if (schema.Age == SchemaAge.Newer)
            throw new ConfigurationProblem($"the database records migrations this build ({build}) does not know ({string.Join(", ", schema.Unknown)}): a newer release migrated it; run this with that release.");
        if (schema.Age == SchemaAge.Current) return;
        if (schema.IsScoring && (dryRun || !migrate))
            throw new ConfigurationProblem($"the database is at {schema.Newest}, older than this build ({build}): upgrade the service first (it migrates the database at start)" +
                (dryRun ? "; a dry run never migrates it." : ", or add --migrate to migrate it from here (instances of the older release still running on it would then run on the new schema)."));
        var applied = await MigrateAsync(app, config, db, time);
        if (schema.IsScoring)
            await error.WriteLineAsync($"Migrated the database from {schema.Newest} to {build} ({string.Join(", ", applied)}).");
    }

    /// <summary>This build's migrations, and the repair of what an instance of the previous release left; the names applied.</summary>
    private static async Task<IReadOnlyList<string>> MigrateAsync(WebApplication app, ScoringConfiguration config, Database db, TimeProvider time) =>
        await Opened(config, async () =>
        {
            var applied = await Migrator.MigrateAsync(db, time, waiting: waiting => app.Logger.LogWarning("{Waiting}", waiting));
            if (await db.WriteAsync(s => s.ReconcileRosterSpansAsync(time.GetUtcNow())) is > 0 and var repaired)
                app.Logger.LogInformation("Gave {Count} roster changes made by an instance of the previous release their spans off the roster", repaired);
            return applied;
        });

    /// <summary>A database that cannot be opened or read is a configuration that cannot work: one line.</summary>
    private static async Task<T> Opened<T>(ScoringConfiguration config, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (e is SqliteException or Microsoft.Data.SqlClient.SqlException or InvalidOperationException)
        {
            throw new ConfigurationProblem($"Cannot prepare the {config.Provider} database: {e.Message}");
        }
    }

    /// <summary>
    /// Every street's time zone, found now: a host without the IANA zone data (a container image without tzdata) would
    /// otherwise start and then fail every street's request and background round.
    /// </summary>
    private static async Task CheckTimeZonesAsync(ScoringConfiguration config, Database db)
    {
        var streets = await Opened(config, () => db.ReadAsync(s => s.ListStreetsAsync()));
        var unknown = streets.Where(st => !TimeZoneInfo.TryFindSystemTimeZoneById(st.Settings.TimeZoneId, out _))
            .Select(st => $"street {st.Id}'s time zone '{st.Settings.TimeZoneId}'").ToList();
        if (unknown.Count > 0)
            throw new ConfigurationProblem($"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is" : "are")} not known on this machine: install the IANA time zone data (the tzdata package, or an image that has it).");
    }
}
