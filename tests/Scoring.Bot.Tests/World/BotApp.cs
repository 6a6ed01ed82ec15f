using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scoring.Bot.Endpoint;
using Scoring.Bot.Outbox;
using Scoring.Storage.Outbox;

namespace Scoring.Bot.Tests.World;

/// <summary>
/// The service's bot endpoint in an in-process test server (environment Testing) over a fresh
/// database, with its log captured. The outbox sender runs only when asked for, so nothing
/// leaves the process unless a test points replies at a local fake connector.
/// </summary>
public sealed class BotApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private BotApp(WebApplication app, TestDatabase database, LogCapture log)
    {
        this.app = app;
        Database = database;
        Log = log;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }
    public TestDatabase Database { get; }
    public LogCapture Log { get; }
    public IServiceProvider Services => app.Services;
    public OutboxStore Outbox => Services.GetRequiredService<OutboxStore>();

    public static async Task<BotApp> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        bool withSender = false)
    {
        var database = await TestDatabase.CreateAsync(TimeProvider.System);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        var log = new LogCapture();
        builder.Logging.ClearProviders().AddProvider(log);
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?> { ["Bot:AllowUnauthenticated"] = "true" });
        builder.Services.AddSingleton(database.Database);
        builder.Services.AddBot(builder.Configuration);
        if (!withSender)
        {
            var sender = builder.Services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(OutboxSender));
            builder.Services.Remove(sender);
        }
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapBotEndpoint();
        await app.StartAsync();
        return new BotApp(app, database, log);
    }

    public async Task<HttpResponseMessage> PostAsync(string json, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, BotEndpoint.Route)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Database.Dispose();
    }
}
