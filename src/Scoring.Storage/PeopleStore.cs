using Scoring.Domain;
using Scoring.Domain.Weeks;

namespace Scoring.Storage;

/// <summary>Subjects (landlords, shop heads), their tenants and shops, staff, tokens and chat accounts.</summary>
public static class PeopleStore
{
    private const string SubjectColumns = "id, street_id AS StreetId, community_id AS CommunityId, grid_id AS GridId, kind, name, phone, active, erased_at AS ErasedAt";
    private static readonly DialectSql SelectSubject = DialectSql.Both($"SELECT {SubjectColumns} FROM subjects WHERE id = @id");
    // A roster change reads the record it writes back whole (and checks its tenants' or shops' names against each other)
    // holding the row on SQL Server until it commits: two changes of one person, on one instance or two, take turns
    // instead of the later undoing the earlier. SQLite's single writer already makes them take turns.
    private static readonly DialectSql SelectSubjectForChange = new(
        $"SELECT {SubjectColumns} FROM subjects WHERE id = @id",
        $"SELECT {SubjectColumns} FROM subjects WITH (UPDLOCK, HOLDLOCK) WHERE id = @id");
    private static readonly DialectSql SelectSubjects = DialectSql.Both($"SELECT {SubjectColumns} FROM subjects WHERE street_id = @street AND (@community IS NULL OR community_id = @community) ORDER BY id");
    // A roster import writes the street's people back whole from what it read: held as one change's person is, so a
    // change of one of them under way finishes first and the import plans on it (and any change after waits for the import).
    private static readonly DialectSql SelectStreetSubjectsForChange = new(
        $"SELECT {SubjectColumns} FROM subjects WHERE street_id = @street ORDER BY id",
        $"SELECT {SubjectColumns} FROM subjects WITH (UPDLOCK, HOLDLOCK) WHERE street_id = @street ORDER BY id");
    // The span an instant fell in, closed since (a null left_at: entered off the roster, off it always until back_at).
    private static readonly DialectSql SelectBackOnRosterAfter = DialectSql.Both(
        "SELECT subject_id AS Id, back_at AS Since FROM subject_absences WHERE subject_id = @id AND (left_at IS NULL OR left_at <= @at) AND back_at > @at ORDER BY back_at");
    // Since: when they were entered, or last brought back onto the roster (back_at is later than created_at, when there is one).
    private static readonly DialectSql SelectRoundOwersSince = DialectSql.Both(
        "SELECT s.id, COALESCE((SELECT MAX(a.back_at) FROM subject_absences a WHERE a.subject_id = s.id), s.created_at) AS Since FROM subjects s " +
        "WHERE s.street_id = @street AND s.kind = 'ShopHead' AND s.active = 1 AND EXISTS (SELECT 1 FROM shops p WHERE p.subject_id = s.id AND p.active = 1) ORDER BY s.id");
    private static readonly DialectSql HasSubjectsOfKind = DialectSql.Both(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM subjects WHERE street_id = @street AND kind = @kind) THEN 1 ELSE 0 END");
    // Whether a week owes a list of the kind: someone of it entered before the week's end and not off the roster from
    // before its start to its end or later (absences as its lists count them, LedgerStore's FiguresOfSubjects). Unlike the
    // lists, which count a latecomer in earlier weeks' standings, a kind counts only from when its first one was entered:
    // a street's first shop head makes no shop heads' list owed for the weeks before. Each subject's spans are looked up
    // by subject (the first one counted answers), not the street's spans read whole as the lists read them.
    private static readonly DialectSql HasSubjectsOfKindInWeek = DialectSql.Both(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM subjects s WHERE s.street_id = @street AND s.kind = @kind AND s.created_at < @weekEnd AND NOT EXISTS " +
        "(SELECT 1 FROM subject_absences a WHERE a.subject_id = s.id AND (a.left_at IS NULL OR a.left_at < @weekStart) AND (a.back_at IS NULL OR a.back_at >= @weekEnd))) THEN 1 ELSE 0 END");
    private static readonly DialectSql SelectSubjectByPhone = DialectSql.Both($"SELECT {SubjectColumns} FROM subjects WHERE street_id = @street AND kind = @kind AND phone = @phone");
    private static readonly DialectSql InsertSubjectSql = DialectSql.Both("INSERT INTO subjects (id, street_id, community_id, grid_id, kind, name, phone, active, created_at) VALUES (@Id, @StreetId, @CommunityId, @GridId, @Kind, @Name, @Phone, @Active, @At)");
    // deactivated_at is not read here any more (subject_absences is), but instances still on the previous release read it
    // for their lists during a rolling deploy: it is kept as they wrote it, the last leaving, cleared on return.
    private static readonly DialectSql UpdateSubjectSql = DialectSql.Both("UPDATE subjects SET community_id = @CommunityId, grid_id = @GridId, kind = @Kind, name = @Name, phone = @Phone, active = @Active, " +
        "deactivated_at = CASE WHEN @Active = 1 THEN NULL WHEN active = 1 THEN @At ELSE deactivated_at END WHERE id = @Id");
    // A subject off the roster has one open span in subject_absences (0570): taking them off opens it unless it is open
    // already (a change while off keeps when they left), bringing them back closes it. One entered off the roster has been
    // off it always (a null left_at).
    private static readonly DialectSql EnterOffRosterSql = DialectSql.Both("INSERT INTO subject_absences (subject_id, left_at) VALUES (@Id, NULL)");
    private static readonly DialectSql LeaveRosterSql = DialectSql.Both(
        "INSERT INTO subject_absences (subject_id, left_at) SELECT @Id, @At WHERE NOT EXISTS (SELECT 1 FROM subject_absences WHERE subject_id = @Id AND back_at IS NULL)");
    // Roster changes made by an instance of the previous release (it knows deactivated_at, not the spans) during a
    // rolling deploy: a subject off the roster without an open span left when that column says; one back on it with an
    // open span came back no later than now.
    // Instances started together each reconcile: on SQL Server the look for an open span holds its range, so the second
    // waits and then sees the first's spans (unheld, both inserted one and the unique index stopped the second's start-up).
    private static readonly DialectSql OpenMissingSpansSql = new(
        "INSERT INTO subject_absences (subject_id, left_at) SELECT s.id, s.deactivated_at FROM subjects s " +
        "WHERE s.active = 0 AND NOT EXISTS (SELECT 1 FROM subject_absences a WHERE a.subject_id = s.id AND a.back_at IS NULL)",
        "INSERT INTO subject_absences (subject_id, left_at) SELECT s.id, s.deactivated_at FROM subjects s " +
        "WHERE s.active = 0 AND NOT EXISTS (SELECT 1 FROM subject_absences a WITH (UPDLOCK, HOLDLOCK) WHERE a.subject_id = s.id AND a.back_at IS NULL)");
    private static readonly DialectSql CloseStaleSpansSql = DialectSql.Both(
        "UPDATE subject_absences SET back_at = @At WHERE back_at IS NULL AND subject_id IN (SELECT id FROM subjects WHERE active = 1)");
    private static readonly DialectSql ReturnToRosterSql = DialectSql.Both("UPDATE subject_absences SET back_at = @At WHERE subject_id = @Id AND back_at IS NULL");
    // A move to another community remembers the one left and when (0610), so the weeks before it keep them there; of two
    // moves at one moment the first tells where they were before it.
    private static readonly DialectSql RecordMoveSql = DialectSql.Both(
        "INSERT INTO subject_moves (subject_id, community_id, until_at) SELECT id, community_id, @At FROM subjects " +
        "WHERE id = @Id AND community_id <> @CommunityId AND NOT EXISTS (SELECT 1 FROM subject_moves WHERE subject_id = @Id AND until_at = @At)");

