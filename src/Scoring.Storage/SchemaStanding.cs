namespace Scoring.Storage;

/// <summary>How a copy's schema stands to this build's: the same, older (migrated at start), or newer (not usable here).</summary>
public enum SchemaAge { Current, Older, Newer }

/// <summary>
/// A database's recorded migrations against this build's, the one comparison every reader of schema_version makes
/// (check-backup and restore on a copy, the service at start, the verbs before they touch the live database):
/// <see cref="Newest"/> the newest it records (null when it records none of Scoring's, a new database),
/// <see cref="Unknown"/> those this build does not carry (a newer release's), <see cref="NotApplied"/> this build's it lacks.
/// </summary>
public sealed record SchemaStanding(string? Newest, SchemaAge Age, IReadOnlyList<string> Unknown, IReadOnlyList<string> NotApplied)
{
    private static readonly DialectSql VersionTableExists = new(
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'",
        "SELECT CASE WHEN OBJECT_ID(N'schema_version') IS NULL THEN 0 ELSE 1 END");
    private static readonly DialectSql SelectVersions = DialectSql.Both("SELECT version FROM schema_version");

    /// <summary>This build's newest migration for <paramref name="provider"/>.</summary>
    public static string BuildSchema(StorageProvider provider) => Migrator.Scripts(provider)[^1].Name;

    /// <summary>Whether the database records any of Scoring's migrations (its first): false for a new, empty one.</summary>
    public bool IsScoring => Newest is not null;

    /// <summary>Compares the migrations a database records with this build's for <paramref name="provider"/>.</summary>
    public static SchemaStanding Of(IEnumerable<string> applied, StorageProvider provider)
    {
        var recorded = applied.ToHashSet(StringComparer.Ordinal);
        var build = Migrator.Scripts(provider).Select(m => m.Name).ToList();
        var unknown = recorded.Where(v => !build.Contains(v)).Order(StringComparer.Ordinal).ToList();
        var notApplied = build.Where(v => !recorded.Contains(v)).ToList();
        string? newest = recorded.Contains(build[0]) ? recorded.Max(StringComparer.Ordinal) : null;
        var age = unknown.Count > 0 ? SchemaAge.Newer : notApplied.Count == 0 ? SchemaAge.Current : SchemaAge.Older;
        return new SchemaStanding(newest, age, unknown, notApplied);
    }

    /// <summary>Reads <paramref name="db"/>'s schema_version (none yet: a new database) and compares it with this build's.</summary>
    public static async Task<SchemaStanding> ReadAsync(Database db, CancellationToken ct = default)
    {
        var applied = await db.ReadAsync(async s =>
            await s.ScalarAsync<long>(VersionTableExists) > 0 ? (await s.QueryAsync<string>(SelectVersions)).ToList() : [], ct);
        return Of(applied, db.Provider);
    }
}
