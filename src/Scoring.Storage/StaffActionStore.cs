namespace Scoring.Storage;

/// <summary>One thing a staff member (or the console, or a chat account taking a code) did to accounts or the roster.</summary>
public sealed class StaffAction
{
    public string Id { get; init; } = "";
    public string StreetId { get; init; } = "";
    public DateTimeOffset At { get; init; }
    /// <summary>A staff member's id, <c>console</c> for the command line, or the chat account that took a code.</summary>
    public string ActorId { get; init; } = "";
    /// <summary>What was done, e.g. <c>token-issued</c>, <c>code-issued</c>, <c>account-bound</c>, <c>staff-changed</c>.</summary>
    public string Action { get; init; } = "";
    /// <summary><c>staff</c>, <c>subject</c>, <c>street</c>.</summary>
    public string TargetKind { get; init; } = "";
    public string TargetId { get; init; } = "";
    /// <summary>Roles, counts, versions: never a phone, a code or a token.</summary>
    public string? Detail { get; init; }
}

/// <summary>The street's record of what was done to accounts and the roster (0630): appended, read newest first.</summary>
public static class StaffActionStore
{
    private const string Columns = "id, street_id AS StreetId, at, actor_id AS ActorId, action, target_kind AS TargetKind, target_id AS TargetId, detail";
    private static readonly DialectSql InsertSql = DialectSql.Both(
        "INSERT INTO staff_actions (id, street_id, at, actor_id, action, target_kind, target_id, detail) VALUES (@Id, @StreetId, @At, @ActorId, @Action, @TargetKind, @TargetId, @Detail)");
    // Newest first by when each was done, the id ordering actions of the same instant (ids sort by their millisecond,
    // then by random characters, so by id alone actions of one millisecond came in the order of those): a total order,
    // so a page goes on after the last row of the one before (a cursor of its instant and id, as a subject's history
    // pages). Both comparisons are the engine's own, with the same rules as it sorts by: SQLite's fixed-width UTC text and
    // binary ids, SQL Server's datetimeoffset and the column's collation. Read backwards along ix_staff_actions_street_at (0670).
    private const string PageOrder = "ORDER BY at DESC, id DESC";
    private const string BeforeCursor = "at <= @beforeAt AND (at < @beforeAt OR id < @beforeId)";
    private static readonly DialectSql SelectPage = new(
        $"SELECT {Columns} FROM staff_actions WHERE street_id = @street {PageOrder} LIMIT @limit",
        $"SELECT TOP (@limit) {Columns} FROM staff_actions WHERE street_id = @street {PageOrder}");
    private static readonly DialectSql SelectPageBefore = new(
        $"SELECT {Columns} FROM staff_actions WHERE street_id = @street AND {BeforeCursor} {PageOrder} LIMIT @limit",
        $"SELECT TOP (@limit) {Columns} FROM staff_actions WHERE street_id = @street AND {BeforeCursor} {PageOrder}");

    // What was done about one subject and about their tenants and shops (whose ids alone name them), newest first, along
    // ix_staff_actions_target (0860): the part of the street's record that is the person's own data.
    private static readonly DialectSql SelectAboutSubject = DialectSql.Both(
        $"SELECT {Columns} FROM staff_actions WHERE target_id = @subjectId AND target_kind = 'subject' " +
        $"UNION ALL SELECT {Columns} FROM staff_actions WHERE target_kind = 'tenant' AND target_id IN (SELECT id FROM tenants WHERE subject_id = @subjectId) " +
        $"UNION ALL SELECT {Columns} FROM staff_actions WHERE target_kind = 'shop' AND target_id IN (SELECT id FROM shops WHERE subject_id = @subjectId) " +
        "ORDER BY at DESC, id DESC");

    public static Task InsertStaffActionAsync(this Session s, StaffAction action) => s.ExecuteAsync(InsertSql, action);

    /// <summary>Every action about a landlord or shop head, their tenants' and their shops', newest first.</summary>
    public static async Task<IReadOnlyList<StaffAction>> StaffActionsAboutSubjectAsync(this Session s, string subjectId) =>
        (await s.QueryAsync<StaffAction>(SelectAboutSubject, new { subjectId })).ToList();

    /// <summary>The street's actions after <paramref name="before"/> in the newest-first order (from the newest when null): an action's instant and id.</summary>
    public static async Task<IReadOnlyList<StaffAction>> StaffActionsAsync(this Session s, string street, (DateTimeOffset At, string Id)? before, int limit) =>
        (before is { } b
            ? await s.QueryAsync<StaffAction>(SelectPageBefore, new { street, beforeAt = b.At, beforeId = b.Id, limit })
            : await s.QueryAsync<StaffAction>(SelectPage, new { street, limit })).ToList();
}