    private const string TenantColumns = "id, subject_id AS SubjectId, name, room, phone, origin, expected_return AS ExpectedReturn, active, listed_at AS ListedAt, unlisted_at AS UnlistedAt";
    private static readonly DialectSql SelectTenants = DialectSql.Both($"SELECT {TenantColumns} FROM tenants WHERE subject_id = @subjectId ORDER BY name, id");
    private static readonly DialectSql SelectTenant = DialectSql.Both($"SELECT {TenantColumns} FROM tenants WHERE id = @id");
    private static readonly DialectSql InsertTenantSql = DialectSql.Both("INSERT INTO tenants (id, subject_id, name, room, phone, origin, expected_return, active, listed_at, unlisted_at) VALUES (@Id, @SubjectId, @Name, @Room, @Phone, @Origin, @ExpectedReturn, @Active, @ListedAt, @UnlistedAt)");
    private static readonly DialectSql UpdateTenantSql = DialectSql.Both("UPDATE tenants SET name = @Name, room = @Room, phone = @Phone, origin = @Origin, expected_return = @ExpectedReturn, active = @Active, listed_at = @ListedAt, unlisted_at = @UnlistedAt WHERE id = @Id");

    private const string ShopColumns = "id, subject_id AS SubjectId, name, active";
    private static readonly DialectSql SelectShops = DialectSql.Both($"SELECT {ShopColumns} FROM shops WHERE subject_id = @subjectId ORDER BY name, id");
    private static readonly DialectSql InsertShopSql = DialectSql.Both("INSERT INTO shops (id, subject_id, name, active) VALUES (@Id, @SubjectId, @Name, @Active)");
    private static readonly DialectSql UpdateShopSql = DialectSql.Both("UPDATE shops SET name = @Name, active = @Active WHERE id = @Id");

    private const string StaffColumns = "id, street_id AS StreetId, community_id AS CommunityId, role, name, phone, active, grid_ids AS GridIds";
    private static readonly DialectSql SelectStaff = DialectSql.Both($"SELECT {StaffColumns} FROM staff WHERE id = @id");
    private static readonly DialectSql SelectStaffForChange = new(
        $"SELECT {StaffColumns} FROM staff WHERE id = @id",
        $"SELECT {StaffColumns} FROM staff WITH (UPDLOCK, HOLDLOCK) WHERE id = @id");
    private static readonly DialectSql SelectStaffOfStreet = DialectSql.Both($"SELECT {StaffColumns} FROM staff WHERE street_id = @street ORDER BY id");
    private static readonly DialectSql SelectSecretariesOfCommunity = DialectSql.Both(
        $"SELECT {StaffColumns} FROM staff WHERE community_id = @community AND role = @role AND active = 1 ORDER BY id");
    private static readonly DialectSql InsertStaffSql = DialectSql.Both("INSERT INTO staff (id, street_id, community_id, role, name, phone, active, grid_ids) VALUES (@Id, @StreetId, @CommunityId, @Role, @Name, @Phone, @Active, @GridIds)");
    private static readonly DialectSql UpdateStaffSql = DialectSql.Both("UPDATE staff SET community_id = @CommunityId, role = @Role, name = @Name, phone = @Phone, active = @Active, grid_ids = @GridIds WHERE id = @Id");

    private static readonly DialectSql InsertTokenSql = DialectSql.Both("INSERT INTO staff_tokens (token_hash, staff_id, created_at) VALUES (@hash, @staffId, @at)");
    private static readonly DialectSql RevokeTokensSql = DialectSql.Both("UPDATE staff_tokens SET revoked_at = @at WHERE staff_id = @staffId AND revoked_at IS NULL");
    private static readonly DialectSql SelectStaffByToken = DialectSql.Both(
        "SELECT s.id, s.street_id AS StreetId, s.community_id AS CommunityId, s.role, s.name, s.phone, s.active, s.grid_ids AS GridIds FROM staff_tokens t JOIN staff s ON s.id = t.staff_id WHERE t.token_hash = @hash AND t.revoked_at IS NULL AND s.active = 1");

