using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>
/// Rosters over HTTP: communities, grids, landlords and shop heads, tenants, shops and staff — create, update,
/// deactivate, list. Officers manage their street; secretaries the people of their community. The use cases
/// decide scope (403) and validity; this door only translates.
/// </summary>
public static class RostersApi
{
    public static IEndpointRouteBuilder MapRosters(this IEndpointRouteBuilder app)
    {
        var places = app.StaffRoutes("Rosters: communities and grids");
        places.MapGet("/streets/{street}/communities", ListCommunitiesAsync).WithName("ListCommunities");
        places.MapPost("/streets/{street}/communities", CreateCommunityAsync).WithName("CreateCommunity")
            .WithSummary("Body {id?, name}. Officers only. An Idempotency-Key is required (428 idempotency-key-required without one): a retry would make a second community.")
            .RequireIdempotencyKey().ProducesProblem(409);
        places.MapPut("/communities/{community}", UpdateCommunityAsync).WithName("UpdateCommunity")
            .WithSummary("Body {name?, active?}. Deactivating is refused (409) while the community has active landlords or shop heads.").ProducesProblem(404).ProducesProblem(409);
        places.MapPost("/communities/{community}/deactivate", DeactivateCommunityAsync).WithName("DeactivateCommunity").ProducesProblem(404).ProducesProblem(409);
        places.MapGet("/streets/{street}/grids", ListGridsAsync).WithName("ListGrids")
            .WithSummary("The street's grids (?community= one community's, ?includeInactive=true); a community the street does not have is 404 community-not-found.")
            .ProducesProblem(404);
        places.MapPost("/streets/{street}/grids", CreateGridAsync).WithName("CreateGrid")
            .WithSummary("Body {id?, community, name}. Officers only. An Idempotency-Key is required (428 idempotency-key-required without one): a retry would make a second grid.")
            .RequireIdempotencyKey().ProducesProblem(409);
        places.MapPut("/grids/{id}", UpdateGridAsync).WithName("UpdateGrid").WithSummary("Body {name?, active?}.").ProducesProblem(404);
        places.MapPost("/grids/{id}/deactivate", DeactivateGridAsync).WithName("DeactivateGrid").ProducesProblem(404);

        var people = app.StaffRoutes("Rosters: people");
        people.MapGet("/streets/{street}/subjects", ListSubjectsAsync).WithName("ListRosterSubjects")
            .WithSummary("Landlords and shop heads (?community=, ?kind=landlord|shop-head, ?includeInactive=true), in the order of their ids, with the total that match. " +
                $"A page at a time with ?limit= (1–{MaxPage}) and ?after= the previous page's next (null on the last page). " +
                "Secretaries and grid workers see their community; phones are masked except for the subject's secretary and the street's officers. " +
                "A ?community= the street does not have is 404 community-not-found (ids are case-sensitive).")
            .ProducesProblem(404);
        people.MapPost("/streets/{street}/subjects", CreateSubjectAsync).WithName("CreateSubject")
            .WithSummary("Body {kind, community, name, phone, grid? (id or name), idCard?}. The phone is required (people are found by it, as on import) and unique within the street (409). The identity-card number is stored only as a salted hash and its last four characters.")
            .ProducesProblem(409);
        people.MapPut("/subjects/{id}", UpdateSubjectAsync).WithName("UpdateSubject")
            .WithSummary("Body {community?, name?, phone?, grid? (id or name), idCard?, active?}; \"\" clears an optional field; the phone only of someone off the roster, freeing their number for someone new on it (409 phone-taken names the holder and says so). The kind never changes. " +
                "A subject whose personal data was erased (erasedAt set) takes no change (409 subject-erased): someone back on the roster is entered anew.").ProducesProblem(404).ProducesProblem(409);
        people.MapPost("/subjects/{id}/deactivate", DeactivateSubjectAsync).WithName("DeactivateSubject")
            .WithSummary("Takes the subject off the lists; the ledger, tenants and shops stay. Still off the roster at the end of the year after this one, " +
                "their phone, identity card and enrolment codes are erased, their tenants made anonymous, their chat accounts stop speaking for them, and their name is kept masked (erasedAt set); the ledger stays.").ProducesProblem(404);
        people.MapGet("/subjects/{id}/tenants", ListTenantsAsync).WithName("ListTenants").ProducesProblem(404);
        people.MapPost("/subjects/{id}/tenants", AddTenantAsync).WithName("AddTenant")
            .WithSummary("Body {name, room?, phone?, origin?, expectedReturn? (2027-02-20: the landlord is reminded in chat that day)}. Names are unique among a landlord's active tenants (409).").ProducesProblem(404).ProducesProblem(409);
        people.MapPut("/tenants/{id}", UpdateTenantAsync).WithName("UpdateTenant")
            .WithSummary("Body {name?, room?, phone?, origin?, expectedReturn?, active?}; \"\" clears an optional field.").ProducesProblem(404).ProducesProblem(409);
        people.MapPost("/tenants/{id}/deactivate", DeactivateTenantAsync).WithName("DeactivateTenant").ProducesProblem(404);
        people.MapGet("/subjects/{id}/shops", ListShopsAsync).WithName("ListShops").ProducesProblem(404);
        people.MapPost("/subjects/{id}/shops", AddShopAsync).WithName("AddShop")
            .WithSummary("Body {name}. A shop head answers for at most the street's shop limit (10 by default; 409 beyond).").ProducesProblem(404).ProducesProblem(409);
        people.MapPut("/shops/{id}", UpdateShopAsync).WithName("UpdateShop").WithSummary("Body {name?, active?}.").ProducesProblem(404).ProducesProblem(409);
        people.MapPost("/shops/{id}/deactivate", DeactivateShopAsync).WithName("DeactivateShop").ProducesProblem(404);

        var staff = app.StaffRoutes("Rosters: staff");
        staff.MapGet("/streets/{street}/staff", ListStaffAsync).WithName("ListStaff").WithSummary("Officers only.");
        staff.MapPost("/streets/{street}/staff", CreateStaffAsync).WithName("CreateStaff")
            .WithSummary("Body {role: officer|secretary|grid-worker|admin, community (not for officers or admins), name, phone?, grids? (a grid worker's grids in their community, each by id or by the name the roster's 网格 column gave it; none = the whole community)}. Officers only; only an admin makes an admin or an officer (403). Issue a token or an enrolment code next (a new officer's: an admin, or the console's staff token). " +
                "An Idempotency-Key is required (428 idempotency-key-required without one): a retry would make a second staff member.")
            .RequireIdempotencyKey();
        staff.MapPut("/staff/{id}", UpdateStaffAsync).WithName("UpdateStaff")
            .WithSummary("Body {role?, community?, name?, phone?, active?, grids? (each by id or name, as on creation)}; going off duty revokes the member's tokens and voids their unused enrolment codes (their chat accounts stay bound, without powers); a new name and a new phone at once is another person (409 staff-person-changed: take this one off duty, create the new one); a new role, or a grid worker's new community, takes back all three: tokens, unused codes and chat accounts. Officers for their street's staff; an admin's account, the admin role, a fellow officer's role or a raise to officer only an admin (403).").ProducesProblem(404).ProducesProblem(409);
        staff.MapPost("/staff/{id}/deactivate", DeactivateStaffAsync).WithName("DeactivateStaff")
            .WithSummary("Their tokens stop working at once; nobody deactivates themself (409).").ProducesProblem(404).ProducesProblem(409);

        app.MapRosterFiles();
        app.MapEnrolmentSheets();
        return app;
    }

