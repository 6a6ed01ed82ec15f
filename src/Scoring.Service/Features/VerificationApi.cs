using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Service.Hosting;
using Scoring.Storage;

namespace Scoring.Service.Features;

/// <summary>
/// The verification loop over HTTP: a community's pending queue (oldest first), approve, reject or revoke with a
/// reason, bulk approval, an event's audited history and the officers' view of the whole street.
/// </summary>
public static class VerificationApi
{
    public const int MaxReason = Verification.MaxReasonLength;
    /// <summary>At most as many ids as one page of the queue shows: a dashboard's "select all, approve" is one call.</summary>
    public const int MaxBulk = Verification.MaxPendingShown;

    public static IEndpointRouteBuilder MapVerification(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Verification");
        staff.MapGet("/communities/{community}/pending", QueueAsync).WithName("PendingQueue")
            .WithSummary("A community's pending reports, oldest first, with who reported them, when, the evidence and the points at stake, each item's community, and another record of the same subject, rule and day (sameDayRecord); at most ?limit= (1–500, default 500) of them, and the total pending.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/communities/{community}/pending/approve", ApproveManyAsync).WithName("ApprovePending")
            .WithSummary($"Approves the selected ids of a community's queue, 1 to {MaxBulk} of them (as many as the queue's largest page shows; more is 400); one result per id, with the decision's fields as a single approve answers them.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapGet("/streets/{street}/pending", StreetQueueAsync).WithName("StreetPending")
            .WithSummary("The officers' view of what is pending in the street; ?escalated=true for the items past the street's window; ?limit= as for a community.");
        staff.MapGet("/events/{id}", EventAsync).WithName("GetEvent")
            .WithSummary("A score event with every audited transition (who, when, why): each change of status, and its escalation to the officers (kind escalation, by system).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/events/{id}/approve", ApproveAsync).WithName("ApproveEvent")
            .WithSummary("Approves a pending event (approving it again changes nothing). Nobody decides a record about themselves (their phone is the subject's): 403 conflict-of-interest.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPost("/events/{id}/reject", RejectAsync).WithName("RejectEvent")
            .WithSummary("Rejects a pending event; the reason is required and the subject reads it. Not a record about oneself (403 conflict-of-interest).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPost("/events/{id}/revoke", RevokeAsync).WithName("RevokeEvent")
            .WithSummary("Revokes an approved event with a reason: a compensating transition, never an edit. Not a record about oneself (403 conflict-of-interest).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public sealed record PendingView(string Id, string SubjectId, string SubjectName, string Kind, string Rule, string RuleNameZh, string RuleNameEn,
        int Delta, string Status, DateTimeOffset OccurredAt, DateTimeOffset ReportedAt, string Reporter, string ReporterRole, string Evidence,
        bool Escalated, bool Overdue, int AgeMinutes,
        [property: System.ComponentModel.Description("The subject's community now (its id), in a community's queue as in the street's: whose item it is, which secretary decides it.")]
        string Community,
        [property: System.ComponentModel.Description("That community's name (方塘村).")]
        string CommunityName,
        [property: System.ComponentModel.Description("Another record, approved or pending, of the same subject under the same rule on the same local day, for a deduction a grid worker or secretary reported, or one with the same evidence for an addition: the same failure or act reported twice, perhaps a copy to reject. Null when there is none, and never looked for on the system's charges or an addition without evidence (as the chat's card: 同一天已有记录).")]
        SameDayRecordView? SameDayRecord,
        [property: System.ComponentModel.Description("Overdue since the deadline of a day before today, not only past today's (the chat's card: 已超过核查时限 rather than 已超过当日核查时限). False when not overdue.")]
        bool OverdueSinceEarlierDay,
        [property: System.ComponentModel.Description("A record about whoever asks (a staff member with the subject's phone): not theirs to decide — approving, rejecting or revoking it is refused with 403 conflict-of-interest; another secretary of the community, a street officer or an admin decides it.")]
        bool OwnRecord,
        [property: System.ComponentModel.Description("The last four digits of the subject's phone when another person of the same name has an item in the same answer (two 应天乐 of one village), to tell them apart; null otherwise, or without a phone (subjectId still tells them apart). Never the whole phone.")]
        string? PhoneLastFour,
        [property: System.ComponentModel.Description("For the system's charge of a late return: the arrival a later report of the same tenant gave for the same stay (a mistyped arrival corrected), so the charge may be waived; null when none (the chat's card: 之后又上报 … 到达).")]
        DateTimeOffset? LaterArrival);

    /// <summary>Another record of the same subject, rule and day: its id and status (approved or pending).</summary>
    public sealed record SameDayRecordView(
        [property: System.ComponentModel.Description("The other record's id (GET /api/events/{id}).")] string Id,
        [property: System.ComponentModel.Description("approved or pending.")] string Status);

    /// <param name="Total">How many are pending in all; <c>items</c> holds the oldest of them.</param>
    public sealed record PendingQueue(IReadOnlyList<PendingView> Items, int Total);

    /// <param name="PublishedWeeksAffected">Weeks already published whose balances this decision changed: their lists stand, a correction may be due.</param>
    /// <param name="RewardsOverdrawn">Reward points redeemed beyond what the subject has earned after this revocation of an addition (its points were paid out already); 0 otherwise.</param>
    public sealed record DecisionView(string Id, string SubjectId, string SubjectName, string Rule, int Delta, string Status, bool Changed, IReadOnlyList<string> PublishedWeeksAffected,
        int RewardsOverdrawn);

    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    public sealed record ReasonRequest(string? Reason);

    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    public sealed record ApproveManyRequest([property: System.ComponentModel.DataAnnotations.MinLength(1), System.ComponentModel.DataAnnotations.MaxLength(MaxBulk)] IReadOnlyList<string>? Ids);

    /// <summary>One id's outcome: the HTTP status it would have had alone, and the event's status (with the published weeks it changed) or the refusal.</summary>
    /// <param name="RewardsOverdrawn">As on a single approve's answer (<see cref="DecisionView"/>); 0 on a refusal.</param>
    public sealed record ApproveManyResult(string Id,
        [property: System.ComponentModel.Description("The HTTP status this id would have had approved alone (200, or the refusal's: 404, 403, 409); the event's own status is eventStatus.")] int Status,
        [property: System.ComponentModel.Description("The event's status after the approval (what status is on a single approve's answer); null when refused.")] string? EventStatus,
        bool Changed, string? Code, string? Detail, string? DetailZh,
        IReadOnlyList<string> PublishedWeeksAffected, int RewardsOverdrawn);

    public sealed record ApproveManyResponse(IReadOnlyList<ApproveManyResult> Results, int Approved, int Refused);

    public sealed record TransitionView(string Kind, string? From, string To, DateTimeOffset At, string Actor, string? Reason)
    {
        /// <summary>An audited transition as every route shows it (kind and statuses in wire words).</summary>
        public static TransitionView Of(Transition t) => new(t.Kind.ToLowerInvariant(), t.FromStatus?.ToLowerInvariant(), t.ToStatus.ToLowerInvariant(), t.At, t.ActorId, t.Reason);
    }

    /// <summary>The event and every audited transition of it.</summary>
    public sealed record EventView : ScoreEventView
    {
        public EventView(ScoreEventView scored, IReadOnlyList<TransitionView> transitions) : base(scored) => Transitions = transitions;

        public IReadOnlyList<TransitionView> Transitions { get; }
    }

    private static async Task<Results<Ok<PendingQueue>, ProblemHttpResult>> QueueAsync(string community, string? limit, HttpContext http, Verification verification, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("community", community);
        var take = check.OptionalNumber("limit", limit, 1, Verification.MaxPendingShown) ?? Verification.MaxPendingShown;
        if (check.Failed(out var bad)) return bad;
        var queue = await verification.QueueAsync(http.Staff(), community, take, ct);
        if (queue.Failure is { } failure) return failure.ToProblem();
        return TypedResults.Ok(Queue(queue.Value!));
    }

    private static async Task<Results<Ok<PendingQueue>, ProblemHttpResult>> StreetQueueAsync(string street, string? escalated, string? limit, HttpContext http, Verification verification, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        var escalatedOnly = check.Flag("escalated", escalated);
        var take = check.OptionalNumber("limit", limit, 1, Verification.MaxPendingShown) ?? Verification.MaxPendingShown;
        if (check.Failed(out var bad)) return bad;
        var queue = await verification.StreetQueueAsync(http.Staff(), street, escalatedOnly, take, ct);
        if (queue.Failure is { } failure) return failure.ToProblem();
        return TypedResults.Ok(Queue(queue.Value!));
    }

    private static PendingQueue Queue(PendingPage page) => new(page.Items.Select(Pending).ToList(), page.Total);

    private static async Task<Results<Ok<ApproveManyResponse>, ProblemHttpResult>> ApproveManyAsync(string community, ApproveManyRequest? body, HttpContext http,
        Verification verification, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("community", community);
        var ids = check.Body("{ids: [...]}", body)?.Ids ?? [];
        check.That(ids.Count is > 0 and <= MaxBulk, new($"ids must list 1 to {MaxBulk} event ids.", $"记录编号列表（ids）须有1至{MaxBulk}个编号。"));
        foreach (var id in ids.Take(MaxBulk)) check.Id("An id", id);
        if (check.Failed(out var bad)) return bad;
        var outcome = await verification.ApproveManyAsync(http.Staff(), community, ids, ct);
        if (outcome.Failure is { } failure) return failure.ToProblem();
        var results = outcome.Value!.Select(r => r.Outcome.Failure is { } f
            ? new ApproveManyResult(r.Id, Problems.StatusOf(f.Kind), null, false, f.Code, f.English, f.Chinese, [], 0)
            : new ApproveManyResult(r.Id, StatusCodes.Status200OK, r.Outcome.Value!.Event.Status.ToWire(), r.Outcome.Value.Changed, null, null, null,
                r.Outcome.Value.PublishedWeeksAffected, r.Outcome.Value.RewardsOverdrawn)).ToList();
        return TypedResults.Ok(new ApproveManyResponse(results, results.Count(r => r.Status == 200), results.Count(r => r.Status != 200)));
    }

    private static async Task<Results<Ok<EventView>, ProblemHttpResult>> EventAsync(string id, HttpContext http, Verification verification, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        if (check.Failed(out var bad)) return bad;
        var record = await verification.EventAsync(http.Staff(), id, ct);
        if (record.Failure is { } failure) return failure.ToProblem();
        var r = record.Value!;
        return TypedResults.Ok(new EventView(ScoreEventView.Of(r.Event, r.Subject, r.RuleNameZh, r.RuleNameEn),
            r.Transitions.Select(TransitionView.Of).ToList()));
    }

    private static Task<Results<Ok<DecisionView>, ProblemHttpResult>> ApproveAsync(string id, HttpContext http, Verification verification, CancellationToken ct) =>
        DecideAsync(id, null, reasonRequired: false, ct, (actor, _) => verification.ApproveAsync(actor, id, ct), http);

    private static Task<Results<Ok<DecisionView>, ProblemHttpResult>> RejectAsync(string id, ReasonRequest? body, HttpContext http, Verification verification, CancellationToken ct) =>
        DecideAsync(id, body, reasonRequired: true, ct, (actor, reason) => verification.RejectAsync(actor, id, reason, ct), http);

    private static Task<Results<Ok<DecisionView>, ProblemHttpResult>> RevokeAsync(string id, ReasonRequest? body, HttpContext http, Verification verification, CancellationToken ct) =>
        DecideAsync(id, body, reasonRequired: true, ct, (actor, reason) => verification.RevokeAsync(actor, id, reason, ct), http);

    private static async Task<Results<Ok<DecisionView>, ProblemHttpResult>> DecideAsync(string id, ReasonRequest? body, bool reasonRequired, CancellationToken ct,
        Func<StaffMember, string?, Task<Outcome<Decision>>> decide, HttpContext http)
    {
        var check = new Checks();
        check.Id("id", id);
        if (reasonRequired) check.Text("reason", body?.Reason, MaxReason, required: true);
        if (check.Failed(out var bad)) return bad;
        var decision = await decide(http.Staff(), body?.Reason);
        if (decision.Failure is { } failure) return failure.ToProblem();
        var (e, subject) = (decision.Value!.Event, decision.Value.Subject);
        return TypedResults.Ok(new DecisionView(e.Id, e.SubjectId, subject.Name, e.RuleCode, e.Delta, e.Status.ToWire(), decision.Value.Changed, decision.Value.PublishedWeeksAffected,
            decision.Value.RewardsOverdrawn));
    }

    private static PendingView Pending(PendingItem i) => new(i.Event.Id, i.Event.SubjectId, i.SubjectName, i.Kind.ToWire(), i.Event.RuleCode, i.RuleNameZh, i.RuleNameEn,
        i.Event.Delta, i.Event.Status.ToWire(), i.Event.OccurredAt, i.Event.ReportedAt, i.Event.ReporterId, i.Event.ReporterRole.ToWire(), i.Event.Evidence,
        i.Escalated, i.Overdue, (int)Math.Max(0, Math.Floor(i.Age.TotalMinutes)), i.CommunityId, i.CommunityName,
        i.SameDay is { } same ? new SameDayRecordView(same.Id, same.Status.ToWire()) : null, i.OverdueSinceEarlierDay, i.Own, i.PhoneLastFour, i.LaterArrival);
}