    private static readonly DialectSql InsertCodeSql = DialectSql.Both("INSERT INTO enrolment_codes (code_hash, person_kind, person_id, issued_by, issued_at, expires_at, retry_answer) VALUES (@Hash, @PersonKind, @PersonId, @IssuedBy, @IssuedAt, @ExpiresAt, @RetryAnswer)");
    private const string CodeColumns = "code_hash AS Hash, person_kind AS PersonKind, person_id AS PersonId, issued_by AS IssuedBy, issued_at AS IssuedAt, expires_at AS ExpiresAt, used_at AS UsedAt, replaced_at AS ReplacedAt, retry_answer AS RetryAnswer";
    private static readonly DialectSql SelectCode = DialectSql.Both($"SELECT {CodeColumns} FROM enrolment_codes WHERE code_hash = @hash");
    // Through ux_enrolment_codes_valid: at most one row.
    private static readonly DialectSql SelectValidCode = DialectSql.Both($"SELECT {CodeColumns} FROM enrolment_codes WHERE person_id = @personId AND person_kind = @personKind AND used_at IS NULL AND replaced_at IS NULL");
    private static readonly DialectSql ReplaceCodesSql = DialectSql.Both("UPDATE enrolment_codes SET replaced_at = @at, retry_answer = NULL WHERE person_id = @personId AND person_kind = @personKind AND used_at IS NULL AND replaced_at IS NULL");
    // Not one replaced since the caller read it: on SQL Server a new code can be issued on another instance meanwhile.
    private static readonly DialectSql UseCodeSql = DialectSql.Both("UPDATE enrolment_codes SET used_at = @at, used_by = @by, retry_answer = NULL WHERE code_hash = @hash AND used_at IS NULL AND replaced_at IS NULL");
    // Through ix_enrolment_codes_expires: a code expires a fixed time after it was issued, so those issued before a moment
    // are those expiring before that moment plus the lifetime.
    private static readonly DialectSql UnsealCodesSql = DialectSql.Both("UPDATE enrolment_codes SET retry_answer = NULL WHERE expires_at < @expiringBefore AND retry_answer IS NOT NULL");

    // An account's first record is its chat_accounts row, any further one a row of chat_account_records (0680).
    private static readonly DialectSql SelectAccountsOfPerson = DialectSql.Both(
        "SELECT channel_id AS ChannelId, user_id AS UserId, person_kind AS PersonKind, person_id AS PersonId, bound_at AS BoundAt, " +
        "CASE WHEN more_records > 0 THEN 1 ELSE 0 END AS Several FROM chat_accounts WHERE person_id = @personId " +
        "UNION ALL SELECT channel_id, user_id, person_kind, person_id, bound_at, 1 FROM chat_account_records WHERE person_id = @personId");
    // A staff member's accounts: chat_account_records (0680) holds only landlords' and shop heads' further records.
    private static readonly DialectSql SelectAccountsOfStaff = DialectSql.Both(
        "SELECT channel_id AS ChannelId, user_id AS UserId, person_kind AS PersonKind, person_id AS PersonId, bound_at AS BoundAt, " +
        "CASE WHEN more_records > 0 THEN 1 ELSE 0 END AS Several FROM chat_accounts WHERE person_id = @personId AND person_kind = @personKind");
    // Those of a staff member on duty only: one taken off duty keeps the binding (it says why the bot refuses them) but is told nothing.
    private static readonly DialectSql SelectAccountsOfActiveStaff = DialectSql.Both(
        "SELECT channel_id AS ChannelId, user_id AS UserId, person_kind AS PersonKind, person_id AS PersonId, bound_at AS BoundAt, " +
        "CASE WHEN more_records > 0 THEN 1 ELSE 0 END AS Several FROM chat_accounts WHERE person_id = @personId AND person_kind = 'staff' " +
        "AND EXISTS (SELECT 1 FROM staff WHERE id = @personId AND active = 1)");
    /// <summary>
    /// The columns of <see cref="ChatPersonRow"/>, from <c>chat_accounts a</c> joined by <see cref="ChatPersonJoins"/>.
    /// Who writes from a chat account is read in one statement: every chat turn starts with it, and on a reader each
    /// statement is a read transaction of its own (shared-memory locks, a page cache emptied by the writer's last commit).
    /// </summary>
    public const string ChatPersonColumns =
        "a.person_kind AS PersonKind, a.person_id AS PersonId, " +
        "s.id AS SubjectId, s.street_id AS SubjectStreetId, s.community_id AS SubjectCommunityId, s.grid_id AS SubjectGridId, s.kind AS SubjectKind, s.name AS SubjectName, s.phone AS SubjectPhone, s.active AS SubjectActive, " +
        "st.id AS StaffId, st.street_id AS StaffStreetId, st.community_id AS StaffCommunityId, st.role AS StaffRole, st.name AS StaffName, st.phone AS StaffPhone, st.active AS StaffActive, st.grid_ids AS StaffGridIds";

    /// <summary>
    /// How many records beyond its first the account <c>a</c> speaks for (0680): 0 for nearly every account, which is then
    /// read in the one statement it always was; more are read by <see cref="WithMoreRecordsAsync"/> only when there are.
    /// </summary>
    public const string ChatMoreRecordsColumn = "a.more_records AS MoreRecords";

    /// <summary>Joins a chat account <c>a</c> to the subject or staff member it is bound to.</summary>
    public const string ChatPersonJoins =
        "LEFT JOIN subjects s ON a.person_kind = 'subject' AND s.id = a.person_id " +
        "LEFT JOIN staff st ON a.person_kind <> 'subject' AND st.id = a.person_id";

