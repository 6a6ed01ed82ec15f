using System.Text.Json;
using System.Text.Json.Serialization;
using Scoring.Domain;
using Scoring.Domain.Rules;

namespace Scoring.Storage;

/// <summary>Streets, communities, grids and the versioned rule sets.</summary>
public static class StreetStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly DialectSql SelectStreet = DialectSql.Both("SELECT id, name, settings_json AS SettingsJson FROM streets WHERE id = @id");
    // A change of settings reads them from the table, never another instance's cached copy, and on SQL Server holds the
    // row until it commits: two officers' changes (on one instance or two) each build on the other's.
    private static readonly DialectSql SelectStreetForChange = new(
        "SELECT id, name, settings_json AS SettingsJson FROM streets WHERE id = @id",
        "SELECT id, name, settings_json AS SettingsJson FROM streets WITH (UPDLOCK, HOLDLOCK) WHERE id = @id");
    private static readonly DialectSql SelectStreets = DialectSql.Both("SELECT id, name, settings_json AS SettingsJson FROM streets ORDER BY id");
    private static readonly DialectSql InsertStreetSql = DialectSql.Both("INSERT INTO streets (id, name, settings_json, created_at) VALUES (@Id, @Name, @SettingsJson, @At)");
    private static readonly DialectSql UpdateSettingsSql = DialectSql.Both("UPDATE streets SET settings_json = @SettingsJson WHERE id = @Id");
    private static readonly DialectSql InsertSettingsChangeSql = DialectSql.Both(
        "INSERT INTO settings_changes (street_id, changed_at, changed_by, fields, settings_json) VALUES (@StreetId, @At, @By, @Fields, @SettingsJson)");
    private static readonly DialectSql SelectSettingsChanges = new(
        "SELECT changed_at AS ChangedAt, changed_by AS ChangedBy, fields AS Fields FROM settings_changes WHERE street_id = @street ORDER BY changed_at DESC LIMIT @limit",
        "SELECT TOP (@limit) changed_at AS ChangedAt, changed_by AS ChangedBy, fields AS Fields FROM settings_changes WHERE street_id = @street ORDER BY changed_at DESC");
    // The last change at or before @at and the first change: at most two rows, each found at one end of the index's range.
    private static readonly DialectSql SelectSettingsInForce = new(
        "SELECT * FROM (SELECT changed_at AS ChangedAt, fields AS Fields, settings_json AS SettingsJson FROM settings_changes WHERE street_id = @street AND changed_at <= @at ORDER BY changed_at DESC LIMIT 1) " +
        "UNION ALL SELECT * FROM (SELECT changed_at AS ChangedAt, fields AS Fields, settings_json AS SettingsJson FROM settings_changes WHERE street_id = @street ORDER BY changed_at LIMIT 1)",
        "SELECT * FROM (SELECT TOP (1) changed_at AS ChangedAt, fields AS Fields, settings_json AS SettingsJson FROM settings_changes WHERE street_id = @street AND changed_at <= @at ORDER BY changed_at DESC) AS last_by " +
        "UNION ALL SELECT * FROM (SELECT TOP (1) changed_at AS ChangedAt, fields AS Fields, settings_json AS SettingsJson FROM settings_changes WHERE street_id = @street ORDER BY changed_at) AS first_change");
    private static readonly DialectSql HasEventsSql = new(
        "SELECT EXISTS (SELECT 1 FROM score_events WHERE street_id = @street)",
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM score_events WHERE street_id = @street) THEN 1 ELSE 0 END");
    private static readonly DialectSql SelectCommunities = DialectSql.Both("SELECT id, street_id AS StreetId, name, active FROM communities WHERE street_id = @street ORDER BY id");
    private static readonly DialectSql SelectCommunity = DialectSql.Both("SELECT id, street_id AS StreetId, name, active FROM communities WHERE id = @id");
    // Read to change the community or to place someone in it: held on SQL Server until the change commits, so a
    // community is not deactivated while someone is being placed in it (each waits for the other and sees it).
    private static readonly DialectSql SelectCommunityForChange = new(
        "SELECT id, street_id AS StreetId, name, active FROM communities WHERE id = @id",
        "SELECT id, street_id AS StreetId, name, active FROM communities WITH (UPDLOCK, HOLDLOCK) WHERE id = @id");
    private static readonly DialectSql InsertCommunitySql = DialectSql.Both("INSERT INTO communities (id, street_id, name, active) VALUES (@Id, @StreetId, @Name, @Active)");
    private static readonly DialectSql InsertGridSql = DialectSql.Both("INSERT INTO grids (id, community_id, name, active) VALUES (@Id, @CommunityId, @Name, @Active)");
    private static readonly DialectSql SelectGrids = DialectSql.Both("SELECT g.id, g.community_id AS CommunityId, g.name, g.active FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.street_id = @street ORDER BY g.id");
    private static readonly DialectSql SelectRuleSets = DialectSql.Both("SELECT street_id AS StreetId, version, effective_from AS EffectiveFrom, rules_json AS RulesJson FROM rule_sets WHERE street_id = @street ORDER BY version");
    private static readonly DialectSql MoveRuleSetSql = DialectSql.Both("UPDATE rule_sets SET effective_from = @EffectiveFrom WHERE street_id = @StreetId AND version = @Version");
    private static readonly DialectSql InsertRuleSetSql = DialectSql.Both("INSERT INTO rule_sets (street_id, version, effective_from, rules_json, created_at, created_by) VALUES (@StreetId, @Version, @EffectiveFrom, @RulesJson, @At, @By)");

    private sealed class StreetRow { public string Id { get; init; } = ""; public string Name { get; init; } = ""; public string SettingsJson { get; init; } = "{}"; }
    private static readonly DialectSql SelectRuleSetsPublishedBy = DialectSql.Both("SELECT version FROM rule_sets WHERE street_id = @street AND created_by = @by AND created_at > @since AND created_at <= @until");
    private sealed class RuleSetRow { public string StreetId { get; init; } = ""; public long Version { get; init; } public DateTimeOffset EffectiveFrom { get; init; } public string RulesJson { get; init; } = "[]"; }

    private static Street ToStreet(StreetRow r) => new()
    {
        Id = r.Id,
        Name = r.Name,
        Settings = JsonSerializer.Deserialize<StreetSettings>(r.SettingsJson, Json) ?? new StreetSettings(),
    };

    public static Task<Street?> GetStreetAsync(this Session s, string id) =>
        s.Cache is { } cache ? cache.GetOrLoadAsync("street:" + id, () => LoadStreetAsync(s, id)) : LoadStreetAsync(s, id);

    /// <summary>
    /// The street as stored now, not cached and not held: for a check that must see another instance's change at once
    /// (the shop limit) inside a unit of work that already holds a person — holding the street after the person would
    /// take the two in the opposite order to a roster import, which holds the street and then the street's people.
    /// </summary>
    public static Task<Street?> GetStreetStoredAsync(this Session s, string id) => LoadStreetAsync(s, id);

    private static async Task<Street?> LoadStreetAsync(Session s, string id) =>
        await s.FirstOrDefaultAsync<StreetRow>(SelectStreet, new { id }) is { } row ? ToStreet(row) : null;

    /// <summary>The street as stored now (not cached), held for the caller's transaction to change its settings (or record what stands by them: a published list, a redemption's yuan).</summary>
    public static async Task<Street?> GetStreetForChangeAsync(this Session s, string id) =>
        await s.FirstOrDefaultAsync<StreetRow>(SelectStreetForChange, new { id }) is { } row ? ToStreet(row) : null;

    public static async Task<IReadOnlyList<Street>> ListStreetsAsync(this Session s) =>
        (await s.QueryAsync<StreetRow>(SelectStreets)).Select(ToStreet).ToList();

    public static Task InsertStreetAsync(this Session s, Street street, DateTimeOffset at) =>
        Forgetting(s, "street:" + street.Id).ExecuteAsync(InsertStreetSql, new { street.Id, street.Name, SettingsJson = JsonSerializer.Serialize(street.Settings, Json), At = at });

    public static Task UpdateSettingsAsync(this Session s, string streetId, StreetSettings settings) =>
        Forgetting(s, "street:" + streetId).ExecuteAsync(UpdateSettingsSql, new { Id = streetId, SettingsJson = JsonSerializer.Serialize(settings, Json) });

    /// <summary>Changes the street's settings and records who changed which of them.</summary>
    public static async Task ChangeSettingsAsync(this Session s, string streetId, StreetSettings settings, string by, IReadOnlyList<string> fields, DateTimeOffset at)
    {
        await s.UpdateSettingsAsync(streetId, settings);
        await s.ExecuteAsync(InsertSettingsChangeSql, new { StreetId = streetId, At = at, By = by, Fields = string.Join(",", fields), SettingsJson = JsonSerializer.Serialize(settings, Json) });
    }

    /// <summary>The street's latest settings changes, newest first.</summary>
    public static async Task<IReadOnlyList<SettingsChange>> ListSettingsChangesAsync(this Session s, string street, int limit) =>
        (await s.QueryAsync<SettingsChangeRow>(SelectSettingsChanges, new { street, limit }))
            .Select(r => new SettingsChange(r.ChangedAt, r.ChangedBy, r.Fields.Split(',', StringSplitOptions.RemoveEmptyEntries))).ToList();

    /// <summary>
    /// The recorded change of the street's settings that says what stood at <paramref name="at"/>: the last one at or before
    /// it, or, for a time before any, the street's first change (its <see cref="SettingsState.At"/> is then after
    /// <paramref name="at"/>); null when the settings were never changed. At most two rows are read and one parsed, however
    /// long the history: a late return asks this inside the writer's transaction.
    /// </summary>
    public static async Task<SettingsState?> SettingsInForceAtAsync(this Session s, string street, DateTimeOffset at)
    {
        var rows = (await s.QueryAsync<SettingsStateRow>(SelectSettingsInForce, new { street, at = at.ToUniversalTime() })).ToList();
        var row = rows.FirstOrDefault(r => r.ChangedAt <= at) ?? rows.FirstOrDefault();
        return row is null ? null : new SettingsState(row.ChangedAt, row.Fields.Split(',', StringSplitOptions.RemoveEmptyEntries),
            JsonSerializer.Deserialize<StreetSettings>(row.SettingsJson, Json) ?? new StreetSettings());
    }

    private sealed class SettingsStateRow { public DateTimeOffset ChangedAt { get; init; } public string Fields { get; init; } = ""; public string SettingsJson { get; init; } = "{}"; }

    /// <summary>Whether anything has been scored in the street (its weeks and cycles are then fixed).</summary>
    public static async Task<bool> HasEventsAsync(this Session s, string street) => await s.ScalarAsync<long>(HasEventsSql, new { street }) != 0;

    private sealed class SettingsChangeRow { public DateTimeOffset ChangedAt { get; init; } public string ChangedBy { get; init; } = ""; public string Fields { get; init; } = ""; }

    public static async Task<IReadOnlyList<Community>> ListCommunitiesAsync(this Session s, string street) =>
        (await s.QueryAsync<Community>(SelectCommunities, new { street })).ToList();

    public static Task<Community?> GetCommunityAsync(this Session s, string id) => s.FirstOrDefaultAsync<Community>(SelectCommunity, new { id });

    /// <summary>A community read to be changed, or to place someone in: held until the change commits.</summary>
    public static Task<Community?> GetCommunityForChangeAsync(this Session s, string id) => s.FirstOrDefaultAsync<Community>(SelectCommunityForChange, new { id });

    public static Task InsertCommunityAsync(this Session s, Community c) => s.ExecuteAsync(InsertCommunitySql, c);

    public static Task InsertGridAsync(this Session s, Grid g) => s.ExecuteAsync(InsertGridSql, g);

    public static async Task<IReadOnlyList<Grid>> ListGridsAsync(this Session s, string street) =>
        (await s.QueryAsync<Grid>(SelectGrids, new { street })).ToList();

    public static Task<IReadOnlyList<RuleSet>> ListRuleSetsAsync(this Session s, string street) =>
        s.Cache is { } cache ? cache.GetOrLoadAsync("rules:" + street, () => LoadRuleSetsAsync(s, street)) : LoadRuleSetsAsync(s, street);

    /// <summary>The street's rule set versions as stored now (not cached): for publishing the next one, and for the ETag its If-Match is compared with.</summary>
    public static Task<IReadOnlyList<RuleSet>> ListRuleSetsForChangeAsync(this Session s, string street) => LoadRuleSetsAsync(s, street);

    /// <summary>The versions of the street's rules <paramref name="by"/> published after <paramref name="since"/> and up to <paramref name="until"/> (as stored, for a publishing transaction).</summary>
    public static async Task<IReadOnlyList<int>> RuleSetsPublishedByAsync(this Session s, string street, string by, DateTimeOffset since, DateTimeOffset until) =>
        (await s.QueryAsync<long>(SelectRuleSetsPublishedBy, new { street, by, since, until })).Select(v => (int)v).ToList();

    private static async Task<IReadOnlyList<RuleSet>> LoadRuleSetsAsync(Session s, string street) =>
        (await s.QueryAsync<RuleSetRow>(SelectRuleSets, new { street }))
            .Select(r => new RuleSet(r.StreetId, (int)r.Version, r.EffectiveFrom, JsonSerializer.Deserialize<List<Rule>>(r.RulesJson, Json) ?? []))
            .ToList();

    /// <summary>The rule set in force at an instant: the newest version whose effective date has come.</summary>
    public static async Task<RuleSet?> RuleSetAtAsync(this Session s, string street, DateTimeOffset at)
    {
        var sets = await s.ListRuleSetsAsync(street);
        // Loops, not Where/MaxBy: read on every report, score and chat message.
        RuleSet? inForce = null, first = null;
        foreach (var set in sets)
        {
            if (set.EffectiveFrom <= at && (inForce is null || set.Version > inForce.Version)) inForce = set;
            if (first is null || set.Version < first.Version) first = set;
        }
        return inForce ?? first;
    }

    private static Session Forgetting(Session s, string key)
    {
        s.Cache?.Changing(key);
        return s;
    }

    /// <summary>
    /// A version's start moved to the same week's Monday in a street's new time zone: only while nothing has been scored
    /// (no event keeps the version it was scored with yet).
    /// </summary>
    public static Task MoveRuleSetAsync(this Session s, string street, int version, DateTimeOffset effectiveFrom) =>
        Forgetting(s, "rules:" + street).ExecuteAsync(MoveRuleSetSql, new { StreetId = street, Version = version, EffectiveFrom = effectiveFrom });

    public static Task InsertRuleSetAsync(this Session s, RuleSet set, string by, DateTimeOffset at) =>
        Forgetting(s, "rules:" + set.StreetId).ExecuteAsync(InsertRuleSetSql, new { set.StreetId, set.Version, set.EffectiveFrom, RulesJson = JsonSerializer.Serialize(set.Rules, Json), At = at, By = by });
}

/// <summary>A change to a street's settings: when, by whom (a staff id), and the names of the settings it changed.</summary>
public sealed record SettingsChange(DateTimeOffset At, string By, IReadOnlyList<string> Fields);

/// <summary>A recorded change of a street's settings: when, which settings (their wire names) it changed, and the settings it left.</summary>
public sealed record SettingsState(DateTimeOffset At, IReadOnlyList<string> Fields, StreetSettings Settings);
