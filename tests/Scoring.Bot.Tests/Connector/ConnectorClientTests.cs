using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Scoring.Bot.Connector;
using Scoring.Bot.Tests.World;

namespace Scoring.Bot.Tests.Connector;

public sealed class ConnectorClientTests
{
    [Fact]
    public void A_reply_address_escapes_colons_and_pipes_in_ids()
    {
        var uri = ConnectorClient.ActivitiesUri("https://smba.trafficmanager.net/apac/", "a:1b|livechat", "1234|5:6");

        Assert.Equal("https://smba.trafficmanager.net/apac/v3/conversations/a%3A1b%7Clivechat/activities/1234%7C5%3A6", uri.AbsoluteUri);
    }

    [Fact]
    public void A_proactive_message_goes_to_the_conversation_itself()
    {
        var uri = ConnectorClient.ActivitiesUri("http://127.0.0.1:3000", "conv/1", null);

        Assert.Equal("http://127.0.0.1:3000/v3/conversations/conv%2F1/activities", uri.AbsoluteUri);
    }

    [Fact]
    public async Task A_200_with_an_empty_body_counts_as_sent_and_no_token_goes_out_without_an_app_id()
    {
        await using var world = await OutboxWorld.CreateAsync();
        var client = world.Services.GetRequiredService<ConnectorClient>();

        var result = await client.SendAsync(world.Connector.ServiceUrl, "a:b|c", "x|y", """{"type":"message","text":"hi"}""", CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        var request = Assert.Single(world.Connector.Received);
        Assert.Equal("/v3/conversations/a%3Ab%7Cc/activities/x%7Cy", request.RawTarget);
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task A_201_with_a_resource_response_counts_as_sent()
    {
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = _ => new ConnectorAnswer(201, Body: """{"id":"reply-1"}""");

        var result = await world.Services.GetRequiredService<ConnectorClient>()
            .SendAsync(world.Connector.ServiceUrl, "c", null, """{"text":"hi"}""", CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal(201, result.StatusCode);
    }

    [Fact]
    public async Task A_brief_failure_is_retried_within_the_send()
    {
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = request => request.Attempt == 1 ? ConnectorAnswer.BadGateway : ConnectorAnswer.Ok;

        var sending = world.Services.GetRequiredService<ConnectorClient>()
            .SendAsync(world.Connector.ServiceUrl, "c", null, """{"text":"flaky"}""", CancellationToken.None);
        await world.RunUntilAsync(() => sending.IsCompleted);

        Assert.Equal(DeliveryOutcome.Sent, (await sending).Outcome);
        Assert.Equal(2, world.Connector.Received.Count);
    }

    [Fact]
    public async Task A_429_is_handed_back_to_the_outbox_even_with_a_short_Retry_After_so_the_host_is_paced_as_one()
    {
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = request => request.Attempt == 1 ? ConnectorAnswer.TooManyRequests(TimeSpan.FromSeconds(1)) : ConnectorAnswer.Ok;

        var sending = world.Services.GetRequiredService<ConnectorClient>()
            .SendAsync(world.Connector.ServiceUrl, "c", null, """{"text":"throttled"}""", CancellationToken.None);
        await world.RunUntilAsync(() => sending.IsCompleted);

        var result = await sending;
        Assert.Equal(DeliveryOutcome.Retry, result.Outcome);
        Assert.Equal(429, result.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), result.RetryAfter);
        Assert.Single(world.Connector.Received);
    }

    [Fact]
    public async Task A_long_Retry_After_is_handed_back_to_the_outbox_instead_of_waited_out_in_the_send()
    {
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = _ => ConnectorAnswer.TooManyRequests(TimeSpan.FromSeconds(60));

        var sending = world.Services.GetRequiredService<ConnectorClient>()
            .SendAsync(world.Connector.ServiceUrl, "c", null, """{"text":"throttled"}""", CancellationToken.None);
        await world.RunUntilAsync(() => sending.IsCompleted);

        var result = await sending;
        Assert.Equal(DeliveryOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(60), result.RetryAfter);
        Assert.Single(world.Connector.Received);
    }

    [Fact]
    public async Task A_connector_that_never_answers_times_out_as_worth_retrying()
    {
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = _ => ConnectorAnswer.NeverAnswer;

        var sending = world.Services.GetRequiredService<ConnectorClient>()
            .SendAsync(world.Connector.ServiceUrl, "c", null, """{"text":"silence"}""", CancellationToken.None);
        await world.RunUntilAsync(() => sending.IsCompleted);

        var result = await sending;
        Assert.Equal(DeliveryOutcome.Retry, result.Outcome);
        Assert.Contains("did not answer in time", result.Problem);
        Assert.Equal(2, world.Connector.Received.Count);
    }

    [Theory]
    [InlineData(400, DeliveryOutcome.Rejected)]
    [InlineData(403, DeliveryOutcome.Rejected)]
    [InlineData(404, DeliveryOutcome.Rejected)]
    [InlineData(412, DeliveryOutcome.Retry)]
    [InlineData(429, DeliveryOutcome.Retry)]
    [InlineData(500, DeliveryOutcome.Retry)]
    [InlineData(503, DeliveryOutcome.Retry)]
    [InlineData(504, DeliveryOutcome.Retry)]
    public async Task Each_status_gets_its_verdict(int status, DeliveryOutcome expected)
    {
        await using var world = await OutboxWorld.CreateAsync(new Dictionary<string, string?> { ["Bot:Connector:MaxRetryAttempts"] = "0" });
        world.Connector.Script = _ => new ConnectorAnswer(status);

        var result = await world.Services.GetRequiredService<ConnectorClient>()
            .SendAsync(world.Connector.ServiceUrl, "c", null, """{"text":"x"}""", CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(status, result.StatusCode);
    }

    [Fact]
    public void Retry_After_is_read_as_seconds_or_as_a_date_on_our_clock()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        using var seconds = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        seconds.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        using var date = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        date.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(90));
        using var none = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.Equal(TimeSpan.FromSeconds(7), ConnectorClient.RetryAfter(seconds, time));
        Assert.Equal(TimeSpan.FromSeconds(90), ConnectorClient.RetryAfter(date, time));
        Assert.Null(ConnectorClient.RetryAfter(none, time));
    }

    [Theory]
    [InlineData(null, "https://login.microsoftonline.com/botframework.com")]
    [InlineData("", "https://login.microsoftonline.com/botframework.com")]
    [InlineData("0d3b0c9e-1111-2222-3333-444444444444", "https://login.microsoftonline.com/0d3b0c9e-1111-2222-3333-444444444444")]
    public void Outbound_tokens_come_from_botframework_com_or_the_bots_own_tenant(string? tenant, string authority)
    {
        Assert.Equal(authority, ClientCredentialsTokenSource.Authority(tenant));
    }

    [Fact]
    public async Task With_an_app_id_a_client_credentials_token_is_fetched_once_and_sent_as_a_bearer()
    {
        await using var connector = await FakeConnector.StartAsync();
        var login = new FakeLogin();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bot:MicrosoftAppId"] = ChannelIdentity.AppId,
            ["Bot:MicrosoftAppPassword"] = "s3cret",
            ["Bot:MicrosoftAppTenantId"] = "0d3b0c9e-1111-2222-3333-444444444444",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Testing" })
            .AddBot(configuration);
        // The token request never leaves the process: the login endpoint is faked at the HTTP handler.
        services.AddHttpClient(ClientCredentialsTokenSource.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => login);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<ConnectorClient>();

        await client.SendAsync(connector.ServiceUrl, "c", null, """{"text":"one"}""", CancellationToken.None);
        await client.SendAsync(connector.ServiceUrl, "c", null, """{"text":"two"}""", CancellationToken.None);

        Assert.All(connector.Received, r => Assert.Equal("Bearer token-1", r.Authorization));
        var tokenRequest = Assert.Single(login.Requests);
        Assert.Equal("https://login.microsoftonline.com/0d3b0c9e-1111-2222-3333-444444444444/oauth2/v2.0/token", tokenRequest.Uri);
        Assert.Contains("scope=https%3A%2F%2Fapi.botframework.com%2F.default", tokenRequest.Body);
        Assert.Contains("grant_type=client_credentials", tokenRequest.Body);
    }

    [Fact]
    public async Task A_send_logs_no_conversation_id_which_on_sms_is_the_persons_phone_number()
    {
        // The SMS channel's conversation id is the person's phone number; the connector's address carries it.
        await using var connector = await FakeConnector.StartAsync();
        var log = new LogCapture();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(log))
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Testing" })
            .AddBot(new ConfigurationBuilder().Build());
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<ConnectorClient>();

        var sent = await client.SendAsync(connector.ServiceUrl, "+8613812345678", "+8613812345678|1", """{"text":"hi"}""", CancellationToken.None);
        connector.Script = _ => new ConnectorAnswer(404, Body: """{"error":{"code":"ConversationNotFound","message":"+8613812345678"}}""");
        var refused = await client.SendAsync(connector.ServiceUrl, "+8613812345678", null, """{"text":"hi"}""", CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, sent.Outcome);
        Assert.Equal(DeliveryOutcome.Rejected, refused.Outcome);
        Assert.DoesNotContain("13812345678", refused.Problem);
        Assert.DoesNotContain(log.Texts, line => line.Contains("13812345678", StringComparison.Ordinal));
    }

