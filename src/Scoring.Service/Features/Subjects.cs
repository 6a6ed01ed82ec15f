using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>A subject's score explained (balance, week rank, reward points, recent events) and the redemptions staff record.</summary>
public static class Subjects
{
    public static IEndpointRouteBuilder MapSubjects(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Subjects");
        staff.MapGet("/subjects/{id}", GetAsync).WithName("GetSubject")
            .WithSummary("A landlord's or shop head's balance, week rank, reward points (and their yuan value) and recent events. The phone is masked except for the subject's secretary and the street's officers.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/subjects/{id}/redemptions", RedeemAsync).WithName("RecordRedemption")
            .WithSummary("Records a redemption of reward points (never more than available: 409). The balance does not change.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public sealed record RewardView(int Earned, int Redeemed, int Available, decimal YuanPerPoint, decimal AvailableYuan);

    public sealed record SubjectEventView(string Id, string Rule, string RuleNameZh, string RuleNameEn, int Delta, string Status,
        DateTimeOffset OccurredAt, DateTimeOffset ReportedAt, string Reporter, string Evidence, string? Reason);

    public sealed record SubjectView(string Id, string Name, string Kind, string Street, string Community, string? Phone, bool Active,
        int Balance, string Week, int? WeekRank, int RankedCount, int RewardPoints, decimal YuanValue, RewardView Rewards, IReadOnlyList<SubjectEventView> Events);

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
            c.Events.Select(l => new SubjectEventView(l.Event.Id, l.Event.RuleCode, l.RuleNameZh, l.RuleNameEn, l.Event.Delta, l.Event.Status.ToWire(),
                l.Event.OccurredAt, l.Event.ReportedAt, l.Event.ReporterId, l.Event.Evidence, l.Reason)).ToList()));
    }

    private static async Task<Results<Created<RedemptionView>, ProblemHttpResult>> RedeemAsync(string id, RedemptionRequest? body, HttpContext http,
        Rewards rewards, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        body = check.Required("The body ({points, note})", body);
        check.That(body?.Points is not null, "points is required.");
        check.Text("note", body?.Note, Application.Rewards.MaxNoteLength);
        if (check.Failed(out var bad)) return bad;
        var redemption = await rewards.RedeemAsync(http.Staff(), id, body!.Points!.Value, body.Note, ct);
        if (redemption.Failure is { } failure) return failure.ToProblem();
        var r = redemption.Value!;
        return TypedResults.Created($"/api/subjects/{r.SubjectId}",
            new RedemptionView(r.Id, r.SubjectId, r.Points, r.Yuan, r.Note, r.RecordedAt, r.RecordedBy, RewardsOf(r.Account, r.YuanPerPoint)));
    }

    private static RewardView RewardsOf(RewardAccount a, decimal yuanPerPoint) => new(a.Earned, a.Redeemed, a.Available, yuanPerPoint, a.Yuan(a.Available, yuanPerPoint));
}
