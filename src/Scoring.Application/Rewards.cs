using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>A redemption as recorded, and the reward account after it.</summary>
/// <param name="Replayed">A copy of a redemption just recorded (<see cref="PlainRetry"/>): nothing new was recorded.</param>
public sealed record Redemption(string Id, string SubjectId, int Points, decimal Yuan, string Note, DateTimeOffset RecordedAt, string RecordedBy, RewardAccount Account, decimal YuanPerPoint,
    bool Replayed = false);

/// <summary>
/// The reward fund: approved additions earn reward points, staff record what a subject redeemed.
/// A redemption spends the reward account only (never the balance) and never more than is available.
/// </summary>
/// <summary>A redemption reversed as recorded in error: the redemption as it was, who reversed it, when and why, and the account after it.</summary>
public sealed record RedemptionReversal(RedemptionRow Redemption, DateTimeOffset ReversedAt, string ReversedBy, string Reason, RewardAccount Account, decimal YuanPerPoint);

/// <summary>A subject's redemptions (newest first) and the reward account they leave, at today's yuan per point.</summary>
public sealed record RedemptionHistory(Subject Subject, RewardAccount Account, decimal YuanPerPoint, IReadOnlyList<RedemptionRow> Items);

public sealed class Rewards(Database db, TimeProvider time)
{
    public const int MaxNoteLength = 500;
    public const int MaxPointsAtOnce = 10_000;

    public async Task<Outcome<RewardAccount>> AccountAsync(StaffMember actor, string subjectId, CancellationToken ct = default) =>
        await db.ReadAsync<Outcome<RewardAccount>>(async s =>
        {
            var subject = await s.GetSubjectAsync(subjectId);
            if (subject is null) return Failure.SubjectNotFound(subjectId);
            if (!actor.Covers(subject)) return Failure.Forbidden();
            return await AccountInAsync(s, subject.Id);
        }, ct);

    /// <summary>
    /// A subject's redemptions, newest first, each with the yuan recorded at its own rate, beside the account they leave:
    /// what was paid out, when and by whom, for those who may read the subject's score.
    /// </summary>
    public async Task<Outcome<RedemptionHistory>> HistoryAsync(StaffMember actor, string subjectId, CancellationToken ct = default) =>
        await db.ReadAsync<Outcome<RedemptionHistory>>(async s =>
        {
            var subject = await s.GetSubjectAsync(subjectId);
            if (subject is null) return Failure.SubjectNotFound(subjectId);
            if (!actor.Covers(subject)) return Failure.Forbidden();
            var street = (await s.GetStreetAsync(subject.StreetId))!;
            return new RedemptionHistory(subject, await AccountInAsync(s, subject.Id), street.Settings.YuanPerPoint, await s.RedemptionsOfSubjectAsync(subject.Id));
        }, ct);

