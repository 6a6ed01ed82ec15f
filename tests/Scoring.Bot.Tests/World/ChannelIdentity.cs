using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scoring.Bot.Auth;

namespace Scoring.Bot.Tests.World;

/// <summary>
/// Stands in for login.botframework.com and the Entra metadata: serves OpenID metadata and JWKS
/// (with endorsements) on a loopback port, and mints tokens with the matching private keys.
/// </summary>
public sealed class ChannelIdentity : IAsyncDisposable
{
    public const string AppId = "11111111-2222-3333-4444-555555555555";
    public const string ChannelKeyId = "channel-key";
    public const string WebChatOnlyKeyId = "webchat-only-key";
    public const string EmulatorKeyId = "emulator-key";

    private readonly RSA channelKey = RSA.Create(2048);
    private readonly RSA webChatOnlyKey = RSA.Create(2048);
    private readonly RSA emulatorKey = RSA.Create(2048);
    private readonly TimeProvider time;
    private LocalServer? server;

    private ChannelIdentity(TimeProvider time) => this.time = time;

    /// <summary>A key nobody published.</summary>
    public RSA RogueKey { get; } = RSA.Create(2048);

    public string ChannelMetadataUrl => $"{server!.Address}bf/.well-known/openidconfiguration";
    public string EmulatorMetadataUrl => $"{server!.Address}entra/.well-known/openid-configuration";

    public static async Task<ChannelIdentity> StartAsync(TimeProvider time)
    {
        var identity = new ChannelIdentity(time);
        identity.server = await LocalServer.StartAsync(app =>
        {
            app.MapGet("/bf/.well-known/openidconfiguration", (HttpContext c) => Metadata(c, "https://api.botframework.com", "bf"));
            app.MapGet("/bf/keys", () => Results.Text(new JsonObject
            {
                ["keys"] = new JsonArray(
                    Jwk(identity.channelKey, ChannelKeyId, ["msteams", "webchat", "emulator", "directline"]),
                    Jwk(identity.webChatOnlyKey, WebChatOnlyKeyId, ["webchat"])),
            }.ToJsonString(), "application/json"));
            app.MapGet("/entra/.well-known/openid-configuration", (HttpContext c) => Metadata(c, "https://login.microsoftonline.com/{tenantid}/v2.0", "entra"));
            app.MapGet("/entra/keys", () => Results.Text(new JsonObject
            {
                ["keys"] = new JsonArray(Jwk(identity.emulatorKey, EmulatorKeyId, endorsements: null)),
            }.ToJsonString(), "application/json"));
        });
        return identity;
    }

    /// <summary>A channel token as the Bot Framework issues it, with any part overridden.</summary>
    public string ChannelToken(
        string serviceUrl,
        string? audience = AppId,
        string issuer = ChannelAuthentication.BotFrameworkIssuer,
        TimeSpan? expiresIn = null,
        TimeSpan? notBeforeIn = null,
        string keyId = ChannelKeyId,
        RSA? signWith = null,
        string algorithm = SecurityAlgorithms.RsaSha256,
        bool withServiceUrl = true)
    {
        var claims = new Dictionary<string, object>();
        if (withServiceUrl)
        {
            claims["serviceurl"] = serviceUrl;
        }
        return Mint(issuer, audience, claims, signWith ?? (keyId == WebChatOnlyKeyId ? webChatOnlyKey : channelKey), keyId, algorithm, expiresIn, notBeforeIn);
    }

    /// <summary>
    /// A channel token forged as attackers do: "none" with no signature, or HS256 keyed with the published RSA key's
    /// public bytes (the key-confusion trick on libraries that take the key's type from the token).
    /// </summary>
    public string ForgedChannelToken(string serviceUrl, string algorithm)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = algorithm, ["typ"] = "JWT", ["kid"] = ChannelKeyId };
        var payload = new JsonObject
        {
            ["iss"] = ChannelAuthentication.BotFrameworkIssuer, ["aud"] = AppId, ["serviceurl"] = serviceUrl,
            ["nbf"] = now - 60, ["iat"] = now - 60, ["exp"] = now + 3600,
        };
        var signed = $"{Base64UrlEncoder.Encode(header.ToJsonString())}.{Base64UrlEncoder.Encode(payload.ToJsonString())}";
        if (algorithm == "none")
        {
            return signed + ".";
        }
        var publicKey = channelKey.ExportSubjectPublicKeyInfoPem();
        var mac = HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(publicKey), System.Text.Encoding.ASCII.GetBytes(signed));
        return $"{signed}.{Base64UrlEncoder.Encode(mac)}";
    }

    /// <summary>An Emulator token (Entra), naming the app in appid (v1) or azp (v2).</summary>
    public string EmulatorToken(string issuer, string appIdClaim, string appId = AppId) =>
        Mint(issuer, AppId, new Dictionary<string, object> { [appIdClaim] = appId, ["ver"] = appIdClaim == "appid" ? "1.0" : "2.0" },
            emulatorKey, EmulatorKeyId, SecurityAlgorithms.RsaSha256, null, null);

    private string Mint(string issuer, string? audience, Dictionary<string, object> claims, RSA key, string keyId, string algorithm, TimeSpan? expiresIn, TimeSpan? notBeforeIn)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now + (notBeforeIn ?? TimeSpan.FromMinutes(-1)),
            Expires = now + (expiresIn ?? TimeSpan.FromHours(1)),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = keyId }, algorithm),
        });
    }

    private static IResult Metadata(HttpContext context, string issuer, string prefix)
    {
        var self = $"{context.Request.Scheme}://{context.Request.Host}";
        return Results.Text(new JsonObject
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = $"{self}/{prefix}/authorize",
            ["jwks_uri"] = $"{self}/{prefix}/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        }.ToJsonString(), "application/json");
    }

    private static JsonObject Jwk(RSA key, string keyId, string[]? endorsements)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = keyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        if (endorsements is not null)
        {
            jwk["endorsements"] = new JsonArray(endorsements.Select(e => (JsonNode)e).ToArray());
        }
        return jwk;
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
        channelKey.Dispose();
        webChatOnlyKey.Dispose();
        emulatorKey.Dispose();
        RogueKey.Dispose();
    }
}
