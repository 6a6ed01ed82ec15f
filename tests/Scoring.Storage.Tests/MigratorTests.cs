namespace Scoring.Storage.Tests;

public class MigratorTests
{
    private static readonly DialectSql AppliedVersions = DialectSql.Both("SELECT version FROM schema_version ORDER BY version");
    private static readonly DialectSql Tables = DialectSql.Both("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");

    private static IReadOnlyList<string> ScriptNames(StorageProvider provider) => Migrator.Scripts(provider).Select(s => s.Name).ToList();

    [Fact]
    public async Task A_fresh_database_gets_every_migration_once_in_ordinal_order()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);

        var applied = await Migrator.MigrateAsync(world.Db, world.Clock);

        Assert.Equal(ScriptNames(StorageProvider.Sqlite), applied);
        Assert.Equal(applied.Order(StringComparer.Ordinal), applied);
        Assert.Equal(applied, await world.Db.ReadAsync(async s => (await s.QueryAsync<string>(AppliedVersions)).ToList()));
        Assert.Contains("score_events", await world.Db.ReadAsync(async s => (await s.QueryAsync<string>(Tables)).ToList()));
    }

    [Fact]
    public async Task Running_the_migrations_again_applies_nothing_and_keeps_the_data()
    {
        await using var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");

        var second = await Migrator.MigrateAsync(world.Db, world.Clock);
        var third = await Migrator.MigrateAsync(world.NewDatabase(), world.Clock);

        Assert.Empty(second);
        Assert.Empty(third);
        Assert.NotNull(await world.Db.ReadAsync(s => s.GetSubjectAsync("landlord-1")));
        Assert.Equal(ScriptNames(StorageProvider.Sqlite), await world.Db.ReadAsync(async s => (await s.QueryAsync<string>(AppliedVersions)).ToList()));
    }

    [Fact]
    public async Task Two_instances_migrating_one_file_at_the_same_moment_apply_each_migration_exactly_once()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        var (a, b) = (world.NewDatabase(), world.NewDatabase());

        var results = await Task.WhenAll(Migrator.MigrateAsync(a, world.Clock), Migrator.MigrateAsync(b, world.Clock));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(ScriptNames(StorageProvider.Sqlite), all.Order(StringComparer.Ordinal));
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(ScriptNames(StorageProvider.Sqlite), await world.Db.ReadAsync(async s => (await s.QueryAsync<string>(AppliedVersions)).ToList()));
    }

    [Fact]
    public void Every_migration_exists_in_both_dialects()
    {
        Assert.NotEmpty(ScriptNames(StorageProvider.Sqlite));
        Assert.Equal(ScriptNames(StorageProvider.Sqlite), ScriptNames(StorageProvider.SqlServer));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("SqlServer")]
    public void Every_migration_file_on_disk_is_embedded(string dialect)
    {
        var folder = Path.Combine(StorageWorld.RepositoryRoot, "src", "Scoring.Storage", "Migrations", dialect);
        var onDisk = Directory.GetFiles(folder, "*.sql").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(onDisk, ScriptNames(Enum.Parse<StorageProvider>(dialect)));
    }

    [Fact]
    public void Migration_names_start_with_a_four_digit_number_so_ordinal_order_is_numeric_order() =>
        Assert.All(ScriptNames(StorageProvider.Sqlite).Concat(ScriptNames(StorageProvider.SqlServer)),
            name => Assert.Matches(@"^[0-9]{4}_[a-z0-9_]+$", name));
}
