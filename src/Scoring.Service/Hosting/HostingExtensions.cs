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

    /// <summary>Applies migrations and seeds the demo street; a database that cannot be opened stops start-up with one line.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var config = app.Services.GetRequiredService<ScoringConfiguration>();
        var db = app.Services.GetRequiredService<Database>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        try
        {
            await Migrator.MigrateAsync(db, time, waiting: waiting => app.Logger.LogWarning("{Waiting}", waiting));
            if (await db.WriteAsync(s => s.ReconcileRosterSpansAsync(time.GetUtcNow())) is > 0 and var repaired)
                app.Logger.LogInformation("Gave {Count} roster changes made by an instance of the previous release their spans off the roster", repaired);
        }
        catch (Exception e) when (e is SqliteException or Microsoft.Data.SqlClient.SqlException or InvalidOperationException)
        {
            throw new ConfigurationProblem($"Cannot prepare the {config.Provider} database: {e.Message}");
        }
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
    }
}
