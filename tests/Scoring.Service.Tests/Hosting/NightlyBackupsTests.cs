using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Scoring.Service.Hosting;
using Scoring.Storage;

namespace Scoring.Service.Tests.Hosting;

/// <summary>
/// One checked copy of the database a night, after 02:00 in the street's time zone, by one instance of several; the
/// newest few kept and nothing else in the folder touched; a failure logged and tried again later.
/// </summary>
public sealed class NightlyBackupsTests
{
    private static readonly DateTimeOffset Wednesday = ServiceWorld.Wednesday; // 09:00 in Houzhai (UTC+8)

    private static string Folder(ServiceWorld world) => Path.Combine(Path.GetDirectoryName(world.DatabasePath)!, "backups");

    private static NightlyBackups Work(Database db, FakeTimeProvider clock, string folder, int keep = BackupSettings.DefaultKeep, RecordingLog? log = null) =>
        new(db, clock, new BackupSettings(folder, keep), log ?? new RecordingLog());

    private static string[] Copies(string folder) => Files(folder).Where(f => f.EndsWith(".db", StringComparison.Ordinal)).ToArray();

    private static string[] Files(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray() : [];

    [Fact]
    public async Task Two_instances_on_one_database_take_one_backup_a_night()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await using var other = world.AnotherInstanceDatabase();
        var folder = Folder(world);
        var log = new RecordingLog();
        var one = Work(world.Db, world.Clock, folder, log: log);
        var two = Work(other, world.Clock, folder, log: log);

        var first = await Task.WhenAll(one.RunOnceAsync(), two.RunOnceAsync());
        world.Clock.Advance(TimeSpan.FromHours(3)); // past any lease: the other may look now, and finds tonight's copy
        var later = await Task.WhenAll(two.RunOnceAsync(), one.RunOnceAsync());

        Assert.Single(first, copy => copy is not null);
        Assert.All(later, Assert.Null);
        Assert.Equal([NightlyBackups.NameFor(Wednesday)], Files(folder));

        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 19, 2, 0, 0, TimeSpan.FromHours(8)));
        var nextNight = await Task.WhenAll(two.RunOnceAsync(), one.RunOnceAsync());

        Assert.Single(nextNight, copy => copy is not null);
        Assert.Equal(2, Files(folder).Length);
        // Without the lease both would start a copy of the same name at the same moment, and one would fail.
        Assert.DoesNotContain(log.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_night_s_copy_is_due_at_two_in_the_street_s_time_zone_once_the_newest_is_from_before()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var folder = Directory.CreateDirectory(Folder(world)).FullName;
        // Tonight's copy was taken at 02:30 in Houzhai.
        await File.WriteAllTextAsync(Path.Combine(folder, NightlyBackups.NameFor(new DateTimeOffset(2026, 11, 18, 2, 30, 0, TimeSpan.FromHours(8)))), "");
        var work = Work(world.Db, world.Clock, folder);

        Assert.Null(await work.RunOnceAsync()); // 09:00
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 19, 1, 59, 0, TimeSpan.FromHours(8)));
        Assert.Null(await work.RunOnceAsync()); // Thursday 01:59: still the same night's
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 19, 2, 0, 0, TimeSpan.FromHours(8)));
        var copy = await work.RunOnceAsync();

        Assert.NotNull(copy);
        Assert.Equal(Path.Combine(folder, "scoring-2026-11-18T1800Z.db"), copy.Path);
    }

    [Fact]
    public async Task The_night_the_clocks_go_back_and_repeat_02_00_gets_one_copy_not_one_in_each_pass()
    {
        // Berlin, Sunday 25 October 2026: 03:00 CEST goes back to 02:00 CET, so 02:00-03:00 happens twice (00:00Z-02:00Z).
        await using var world = await ServiceWorld.CreateAsync(new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero));
        var street = (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!;
        await world.Db.WriteAsync(s => s.UpdateSettingsAsync("houzhai", street.Settings with { TimeZoneId = "Europe/Berlin" }));
        var folder = Directory.CreateDirectory(Folder(world)).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, NightlyBackups.NameFor(new DateTimeOffset(2026, 10, 24, 2, 30, 0, TimeSpan.FromHours(2)))), "");
        var work = Work(world.Db, world.Clock, folder);

        world.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 25, 2, 10, 0, TimeSpan.FromHours(2)));  // 02:10 CEST, the first pass
        var first = await work.RunOnceAsync();
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 25, 2, 10, 0, TimeSpan.FromHours(1)));  // 02:10 CET, an hour later
        var second = await work.RunOnceAsync();

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(2, Copies(folder).Length);
    }

    [Fact]
    public async Task The_newest_backups_are_kept_and_no_other_file_in_the_folder_is_touched()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var folder = Directory.CreateDirectory(Folder(world)).FullName;
        var older = Enumerable.Range(1, 5).Select(days => NightlyBackups.NameFor(Wednesday.AddDays(-days))).ToArray();
        string[] others = ["notes.txt", "scoring-before-upgrade.db", "scoring.db", NightlyBackups.NameFor(Wednesday.AddDays(-9)) + ".bak"];
        foreach (var name in older.Concat(others)) await File.WriteAllTextAsync(Path.Combine(folder, name), name);
        // What a copy stopped half-way (the service killed) left a week ago; one left an hour or less ago may still be written.
        await File.WriteAllTextAsync(Path.Combine(folder, NightlyBackups.NameFor(Wednesday.AddDays(-7)) + ".partial"), "");

        var copy = await Work(world.Db, world.Clock, folder, keep: 3).RunOnceAsync();

        Assert.NotNull(copy);
        string[] kept = [NightlyBackups.NameFor(Wednesday), older[0], older[1]];
        Assert.Equal(kept.Concat(others).Order(StringComparer.Ordinal), Files(folder));
    }

    [Fact]
    public async Task A_failed_backup_is_logged_without_the_connection_string_and_tried_again_later()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var folder = Folder(world);
        await File.WriteAllTextAsync(folder, "a file where the folder would be");
        var log = new RecordingLog();
        var work = Work(world.Db, world.Clock, folder, log: log);

        Assert.Null(await work.RunOnceAsync());
        var warning = Assert.Single(log.Lines, l => l.Level == LogLevel.Warning).Text;
        Assert.Contains("Nightly backup failed", warning);
        Assert.Contains("Cannot write to", warning);
        Assert.DoesNotContain("Data Source", warning);

        File.Delete(folder);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await work.RunOnceAsync()); // not yet: a failure is not tried every minute
        world.Clock.Advance(NightlyBackups.RetryAfter);
        Assert.NotNull(await work.RunOnceAsync());
        Assert.Single(Files(folder));
    }

    [Fact]
    public async Task The_service_looks_for_a_due_backup_only_once_it_has_run_a_while()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var folder = Folder(world);
        var work = Work(world.Db, world.Clock, folder);

        await work.StartAsync(CancellationToken.None);
        try
        {
            // Minute by minute, as the service runs: the first look (and so the first copy, none being there) comes after FirstLookAfter.
            await Task.Delay(200);
            var ran = TimeSpan.Zero;
            while (Copies(folder).Length == 0 && ran < TimeSpan.FromMinutes(30))
            {
                world.Clock.Advance(TimeSpan.FromMinutes(1));
                ran += TimeSpan.FromMinutes(1);
                for (int i = 0; i < 10 && Copies(folder).Length == 0; i++) await Task.Delay(20);
            }

            Assert.InRange(ran, NightlyBackups.FirstLookAfter, NightlyBackups.FirstLookAfter + TimeSpan.FromMinutes(2));
            Assert.Equal([NightlyBackups.NameFor(Wednesday + ran)], Files(folder));
        }
        finally
        {
            await work.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Tests_and_development_runs_take_no_backups_unless_given_a_folder()
    {
        await using var world = await ServiceWorld.CreateAsync();
        Assert.DoesNotContain(world.Factory.Services.GetServices<IHostedService>(), s => s is NightlyBackups);

        var sqlite = new ScoringConfiguration(StorageProvider.Sqlite, "Data Source=/srv/scoring/data/scoring.db", false, "", 0, null);
        Assert.Null(Read("Testing", sqlite));
        Assert.Null(Read("Development", sqlite));
        Assert.Equal(new BackupSettings("/srv/backups", 7), Read("Development", sqlite, ("Backup:Directory", "/srv/backups")));
    }

    [Fact]
    public void A_street_office_s_service_backs_up_its_SQLite_file_by_default_and_SQL_Server_is_left_to_its_own_tools()
    {
        var sqlite = new ScoringConfiguration(StorageProvider.Sqlite, "Data Source=/srv/scoring/data/scoring.db", false, "", 0, null);
        var sqlServer = sqlite with { Provider = StorageProvider.SqlServer, ConnectionString = "Server=db;Database=Scoring;User Id=s;Password=Secret-42" };

        Assert.Equal(new BackupSettings("/srv/scoring/data/backups", 7), Read("Production", sqlite));
        Assert.Equal(new BackupSettings("/srv/scoring/data/backups", 30), Read("Production", sqlite, ("Backup:Keep", "30")));
        Assert.Null(Read("Production", sqlite, ("Backup:Enabled", "false")));
        Assert.Null(Read("Production", sqlServer));
        var refused = Assert.Throws<ConfigurationProblem>(() => Read("Production", sqlServer, ("Backup:Enabled", "true")));
        Assert.Contains("BACKUP DATABASE", refused.Message);
        Assert.DoesNotContain("Secret-42", refused.Message);
        Assert.Throws<ConfigurationProblem>(() => Read("Production", sqlServer, ("Backup:Directory", "/srv/backups")));
        Assert.Contains("Backup:Keep", Assert.Throws<ConfigurationProblem>(() => Read("Production", sqlite, ("Backup:Keep", "0"))).Message);
        Assert.Contains("Backup:Enabled", Assert.Throws<ConfigurationProblem>(() => Read("Production", sqlite, ("Backup:Enabled", "nightly"))).Message);
    }

    private static BackupSettings? Read(string environment, ScoringConfiguration scoring, params (string Key, string Value)[] settings) =>
        BackupSettings.Read(
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(),
            new HostingEnvironment { EnvironmentName = environment }, scoring);

    /// <summary>Every line written, as a log collector keeps it.</summary>
    private sealed class RecordingLog : ILogger<NightlyBackups>
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add((logLevel, $"{formatter(state, exception)} {exception}"));
        }
    }
}
