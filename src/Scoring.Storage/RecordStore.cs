namespace Scoring.Storage;

/// <summary>Published weekly lists, redemptions, idempotency keys, tenant returns, shop rounds (and the days they are due) and worker leases.</summary>
public static class RecordStore
{
    private const string ListColumns = "street_id AS StreetId, week, kind, revision, published_at AS PublishedAt, published_by AS PublishedBy, rule_version AS RuleVersion, content_hash AS ContentHash, correction_reason AS CorrectionReason, body_json AS BodyJson";
    private static readonly DialectSql SelectLatestList = new(
        $"SELECT {ListColumns} FROM published_lists WHERE street_id = @street AND week = @week AND kind = @kind ORDER BY revision DESC LIMIT 1",
        $"SELECT TOP (1) {ListColumns} FROM published_lists WHERE street_id = @street AND week = @week AND kind = @kind ORDER BY revision DESC");
    private static readonly DialectSql SelectListRevision = DialectSql.Both($"SELECT {ListColumns} FROM published_lists WHERE street_id = @street AND week = @week AND kind = @kind AND revision = @revision");
    // A week whose latest revision came after the decision already counts it.
    private static readonly DialectSql SelectPublishedWeeks = DialectSql.Both(
        "SELECT week FROM published_lists WHERE street_id = @street AND kind = @kind AND week >= @first AND week <= @last " +
        "GROUP BY week HAVING MAX(published_at) <= @decidedAt ORDER BY week");
    // The published weeks next to a week (of one kind, or any), for the notice board's links: ISO weeks written 2026-W47 sort as text.
    private static readonly DialectSql SelectPublishedWeekBefore = DialectSql.Both(
        "SELECT MAX(week) FROM published_lists WHERE street_id = @street AND week < @week AND (@kind IS NULL OR kind = @kind)");
    private static readonly DialectSql SelectPublishedWeekAfter = DialectSql.Both(
        "SELECT MIN(week) FROM published_lists WHERE street_id = @street AND week > @week AND (@kind IS NULL OR kind = @kind)");
    // A year's weeks as a range of the key (street_id, week, …): LIKE with a parameter is no range to SQLite, which read every
    // list the street ever published to find one year's.
    private static readonly DialectSql SelectListsOfYear = DialectSql.Both($"SELECT {ListColumns} FROM published_lists WHERE street_id = @street AND week >= @from AND week < @to ORDER BY week, kind, revision");
    private static readonly DialectSql InsertListSql = DialectSql.Both(
        "INSERT INTO published_lists (street_id, week, kind, revision, published_at, published_by, rule_version, content_hash, correction_reason, body_json) " +
        "VALUES (@StreetId, @Week, @Kind, @Revision, @PublishedAt, @PublishedBy, @RuleVersion, @ContentHash, @CorrectionReason, @BodyJson)");

