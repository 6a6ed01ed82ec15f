using System.Globalization;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// A subject's score, explained: the balance of the current cycle, this week's standing, the reward account and the events
/// behind them — and the cycle before with its balance, since the recent events may be of it (in the first days of
/// January the card reads 12 again while it lists December's approved points). No cycle before for someone who was not on
/// the roster at any moment of it (entered since, or off the roster all of it): they had no balance then.
/// </summary>
public sealed record ScoreCard(
    Subject Subject,
    int Balance,
    IsoWeek Week,
    int? WeekRank,
    int RankedCount,
    RewardAccount Rewards,
    decimal YuanPerPoint,
    IReadOnlyList<ScoreLine> Events,
    ScoringCycle Cycle,
    CycleBalance? Previous)
{
    /// <summary>
    /// How many events of any status <see cref="Cycle"/> holds (the history's total): more than <see cref="Events"/> lists of
    /// it, and the card says so and what its approved ones add up to (<see cref="Balance"/> less the base).
    /// </summary>
    public int CycleEvents { get; init; }

    /// <summary>Since when the subject cannot be reached in chat (<see cref="ChatReach"/>), on a staff member's card; null otherwise.</summary>
    public DateTimeOffset? ChatUnreachableSince { get; init; }
}

/// <summary>A cycle and the balance of it (base + its approved deltas).</summary>
public sealed record CycleBalance(ScoringCycle Cycle, int Balance);

/// <summary>One event as the subject reads it, with the week and the cycle it counted in.</summary>
public sealed record ScoreLine(ScoreEvent Event, string RuleNameZh, string RuleNameEn, string? Reason, IsoWeek Week, ScoringCycle Cycle)
{
    /// <summary>Its last decision (who approved, rejected or revoked it, when, why), on a staff member's card; null while pending or not asked for.</summary>
    public Transition? Decision { get; init; }
}

/// <summary>
/// Where a page of a subject's history ends: the instant and id of its last event, as an opaque URL-safe text
/// (base64url of <c>ticks.id</c>) that the next request passes back.
/// </summary>
public readonly record struct HistoryCursor(DateTimeOffset OccurredAt, string EventId)
{
    private const int MaxIdLength = 100;

    public override string ToString() => System.Buffers.Text.Base64Url.EncodeToString(
        System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{OccurredAt.UtcTicks}.{EventId}")));

    /// <summary>Reads a cursor back; false for any text that no page gave (an id as ids are written, an instant within range).</summary>
    public static bool TryParse(string? text, out HistoryCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 200) return false;
        Span<byte> bytes = stackalloc byte[160];
        // TryDecodeFromChars answers false only for a short buffer and throws on a character that is not base64url.
        if (!System.Buffers.Text.Base64Url.IsValid(text) || !System.Buffers.Text.Base64Url.TryDecodeFromChars(text, bytes, out var length)) return false;
        string plain;
        try { plain = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[..length]); }
        catch (System.Text.DecoderFallbackException) { return false; }
        var dot = plain.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(plain.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks) return false;
        var id = plain[(dot + 1)..];
        if (id.Length is 0 or > MaxIdLength || !char.IsAsciiLetterOrDigit(id[0]) || id.AsSpan().ContainsAnyExcept(IdCharacters)) return false;
        cursor = new HistoryCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> IdCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
}

/// <summary>What a page of a subject's history asks for: a cycle by its key (null: the current one), one status or all, how many, after which cursor.</summary>
public sealed record HistoryQuery(string? Cycle = null, EventStatus? Status = null, int Limit = Scores.DefaultHistoryPage, HistoryCursor? Before = null,
    bool WithTransitions = false);

/// <summary>One event of a subject's history: the week it counted in, its rule's names, why it was rejected or revoked, and (when asked) its audited transitions.</summary>
public sealed record HistoryLine(ScoreEvent Event, string Week, string RuleNameZh, string RuleNameEn, string? Reason, IReadOnlyList<Transition>? Transitions);