    /// <summary>
    /// On SQL Server a chat user's id is found by user_key, the SHA-256 of the exact id (0620): the collation would take ids
    /// differing only in case for one, and an id of up to 1024 characters is too long for an index key. SQLite compares the
    /// id itself, exactly.
    /// </summary>
    public static string SqlServerUserKey(string parameter) => $"CONVERT(BINARY(32), HASHBYTES('SHA2_256', CONVERT(NVARCHAR(MAX), {parameter})))";

    /// <summary>The key of the statements whose chat user's id is the parameter <c>@userId</c>.</summary>
    public static readonly string SqlServerUserKeyOfUserId = SqlServerUserKey("@userId");

    private static readonly DialectSql SelectChatPerson = new(
        $"SELECT {ChatPersonColumns}, {ChatMoreRecordsColumn} FROM chat_accounts a {ChatPersonJoins} WHERE a.channel_id = @channelId AND a.user_id = @userId",
        $"SELECT {ChatPersonColumns}, {ChatMoreRecordsColumn} FROM chat_accounts a {ChatPersonJoins} WHERE a.channel_id = @channelId AND a.user_key = {SqlServerUserKeyOfUserId}");
    // The account as a change to what it speaks for reads it: on SQL Server its row is held to the commit, so a second
    // unbinding or an erasure at once on another instance waits and then reads what this one left (SQLite's writes are one
    // at a time already).
    private static readonly DialectSql SelectChatPersonForChange = new(
        SelectChatPerson.Sqlite,
        $"SELECT {ChatPersonColumns}, {ChatMoreRecordsColumn} FROM chat_accounts a WITH (UPDLOCK, HOLDLOCK) {ChatPersonJoins} WHERE a.channel_id = @channelId AND a.user_key = {SqlServerUserKeyOfUserId}");
    // In the order they were added, so the record an account falls back to when its first one goes is the next one bound.
    private static readonly DialectSql SelectMoreRecords = new(
        $"SELECT {ChatPersonColumns}, 0 AS MoreRecords FROM chat_account_records a {ChatPersonJoins} WHERE a.channel_id = @channelId AND a.user_id = @userId ORDER BY a.bound_at, a.person_id",
        $"SELECT {ChatPersonColumns}, 0 AS MoreRecords FROM chat_account_records a {ChatPersonJoins} WHERE a.channel_id = @channelId AND a.user_key = {SqlServerUserKeyOfUserId} ORDER BY a.bound_at, a.person_id");
    private static readonly DialectSql DeleteAccountSql = new(
        "DELETE FROM chat_accounts WHERE channel_id = @ChannelId AND user_id = @UserId",
        $"DELETE FROM chat_accounts WHERE channel_id = @ChannelId AND user_key = {SqlServerUserKey("@UserId")}");
    private static readonly DialectSql DeleteMoreRecordsSql = new(
        "DELETE FROM chat_account_records WHERE channel_id = @ChannelId AND user_id = @UserId",
        $"DELETE FROM chat_account_records WHERE channel_id = @ChannelId AND user_key = {SqlServerUserKey("@UserId")}");
    private static readonly DialectSql DeleteMoreRecordSql = new(
        "DELETE FROM chat_account_records WHERE channel_id = @ChannelId AND user_id = @UserId AND person_kind = @PersonKind AND person_id = @PersonId",
        $"DELETE FROM chat_account_records WHERE channel_id = @ChannelId AND user_key = {SqlServerUserKey("@UserId")} AND person_kind = @PersonKind AND person_id = @PersonId");
    private static readonly DialectSql InsertMoreRecordSql = DialectSql.Both(
        "INSERT INTO chat_account_records (channel_id, user_id, person_kind, person_id, bound_at) VALUES (@ChannelId, @UserId, @PersonKind, @PersonId, @BoundAt)");
    // Counted up and down in the row's own update, so two changes to one account at once on SQL Server each keep the other's.
    private static readonly DialectSql CountMoreRecordsSql = new(
        "UPDATE chat_accounts SET more_records = more_records + @by WHERE channel_id = @ChannelId AND user_id = @UserId",
        $"UPDATE chat_accounts SET more_records = more_records + @by WHERE channel_id = @ChannelId AND user_key = {SqlServerUserKey("@UserId")}");
    // The account's first record handed to the next one when it stops speaking for it. The next record keeps when it was
    // bound (the weekly report counts bindings by bound_at): read from its row, deleted only after this statement (its row
    // gone meanwhile, the first's time stands rather than none; ISNULL on SQL Server, whose COALESCE runs a subquery twice).
    private static readonly DialectSql MoveFirstRecordSql = new(
        "UPDATE chat_accounts SET person_kind = @PersonKind, person_id = @PersonId, more_records = more_records - 1, bound_at = COALESCE(" +
        "(SELECT r.bound_at FROM chat_account_records r WHERE r.channel_id = @ChannelId AND r.user_id = @UserId AND r.person_kind = @PersonKind AND r.person_id = @PersonId), bound_at) " +
        "WHERE channel_id = @ChannelId AND user_id = @UserId AND person_kind = @FromKind AND person_id = @FromId",
        "UPDATE chat_accounts SET person_kind = @PersonKind, person_id = @PersonId, more_records = more_records - 1, bound_at = ISNULL(" +
        $"(SELECT r.bound_at FROM chat_account_records r WHERE r.channel_id = @ChannelId AND r.user_key = {SqlServerUserKey("@UserId")} AND r.person_kind = @PersonKind AND r.person_id = @PersonId), bound_at) " +
        $"WHERE channel_id = @ChannelId AND user_key = {SqlServerUserKey("@UserId")} AND person_kind = @FromKind AND person_id = @FromId");
    private static readonly DialectSql InsertAccountSql = DialectSql.Both("INSERT INTO chat_accounts (channel_id, user_id, person_kind, person_id, bound_at) VALUES (@ChannelId, @UserId, @PersonKind, @PersonId, @BoundAt)");
    private static readonly DialectSql InsertBindFailureSql = DialectSql.Both("INSERT INTO bind_failures (channel_id, user_id, failed_at) VALUES (@channelId, @userId, @at)");
    private static readonly DialectSql ForgetBindFailuresSql = DialectSql.Both("DELETE FROM bind_failures WHERE failed_at < @before");
    private static readonly DialectSql CountBindFailures = new(
        "SELECT COUNT(*) FROM bind_failures WHERE channel_id = @channelId AND user_id = @userId AND failed_at >= @since",
        $"SELECT COUNT(*) FROM bind_failures WHERE channel_id = @channelId AND user_key = {SqlServerUserKeyOfUserId} AND failed_at >= @since");

