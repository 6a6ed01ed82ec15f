using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Scoring.Reliability.Tests.World;

/// <summary>How the channel treats one send.</summary>
public enum Fault { None, TooManyRequests, ServerError, BadGateway, Timeout, Reset, Refused }

/// <summary>One send the channel saw (a refused connection is never seen: the outage counts those).</summary>
public sealed record ChannelAttempt(string ConversationId, string? ReplyToId, string Text, long At, Fault Fault, int RetryAfterSeconds)
{
    public string Message => $"{ConversationId}\n{Text}";
    public double SecondsSince(ChannelAttempt earlier) => Stopwatch.GetElapsedTime(earlier.At, At).TotalSeconds;
}

/// <summary>
/// A Bot Framework connector on a loopback port that fails a share of sends the way real channels do: 429 with
/// Retry-After, 500, 502, no answer (a timeout), a dropped connection — and, during an outage, no listener at all
/// (connection refused). Which send fails is drawn from a seeded random; concurrent sends draw in arrival order, so a run is not exactly replayable.
/// </summary>
public sealed class FaultyChannel : IAsyncDisposable
{
    private readonly Random random;
    private readonly Lock drawing = new();
    private WebApplication? app;
    private int port;

    private FaultyChannel(int seed) => random = new Random(seed);

    /// <summary>The share of sends that fail (the rest answer 200 with an empty body, like offline Direct Line).</summary>
    public double FailureRate { get; set; } = 0.3;

    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Conversations whose every send gets this status (to exhaust the attempts, or to be refused outright).</summary>
    public ConcurrentDictionary<string, int> Always { get; } = new();

    public ConcurrentQueue<ChannelAttempt> Attempts { get; } = new();

    public string ServiceUrl => $"http://127.0.0.1:{port}";

    public int Outages { get; private set; }

    public static async Task<FaultyChannel> StartAsync(int seed)
    {
        var channel = new FaultyChannel(seed);
        await channel.ListenAsync(0);
        return channel;
    }

    /// <summary>Sends acknowledged with 2xx, per message (conversation and text).</summary>
    public IReadOnlyDictionary<string, int> Delivered() =>
        Attempts.Where(a => a.Fault == Fault.None && !Always.ContainsKey(a.ConversationId)).GroupBy(a => a.Message).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Stops listening for a while: every send in between finds the port closed.</summary>
    public async Task OutageAsync(TimeSpan length)
    {
        Outages++;
        await StopAsync();
        await Task.Delay(length);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await ListenAsync(port);
                return;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException && attempt < 20)
            {
                await Task.Delay(100); // the port may take a moment to be free again
            }
        }
    }

    private async Task ListenAsync(int onPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{onPort}");
        var web = builder.Build();
        web.Run(AnswerAsync);
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        port = new Uri(address).Port;
        app = web;
    }

    private Fault Draw(string conversationId)
    {
        lock (drawing)
        {
            var roll = random.NextDouble();
            if (roll >= FailureRate) return Fault.None;
            // The failures in equal shares of the whole rate: 429, 500, 502, no answer, dropped connection.
            return (int)(roll / FailureRate * 5) switch
            {
                0 => Fault.TooManyRequests,
                1 => Fault.ServerError,
                2 => Fault.BadGateway,
                3 => Fault.Timeout,
                _ => Fault.Reset,
            };
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var segments = raw.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (context.Request.Method != "POST" || segments is not ["v3", "conversations", _, "activities", ..])
        {
            context.Response.StatusCode = 404;
            return;
        }
        var conversation = Uri.UnescapeDataString(segments[2]);
        string text;
        using (var body = await JsonDocument.ParseAsync(context.Request.Body))
            text = body.RootElement.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";
        var fault = Always.ContainsKey(conversation) ? Fault.None : Draw(conversation);
        Attempts.Enqueue(new ChannelAttempt(conversation, segments.Length > 4 ? Uri.UnescapeDataString(segments[4]) : null, text,
            Stopwatch.GetTimestamp(), fault, fault == Fault.TooManyRequests ? RetryAfterSeconds : 0));
        if (Always.TryGetValue(conversation, out var always))
        {
            context.Response.StatusCode = always;
            return;
        }
        switch (fault)
        {
            case Fault.None:
                context.Response.StatusCode = 200;
                return;
            case Fault.TooManyRequests:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return;
            case Fault.ServerError:
                context.Response.StatusCode = 500;
                return;
            case Fault.BadGateway:
                context.Response.StatusCode = 502;
                return;
            case Fault.Timeout:
                try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
                catch (OperationCanceledException) { } // the sender gave up, as it should
                return;
            default:
                context.Abort();
                return;
        }
    }

    private async Task StopAsync()
    {
        if (app is null) return;
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(stopping.Token);
        await app.DisposeAsync();
        app = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