    private static readonly DialectSql InsertRedemptionSql = DialectSql.Both("INSERT INTO redemptions (id, subject_id, points, yuan, note, recorded_at, recorded_by) VALUES (@Id, @SubjectId, @Points, @Yuan, @Note, @RecordedAt, @RecordedBy)");
    private static readonly DialectSql SelectEarnedOfStreet = DialectSql.Both(
        "SELECT subject_id AS SubjectId, SUM(delta) AS Points FROM score_events WHERE street_id = @street AND status = 'Approved' AND delta > 0 GROUP BY subject_id");
    // A reversed redemption spent nothing: the account and the payout sheet leave it out.
    private const string NotReversed = "NOT EXISTS (SELECT 1 FROM redemption_reversals v WHERE v.redemption_id = r.id)";
    private static readonly DialectSql SelectRedemptionsOfStreet = DialectSql.Both(
        "SELECT r.subject_id AS SubjectId, r.points AS Points, r.yuan AS Yuan FROM redemptions r JOIN subjects s ON s.id = r.subject_id WHERE s.street_id = @street AND " + NotReversed);
    private const string RedemptionColumns = "SELECT r.id, r.subject_id AS SubjectId, r.points, r.yuan, r.note, r.recorded_at AS RecordedAt, r.recorded_by AS RecordedBy, " +
        "v.reversed_at AS ReversedAt, v.reversed_by AS ReversedBy, v.reason AS ReversalReason FROM redemptions r LEFT JOIN redemption_reversals v ON v.redemption_id = r.id ";
    private static readonly DialectSql SelectRedemptionsOfSubject = DialectSql.Both(RedemptionColumns + "WHERE r.subject_id = @subjectId ORDER BY r.id DESC");
    private static readonly DialectSql SelectRedemption = DialectSql.Both(RedemptionColumns + "WHERE r.id = @id");
    private static readonly DialectSql InsertRedemptionReversalSql = DialectSql.Both(
        "INSERT INTO redemption_reversals (redemption_id, reversed_at, reversed_by, reason) VALUES (@redemptionId, @reversedAt, @reversedBy, @reason)");
    internal const string RedeemedPointsSql = "SELECT COALESCE(SUM(r.points), 0) FROM redemptions r WHERE r.subject_id = @subjectId AND " + NotReversed;
    // On SQL Server the sum holds its range until the unit commits, so two redemptions at once cannot both spend the
    // same points (SQLite's single writer serialises them anyway). A reversal only gives points back.
    private static readonly DialectSql SumRedeemedSql = new(RedeemedPointsSql,
        "SELECT COALESCE(SUM(r.points), 0) FROM redemptions r WITH (UPDLOCK, HOLDLOCK) WHERE r.subject_id = @subjectId AND " + NotReversed);

    private static readonly DialectSql SelectIdempotency = DialectSql.Both("SELECT scope, idem_key AS IdemKey, request_hash AS RequestHash, status_code AS StatusCode, content_type AS ContentType, response_body AS ResponseBody, created_at AS CreatedAt, completed_at AS CompletedAt, claim_token AS ClaimToken, took_effect AS TookEffect FROM idempotency_keys WHERE scope = @scope AND idem_key = @key");
    private static readonly DialectSql InsertIdempotencySql = DialectSql.Both("INSERT INTO idempotency_keys (scope, idem_key, request_hash, created_at, claim_token) VALUES (@scope, @key, @hash, @at, @token)");
    private static readonly DialectSql CompleteIdempotencySql = DialectSql.Both("UPDATE idempotency_keys SET status_code = @status, content_type = @contentType, response_body = @body, completed_at = @at WHERE scope = @scope AND idem_key = @key AND claim_token = @token");
    internal static readonly DialectSql MarkIdempotencyEffectSql = DialectSql.Both("UPDATE idempotency_keys SET took_effect = 1 WHERE scope = @scope AND idem_key = @key AND claim_token = @token AND completed_at IS NULL");
    // A claim that took effect is never deleted: a retry must learn that, not run the effect again.
    private static readonly DialectSql DeleteIdempotencySql = DialectSql.Both("DELETE FROM idempotency_keys WHERE scope = @scope AND idem_key = @key AND completed_at IS NULL AND took_effect = 0 AND (claim_token = @token OR claim_token IS NULL)");
    // A refusal of a request that sets a state (PUT, PATCH, DELETE): its transaction marked the key, yet running it again is safe.
    private static readonly DialectSql DeleteRefusedIdempotencySql = DialectSql.Both("DELETE FROM idempotency_keys WHERE scope = @scope AND idem_key = @key AND completed_at IS NULL AND claim_token = @token");
    // Retention, by age alone: past it a retry is no longer expected, whatever became of the first request.
    private static readonly DialectSql ForgetOldIdempotencySql = DialectSql.Both("DELETE FROM idempotency_keys WHERE created_at < @before");