    public static Task<Subject?> GetSubjectAsync(this Session s, string id) => s.FirstOrDefaultAsync<Subject>(SelectSubject, new { id });

    /// <summary>A subject read to be changed (theirs, or their tenants or shops): held until the change commits.</summary>
    public static Task<Subject?> GetSubjectForChangeAsync(this Session s, string id) => s.FirstOrDefaultAsync<Subject>(SelectSubjectForChange, new { id });

    public static async Task<IReadOnlyList<Subject>> ListSubjectsAsync(this Session s, string street, string? community = null) =>
        (await s.QueryAsync<Subject>(SelectSubjects, new { street, community })).ToList();

    /// <summary>The street's subjects read to be changed by a roster import: held until the import commits.</summary>
    public static async Task<IReadOnlyList<Subject>> ListStreetSubjectsForChangeAsync(this Session s, string street) =>
        (await s.QueryAsync<Subject>(SelectStreetSubjectsForChange, new { street })).ToList();
    /// <summary>The active subjects of one kind in a street, each with when they were entered (nobody answers for a day before that).</summary>
    /// <summary>
    /// The shop heads of a street who owe a daily round: on the roster, with a shop in their charge (a round is of their
    /// shops), and since when they have been on it (entered, or brought back).
    /// </summary>
    public static async Task<IReadOnlyList<SubjectSince>> ListRoundOwersSinceAsync(this Session s, string street) =>
        (await s.QueryAsync<SubjectSince>(SelectRoundOwersSince, new { street })).ToList();

    /// <summary>
    /// When the subject was brought back to the roster after an absence they were in at <paramref name="at"/>; null for
    /// someone on it then (or off it still).
    /// </summary>
    public static async Task<DateTimeOffset?> BackOnRosterAfterAsync(this Session s, string id, DateTimeOffset at) =>
        (await s.QueryAsync<SubjectSince>(SelectBackOnRosterAfter, new { id, at })).FirstOrDefault()?.Since;

    /// <summary>Whether a street has ever had a subject of this kind (on the roster or off it): a street without shop heads has no shop heads' lists.</summary>
    public static async Task<bool> HasSubjectsOfKindAsync(this Session s, string street, SubjectKind kind) =>
        await s.ScalarAsync<long>(HasSubjectsOfKind, new { street, kind = kind.ToString() }) == 1;

    /// <summary>
    /// Whether the street had a subject of this kind on the roster at some moment of <paramref name="week"/> (as weeks run
    /// in <paramref name="zone"/>), entered by then: whether the week owes a list of that kind at all, eligible or not.
    /// </summary>
    public static async Task<bool> HasSubjectsOfKindInWeekAsync(this Session s, string street, SubjectKind kind, IsoWeek week, TimeZoneInfo zone) =>
        await s.ScalarAsync<long>(HasSubjectsOfKindInWeek, new { street, kind = kind.ToString(), weekStart = week.Start(zone), weekEnd = week.End(zone) }) == 1;

    /// <summary>The street's landlord or shop head with this phone (one person may be both: a record of each type).</summary>
    public static Task<Subject?> FindSubjectByPhoneAsync(this Session s, string street, SubjectKind kind, string phone) =>
        s.FirstOrDefaultAsync<Subject>(SelectSubjectByPhone, new { street, kind = kind.ToString(), phone });

    /// <summary>Enters a subject; one entered off the roster is on no week's lists until brought onto it.</summary>
    public static async Task InsertSubjectAsync(this Session s, Subject x, DateTimeOffset at)
    {
        await s.ExecuteAsync(InsertSubjectSql, new { x.Id, x.StreetId, x.CommunityId, x.GridId, Kind = x.Kind.ToString(), x.Name, x.Phone, x.Active, At = at });
        if (!x.Active) await s.ExecuteAsync(EnterOffRosterSql, new { x.Id });
    }

    /// <summary>
    /// Gives the spans off the roster to changes an instance of the previous release made (at start, after migrating;
    /// idempotent). Someone it brought back is counted from <paramref name="now"/>: when they came back is not known.
    /// </summary>
    /// <returns>How many subjects' spans were put right.</returns>
    public static async Task<int> ReconcileRosterSpansAsync(this Session s, DateTimeOffset now) =>
        await s.ExecuteAsync(OpenMissingSpansSql) + await s.ExecuteAsync(CloseStaleSpansSql, new { At = now });

    /// <summary>
    /// Changes a subject; taking one off the roster at <paramref name="at"/>, or bringing them back, is remembered with
    /// the spans they were off it before (a week's lists count everyone on it at any moment of the week).
    /// </summary>
    public static async Task<int> UpdateSubjectAsync(this Session s, Subject x, DateTimeOffset at)
    {
        await s.ExecuteAsync(RecordMoveSql, new { x.Id, x.CommunityId, At = at });
        var updated = await s.ExecuteAsync(UpdateSubjectSql, new { x.Id, x.CommunityId, x.GridId, Kind = x.Kind.ToString(), x.Name, x.Phone, x.Active, At = at });
        // After the subject's row is written, which on SQL Server holds it to the commit: two changes of one subject take turns.
        if (updated > 0) await s.ExecuteAsync(x.Active ? ReturnToRosterSql : LeaveRosterSql, new { x.Id, At = at });
        return updated;
    }

