using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scoring.Bot.Tests.World;

namespace Scoring.Bot.Tests.Endpoint;

public sealed class BotEndpointAuthenticationTests : IAsyncLifetime
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/apac/";
    private ChannelIdentity identity = null!;
    private BotApp app = null!;

    public async Task InitializeAsync()
    {
        identity = await ChannelIdentity.StartAsync(TimeProvider.System);
        app = await BotApp.StartAsync(new Dictionary<string, string?>
        {
            ["Bot:MicrosoftAppId"] = ChannelIdentity.AppId,
            ["Bot:MicrosoftAppPassword"] = "secret",
            ["Bot:OpenIdMetadataUrl"] = identity.ChannelMetadataUrl,
            ["Bot:EmulatorOpenIdMetadataUrl"] = identity.EmulatorMetadataUrl,
        });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await identity.DisposeAsync();
    }

    private static string Activity(string channelId = "msteams")
    {
        var activity = BotEndpointTests.Message(deliveryMode: "expectReplies");
        activity["channelId"] = channelId;
        activity["serviceUrl"] = ServiceUrl;
        return activity.ToJsonString();
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();

    [Fact]
    public async Task A_valid_channel_token_gets_the_turn_answered()
    {
        var response = await app.PostAsync(Activity(), identity.ChannelToken(ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["activities"]!.AsArray());
    }

    [Fact]
    public async Task No_token_is_a_401_with_a_bearer_challenge()
    {
        var response = await app.PostAsync(Activity());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("bot-token-required", await CodeAsync(response));
    }

    [Fact]
    public async Task An_expired_token_is_a_401()
    {
        var response = await app.PostAsync(Activity(), identity.ChannelToken(ServiceUrl, expiresIn: TimeSpan.FromMinutes(-10)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("bot-token-invalid", await CodeAsync(response));
    }

    [Fact]
    public async Task A_token_for_another_service_url_is_a_403()
    {
        var response = await app.PostAsync(Activity(), identity.ChannelToken("https://elsewhere.example/"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("bot-token-not-for-activity", await CodeAsync(response));
    }

    [Fact]
    public async Task A_token_whose_key_is_not_endorsed_for_the_channel_is_a_403()
    {
        var response = await app.PostAsync(Activity("msteams"), identity.ChannelToken(ServiceUrl, keyId: ChannelIdentity.WebChatOnlyKeyId));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("bot-token-not-for-activity", await CodeAsync(response));
    }

    [Fact]
    public async Task Malformed_json_from_an_anonymous_caller_is_refused_as_unauthenticated_first()
    {
        var response = await app.PostAsync("{ not json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