    // ---- views ----

    public sealed record CommunityView(string Id, string Street, string Name, bool Active);
    public sealed record GridView(string Id, string Community, string Name, bool Active);
    public sealed record RosterSubjectView(string Id, string Kind, string Street, string Community, string? Grid, string Name, string? Phone, bool Active,
        string? IdCardLastFour, int Tenants, int Shops, DateTimeOffset? ErasedAt);
    public sealed record TenantView(string Id, string SubjectId, string Name, string? Room, string? Phone, string? Origin, bool Active, string? ExpectedReturn);
    public sealed record ShopView(string Id, string SubjectId, string Name, bool Active);
    /// <param name="ChatUnreachableSince">In the street's list: since when the bot cannot reach them in chat (they removed or blocked it), null while it can.</param>
    public sealed record StaffView(string Id, string Street, string? Community, string Role, string Name, string? Phone, bool Active, IReadOnlyList<string> Grids,
        DateTimeOffset? ChatUnreachableSince = null);
    public sealed record ItemsOf<T>(IReadOnlyList<T> Items);

    /// <param name="Total">How many match in all, on every page.</param>
    /// <param name="Next">The <c>?after=</c> of the next page; null on the last one.</param>
    public sealed record PageOf<T>(IReadOnlyList<T> Items, int Total, string? Next);

