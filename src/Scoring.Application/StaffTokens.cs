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
    /// Revokes every token of a staff member: anyone who may handle their account (<see cref="StaffMember.CanManageStaff"/>),
    /// a fellow officer too, since taking credentials away lets nobody act as them; whoever may issue them
    /// (<see cref="StaffMember.CanIssueCredentialsFor"/>: a secretary her community's grid workers, whose lost phone's token
    /// she replaces); themself; the console.
    /// </summary>
    public async Task<Outcome<int>> RevokeAllAsync(StaffMember? actor, string staffId, CancellationToken ct = default) =>
        await db.WriteAsync<Outcome<int>>(async s =>
        {
            var staff = await s.GetStaffAsync(staffId);
            if (staff is null) return Failure.NotFound("staff-not-found", $"No staff member '{staffId}'.", $"找不到工作人员「{staffId}」。");
            if (actor is not null && !actor.CanIssueCredentialsFor(staff) && !actor.CanManageStaff(staff)) return Failure.Forbidden();
            var now = time.GetUtcNow();
            var revoked = await s.RevokeTokensAsync(staffId, now);
            await StaffActions.RecordAsync(s, now, staff.StreetId, actor?.Id ?? StaffActions.Console, StaffActions.TokensRevoked, StaffActions.Targets.Staff, staff.Id, $"{revoked}");
            return revoked;
        }, ct);
}