    private static readonly DialectSql InsertReturnSql = DialectSql.Both("INSERT INTO tenant_returns (id, tenant_id, subject_id, arrival_at, reported_at, due_at, source, late_event_id) VALUES (@Id, @TenantId, @SubjectId, @ArrivalAt, @ReportedAt, @DueAt, @Source, @LateEventId)");
    private const string ReturnColumns = "id, tenant_id AS TenantId, subject_id AS SubjectId, arrival_at AS ArrivalAt, reported_at AS ReportedAt, due_at AS DueAt, source, late_event_id AS LateEventId";
    private static readonly DialectSql SelectReturnBySource = DialectSql.Both($"SELECT {ReturnColumns} FROM tenant_returns WHERE source = @source");
    private static readonly DialectSql SelectReturn = DialectSql.Both($"SELECT {ReturnColumns} FROM tenant_returns WHERE id = @id");
    // A range of the primary key (ids sort by the time they were made; their alphabet, digits then capitals, sorts the
    // same under SQL Server's case-insensitive collations).
    private static readonly DialectSql SelectReturnAmong = new(
        $"SELECT {ReturnColumns} FROM tenant_returns WHERE id >= @fromId AND id < @toId AND tenant_id = @tenantId AND arrival_at = @arrivalAt ORDER BY id LIMIT 1",
        $"SELECT TOP (1) {ReturnColumns} FROM tenant_returns WHERE id >= @fromId AND id < @toId AND tenant_id = @tenantId AND arrival_at = @arrivalAt ORDER BY id");
    // "late_event_id IS NOT NULL" as in the partial index (0460), which only then is used. On SQL Server the look-up holds
    // its key range until the unit commits, so two copies reported at once (on two instances) cannot both be deducted.
    private static readonly DialectSql SelectLateReturnOfArrival = new(
        $"SELECT {ReturnColumns} FROM tenant_returns WHERE tenant_id = @tenantId AND arrival_at = @arrivalAt AND late_event_id IS NOT NULL ORDER BY id LIMIT 1",
        $"SELECT TOP (1) {ReturnColumns} FROM tenant_returns WITH (UPDLOCK, HOLDLOCK) WHERE tenant_id = @tenantId AND arrival_at = @arrivalAt AND late_event_id IS NOT NULL ORDER BY id");
    // The tenant's late returns by arrival through the partial index (0460), as above; the charge must still stand.
    private static readonly DialectSql SelectLateReturnOfStay = new(
        $"SELECT {ReturnColumns} FROM tenant_returns WHERE tenant_id = @tenantId AND arrival_at >= @from AND arrival_at <= @to AND late_event_id IS NOT NULL " +
        "AND reported_at > @arrivalAt AND EXISTS (SELECT 1 FROM score_events e WHERE e.id = tenant_returns.late_event_id AND e.status IN ('Pending', 'Approved')) ORDER BY id LIMIT 1",
        $"SELECT TOP (1) {ReturnColumns} FROM tenant_returns WITH (UPDLOCK, HOLDLOCK) WHERE tenant_id = @tenantId AND arrival_at >= @from AND arrival_at <= @to AND late_event_id IS NOT NULL " +
        "AND reported_at > @arrivalAt AND EXISTS (SELECT 1 FROM score_events e WHERE e.id = tenant_returns.late_event_id AND e.status IN ('Pending', 'Approved')) ORDER BY id");
    // The return a late charge was made for (by its source, unique) and the latest report of the same tenant after it, within
    // @toId (ids sort by time), that gave another arrival, before that return was reported: the same stay told again.
    private static readonly DialectSql SelectLaterArrivalOfStay = new(
        "SELECT r2.arrival_at FROM tenant_returns r1 JOIN tenant_returns r2 ON r2.id > r1.id AND r2.id < @toId AND r2.tenant_id = r1.tenant_id " +
        "AND r2.arrival_at <> r1.arrival_at AND r2.arrival_at < r1.reported_at WHERE r1.source = @source ORDER BY r2.id DESC LIMIT 1",
        "SELECT TOP (1) r2.arrival_at FROM tenant_returns r1 JOIN tenant_returns r2 ON r2.id > r1.id AND r2.id < @toId AND r2.tenant_id = r1.tenant_id " +
        "AND r2.arrival_at <> r1.arrival_at AND r2.arrival_at < r1.reported_at WHERE r1.source = @source ORDER BY r2.id DESC");
    private static readonly DialectSql InsertRoundSql = DialectSql.Both("INSERT INTO shop_rounds (subject_id, day, reported_at, source) VALUES (@subjectId, @day, @at, @source)");
    private static readonly DialectSql SelectRound = DialectSql.Both("SELECT reported_at FROM shop_rounds WHERE subject_id = @subjectId AND day = @day");
    private static readonly DialectSql SelectOpenRoundDays = DialectSql.Both("SELECT day FROM open_round_days WHERE street_id = @street ORDER BY day");
    private static readonly DialectSql InsertOpenRoundDay = new(
        "INSERT INTO open_round_days (street_id, day, seen_at, deadline) VALUES (@street, @day, @at, @deadline) ON CONFLICT (street_id, day) DO NOTHING",
        "IF NOT EXISTS (SELECT 1 FROM open_round_days WITH (UPDLOCK, HOLDLOCK) WHERE street_id = @street AND day = @day) " +
        "INSERT INTO open_round_days (street_id, day, seen_at, deadline) VALUES (@street, @day, @at, @deadline)");
    private static readonly DialectSql SelectOpenRoundDeadline = DialectSql.Both("SELECT deadline FROM open_round_days WHERE street_id = @street AND day = @day");
    private static readonly DialectSql DeleteOpenRoundDay = DialectSql.Both("DELETE FROM open_round_days WHERE street_id = @street AND day = @day");

