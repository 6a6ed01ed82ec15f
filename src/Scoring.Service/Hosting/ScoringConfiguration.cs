using Microsoft.Data.Sqlite;
using Scoring.Storage;

namespace Scoring.Service.Hosting;

/// <summary>A configuration that cannot work: start-up stops with this one line.</summary>
public sealed class ConfigurationProblem(string message) : Exception(message)
{
    /// <summary>The exit code of a configuration that cannot work, for the service and every verb.</summary>
    public const int Exit = 2;

    /// <summary>Whether <paramref name="e"/> says the configuration cannot work (ours, or an options check's).</summary>
    public static bool Is(Exception e) => e is ConfigurationProblem or Microsoft.Extensions.Options.OptionsValidationException;

    /// <summary>One clear line, not a stack trace: this is what an operator reads first. Returns <see cref="Exit"/>.</summary>
    public static async Task<int> ReportAsync(Exception e, TextWriter error)
    {
        await error.WriteLineAsync($"Scoring cannot start: {e.Message}");
        return Exit;
    }
}

/// <summary>The contract's configuration keys, read and checked once at start.</summary>
public sealed record ScoringConfiguration(StorageProvider Provider, string ConnectionString, bool DemoEnabled, string DemoCredentialsPath, int DemoScale, DateTimeOffset? ClockStart, int DemoScaleEvents = 0)
{
    public const string DefaultDatabase = "data/scoring.db";

    /// <param name="prepareSqliteFile">
    /// False to take the SQLite file as found: neither its folder nor the file is created (a backup must not leave an empty
    /// database where the configured one was missing).
    /// </param>
    public static ScoringConfiguration Read(IConfiguration config, IHostEnvironment env, bool prepareSqliteFile = true)
    {
        var providerText = config["Storage:Provider"] ?? "Sqlite";
        if (!Enum.TryParse<StorageProvider>(providerText, ignoreCase: true, out var provider))
            throw new ConfigurationProblem($"Storage:Provider '{providerText}' is unknown; use Sqlite or SqlServer.");

        var connection = config.GetConnectionString("Scoring");
        if (string.IsNullOrWhiteSpace(connection))
        {
            if (provider == StorageProvider.SqlServer)
                throw new ConfigurationProblem("Storage:Provider is SqlServer but ConnectionStrings:Scoring is empty.");
            connection = $"Data Source={DefaultDatabase}";
        }
        if (provider == StorageProvider.Sqlite) connection = PrepareSqliteFile(connection, prepareSqliteFile);

        bool devOrTest = env.IsDevelopment() || env.IsEnvironment("Testing");
        DateTimeOffset? clock = null;
        if (config["Clock:Now"] is { Length: > 0 } nowText)
        {
            if (!devOrTest) throw new ConfigurationProblem($"Clock:Now is only allowed in Development or Testing, not in {env.EnvironmentName}.");
            if (!DateTimeOffset.TryParse(nowText, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var start))
                throw new ConfigurationProblem($"Clock:Now '{nowText}' is not a date and time like 2026-11-18T09:00:00+08:00.");
            clock = start;
        }

        var demo = config["Demo:Enabled"] is { Length: > 0 } d ? ParseBool(d, "Demo:Enabled") : env.IsDevelopment();
        int scale = 0;
        if (config["Demo:Scale"] is { Length: > 0 } scaleText && (!int.TryParse(scaleText, out scale) || scale < 0 || scale > 1_000_000))
            throw new ConfigurationProblem($"Demo:Scale '{scaleText}' must be a whole number from 0 to 1000000.");
        int scaleEvents = 0;
        if (config["Demo:ScaleEvents"] is { Length: > 0 } eventsText && (!int.TryParse(eventsText, out scaleEvents) || scaleEvents < 0 || scaleEvents > 50_000_000))
            throw new ConfigurationProblem($"Demo:ScaleEvents '{eventsText}' must be a whole number from 0 to 50000000.");
        return new ScoringConfiguration(provider, connection, demo, config["Demo:CredentialsPath"] is { Length: > 0 } p ? p : "data/demo-credentials.json", scale, clock, scaleEvents);
    }

    private static bool ParseBool(string text, string key) =>
        bool.TryParse(text, out var b) ? b : throw new ConfigurationProblem($"{key} '{text}' must be true or false.");

    /// <summary>
    /// Creates the folder of a SQLite file and checks it can be written, so a bad path fails here with its name; with
    /// <paramref name="create"/> false, only checks that the connection string can be read.
    /// </summary>
    private static string PrepareSqliteFile(string connection, bool create)
    {
        SqliteConnectionStringBuilder builder;
        try { builder = new SqliteConnectionStringBuilder(connection); }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        { throw new ConfigurationProblem($"ConnectionStrings:Scoring is not a valid SQLite connection string: {e.Message}"); }
        var file = builder.DataSource;
        if (!create || string.IsNullOrEmpty(file) || file == ":memory:" || builder.Mode == SqliteOpenMode.Memory) return connection;
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            using (File.Open(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigurationProblem($"Cannot open the database file '{file}': {e.Message}");
        }
        return connection;
    }
}

/// <summary>Development/Testing clock that starts at Clock:Now and runs on in real time.</summary>
public sealed class ShiftedClock(DateTimeOffset start, TimeProvider real) : TimeProvider
{
    private readonly TimeSpan _shift = start - real.GetUtcNow();
    public override DateTimeOffset GetUtcNow() => real.GetUtcNow() + _shift;
    public override TimeZoneInfo LocalTimeZone => real.LocalTimeZone;
    public override long GetTimestamp() => real.GetTimestamp();
    public override long TimestampFrequency => real.TimestampFrequency;
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => real.CreateTimer(callback, state, dueTime, period);
}
