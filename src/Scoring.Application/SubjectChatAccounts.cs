using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// A chat account that speaks for a landlord or shop head, as staff see it: never its user id in full (a WeChat or
/// Telegram id is the key to the person's chat, an SMS channel's their number).
/// </summary>
/// <param name="Id">What names the account in a path: a hash of channel and user, which gives neither away.</param>
/// <param name="MaskedUserId">The user id's first and last two characters, the rest starred.</param>
/// <param name="SpeaksForOthers">The account speaks for other records too (a landlord who is a shop head): unbinding it here keeps those.</param>
public sealed record SubjectChatAccount(string Id, string ChannelId, string MaskedUserId, DateTimeOffset BoundAt, bool SpeaksForOthers)
{
    public static SubjectChatAccount Of(ChatAccount a) =>
        new(SubjectChatAccounts.IdOf(a.ChannelId, a.UserId), a.ChannelId, SubjectChatAccounts.Mask(a.UserId), a.BoundAt, a.Several);
}

/// <summary>A subject and the chat accounts that speak for them, oldest binding first.</summary>
public sealed record SubjectAccounts(Subject Subject, IReadOnlyList<SubjectChatAccount> Accounts);

/// <summary>
/// Which chat accounts speak for a landlord or shop head, and cutting one off. A code binds one more account and takes
/// none away (a new phone, a second channel), so an old phone sold or lost, or a relative's account, keeps acting for
/// them until it sends 解绑 itself: the subject's secretary or the street's officers see them here and unbind one, on
/// the street's record (<c>account-unbound</c>, by whom). Staff members' accounts are not this use case's.
/// </summary>
public sealed class SubjectChatAccounts(Database db, TimeProvider time)
{
    /// <summary>An account's id in a path: the first 16 hex digits of the hash the bot keys it by (channel and user, length-prefixed).</summary>
    public static string IdOf(string channelId, string userId) => CompositeKey.Of(channelId, userId)[..16];

    /// <summary>
    /// A user id as staff read it: enough to tell two accounts apart and match the one the person shows on their phone,
    /// not enough to write to it. Up to four characters, all starred.
    /// </summary>
    public static string Mask(string userId) =>
        userId.Length <= 4 ? new string('*', userId.Length) : userId[..2] + new string('*', Math.Min(userId.Length - 4, 8)) + userId[^2..];

    /// <summary>
    /// The actor of a staff action as the person's data shows it: a chat account that took a code or unbound itself
    /// (channel:user, <see cref="StaffActions.ChatAccount"/>) with its user id masked as <see cref="Mask"/> does; a staff
    /// member's id, the console or the retention round as they are (none has a colon).
    /// </summary>
    public static string MaskedActor(string actorId) =>
        actorId.IndexOf(':') is > 0 and var colon ? actorId[..(colon + 1)] + Mask(actorId[(colon + 1)..]) : actorId;


    private static readonly Failure NotTheirs = Failure.Forbidden(
        "A person's chat accounts are for their community's secretary and the street's officers.", "房东、铺长绑定的聊天账号仅限所在社区书记和街道工作人员查看和解绑。");

    public Task<Outcome<SubjectAccounts>> ListAsync(StaffMember actor, string subjectId, CancellationToken ct = default) =>
        db.ReadAsync<Outcome<SubjectAccounts>>(async s =>
        {
            var subject = await s.GetSubjectAsync(subjectId);
            if (subject is null) return Failure.SubjectNotFound(subjectId);
            if (!actor.CanVerifyIn(subject.StreetId, subject.CommunityId)) return NotTheirs;
            return new SubjectAccounts(subject, await AccountsOfAsync(s, subject.Id));
        }, ct);

    /// <summary>The accounts speaking for a subject as staff see them, oldest binding first.</summary>
    public static async Task<IReadOnlyList<SubjectChatAccount>> AccountsOfAsync(Session s, string subjectId) =>
        (await s.ChatAccountsOfAsync("subject", subjectId)).OrderBy(a => a.BoundAt).ThenBy(a => a.ChannelId, StringComparer.Ordinal).ThenBy(a => a.UserId, StringComparer.Ordinal)
            .Select(SubjectChatAccount.Of).ToList();

    /// <summary>
    /// The account <paramref name="accountId"/> stops speaking for the subject (<see cref="PeopleStore.StopSpeakingForAsync"/>,
    /// the rule 解绑 follows): one that speaks for other records keeps them. Answers the accounts left. Off the roster too
    /// (the binding is kept for their return, and may be the wrong one to keep).
    /// </summary>
    public Task<Outcome<SubjectAccounts>> UnbindAsync(StaffMember actor, string subjectId, string accountId, CancellationToken ct = default) =>
        db.WriteAsync<Outcome<SubjectAccounts>>(async s =>
        {
            var subject = await s.GetSubjectAsync(subjectId);
            if (subject is null) return Failure.SubjectNotFound(subjectId);
            if (!actor.CanVerifyIn(subject.StreetId, subject.CommunityId)) return NotTheirs;
            var account = (await s.ChatAccountsOfAsync("subject", subject.Id)).FirstOrDefault(a => IdOf(a.ChannelId, a.UserId) == accountId.Trim().ToLowerInvariant());
            if (account is null || await s.StopSpeakingForAsync(account.ChannelId, account.UserId, "subject", subject.Id) is not { } dropped)
                return Failure.NotFound("chat-account-not-found",
                    $"No chat account '{accountId}' speaks for {subject.Name}: list them with GET /api/subjects/{subject.Id}/chat-accounts.",
                    $"没有编号为「{accountId}」的聊天账号代表{subject.Name}，请先查看其绑定的账号列表。");
            await StaffActions.RecordAsync(s, time.GetUtcNow(), subject.StreetId, actor.Id, StaffActions.AccountUnbound, StaffActions.Targets.Subject, subject.Id,
                $"by staff; {StaffActions.ChatAccount(account.ChannelId, Mask(account.UserId))} ({IdOf(account.ChannelId, account.UserId)}){(dropped.Unbound ? "" : "; it still speaks for its other records")}");
            return new SubjectAccounts(subject, await AccountsOfAsync(s, subject.Id));
        }, ct);
}
