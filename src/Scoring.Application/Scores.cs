using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>A subject's score, explained: the balance, this week's standing, the reward account and the events behind them.</summary>
public sealed record ScoreCard(
    Subject Subject,
    int Balance,
    IsoWeek Week,
    int? WeekRank,
    int RankedCount,
    RewardAccount Rewards,
    decimal YuanPerPoint,
    IReadOnlyList<ScoreLine> Events);

/// <summary>One event as the subject reads it.</summary>
public sealed record ScoreLine(ScoreEvent Event, string RuleNameZh, string RuleNameEn, string? Reason);

/// <summary>Reading scores: the same answer for the chat's 积分 and the API's GET /api/subjects/{id}.</summary>
public sealed class Scores(Database db, TimeProvider time)
{
    /// <summary>
    /// A week's ranks are computed over the whole street, so they are kept briefly: a score card's rank may
    /// be up to twice this old, plus the time one recomputation takes (its balance and events never are).
    /// </summary>
    public static readonly TimeSpan RankLifetime = TimeSpan.FromSeconds(10);

    public Task<ScoreCard?> CardAsync(string subjectId, int recent = 10, bool withRank = true, CancellationToken ct = default) =>
        db.ReadAsync(s => CardInAsync(s, subjectId, recent, withRank), ct);

    /// <summary>
    /// A subject's card for street staff in scope. The phone number is shown only to those who answer for the
    /// subject (its community's secretary, the street's officers); anyone else in scope reads it masked.
    /// </summary>
    public async Task<Outcome<ScoreCard>> CardForStaffAsync(StaffMember actor, string subjectId, int recent = 10, CancellationToken ct = default) =>
        await db.ReadAsync<Outcome<ScoreCard>>(async s =>
        {
            var subject = await s.GetSubjectAsync(subjectId);
            if (subject is null) return Failure.NotFound("subject-not-found", $"No landlord or shop head '{subjectId}'.", $"找不到房东或铺长「{subjectId}」。");
            if (!actor.Covers(subject)) return Failure.Forbidden();
            var card = (await CardInAsync(s, subjectId, recent))!;
            return actor.CanVerifyIn(subject.StreetId, subject.CommunityId)
                ? card
                : card with { Subject = card.Subject with { Phone = subject.Phone is null ? null : Domain.Lists.Masking.Phone(subject.Phone) } };
        }, ct);

    public async Task<ScoreCard?> CardInAsync(Session s, string subjectId, int recent = 10, bool withRank = true) =>
        await s.GetSubjectAsync(subjectId) is { } subject ? await CardInAsync(s, subject, recent, withRank) : null;

    /// <inheritdoc cref="CardInAsync(Session, string, int, bool)"/>
    public async Task<ScoreCard> CardInAsync(Session s, Subject subject, int recent = 10, bool withRank = true)
    {
        var subjectId = subject.Id;
        var street = (await s.GetStreetAsync(subject.StreetId))!;
        var now = time.GetUtcNow();
        var zone = street.Settings.TimeZone;
        var week = IsoWeek.Containing(now, zone);
        var cycle = ScoringCycle.Containing(week, street.Settings.Cycle);
        var figures = await s.CardFiguresAsync(subjectId, cycle);
        var balance = Reporting.BalanceOf(figures.CycleTotal);
        int? rank = null;
        int count = 0;
        if (withRank)
        {
            // Ranked on a reader of committed figures even inside a chat turn's write: the ranks are shared by the
            // whole street, so neither the turn's uncommitted change nor the time a street's ranking takes belong
            // in the writer's transaction.
            var ranks = await db.Cache.GetOrRefreshAsync($"ranks:{street.Id}:{subject.Kind}:{week}", () => db.ReadAsync(async r =>
            {
                var rows = await r.WeekFiguresAsync(street.Id, subject.Kind, null, cycle, week, street.Settings.TimeZone);
                var standings = Domain.Lists.WeeklyRanking.Rank(rows.Select(x => new Domain.Lists.RankedSubject(x.SubjectId, x.Name, x.CommunityId, x.ToFigures())));
                return standings.ToDictionary(x => x.SubjectId, x => x.Rank);
            }), RankLifetime);
            rank = ranks.TryGetValue(subjectId, out var r0) ? r0 : null;
            count = ranks.Count;
        }
        var rewards = new RewardAccount((int)figures.ApprovedAdditions, (int)figures.RedeemedPoints);
        var lines = new List<ScoreLine>();
        foreach (var e in await s.RecentEventsAsync(subjectId, recent))
        {
            var rule = (await Reporting.RuleSetOfAsync(s, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
            string? reason = e.Status is EventStatus.Rejected or EventStatus.Revoked
                ? (await s.TransitionsAsync(e.Id)).LastOrDefault(t => t.ToStatus == e.Status.ToString())?.Reason : null;
            lines.Add(new ScoreLine(e, rule?.NameZh ?? e.RuleCode, rule?.NameEn ?? e.RuleCode, reason));
        }
        return new ScoreCard(subject, balance, week, rank, count, rewards, street.Settings.YuanPerPoint, lines);
    }
}
