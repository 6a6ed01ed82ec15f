using Scoring.Domain;
using Scoring.Domain.Rules;
using static Scoring.Service.Tests.Features.Expect;
using static Scoring.Service.Tests.Features.RouteMatrix;

namespace Scoring.Service.Tests.Features;

/// <summary>
/// The HTTP API's routes (lists, verification, subjects, enrolment, honours, weekly reports, rules, staff tokens, health, docs).
/// Resources are in 方塘村 of 后宅街道: the secretary of 方塘村 is in scope, the one of 长春社区 is not; the grid worker works in 方塘村.
/// </summary>
public sealed class ApiRouteExpectations : IRouteExpectations
{
    private const string Week = "2026-W46"; // over on the matrix's Wednesday of W47

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/healthz", Get("/healthz"), Public()),
        new("GET", "/openapi/{documentName}.json", Get("/openapi/v1.json"), Public()),
        new("GET", "/docs/{documentName?}", Get("/docs/"), Public()),
        new("GET", "/docs/scalar.js", Get("/docs/scalar.js"), Public()),
        new("GET", "/docs/scalar.aspnetcore.js", Get("/docs/scalar.aspnetcore.js"), Public()),
        new("GET", "/docs/favicon.svg", Get("/docs/favicon.svg"), Public()),
        new("POST", "/api/messages", Get("/"), NotHere(), "Bot Framework authentication of its own; covered by Scoring.Bot.Tests."),

