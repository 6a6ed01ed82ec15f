using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace Scoring.Bot.Connector;

/// <summary>Gives the bearer token for calls to the connector, or null when the bot has no app id.</summary>
public interface IOutboundTokenSource
{
    ValueTask<string?> GetTokenAsync(CancellationToken ct);
}

/// <summary>
/// Client-credentials tokens for the Bot Framework connector from Microsoft Entra (MSAL caches
/// them and renews them before they expire).
/// </summary>
public sealed class ClientCredentialsTokenSource : IOutboundTokenSource
{
    public const string Scope = "https://api.botframework.com/.default";
    public const string HttpClientName = "bot-token";

    private readonly IConfidentialClientApplication? application;

    public ClientCredentialsTokenSource(IOptions<BotOptions> options, IHttpClientFactory httpClients)
    {
        var bot = options.Value;
        if (!bot.HasAppId)
        {
            return;
        }
        application = ConfidentialClientApplicationBuilder.Create(bot.MicrosoftAppId)
            .WithClientSecret(bot.MicrosoftAppPassword)
            .WithAuthority(Authority(bot.MicrosoftAppTenantId), validateAuthority: true)
            // Known public cloud: no instance discovery round trip is needed.
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new MsalHttpClients(httpClients))
            .Build();
    }

    /// <summary>Multi-tenant bots get their tokens from botframework.com, single-tenant ones from their own tenant.</summary>
    public static string Authority(string? tenantId) =>
        $"https://login.microsoftonline.com/{(string.IsNullOrWhiteSpace(tenantId) ? "botframework.com" : tenantId.Trim())}";

    public async ValueTask<string?> GetTokenAsync(CancellationToken ct)
    {
        if (application is null)
        {
            return null;
        }
        var result = await application.AcquireTokenForClient([Scope]).ExecuteAsync(ct);
        return result.AccessToken;
    }

    private sealed class MsalHttpClients(IHttpClientFactory httpClients) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => httpClients.CreateClient(HttpClientName);
    }
}
