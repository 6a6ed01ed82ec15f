using Scoring.Domain;
using Scoring.Service.Tests.Features;
using Scoring.Storage;
using static Scoring.Service.Tests.Features.Expect;
using static Scoring.Service.Tests.Features.RouteMatrix;

namespace Scoring.Service.Tests.Rosters;

/// <summary>
/// The roster routes in the route matrix. As there, resources are in 方塘村: its secretary is in scope, 长春社区's is not,
/// the grid worker works in 方塘村. Routes that deactivate act on something made for each role's turn.
/// </summary>
public sealed class RostersRouteExpectations : IRouteExpectations
{
    private static readonly IReadOnlyDictionary<Role, Expect> OfficersOnly = Staff(officer: Success, secretary: Forbidden, otherSecretary: Forbidden, gridWorker: Forbidden);
    private static readonly IReadOnlyDictionary<Role, Expect> AnyStaff = Staff(officer: Success, secretary: Success, otherSecretary: Success, gridWorker: Success);
    private static readonly IReadOnlyDictionary<Role, Expect> Managers = Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden);
    private static readonly IReadOnlyDictionary<Role, Expect> Lookers = Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Success);
    /// <summary>Exports and imports: each secretary gets (or brings) their own community's rows.</summary>
    private static readonly IReadOnlyDictionary<Role, Expect> OwnRows = Staff(officer: Success, secretary: Success, otherSecretary: Success, gridWorker: Forbidden);

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/api/streets/{street}/communities", Get("/api/streets/houzhai/communities"), AnyStaff),
        new("POST", "/api/streets/{street}/communities", Make((_, r) => Keyed(Send(HttpMethod.Post, "/api/streets/houzhai/communities", new { id = $"new-{Tag(r)}", name = "新村" }))), OfficersOnly),
        new("PUT", "/api/communities/{community}", Make((_, _) => Send(HttpMethod.Put, "/api/communities/fangtang", new { name = "方塘村" })), OfficersOnly),
        new("POST", "/api/communities/{community}/deactivate", async (w, r) =>
            {
                var id = $"empty-{Tag(r)}";
                await w.Db.WriteAsync(s => s.InsertCommunityAsync(new Community { Id = id, StreetId = "houzhai", Name = "空村" }));
                return Send(HttpMethod.Post, $"/api/communities/{id}/deactivate");
            }, OfficersOnly),
        new("GET", "/api/streets/{street}/grids", Get("/api/streets/houzhai/grids?community=fangtang"), AnyStaff),
        new("POST", "/api/streets/{street}/grids", Make((_, r) => Keyed(Send(HttpMethod.Post, "/api/streets/houzhai/grids", new { community = "fangtang", name = $"{Tag(r)}号楼" }))), OfficersOnly),
        new("PUT", "/api/grids/{id}", Make((_, _) => Send(HttpMethod.Put, "/api/grids/fangtang-1", new { name = "方塘村1号楼" })), OfficersOnly),
        new("POST", "/api/grids/{id}/deactivate", async (w, r) =>
            {
                var id = $"grid-{Tag(r)}";
                await w.Db.WriteAsync(s => s.InsertGridAsync(new Grid { Id = id, CommunityId = "fangtang", Name = id }));
                return Send(HttpMethod.Post, $"/api/grids/{id}/deactivate");
            }, OfficersOnly),

        new("GET", "/api/streets/{street}/subjects", Get("/api/streets/houzhai/subjects?community=fangtang"), Lookers),
        new("POST", "/api/streets/{street}/subjects", Make((_, r) => Send(HttpMethod.Post, "/api/streets/houzhai/subjects",
            new { kind = "landlord", community = "fangtang", name = "新房东", phone = $"1375555000{(int)r}" })), Managers),
        new("PUT", "/api/subjects/{id}", Make((_, _) => Send(HttpMethod.Put, "/api/subjects/landlord-1", new { name = "应天乐" })), Managers),
        new("POST", "/api/subjects/{id}/deactivate", async (w, r) => Send(HttpMethod.Post, $"/api/subjects/{await FreshSubjectAsync(w, r, SubjectKind.Landlord)}/deactivate"), Managers),
        new("GET", "/api/subjects/{id}/tenants", Get("/api/subjects/landlord-1/tenants"), Lookers),
        new("POST", "/api/subjects/{id}/tenants", Make((_, r) => Send(HttpMethod.Post, "/api/subjects/landlord-1/tenants", new { name = $"租客{Tag(r)}", room = "404" })), Managers),
        new("PUT", "/api/tenants/{id}", Make((_, _) => Send(HttpMethod.Put, "/api/tenants/landlord-1-t1", new { room = "101" })), Managers),
        new("POST", "/api/tenants/{id}/deactivate", async (w, r) =>
            {
                var id = $"tenant-{Tag(r)}";
                await w.Db.WriteAsync(s => s.InsertTenantAsync(new Tenant { Id = id, SubjectId = "landlord-1", Name = id }));
                return Send(HttpMethod.Post, $"/api/tenants/{id}/deactivate");
            }, Managers),
        new("GET", "/api/subjects/{id}/shops", async (w, r) => Send(HttpMethod.Get, $"/api/subjects/{await FreshSubjectAsync(w, r, SubjectKind.ShopHead)}/shops"), Lookers),
        new("POST", "/api/subjects/{id}/shops", async (w, r) => Send(HttpMethod.Post, $"/api/subjects/{await FreshSubjectAsync(w, r, SubjectKind.ShopHead)}/shops", new { name = "新店" }), Managers),
        new("PUT", "/api/shops/{id}", async (w, r) => Send(HttpMethod.Put, $"/api/shops/{await FreshShopAsync(w, r)}", new { name = "改名店" }), Managers),
        new("POST", "/api/shops/{id}/deactivate", async (w, r) => Send(HttpMethod.Post, $"/api/shops/{await FreshShopAsync(w, r)}/deactivate"), Managers),

        new("GET", "/api/streets/{street}/staff", Get("/api/streets/houzhai/staff"), OfficersOnly),
        new("POST", "/api/streets/{street}/staff", Make((_, r) => Keyed(Send(HttpMethod.Post, "/api/streets/houzhai/staff", new { role = "grid-worker", community = "fangtang", name = $"网格员{Tag(r)}" }))), OfficersOnly),
        new("PUT", "/api/staff/{id}", async (w, _) =>
            {
                await w.EnsureStaffAsync("gridworker-9", StaffRole.GridWorker, "fangtang");
                return Send(HttpMethod.Put, "/api/staff/gridworker-9", new { phone = "13800009999" });
            }, OfficersOnly),
        new("POST", "/api/staff/{id}/deactivate", async (w, r) =>
            {
                var id = $"staff-{Tag(r)}";
                await w.EnsureStaffAsync(id, StaffRole.GridWorker, "fangtang");
                return Send(HttpMethod.Post, $"/api/staff/{id}/deactivate");
            }, OfficersOnly),

        new("GET", "/api/streets/{street}/roster/template.xlsx", Get("/api/streets/houzhai/roster/template.xlsx"), AnyStaff),
        new("POST", "/api/streets/{street}/roster/import", Make((_, r) => new HttpRequestMessage(HttpMethod.Post, "/api/streets/houzhai/roster/import?dryRun=true")
        {
            Content = RosterFile.Upload(RosterFile.Xlsx(RosterFile.Landlords(2, community: r == Role.OtherSecretary ? "changchun" : "fangtang")), "roster.xlsx"),
        }), OwnRows),
        new("GET", "/api/streets/{street}/roster.xlsx", Get("/api/streets/houzhai/roster.xlsx"), OwnRows),
        new("GET", "/api/streets/{street}/roster.csv", Get("/api/streets/houzhai/roster.csv"), OwnRows),
        new("GET", "/api/streets/{street}/ledger/{week}.xlsx", Get("/api/streets/houzhai/ledger/2026-W47.xlsx"), OwnRows),
        new("GET", "/api/streets/{street}/ledger/{week}.csv", Get("/api/streets/houzhai/ledger/2026-W47.csv"), OwnRows),
        new("GET", "/api/streets/{street}/rewards.xlsx", Get("/api/streets/houzhai/rewards.xlsx"), OwnRows),
        new("GET", "/api/streets/{street}/rewards.csv", Get("/api/streets/houzhai/rewards.csv"), OwnRows),
        new("POST", "/api/communities/{community}/enrolment-sheet", Make((_, _) => Keyed(Send(HttpMethod.Post, "/api/communities/fangtang/enrolment-sheet"))), Managers),
    ];

    private static string Tag(Role role) => role.ToString().ToLowerInvariant();

    private static Func<ServiceWorld, Role, Task<HttpRequestMessage>> Make(Func<ServiceWorld, Role, HttpRequestMessage> request) => (w, r) => Task.FromResult(request(w, r));

    /// <summary>A landlord or shop head of 方塘村 of the role's own, so one role's turn cannot spoil the next.</summary>
    private static async Task<string> FreshSubjectAsync(ServiceWorld w, Role role, SubjectKind kind)
    {
        var id = $"matrix-{kind.ToWire()}-{Tag(role)}";
        await w.Db.WriteAsync(async s =>
        {
            if (await s.GetSubjectAsync(id) is null)
                await s.InsertSubjectAsync(new Subject { Id = id, StreetId = "houzhai", CommunityId = "fangtang", Kind = kind, Name = "矩阵" + Tag(role) }, w.Clock.GetUtcNow());
        });
        return id;
    }

    private static async Task<string> FreshShopAsync(ServiceWorld w, Role role)
    {
        var head = await FreshSubjectAsync(w, role, SubjectKind.ShopHead);
        var id = $"shop-{Tag(role)}-{Guid.NewGuid():N}"[..30];
        await w.Db.WriteAsync(s => s.InsertShopAsync(new Shop { Id = id, SubjectId = head, Name = id }));
        return id;
    }
}
