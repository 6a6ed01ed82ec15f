using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Scoring.Bot.Protocol;

namespace Scoring.Bot.Auth;

public enum AuthenticationVerdict
{
    Allowed,
    /// <summary>No token, or not a valid one (401).</summary>
    Unauthorized,
    /// <summary>A valid token that was not issued for this activity (403).</summary>
    Forbidden,
    /// <summary>The signing keys could not be fetched (503): our problem, not the caller's.</summary>
    Unavailable,
}

/// <param name="Problem">Why the request was refused, safe to show the caller (no token contents).</param>
/// <param name="Code">The refusal's stable code, for the problem's <c>code</c>.</param>
public sealed record AuthenticationResult(AuthenticationVerdict Verdict, string? Problem = null, string? Code = null)
{
    public static AuthenticationResult Allowed { get; } = new(AuthenticationVerdict.Allowed);
}

/// <summary>
/// Checks that an inbound activity really comes from a Bot Framework channel (or the Emulator)
/// for this bot: the JWT's issuer, audience, lifetime, RS256 signature with a published key, and
/// that the token was issued for this activity's service URL by a key endorsed for its channel.
/// Emulator tokens (Entra) are taken only in Development/Testing: they name no service URL.
/// </summary>
public sealed class ChannelAuthentication
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>Issuers of Emulator tokens (Entra v1 and v2, two tenants).</summary>
    public static IReadOnlyList<string> EmulatorIssuers { get; } =
    [
        "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
        "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0",
        "https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
        "https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0",
    ];

    /// <summary>What a caller is told when the bot has no app id and anonymous use is not allowed.</summary>
    public static AuthenticationResult NotConfigured { get; } = Unauthorized("bot-not-configured",
        "This bot has no Bot:MicrosoftAppId, so it cannot check who is calling. Set Bot:MicrosoftAppId and " +
        "Bot:MicrosoftAppPassword from the Azure Bot registration, or for local clients in Development/Testing " +
        "set Bot:AllowUnauthenticated=true.");

    /// <summary>What a caller is told when an activity comes without a bearer token.</summary>
    public static AuthenticationResult TokenRequired { get; } =
        Unauthorized("bot-token-required", "A Bot Framework bearer token is required in the Authorization header.");

    private const string TokenInvalid = "bot-token-invalid";
    private const string TokenNotForActivity = "bot-token-not-for-activity";
    private const string EmulatorTokenRefused = "bot-emulator-token-refused";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly BotOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<ChannelAuthentication> logger;
    private readonly bool acceptEmulatorTokens;
    private readonly JsonWebTokenHandler handler = new();
    private readonly IConfigurationManager<OpenIdConnectConfiguration> channelKeys;
    private readonly IConfigurationManager<OpenIdConnectConfiguration> emulatorKeys;

    public ChannelAuthentication(IOptions<BotOptions> options, IHttpClientFactory httpClients, TimeProvider time, IHostEnvironment environment, ILogger<ChannelAuthentication> logger)
    {
        this.options = options.Value;
        acceptEmulatorTokens = BotOptionsValidation.IsRelaxedEnvironment(environment);
        this.time = time;
        this.logger = logger;
        channelKeys = KeysFrom(this.options.OpenIdMetadataUrl, httpClients, this.options.SigningKeyRefreshInterval);
        emulatorKeys = KeysFrom(this.options.EmulatorOpenIdMetadataUrl, httpClients, this.options.SigningKeyRefreshInterval);
    }

    internal const string MetadataHttpClient = "bot-openid-metadata";

    public async Task<AuthenticationResult> AuthenticateAsync(string? authorization, Activity activity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!options.HasAppId)
        {
            return options.AllowUnauthenticated
                ? AuthenticationResult.Allowed
                : NotConfigured;
        }

        var token = BearerToken(authorization);
        if (token is null)
        {
            return TokenRequired;
        }
        JsonWebToken jwt;
        try
        {
            jwt = handler.ReadJsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException or FormatException)
        {
            return Unauthorized(TokenInvalid, "The bearer token is not a readable JWT.");
        }

        var fromEmulator = EmulatorIssuers.Contains(jwt.Issuer, StringComparer.Ordinal);
        if (fromEmulator && !acceptEmulatorTokens)
        {
            // An Emulator token binds no serviceUrl: the reply, with our outbound bearer token, would go wherever the
            // activity said. Channels send Bot Framework tokens; the Emulator is for Development/Testing.
            return Unauthorized(EmulatorTokenRefused, "Emulator tokens are only accepted in Development/Testing; channels send Bot Framework tokens.");
        }
        var keys = fromEmulator ? emulatorKeys : channelKeys;
        var configuration = await KeysOrNullAsync(keys, fromEmulator, ct);
        if (configuration is null)
        {
            return new AuthenticationResult(AuthenticationVerdict.Unavailable, "The signing keys to check the token could not be fetched; try again later.", "bot-keys-unavailable");
        }

        var result = await handler.ValidateTokenAsync(jwt, Parameters(configuration, fromEmulator));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys rotate: fetch them again once (the manager rate-limits this) before refusing.
            keys.RequestRefresh();
            configuration = await KeysOrNullAsync(keys, fromEmulator, ct) ?? configuration;
            result = await handler.ValidateTokenAsync(jwt, Parameters(configuration, fromEmulator));
        }
        if (!result.IsValid)
        {
            logger.LogInformation("Refused a bot token: {Reason}", result.Exception?.GetType().Name);
            return Unauthorized(TokenInvalid, "The bearer token is not valid for this bot (issuer, audience, lifetime or signature).");
        }

        return fromEmulator ? CheckEmulatorToken(jwt, configuration, activity) : CheckChannelToken(jwt, configuration, activity);
    }

    private async Task<OpenIdConnectConfiguration?> KeysOrNullAsync(IConfigurationManager<OpenIdConnectConfiguration> keys, bool fromEmulator, CancellationToken ct)
    {
        try
        {
            return await keys.GetConfigurationAsync(ct);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogError(e, "Could not fetch the Bot Framework signing keys (emulator: {Emulator})", fromEmulator);
            return null;
        }
    }

    private AuthenticationResult CheckChannelToken(JsonWebToken jwt, OpenIdConnectConfiguration configuration, Activity activity)
    {
        var serviceUrl = Claim(jwt, "serviceurl");
        if (serviceUrl is null || !SameServiceUrl(serviceUrl, activity.ServiceUrl))
        {
            return Forbidden(TokenNotForActivity, "The token was not issued for this activity's serviceUrl.");
        }
        var endorsements = Endorsements(configuration, jwt.Kid);
        if (endorsements is null || !endorsements.Contains(activity.ChannelId ?? "", StringComparer.OrdinalIgnoreCase))
        {
            return Forbidden(TokenNotForActivity, "The token's signing key is not endorsed for this activity's channel.");
        }
        return AuthenticationResult.Allowed;
    }

    private AuthenticationResult CheckEmulatorToken(JsonWebToken jwt, OpenIdConnectConfiguration configuration, Activity activity)
    {
        // v1 tokens name the calling app in appid, v2 tokens in azp.
        var appId = Claim(jwt, "appid") ?? Claim(jwt, "azp");
        if (!string.Equals(appId, options.MicrosoftAppId, StringComparison.OrdinalIgnoreCase))
        {
            return Unauthorized(TokenInvalid, "The Emulator token was not issued to this bot's app id.");
        }
        // Entra keys carry no endorsements; when one does, it must cover the channel.
        var endorsements = Endorsements(configuration, jwt.Kid);
        if (endorsements is not null && !endorsements.Contains(activity.ChannelId ?? "", StringComparer.OrdinalIgnoreCase))
        {
            return Forbidden(TokenNotForActivity, "The token's signing key is not endorsed for this activity's channel.");
        }
        return AuthenticationResult.Allowed;
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration, bool fromEmulator) => new()
    {
        ValidateIssuer = true,
        ValidIssuers = fromEmulator ? EmulatorIssuers : [BotFrameworkIssuer],
        ValidateAudience = true,
        ValidAudience = options.MicrosoftAppId,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        LifetimeValidator = IsWithinLifetime,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        IssuerSigningKeys = configuration.SigningKeys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        TryAllIssuerSigningKeys = false,
    };

    /// <summary>Lifetime with 5 minutes of skew either way, read from the injected clock.</summary>
    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } end
            && end.ToUniversalTime() >= now - ClockSkew
            && (notBefore is not { } start || start.ToUniversalTime() <= now + ClockSkew);
    }

    private static IConfigurationManager<OpenIdConnectConfiguration> KeysFrom(string url, IHttpClientFactory httpClients, TimeSpan refresh)
    {
        var retriever = new HttpDocumentRetriever(httpClients.CreateClient(MetadataHttpClient))
        {
            RequireHttps = new Uri(url).Scheme == Uri.UriSchemeHttps || !new Uri(url).IsLoopback,
        };
        return new ConfigurationManager<OpenIdConnectConfiguration>(url, new OpenIdConnectConfigurationRetriever(), retriever)
        {
            AutomaticRefreshInterval = refresh,
            RefreshInterval = TimeSpan.FromMinutes(5),
        };
    }

    private static string? BearerToken(string? authorization)
    {
        const string scheme = "Bearer ";
        if (string.IsNullOrWhiteSpace(authorization) || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = authorization[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    private static string? Claim(JsonWebToken jwt, string type) =>
        jwt.Claims.FirstOrDefault(claim => string.Equals(claim.Type, type, StringComparison.OrdinalIgnoreCase))?.Value;

    private static bool SameServiceUrl(string claimed, string? actual) =>
        actual is not null && string.Equals(claimed.TrimEnd('/'), actual.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>The channels a published key is endorsed for, or null when the key lists none.</summary>
    private static IReadOnlyList<string>? Endorsements(OpenIdConnectConfiguration configuration, string? keyId)
    {
        var key = configuration.JsonWebKeySet?.Keys.FirstOrDefault(k => keyId is not null && string.Equals(k.Kid, keyId, StringComparison.Ordinal));
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var value))
        {
            return null;
        }
        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList(),
            string single => [single],
            System.Collections.IEnumerable items => items.Cast<object?>().Select(item => item?.ToString()).OfType<string>().ToList(),
            _ => [],
        };
    }

    private static AuthenticationResult Unauthorized(string code, string problem) => new(AuthenticationVerdict.Unauthorized, problem, code);

    private static AuthenticationResult Forbidden(string code, string problem) => new(AuthenticationVerdict.Forbidden, problem, code);
}
