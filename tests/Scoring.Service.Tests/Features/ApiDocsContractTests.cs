using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Service.Features;

namespace Scoring.Service.Tests.Features;

/// <summary>What /openapi/v1.json promises a client generated from it: each route's own shapes, the fields it needs, the errors it answers and the values it writes.</summary>
public class ApiDocsContractTests
{
    private static async Task<JsonDocument> DocumentAsync(ServiceWorld world) => JsonDocument.Parse(await world.Client().GetStringAsync("/openapi/v1.json"));

    private static JsonElement Schema(JsonDocument doc, string name) => doc.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static string[] Names(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).Order().ToArray();

    [Fact]
    public async Task No_two_types_a_route_takes_or_answers_share_one_schema_id()
    {
        // The generator names a schema by the type's simple name: two records of one name would be documented as one (review 26a-3).
        await using var world = await ServiceWorld.CreateAsync();
        var json = world.Service<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var idOf = world.Service<IOptionsMonitor<OpenApiOptions>>().Get(ApiDocs.DocumentName).CreateSchemaReferenceId;
        var roots = world.Service<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items.SelectMany(g => g.Items)
            .SelectMany(d => d.ParameterDescriptions.Select(p => p.Type).Concat(d.SupportedResponseTypes.Select(r => r.Type)))
            .OfType<Type>();

        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type == typeof(void) || type == typeof(object) || !seen.Add(type)) continue;
            JsonTypeInfo info;
            try { info = json.GetTypeInfo(type); } catch (NotSupportedException) { continue; } // HttpContext and the like: bound, never a schema
            foreach (var p in info.Properties) pending.Push(p.PropertyType);
            if (info.ElementType is { } element) pending.Push(element);
            if (info.KeyType is { } key) pending.Push(key);
            foreach (var derived in info.PolymorphismOptions?.DerivedTypes ?? []) pending.Push(derived.DerivedType);
        }
        var shared = seen.Select(t => (Type: t, Id: idOf(json.GetTypeInfo(t))))
            .Where(x => x.Id is not null).GroupBy(x => x.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Type.FullName))}").ToList();

        Assert.True(shared.Count == 0, string.Join("\n", shared));
    }

    [Fact]
    public async Task The_rules_and_the_communities_are_documented_with_their_own_item_shapes()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = await DocumentAsync(world);

        var ruleSet = Schema(doc, "RuleSetView").GetProperty("properties").GetProperty("rules").GetProperty("items").GetProperty("$ref").GetString()!;
        var rule = Schema(doc, ruleSet.Split('/')[^1]).GetProperty("properties");
        Assert.True(rule.TryGetProperty("code", out _) && rule.TryGetProperty("appliesTo", out _), ruleSet);
        var community = Schema(doc, "CommunityView").GetProperty("properties");
        Assert.True(community.TryGetProperty("id", out _) && community.TryGetProperty("active", out _));
    }

    [Fact]
    public async Task A_request_body_requires_exactly_what_its_route_refuses_to_go_without()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = await DocumentAsync(world);

        static string[] Required(JsonElement schema) => schema.TryGetProperty("required", out var r) ? Names(r) : [];
        Assert.Equal(["evidence", "rule"], Required(Schema(doc, "ReportBody")));
        Assert.Equal(["kind"], Required(Schema(doc, "PublishRequest")));
        Assert.Equal(["points"], Required(Schema(doc, "RedemptionRequest")));
        var enrolment = Schema(doc, "EnrolmentRequest");
        Assert.Empty(Required(enrolment));
        Assert.Contains("exactly one", enrolment.GetProperty("description").GetString());
        // Refused when sent: not a field to send.
        Assert.False(Schema(doc, "RulesRequest").GetProperty("properties").TryGetProperty("effectiveFrom", out _));
    }

    [Fact]
    public async Task A_report_with_only_what_its_body_requires_is_taken()
    {
        // The other side of the required list: what the document leaves optional, the route goes without.
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-fangtang");

        var report = await secretary.PostKeyedAsJsonAsync("/api/subjects/landlord-1/events", new { rule = DefaultRules.LandlordService, evidence = "帮助登记租客" });
        var redemption = await secretary.PostKeyedAsJsonAsync("/api/subjects/landlord-1/redemptions", new { points = 1 });

        Assert.Equal(HttpStatusCode.Created, report.StatusCode);
        Assert.NotEqual(HttpStatusCode.BadRequest, redemption.StatusCode);
    }

    [Fact]
    public async Task The_bulk_approve_answers_each_item_s_rewards_overdrawn_as_the_single_approve_does()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var id = await world.ReportAsync("landlord-1");

        var response = await world.Client("secretary-fangtang").PostKeyedAsJsonAsync("/api/communities/fangtang/pending/approve", new { ids = new[] { id } });
        var item = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0];

        Assert.Equal(JsonValueKind.Number, item.GetProperty("rewardsOverdrawn").ValueKind);
        using var doc = await DocumentAsync(world);
        Assert.Contains("rewardsOverdrawn", Schema(doc, "ApproveManyResult").GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task The_bulk_approve_takes_a_whole_page_of_the_queue_and_documents_its_limit()
    {
        // A dashboard's "select all → approve" sends what one page of the queue showed.
        Assert.Equal(Verification.MaxPendingShown, VerificationApi.MaxBulk);
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = await DocumentAsync(world);
        var ids = Schema(doc, "ApproveManyRequest").GetProperty("properties").GetProperty("ids");
        Assert.Equal((1, VerificationApi.MaxBulk), (ids.GetProperty("minItems").GetInt32(), ids.GetProperty("maxItems").GetInt32()));
        var summary = doc.RootElement.GetProperty("paths").GetProperty("/api/communities/{community}/pending/approve").GetProperty("post").GetProperty("summary").GetString();
        Assert.Contains($"{VerificationApi.MaxBulk}", summary);

        var page = Enumerable.Range(0, VerificationApi.MaxBulk).Select(i => $"NOSUCH{i:D3}").ToArray();
        var response = await world.Client("secretary-fangtang").PostKeyedAsJsonAsync("/api/communities/fangtang/pending/approve", new { ids = page });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tooMany = await world.Client("secretary-fangtang").PostKeyedAsJsonAsync("/api/communities/fangtang/pending/approve", new { ids = page.Append("NOSUCHXXX") });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }

    [Theory]
    [InlineData(StatusCodes.Status413PayloadTooLarge, "Request body too large. The max request body size is 30000000 bytes.", "request-too-large")]
    [InlineData(StatusCodes.Status408RequestTimeout, "Reading the request body timed out due to data arriving too slowly.", "request-timeout")]
    public async Task A_body_the_server_would_not_read_is_coded_by_why(int status, string message, string code)
    {
        // Kestrel's body limit (413) and its minimum data rate (408) surface as a BadHttpRequestException (the in-memory test server enforces neither).
        await using var world = await ServiceWorld.CreateAsync();
        var handler = new ErrorResponses(world.Service<Microsoft.AspNetCore.Http.IProblemDetailsService>(), NullLogger<ErrorResponses>.Instance);
        using var scope = world.Factory.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Response.Body = new MemoryStream();

        Assert.True(await handler.TryHandleAsync(context, new BadHttpRequestException(message, status), default));

        context.Response.Body.Position = 0;
        var problem = await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body);
        Assert.Equal((status, code), (context.Response.StatusCode, problem.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Every_error_an_operation_documents_carries_a_problem()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = await DocumentAsync(world);

        var bare = new List<string>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _)))
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('4')))
                    if (!(response.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _)))
                        bare.Add($"{operation.Name} {path.Name} {response.Name}");

        Assert.True(bare.Count == 0, string.Join("\n", bare));
    }

    [Fact]
    public async Task A_staff_route_that_reads_a_json_body_documents_the_413_and_415_it_answers()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = await DocumentAsync(world);

        var missing = new List<string>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("security", out _)
                && o.Value.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out _)))
                foreach (var status in new[] { "413", "415" })
                    if (!operation.Value.GetProperty("responses").TryGetProperty(status, out _)) missing.Add($"{operation.Name} {path.Name} {status}");

        Assert.True(missing.Count == 0, string.Join("\n", missing));
        Assert.Contains("request-too-large", doc.RootElement.GetProperty("info").GetProperty("description").GetString());
    }

    [Fact]
    public async Task The_idempotency_key_names_the_codes_of_its_refusals_and_the_report_route_names_source_reused()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = await DocumentAsync(world);
        var report = doc.RootElement.GetProperty("paths").GetProperty("/api/subjects/{id}/events").GetProperty("post");

        var key = report.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == Idempotency.Header).GetProperty("description").GetString();
        foreach (var code in new[] { "bad-idempotency-key", "idempotency-key-reused", "idempotency-key-in-flight", "idempotency-outcome-unknown" })
            Assert.Contains(code, key);
        Assert.Contains("source-reused", report.GetProperty("responses").GetProperty("409").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Strings_with_a_closed_set_of_values_are_documented_as_enums_of_the_values_written()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var doc = await DocumentAsync(world);

        string[] Enum(string schema, string property)
        {
            var p = Schema(doc, schema).GetProperty("properties").GetProperty(property);
            if (p.TryGetProperty("items", out var items)) p = items;
            Assert.True(p.TryGetProperty("enum", out var values), $"{schema}.{property} has no enum");
            return values.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(v => v.GetString()!).Order().ToArray();
        }
        string[] Wire<T>(Func<T, string> wire) where T : struct, System.Enum => System.Enum.GetValues<T>().Select(wire).Order().ToArray();

        var statuses = Wire<EventStatus>(s => s.ToWire());
        foreach (var schema in new[] { "EventView", "ReportedEvent", "PendingView", "SubjectEventView", "HistoryItemView", "DecisionView" })
            Assert.Equal(statuses, Enum(schema, "status"));
        Assert.Equal(statuses, Enum("ApproveManyResult", "eventStatus"));
        Assert.Equal(statuses, Enum("TransitionView", "to"));
        Assert.Equal(["escalation", "status"], Enum("TransitionView", "kind"));
        var roles = Wire<StaffRole>(r => r.ToWire());
        Assert.Equal(roles, Enum("StaffView", "role"));
        Assert.Equal(roles, Enum("StaffDraft", "role"));
        var reporters = Wire<ReporterRole>(r => r.ToWire());
        foreach (var schema in new[] { "EventView", "PendingView", "HistoryItemView" })
            Assert.Equal(reporters, Enum(schema, "reporterRole"));
        var kinds = Wire<SubjectKind>(k => k.ToWire());
        foreach (var schema in new[] { "EventView", "PendingView", "SubjectView", "RosterSubjectView", "SubjectDraft", "PublicList", "StaffList", "PreviewList", "CandidateView" })
            Assert.Equal(kinds, Enum(schema, "kind"));
        // From the constants, not the list the document is built from: an action added without listing fails here.
        var recorded = typeof(StaffActions).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name is not (nameof(StaffActions.Console) or nameof(StaffActions.Retention)))
            .Select(f => (string)f.GetRawConstantValue()!).Order().ToArray();
        Assert.Equal(recorded, Enum("StaffActionView", "action"));
        var targets = typeof(StaffActions.Targets).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order().ToArray();
        Assert.Equal(["shop", "staff", "street", "subject", "tenant"], targets);
        Assert.Equal(targets, Enum("StaffActionView", "targetKind"));
        Assert.Equal(["red", "black"], Enum("ListChangeView", "list").OrderDescending().ToArray());
        Assert.Equal(["week-quarter", "week-year"], Enum("StreetSettingsView", "cycle"));
    }
}
