using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>
/// Staff bearer tokens: issued (shown once) for someone of a lower role in the issuer's scope, by an admin for anyone, or
/// for oneself (StaffMember.CanIssueCredentialsFor); revoked, with the member's unused codes and chat accounts, by whoever may issue them, an officer of the street (not an admin's), an admin, or the person themself.
/// </summary>
public static class StaffApi
{
    public static IEndpointRouteBuilder MapStaffTokens(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Staff");
        staff.MapPost("/staff/{id}/tokens", IssueAsync).WithName("IssueStaffToken")
            .WithSummary("Issues a new bearer token for a staff member; the token is shown only in this response. Officers for their street's secretaries and grid workers, secretaries for their community's grid workers, admins for anyone, anyone for themself; else 403 " +
                "(a fellow officer's is an admin's to issue, or the console's: whoever holds it acts as them). " +
                "An Idempotency-Key is required (428 idempotency-key-required without one): a retry would mint a second live token nobody holds.")
            .RequireIdempotencyKey().ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapDelete("/staff/{id}/tokens", RevokeAsync).WithName("RevokeStaffTokens")
            .WithSummary("Takes back every credential of a staff member (after a lost phone or a leaked token): revokes their tokens, voids their unused enrolment codes and unbinds their chat accounts, each on the street's staff actions. Officers for their street's staff (fellow officers too, not its admins), secretaries for their community's grid workers (whose tokens they issue), admins for anyone, anyone for themself; else 403.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public sealed record TokenView(string StaffId, string Token);

    public sealed record RevokedView(string StaffId, int Revoked, int CodesVoided, int ChatAccountsUnbound);

    private static async Task<Results<Created<TokenView>, ProblemHttpResult>> IssueAsync(string id, HttpContext http, StaffTokens tokens, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        if (check.Failed(out var bad)) return bad;
        var token = await tokens.IssueAsync(http.Staff(), id, ct);
        if (token.Failure is { } failure) return failure.ToProblem();
        return TypedResults.Created((string?)null, new TokenView(id, token.Value!));
    }

    private static async Task<Results<Ok<RevokedView>, ProblemHttpResult>> RevokeAsync(string id, HttpContext http, StaffTokens tokens, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        if (check.Failed(out var bad)) return bad;
        var revoked = await tokens.RevokeAllAsync(http.Staff(), id, ct);
        if (revoked.Failure is { } failure) return failure.ToProblem();
        return TypedResults.Ok(new RevokedView(id, revoked.Value!.Tokens, revoked.Value.CodesVoided, revoked.Value.AccountsUnbound));
    }
}
