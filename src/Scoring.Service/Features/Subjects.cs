using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>A subject's score explained (balance, week rank, reward points, recent events), the whole history of a cycle page by page, and the redemptions staff record.</summary>
public static class Subjects
{
    public static IEndpointRouteBuilder MapSubjects(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Subjects");
        staff.MapGet("/subjects/{id}", GetAsync).WithName("GetSubject")
            .WithSummary("A landlord's or shop head's balance, week rank, reward points (and their yuan value) and recent events. The phone is masked except for the subject's secretary and the street's officers. " +
                "cycle is the current cycle the balance is of; previousCycle the one before with its balance, null for someone not on the roster at any moment of it (entered since, or off the roster all of it).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapGet("/subjects/{id}/events", HistoryAsync).WithName("SubjectEvents")
            .WithSummary("Every event behind a landlord's or shop head's balance in one cycle, newest occurrence first, a page at a time: " +
                "?cycle= as the street names its cycles (2026, or 2026-Q4 where it scores by quarters; default the current one), ?status= " +
                "(pending, approved, rejected, revoked), ?limit= (1–500, default 100), ?before= the next of the page before; ?transitions=true adds " +
                "each event's audited transitions (the subject's secretary and the street's officers). The cycle's balance is base 12 plus the approved " +
                "deltas of its items; total counts the events the filter holds.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapGet("/subjects/{id}/redemptions", RedemptionsAsync).WithName("SubjectRedemptions")
            .WithSummary("A landlord's or shop head's redemptions, newest first, each with the yuan recorded at its own rate, who recorded it and when, " +
                "beside the reward account they leave. Who may: as for GET /api/subjects/{id}.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/subjects/{id}/redemptions", RedeemAsync).WithName("RecordRedemption")
            .WithSummary("Records a redemption of reward points (never more than available: 409). The balance does not change. " +
                "Sent without an Idempotency-Key, the same staff member's redemption of the same points with the same note for the subject within two minutes " +
                "is taken for a retry: nothing is spent again, and the first one is answered (200, Idempotent-Replayed: true). Two alike on purpose: give each its own key. " +
                "Nobody records (or reverses) a redemption of their own points, as a landlord or shop head with their phone: 403 conflict-of-interest.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPost("/subjects/{id}/redemptions/{redemptionId}/reverse", ReverseAsync).WithName("ReverseRedemption")
            .WithSummary("Reverses a redemption recorded in error (the wrong points or person, a payout the fund did not make), with a reason " +
                "(400 reason-required without one): who, when and why are kept beside it, it stays listed, and the reward account and the payout sheet " +
                "no longer count it. By those who may record one; once only (409 redemption-reversed). Send an Idempotency-Key: a retry then gets the first answer.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <param name="Overdrawn">Redeemed beyond what was earned (an addition revoked after its points were spent): made up from later earnings first.</param>
    public sealed record RewardView(int Earned, int Redeemed, int Available, decimal YuanPerPoint, decimal AvailableYuan, int Overdrawn);

    /// <summary>An event as the subject's record lists it; <c>ruleVersion</c> is the rule set it was scored with (its delta stays that version's).</summary>
    /// <param name="Week">The week it counted in; <paramref name="Cycle"/> its cycle (a record of December read in January is last cycle's).</param>
    /// <param name="DecidedBy">Who made its last decision (approved — the reporter, for a report approved at once —, rejected or revoked it),
    /// <paramref name="DecidedAt"/> when; <paramref name="Reason"/> is that decision's. Null while pending.</param>
    public sealed record SubjectEventView(string Id, string Rule, string RuleNameZh, string RuleNameEn, int RuleVersion, int Delta, string Status,
        DateTimeOffset OccurredAt, DateTimeOffset ReportedAt, string Reporter, string Evidence, string? Reason, string Week, string Cycle,
        string? DecidedBy, DateTimeOffset? DecidedAt);

    /// <summary>A cycle by its key (2026, 2026-Q4) and its balance.</summary>
    public sealed record CycleBalanceView(string Cycle, int Balance);

    /// <param name="Cycle">The current cycle, which <paramref name="Balance"/> is of.</param>
    /// <param name="PreviousCycle">The cycle before and its balance: after New Year the balance is 12 again while the events listed may be December's.
    /// Null for someone who was not on the roster at any moment of it (entered since, or off the roster all of it).</param>
    /// <param name="ChatUnreachableSince">Since when the bot cannot reach them in chat (they removed or blocked it); null while it can.</param>
    public sealed record SubjectView(string Id, string Name, string Kind, string Street, string Community, string? Phone, bool Active,
        int Balance, string Week, int? WeekRank, int RankedCount, int RewardPoints, decimal YuanValue, RewardView Rewards, IReadOnlyList<SubjectEventView> Events,
        string Cycle, CycleBalanceView? PreviousCycle, DateTimeOffset? ChatUnreachableSince);

    /// <summary>One event of a subject's history: the fields of <see cref="ScoreEventView"/> a subject's page needs, the week it counted in, and why it was rejected or revoked.</summary>
    public sealed record HistoryItemView(string Id, string Rule, string RuleNameZh, string RuleNameEn, int RuleVersion, int Delta, string Status,
        DateTimeOffset OccurredAt, DateTimeOffset ReportedAt, string Reporter, string ReporterRole, string Evidence, string Week, DateTimeOffset? EscalatedAt,
        string? Reason)
    {
        /// <summary>Only when asked for (?transitions=true); as <c>GET /api/events/{id}</c> lists them.</summary>
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public IReadOnlyList<VerificationApi.TransitionView>? Transitions { get; init; }
    }

    /// <param name="Total">How many events of the cycle the filter holds (every page says the same).</param>
    /// <param name="Next">What to pass as ?before= for the next page; null on the last.</param>
    public sealed record SubjectHistoryView(string SubjectId, string Cycle, int Balance, int Total, IReadOnlyList<HistoryItemView> Items, string? Next);

    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    public sealed record RedemptionRequest(int? Points, string? Note);

    public sealed record RedemptionView(string Id, string SubjectId, int Points, decimal Yuan, string Note, DateTimeOffset RecordedAt, string RecordedBy, RewardView Rewards);

    private static async Task<Results<Ok<SubjectView>, ProblemHttpResult>> GetAsync(string id, string? recent, HttpContext http, Scores scores, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        var take = check.OptionalNumber("recent", recent, 1, 200) ?? 20;
        if (check.Failed(out var bad)) return bad;
        var card = await scores.CardForStaffAsync(http.Staff(), id, take, ct);
        if (card.Failure is { } failure) return failure.ToProblem();
        var c = card.Value!;
        var rewards = RewardsOf(c.Rewards, c.YuanPerPoint);
        return TypedResults.Ok(new SubjectView(c.Subject.Id, c.Subject.Name, c.Subject.Kind.ToWire(), c.Subject.StreetId, c.Subject.CommunityId, c.Subject.Phone,
            c.Subject.Active, c.Balance, c.Week.ToString(), c.WeekRank, c.RankedCount, rewards.Available, rewards.AvailableYuan, rewards,
            c.Events.Select(l => new SubjectEventView(l.Event.Id, l.Event.RuleCode, l.RuleNameZh, l.RuleNameEn, l.Event.RuleVersion, l.Event.Delta, l.Event.Status.ToWire(),
                l.Event.OccurredAt, l.Event.ReportedAt, l.Event.ReporterId, l.Event.Evidence, l.Reason, l.Week.ToString(), l.Cycle.Key,
                l.Decision?.ActorId, l.Decision?.At.ToUniversalTime())).ToList(),
            c.Cycle.Key, c.Previous is { } p ? new CycleBalanceView(p.Cycle.Key, p.Balance) : null, c.ChatUnreachableSince));
    }

    private static async Task<Results<Ok<SubjectHistoryView>, ProblemHttpResult>> HistoryAsync(string id, string? cycle, string? status, string? limit, string? before,
        string? transitions, HttpContext http, Scores scores, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        // The form only: whether the street counts by years or quarters is the use case's to say.
        check.That(string.IsNullOrEmpty(cycle) || ScoringCycle.TryParse(cycle, out _, out _),
            new Problem($"cycle '{RosterText.Clip(cycle)}' is not a cycle: write a year like 2026, or a quarter like 2026-Q4 where the street scores by quarters.",
                $"积分周期（cycle）「{RosterText.Clip(cycle)}」无效：请写年份，如 2026；按季度计分的街道写季度，如 2026-Q4。"));
        EventStatus? only = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (Enum.TryParse<EventStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && status.All(char.IsAsciiLetter)) only = parsed;
            else check.That(false, new Problem($"status '{RosterText.Clip(status)}' is unknown: use pending, approved, rejected or revoked.",
                $"状态（status）「{RosterText.Clip(status)}」无效：可用 pending（待核查）、approved（已通过）、rejected（已驳回）或 revoked（已撤销）。"));
        }
        var take = check.OptionalNumber("limit", limit, 1, Scores.MaxHistoryPage) ?? Scores.DefaultHistoryPage;
        HistoryCursor? after = null;
        if (!string.IsNullOrEmpty(before))
        {
            if (HistoryCursor.TryParse(before, out var cursor)) after = cursor;
            else check.That(false, new Problem("before is not a cursor this API gave: pass the next of the page before, as it came.",
                "翻页位置（before）无效：请原样传入上一页答复中的 next。"));
        }
        var withTransitions = check.Flag("transitions", transitions);
        if (check.Failed(out var bad)) return bad;
        var history = await scores.HistoryForStaffAsync(http.Staff(), id, new HistoryQuery(string.IsNullOrEmpty(cycle) ? null : cycle, only, take, after, withTransitions), ct);
        if (history.Failure is { } failure) return failure.ToProblem();
        var h = history.Value!;
        return TypedResults.Ok(new SubjectHistoryView(h.Subject.Id, h.Cycle.Key, h.Balance, h.Total, h.Items.Select(Item).ToList(), h.Next?.ToString()));
    }

    // Instants in UTC, as ScoreEventView writes them: the same event reads the same wherever it is answered.
    private static HistoryItemView Item(HistoryLine l) => new(l.Event.Id, l.Event.RuleCode, l.RuleNameZh, l.RuleNameEn, l.Event.RuleVersion, l.Event.Delta,
        l.Event.Status.ToWire(), l.Event.OccurredAt.ToUniversalTime(), l.Event.ReportedAt.ToUniversalTime(), l.Event.ReporterId, l.Event.ReporterRole.ToWire(),
        l.Event.Evidence, l.Week, l.Event.EscalatedAt?.ToUniversalTime(), l.Reason)
    {
        Transitions = l.Transitions?.Select(VerificationApi.TransitionView.Of).ToList(),
    };

    private static async Task<Results<Created<RedemptionView>, Ok<RedemptionView>, ProblemHttpResult>> RedeemAsync(string id, RedemptionRequest? body, HttpContext http,
        Rewards rewards, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        body = check.Body("{points, note}", body);
        check.That(body?.Points is not null, new("points is required.", "请填写积分（points）。"));
        check.Text("note", body?.Note, Application.Rewards.MaxNoteLength);
        if (check.Failed(out var bad)) return bad;
        // A key tells a retry from a second payment exactly (the middleware replays it); without one, only what it asks for can.
        var keyed = http.Request.Headers.ContainsKey(Idempotency.Header);
        var redemption = await rewards.RedeemAsync(http.Staff(), id, body!.Points!.Value, body.Note, ct, sameRecentlyIsRetry: !keyed);
        if (redemption.Failure is { } failure) return failure.ToProblem();
        var r = redemption.Value!;
        var view = new RedemptionView(r.Id, r.SubjectId, r.Points, r.Yuan, r.Note, r.RecordedAt, r.RecordedBy, RewardsOf(r.Account, r.YuanPerPoint));
        return http.CreatedOrReplayed(r.Replayed, $"/api/subjects/{r.SubjectId}", view);
    }

    /// <summary>One redemption as it was recorded (its yuan at the rate of its day), and its reversal (when, by whom, why) if it was recorded in error.</summary>
    public sealed record RedemptionItemView(string Id, int Points, decimal Yuan, string Note, DateTimeOffset RecordedAt, string RecordedBy,
        DateTimeOffset? ReversedAt, string? ReversedBy, string? ReversalReason);

    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    public sealed record ReversalRequest(string? Reason);

    /// <summary>A reversed redemption: what it was, who reversed it, when and why, and the reward account after it.</summary>
    public sealed record ReversalView(string RedemptionId, string SubjectId, int Points, decimal Yuan, string Note, DateTimeOffset RecordedAt, string RecordedBy,
        DateTimeOffset ReversedAt, string ReversedBy, string Reason, RewardView Rewards);

    private static async Task<Results<Created<ReversalView>, ProblemHttpResult>> ReverseAsync(string id, string redemptionId, ReversalRequest? body, HttpContext http,
        Rewards rewards, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        check.Id("redemptionId", redemptionId);
        body = check.Body("{reason}", body);
        check.Text("reason", body?.Reason, Application.Rewards.MaxNoteLength);
        if (check.Failed(out var bad)) return bad;
        var reversed = await rewards.ReverseAsync(http.Staff(), id, redemptionId, body!.Reason, ct);
        if (reversed.Failure is { } failure) return failure.ToProblem();
        var (r, at, by, reason, account, yuanPerPoint) = reversed.Value!;
        return TypedResults.Created($"/api/subjects/{r.SubjectId}/redemptions",
            new ReversalView(r.Id, r.SubjectId, r.Points, r.Yuan, r.Note, r.RecordedAt, r.RecordedBy, at.ToUniversalTime(), by, reason, RewardsOf(account, yuanPerPoint)));
    }

    public sealed record RedemptionsView(string SubjectId, RewardView Rewards, IReadOnlyList<RedemptionItemView> Items);

    private static async Task<Results<Ok<RedemptionsView>, ProblemHttpResult>> RedemptionsAsync(string id, HttpContext http, Rewards rewards, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        if (check.Failed(out var bad)) return bad;
        var history = await rewards.HistoryAsync(http.Staff(), id, ct);
        if (history.Failure is { } failure) return failure.ToProblem();
        var h = history.Value!;
        return TypedResults.Ok(new RedemptionsView(h.Subject.Id, RewardsOf(h.Account, h.YuanPerPoint),
            h.Items.Select(r => new RedemptionItemView(r.Id, r.Points, r.Yuan, r.Note, r.RecordedAt, r.RecordedBy, r.ReversedAt, r.ReversedBy, r.ReversalReason)).ToList()));
    }

    private static RewardView RewardsOf(RewardAccount a, decimal yuanPerPoint) => new(a.Earned, a.Redeemed, a.Available, yuanPerPoint, a.Yuan(a.Available, yuanPerPoint), a.Overdrawn);
}