        new("GET", "/api/streets/{street}/lists/{week}", Published($"/api/streets/houzhai/lists/{Week}?kind=landlord"), Public()),
        new("GET", "/api/streets/{street}/lists/{week}.csv", Published($"/api/streets/houzhai/lists/{Week}.csv?kind=landlord"), Public()),
        new("GET", "/streets/{street}/board/{week}", Published($"/streets/houzhai/board/{Week}"), Public()),
        new("GET", "/streets/{street}/board", Published("/streets/houzhai/board"), Public()),
        new("GET", "/api/streets/{street}/rules/{version}", Get("/api/streets/houzhai/rules/1"), Public()),
        new("GET", "/api/streets/{street}/lists/{week}/preview", Get($"/api/streets/houzhai/lists/{Week}/preview?kind=landlord&community=fangtang"),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("POST", "/api/streets/{street}/lists/{week}/publish", (_, _) => Task.FromResult(Send(HttpMethod.Post, $"/api/streets/houzhai/lists/{Week}/publish", new { kind = "landlord" })),
            Staff(officer: Success, secretary: Forbidden, otherSecretary: Forbidden, gridWorker: Forbidden)),

        new("GET", "/api/communities/{community}/pending", Get("/api/communities/fangtang/pending"),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("POST", "/api/communities/{community}/pending/approve",
            async (w, _) => Send(HttpMethod.Post, "/api/communities/fangtang/pending/approve", new { ids = new[] { await w.ReportAsync("landlord-1") } }),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("GET", "/api/streets/{street}/pending", Get("/api/streets/houzhai/pending?escalated=true"),
            Staff(officer: Success, secretary: Forbidden, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("GET", "/api/events/{id}", async (w, _) => Send(HttpMethod.Get, $"/api/events/{await w.ReportAsync("landlord-1")}"),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("POST", "/api/events/{id}/approve", async (w, _) => Send(HttpMethod.Post, $"/api/events/{await w.ReportAsync("landlord-1")}/approve"),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("POST", "/api/events/{id}/reject", async (w, _) => Send(HttpMethod.Post, $"/api/events/{await w.ReportAsync("landlord-1")}/reject", new { reason = "查无此事" }),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("POST", "/api/events/{id}/revoke", async (w, _) => Send(HttpMethod.Post, $"/api/events/{await w.ScoreAsync("landlord-1")}/revoke", new { reason = "重复上报" }),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),

        new("POST", "/api/subjects/{id}/events", (_, _) => Task.FromResult(Keyed(Send(HttpMethod.Post, "/api/subjects/landlord-1/events",
                new { rule = DefaultRules.NotDisinfected, evidence = "3号楼楼道未按时消毒" }))),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Success)),
        new("GET", "/api/subjects/{id}", Get("/api/subjects/landlord-1"),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Success)),
        new("GET", "/api/subjects/{id}/events", Get("/api/subjects/landlord-1/events?limit=5"),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Success)),
        new("GET", "/api/subjects/{id}/redemptions", Get("/api/subjects/landlord-1/redemptions"),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Success)),
        new("POST", "/api/subjects/{id}/redemptions", async (w, _) =>
            {
                await w.ScoreAsync("landlord-1"); // +2 reward points to spend
                return Send(HttpMethod.Post, "/api/subjects/landlord-1/redemptions", new { points = 1, note = "兑换洗衣液一瓶" });
            },
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("POST", "/api/subjects/{id}/redemptions/{redemptionId}/reverse", async (w, _) =>
            {
                await w.ScoreAsync("landlord-1"); // +2 reward points, one of them redeemed in error
                var redeemed = await w.Service<Scoring.Application.Rewards>().RedeemAsync(await w.StaffAsync("officer-1"), "landlord-1", 1, "兑换洗衣液一瓶");
                return Send(HttpMethod.Post, $"/api/subjects/landlord-1/redemptions/{redeemed.Value!.Id}/reverse", new { reason = "登记错误" });
            },
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("POST", "/api/enrolments", (_, _) => Task.FromResult(Send(HttpMethod.Post, "/api/enrolments", new { subjectId = "landlord-1" })),
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("GET", "/api/streets/{street}/honours/{year}", Get("/api/streets/houzhai/honours/2026"),
            Staff(officer: Success, secretary: Success, otherSecretary: Success, gridWorker: Success)),
        new("GET", "/api/streets/{street}/honours/{year}.xlsx", Get("/api/streets/houzhai/honours/2026.xlsx"),
            Staff(officer: Success, secretary: Success, otherSecretary: Success, gridWorker: Success)),
        new("GET", "/api/streets/{street}/honours/{year}.csv", Get("/api/streets/houzhai/honours/2026.csv"),
            Staff(officer: Success, secretary: Success, otherSecretary: Success, gridWorker: Success)),
        // As the roster and ledger exports: the street's officers everything, a secretary their own community (another community's included), grid workers nothing.
        new("GET", "/api/streets/{street}/weeks/{week}/summary", Get($"/api/streets/houzhai/weeks/{Week}/summary"),
            Staff(officer: Success, secretary: Success, otherSecretary: Success, gridWorker: Forbidden)),
        new("GET", "/api/streets/{street}/weeks/{week}/summary.xlsx", Get($"/api/streets/houzhai/weeks/{Week}/summary.xlsx"),
            Staff(officer: Success, secretary: Success, otherSecretary: Success, gridWorker: Forbidden)),
        new("GET", "/api/streets/{street}/rules", Get("/api/streets/houzhai/rules"),
            Staff(officer: Success, secretary: Success, otherSecretary: Success, gridWorker: Success)),
        new("PUT", "/api/streets/{street}/rules", (_, _) => Task.FromResult(Send(HttpMethod.Put, "/api/streets/houzhai/rules", new { rules = DefaultRuleBodies() })),
            Staff(officer: Success, secretary: Forbidden, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("GET", "/api/streets/{street}/settings", Get("/api/streets/houzhai/settings"),
            Staff(officer: Success, secretary: Success, otherSecretary: Success, gridWorker: Success)),
        new("PATCH", "/api/streets/{street}/settings", (_, _) => Task.FromResult(Send(HttpMethod.Patch, "/api/streets/houzhai/settings", new { redListSize = 4 })),
            Staff(officer: Success, secretary: Forbidden, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("POST", "/api/staff/{id}/tokens", async (w, _) =>
            {
                await w.EnsureStaffAsync("gridworker-9", StaffRole.GridWorker, "fangtang");
                return Keyed(Send(HttpMethod.Post, "/api/staff/gridworker-9/tokens"));
            },
            // A secretary issues their community's grid workers' tokens as they issue their enrolment codes (CanIssueCredentialsFor).
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("DELETE", "/api/staff/{id}/tokens", async (w, _) =>
            {
                await w.EnsureStaffAsync("gridworker-9", StaffRole.GridWorker, "fangtang");
                return Send(HttpMethod.Delete, "/api/staff/gridworker-9/tokens");
            },
            // Whoever may issue someone's tokens may take them back (a revocation lets nobody act as anyone).
            Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("GET", "/api/streets/{street}/staff-actions", Get("/api/streets/houzhai/staff-actions"),
            Staff(officer: Success, secretary: Forbidden, otherSecretary: Forbidden, gridWorker: Forbidden)),
    ];

    private static Func<ServiceWorld, Role, Task<HttpRequestMessage>> Published(string url) => async (w, role) =>
    {
        if (role == Role.None) await w.PublishAsync(Week); // the first role's turn publishes; later turns read it
        return Send(HttpMethod.Get, url);
    };

    /// <summary>The default rules as PUT /rules takes them, each first passed through <paramref name="change"/> when given.</summary>
    public static object[] DefaultRuleBodies(Func<Rule, Rule>? change = null) => DefaultRules.All.Select(change ?? (r => r)).Select(r => (object)new
    {
        code = r.Code, nameZh = r.NameZh, nameEn = r.NameEn, appliesTo = r.AppliesTo.ToWire(), delta = r.Delta,
        reportedBy = r.ReportedBy.Select(x => x.ToWire()).ToArray(), needsVerification = r.NeedsVerification, weeklyCap = r.WeeklyCap,
        once = r.Once?.ToWire(),
    }).ToArray();
}
