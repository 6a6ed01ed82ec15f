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
    // Ids sort by the time they were made: a page is the next ids down from the last one seen (their alphabet, digits then
    // capitals, sorts the same under SQL Server's collations; a sentinel of punctuation would not, so none is used).
    private static readonly DialectSql SelectPage = new(
        $"SELECT {Columns} FROM staff_actions WHERE street_id = @street AND (@before IS NULL OR id < @before) ORDER BY id DESC LIMIT @limit",
        $"SELECT TOP (@limit) {Columns} FROM staff_actions WHERE street_id = @street AND (@before IS NULL OR id < @before) ORDER BY id DESC");

    public static Task InsertStaffActionAsync(this Session s, StaffAction action) => s.ExecuteAsync(InsertSql, action);

    /// <summary>The street's actions before the id <paramref name="before"/> (from the newest when null), newest first.</summary>
    public static async Task<IReadOnlyList<StaffAction>> StaffActionsAsync(this Session s, string street, string? before, int limit) =>
        (await s.QueryAsync<StaffAction>(SelectPage, new { street, before, limit })).ToList();
}