    private static readonly DialectSql ClaimLeaseSqlite = new(
        "INSERT INTO worker_leases (name, owner, lease_until) VALUES (@name, @owner, @until) " +
        "ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until WHERE worker_leases.lease_until < @now OR worker_leases.owner = @owner",
        "MERGE worker_leases WITH (HOLDLOCK) AS t USING (SELECT @name AS name) AS src ON t.name = src.name " +
        "WHEN MATCHED AND (t.lease_until < @now OR t.owner = @owner) THEN UPDATE SET owner = @owner, lease_until = @until " +
        "WHEN NOT MATCHED THEN INSERT (name, owner, lease_until) VALUES (@name, @owner, @until);");

    // Only by the lease's holder: an instance that lost the lease mid-round (to one that took it over) does not speak for it.
    private static readonly DialectSql CompleteLeasedRoundSql = DialectSql.Both(
        "UPDATE worker_leases SET last_completed_at = @at WHERE name = @name AND owner = @owner");
    // Only the holder's, and only while it still holds it: one taken over meanwhile is the new holder's.
    private static readonly DialectSql ReleaseLeaseSql = DialectSql.Both(
        "UPDATE worker_leases SET lease_until = @now WHERE name = @name AND owner = @owner AND lease_until > @now");
    // The app password's verifier (0880), one row. Written once by the first instance with a password (two starting at once:
    // the first insert wins, the other then reads it), and changed on a rotation only from the one it replaces.
    private static readonly DialectSql SelectPasswordVerifier = DialectSql.Both("SELECT verifier FROM app_password_verifier WHERE id = 1");
    private static readonly DialectSql InsertPasswordVerifier = new(
        "INSERT INTO app_password_verifier (id, verifier, written_at) VALUES (1, @verifier, @at) ON CONFLICT (id) DO NOTHING",
        "IF NOT EXISTS (SELECT 1 FROM app_password_verifier WITH (UPDLOCK, HOLDLOCK) WHERE id = 1) " +
        "INSERT INTO app_password_verifier (id, verifier, written_at) VALUES (1, @verifier, @at)");
    private static readonly DialectSql ReplacePasswordVerifier = DialectSql.Both(
        "UPDATE app_password_verifier SET verifier = @verifier, written_at = @at WHERE id = 1 AND verifier = @replaced");
    private static readonly DialectSql SelectLeases = DialectSql.Both(
        "SELECT name AS Name, owner AS Owner, lease_until AS LeaseUntil, last_completed_at AS LastCompletedAt FROM worker_leases ORDER BY name");

