using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Scoring.Bot.Tests.World;

/// <summary>What the fake connector does with one request.</summary>
public sealed record ConnectorAnswer(int Status, TimeSpan? RetryAfter = null, bool Hang = false, string? Body = null)
{
    public static ConnectorAnswer Ok { get; } = new(200);
    public static ConnectorAnswer TooManyRequests(TimeSpan retryAfter) => new(429, retryAfter);
    public static ConnectorAnswer ServerError { get; } = new(500);
    public static ConnectorAnswer BadGateway { get; } = new(502);
    public static ConnectorAnswer NeverAnswer { get; } = new(0, Hang: true);
}

/// <summary>One request the fake connector received.</summary>
/// <param name="Attempt">1 for the first request carrying this text, 2 for the second…</param>
public sealed record ConnectorRequest(string RawTarget, string ConversationId, string? ReplyToId, string? Text, string? Authorization, int Attempt);

/// <summary>
/// A Bot Framework connector on a real loopback port that answers as scripted: 200 with an empty
/// body (like offline Direct Line), 429 with Retry-After, 5xx, or no answer at all.
/// </summary>
public sealed class FakeConnector : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> attemptsByText = new();
    private LocalServer? server;
    private int hanging;

    public ConcurrentQueue<ConnectorRequest> Received { get; } = new();

    /// <summary>Requests answered 2xx, in the order the answers were given.</summary>
    public ConcurrentQueue<ConnectorRequest> Delivered { get; } = new();

    public Func<ConnectorRequest, ConnectorAnswer> Script { get; set; } = _ => ConnectorAnswer.Ok;

    /// <summary>Requests being held without an answer right now.</summary>
    public int Hanging => Volatile.Read(ref hanging);

    public string ServiceUrl => server!.Address.ToString().TrimEnd('/');

    public static async Task<FakeConnector> StartAsync()
    {
        var connector = new FakeConnector();
        connector.server = await LocalServer.StartAsync(app => app.Run(connector.AnswerAsync));
        return connector;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var segments = raw.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (context.Request.Method != "POST" || segments.Length < 4 || segments[0] != "v3" || segments[1] != "conversations" || segments[3] != "activities")
        {
            context.Response.StatusCode = 404;
            return;
        }
        string? text = null;
        using (var body = await JsonDocument.ParseAsync(context.Request.Body))
        {
            if (body.RootElement.TryGetProperty("text", out var t))
            {
                text = t.GetString();
            }
        }
        var request = new ConnectorRequest(
            raw,
            Uri.UnescapeDataString(segments[2]),
            segments.Length > 4 ? Uri.UnescapeDataString(segments[4]) : null,
            text,
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
            attemptsByText.AddOrUpdate(text ?? "", 1, (_, n) => n + 1));
        Received.Enqueue(request);
        var answer = Script(request);
        if (answer.Hang)
        {
            Interlocked.Increment(ref hanging);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as it should.
            }
            finally
            {
                Interlocked.Decrement(ref hanging);
            }
            return;
        }
        if (answer.Status is >= 200 and < 300)
        {
            Delivered.Enqueue(request);
        }
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (answer.Body is { } json)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
