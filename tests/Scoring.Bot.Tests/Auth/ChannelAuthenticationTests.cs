using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Scoring.Bot.Auth;
using Scoring.Bot.Protocol;
using Scoring.Bot.Tests.World;

namespace Scoring.Bot.Tests.Auth;

public sealed class ChannelAuthenticationTests : IAsyncLifetime
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/apac/";
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private ChannelIdentity identity = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        identity = await ChannelIdentity.StartAsync(time);
        services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await identity.DisposeAsync();
    }

    private ChannelAuthentication Authentication(string? appId = ChannelIdentity.AppId, bool allowUnauthenticated = false, string? metadataUrl = null,
        string environment = "Testing") => new(
        Options.Create(new BotOptions
        {
            MicrosoftAppId = appId,
            MicrosoftAppPassword = "secret",
            AllowUnauthenticated = allowUnauthenticated,
            OpenIdMetadataUrl = metadataUrl ?? identity.ChannelMetadataUrl,
            EmulatorOpenIdMetadataUrl = identity.EmulatorMetadataUrl,
        }),
        services.GetRequiredService<IHttpClientFactory>(),
        time,
        new HostingEnvironment { EnvironmentName = environment },
        NullLogger<ChannelAuthentication>.Instance);

    private static Activity From(string channelId = "msteams", string serviceUrl = ServiceUrl) => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = channelId,
        ServiceUrl = serviceUrl,
        From = new ChannelAccount { Id = "29:user" },
        Conversation = new ConversationAccount { Id = "a:conv" },
    };

    private async Task<AuthenticationVerdict> VerdictAsync(string? token, Activity? activity = null, ChannelAuthentication? authentication = null) =>
        (await (authentication ?? Authentication()).AuthenticateAsync(token is null ? null : $"Bearer {token}", activity ?? From(), CancellationToken.None)).Verdict;

    [Fact]
    public async Task A_valid_channel_token_is_accepted()
    {
        Assert.Equal(AuthenticationVerdict.Allowed, await VerdictAsync(identity.ChannelToken(ServiceUrl)));
    }

    [Fact]
    public async Task A_token_for_the_same_service_url_without_its_trailing_slash_is_accepted()
    {
        Assert.Equal(AuthenticationVerdict.Allowed, await VerdictAsync(identity.ChannelToken(ServiceUrl.TrimEnd('/'))));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        Assert.Equal(AuthenticationVerdict.Unauthorized, await VerdictAsync(identity.ChannelToken(ServiceUrl, expiresIn: TimeSpan.FromMinutes(-6))));
    }

    [Fact]
    public async Task A_token_expired_less_than_five_minutes_ago_is_within_the_clock_skew()
    {
        Assert.Equal(AuthenticationVerdict.Allowed, await VerdictAsync(identity.ChannelToken(ServiceUrl, expiresIn: TimeSpan.FromMinutes(-4))));
    }

    [Fact]
    public async Task A_token_that_expires_as_the_clock_moves_on_is_refused_then()
    {
        var token = identity.ChannelToken(ServiceUrl, expiresIn: TimeSpan.FromMinutes(10));
        var authentication = Authentication();
        Assert.Equal(AuthenticationVerdict.Allowed, await VerdictAsync(token, authentication: authentication));

        time.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(AuthenticationVerdict.Unauthorized, await VerdictAsync(token, authentication: authentication));
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_refused()
    {
        Assert.Equal(AuthenticationVerdict.Unauthorized, await VerdictAsync(identity.ChannelToken(ServiceUrl, notBeforeIn: TimeSpan.FromMinutes(10))));
    }

    [Fact]
    public async Task A_token_for_another_bot_is_refused()
    {
        Assert.Equal(AuthenticationVerdict.Unauthorized, await VerdictAsync(identity.ChannelToken(ServiceUrl, audience: "some-other-bot")));
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        Assert.Equal(AuthenticationVerdict.Unauthorized, await VerdictAsync(identity.ChannelToken(ServiceUrl, issuer: "https://api.botframework.com.evil.example")));
    }

    [Fact]
    public async Task A_token_signed_with_an_unpublished_key_is_refused()
    {
        Assert.Equal(AuthenticationVerdict.Unauthorized, await VerdictAsync(identity.ChannelToken(ServiceUrl, signWith: identity.RogueKey)));
        Assert.Equal(AuthenticationVerdict.Unauthorized, await VerdictAsync(identity.ChannelToken(ServiceUrl, signWith: identity.RogueKey, keyId: "unknown-key")));
    }

    [Fact]
    public async Task A_token_signed_with_another_algorithm_than_RS256_is_refused()
    {
        Assert.Equal(AuthenticationVerdict.Unauthorized, await VerdictAsync(identity.ChannelToken(ServiceUrl, algorithm: SecurityAlgorithms.RsaSha512)));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    public async Task An_unsigned_token_or_one_keyed_with_the_public_key_is_refused(string algorithm)
    {
        Assert.Equal(AuthenticationVerdict.Unauthorized, await VerdictAsync(identity.ForgedChannelToken(ServiceUrl, algorithm)));
    }

    [Fact]
    public async Task A_token_issued_for_another_service_url_is_forbidden()
    {
        Assert.Equal(AuthenticationVerdict.Forbidden, await VerdictAsync(identity.ChannelToken("https://attacker.example/")));
        Assert.Equal(AuthenticationVerdict.Forbidden, await VerdictAsync(identity.ChannelToken(ServiceUrl, withServiceUrl: false)));
    }

    [Fact]
    public async Task A_token_whose_key_is_not_endorsed_for_the_channel_is_forbidden()
    {
        var token = identity.ChannelToken(ServiceUrl, keyId: ChannelIdentity.WebChatOnlyKeyId);

        Assert.Equal(AuthenticationVerdict.Forbidden, await VerdictAsync(token, From(channelId: "msteams")));
        Assert.Equal(AuthenticationVerdict.Allowed, await VerdictAsync(token, From(channelId: "webchat")));
    }

    [Theory]
    [InlineData("https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/", "appid")]
    [InlineData("https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0", "azp")]
    [InlineData("https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/", "appid")]
    [InlineData("https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0", "azp")]
    public async Task An_emulator_token_is_accepted(string issuer, string appIdClaim)
    {
        Assert.Equal(AuthenticationVerdict.Allowed, await VerdictAsync(identity.EmulatorToken(issuer, appIdClaim), From(channelId: "emulator", serviceUrl: "http://localhost:5000")));
    }

    [Theory]
    [InlineData("https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/", "appid")]
    [InlineData("https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0", "azp")]
    public async Task An_emulator_token_is_refused_in_production_where_nothing_binds_it_to_a_service_url(string issuer, string appIdClaim)
    {
        // An Emulator token names no serviceUrl: accepted, the reply (and our outbound bearer token) would go wherever the activity says.
        var production = Authentication(environment: "Production");
        var attackersHost = From(channelId: "emulator", serviceUrl: "https://attacker.example/");

        var result = await production.AuthenticateAsync($"Bearer {identity.EmulatorToken(issuer, appIdClaim)}", attackersHost, CancellationToken.None);

        Assert.Equal(AuthenticationVerdict.Unauthorized, result.Verdict);
        Assert.Equal("bot-emulator-token-refused", result.Code);
        Assert.Equal(AuthenticationVerdict.Allowed, await VerdictAsync(identity.ChannelToken(ServiceUrl), authentication: production));
    }

    [Fact]
    public async Task An_emulator_token_issued_to_another_app_is_refused()
    {
        var token = identity.EmulatorToken("https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/", "appid", appId: "another-app");

        Assert.Equal(AuthenticationVerdict.Unauthorized, await VerdictAsync(token, From(channelId: "emulator")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer not.a.jwt")]
    [InlineData("Bearer ")]
    public async Task A_missing_or_unreadable_token_is_refused(string? authorization)
    {
        var result = await Authentication().AuthenticateAsync(authorization, From(), CancellationToken.None);

        Assert.Equal(AuthenticationVerdict.Unauthorized, result.Verdict);
    }

    [Fact]
    public async Task Without_an_app_id_nobody_is_let_in_unless_anonymous_use_is_allowed()
    {
        var closed = await Authentication(appId: null).AuthenticateAsync(null, From(), CancellationToken.None);
        var open = await Authentication(appId: null, allowUnauthenticated: true).AuthenticateAsync(null, From(), CancellationToken.None);

        Assert.Equal(AuthenticationVerdict.Unauthorized, closed.Verdict);
        Assert.Contains("Bot:AllowUnauthenticated=true", closed.Problem);
        Assert.Contains("Bot:MicrosoftAppId", closed.Problem);
        Assert.Equal(AuthenticationVerdict.Allowed, open.Verdict);
    }

    [Fact]
    public async Task Unreachable_signing_keys_are_our_problem_not_the_callers()
    {
        var authentication = Authentication(metadataUrl: "http://127.0.0.1:1/.well-known/openidconfiguration");

        Assert.Equal(AuthenticationVerdict.Unavailable, await VerdictAsync(identity.ChannelToken(ServiceUrl), authentication: authentication));
    }
}