    /// <summary>The weeks from <paramref name="first"/> to <paramref name="last"/> whose list of <paramref name="kind"/> was last published by <paramref name="decidedAt"/>, in order.</summary>
    public static async Task<IReadOnlyList<string>> PublishedWeeksAsync(this Session s, string street, string kind, string first, string last, DateTimeOffset decidedAt) =>
        (await s.QueryAsync<string>(SelectPublishedWeeks, new { street, kind, first, last, decidedAt })).ToList();

    /// <summary>The last week before <paramref name="week"/> with a published list (of <paramref name="kind"/>, or any); null for none.</summary>
    public static Task<string?> PublishedWeekBeforeAsync(this Session s, string street, string week, string? kind = null) =>
        s.FirstOrDefaultAsync<string?>(SelectPublishedWeekBefore, new { street, week, kind });

    /// <summary>The first week after <paramref name="week"/> with a published list (of <paramref name="kind"/>, or any); null for none.</summary>
    public static Task<string?> PublishedWeekAfterAsync(this Session s, string street, string week, string? kind = null) =>
        s.FirstOrDefaultAsync<string?>(SelectPublishedWeekAfter, new { street, week, kind });

    public static Task<PublishedListRow?> LatestListAsync(this Session s, string street, string week, string kind) => s.FirstOrDefaultAsync<PublishedListRow>(SelectLatestList, new { street, week, kind });
    /// <summary>The latest week of which the street has published a list (of <paramref name="kind"/>, or either; as written, 2026-W47); null before its first.</summary>
    /// <remarks>Past any ISO week's text ("9999-W99" sorts after all of them): the week before it is the latest.</remarks>
    public static Task<string?> LatestPublishedWeekAsync(this Session s, string street, string? kind = null) => s.PublishedWeekBeforeAsync(street, "9999-W99", kind);
    public static Task<PublishedListRow?> ListRevisionAsync(this Session s, string street, string week, string kind, int revision) => s.FirstOrDefaultAsync<PublishedListRow>(SelectListRevision, new { street, week, kind, revision });
    public static async Task<IReadOnlyList<PublishedListRow>> ListsOfYearAsync(this Session s, string street, int year) =>
        (await s.QueryAsync<PublishedListRow>(SelectListsOfYear, new { street, from = $"{year:D4}-W", to = $"{year:D4}-X" })).ToList();
    /// <summary>The cache key of a year's red-list tally of one kind (kept by the application; a new list forgets it).</summary>
    public static string RedWeeksKey(string street, string kind, int year) => $"red-weeks:{street}:{kind}:{year:D4}";

    public static Task InsertListAsync(this Session s, PublishedListRow row)
    {
        // A week belongs to its ISO week-based year, as ListsOfYearAsync reads them ("2026-W53").
        if (int.TryParse(row.Week.AsSpan(0, 4), out var year)) s.Cache?.Changing(RedWeeksKey(row.StreetId, row.Kind, year));
        return s.ExecuteAsync(InsertListSql, row);
    }

    public static Task InsertRedemptionAsync(this Session s, RedemptionRow r) => s.ExecuteAsync(InsertRedemptionSql, r);

    /// <summary>One redemption with its reversal, if any; null for an id never recorded.</summary>
    public static Task<RedemptionRow?> GetRedemptionAsync(this Session s, string id) => s.FirstOrDefaultAsync<RedemptionRow>(SelectRedemption, new { id });

    /// <summary>Records a redemption's reversal: who, when and why. A second of the same redemption breaks the table's key.</summary>
    public static Task InsertRedemptionReversalAsync(this Session s, string redemptionId, DateTimeOffset reversedAt, string reversedBy, string reason) =>
        s.ExecuteAsync(InsertRedemptionReversalSql, new { redemptionId, reversedAt, reversedBy, reason });

