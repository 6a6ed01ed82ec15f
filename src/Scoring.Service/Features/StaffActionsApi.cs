using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>The street's record of what staff did to accounts and the roster, for its officers.</summary>
public static class StaffActionsApi
{
    public const int DefaultPage = 50;

    public static IEndpointRouteBuilder MapStaffActions(this IEndpointRouteBuilder app)
    {
        app.StaffRoutes("Staff").MapGet("/streets/{street}/staff-actions", ReadAsync).WithName("StaffActions")
            .WithSummary("What staff did to accounts and the roster, newest first: tokens issued and revoked, enrolment codes issued and taken by " +
                "a chat account, staff created and changed, landlords and shop heads taken off or back on the lists and erased (long off them, by retention; on request, by an officer), roster files imported, rules " +
                $"published. ?limit= (1–{StaffActions.MaxPage}, default {DefaultPage}), ?before= the next of the page before. Officers of the street and admins; else 403.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="Actor">A staff member's id, <c>console</c> for the command line, or the chat account (channel:user, a number in it masked) that took a code.</param>
    /// <param name="Detail">Roles, counts, versions — never a phone, a code or a token.</param>
    public sealed record StaffActionView(string Id, DateTimeOffset At, string Actor, string Action, string TargetKind, string TargetId, string? Detail);

    /// <param name="Next">What to pass as ?before= for the next (older) page; null on the last.</param>
    public sealed record StaffActionsView(string Street, IReadOnlyList<StaffActionView> Items, string? Next);

    private static async Task<Results<Ok<StaffActionsView>, ProblemHttpResult>> ReadAsync(string street, string? limit, string? before, HttpContext http,
        StaffActions actions, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        var take = check.OptionalNumber("limit", limit, 1, StaffActions.MaxPage) ?? DefaultPage;
        StaffActionCursor? after = null;
        if (!string.IsNullOrEmpty(before) && StaffActionCursor.TryParse(before, out var cursor)) after = cursor;
        check.That(string.IsNullOrEmpty(before) || after is not null, new Problem("before is not a cursor this API gave: pass the next of the page before, as it came.",
            "翻页位置（before）无效：请原样传入上一页答复中的 next。"));
        if (check.Failed(out var bad)) return bad;
        var page = await actions.ReadAsync(http.Staff()!, street, take, after, ct);
        if (page.Failure is { } failure) return failure.ToProblem();
        return TypedResults.Ok(new StaffActionsView(street,
            page.Value!.Items.Select(a => new StaffActionView(a.Id, a.At, a.ActorId, a.Action, a.TargetKind, a.TargetId, a.Detail)).ToList(), page.Value.Next?.ToString()));
    }
}
