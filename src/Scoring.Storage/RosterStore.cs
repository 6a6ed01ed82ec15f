using Scoring.Domain;
using Scoring.Domain.Ledger;

namespace Scoring.Storage;

/// <summary>
/// What roster management needs beyond <see cref="StreetStore"/> and <see cref="PeopleStore"/>: editing
/// communities and grids, a whole street's tenants and shops at once (for import and export), hashed
/// identity-card numbers, and a week of the ledger for the office's records.
/// </summary>
public static class RosterStore
{
    private static readonly DialectSql UpdateCommunitySql = DialectSql.Both("UPDATE communities SET name = @Name, active = @Active WHERE id = @Id");
    private static readonly DialectSql SelectGrid = DialectSql.Both("SELECT id, community_id AS CommunityId, name, active FROM grids WHERE id = @id");
    private static readonly DialectSql SelectGridForChange = new(
        "SELECT id, community_id AS CommunityId, name, active FROM grids WHERE id = @id",
        "SELECT id, community_id AS CommunityId, name, active FROM grids WITH (UPDLOCK, HOLDLOCK) WHERE id = @id");
    private static readonly DialectSql UpdateGridSql = DialectSql.Both("UPDATE grids SET name = @Name, active = @Active WHERE id = @Id");
    private static readonly DialectSql CountActiveSubjectsOfCommunity = DialectSql.Both("SELECT COUNT(*) FROM subjects WHERE community_id = @community AND active = 1");

    private static readonly DialectSql SelectTenantsOfStreet = DialectSql.Both(
        "SELECT t.id, t.subject_id AS SubjectId, t.name, t.room, t.phone, t.origin, t.expected_return AS ExpectedReturn, t.active, t.listed_at AS ListedAt, t.unlisted_at AS UnlistedAt " +
        "FROM tenants t JOIN subjects s ON s.id = t.subject_id WHERE s.street_id = @street AND (@community IS NULL OR s.community_id = @community) ORDER BY t.subject_id, t.name, t.id");
    private static readonly DialectSql SelectShopsOfStreet = DialectSql.Both(
        "SELECT p.id, p.subject_id AS SubjectId, p.name, p.active " +
        "FROM shops p JOIN subjects s ON s.id = p.subject_id WHERE s.street_id = @street AND (@community IS NULL OR s.community_id = @community) ORDER BY p.subject_id, p.name, p.id");
    private static readonly DialectSql SelectShop = DialectSql.Both("SELECT id, subject_id AS SubjectId, name, active FROM shops WHERE id = @id");

    private static readonly DialectSql SelectIdentityCards = DialectSql.Both(
        "SELECT c.subject_id AS SubjectId, c.salt, c.hash, c.last_four AS LastFour, c.recorded_at AS RecordedAt " +
        "FROM identity_cards c JOIN subjects s ON s.id = c.subject_id WHERE s.street_id = @street");
    private static readonly DialectSql SelectIdentityCard = DialectSql.Both(
        "SELECT subject_id AS SubjectId, salt, hash, last_four AS LastFour, recorded_at AS RecordedAt FROM identity_cards WHERE subject_id = @subjectId");
    private static readonly DialectSql DeleteIdentityCardSql = DialectSql.Both("DELETE FROM identity_cards WHERE subject_id = @subjectId");
    private static readonly DialectSql InsertIdentityCardSql = DialectSql.Both(
        "INSERT INTO identity_cards (subject_id, salt, hash, last_four, recorded_at) VALUES (@SubjectId, @Salt, @Hash, @LastFour, @RecordedAt)");

    // SQLite is told the week's index: it chose the street's (street_id, occurred_at) for the order, reading every event
    // the street ever had to find one week's.
    private const string EventsOfWeekColumns =
        "SELECT id, street_id AS StreetId, community_id AS CommunityId, subject_id AS SubjectId, rule_code AS RuleCode, rule_version AS RuleVersion, delta, " +
        "occurred_at AS OccurredAt, reported_at AS ReportedAt, reporter_id AS ReporterId, reporter_role AS ReporterRole, source, evidence, status, escalated_at AS EscalatedAt ";
    private const string EventsOfWeekWhere = "WHERE street_id = @street AND week = @week AND (@community IS NULL OR community_id = @community) ORDER BY occurred_at, id";
    private static readonly DialectSql SelectEventsOfWeek = new(
        EventsOfWeekColumns + "FROM score_events INDEXED BY ix_score_events_week " + EventsOfWeekWhere,
        EventsOfWeekColumns + "FROM score_events " + EventsOfWeekWhere);

