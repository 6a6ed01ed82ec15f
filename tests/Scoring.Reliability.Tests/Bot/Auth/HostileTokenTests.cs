using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Scoring.Bot.Auth;
using Scoring.Bot.Tests.World;
using Scoring.Reliability.Tests.Service.Features;
using Scoring.Reliability.Tests.World;

namespace Scoring.Reliability.Tests.Bot.Auth;

/// <summary>
/// The whole service with a Bot:MicrosoftAppId (so every activity needs a channel token), signing keys served by a
/// local stand-in for the Bot Framework's OpenID metadata: forged, expired, wrong-audience, unsigned and otherwise
/// bent tokens are refused with 401/403 and never score; and guessing enrolment codes is cut off.
/// </summary>
public sealed class HostileTokenTests
{
    private const string AppPassword = "app-password-never-logged-7f3a";

    [Fact]
    public async Task Forged_expired_wrong_audience_and_unsigned_bot_tokens_are_refused_and_change_nothing()
    {
        var clock = new FakeTimeProvider(ReliabilityWorld.Wednesday);
        await using var identity = await ChannelIdentity.StartAsync(clock);
        await ReliabilityWorld.RunAsync(new WorldOptions
        {
            Scale = 3,
            FakeClock = true,
            Settings = new Dictionary<string, string?>
            {
                ["Bot:AllowUnauthenticated"] = "false",
                ["Bot:MicrosoftAppId"] = ChannelIdentity.AppId,
                ["Bot:MicrosoftAppPassword"] = AppPassword,
                ["Bot:OpenIdMetadataUrl"] = identity.ChannelMetadataUrl,
                ["Bot:EmulatorOpenIdMetadataUrl"] = identity.EmulatorMetadataUrl,
            },
        }, async world =>
        {
            world.Secrets.Add(AppPassword);
            const string ServiceUrl = "http://127.0.0.1:9";
            var ledger = world.LedgerFingerprint();
            using var client = world.Client();
            var report = ReliabilityWorld.Message("load-1", "违规 租客1 夜间喧哗", "token-report", serviceUrl: ServiceUrl);

            var refused = new (string What, string? Token, HttpStatusCode Expected)[]
            {
                ("no token", null, HttpStatusCode.Unauthorized),
                ("garbage", "not-a-jwt", HttpStatusCode.Unauthorized),
                ("signed with an unpublished key", identity.ChannelToken(ServiceUrl, signWith: identity.RogueKey), HttpStatusCode.Unauthorized),
                ("expired an hour ago", identity.ChannelToken(ServiceUrl, expiresIn: TimeSpan.FromHours(-1)), HttpStatusCode.Unauthorized),
                ("not valid for another hour", identity.ChannelToken(ServiceUrl, notBeforeIn: TimeSpan.FromHours(1)), HttpStatusCode.Unauthorized),
                ("for another bot", identity.ChannelToken(ServiceUrl, audience: "99999999-0000-0000-0000-000000000000"), HttpStatusCode.Unauthorized),
                ("without an audience", identity.ChannelToken(ServiceUrl, audience: null), HttpStatusCode.Unauthorized),
                ("from another issuer", identity.ChannelToken(ServiceUrl, issuer: "https://evil.example"), HttpStatusCode.Unauthorized),
                ("HS256 under the channel key's id", Hmac(ServiceUrl), HttpStatusCode.Unauthorized),
                ("unsigned (alg none)", Unsigned(ServiceUrl), HttpStatusCode.Unauthorized),
                ("with the signature cut off", string.Join('.', identity.ChannelToken(ServiceUrl).Split('.')[..2]) + ".", HttpStatusCode.Unauthorized),
                ("with a tampered payload", Tampered(identity.ChannelToken(ServiceUrl)), HttpStatusCode.Unauthorized),
                ("for another serviceUrl", identity.ChannelToken("http://evil.example"), HttpStatusCode.Forbidden),
                ("from a key not endorsed for the channel", identity.ChannelToken(ServiceUrl, keyId: ChannelIdentity.WebChatOnlyKeyId), HttpStatusCode.Forbidden),
            };
            foreach (var (what, token, expected) in refused)
            {
                using var response = await world.PostActivityAsync(client, report, token);
                Assert.True(response.StatusCode == expected, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            Assert.Equal(ledger, world.LedgerFingerprint());

            // The same activity with a good token goes through: the refusals above were about the tokens.
            using var accepted = await world.PostActivityAsync(client, report, identity.ChannelToken(ServiceUrl));
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(1, world.Scalar("SELECT count(*) FROM score_events"));
            Hostile.Count(refused.Length + 1, fourXx: refused.Length, twoXx: 1);
        });
    }

    [Fact]
    public async Task Guessing_enrolment_codes_is_cut_off_after_five_wrong_ones_even_for_the_right_code_until_an_hour_has_passed()
    {
        await ReliabilityWorld.RunAsync(new WorldOptions { FakeClock = true }, async world =>
        {
            using var client = world.Client();
            var ledger = world.LedgerFingerprint();
            var right = world.CodeOf("landlord-2");
            int n = 0;
            async Task<string> SayAsync(string text)
            {
                using var response = await world.PostActivityAsync(client, ReliabilityWorld.Message("guesser", text, $"guess-{n++}"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return string.Join("\n", ReliabilityWorld.ReplyTexts(await response.Content.ReadAsStringAsync()));
            }

            for (int i = 0; i < 5; i++)
                Assert.Contains("绑定码不正确", await SayAsync($"绑定 WRONG{i:000}"));
            var cutOff = await SayAsync($"绑定 {right}");
            Assert.Contains("错误次数过多", cutOff);
            Assert.DoesNotContain(right, cutOff);
            Assert.Equal(ledger, world.LedgerFingerprint()); // no binding happened

            // Another account is not affected by this one's guesses, and an hour later this one may try again.
            world.Clock!.Advance(TimeSpan.FromMinutes(61));
            Assert.Contains("绑定成功", await SayAsync($"绑定 {right}"));
            Assert.Equal(1, world.Scalar("SELECT count(*) FROM chat_accounts WHERE user_id = 'guesser'"));
            Hostile.Count(n, twoXx: n);
        });
    }

    private static string Unsigned(string serviceUrl)
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var now = ReliabilityWorld.Wednesday.ToUnixTimeSeconds();
        return Part("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
               Part($"{{\"iss\":\"{ChannelAuthentication.BotFrameworkIssuer}\",\"aud\":\"{ChannelIdentity.AppId}\",\"serviceurl\":\"{serviceUrl}\",\"nbf\":{now - 60},\"exp\":{now + 3600}}}") + ".";
    }

    /// <summary>The classic confusion attack: HMAC-signed, naming the RSA key, hoping the verifier uses it as a secret.</summary>
    private static string Hmac(string serviceUrl)
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var now = ReliabilityWorld.Wednesday.ToUnixTimeSeconds();
        var unsigned = Part($"{{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"{ChannelIdentity.ChannelKeyId}\"}}") + "." +
                       Part($"{{\"iss\":\"{ChannelAuthentication.BotFrameworkIssuer}\",\"aud\":\"{ChannelIdentity.AppId}\",\"serviceurl\":\"{serviceUrl}\",\"nbf\":{now - 60},\"exp\":{now + 3600}}}");
        var signature = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("guessed-secret"), Encoding.ASCII.GetBytes(unsigned));
        return unsigned + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>A good token whose payload was changed after signing (a later expiry).</summary>
    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]));
        var changed = System.Text.RegularExpressions.Regex.Replace(payload, "\"exp\":(\\d+)", m => $"\"exp\":{long.Parse(m.Groups[1].Value) + 86_400}");
        return $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(changed))}.{parts[2]}";
    }
}