    /// <summary>The bot's services as a production deployment with our app's credentials has them.</summary>
    private static IServiceCollection ProductionBot() =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Production" })
            .AddBot(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Bot:MicrosoftAppId"] = ChannelIdentity.AppId,
                ["Bot:MicrosoftAppPassword"] = "s3cret",
            }).Build());

    [Theory]
    [InlineData("http://attacker.example/")]
    [InlineData("http://169.254.169.254/")]
    [InlineData("http://10.0.0.7:8080/")]
    public async Task Our_bearer_token_never_goes_to_a_service_url_over_plain_http_off_this_machine(string serviceUrl)
    {
        var login = new FakeLogin();
        var network = new Recorder();
        var services = ProductionBot();
        services.AddHttpClient(ClientCredentialsTokenSource.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => login);
        services.AddHttpClient<ConnectorClient>().ConfigurePrimaryHttpMessageHandler(() => network);
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<ConnectorClient>().SendAsync(serviceUrl, "c", null, """{"text":"hi"}""", CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("https", result.Problem);
        Assert.Empty(network.Requests);
    }

    [Fact]
    public async Task In_production_our_bearer_token_goes_only_over_https_even_to_this_machine()
    {
        // A reference kept from a Development run on the same database (the Emulator's http://localhost:…) must not
        // hand the token to whatever listens on that port now.
        await using var connector = await FakeConnector.StartAsync();
        var services = ProductionBot();
        services.AddHttpClient(ClientCredentialsTokenSource.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new FakeLogin());
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<ConnectorClient>().SendAsync(connector.ServiceUrl, "c", null, """{"text":"hi"}""", CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Empty(connector.Received);
    }

    /// <summary>Stands in for the network: records what would have been sent, answers 200.</summary>
    private sealed class Recorder : HttpMessageHandler
    {
        public List<(Uri Uri, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add((request.RequestUri!, request.Headers.Authorization?.ToString()));
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    private sealed class FakeLogin : HttpMessageHandler
    {
        public List<(string Uri, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (Requests)
            {
                Requests.Add((request.RequestUri!.GetLeftPart(UriPartial.Path), body));
            }
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"token-{{Requests.Count}}"}""", Encoding.UTF8, "application/json"),
            };
        }
    }
}