    public static async Task<IReadOnlyList<Tenant>> ListTenantsAsync(this Session s, string subjectId) => (await s.QueryAsync<Tenant>(SelectTenants, new { subjectId })).ToList();
    public static Task<Tenant?> GetTenantAsync(this Session s, string id) => s.FirstOrDefaultAsync<Tenant>(SelectTenant, new { id });
    public static Task InsertTenantAsync(this Session s, Tenant t) => s.ExecuteAsync(InsertTenantSql, t);
    public static Task<int> UpdateTenantAsync(this Session s, Tenant t) => s.ExecuteAsync(UpdateTenantSql, t);

    public static async Task<IReadOnlyList<Shop>> ListShopsAsync(this Session s, string subjectId) => (await s.QueryAsync<Shop>(SelectShops, new { subjectId })).ToList();
    public static Task InsertShopAsync(this Session s, Shop x) => s.ExecuteAsync(InsertShopSql, x);
    public static Task<int> UpdateShopAsync(this Session s, Shop x) => s.ExecuteAsync(UpdateShopSql, x);

    public static async Task<StaffMember?> GetStaffAsync(this Session s, string id) => (await s.FirstOrDefaultAsync<StaffRow>(SelectStaff, new { id }))?.ToMember();

    /// <summary>A staff member read to be changed: held until the change commits.</summary>
    public static async Task<StaffMember?> GetStaffForChangeAsync(this Session s, string id) => (await s.FirstOrDefaultAsync<StaffRow>(SelectStaffForChange, new { id }))?.ToMember();
    public static async Task<IReadOnlyList<StaffMember>> ListStaffAsync(this Session s, string street) =>
        (await s.QueryAsync<StaffRow>(SelectStaffOfStreet, new { street })).Select(x => x.ToMember()).ToList();
    /// <summary>The active secretaries of a community (who hear of its new pending items).</summary>
    public static async Task<IReadOnlyList<StaffMember>> ListSecretariesAsync(this Session s, string community) =>
        (await s.QueryAsync<StaffRow>(SelectSecretariesOfCommunity, new { community, role = StaffRole.Secretary.ToString() })).Select(x => x.ToMember()).ToList();
    public static Task InsertStaffAsync(this Session s, StaffMember x) =>
        s.ExecuteAsync(InsertStaffSql, new { x.Id, x.StreetId, x.CommunityId, Role = x.Role.ToString(), x.Name, x.Phone, x.Active, GridIds = StaffRow.GridText(x.GridIds) });
    public static Task<int> UpdateStaffAsync(this Session s, StaffMember x) =>
        s.ExecuteAsync(UpdateStaffSql, new { x.Id, x.CommunityId, Role = x.Role.ToString(), x.Name, x.Phone, x.Active, GridIds = StaffRow.GridText(x.GridIds) });

    public static Task InsertTokenAsync(this Session s, string hash, string staffId, DateTimeOffset at) => s.ExecuteAsync(InsertTokenSql, new { hash, staffId, at });
    public static Task<int> RevokeTokensAsync(this Session s, string staffId, DateTimeOffset at) => s.ExecuteAsync(RevokeTokensSql, new { staffId, at });
    public static async Task<StaffMember?> FindStaffByTokenHashAsync(this Session s, string hash) => (await s.FirstOrDefaultAsync<StaffRow>(SelectStaffByToken, new { hash }))?.ToMember();

    public static Task InsertEnrolmentCodeAsync(this Session s, EnrolmentCodeRow code) => s.ExecuteAsync(InsertCodeSql, code);
    public static Task<EnrolmentCodeRow?> GetEnrolmentCodeAsync(this Session s, string hash) => s.FirstOrDefaultAsync<EnrolmentCodeRow>(SelectCode, new { hash });
    /// <summary>A person's one code neither used nor replaced (expired or not), if any.</summary>
    public static Task<EnrolmentCodeRow?> GetValidEnrolmentCodeAsync(this Session s, string personKind, string personId) =>
        s.FirstOrDefaultAsync<EnrolmentCodeRow>(SelectValidCode, new { personKind, personId });
    /// <summary>
    /// Marks a person's unused codes replaced, expired ones too (before a new one is issued): the unique index
    /// ux_enrolment_codes_valid (0530) lets a person hold one code that is neither used nor replaced.
    /// </summary>
    public static Task<int> ReplaceEnrolmentCodesAsync(this Session s, string personKind, string personId, DateTimeOffset at) =>
        s.ExecuteAsync(ReplaceCodesSql, new { personKind, personId, at });
    /// <summary>
    /// Clears the sealed answer kept for a plain retry (0700) of every code expiring before <paramref name="expiringBefore"/>:
    /// its retry's window has passed, and only a retry reads it.
    /// </summary>
    public static Task<int> UnsealEnrolmentCodesAsync(this Session s, DateTimeOffset expiringBefore) => s.ExecuteAsync(UnsealCodesSql, new { expiringBefore });

    public static Task<int> UseEnrolmentCodeAsync(this Session s, string hash, string by, DateTimeOffset at) => s.ExecuteAsync(UseCodeSql, new { hash, by, at });

    /// <summary>The person a chat account is bound to (subject or staff, active or not); null if the account is not bound.</summary>
    public static async Task<ChatPerson?> GetChatPersonAsync(this Session s, string channelId, string userId) =>
        await s.WithMoreRecordsAsync(channelId, userId, (await s.FirstOrDefaultAsync<ChatPersonRow>(SelectChatPerson, new { channelId, userId }))?.ToPerson());

