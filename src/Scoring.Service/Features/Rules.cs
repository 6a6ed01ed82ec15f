using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>The street's versioned rules: read by its staff, published by its officers (effective from the next week's start).</summary>
public static class Rules
{
    public static IEndpointRouteBuilder MapRules(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Rules");
        staff.MapGet("/streets/{street}/rules", GetAsync).WithName("GetRules")
            .WithSummary("The rule set in force, the one waiting for next week (if any) and every version.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPut("/streets/{street}/rules", PutAsync).WithName("PublishRules")
            .WithSummary("Publishes a new version (officers): validated, effective from the next week's start. 201 with the new version, 200 when identical to the newest.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public sealed record RuleView(string Code, string NameZh, string NameEn, string AppliesTo, int Delta, IReadOnlyList<string> ReportedBy, bool NeedsVerification, int? WeeklyCap);

    public sealed record RuleSetView(int Version, DateTimeOffset EffectiveFrom, IReadOnlyList<RuleView> Rules);

    public sealed record RulesView(string Street, RuleSetView Current, RuleSetView? Upcoming, IReadOnlyList<RuleSetView> Versions);

    public sealed record RulesRequest(IReadOnlyList<RuleDraft>? Rules);

    private static async Task<Results<Ok<RulesView>, ProblemHttpResult>> GetAsync(string street, HttpContext http, RuleBook book, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        if (check.Failed(out var bad)) return bad;
        var view = await book.ReadAsync(http.Staff(), street, ct);
        if (view.Failure is { } failure) return failure.ToProblem();
        var v = view.Value!;
        return TypedResults.Ok(new RulesView(v.StreetId, View(v.Current), v.Upcoming is null ? null : View(v.Upcoming), v.Versions.Select(View).ToList()));
    }

    private static async Task<Results<Created<RuleSetView>, Ok<RuleSetView>, ProblemHttpResult>> PutAsync(string street, RulesRequest? body, HttpContext http,
        RuleBook book, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        var rules = check.Body("{rules: [...]}", body)?.Rules;
        check.That(body is null || rules is { Count: > 0 }, new("rules must list at least one rule.", "规则列表（rules）至少要有一条规则。"));
        if (check.Failed(out var bad)) return bad;
        var published = await book.PublishAsync(http.Staff(), street, rules!, ct);
        if (published.Failure is { } failure) return failure.ToProblem();
        var view = View(published.Value!.Set);
        return published.Value.Created ? TypedResults.Created($"/api/streets/{street}/rules", view) : TypedResults.Ok(view);
    }

    private static RuleSetView View(RuleSet set) => new(set.Version, set.EffectiveFrom, set.Rules.Select(r =>
        new RuleView(r.Code, r.NameZh, r.NameEn, r.AppliesTo.ToWire(), r.Delta, r.ReportedBy.Select(x => x.ToWire()).ToList(), r.NeedsVerification, r.WeeklyCap)).ToList());
}
