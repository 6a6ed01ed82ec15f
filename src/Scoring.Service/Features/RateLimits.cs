using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Scoring.Service.Features;

/// <summary>
/// Public routes are limited per client address (an IPv6 client's /64; a fixed window per minute, <c>RateLimits:PublicPerMinute</c>). Their
/// answers name the quota (<c>RateLimit-Policy</c>); a refusal is 429 with Retry-After and <c>RateLimit</c> (none left, when it resets).
/// </summary>
public sealed class RateLimits
{
    public const string PublicPolicy = "public";
    public const string Section = "RateLimits";

    public int PublicPerMinute { get; set; } = 600;

    /// <summary>Made-up or revoked staff tokens a client may send in a minute before its staff requests are refused unread.</summary>
    public int RefusedStaffTokensPerMinute { get; set; } = 60;

    /// <summary>The quota as the IETF RateLimit fields write it: so many requests in a window of 60 seconds.</summary>
    public static string PolicyHeader(int perMinute) => $"{perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)};w=60";

    /// <summary>
    /// Whose quota a request counts against: an IPv4 address (also as Kestrel's dual-stack socket writes it, ::ffff:a.b.c.d),
    /// or an IPv6 address's /64 — one home or server is given a whole /64, and counted address by address it had no limit.
    /// </summary>
    public static string ClientOf(System.Net.IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new System.Net.IPAddress(bytes).ToString() + "/64";
    }

    public static void AddTo(IServiceCollection services)
    {
        services.AddOptions<RateLimits>().BindConfiguration(Section)
            .Validate(o => o.PublicPerMinute > 0, "RateLimits:PublicPerMinute must be a positive number.")
            .Validate(o => o.RefusedStaffTokensPerMinute > 0, "RateLimits:RefusedStaffTokensPerMinute must be a positive number.").ValidateOnStart();
        services.AddSingleton<RefusedStaffTokens>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (rejected, ct) =>
            {
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    var seconds = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    rejected.HttpContext.Response.Headers.RetryAfter = seconds;
                    var limit = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<RateLimits>>().Value.PublicPerMinute;
                    rejected.HttpContext.Response.Headers["RateLimit"] = $"limit={limit}, remaining=0, reset={seconds}";
                }
                await Problems.Of(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests from this address; try again in a minute.", "请求过于频繁，请一分钟后再试。")
                    .ExecuteAsync(rejected.HttpContext);
            };
            o.AddPolicy(PublicPolicy, http =>
            {
                var perMinute = http.RequestServices.GetRequiredService<IOptions<RateLimits>>().Value.PublicPerMinute;
                // Every answer of a limited route names its quota (a notice board's script can pace itself before a 429);
                // set here, where the route's policy is picked, so a refusal and a 404 carry it too.
                http.Response.Headers["RateLimit-Policy"] = PolicyHeader(perMinute);
                return RateLimitPartition.GetFixedWindowLimiter(ClientOf(http.Connection.RemoteIpAddress),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
    }
}

/// <summary>
/// Refused staff tokens, counted per client as the public quota is (<see cref="RateLimits.ClientOf"/>). Each one cost a
/// database read and staff routes have no quota of their own, so made-up tokens let anyone load the database without
/// end. Past <see cref="RateLimits.RefusedStaffTokensPerMinute"/> a client's staff requests are refused (429) before any
/// lookup until its minute is over. Tokens are 256 random bits: this is about load, not guessing.
/// </summary>
public sealed class RefusedStaffTokens(IOptions<RateLimits> options) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _refusals = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RefusedStaffTokensPerMinute, Window = Window, QueueLimit = 0,
        }));

    public bool TooMany(string client) => _refusals.GetStatistics(client)?.CurrentAvailablePermits == 0;

    public void Refused(string client)
    {
        using var _ = _refusals.AttemptAcquire(client);
    }

    public void Dispose() => _refusals.Dispose();
}

public static class RateLimitsExtensions
{
    public static IServiceCollection AddPublicRateLimits(this IServiceCollection services)
    {
        RateLimits.AddTo(services);
        return services;
    }
}