    // The audited transitions of the same events, each event's chain in order: the ledger export's decisions in one statement.
    private const string TransitionsOfWeekFrom = "JOIN event_transitions t ON t.event_id = e.id " +
        "WHERE e.street_id = @street AND e.week = @week AND (@community IS NULL OR e.community_id = @community) ORDER BY t.event_id, " + LedgerStore.ChainOrder;
    private static readonly DialectSql SelectTransitionsOfWeek = new(
        $"SELECT {LedgerStore.TransitionColumns} FROM score_events e INDEXED BY ix_score_events_week " + TransitionsOfWeekFrom,
        $"SELECT {LedgerStore.TransitionColumns} FROM score_events e " + TransitionsOfWeekFrom);

    private static readonly DialectSql SelectBoundSubjects = DialectSql.Both(
        "SELECT a.person_id FROM chat_accounts a JOIN subjects s ON s.id = a.person_id WHERE a.person_kind = 'subject' AND s.community_id = @community " +
        "UNION SELECT r.person_id FROM chat_account_records r JOIN subjects s ON s.id = r.person_id WHERE r.person_kind = 'subject' AND s.community_id = @community");

    /// <summary>The subjects of a community that have bound a chat account.</summary>
    public static async Task<IReadOnlyList<string>> BoundSubjectIdsAsync(this Session s, string community) =>
        (await s.QueryAsync<string>(SelectBoundSubjects, new { community })).ToList();

    public static Task<int> UpdateCommunityAsync(this Session s, Community c) => s.ExecuteAsync(UpdateCommunitySql, c);
    public static Task<long> CountActiveSubjectsAsync(this Session s, string community) => s.ScalarAsync<long>(CountActiveSubjectsOfCommunity, new { community });

    public static Task<Grid?> GetGridAsync(this Session s, string id) => s.FirstOrDefaultAsync<Grid>(SelectGrid, new { id });

    /// <summary>A grid read to be changed (written back whole): held on SQL Server until the change commits.</summary>
    public static Task<Grid?> GetGridForChangeAsync(this Session s, string id) => s.FirstOrDefaultAsync<Grid>(SelectGridForChange, new { id });
    public static Task<int> UpdateGridAsync(this Session s, Grid g) => s.ExecuteAsync(UpdateGridSql, g);

    public static Task<Shop?> GetShopAsync(this Session s, string id) => s.FirstOrDefaultAsync<Shop>(SelectShop, new { id });

    /// <summary>Every tenant (active or not) of a street's landlords, optionally of one community.</summary>
    public static async Task<IReadOnlyList<Tenant>> TenantsOfStreetAsync(this Session s, string street, string? community = null) =>
        (await s.QueryAsync<Tenant>(SelectTenantsOfStreet, new { street, community })).ToList();

    /// <summary>Every shop (active or not) of a street's shop heads, optionally of one community.</summary>
    public static async Task<IReadOnlyList<Shop>> ShopsOfStreetAsync(this Session s, string street, string? community = null) =>
        (await s.QueryAsync<Shop>(SelectShopsOfStreet, new { street, community })).ToList();

    public static async Task<IReadOnlyList<IdentityCardRow>> IdentityCardsOfStreetAsync(this Session s, string street) =>
        (await s.QueryAsync<IdentityCardRow>(SelectIdentityCards, new { street })).ToList();

    public static Task<IdentityCardRow?> GetIdentityCardAsync(this Session s, string subjectId) => s.FirstOrDefaultAsync<IdentityCardRow>(SelectIdentityCard, new { subjectId });

    public static Task DeleteIdentityCardAsync(this Session s, string subjectId) => s.ExecuteAsync(DeleteIdentityCardSql, new { subjectId });

    /// <summary>Replaces a subject's identity card (hash and last four only).</summary>
    public static async Task SetIdentityCardAsync(this Session s, IdentityCardRow card)
    {
        await s.ExecuteAsync(DeleteIdentityCardSql, new { subjectId = card.SubjectId });
        await s.ExecuteAsync(InsertIdentityCardSql, card);
    }

    /// <summary>The events of one week of a street (optionally one community), in the order they occurred.</summary>
    /// <summary>Every audited transition of the events <see cref="EventsOfWeekAsync"/> reads, each event's in the order of its chain.</summary>
    public static async Task<IReadOnlyList<Transition>> TransitionsOfWeekAsync(this Session s, string street, string week, string? community = null) =>
        (await s.QueryAsync<Transition>(SelectTransitionsOfWeek, new { street, week, community })).ToList();

    public static async Task<IReadOnlyList<ScoreEvent>> EventsOfWeekAsync(this Session s, string street, string week, string? community = null) =>
        (await s.QueryAsync<ScoreEvent>(SelectEventsOfWeek, new { street, week, community })).ToList();
}

/// <summary>An identity-card number as stored: a salted hash and the last four characters, never the number.</summary>
public sealed class IdentityCardRow
{
    public string SubjectId { get; init; } = "";
    public string Salt { get; init; } = "";
    public string Hash { get; init; } = "";
    public string LastFour { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
}