    /// <summary>A subject's redemptions, newest first (ids sort by the time they were made), each with its reversal, if any.</summary>
    public static async Task<IReadOnlyList<RedemptionRow>> RedemptionsOfSubjectAsync(this Session s, string subjectId) =>
        (await s.QueryAsync<RedemptionRow>(SelectRedemptionsOfSubject, new { subjectId })).ToList();
    /// <summary>Reward points earned (approved additions, of every cycle) by each subject of the street that has earned any.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> EarnedOfStreetAsync(this Session s, string street) =>
        (await s.QueryAsync<SubjectPoints>(SelectEarnedOfStreet, new { street })).ToDictionary(r => r.SubjectId, r => r.Points);

    /// <summary>Every redemption of the street's subjects: points and the yuan recorded at the time (summed by the caller, in decimal).</summary>
    public static async Task<IReadOnlyList<RedemptionRow>> RedemptionsOfStreetAsync(this Session s, string street) =>
        (await s.QueryAsync<RedemptionRow>(SelectRedemptionsOfStreet, new { street })).ToList();

    private sealed class SubjectPoints { public string SubjectId { get; init; } = ""; public long Points { get; init; } }

    public static Task<long> RedeemedPointsAsync(this Session s, string subjectId) => s.ScalarAsync<long>(SumRedeemedSql, new { subjectId });

    public static Task<IdempotencyRow?> GetIdempotencyAsync(this Session s, string scope, string key) => s.FirstOrDefaultAsync<IdempotencyRow>(SelectIdempotency, new { scope, key });
    public static Task InsertIdempotencyAsync(this Session s, IdempotencyClaim claim, string hash, DateTimeOffset at) =>
        s.ExecuteAsync(InsertIdempotencySql, new { scope = claim.Scope, key = claim.Key, hash, at, token = claim.Token });
    public static Task CompleteIdempotencyAsync(this Session s, IdempotencyClaim claim, int status, string? contentType, string body, DateTimeOffset at) =>
        s.ExecuteAsync(CompleteIdempotencySql, new { scope = claim.Scope, key = claim.Key, token = claim.Token, status, contentType, body, at });
    /// <summary>Releases a claim that took no effect (its own after a failure, or an abandoned one being taken over).</summary>
    public static Task ForgetIdempotencyAsync(this Session s, string scope, string key, string? token) => s.ExecuteAsync(DeleteIdempotencySql, new { scope, key, token });
    /// <summary>The key of a PUT, PATCH or DELETE refused 409/412 (marked or not), so that a retry runs it again.</summary>
    public static Task ForgetRefusedIdempotencyAsync(this Session s, string scope, string key, string token) => s.ExecuteAsync(DeleteRefusedIdempotencySql, new { scope, key, token });
    /// <summary>Every key first sent before <paramref name="before"/>, with its sealed answer (finished, lost or taken effect alike).</summary>
    public static Task<int> ForgetIdempotencyBeforeAsync(this Session s, DateTimeOffset before) => s.ExecuteAsync(ForgetOldIdempotencySql, new { before });

