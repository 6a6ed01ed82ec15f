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

    /// <summary>Every line written, with its exception in full, as a log collector keeps it.</summary>
    private sealed class RecordingLog : ILogger<ErrorResponses>
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{formatter(state, exception)} {exception}");
    }
}