    /// <summary>Records a redemption by a secretary of the subject's community, an officer of its street or an admin.</summary>
    /// <param name="sameRecentlyIsRetry">
    /// The request carries nothing that tells a copy from a second redemption (no Idempotency-Key): the same staff
    /// member's redemption of the same points with the same note for the subject, recorded within
    /// <see cref="PlainRetry.Window"/>, is this one sent again, and is answered instead of spending twice.
    /// </param>
    public async Task<Outcome<Redemption>> RedeemAsync(StaffMember actor, string subjectId, int points, string? note, CancellationToken ct = default, bool sameRecentlyIsRetry = false)
    {
        // The note stands with the redemption for the street's staff to read: nothing in it may read reordered or hide text.
        var written = RosterText.Text(note, "note", "note", "备注");
        if (written.Failure is { } refused) return refused;
        note = written.Value!;
        if (points <= 0) return Failure.Invalid("points-not-positive", "Redeem at least 1 point.", "兑换积分至少为1分。");
        if (points > MaxPointsAtOnce) return Failure.Invalid("points-too-many", $"Redeem at most {MaxPointsAtOnce} points at once.", $"单次最多兑换{MaxPointsAtOnce}分。");
        if (note.Length > MaxNoteLength) return Failure.Invalid("note-too-long", $"The note is limited to {MaxNoteLength} characters.", $"备注最多{MaxNoteLength}字。");
        // One transaction: the check of what is available and the insert that spends it cannot be split by another redemption.
        return await db.WriteAsync<Outcome<Redemption>>(async s =>
        {
            var subject = await s.GetSubjectAsync(subjectId);
            if (subject is null) return Failure.SubjectNotFound(subjectId);
            if (!actor.CanVerifyIn(subject.StreetId, subject.CommunityId))
                return Failure.Forbidden("Redemptions are recorded by the subject's secretary or the street's officers.", "兑换由所在社区书记或街道工作人员登记。");
            if (OwnRecords.IsOwn(actor, subject)) return OwnRecords.Redemption(actor);
            // Not the cached street: the yuan recorded stand for good, at the rate an officer set a moment ago on another
            // instance. Read first: on SQL Server it holds the street's row, so two copies of one redemption, or two
            // redemptions of one account, on two instances do not both find it unspent.
            var street = (await s.GetStreetForChangeAsync(subject.StreetId))!;
            var now = time.GetUtcNow();
            var account = await AccountInAsync(s, subject.Id);
            if (sameRecentlyIsRetry && (await s.RedemptionsOfSubjectAsync(subject.Id)).FirstOrDefault(r => r.ReversedAt is null &&
                    r.RecordedBy == actor.Id && r.Points == points && r.Note == note && PlainRetry.Covers(r.RecordedAt, now)) is { } first)
                return new Redemption(first.Id, first.SubjectId, first.Points, first.Yuan, first.Note, first.RecordedAt, first.RecordedBy, account, street.Settings.YuanPerPoint, Replayed: true);
            if (!account.CanRedeem(points))
                return NotEnough(subject, account, points);
            var yuanPerPoint = street.Settings.YuanPerPoint;
            var row = new RedemptionRow
            {
                // The id as stored: SQL Server's case-insensitive collation finds the subject by another spelling too.
                Id = Ids.Ordered(now), SubjectId = subject.Id, Points = points, Yuan = account.Yuan(points, yuanPerPoint), Note = note,
                RecordedAt = now, RecordedBy = actor.Id,
            };
            await s.InsertRedemptionAsync(row);
            return new Redemption(row.Id, row.SubjectId, row.Points, row.Yuan, row.Note, row.RecordedAt, row.RecordedBy,
                account with { Redeemed = account.Redeemed + points }, yuanPerPoint);
        }, ct);
    }

    /// <summary>
    /// Reverses a redemption recorded in error (the wrong points, the wrong person, a payout the fund did not make): who,
    /// when and why are recorded beside it, the redemption stays readable, and the account and the payout sheet no longer
    /// count it. Once only (409 <c>redemption-reversed</c>); by those who may record one.
    /// </summary>
    public async Task<Outcome<RedemptionReversal>> ReverseAsync(StaffMember actor, string subjectId, string redemptionId, string? reason, CancellationToken ct = default)
    {
        // The street's staff read the reason beside the redemption: nothing in it may read reordered or hide text.
        var written = RosterText.Text(reason, "reason", "reason", "原因");
        if (written.Failure is { } refused) return refused;
        reason = written.Value?.Trim();
        if (string.IsNullOrEmpty(reason))
            return Failure.Invalid("reason-required", "Say why the redemption is reversed: it stands beside it for good.", "请填写撤销兑换的原因，它会与该兑换记录一起保留。");
        if (reason.Length > MaxNoteLength) return Failure.Invalid("reason-too-long", $"The reason is limited to {MaxNoteLength} characters.", $"原因最多{MaxNoteLength}字。");
        return await db.WriteAsync<Outcome<RedemptionReversal>>(async s =>
        {
            var subject = await s.GetSubjectAsync(subjectId);
            if (subject is null) return Failure.SubjectNotFound(subjectId);
            if (!actor.CanVerifyIn(subject.StreetId, subject.CommunityId))
                return Failure.Forbidden("Redemptions are reversed by the subject's secretary or the street's officers.", "兑换由所在社区书记或街道工作人员撤销。");
            if (OwnRecords.IsOwn(actor, subject)) return OwnRecords.Redemption(actor, reversal: true);
            // Held as a redemption holds it (on SQL Server), so two reversals of one redemption do not both find it standing.
            var street = (await s.GetStreetForChangeAsync(subject.StreetId))!;
            var row = await s.GetRedemptionAsync(redemptionId.Trim());
            if (row is null || row.SubjectId != subject.Id)
                return Failure.NotFound("redemption-not-found", $"{subject.Name} has no redemption '{redemptionId}'.", $"{subject.Name}没有编号为「{redemptionId}」的兑换记录。");
            if (row.ReversedAt is { } at)
                return Failure.Conflict("redemption-reversed",
                    $"Redemption {row.Id} was already reversed, at {at.ToUniversalTime():yyyy-MM-dd HH:mm} UTC by {row.ReversedBy}: {row.ReversalReason}",
                    $"兑换记录{row.Id}已于 {TimeZoneInfo.ConvertTime(at, street.Settings.TimeZone):yyyy-MM-dd HH:mm} 由{row.ReversedBy}撤销，原因：{row.ReversalReason}");
            var now = time.GetUtcNow();
            await s.InsertRedemptionReversalAsync(row.Id, now, actor.Id, reason);
            return new RedemptionReversal(row, now, actor.Id, reason, await AccountInAsync(s, subject.Id), street.Settings.YuanPerPoint);
        }, ct);
    }