    /// <summary>The largest page of a street's landlords and shop heads.</summary>
    public const int MaxPage = 5000;

    private static CommunityView View(Community c) => new(c.Id, c.StreetId, c.Name, c.Active);
    private static GridView View(Grid g) => new(g.Id, g.CommunityId, g.Name, g.Active);
    private static RosterSubjectView View(RosterSubject r) => new(r.Subject.Id, r.Subject.Kind.ToWire(), r.Subject.StreetId, r.Subject.CommunityId, r.Subject.GridId,
        r.Subject.Name, r.Subject.Phone, r.Subject.Active, r.IdCardLastFour, r.ActiveTenants, r.ActiveShops, r.Subject.ErasedAt);
    // The expected day back comes in the street's offset (Rosters), so its date is the street's.
    private static TenantView View(Tenant t) => new(t.Id, t.SubjectId, t.Name, t.Room, t.Phone, t.Origin, t.Active,
        t.ExpectedReturn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    private static ShopView View(Shop s) => new(s.Id, s.SubjectId, s.Name, s.Active);
    private static StaffView View(StaffMember s) => new(s.Id, s.StreetId, s.CommunityId, s.Role.ToWire(), s.Name, s.Phone, s.Active, s.GridIds);
    private static StaffView View(StaffListing l) => View(l.Staff) with { ChatUnreachableSince = l.ChatUnreachableSince };

    /// <summary>One translation for every roster answer: a refusal as ProblemDetails, a value through its view.</summary>
    private static Results<Ok<TView>, ProblemHttpResult> Answer<T, TView>(Outcome<T> outcome, Func<T, TView> view) =>
        outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(view(outcome.Value!));

    private static Results<Created<TView>, ProblemHttpResult> Created<T, TView>(Outcome<T> outcome, Func<T, TView> view, Func<TView, string> location) =>
        outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Created(location(view(outcome.Value!)), view(outcome.Value!));

    private static Results<Ok<ItemsOf<TView>>, ProblemHttpResult> Items<T, TView>(Outcome<IReadOnlyList<T>> outcome, Func<T, TView> view) =>
        outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(new ItemsOf<TView>(outcome.Value!.Select(view).ToList()));

    /// <summary>The route's id and, for a write, its body (the shape names what to send): one 400 names every problem, null when all is well.</summary>
    private static ProblemHttpResult? Invalid(string name, string id, (string Shape, object? Value)? body = null)
    {
        var check = new Checks();
        check.Id(name, id);
        if (body is { } b) check.Body(b.Shape, b.Value);
        return check.Failed(out var bad) ? bad : null;
    }

    /// <summary>A list under one id with <c>?includeInactive=</c>: both checked in one 400, then listed.</summary>
    private static async Task<Results<Ok<ItemsOf<TView>>, ProblemHttpResult>> ListAsync<T, TView>(string name, string id, string? includeInactive,
        Func<bool, Task<Outcome<IReadOnlyList<T>>>> list, Func<T, TView> view)
    {
        var check = new Checks();
        check.Id(name, id);
        var inactive = check.Flag("includeInactive", includeInactive);
        if (check.Failed(out var bad)) return bad;
        return Items(await list(inactive), view);
    }

    // ---- communities and grids ----

    private static Task<Results<Ok<ItemsOf<CommunityView>>, ProblemHttpResult>> ListCommunitiesAsync(string street, string? includeInactive, HttpContext http, Rosters rosters, CancellationToken ct) =>
        ListAsync("street", street, includeInactive, inactive => rosters.ListCommunitiesAsync(http.Staff(), street, inactive, ct), View);

    private static async Task<Results<Created<CommunityView>, ProblemHttpResult>> CreateCommunityAsync(string street, [FromBody] PlaceDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("street", street, ("{id?, name}", body)) is { } bad) return bad;
        return Created(await rosters.CreateCommunityAsync(http.Staff(), street, body!, ct), View, v => $"/api/streets/{street}/communities");
    }

