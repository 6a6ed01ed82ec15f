using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Lists;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// Everything the street holds about one landlord or shop head, for an access request (我的信息有哪些): the roster record
/// (the identity card by its last four only), their tenants and shops on the list or off it, the chat accounts that speak
/// for them (masked), their redemptions, their events, and what staff did about them and their tenants and shops.
/// </summary>
public sealed record PersonalDataExport(Subject Subject, string? IdCardLastFour, IReadOnlyList<Tenant> Tenants, IReadOnlyList<Shop> Shops,
    IReadOnlyList<SubjectChatAccount> ChatAccounts, IReadOnlyList<RedemptionRow> Redemptions, IReadOnlyList<ScoreEvent> Events, IReadOnlyList<StaffAction> StaffActions);

/// <summary>An erasure on request: whose, when, and what it took away (in counts).</summary>
public sealed record ErasureOnRequest(Subject Subject, DateTimeOffset ErasedAt, OffRosterStore.Erased Erased);

/// <summary>
/// A person's rights over their data at the street office (PIPL's access and deletion): their data in one answer, and
/// the erasure of someone off the roster at once, on request or for a record entered by mistake, without waiting for
/// the hourly round's horizon (<see cref="OffRosterErasure"/>). The erasure is that round's own
/// (<see cref="OffRosterStore.EraseSubjectAsync"/>): name masked, phone, identity card and codes gone, tenants made
/// anonymous, chat accounts unbound, the ledger and the published lists untouched.
/// </summary>
public sealed class PersonalData(Database db, TimeProvider time)
{
    public const int MaxReason = 500;


    public Task<Outcome<PersonalDataExport>> ExportAsync(StaffMember actor, string subjectId, CancellationToken ct = default) =>
        db.ReadAsync<Outcome<PersonalDataExport>>(async s =>
        {
            var subject = await s.GetSubjectAsync(subjectId);
            if (subject is null) return Failure.SubjectNotFound(subjectId);
            // Those who see the phone in full and answer for the person: their community's secretary, the street's officers.
            if (!actor.CanVerifyIn(subject.StreetId, subject.CommunityId))
                return Failure.Forbidden("A person's data is given out by their community's secretary or the street's officers.",
                    "个人信息仅由所在社区书记或街道工作人员调取。");
            return new PersonalDataExport(subject, (await s.GetIdentityCardAsync(subject.Id))?.LastFour,
                await s.ListTenantsAsync(subject.Id), await s.ListShopsAsync(subject.Id), await SubjectChatAccounts.AccountsOfAsync(s, subject.Id),
                await s.RedemptionsOfSubjectAsync(subject.Id), await s.EventsOfSubjectAsync(subject.Id, DateTimeOffset.UnixEpoch),
                // The chat accounts that acted (took a code, unbound themselves) by their user ids masked, as the accounts are.
                (await s.StaffActionsAboutSubjectAsync(subject.Id)).Select(a => new StaffAction
                {
                    Id = a.Id, StreetId = a.StreetId, At = a.At, ActorId = SubjectChatAccounts.MaskedActor(a.ActorId), Action = a.Action,
                    TargetKind = a.TargetKind, TargetId = a.TargetId, Detail = a.Detail,
                }).ToList());
        }, ct);

    /// <summary>
    /// Erases someone off the roster now, with a reason kept on the street's record (<c>subject-erased</c>, by the officer).
    /// Officers only: it cannot be undone. Someone on the roster is taken off first (409 <c>subject-on-roster</c>): the
    /// erasure would otherwise take a person still scored off every list and chat.
    /// </summary>
    public async Task<Outcome<ErasureOnRequest>> EraseAsync(StaffMember actor, string subjectId, string? reason, CancellationToken ct = default)
    {
        var written = RosterText.Text(reason, "reason", "reason", "原因");
        if (written.Failure is { } refused) return refused;
        var why = written.Value!;
        if (why.Length == 0)
            return Failure.Invalid("reason-required", "Say why the person is erased (a request of theirs, a record entered by mistake): it is kept on the street's record.",
                "请填写删除原因（本人申请、误录等），它会记入街道的操作记录。") with { Field = "reason" };
        if (why.Length > MaxReason)
            return Failure.Invalid("reason-too-long", $"The reason is limited to {MaxReason} characters.", $"原因最多{MaxReason}字。") with { Field = "reason" };
        // The record keeps the reason for good, and the person's data is what goes: it must not come back in it.
        if (Masking.GivesAwayAPerson(why, []))
            return Failure.Invalid("reason-personal", "Write the reason without a phone or identity-card number: it is kept for good.",
                "原因中请不要写电话或身份证号：它会长期保留。") with { Field = "reason" };
        return await db.WriteAsync<Outcome<ErasureOnRequest>>(async s =>
        {
            var subject = await s.GetSubjectForChangeAsync(subjectId);
            if (subject is null) return Failure.SubjectNotFound(subjectId);
            if (!actor.CanRunStreet(subject.StreetId))
                return Failure.Forbidden("Only the street's officers erase a person's data: it cannot be undone.", "只有街道工作人员可以删除个人信息（删除后无法恢复）。");
            if (subject.ErasedAt is { } at)
                return Failure.Conflict("subject-erased", $"{subject.Name}'s personal data was erased already, at {at.ToUniversalTime():yyyy-MM-dd HH:mm} UTC.",
                    $"{subject.Name}的个人信息已于 {at.ToUniversalTime():yyyy-MM-dd HH:mm}（UTC）删除。");
            if (subject.Active)
                return Failure.Conflict("subject-on-roster", $"{subject.Name} is on the roster: take them off it first (POST /api/subjects/{subject.Id}/deactivate), then erase.",
                    $"{subject.Name}仍在名册上：请先将其停用（移出名册），再删除其个人信息。");
            var now = time.GetUtcNow();
            // The round's guard asks them off the roster since before a moment: any moment after now is "still off it now"
            // (taken off this very instant included), checked again as the row is written.
            var done = await s.EraseSubjectAsync(subject.Id, Masking.Name(subject.Name), now.AddMinutes(1), now);
            if (done is null)
                return Failure.Conflict("subject-on-roster", $"{subject.Name} is back on the roster: erase only someone off it.", $"{subject.Name}已回到名册上，不能删除其个人信息。");
            await StaffActions.RecordAsync(s, now, subject.StreetId, actor.Id, StaffActions.SubjectErased, StaffActions.Targets.Subject, subject.Id,
                $"on request: {why}; {subject.Kind.ToWire()}; tenants made anonymous {done.Tenants}, chat accounts that stopped speaking for them {done.AccountsStoppedSpeaking} ({done.AccountsUnbound} of them now unbound)");
            return new ErasureOnRequest((await s.GetSubjectAsync(subject.Id))!, now, done);
        }, ct);
    }
}
