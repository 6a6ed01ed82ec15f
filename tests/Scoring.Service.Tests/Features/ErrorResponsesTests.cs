using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Scoring.Service.Features;
using Scoring.Storage;

namespace Scoring.Service.Tests.Features;

public class ErrorResponsesTests
{
    private static async Task<(HttpContext Context, JsonElement Body)> HandleAsync(ServiceWorld world, Exception error, ILogger<ErrorResponses>? log = null)
    {
        var context = new DefaultHttpContext { RequestServices = world.Factory.Services };
        context.Response.Body = new MemoryStream();
        var handler = new ErrorResponses(world.Service<IProblemDetailsService>(), log ?? NullLogger<ErrorResponses>.Instance);
        Assert.True(await handler.TryHandleAsync(context, error, CancellationToken.None));
        context.Response.Body.Position = 0;
        return (context, await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body));
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_is_503_with_retry_after()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var (context, body) = await HandleAsync(world, new SqliteException("unable to open database file", 14));

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal(TransientFaults.RetryAfterSeconds.ToString(), context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("database-unavailable", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Health_of_a_database_that_cannot_be_opened_is_503_coded_as_on_every_other_route()
    {
        var missing = Path.Combine(Path.GetTempPath(), "scoring-no-such-dir-" + Guid.NewGuid().ToString("N"), "x.db");
        await using var db = new Database(StorageProvider.Sqlite, $"Data Source={missing};Mode=ReadOnly");

        var answer = await Health.CheckAsync(db, CancellationToken.None);

        var problem = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>(answer.Result);
        Assert.Equal(503, problem.StatusCode);
        Assert.Equal("database-unavailable", problem.ProblemDetails.Extensions["code"]);
    }

    [Fact]
    public async Task A_true_bug_is_500_without_its_message_or_stack_trace()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var (context, body) = await HandleAsync(world, new InvalidOperationException("secret internals 13900000001"));

        Assert.Equal(500, context.Response.StatusCode);
        var text = body.GetRawText();
        Assert.DoesNotContain("secret internals", text);
        Assert.DoesNotContain("13900000001", text);
        Assert.DoesNotContain("   at ", text);
    }

    [Fact]
    public async Task A_database_error_is_logged_without_its_message_which_can_quote_a_row()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var log = new RecordingLog();
        // As SQL Server words a duplicate key: the values, a phone among them, are in the message.
        var duplicate = new SqliteException("Cannot insert duplicate key row. The duplicate key value is (houzhai, 13900000001).", 19);

        var (context, _) = await HandleAsync(world, duplicate, log);

        Assert.Equal(500, context.Response.StatusCode);
        var line = Assert.Single(log.Lines);
        Assert.Contains(nameof(SqliteException), line);
        Assert.DoesNotContain("13900000001", line);
    }

    [Fact]
    public async Task A_database_error_wrapped_in_another_or_a_column_dapper_could_not_read_is_logged_without_the_values_either()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var log = new RecordingLog();
        // A database error inside another exception, and Dapper's own words when a column does not convert: it quotes the value.
        var wrapped = new InvalidOperationException("The write failed.",
            new SqliteException("Cannot insert duplicate key row. The duplicate key value is (houzhai, 13900000001).", 19));
        var unreadable = new System.Data.DataException("Error parsing column 3 (phone=13900000002 - String)", new FormatException());

        var together = new AggregateException(new TimeoutException(), unreadable);

        await HandleAsync(world, wrapped, log);
        await HandleAsync(world, unreadable, log);
        await HandleAsync(world, together, log);

        Assert.Equal(3, log.Lines.Count);
        Assert.Contains(nameof(SqliteException), log.Lines[0]);
        Assert.Contains(nameof(System.Data.DataException), log.Lines[1]);
        Assert.All(log.Lines, line => Assert.DoesNotContain("1390000000", line));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/html")]
    public async Task A_malformed_body_and_a_wrong_method_are_ProblemDetails_whatever_the_client_accepts(string accept)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var id = await world.ReportAsync("landlord-1");
        var client = world.Client("secretary-fangtang");
        client.DefaultRequestHeaders.Add("Accept", accept);