/// <summary>
/// A page of the events behind a subject's balance in one cycle, newest first: the cycle's balance (base + Σ approved
/// deltas, as the score card computes it), how many events the filter holds, and where the next page starts (null at the end).
/// </summary>
public sealed record ScoreHistory(Subject Subject, ScoringCycle Cycle, int Balance, int Total, IReadOnlyList<HistoryLine> Items, HistoryCursor? Next);

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
            if (subject is null) return Failure.SubjectNotFound(subjectId);
            if (!actor.Covers(subject)) return Failure.Forbidden();
            var card = await CardInAsync(s, subject, recent, withDecisions: true) with
            {
                ChatUnreachableSince = await ChatReach.UnreachableSinceAsync(s, "subject", subject.Id),
            };
            return actor.CanVerifyIn(subject.StreetId, subject.CommunityId)
                ? card
                : card with { Subject = card.Subject with { Phone = subject.Phone is null ? null : Domain.Lists.Masking.Phone(subject.Phone) } };
        }, ct);

    public const int DefaultHistoryPage = 100, MaxHistoryPage = 500;

    /// <summary>
    /// A page of a subject's events in a cycle, for street staff in the card's scope (<see cref="CardForStaffAsync"/>);
    /// the audited transitions only for those who verify the subject's reports, as <c>GET /api/events/{id}</c> shows them.
    /// </summary>
    public async Task<Outcome<ScoreHistory>> HistoryForStaffAsync(StaffMember actor, string subjectId, HistoryQuery query, CancellationToken ct = default) =>
        await db.ReadAsync<Outcome<ScoreHistory>>(async s =>
        {
            var subject = await s.GetSubjectAsync(subjectId);
            if (subject is null) return Failure.SubjectNotFound(subjectId);
            if (!actor.Covers(subject)) return Failure.Forbidden();
            if (query.WithTransitions && !actor.CanVerifyIn(subject.StreetId, subject.CommunityId))
                return Failure.Forbidden("An event's audited transitions are for the subject's secretary and the street's officers: ask without transitions.",
                    "记录的审核过程仅限该对象所在社区的书记和街道干部查看，请去掉 transitions 再查询。");
            var street = (await s.GetStreetAsync(subject.StreetId))!;
            var cycle = ScoringCycle.Containing(IsoWeek.Containing(time.GetUtcNow(), street.Settings.TimeZone), street.Settings.Cycle);
            if (query.Cycle is { } key)
            {
                var named = CycleOf(street, key, cycle);
                if (named.Failure is { } refused) return refused;
                cycle = named.Value;
            }
            return await HistoryInAsync(s, subject, street, cycle, query);
        }, ct);

    /// <summary>The cycle a key names, when the street cuts its year that way (the ledger keeps each event's cycle by that key).</summary>
    private static Outcome<ScoringCycle> CycleOf(Street street, string key, ScoringCycle current)
    {
        if (ScoringCycle.TryParse(key, out var cycle, out var kind) && kind == street.Settings.Cycle) return cycle;
        var (en, zh) = street.Settings.Cycle == CycleKind.WeekQuarter ? ("quarters of ISO weeks", "季度（13周）") : ("ISO week-based years", "ISO周年");
        return new Failure(FailureKind.Invalid, "cycle-not-of-street",
            $"cycle '{RosterText.Clip(key)}' is not a cycle of street '{street.Id}', which scores by {en}: name one like {current.Key}.",
            $"「{RosterText.Clip(key)}」不是{street.Name}的积分周期（按{zh}计）：请写成 {current.Key} 这样。") { Field = "cycle" };
    }

    /// <summary>
    /// The subject's own records of the current cycle, a numbered page of <paramref name="size"/> at a time, newest first
    /// (the chat's 积分 明细 [页]): the API's history page (<see cref="HistoryForStaffAsync"/>), started after the pages
    /// before it. Past the last page, no items (and the total, to say how many pages there are).
    /// </summary>
    public async Task<ScoreHistory> OwnHistoryPageInAsync(Session s, Subject subject, int page, int size)
    {
        var street = (await s.GetStreetAsync(subject.StreetId))!;
        var cycle = ScoringCycle.Containing(IsoWeek.Containing(time.GetUtcNow(), street.Settings.TimeZone), street.Settings.Cycle);
        // Walked by the history's own cursor (instant, id), as a client pages the API: no second order to keep in step.
        HistoryCursor? before = null;
        // Counted in long: a page far past the end (积分 明细 300000000) would overflow an int to below 0 and read as page 1.
        for (var skip = (long)(Math.Max(page, 1) - 1) * size; skip > 0;)
        {
            var step = (int)Math.Min(skip, MaxHistoryPage);
            var rows = await s.HistoryAsync(subject.Id, cycle, null, before is { } b ? (b.OccurredAt, b.EventId) : null, step);
            if (rows.Count == 0) break;
            before = new HistoryCursor(rows[^1].OccurredAt, rows[^1].Id);
            skip -= rows.Count;
            if (rows.Count < step) break;
        }
        return await HistoryInAsync(s, subject, street, cycle, new HistoryQuery(Limit: size, Before: before));
    }

    private async Task<ScoreHistory> HistoryInAsync(Session s, Subject subject, Street street, ScoringCycle cycle, HistoryQuery query)
    {
        var take = Math.Clamp(query.Limit, 1, MaxHistoryPage);
        var figures = await s.HistoryFiguresAsync(subject.Id, cycle, query.Status);
        // One more than the page: whether another page follows, without a count of what is left.
        var events = await s.HistoryAsync(subject.Id, cycle, query.Status, query.Before is { } b ? (b.OccurredAt, b.EventId) : null, take + 1);
        var page = events.Take(take).ToList();
        var transitions = page.Count == 0 ? null
            : (await s.HistoryTransitionsAsync(subject.Id, cycle, page[^1].OccurredAt, page[0].OccurredAt)).ToLookup(t => t.EventId);
        var zone = street.Settings.TimeZone;
        var lines = new List<HistoryLine>(page.Count);
        foreach (var e in page)
        {
            var rule = (await Reporting.RuleSetOfAsync(s, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
            var chain = transitions![e.Id].ToList();
            string? reason = e.Status is EventStatus.Rejected or EventStatus.Revoked ? chain.LastOrDefault(t => t.ToStatus == e.Status.ToString())?.Reason : null;
            lines.Add(new HistoryLine(e, IsoWeek.Containing(e.OccurredAt, zone).ToString(), rule?.NameZh ?? e.RuleCode, rule?.NameEn ?? e.RuleCode, reason,
                query.WithTransitions ? chain : null));
        }
        var next = events.Count > take ? new HistoryCursor(page[^1].OccurredAt, page[^1].Id) : (HistoryCursor?)null;
        return new ScoreHistory(subject, cycle, Reporting.BalanceOf(figures.CycleTotal), (int)figures.Total, lines, next);
    }

    /// <summary>
    /// The decision that left an event in <paramref name="status"/>: the last audited change to it (an approval, also the one
    /// recorded with a report approved at once; a rejection; a revocation). Null for a pending event.
    /// </summary>
    public static Transition? LastDecision(IEnumerable<Transition> chain, EventStatus status) => status == EventStatus.Pending ? null
        : chain.LastOrDefault(t => t.Kind == nameof(TransitionKind.Status) && t.ToStatus == status.ToString());

    private static int CountOf(List<ScoreLine> lines, ScoringCycle cycle)
    {
        var n = 0;
        foreach (var line in lines) if (line.Cycle == cycle) n++;
        return n;
    }

    public async Task<ScoreCard?> CardInAsync(Session s, string subjectId, int recent = 10, bool withRank = true) =>
        await s.GetSubjectAsync(subjectId) is { } subject ? await CardInAsync(s, subject, recent, withRank) : null;

    /// <inheritdoc cref="CardInAsync(Session, string, int, bool)"/>
    /// <param name="withDecisions">Each line with its last decision (<see cref="ScoreLine.Decision"/>): staff explaining a score read who
    /// decided what; the chat's card, on the message path, reads only the reasons it shows.</param>
    public async Task<ScoreCard> CardInAsync(Session s, Subject subject, int recent = 10, bool withRank = true, bool withDecisions = false)
    {
        var subjectId = subject.Id;
        var street = (await s.GetStreetAsync(subject.StreetId))!;
        var now = time.GetUtcNow();
        var zone = street.Settings.TimeZone;
        var week = IsoWeek.Containing(now, zone);
        var cycle = ScoringCycle.Containing(week, street.Settings.Cycle);
        ScoringCycle? previous = cycle.First.Year > IsoWeek.MinYear ? ScoringCycle.Containing(cycle.First.Previous(), street.Settings.Cycle) : null;
        var cycleStart = cycle.Start(zone);
        var recentEvents = await s.RecentEventsAsync(subjectId, recent);
        // Newest reported first: when they are all the subject has, or the last was reported before any of this cycle can
        // have been, every event of the cycle is among them and they are the count; only a card whose latest are all this
        // cycle's asks the ledger (a row lookup per event reported since the cycle's floor: its cycle is not in the index).
        var listsWholeCycle = recentEvents.Count < recent || (recentEvents.Count > 0 && recentEvents[^1].ReportedAt < LedgerStore.CycleFloor(cycleStart));
        var figures = await s.CardFiguresAsync(subjectId, cycle, previous is { } p ? (p, zone) : null, cycleStart, countEvents: !listsWholeCycle);
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
        foreach (var e in recentEvents)
        {
            var rule = (await Reporting.RuleSetOfAsync(s, e.StreetId, e.OccurredAt)).Find(e.RuleCode);
            var chain = e.Status is EventStatus.Rejected or EventStatus.Revoked || (withDecisions && e.Status != EventStatus.Pending) ? await s.TransitionsAsync(e.Id) : null;
            string? reason = e.Status is EventStatus.Rejected or EventStatus.Revoked ? chain!.LastOrDefault(t => t.ToStatus == e.Status.ToString())?.Reason : null;
            var counted = IsoWeek.Containing(e.OccurredAt, zone); // as the ledger stored its week
            lines.Add(new ScoreLine(e, rule?.NameZh ?? e.RuleCode, rule?.NameEn ?? e.RuleCode, reason, counted, ScoringCycle.Containing(counted, street.Settings.Cycle))
            {
                Decision = withDecisions && chain is not null ? LastDecision(chain, e.Status) : null,
            });
        }
        return new ScoreCard(subject, balance, week, rank, count, rewards, street.Settings.YuanPerPoint, lines, cycle,
            previous is { } before && figures.InPreviousCycle != 0 ? new CycleBalance(before, Reporting.BalanceOf(figures.PreviousCycleTotal)) : null)
        {
            CycleEvents = listsWholeCycle ? CountOf(lines, cycle) : (int)figures.CycleEvents,
        };
    }
}