    /// <summary>
    /// <paramref name="person"/> with the further records its account speaks for (0680), read only when it has some: an
    /// account of one record costs no statement here.
    /// </summary>
    public static async ValueTask<ChatPerson?> WithMoreRecordsAsync(this Session s, string channelId, string userId, ChatPerson? person)
    {
        if (person is not { MoreRecords: > 0 }) return person;
        var more = (await s.QueryAsync<ChatPersonRow>(SelectMoreRecords, new { channelId, userId })).Select(r => r.ToPerson()!).ToList();
        return person with { More = more };
    }

    /// <summary>
    /// The chat accounts that speak for one subject or staff member (<paramref name="personKind"/> "subject" or "staff").
    /// A staff member's are read from chat_accounts alone, never from the further records only subjects have: secretaries'
    /// accounts are looked for inside every report's transaction.
    /// </summary>
    public static async Task<IReadOnlyList<ChatAccount>> ChatAccountsOfAsync(this Session s, string personKind, string personId) =>
        personKind == "subject"
            ? (await s.QueryAsync<ChatAccount>(SelectAccountsOfPerson, new { personId })).Where(a => a.PersonKind == personKind).ToList()
            : (await s.QueryAsync<ChatAccount>(SelectAccountsOfStaff, new { personKind, personId })).ToList();
    /// <summary>
    /// The chat accounts of a staff member who is on duty (active); none of one taken off duty. What the bot tells staff
    /// unasked goes through here, in the same one statement as <see cref="ChatAccountsOfAsync"/>.
    /// </summary>
    public static async Task<IReadOnlyList<ChatAccount>> ChatAccountsOfActiveStaffAsync(this Session s, string staffId) =>
        (await s.QueryAsync<ChatAccount>(SelectAccountsOfActiveStaff, new { personId = staffId })).ToList();

    /// <summary>Binds a chat account to one person, whoever and however many it spoke for before.</summary>
    public static async Task BindChatAccountAsync(this Session s, ChatAccount a)
    {
        await s.ExecuteAsync(DeleteAccountSql, a);
        await s.ExecuteAsync(DeleteMoreRecordsSql, a);
        await s.ExecuteAsync(InsertAccountSql, a);
    }

    /// <summary>Adds a record to those a bound chat account speaks for (its first record stays as it is).</summary>
    public static async Task AddChatRecordAsync(this Session s, ChatAccount a)
    {
        await s.ExecuteAsync(InsertMoreRecordSql, a);
        await s.ExecuteAsync(CountMoreRecordsSql, new { a.ChannelId, a.UserId, by = 1 });
    }

    /// <summary>
    /// The chat account stops speaking for one record (<paramref name="personKind"/>, <paramref name="personId"/>), keeping
    /// the others: a further record is removed; the first one is handed to the next further record (the next one bound),
    /// or the account unbound when there is none. Whoever unbinds — the account itself, or the erasure of someone long off
    /// the roster — goes by this one rule. Null when the account did not speak for that record (then nothing changes).
    /// </summary>
    public static async Task<RecordDropped?> StopSpeakingForAsync(this Session s, string channelId, string userId, string personKind, string personId)
    {
        var row = await s.FirstOrDefaultAsync<ChatPersonRow>(SelectChatPersonForChange, new { channelId, userId });
        if (await s.WithMoreRecordsAsync(channelId, userId, row?.ToPerson()) is not { } current) return null;
        var ids = new { ChannelId = channelId, UserId = userId };
        if (!current.Is(personKind, personId))
        {
            if (current.RecordOf(personKind, personId) is not { } further) return null;
            if (await s.ExecuteAsync(DeleteMoreRecordSql, new { ids.ChannelId, ids.UserId, further.PersonKind, further.PersonId }) > 0)
                await s.ExecuteAsync(CountMoreRecordsSql, new { ids.ChannelId, ids.UserId, by = -1 });
            return new RecordDropped(further, Unbound: false);
        }
        if (current.More.FirstOrDefault() is not { } next)
        {
            await s.ExecuteAsync(DeleteAccountSql, ids);
            await s.ExecuteAsync(DeleteMoreRecordsSql, ids); // none, as counted; no row is left to name the account's user
            return new RecordDropped(current, Unbound: true);
        }
        if (await s.ExecuteAsync(MoveFirstRecordSql, new { ids.ChannelId, ids.UserId, next.PersonKind, next.PersonId, FromKind = personKind, FromId = personId }) == 0)
            return null; // the first record changed since it was read: nothing is taken on a stale reading
        await s.ExecuteAsync(DeleteMoreRecordSql, new { ids.ChannelId, ids.UserId, next.PersonKind, next.PersonId });
        return new RecordDropped(current with { More = [] }, Unbound: false);
    }

    public static Task RecordBindFailureAsync(this Session s, string channelId, string userId, DateTimeOffset at) => s.ExecuteAsync(InsertBindFailureSql, new { channelId, userId, at });
    /// <summary>Wrong codes from before <paramref name="before"/>: they no longer count towards a lockout, and name chat users.</summary>
    public static Task<int> ForgetBindFailuresAsync(this Session s, DateTimeOffset before) => s.ExecuteAsync(ForgetBindFailuresSql, new { before });
    public static Task<long> CountBindFailuresAsync(this Session s, string channelId, string userId, DateTimeOffset since) => s.ScalarAsync<long>(CountBindFailures, new { channelId, userId, since });
}