    public static readonly IReadOnlyList<string> PayoutHeader =
        ["对象编号", "类型", "姓名", "电话", "社区", "在册", "累计奖励积分", "已兑换积分", "已兑换金额（元）", "透支积分", "可兑换积分", "每分金额（元）", "可兑换金额（元）"];

    /// <summary>
    /// Each subject's reward account, for the office paying out the fund (officers: the street; secretaries: their community,
    /// as the ledger export): points earned, redeemed (and the yuan recorded when they were), overdrawn, and what is left to
    /// pay at today's yuan per point. Everyone on the roster, and anyone taken off it who is still owed or overdrawn.
    /// </summary>
    public async Task<Outcome<ExportTable>> PayoutAsync(StaffMember actor, string streetId, CancellationToken ct = default)
    {
        var scope = RosterExport.Scope(actor, streetId);
        if (!scope.Succeeded) return scope.Failure!;
        var community = scope.Value;
        return await db.ReadAsync<Outcome<ExportTable>>(async s =>
        {
            var street = await s.GetStreetAsync(streetId);
            if (street is null) return Failure.StreetNotFound(streetId);
            var yuanPerPoint = street.Settings.YuanPerPoint;
            var earned = await s.EarnedOfStreetAsync(streetId);
            var redeemed = (await s.RedemptionsOfStreetAsync(streetId)).GroupBy(r => r.SubjectId)
                .ToDictionary(g => g.Key, g => (Points: g.Sum(r => r.Points), Yuan: g.Sum(r => r.Yuan)));
            var rows = new List<object?[]>();
            foreach (var x in (await s.ListSubjectsAsync(streetId, community))
                         .OrderBy(x => x.CommunityId, StringComparer.Ordinal).ThenBy(x => x.Kind).ThenBy(x => x.Id, StringComparer.Ordinal))
            {
                var spent = redeemed.GetValueOrDefault(x.Id);
                var account = new RewardAccount((int)earned.GetValueOrDefault(x.Id), spent.Points);
                if (!x.Active && account.Available == 0 && account.Overdrawn == 0) continue;
                rows.Add(
                [
                    x.Id, x.Kind.NameZh(), x.Name, x.Phone ?? "", x.CommunityId, x.Active ? "是" : "否", account.Earned, account.Redeemed, spent.Yuan,
                    account.Overdrawn, account.Available, yuanPerPoint, account.Yuan(account.Available, yuanPerPoint),
                ]);
            }
            return new ExportTable("奖励积分兑付", PayoutHeader, rows);
        }, ct);
    }

    internal static async Task<RewardAccount> AccountInAsync(Session s, string subjectId) =>
        new((int)await s.ApprovedAdditionsAsync(subjectId), (int)await s.RedeemedPointsAsync(subjectId));

    /// <summary>
    /// Refused, with the account's figures: an overdrawn account (an addition revoked after its points were redeemed) says
    /// so, or whoever sees points earned since would not know why none can be redeemed.
    /// </summary>
    private static Failure NotEnough(Subject subject, RewardAccount account, int points) => account.Overdrawn > 0
        ? Failure.Conflict("not-enough-points",
            $"{subject.Name} has {account.Available} reward points available ({account.Earned} earned, {account.Redeemed} redeemed: {account.Overdrawn} overdrawn, " +
            $"as an addition already redeemed was revoked; later earnings make it up first); {points} cannot be redeemed.",
            $"{subject.Name}可兑换积分为{account.Available}分（累计{account.Earned}分，已兑换{account.Redeemed}分，透支{account.Overdrawn}分：已兑换的加分有被撤销的，之后获得的奖励积分先抵扣），不能兑换{points}分。")
        : Failure.Conflict("not-enough-points",
            $"{subject.Name} has {account.Available} reward points available; {points} cannot be redeemed.",
            $"{subject.Name}可兑换积分为{account.Available}分，不能兑换{points}分。");

}
