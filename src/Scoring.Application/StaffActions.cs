using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>A page of the street's staff actions, newest first, and the cursor of the next (older) page.</summary>
public sealed record StaffActionPage(IReadOnlyList<StaffAction> Items, StaffActionCursor? Next);

/// <summary>
/// Where a page of staff actions ended: the last action's instant and id, its place in the newest-first order (time,
/// then id for actions of the same instant). Written and read as a subject history's cursor is, opaque to clients.
/// </summary>
public readonly record struct StaffActionCursor(DateTimeOffset At, string Id)
{
    public static StaffActionCursor Of(StaffAction action) => new(action.At, action.Id);

    public override string ToString() => new HistoryCursor(At, Id).ToString();

    /// <summary>Reads a cursor back; false for any text that no page gave.</summary>
    public static bool TryParse(string? text, out StaffActionCursor cursor)
    {
        var read = HistoryCursor.TryParse(text, out var history);
        cursor = read ? new StaffActionCursor(history.OccurredAt, history.EventId) : default;
        return read;
    }
}

/// <summary>
/// The street's record of who gave whom access and who changed its people: tokens issued and revoked, enrolment codes
/// issued and taken by a chat account, staff created, changed or taken off duty, landlords and shop heads taken off the
/// roster (or back on), moved or renamed, and erased once long off it, their tenants and shops added, changed or closed,
/// roster files imported (one record a file), rules published. Written in the same unit of work as the change it records, so it is
/// there exactly when the change is. Officers read it (after a lost phone or a leaked token: what did that account do,
/// who gave it access). Its details name roles and counts, never a phone, a code or a token.
/// </summary>
public sealed class StaffActions(Database db)
{
    public const string TokenIssued = "token-issued";
    public const string TokensRevoked = "tokens-revoked";
    public const string CodeIssued = "code-issued";
    public const string AccountBound = "account-bound";
    public const string AccountUnbound = "account-unbound";
    public const string StaffCreated = "staff-created";
    public const string StaffChanged = "staff-changed";
    public const string SubjectDeactivated = "subject-deactivated";
    public const string SubjectReactivated = "subject-reactivated";
    /// <summary>A subject's name, phone, grid or community changed (who may report on them, whose queue they are in); the detail names the fields, never their values.</summary>
    public const string SubjectChanged = "subject-changed";
    /// <summary>A tenant or shop added, changed (the detail names the fields) or closed; the detail starts with whose it is.</summary>
    public const string TenantAdded = "tenant-added";
    public const string TenantChanged = "tenant-changed";
    public const string TenantClosed = "tenant-closed";
    public const string ShopAdded = "shop-added";
    public const string ShopChanged = "shop-changed";
    public const string ShopClosed = "shop-closed";
    /// <summary>A subject's personal data erased, long off the roster (OffRosterErasure) or at once on request (PersonalData, the reason first); the detail counts what went.</summary>
    public const string SubjectErased = "subject-erased";
    public const string RosterImported = "roster-imported";
    public const string RulesPublished = "rules-published";

    /// <summary>Every action the record names (the API documents them as its closed set).</summary>
    public static readonly IReadOnlyList<string> Actions = [TokenIssued, TokensRevoked, CodeIssued, AccountBound, AccountUnbound, StaffCreated, StaffChanged,
        SubjectDeactivated, SubjectReactivated, SubjectChanged, TenantAdded, TenantChanged, TenantClosed, ShopAdded, ShopChanged, ShopClosed,
        SubjectErased, RosterImported, RulesPublished];

    /// <summary>What an action was done to (the record's target kind), a closed set the API documents.</summary>
    public static class Targets
    {
        public const string Staff = "staff";
        public const string Subject = "subject";
        public const string Street = "street";
        public const string Tenant = "tenant";
        public const string Shop = "shop";

        public static readonly IReadOnlyList<string> All = [Staff, Subject, Street, Tenant, Shop];
    }

    /// <summary>Who the command line is, where it acts without a staff member.</summary>
    public const string Console = "console";

    /// <summary>Who erases the personal data of people long off the roster: the clockwork, by the retention rule.</summary>
    public const string Retention = "retention";

    public const int MaxPage = 200;

    /// <summary>
    /// A chat account as the record names it: channel and user, with any run of seven digits or more masked as a phone
    /// is (an SMS or WhatsApp channel's user id is the person's number), digits split by spaces or dashes included, and an
    /// address's name before its @ (an email channel's) but for its first character.
    /// </summary>
    public static string ChatAccount(string channelId, string userId)
    {
        var masked = System.Text.RegularExpressions.Regex.Replace(userId, @"\d(?:[\s\-.]?\d){6,}", m => Scoring.Domain.Lists.Masking.Phone(m.Value));
        masked = System.Text.RegularExpressions.Regex.Replace(masked, @"(?<=^|[\s:<])([^\s:@<]{1})[^\s:@<]*(?=@)", m => m.Groups[1].Value + "***");
        return Enrolment.UsedBy(channelId, masked);
    }

    public static Task RecordAsync(Session s, DateTimeOffset at, string streetId, string actorId, string action, string targetKind, string targetId, string? detail = null) =>
        s.InsertStaffActionAsync(new StaffAction
        {
            Id = Ids.Ordered(at), StreetId = streetId, At = at, ActorId = actorId, Action = action, TargetKind = targetKind, TargetId = targetId, Detail = detail,
        });

    /// <summary>The street's actions older than the cursor <paramref name="before"/> (the newest without), at most <paramref name="limit"/>; the next cursor null on the last page.</summary>
    public async Task<Outcome<StaffActionPage>> ReadAsync(StaffMember actor, string streetId, int limit, StaffActionCursor? before, CancellationToken ct = default)
    {
        if (!actor.CanRunStreet(streetId)) return Failure.Forbidden("Only the street's officers read what staff did.", "只有街道工作人员可以查看操作记录。");
        var take = Math.Clamp(limit, 1, MaxPage);
        return await db.ReadAsync<Outcome<StaffActionPage>>(async s =>
        {
            if (await s.GetStreetAsync(streetId) is null) return Failure.StreetNotFound(streetId);
            // One more than the page: a next only when something follows, so the last page says so (a full one too).
            var items = await s.StaffActionsAsync(streetId, before is { } b ? (b.At, b.Id) : null, take + 1);
            var page = items.Take(take).ToList();
            return new StaffActionPage(page, items.Count > take ? StaffActionCursor.Of(page[^1]) : null);
        }, ct);
    }
}
