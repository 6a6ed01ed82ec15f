using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain.Ledger;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>
/// Reports through the API: the same Reporting use case as the chat's 扣分/违规/代办, for staff who work from
/// a desk or another system (a grid worker's observation, a secretary's own record).
/// </summary>
public static class Reports
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Reports");
        staff.MapPost("/subjects/{id}/events", ReportAsync).WithName("ReportEvent")
            .WithSummary("Reports an event under a rule for a landlord or shop head (pending when it needs a secretary's check). " +
                         "An Idempotency-Key is required (428 idempotency-key-required without one): a retried request gets the first answer and never scores twice. " +
                         "The same addition (reporter, subject, rule, evidence) already recorded, pending or approved, occurring the same local day is answered 200 with that record " +
                         "and alreadyRecorded: true, whatever the key: nothing is scored twice for one act.")
            .RequireIdempotencyKey()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithMetadata(new ApiDocs.Answer(StatusCodes.Status409Conflict, "Conflict: the rule's weekly cap is reached (cap-reached), what it scores once is recorded already " +
                "(recorded-once, reopen-recorded, round-missed-recorded), or this Idempotency-Key was used by the same staff member for a report of another subject or rule (source-reused)."));
        return app;
    }

    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    public sealed record ReportBody(string? Rule, string? Evidence,
        [property: System.ComponentModel.Description("When it happened, with its offset (2026-11-22T20:00:00+08:00, or Z for UTC); absent, the time of the report. " +
            "A time without an offset is refused (400 invalid-input, field occurredAt), never read in the server's or the street's time zone.")]
        DateTimeOffset? OccurredAt);

    /// <summary>
    /// The event as reported, and the subject's balance after it (the current cycle's); the week and cycle it counts in,
    /// that cycle's balance when it is over (<c>cycleBalance</c>, null while it is the current one), and the published weeks
    /// it changed, approved as it was recorded (<c>publishedWeeksAffected</c>, as an approval's answer names them); for a
    /// deduction, another approved or pending record of the subject under the rule on the same day (<c>sameDayRecord</c>, its id
    /// and status, as the pending queue's items name it; null when there is none): the same failure reported twice, to check, as the chat's receipt says.
    /// </summary>
    public sealed record ReportedEvent : ScoreEventView
    {
        public ReportedEvent(ScoreEventView reported, ReportReceipt r) : base(reported)
        {
            Balance = r.Balance;
            Week = r.Week.ToString();
            Cycle = r.Cycle.Key;
            CycleBalance = r.Earlier?.Balance;
            PublishedWeeksAffected = r.PublishedWeeksAffected;
            SameDayRecord = r.SameDay is { } same ? new VerificationApi.SameDayRecordView(same.Id, same.Status.ToWire()) : null;
            AlreadyRecorded = r.AlreadyRecorded;
        }

        [System.ComponentModel.Description("True when this request, under its own Idempotency-Key, was the same report as one already recorded — the same addition by the same reporter " +
            "about the subject under the rule with the same evidence, pending or approved, occurring the same local day — and is answered with that record " +
            "(its reportedAt says when): nothing was scored for it. False for a new record and for a retry of the same key.")]
        public bool AlreadyRecorded { get; }

        public int Balance { get; }
        public string Week { get; }
        public string Cycle { get; }
        public int? CycleBalance { get; }
        public IReadOnlyList<string> PublishedWeeksAffected { get; }
        [System.ComponentModel.Description("Another record, approved or pending, of the same subject under the same rule on the same local day, for a deduction a grid worker or secretary reported: the same failure reported twice, perhaps a copy. Null when there is none (never looked for on additions or the system's charges).")]
        public VerificationApi.SameDayRecordView? SameDayRecord { get; }
    }

    private static async Task<Results<Created<ReportedEvent>, Ok<ReportedEvent>, ProblemHttpResult>> ReportAsync(
        string id, ReportBody? body, HttpContext http, Reporting reporting, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        body = check.Body("{rule, evidence, occurredAt?}", body);
        check.Id("rule", body?.Rule);
        var evidence = check.Text("evidence", body?.Evidence, Reporting.MaxEvidenceLength, required: true);
        if (check.Failed(out var bad)) return bad;

        var staff = http.Staff();
        // The ledger's own guard against double scoring: the same key from the same person is the same report (the
        // route takes none without a key). Hashed: keys are case-sensitive, and SQL Server compares text without case by default.
        var source = $"api:{staff.Id}:{Idempotency.Sha256Hex(http.Request.Headers[Idempotency.Header].ToString())}";
        var outcome = await reporting.ReportAsync(new ReportRequest(Actor.Of(staff), id, body!.Rule!, source, evidence!, body.OccurredAt), ct);
        if (outcome.Failure is { } failure) return failure.ToProblem();
        var r = outcome.Value!;
        var view = new ReportedEvent(ScoreEventView.Of(r.Event, r.Subject, r.Rule.NameZh, r.Rule.NameEn), r);
        // A same-day copy under another key is not this key's replay: 200 saying so in the body, without Idempotent-Replayed.
        if (r.AlreadyRecorded) return TypedResults.Ok(view);
        return http.CreatedOrReplayed(r.Replayed, $"/api/events/{r.Event.Id}", view);
    }
}
