using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Scoring.Application;
using Scoring.Domain;

namespace Scoring.Service.Hosting;

/// <summary>
/// Staff sign in with a bearer token (hashed at rest). The authenticated staff member is kept on the
/// request so endpoints can check scope against the real record.
/// </summary>
public sealed class StaffAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, StaffTokens tokens,
    Features.RefusedStaffTokens refusals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "StaffBearer";
    public const string Policy = "staff";
    private const string ItemKey = "scoring.staff";
    private const string TooManyKey = "scoring.staff.too-many";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (BearerToken(header) is not { } token) return AuthenticateResult.Fail("Use 'Authorization: Bearer <token>'.");
        var client = Features.RateLimits.ClientOf(Context.Connection.RemoteIpAddress);
        if (refusals.TooMany(client, token))
        {
            Context.Items[TooManyKey] = true;
            return AuthenticateResult.Fail("Too many refused tokens from this address.");
        }
        var staff = await tokens.AuthenticateAsync(token, Context.RequestAborted);
        if (staff is null)
        {
            refusals.Refused(client, token);
            return AuthenticateResult.Fail("The token is unknown or revoked.");
        }
        refusals.Worked(token);
        Context.Items[ItemKey] = staff;
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, staff.Id), new Claim(ClaimTypes.Role, staff.Role.ToWire())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The token of an <c>Authorization: Bearer &lt;token&gt;</c> header, after the scheme (any case) and trimmed; null for another scheme.</summary>
    public static string? BearerToken(string? header) =>
        header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // A token sent but refused is said so (and why, RFC 6750's invalid_token): "send a token" would send a script's
        // author looking for a header that is there.
        var refused = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        if (Context.Items.ContainsKey(TooManyKey))
        {
            Response.Headers.RetryAfter = ((int)Features.RefusedStaffTokens.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Features.Problems.Of(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many refused staff tokens from this address; try again in a minute.",
                "此地址提交的无效令牌过多，请一分钟后再试。").ExecuteAsync(Context);
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = refused is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await Results.Problem(statusCode: 401, title: "Sign in required", detail: refused ?? "Send a staff token: 'Authorization: Bearer <token>'.",
            extensions: new Dictionary<string, object?>
            {
                ["detailZh"] = refused is null ? "请提供工作人员令牌：Authorization: Bearer <令牌>。" : "令牌无效：格式不对、不存在或已撤销，请使用有效的工作人员令牌。",
            }).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(statusCode: 403, title: "Forbidden", detail: "This is outside your scope.",
            extensions: new Dictionary<string, object?> { ["detailZh"] = "超出您的权限范围。" }).ExecuteAsync(Context);
    }

    /// <summary>The signed-in staff member (only on routes that require the staff policy).</summary>
    public static StaffMember Of(HttpContext context) =>
        context.Items[ItemKey] as StaffMember ?? throw new InvalidOperationException("The route does not require staff authentication.");
}

public static class StaffAuthenticationExtensions
{
    public static IServiceCollection AddStaffAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, StaffAuthentication>(StaffAuthentication.SchemeName, _ => { });
        services.AddSingleton<IAuthenticationSchemeProvider, OnlyNamedSchemesAuthenticate>();
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffAuthentication.Policy, p => p.AddAuthenticationSchemes(StaffAuthentication.SchemeName).RequireAuthenticatedUser());
        return services;
    }

    public static StaffMember Staff(this HttpContext context) => StaffAuthentication.Of(context);
}

/// <summary>
/// Requests authenticate only through a scheme named by their route's policy. The authentication middleware signs in
/// the default scheme on every request, and ASP.NET Core makes a lone scheme the default, so without this every chat
/// message and public read ran the staff handler (resolved per request) for nothing: ~4% of a chat message's
/// allocations (docs/benchmarks.md, fourteenth session). Challenges and forbids still default to the staff scheme.
/// </summary>
internal sealed class OnlyNamedSchemesAuthenticate(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
{
    private static readonly Task<AuthenticationScheme?> None = Task.FromResult<AuthenticationScheme?>(null);

    public override Task<AuthenticationScheme?> GetDefaultAuthenticateSchemeAsync() => None;
}
