using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>The OpenAPI document (/openapi/v1.json) and its reading room (/docs, Scalar).</summary>
public static class ApiDocs
{
    public const string BearerScheme = "Bearer";

    /// <summary>The one OpenAPI document (AddOpenApi's default name).</summary>
    public const string DocumentName = "v1";

    /// <summary>A query parameter the route refuses to go without (400), though its handler reads it as optional to say so itself.</summary>
    public sealed record RequiredQuery(string Name);

    /// <summary>What a route's answer of this status means there, in the codes it carries (written as that response's description).</summary>
    public sealed record Answer(int Status, string Description);

    public static IServiceCollection AddApiDocs(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Scoring API";
            document.Info.Description = "Twelve-point scoring for landlords and shop heads: verification, weekly red/black lists, honours, rewards, rules and enrolment. " +
                "Staff send 'Authorization: Bearer <token>'; errors are ProblemDetails with a stable 'code', also where no route answered: " +
                "not-found (no such route), method-not-allowed (the Allow header lists what the route takes), unauthorized (no or a bad token), " +
                "forbidden, unsupported-media-type (a body that is not JSON where JSON is read), request-too-large (413: a body larger than the server takes), rate-limited. " +
                "Every GET route also answers HEAD: the same status and headers, no body.";
            // Relative: the document is read from this service, whatever scheme and host a proxy in front of it shows
            // (one built from the request is http://127.0.0.1:5392 behind a TLS proxy, mixed content for /docs' "try it").
            document.Servers = [new OpenApiServer { Url = "/" }];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "A staff token (issued by an officer, or `staff token <id>` on the server).",
            };
            return Task.CompletedTask;
        });
        o.AddSchemaTransformer((schema, context, _) =>
        {
            // Whole numbers are read leniently ("5" is taken for 5), which the generator documents as "integer or
            // text matching a pattern"; every answer writes them as numbers, and client generators should see so.
            if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
            {
                schema.Type = type & ~JsonSchemaType.String;
                schema.Pattern = null;
            }
            if (context.JsonTypeInfo.Type == typeof(ProblemDetails)) DescribeProblem(schema);
            DescribeRequest(schema, context.JsonTypeInfo.Type);
            if (context.JsonPropertyInfo is { } property)
            {
                DescribeNullable(schema, property);
                DescribeValues(schema, property);
            }
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            foreach (var answer in metadata.OfType<Answer>())
                if (operation.Responses?.TryGetValue(answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var found) is true && found is OpenApiResponse response)
                    response.Description = answer.Description;
            DescribeParameters(operation, metadata);
            DescribeFiles(operation, metadata);
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                if (context.Description.HttpMethod is { } method && Idempotency.Writes(method))
                {
                    var required = metadata.OfType<Idempotency.KeyRequired>().Any();
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = Idempotency.Header, In = ParameterLocation.Header, Required = required,
                        Description = $"Makes the {method.ToUpperInvariant()} safe to retry: the first outcome is stored and replayed for the same key (header Idempotent-Replayed: true); " +
                            $"a key that is not 1 to {Idempotency.MaxKeyLength} visible ASCII characters, or more than one key (the header twice, or a comma-separated list), is 400 bad-idempotency-key; the same key with a different request is 422 idempotency-key-reused; " +
                            "while the first is still running, 409 idempotency-key-in-flight; a first answer that can no longer be replayed (kept under an app password since replaced), 409 idempotency-outcome-unknown." +
                            (required ? " Required here: without it the request is refused (428 idempotency-key-required), as a retry could not be told from a new request." : ""),
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Idempotency.MaxKeyLength },
                    });
                    operation.Responses ??= [];
                    Refusal(operation, context.Document, "409", "Conflict", "idempotency-key-in-flight (a request with this Idempotency-Key is still running) or idempotency-outcome-unknown (its first answer can no longer be replayed)");
                    Refusal(operation, context.Document, "422", "Unprocessable Entity", "idempotency-key-reused (this Idempotency-Key was used for a different request)");
                    if (required && operation.Responses.TryGetValue("428", out var missing) && missing is OpenApiResponse refusal)
                        refusal.Description = "No Idempotency-Key (idempotency-key-required).";
                }
                // A staff body is read as JSON before the handler sees it: too large for the server, or not JSON, is refused first.
                if (operation.RequestBody?.Content?.ContainsKey("application/json") is true)
                {
                    Refusal(operation, context.Document, "413", "Payload Too Large", "request-too-large (a body larger than the server takes)");
                    Refusal(operation, context.Document, "415", "Unsupported Media Type", "unsupported-media-type (a body not sent as application/json)");
                }
            }
            return Task.CompletedTask;
        });
    });

    /// <summary>What every problem carries beyond RFC 9457's fields: the stable code clients branch on, and what some add.</summary>
    private static void DescribeProblem(OpenApiSchema schema)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A stable code to branch on (e.g. list-not-published, forbidden, invalid-input, rate-limited)." };
        schema.Properties["detailZh"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The detail in Chinese: where the use case words it so, and on every refusal of a route's bad input (400, 415)." };
        schema.Properties["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The body's field the refusal is about, where it is about one." };
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Names the request in the service's log." };
        schema.Required ??= new HashSet<string>();
        schema.Required.Add("code");
    }

    /// <summary>
    /// A refusal the operation answers as a problem: added where the route's own metadata has none, and where it has one
    /// (a 409 of its own, the roster import's 422 report) given the problem's media type and the codes this one adds.
    /// </summary>
    private static void Refusal(OpenApiOperation operation, OpenApiDocument? document, string status, string title, string codes)
    {
        operation.Responses ??= [];
        if (operation.Responses.TryGetValue(status, out var found) && found is OpenApiResponse response)
            response.Description = $"{response.Description?.TrimEnd('.')}; also {codes}.";
        else operation.Responses[status] = response = new OpenApiResponse { Description = $"{title}: {codes}." };
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content.TryAdd("application/problem+json", new OpenApiMediaType { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), document) });
    }

    /// <summary>
    /// Which fields a request body must carry. A positional record makes every parameter required in the schema; these
    /// are what the routes refuse to go without (400), the rest is optional, and a field read only to be refused is not
    /// documented as one to send.
    /// </summary>
    private static void DescribeRequest(OpenApiSchema schema, Type type)
    {
        if (type == typeof(Reports.ReportBody)) Require(schema, "rule", "evidence");
        else if (type == typeof(Lists.PublishRequest)) Require(schema, "kind");
        else if (type == typeof(Subjects.RedemptionRequest)) Require(schema, "points");
        else if (type == typeof(PersonalDataApi.ErasureRequest)) Require(schema, "reason");
        else if (type == typeof(Enrolments.EnrolmentRequest))
        {
            Require(schema);
            schema.Description = "Whose code: exactly one of subjectId (a landlord or shop head) and staffId (a staff member); neither or both is 400.";
        }
        else if (type == typeof(Rules.RulesRequest)) schema.Properties?.Remove("effectiveFrom");
        else if (type == typeof(VerificationApi.ApproveManyRequest)) Require(schema, "ids");
    }

    private static void Require(OpenApiSchema schema, params string[] fields) => schema.Required = new HashSet<string>(fields);

    /// <summary>
    /// The strings written from a closed set of values, with the set, taken from the code that writes them (the domain's
    /// wire names) so the document cannot drift from the answers: a typed client switches on them exhaustively.
    /// Keyed by the record that carries the field (or one it derives from) and the field's JSON name.
    /// </summary>
    private static readonly IReadOnlyList<(Type Owner, string Field, IReadOnlyList<string> Values)> ClosedSets = BuildClosedSets();

    private static List<(Type, string, IReadOnlyList<string>)> BuildClosedSets()
    {
        IReadOnlyList<string> statuses = [.. Enum.GetValues<EventStatus>().Select(s => s.ToWire())];
        IReadOnlyList<string> kinds = [.. Enum.GetValues<SubjectKind>().Select(k => k.ToWire())];
        IReadOnlyList<string> reporters = [.. Enum.GetValues<ReporterRole>().Select(r => r.ToWire())];
        IReadOnlyList<string> roles = [.. Enum.GetValues<StaffRole>().Select(r => r.ToWire())];
        IReadOnlyList<string> cycles = [.. Enum.GetValues<CycleKind>().Select(c => c == CycleKind.WeekQuarter ? "week-quarter" : "week-year")];
        IReadOnlyList<string> once = [.. Enum.GetValues<OncePer>().Select(o => o.ToWire())];
        return
        [
            (typeof(ScoreEventView), "status", statuses), (typeof(VerificationApi.PendingView), "status", statuses),
            (typeof(Subjects.SubjectEventView), "status", statuses), (typeof(Subjects.HistoryItemView), "status", statuses),
            (typeof(VerificationApi.DecisionView), "status", statuses), (typeof(VerificationApi.ApproveManyResult), "eventStatus", statuses),
            (typeof(VerificationApi.TransitionView), "from", statuses), (typeof(VerificationApi.TransitionView), "to", statuses),
            (typeof(VerificationApi.TransitionView), "kind", [.. Enum.GetValues<TransitionKind>().Select(k => k.ToString().ToLowerInvariant())]),
            (typeof(VerificationApi.SameDayRecordView), "status", [EventStatus.Approved.ToWire(), EventStatus.Pending.ToWire()]),
            (typeof(ScoreEventView), "reporterRole", reporters), (typeof(VerificationApi.PendingView), "reporterRole", reporters),
            (typeof(Subjects.HistoryItemView), "reporterRole", reporters),
            (typeof(RostersApi.StaffView), "role", roles), (typeof(StaffDraft), "role", roles),
            (typeof(ScoreEventView), "kind", kinds), (typeof(VerificationApi.PendingView), "kind", kinds), (typeof(Subjects.SubjectView), "kind", kinds),
            (typeof(RostersApi.RosterSubjectView), "kind", kinds), (typeof(SubjectDraft), "kind", kinds), (typeof(Lists.PublicList), "kind", kinds),
            (typeof(Lists.StaffList), "kind", kinds), (typeof(Lists.PreviewList), "kind", kinds), (typeof(Lists.PublishRequest), "kind", kinds),
            (typeof(Honours.CandidateView), "kind", kinds), (typeof(WeeklyReportsApi.ListView), "kind", kinds), (typeof(Rules.RuleWarningView), "kind", kinds),
            (typeof(Rules.RuleView), "appliesTo", kinds), (typeof(RuleDraft), "appliesTo", kinds),
            (typeof(Rules.RuleView), "reportedBy", reporters), (typeof(RuleDraft), "reportedBy", reporters),
            (typeof(Rules.RuleView), "once", once), (typeof(RuleDraft), "once", once),
            (typeof(StreetSettingsView), "cycle", cycles), (typeof(SettingsDraft), "cycle", cycles),
            (typeof(StaffActionsApi.StaffActionView), "action", StaffActions.Actions),
            (typeof(StaffActionsApi.StaffActionView), "targetKind", StaffActions.Targets.All),
            (typeof(Enrolments.EnrolmentView), "personKind", ["subject", "staff"]),
            (typeof(Lists.ListChangeView), "list", ["red", "black"]),
            (typeof(Lists.ListChangeView), "change", ["joined", "left", "renamed", "moved"]),
        ];
    }

    /// <summary>
    /// A property declared nullable is documented so, also where the generator reads no nullability: a get-only property
    /// set in a constructor of its own (ReportedEvent.sameDayRecord, null nearly always) came out as a bare reference,
    /// which a typed client reads as always there. A reference is marked for the generator to write as oneOf [null, $ref].
    /// </summary>
    private static void DescribeNullable(OpenApiSchema schema, System.Text.Json.Serialization.Metadata.JsonPropertyInfo property)
    {
        if (property.AttributeProvider is not System.Reflection.PropertyInfo info || info.PropertyType.IsValueType) return;
        // Made for each property: the context is not thread-safe, and the document is built rarely.
        if (new System.Reflection.NullabilityInfoContext().Create(info).ReadState != System.Reflection.NullabilityState.Nullable) return;
        if (schema.Metadata?.TryGetValue("x-schema-id", out var id) is true && id is string { Length: > 0 })
            schema.Metadata["x-is-nullable-property"] = true; // the generator's own mark (OpenApiConstants.NullableProperty)
        else if (schema.Type is { } type) schema.Type = type | JsonSchemaType.Null;
    }

    /// <summary>A field of <see cref="ClosedSets"/> as an enum (of its items, for a list; with null where the field may be null).</summary>
    private static void DescribeValues(OpenApiSchema schema, System.Text.Json.Serialization.Metadata.JsonPropertyInfo property)
    {
        var set = ClosedSets.FirstOrDefault(c => c.Field == property.Name && c.Owner.IsAssignableFrom(property.DeclaringType)).Values;
        if (set is null) return;
        var target = schema.Items as OpenApiSchema ?? schema;
        target.Enum = [.. set.Select(v => (JsonNode)JsonValue.Create(v)), .. target.Type?.HasFlag(JsonSchemaType.Null) is true ? [null!] : Array.Empty<JsonNode>()];
    }

    /// <summary>Path and query parameters every handler reads as text and checks itself: their shape, and which are required.</summary>
    private static void DescribeParameters(OpenApiOperation operation, IList<object> metadata)
    {
        var required = metadata.OfType<RequiredQuery>().Select(r => r.Name).ToHashSet();
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.Schema is not OpenApiSchema schema) continue;
            if (parameter.In == ParameterLocation.Path && parameter.Name == "week")
            {
                schema.Pattern = @"^\d{4}-W\d{2}$";
                parameter.Description ??= "An ISO week, like 2026-W47.";
            }
            if (parameter.In == ParameterLocation.Query && parameter.Name == "kind")
                schema.Enum = [JsonValue.Create("landlord"), JsonValue.Create("shop-head")];
            if (parameter.In == ParameterLocation.Query && required.Contains(parameter.Name!)) parameter.Required = true;
        }
    }

    /// <summary>
    /// A file or page a route answers (CSV, xlsx, HTML) is declared with its media type alone, which the generator drops
    /// for want of a type: the success then reads as carrying nothing. Each such media type is written back, as text or
    /// as binary.
    /// </summary>
    private static void DescribeFiles(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var produced in metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>().Where(p => (p.Type is null || p.Type == typeof(void)) && p.StatusCode is >= 200 and < 300))
        {
            if (operation.Responses?.TryGetValue(produced.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var found) is not true || found is not OpenApiResponse response) continue;
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            foreach (var mediaType in produced.ContentTypes)
            {
                var text = mediaType.StartsWith("text/", StringComparison.Ordinal);
                response.Content.TryAdd(mediaType, new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = text ? null : "binary" } });
            }
        }
    }

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        // The framework answers a document it has not with bare text; a mistyped name is a 404 like any other route's.
        app.MapOpenApi().AddEndpointFilter((context, next) =>
            string.Equals(context.HttpContext.GetRouteValue("documentName") as string, DocumentName, StringComparison.OrdinalIgnoreCase)
                ? next(context)
                : ValueTask.FromResult<object?>(Problems.Of(StatusCodes.Status404NotFound, "not-found",
                    $"There is no API document '{Scoring.Application.RosterText.Clip(context.HttpContext.GetRouteValue("documentName") as string)}': the API is described at /openapi/{DocumentName}.json.",
                    $"没有「{Scoring.Application.RosterText.Clip(context.HttpContext.GetRouteValue("documentName") as string)}」这份接口文档；接口说明见 /openapi/{DocumentName}.json。")));
        app.MapScalarApiReference("/docs", o => o.WithTitle("Scoring API")).WithMetadata(ContentSecurityPolicy.Docs);
        return app;
    }
}