    public static Task InsertTenantReturnAsync(this Session s, TenantReturnRow r) => s.ExecuteAsync(InsertReturnSql, r);
    public static Task<TenantReturnRow?> GetTenantReturnAsync(this Session s, string id) => s.FirstOrDefaultAsync<TenantReturnRow>(SelectReturn, new { id });
    public static Task<TenantReturnRow?> GetTenantReturnBySourceAsync(this Session s, string source) => s.FirstOrDefaultAsync<TenantReturnRow>(SelectReturnBySource, new { source });
    /// <summary>The first report of a tenant's return at that arrival that was late (and deducted), from whichever message.</summary>
    public static Task<TenantReturnRow?> GetLateTenantReturnAsync(this Session s, string tenantId, DateTimeOffset arrivalAt) =>
        s.FirstOrDefaultAsync<TenantReturnRow>(SelectLateReturnOfArrival, new { tenantId, arrivalAt });
    /// <summary>A report of the tenant's return at that arrival among the returns whose (time-ordered) ids lie in [from, to).</summary>
    public static Task<TenantReturnRow?> GetTenantReturnAmongAsync(this Session s, string tenantId, DateTimeOffset arrivalAt, string fromId, string toId) =>
        s.FirstOrDefaultAsync<TenantReturnRow>(SelectReturnAmong, new { tenantId, arrivalAt, fromId, toId });
    /// <summary>
    /// A late return of the tenant whose charge is pending or approved, with an arrival within <paramref name="window"/> of
    /// <paramref name="arrivalAt"/>, reported after it (the tenant was back already): the same stay, told with another arrival.
    /// </summary>
    public static Task<TenantReturnRow?> GetLateReturnOfStayAsync(this Session s, string tenantId, DateTimeOffset arrivalAt, TimeSpan window) =>
        s.FirstOrDefaultAsync<TenantReturnRow>(SelectLateReturnOfStay, new { tenantId, arrivalAt, from = arrivalAt - window, to = arrivalAt + window });
    /// <summary>
    /// The arrival given by the latest later report of the same stay as the return of <paramref name="source"/> (another
    /// arrival, before that return was reported), among reports made before <paramref name="toId"/>; null when none.
    /// </summary>
    public static Task<DateTimeOffset?> LaterArrivalOfStayAsync(this Session s, string source, string toId) =>
        s.ScalarAsync<DateTimeOffset?>(SelectLaterArrivalOfStay, new { source, toId });
    public static Task InsertShopRoundAsync(this Session s, string subjectId, string day, DateTimeOffset at, string source) => s.ExecuteAsync(InsertRoundSql, new { subjectId, day, at, source });
    /// <summary>When the shop head reported the day's round (one per day), or null without one; one reported after the day's deadline is late.</summary>
    public static Task<DateTimeOffset?> ShopRoundReportedAtAsync(this Session s, string subjectId, string day) =>
        s.ScalarAsync<DateTimeOffset?>(SelectRound, new { subjectId, day });

    /// <summary>The local days (yyyy-MM-dd) of a street seen before their deadline and not yet checked for missed rounds, oldest first.</summary>
    public static async Task<IReadOnlyList<string>> OpenRoundDaysAsync(this Session s, string street) => (await s.QueryAsync<string>(SelectOpenRoundDays, new { street })).ToList();
    /// <summary>Notes that a street's day was seen before its deadline; seeing it again changes nothing.</summary>
    public static Task OpenRoundDayAsync(this Session s, string street, string day, DateTimeOffset at, DateTimeOffset? deadline = null) =>
        s.ExecuteAsync(InsertOpenRoundDay, new { street, day, at, deadline });
    /// <summary>The deadline an open day was seen with (null when it is not open, or was opened without one).</summary>
    public static Task<DateTimeOffset?> OpenRoundDeadlineAsync(this Session s, string street, string day) =>
        s.ScalarAsync<DateTimeOffset?>(SelectOpenRoundDeadline, new { street, day });
    /// <summary>A day checked for missed rounds (or too old to be): it is not looked at again.</summary>
    public static Task CloseRoundDayAsync(this Session s, string street, string day) => s.ExecuteAsync(DeleteOpenRoundDay, new { street, day });

    /// <summary>
    /// Takes or renews a named lease (for background work that must run on one instance at a time).
    /// True when <paramref name="owner"/> holds it until <paramref name="until"/>.
    /// </summary>
    public static async Task<bool> TryTakeLeaseAsync(this Session s, string name, string owner, DateTimeOffset now, DateTimeOffset until) =>
        await s.ExecuteAsync(ClaimLeaseSqlite, new { name, owner, now, until }) > 0;

    /// <summary>Notes that a round of the leased work ran to its end at <paramref name="at"/>, when <paramref name="owner"/> still holds its lease.</summary>
    public static Task CompleteLeasedRoundAsync(this Session s, string name, string owner, DateTimeOffset at) =>
        s.ExecuteAsync(CompleteLeasedRoundSql, new { name, owner, at });

