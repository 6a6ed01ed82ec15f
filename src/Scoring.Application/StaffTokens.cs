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

    /// <summary>Issues a new token for a staff member (an officer for their street's staff but not its admins, an admin for anyone, anyone for themself).</summary>
    public async Task<Outcome<string>> IssueAsync(StaffMember? actor, string staffId, CancellationToken ct = default) =>
        await db.WriteAsync<Outcome<string>>(async s =>
        {
            var staff = await s.GetStaffAsync(staffId);
            if (staff is null) return Failure.NotFound("staff-not-found", $"No staff member '{staffId}'.", $"找不到工作人员「{staffId}」。");
            if (actor is not null && actor.Id != staff.Id && !actor.CanManageStaff(staff)) return Failure.Forbidden();
            var token = Ids.Token();
            var now = time.GetUtcNow();
            await s.InsertTokenAsync(Ids.Hash(token), staff.Id, now);
            await StaffActions.RecordAsync(s, now, staff.StreetId, actor?.Id ?? StaffActions.Console, StaffActions.TokenIssued, "staff", staff.Id, staff.Role.ToWire());
            return token;
        }, ct);

    public async Task<Outcome<int>> RevokeAllAsync(StaffMember? actor, string staffId, CancellationToken ct = default) =>
        await db.WriteAsync<Outcome<int>>(async s =>
        {
            var staff = await s.GetStaffAsync(staffId);
            if (staff is null) return Failure.NotFound("staff-not-found", $"No staff member '{staffId}'.", $"找不到工作人员「{staffId}」。");
            if (actor is not null && actor.Id != staff.Id && !actor.CanManageStaff(staff)) return Failure.Forbidden();
            var now = time.GetUtcNow();
            var revoked = await s.RevokeTokensAsync(staffId, now);
            await StaffActions.RecordAsync(s, now, staff.StreetId, actor?.Id ?? StaffActions.Console, StaffActions.TokensRevoked, "staff", staff.Id, $"{revoked}");
            return revoked;
        }, ct);
}
