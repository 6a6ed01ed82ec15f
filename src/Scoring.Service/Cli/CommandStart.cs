using Microsoft.Extensions.Options;
using Scoring.Service.Hosting;

namespace Scoring.Service.Cli;

/// <summary>
/// The start-up every server-side verb shares: configuration as for the service (appsettings, environment,
/// <c>--Key=value</c>), the database's schema checked against this build's (<see cref="HostingExtensions.PrepareDatabaseForVerbAsync"/>:
/// an older one is migrated only with <c>--migrate</c>, a newer one refused), no web host run. A verb is often run from
/// the next release's folder while the current release's instances serve on the same database: it must not upgrade
/// their schema under them unasked. A configuration that cannot work ends the verb with the service's one line and exit code 2,
/// not a stack trace: a verb is run by the same operator who reads that line when the service will not start.
/// A verb that must see the database as it is (a backup, taken before an upgrade) starts without preparing it: nothing
/// is created or migrated, and the verb opens the database only once it has checked the file is there.
/// </summary>
internal static class CommandStart
{
    /// <summary>The setting that lets a verb migrate a database an older release left.</summary>
    public const string Migrate = "--migrate";

    /// <summary>
    /// Starts the services with <paramref name="settings"/> and runs <paramref name="verb"/> on them; with
    /// <paramref name="prepareDatabase"/> false the database is left as found (not created, not migrated). With
    /// <paramref name="dryRun"/> the verb changes nothing, so an older database is refused even with <see cref="Migrate"/>.
    /// </summary>
    public static async Task<int> RunAsync(IEnumerable<string> settings, TextWriter error, Func<IServiceProvider, Task<int>> verb, bool prepareDatabase = true, bool dryRun = false)
    {
        var given = settings.ToList();
        var migrate = given.Remove(Migrate);
        WebApplication app;
        try
        {
            app = await StartAsync([.. given], prepareDatabase, migrate, dryRun, error);
        }
        catch (Exception problem) when (ConfigurationProblem.Is(problem))
        {
            return await ConfigurationProblem.ReportAsync(problem, error);
        }
        await using (app) return await verb(app.Services);
    }

    private static async Task<WebApplication> StartAsync(string[] settings, bool prepareDatabase, bool migrate, bool dryRun, TextWriter error)
    {
        var builder = WebApplication.CreateBuilder(settings);
        // Warnings only, and on standard error: a verb's output is what it prints (staff token's is the token alone). A minimum
        // level alone was overruled by appsettings.json's "Default": "Information"; a rule added after the configuration's wins.
        builder.Logging.AddFilter((string?)null, LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        var config = builder.AddScoring(prepareSqliteFile: prepareDatabase);
        // A verb works on the database it is pointed at; seeding the demo street there is the service's business.
        builder.Services.AddSingleton(config with { DemoEnabled = false });
        var app = builder.Build();
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            if (prepareDatabase) await app.PrepareDatabaseForVerbAsync(migrate, dryRun, error);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