    /// <summary>Ends <paramref name="owner"/>'s hold on the lease now, so another instance may take it at once; true when it held it.</summary>
    public static async Task<bool> ReleaseLeaseAsync(this Session s, string name, string owner, DateTimeOffset now) =>
        await s.ExecuteAsync(ReleaseLeaseSql, new { name, owner, now }) > 0;

    /// <summary>The verifier of the app password the database's keyed data is made with; null before an instance with a password wrote it.</summary>
    public static Task<string?> PasswordVerifierAsync(this Session s) => s.FirstOrDefaultAsync<string>(SelectPasswordVerifier, null);

    /// <summary>Writes the verifier when none is written yet; true when this wrote it.</summary>
    public static async Task<bool> WritePasswordVerifierAsync(this Session s, string verifier, DateTimeOffset at) =>
        await s.ExecuteAsync(InsertPasswordVerifier, new { verifier, at }) > 0;

    /// <summary>Replaces the verifier <paramref name="replaced"/> (a rotation's previous password) with <paramref name="verifier"/>; true when it was that one.</summary>
    public static async Task<bool> ReplacePasswordVerifierAsync(this Session s, string replaced, string verifier, DateTimeOffset at) =>
        await s.ExecuteAsync(ReplacePasswordVerifier, new { replaced, verifier, at }) > 0;

    /// <summary>Every lease of background work, by name: one row per kind of work any instance ever ran.</summary>
    public static async Task<IReadOnlyList<WorkerLease>> ListLeasesAsync(this Session s) => (await s.QueryAsync<WorkerLease>(SelectLeases)).ToList();
}

/// <summary>A row of worker_leases: who holds the named work until when, and when a round of it last ran to its end (null before 0650's first round).</summary>
public sealed class WorkerLease
{
    public string Name { get; init; } = "";
    public string Owner { get; init; } = "";
    public DateTimeOffset LeaseUntil { get; init; }
    public DateTimeOffset? LastCompletedAt { get; init; }
}

public sealed class PublishedListRow
{
    public string StreetId { get; init; } = "";
    public string Week { get; init; } = "";
    public string Kind { get; init; } = "";
    public long Revision { get; init; }
    public DateTimeOffset PublishedAt { get; init; }
    public string PublishedBy { get; init; } = "";
    public long RuleVersion { get; init; }
    public string ContentHash { get; init; } = "";
    public string? CorrectionReason { get; init; }
    public string BodyJson { get; init; } = "";
}

public sealed class RedemptionRow
{
    public string Id { get; init; } = "";
    public string SubjectId { get; init; } = "";
    public int Points { get; init; }
    public decimal Yuan { get; init; }
    public string Note { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
    public string RecordedBy { get; init; } = "";
    /// <summary>When it was reversed (recorded in error), by whom and why; null while it stands.</summary>
    public DateTimeOffset? ReversedAt { get; init; }
    public string? ReversedBy { get; init; }
    public string? ReversalReason { get; init; }
}

public sealed class IdempotencyRow
{
    public string Scope { get; init; } = "";
    public string IdemKey { get; init; } = "";
    public string RequestHash { get; init; } = "";
    public long? StatusCode { get; init; }
    public string? ContentType { get; init; }
    public string? ResponseBody { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? ClaimToken { get; init; }
    public bool TookEffect { get; init; }
}

public sealed class TenantReturnRow
{
    public string Id { get; init; } = "";
    public string TenantId { get; init; } = "";
    public string SubjectId { get; init; } = "";
    public DateTimeOffset ArrivalAt { get; init; }
    public DateTimeOffset ReportedAt { get; init; }
    /// <summary>When the report fell due under the window in force then; null for returns recorded before 0520.</summary>
    public DateTimeOffset? DueAt { get; init; }
    public string Source { get; init; } = "";
    public string? LateEventId { get; init; }
}