    private static async Task<Results<Ok<CommunityView>, ProblemHttpResult>> UpdateCommunityAsync(string community, [FromBody] PlaceDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("community", community, ("{name?, active?}", body)) is { } bad) return bad;
        return Answer(await rosters.UpdateCommunityAsync(http.Staff(), community, body!, ct), View);
    }

    private static async Task<Results<Ok<CommunityView>, ProblemHttpResult>> DeactivateCommunityAsync(string community, HttpContext http, Rosters rosters, CancellationToken ct) =>
        Invalid("community", community) ?? (Results<Ok<CommunityView>, ProblemHttpResult>)Answer(await rosters.DeactivateCommunityAsync(http.Staff(), community, ct), View);

    private static async Task<Results<Ok<ItemsOf<GridView>>, ProblemHttpResult>> ListGridsAsync(string street, string? community, string? includeInactive, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        community = check.OptionalId("community", community);
        var inactive = check.Flag("includeInactive", includeInactive);
        if (check.Failed(out var bad)) return bad;
        return Items(await rosters.ListGridsAsync(http.Staff(), street, community, inactive, ct), View);
    }

    private static async Task<Results<Created<GridView>, ProblemHttpResult>> CreateGridAsync(string street, [FromBody] PlaceDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("street", street, ("{id?, community, name}", body)) is { } bad) return bad;
        return Created(await rosters.CreateGridAsync(http.Staff(), street, body!, ct), View, v => $"/api/streets/{street}/grids?community={v.Community}");
    }

    private static async Task<Results<Ok<GridView>, ProblemHttpResult>> UpdateGridAsync(string id, [FromBody] PlaceDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("id", id, ("{name?, active?}", body)) is { } bad) return bad;
        return Answer(await rosters.UpdateGridAsync(http.Staff(), id, body!, ct), View);
    }

    private static async Task<Results<Ok<GridView>, ProblemHttpResult>> DeactivateGridAsync(string id, HttpContext http, Rosters rosters, CancellationToken ct) =>
        Invalid("id", id) ?? (Results<Ok<GridView>, ProblemHttpResult>)Answer(await rosters.DeactivateGridAsync(http.Staff(), id, ct), View);

    // ---- landlords and shop heads ----

    private static async Task<Results<Ok<PageOf<RosterSubjectView>>, ProblemHttpResult>> ListSubjectsAsync(string street, string? community, string? kind, string? includeInactive,
        string? limit, string? after, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        check.OptionalId("community", community);
        SubjectKind? k = kind is null ? null : check.Kind(kind);
        var inactive = check.Flag("includeInactive", includeInactive);
        var take = check.OptionalNumber("limit", limit, 1, MaxPage);
        after = check.OptionalId("after", after);
        if (check.Failed(out var bad)) return bad;
        var listed = await rosters.ListSubjectsAsync(http.Staff(), street, community, k, inactive, ct);
        if (listed.Failure is { } failure) return failure.ToProblem();
        // Ordered here, by ordinal, so a page's cursor means the same on SQLite and on SQL Server (whose collation orders
        // text its own way); a cursor of someone since taken off still finds the next page.
        var all = listed.Value!.OrderBy(r => r.Subject.Id, StringComparer.Ordinal).ToList();
        var rest = after is null ? all : all.Where(r => string.CompareOrdinal(r.Subject.Id, after) > 0).ToList();
        var page = take is { } n ? rest.Take(n).ToList() : rest;
        var next = page.Count < rest.Count ? page[^1].Subject.Id : null;
        return TypedResults.Ok(new PageOf<RosterSubjectView>(page.Select(View).ToList(), all.Count, next));
    }

    private static async Task<Results<Created<RosterSubjectView>, ProblemHttpResult>> CreateSubjectAsync(string street, [FromBody] SubjectDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("street", street, ("{kind, community, name, phone, grid?, idCard?}", body)) is { } bad) return bad;
        return Created(await rosters.CreateSubjectAsync(http.Staff(), street, body!, ct), View, v => $"/api/subjects/{v.Id}");
    }

    private static async Task<Results<Ok<RosterSubjectView>, ProblemHttpResult>> UpdateSubjectAsync(string id, [FromBody] SubjectDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("id", id, ("{community?, name?, phone?, grid?, idCard?, active?}", body)) is { } bad) return bad;
        return Answer(await rosters.UpdateSubjectAsync(http.Staff(), id, body!, ct), View);
    }

    private static async Task<Results<Ok<RosterSubjectView>, ProblemHttpResult>> DeactivateSubjectAsync(string id, HttpContext http, Rosters rosters, CancellationToken ct) =>
        Invalid("id", id) ?? (Results<Ok<RosterSubjectView>, ProblemHttpResult>)Answer(await rosters.DeactivateSubjectAsync(http.Staff(), id, ct), View);

    // ---- tenants and shops ----

    private static Task<Results<Ok<ItemsOf<TenantView>>, ProblemHttpResult>> ListTenantsAsync(string id, string? includeInactive, HttpContext http, Rosters rosters, CancellationToken ct) =>
        ListAsync("id", id, includeInactive, inactive => rosters.ListTenantsAsync(http.Staff(), id, inactive, ct), View);

    private static async Task<Results<Created<TenantView>, ProblemHttpResult>> AddTenantAsync(string id, [FromBody] HoldingDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("id", id, ("{name, room?, phone?, origin?}", body)) is { } bad) return bad;
        return Created(await rosters.AddTenantAsync(http.Staff(), id, body!, ct), View, v => $"/api/subjects/{id}/tenants");
    }

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> UpdateTenantAsync(string id, [FromBody] HoldingDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("id", id, ("{name?, room?, phone?, origin?, active?}", body)) is { } bad) return bad;
        return Answer(await rosters.UpdateTenantAsync(http.Staff(), id, body!, ct), View);
    }

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> DeactivateTenantAsync(string id, HttpContext http, Rosters rosters, CancellationToken ct) =>
        Invalid("id", id) ?? (Results<Ok<TenantView>, ProblemHttpResult>)Answer(await rosters.DeactivateTenantAsync(http.Staff(), id, ct), View);

    private static Task<Results<Ok<ItemsOf<ShopView>>, ProblemHttpResult>> ListShopsAsync(string id, string? includeInactive, HttpContext http, Rosters rosters, CancellationToken ct) =>
        ListAsync("id", id, includeInactive, inactive => rosters.ListShopsAsync(http.Staff(), id, inactive, ct), View);

    private static async Task<Results<Created<ShopView>, ProblemHttpResult>> AddShopAsync(string id, [FromBody] HoldingDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("id", id, ("{name}", body)) is { } bad) return bad;
        return Created(await rosters.AddShopAsync(http.Staff(), id, body!, ct), View, v => $"/api/subjects/{id}/shops");
    }

    private static async Task<Results<Ok<ShopView>, ProblemHttpResult>> UpdateShopAsync(string id, [FromBody] HoldingDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("id", id, ("{name?, active?}", body)) is { } bad) return bad;
        return Answer(await rosters.UpdateShopAsync(http.Staff(), id, body!, ct), View);
    }

    private static async Task<Results<Ok<ShopView>, ProblemHttpResult>> DeactivateShopAsync(string id, HttpContext http, Rosters rosters, CancellationToken ct) =>
        Invalid("id", id) ?? (Results<Ok<ShopView>, ProblemHttpResult>)Answer(await rosters.DeactivateShopAsync(http.Staff(), id, ct), View);

    // ---- staff ----

    private static Task<Results<Ok<ItemsOf<StaffView>>, ProblemHttpResult>> ListStaffAsync(string street, string? includeInactive, HttpContext http, Rosters rosters, CancellationToken ct) =>
        ListAsync("street", street, includeInactive, inactive => rosters.ListStaffAsync(http.Staff(), street, inactive, ct), View);

    private static async Task<Results<Created<StaffView>, ProblemHttpResult>> CreateStaffAsync(string street, [FromBody] StaffDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("street", street, ("{role, community?, name, phone?}", body)) is { } bad) return bad;
        return Created(await rosters.CreateStaffAsync(http.Staff(), street, body!, ct), View, v => $"/api/streets/{street}/staff");
    }

    private static async Task<Results<Ok<StaffView>, ProblemHttpResult>> UpdateStaffAsync(string id, [FromBody] StaffDraft? body, HttpContext http, Rosters rosters, CancellationToken ct)
    {
        if (Invalid("id", id, ("{role?, community?, name?, phone?, active?}", body)) is { } bad) return bad;
        return Answer(await rosters.UpdateStaffAsync(http.Staff(), id, body!, ct), View);
    }

    private static async Task<Results<Ok<StaffView>, ProblemHttpResult>> DeactivateStaffAsync(string id, HttpContext http, Rosters rosters, CancellationToken ct) =>
        Invalid("id", id) ?? (Results<Ok<StaffView>, ProblemHttpResult>)Answer(await rosters.DeactivateStaffAsync(http.Staff(), id, ct), View);
}
