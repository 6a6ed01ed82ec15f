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
            .WithSummary("Publishes a new version (officers): validated, effective from the next week's start (not a date of the caller's: effectiveFrom is refused, as is any field a rule does not take). 201 with the new version, 200 when identical to the newest.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public sealed record RuleView(string Code, string NameZh, string NameEn, string AppliesTo, int Delta, IReadOnlyList<string> ReportedBy, bool NeedsVerification, int? WeeklyCap);

    public sealed record RuleSetView(int Version, DateTimeOffset EffectiveFrom, IReadOnlyList<RuleView> Rules);

    public sealed record RulesView(string Street, RuleSetView Current, RuleSetView? Upcoming, IReadOnlyList<RuleSetView> Versions);

    /// <summary>
    /// The rules to publish. <see cref="EffectiveFrom"/> is read only to be refused: a version applies from the next week's
    /// start, and a date asked for (from January, from this Wednesday) must not be answered 201 with next Monday's.
    /// </summary>
    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    public sealed record RulesRequest(IReadOnlyList<RuleDraft>? Rules,
        [property: System.ComponentModel.Description("Not taken: a version applies from the next week's start; a body naming a date is refused (400).")]
        System.Text.Json.JsonElement? EffectiveFrom = null);

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
        check.That(body?.EffectiveFrom is null, new(
            "effectiveFrom cannot be chosen: a new version applies from the start of next week (Monday 00:00 in the street's time zone), so no week is scored under two rule sets. Leave it out, and publish rules meant for a later week in the week before it.",
            "生效时间（effectiveFrom）不能指定：新版规则从下一周开始（街道时区的周一零点）生效，同一周不会按两套规则计分。请去掉该字段；要从更晚的某周起用的规则，请在那一周的前一周发布。"));
        if (check.Failed(out var bad)) return bad;
        var published = await book.PublishAsync(http.Staff(), street, rules!, ct);
        if (published.Failure is { } failure) return failure.ToProblem();
        var view = View(published.Value!.Set);
        return published.Value.Created ? TypedResults.Created($"/api/streets/{street}/rules", view) : TypedResults.Ok(view);
    }

    private static RuleSetView View(RuleSet set) => new(set.Version, set.EffectiveFrom, set.Rules.Select(r =>
        new RuleView(r.Code, r.NameZh, r.NameEn, r.AppliesTo.ToWire(), r.Delta, r.ReportedBy.Select(x => x.ToWire()).ToList(), r.NeedsVerification, r.WeeklyCap)).ToList());
}
