using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>Staff bearer tokens: random, shown once, stored only as a SHA-256 hash, revocable.</summary>
public sealed class StaffTokens(Database db, TimeProvider time)
{
    public Task<StaffMember?> AuthenticateAsync(string token, CancellationToken ct = default) =>
        string.IsNullOrWhiteSpace(token) || token.Length > 200
            ? Task.FromResult<StaffMember?>(null)
            : db.ReadAsync(s => s.FindStaffByTokenHashAsync(Ids.Hash(token.Trim())), ct);

    /// <summary>
    /// Issues a new token for a staff member: by <see cref="StaffMember.CanIssueCredentialsFor"/> (someone of a lower role in
    /// the actor's scope, anyone by an admin, oneself), or on the console (no actor) for anyone.
    /// </summary>
    public async Task<Outcome<string>> IssueAsync(StaffMember? actor, string staffId, CancellationToken ct = default) =>
        await db.WriteAsync<Outcome<string>>(async s =>
        {
            var staff = await s.GetStaffAsync(staffId);
            if (staff is null) return Failure.NotFound("staff-not-found", $"No staff member '{staffId}'.", $"找不到工作人员「{staffId}」。");
            if (actor is not null && RefusedCredentials(actor, staff) is { } refused) return refused;
            var token = Ids.Token();
            var now = time.GetUtcNow();
            await s.InsertTokenAsync(Ids.Hash(token), staff.Id, now);
            await StaffActions.RecordAsync(s, now, staff.StreetId, actor?.Id ?? StaffActions.Console, StaffActions.TokenIssued, StaffActions.Targets.Staff, staff.Id, staff.Role.ToWire());
            return token;
        }, ct);

    /// <summary>
    /// Why <paramref name="actor"/> may not have a token or enrolment code issued for <paramref name="staff"/>; null when they
    /// may. The street's officers (who see its staff anyway) are told who issues it; anyone else that it is outside their scope.
    /// </summary>
    public static Failure? RefusedCredentials(StaffMember actor, StaffMember staff) =>
        actor.CanIssueCredentialsFor(staff) ? null : actor.CanRunStreet(staff.StreetId) ? ByAdminOnly : Failure.Forbidden();

    private static readonly Failure ByAdminOnly = Failure.Forbidden(
        "A token or enrolment code for another officer (or an admin) is issued only by an admin, or on the server's console (staff token <id>): "
            + "whoever holds it acts as that person. You may still revoke their tokens.",
        "其他街道工作人员（或管理员）的令牌和绑定码只能由管理员生成，或在服务器控制台生成（staff token <id>）：持有者即可以其身份操作。您仍可吊销其令牌。");

    /// <summary>
    /// Takes back every credential of a staff member — tokens, unused enrolment codes and chat accounts, which lapse
    /// together (<see cref="LapseAsync"/>): after a lost phone its chat app stays signed in, and would go on approving and
    /// issuing codes as them. By anyone who may handle their account (<see cref="StaffMember.CanManageStaff"/>), a fellow
    /// officer too, since taking credentials away lets nobody act as them; whoever may issue them
    /// (<see cref="StaffMember.CanIssueCredentialsFor"/>: a secretary her community's grid workers, whose lost phone's token
    /// she replaces); themself; the console.
    /// </summary>
    public async Task<Outcome<CredentialsLapsed>> RevokeAllAsync(StaffMember? actor, string staffId, CancellationToken ct = default) =>
        await db.WriteAsync<Outcome<CredentialsLapsed>>(async s =>
        {
            var staff = await s.GetStaffAsync(staffId);
            if (staff is null) return Failure.NotFound("staff-not-found", $"No staff member '{staffId}'.", $"找不到工作人员「{staffId}」。");
            if (actor is not null && !actor.CanIssueCredentialsFor(staff) && !actor.CanManageStaff(staff)) return Failure.Forbidden();
            return await LapseAsync(s, time.GetUtcNow(), staff, actor?.Id ?? StaffActions.Console, "credentials revoked", unbind: true);
        }, ct);

    /// <summary>
    /// A staff member's credentials lapse, in the caller's transaction: their tokens are revoked and their unused enrolment
    /// codes voided, and with <paramref name="unbind"/> each chat account of theirs is unbound (`account-unbound` naming it),
    /// all on record as one `tokens-revoked` saying <paramref name="cause"/>. A chat account is a credential too, bound with
    /// a code someone issued, maybe typed by that someone on a phone of their own. Which phone typed it is not knowable for
    /// every account (bound before the street's record named the code's issuer, 0630), so each account of theirs is
    /// unbound: they bind again with a code from whoever may issue it now. Only someone taken off duty keeps theirs
    /// (without powers, so that back on duty they have it as it was: README's "Personal data kept").
    /// </summary>
    internal static async Task<CredentialsLapsed> LapseAsync(Session s, DateTimeOffset now, StaffMember staff, string by, string cause, bool unbind)
    {
        var revoked = await s.RevokeTokensAsync(staff.Id, now);
        var voided = await s.ReplaceEnrolmentCodesAsync("staff", staff.Id, now);
        var unbound = 0;
        if (unbind)
            foreach (var a in await s.ChatAccountsOfAsync("staff", staff.Id))
                if (await s.StopSpeakingForAsync(a.ChannelId, a.UserId, "staff", staff.Id) is not null)
                {
                    unbound++;
                    await StaffActions.RecordAsync(s, now, staff.StreetId, by, StaffActions.AccountUnbound, StaffActions.Targets.Staff, staff.Id,
                        $"{cause}; {StaffActions.ChatAccount(a.ChannelId, a.UserId)}");
                }
        await StaffActions.RecordAsync(s, now, staff.StreetId, by, StaffActions.TokensRevoked, StaffActions.Targets.Staff, staff.Id,
            $"{revoked}; {cause}; {voided} unused code(s) voided" + (unbind ? $"; {unbound} chat account(s) unbound" : ""));
        return new CredentialsLapsed(revoked, voided, unbound);
    }
}

/// <summary>What a staff member's credentials' lapse took back: tokens revoked, unused enrolment codes voided, chat accounts unbound.</summary>
public sealed record CredentialsLapsed(int Tokens, int CodesVoided, int AccountsUnbound);