        var malformed = await client.PostAsync($"/api/events/{id}/reject", new StringContent("{bad", System.Text.Encoding.UTF8, "application/json"));
        var wrongMethod = await client.GetAsync($"/api/events/{id}/approve");

        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (malformed.StatusCode, malformed.Content.Headers.ContentType?.MediaType));
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "application/problem+json"), (wrongMethod.StatusCode, wrongMethod.Content.Headers.ContentType?.MediaType));
        Assert.Contains("\"status\":400", await malformed.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/api/nope", null, 404, "not-found")]
    [InlineData("GET", "/api/communities/fangtang/pending", null, 401, "unauthorized")]
    [InlineData("GET", "/api/communities/fangtang/pending", "st_not-a-real-token", 401, "unauthorized")]
    [InlineData("DELETE", "/healthz", null, 405, "method-not-allowed")]
    [InlineData("OPTIONS", "/api/streets/houzhai/lists/2026-W46", null, 405, "method-not-allowed")]
    [InlineData("POST", "/api/messages", null, 400, "activity-malformed")]
    public async Task A_problem_the_framework_answers_carries_a_stable_code_as_ours_do(string method, string url, string? token, int status, string code)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var client = world.Client();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

        Assert.Equal((status, "application/problem+json"), ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType));
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        // Said in Chinese too, as every refusal a person may read is (the chat endpoint answers channels, not people).
        if (url != "/api/messages") Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detailZh").GetString());
    }

    [Fact]
    public async Task A_wrong_method_is_405_naming_the_methods_the_route_takes_in_the_detail_and_the_allow_header()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var id = await world.ReportAsync("landlord-1");

        var response = await world.Client("secretary-fangtang").GetAsync($"/api/events/{id}/approve");
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Equal("method-not-allowed", problem.GetProperty("code").GetString());
        Assert.Contains("POST", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("application/json; charset=nonsense")]
    [InlineData("application/json; charset=\"\"")]
    [InlineData("application/json; charset=utf-7")]
    public async Task A_JSON_body_in_a_charset_no_encoding_has_is_415_with_a_code_not_a_500(string contentType)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var body = new ByteArrayContent("{\"rule\":\"corridor-not-disinfected\",\"evidence\":\"楼道未消毒\"}"u8.ToArray());
        body.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await world.Client("officer-1").PostKeyedAsync("/api/subjects/landlord-1/events", body);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "application/problem+json"), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
        Assert.Equal("unsupported-charset", problem.GetProperty("code").GetString());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detailZh").GetString());
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json; charset=gb18030")]
    public async Task A_JSON_body_in_a_charset_the_service_reads_is_taken(string contentType)
    {
        await using var world = await ServiceWorld.CreateAsync();
        // 楼道未消毒 in GB18030, written out. The code pages are process-wide and other tests register them too (AngleSharp
        // does): that start-up still does is told by a service process of its own (StartupTests).
        byte[] words = contentType.EndsWith("gb18030") ? [0xC2, 0xA5, 0xB5, 0xC0, 0xCE, 0xB4, 0xCF, 0xFB, 0xB6, 0xBE] : "楼道未消毒"u8.ToArray();
        var body = new ByteArrayContent([.. "{\"rule\":\"corridor-not-disinfected\",\"evidence\":\""u8, .. words, .. "\"}"u8]);
        body.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await world.Client("officer-1").PostKeyedAsync("/api/subjects/landlord-1/events", body);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Contains("楼道未消毒", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_JSON_body_whose_bytes_are_not_utf8_is_told_to_send_utf8_or_name_its_charset()
    {
        // What a Windows tool sends: GBK bytes as application/json, no charset named.
        await using var world = await ServiceWorld.CreateAsync();
        byte[] gbk = [0xC2, 0xA5, 0xB5, 0xC0, 0xCE, 0xB4, 0xCF, 0xFB, 0xB6, 0xBE]; // 楼道未消毒
        var body = new ByteArrayContent([.. "{\"rule\":\"corridor-not-disinfected\",\"evidence\":\""u8, .. gbk, .. "\"}"u8]);
        body.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        var response = await world.Client("officer-1").PostKeyedAsync("/api/subjects/landlord-1/events", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("not UTF-8", detail, StringComparison.Ordinal);
        Assert.Contains("charset", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong kind", detail, StringComparison.Ordinal);
        Assert.Contains("UTF-8", problem.GetProperty("detailZh").GetString(), StringComparison.Ordinal);
        Assert.Equal("evidence", problem.GetProperty("field").GetString());
    }

    /// <summary>Every line written, with its exception in full, as a log collector keeps it.</summary>
    private sealed class RecordingLog : ILogger<ErrorResponses>
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{formatter(state, exception)} {exception}");
    }

    [Fact]
    public async Task A_status_has_one_problem_type_whether_an_endpoint_or_the_framework_refused()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");

        var noRoute = await world.Client().GetAsync("/api/no-such-route");
        var notPublished = await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W40?kind=landlord");
        var notJson = await officer.PostAsync("/api/streets/houzhai/lists/2026-W46/publish", new StringContent("{x", System.Text.Encoding.UTF8, "application/json"));
        var noKind = await officer.PostAsync("/api/streets/houzhai/lists/2026-W46/publish", ServiceWorld.Json(new { }));

        async Task<string?> TypeOf(HttpResponseMessage r) => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString();
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (noRoute.StatusCode, notPublished.StatusCode));
        Assert.Equal(await TypeOf(noRoute), await TypeOf(notPublished));
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (notJson.StatusCode, noKind.StatusCode));
        Assert.Equal(await TypeOf(notJson), await TypeOf(noKind));
    }
}
