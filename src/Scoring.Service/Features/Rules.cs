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
        var pub = app.PublicRoutes("Public rules");
        pub.MapGet("/api/streets/{street}/rules/{version}", GetPublicAsync).WithName("GetPublicRules")
            .WithSummary("One version of the street's rules as the public reads it (the notice board links the version its list was ranked by): each rule's code, names, kind and points. " +
                "404 rules-version-not-found, street-not-found.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        var staff = app.StaffRoutes("Rules");
        staff.MapGet("/streets/{street}/rules", GetAsync).WithName("GetRules")
            .WithSummary("The rule set in force, the one waiting for next week (if any) and every version. The ETag names the newest version (\"rules-v3\"): send it as If-Match with the PUT.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is Microsoft.OpenApi.OpenApiResponse response)
                {
                    response.Headers ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiHeader>();
                    response.Headers.TryAdd("ETag", new Microsoft.OpenApi.OpenApiHeader { Description = "The newest version, as \"rules-v3\": the If-Match of a PUT.", Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String } });
                }
                return Task.CompletedTask;
            });
        staff.MapPut("/streets/{street}/rules", PutAsync).WithName("PublishRules")
            .WithSummary("Publishes a new version (officers): validated, effective from the next week's start (not a date of the caller's: effectiveFrom is refused, as is any field a rule does not take). 201 with the new version, 200 when identical to the newest; the answer's ETag names the newest version. " +
                "With If-Match (the GET's ETag), rules read before another version was published are refused (412 rules-changed-since-read) and nothing is published. " +
                "Without it, rules the same officer published within two minutes as a version since replaced are taken for that request sent again late: answered 200 with that version and Idempotent-Replayed: true, and the newest stays (going back on purpose: send the newest version's ETag as If-Match). " +
                "With an Idempotency-Key, a retry is answered as the first request was, whatever was published since. " +
                "warnings names each chat command the new version leaves with no rule to report under (the chat reports under the default codes: a code renamed or dropped, or a rule no longer the person's own to report) and each deduction the system stops making (late-return, round-missed); code once-dropped names each rule kept without the once the version before gave it (what it no longer refuses: the same shop's reopening scored again, a round missed charged twice a day; command the chat command reporting under it, or empty). The version is published all the same.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
                {
                    Name = "If-Match", In = Microsoft.OpenApi.ParameterLocation.Header, Required = false,
                    Description = "The ETag of the rules as read (GET), e.g. \"rules-v3\": when another version has been published since, nothing is published (412 rules-changed-since-read). " +
                        "Optional (clients without it are answered as before, a late retry of their own earlier rules aside); * matches any.",
                    Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
                });
                return Task.CompletedTask;
            });
        return app;
    }

    /// <param name="Once">What the rule scores only once, whoever reports it: <c>target-per-cycle</c> (the same shop's
    /// reopening once a cycle), <c>subject-per-day</c> (a day's missed round once); null when each report is its own.</param>
    public sealed record RuleView(string Code, string NameZh, string NameEn, string AppliesTo, int Delta, IReadOnlyList<string> ReportedBy, bool NeedsVerification, int? WeeklyCap,
        string? Once);

    public sealed record RuleSetView(int Version, DateTimeOffset EffectiveFrom, IReadOnlyList<RuleView> Rules);

    /// <summary>A rule as the public reads it: what it is called, whom it applies to and its points; not who reports it.</summary>
    public sealed record PublicRuleView(string Code, string NameZh, string NameEn, string AppliesTo, int Points);

    public sealed record PublicRuleSetView(string Street, int Version, DateTimeOffset EffectiveFrom, IReadOnlyList<PublicRuleView> Rules);

    private static async Task<Results<Ok<PublicRuleSetView>, ProblemHttpResult>> GetPublicAsync(string street, string version, RuleBook book, HttpContext http, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        var n = check.OptionalNumber("version", version, 1, 100_000);
        if (check.Failed(out var bad)) return bad;
        var set = await book.PublicVersionAsync(street, n!.Value, ct);
        if (set.Failure is { } failure) return failure.ToProblem();
        // A version never changes once published.
        http.Response.Headers.CacheControl = PublicCaching.Frozen;
        return TypedResults.Ok(new PublicRuleSetView(street, set.Value!.Version, set.Value.EffectiveFrom,
            set.Value.Rules.Select(r => new PublicRuleView(r.Code, r.NameZh, r.NameEn, r.AppliesTo.ToWire(), r.Delta)).ToList()));
    }

    /// <summary>
    /// A chat command the published version leaves with no rule to report under (<c>chat-command-unbound</c>), or the
    /// system's deduction after one (<c>system-deduction-unbound</c>), or a rule kept without the once it had (<c>once-dropped</c>,
    /// command empty when no chat command reports under it): published all the same, as a street may drop a rule.
    /// </summary>
    public sealed record RuleWarningView(string Code, string Command, string Kind, string Rule, string Detail, string DetailZh);

    /// <summary>The version a PUT published (or found), with what it stops in the chat.</summary>
    public sealed record PublishedRulesView(int Version, DateTimeOffset EffectiveFrom, IReadOnlyList<RuleView> Rules, IReadOnlyList<RuleWarningView> Warnings);

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
        http.Response.Headers.ETag = ETagOf(RuleBook.NewestOf(v));
        return TypedResults.Ok(new RulesView(v.StreetId, View(v.Current), v.Upcoming is null ? null : View(v.Upcoming), v.Versions.Select(View).ToList()));
    }

    private static async Task<Results<Created<PublishedRulesView>, Ok<PublishedRulesView>, ProblemHttpResult>> PutAsync(string street, RulesRequest? body, HttpContext http,
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
        var published = await book.PublishAsync(http.Staff(), street, rules!, ReadVersions(http.Request.Headers.IfMatch), ct);
        if (published.Failure is { } failure)
        {
            // Refused as read before another version: the answer names the newest, the version to make the change to.
            if (failure.Code == RuleBook.ChangedSinceReadCode && await book.ReadAsync(http.Staff(), street, ct) is { Value: { } now })
                http.Response.Headers.ETag = ETagOf(RuleBook.NewestOf(now));
            return failure.ToProblem();
        }
        var p = published.Value!;
        var set = View(p.Set);
        var view = new PublishedRulesView(set.Version, set.EffectiveFrom, set.Rules,
            p.Warnings.Select(w => new RuleWarningView(w.Code, w.Command, w.Kind.ToWire(), w.Rule, w.English, w.Chinese)).ToList());
        http.Response.Headers.ETag = ETagOf(p.Newest);
        if (p.Replayed) http.Response.Headers[Idempotency.ReplayedHeader] = "true";
        return p.Created ? TypedResults.Created($"/api/streets/{street}/rules", view) : TypedResults.Ok(view);
    }

    /// <summary>
    /// Names the newest version, not the body: the rules an officer edits are the newest version's, and the body's
    /// "current" moves on by itself on Monday without anything to lose.
    /// </summary>
    private static string ETagOf(int newestVersion) => $"\"rules-v{newestVersion}\"";

    /// <summary>
    /// The versions an If-Match names: null when it is absent or <c>*</c> (the rules always exist). A weak tag or one
    /// not of ours names none (RFC 9110 compares If-Match strongly), so the PUT is refused rather than taken unchecked.
    /// </summary>
    private static IReadOnlySet<int>? ReadVersions(Microsoft.Extensions.Primitives.StringValues ifMatch)
    {
        if (ifMatch.Count == 0) return null;
        var versions = new HashSet<int>();
        foreach (var tag in ifMatch.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (tag == "*") return null;
            if (tag.StartsWith("\"rules-v", StringComparison.Ordinal) && tag.EndsWith('"')
                && int.TryParse(tag.AsSpan(8, tag.Length - 9), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v))
                versions.Add(v);
        }
        return versions;
    }

    private static RuleSetView View(RuleSet set) => new(set.Version, set.EffectiveFrom, set.Rules.Select(r =>
        new RuleView(r.Code, r.NameZh, r.NameEn, r.AppliesTo.ToWire(), r.Delta, r.ReportedBy.Select(x => x.ToWire()).ToList(), r.NeedsVerification, r.WeeklyCap, r.Once?.ToWire())).ToList());
}