/// <summary>
/// The person behind a chat account: <see cref="Subject"/> when the account is bound to a subject, <see cref="Staff"/>
/// when bound to staff; either is null when the record it names is gone.
/// </summary>
public sealed record ChatPerson(string PersonKind, string PersonId, Subject? Subject, StaffMember? Staff)
{
    /// <summary>How many records beyond this one its account speaks for (chat_accounts.more_records, 0680).</summary>
    public int MoreRecords { get; init; }

    /// <summary>Those records, once read (<see cref="PeopleStore.WithMoreRecordsAsync"/>); empty for an account of one.</summary>
    public IReadOnlyList<ChatPerson> More { get; init; } = [];

    /// <summary>Whether this is that record.</summary>
    public bool Is(string personKind, string personId) => PersonKind == personKind && PersonId == personId;

    /// <summary>The record of the account that is that person (this one or one of <see cref="More"/>), or null.</summary>
    public ChatPerson? RecordOf(string personKind, string personId) => Is(personKind, personId) ? this : More.FirstOrDefault(m => m.Is(personKind, personId));
}

/// <summary>
/// The record a chat account stopped speaking for (<see cref="PeopleStore.StopSpeakingForAsync"/>), as it was read, and
/// whether the account then spoke for nobody and was unbound.
/// </summary>
public sealed record RecordDropped(ChatPerson Record, bool Unbound);

/// <summary>A chat account joined with its subject's and staff member's columns (<see cref="PeopleStore.ChatPersonColumns"/>).</summary>
public class ChatPersonRow
{
    /// <summary>Null when there is no such chat account (an outer join found none).</summary>
    public string? PersonKind { get; init; }
    public string? PersonId { get; init; }
    public string? SubjectId { get; init; }
    public string? SubjectStreetId { get; init; }
    public string? SubjectCommunityId { get; init; }
    public string? SubjectGridId { get; init; }
    public string? SubjectKind { get; init; }
    public string? SubjectName { get; init; }
    public string? SubjectPhone { get; init; }
    public bool? SubjectActive { get; init; }
    public string? StaffId { get; init; }
    public string? StaffStreetId { get; init; }
    public string? StaffCommunityId { get; init; }
    public string? StaffRole { get; init; }
    public string? StaffName { get; init; }
    public string? StaffPhone { get; init; }
    public bool? StaffActive { get; init; }
    public string? StaffGridIds { get; init; }
    /// <summary>chat_accounts.more_records where the statement reads it (<see cref="PeopleStore.ChatMoreRecordsColumn"/>).</summary>
    public int? MoreRecords { get; init; }

    // Kinds and roles are stored as their enum names, as Dapper maps them elsewhere (case-insensitively).
    public ChatPerson? ToPerson() => PersonKind is null || PersonId is null ? null : new(PersonKind, PersonId,
        SubjectId is null ? null : new Subject
        {
            Id = SubjectId, StreetId = SubjectStreetId!, CommunityId = SubjectCommunityId!, GridId = SubjectGridId,
            Kind = Enum.Parse<SubjectKind>(SubjectKind!, ignoreCase: true), Name = SubjectName!, Phone = SubjectPhone, Active = SubjectActive ?? false,
        },
        StaffId is null ? null : new StaffMember
        {
            Id = StaffId, StreetId = StaffStreetId!, CommunityId = StaffCommunityId,
            Role = Enum.Parse<Domain.StaffRole>(StaffRole!, ignoreCase: true), Name = StaffName!, Phone = StaffPhone, Active = StaffActive ?? false,
            GridIds = StaffRow.Grids(StaffGridIds),
        }) { MoreRecords = MoreRecords ?? 0 };
}

/// <summary>A staff member as stored: a grid worker's grids are one column of ids separated by spaces.</summary>
public sealed class StaffRow
{
    public string Id { get; init; } = "";
    public string StreetId { get; init; } = "";
    public string? CommunityId { get; init; }
    public string Role { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Phone { get; init; }
    public bool Active { get; init; }
    public string? GridIds { get; init; }

    public StaffMember ToMember() => new()
    {
        Id = Id, StreetId = StreetId, CommunityId = CommunityId, Role = Enum.Parse<StaffRole>(Role, ignoreCase: true), Name = Name, Phone = Phone,
        Active = Active, GridIds = Grids(GridIds),
    };

    // Grid ids are roster ids (no spaces); none is stored as null.
    public static string? GridText(IReadOnlyList<string> grids) => grids.Count == 0 ? null : string.Join(' ', grids);

    public static IReadOnlyList<string> Grids(string? text) => text is null ? [] : text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A subject's id and when they were entered.</summary>
public sealed class SubjectSince
{
    public string Id { get; init; } = "";
    public DateTimeOffset Since { get; init; }
}

/// <summary>An enrolment code as stored: only its hash, never the code itself.</summary>
public sealed class EnrolmentCodeRow
{
    public string Hash { get; init; } = "";
    /// <summary><c>subject</c> or <c>staff</c>.</summary>
    public string PersonKind { get; init; } = "";
    public string PersonId { get; init; } = "";
    public string IssuedBy { get; init; } = "";
    public DateTimeOffset IssuedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; init; }
    /// <summary>When a newer code for the same person made this one void.</summary>
    public DateTimeOffset? ReplacedAt { get; init; }
    /// <summary>The code sealed with its issuer's token, for a request sent again without a key; null once used or replaced.</summary>
    public string? RetryAnswer { get; init; }
}

/// <summary>A chat account (channel + user id) bound to a subject or a staff member.</summary>
public sealed class ChatAccount
{
    public string ChannelId { get; init; } = "";
    public string UserId { get; init; } = "";
    /// <summary><c>subject</c> or <c>staff</c>.</summary>
    public string PersonKind { get; init; } = "";
    public string PersonId { get; init; } = "";
    public DateTimeOffset BoundAt { get; init; }
    /// <summary>The account speaks for other records too (read by notices, which then say which record they are about).</summary>
    public bool Several { get; init; }
}
