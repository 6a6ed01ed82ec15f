using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>A page of the street's staff actions, newest first, and the cursor of the next (older) page.</summary>
public sealed record StaffActionPage(IReadOnlyList<StaffAction> Items, string? Next);

/// <summary>
/// The street's record of who gave whom access and who changed its people: tokens issued and revoked, enrolment codes
/// issued and taken by a chat account, staff created, changed or taken off duty, landlords and shop heads taken off the
/// roster (or back on), roster files imported, rules published. Written in the same unit of work as the change it records, so it is
/// there exactly when the change is. Officers read it (after a lost phone or a leaked token: what did that account do,
/// who gave it access). Its details name roles and counts, never a phone, a code or a token.
/// </summary>
public sealed class StaffActions(Database db)
{
    public const string TokenIssued = "token-issued";
    public const string TokensRevoked = "tokens-revoked";
    public const string CodeIssued = "code-issued";
    public const string AccountBound = "account-bound";
    public const string StaffCreated = "staff-created";
    public const string StaffChanged = "staff-changed";
    public const string SubjectDeactivated = "subject-deactivated";
    public const string SubjectReactivated = "subject-reactivated";
    public const string RosterImported = "roster-imported";
    public const string RulesPublished = "rules-published";

    /// <summary>Who the command line is, where it acts without a staff member.</summary>
    public const string Console = "console";

    public const int MaxPage = 200;

    public static Task RecordAsync(Session s, DateTimeOffset at, string streetId, string actorId, string action, string targetKind, string targetId, string? detail = null) =>
        s.InsertStaffActionAsync(new StaffAction
        {
            Id = Ids.Ordered(at), StreetId = streetId, At = at, ActorId = actorId, Action = action, TargetKind = targetKind, TargetId = targetId, Detail = detail,
        });

    /// <summary>The street's actions older than the cursor <paramref name="before"/> (the newest without), at most <paramref name="limit"/>.</summary>
    public async Task<Outcome<StaffActionPage>> ReadAsync(StaffMember actor, string streetId, int limit, string? before, CancellationToken ct = default)
    {
        if (!actor.CanRunStreet(streetId)) return Failure.Forbidden("Only the street's officers read what staff did.", "只有街道工作人员可以查看操作记录。");
        var take = Math.Clamp(limit, 1, MaxPage);
        return await db.ReadAsync<Outcome<StaffActionPage>>(async s =>
        {
            if (await s.GetStreetAsync(streetId) is null) return Failure.StreetNotFound(streetId);
            // "~" sorts after every id's alphabet (digits and capitals): no cursor reads from the newest.
            var items = await s.StaffActionsAsync(streetId, string.IsNullOrEmpty(before) ? "~" : before, take);
            return new StaffActionPage(items, items.Count == take ? items[^1].Id : null);
        }, ct);
    }
}
