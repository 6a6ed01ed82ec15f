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
/// lookup until its minute is over — except a token this instance has seen work within <see cref="ProvenFor"/>: staff
/// behind one carrier NAT or office gateway share an address with whoever sprays tokens from it, and a secretary's
/// valid token is still read (so one revoked since is refused at once, as everywhere). A guess is never among those,
/// so it still costs no read. Tokens are 256 random bits: this is about load, not guessing.
/// </summary>
public sealed class RefusedStaffTokens(IOptions<RateLimits> options, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>How long a token that worked is let through a limited address: a working day and its night.</summary>
    public static readonly TimeSpan ProvenFor = TimeSpan.FromHours(24);

    /// <summary>At most this many proven tokens are kept (a street office has tens of staff); past it, the longest unused go.</summary>
    public const int MostProven = 10_000;

    private readonly PartitionedRateLimiter<string> _refusals = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RefusedStaffTokensPerMinute, Window = Window, QueueLimit = 0,
        }));

    // Hashes of tokens that worked (as the database keeps them: the token itself is not held), and when they last did.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _proven = new(StringComparer.Ordinal);

    /// <summary>Whether the client is past its refused tokens for the minute and <paramref name="token"/> is not one known to work.</summary>
    public bool TooMany(string client, string token) =>
        _refusals.GetStatistics(client)?.CurrentAvailablePermits == 0
        && !(_proven.TryGetValue(Scoring.Application.Ids.Hash(token), out var worked) && time.GetUtcNow() - worked < ProvenFor);

    /// <summary>The token was refused (made up, or revoked since it worked): it counts against the client, and is no longer let through.</summary>
    public void Refused(string client, string token)
    {
        _proven.TryRemove(Scoring.Application.Ids.Hash(token), out _);
        using var lease = _refusals.AttemptAcquire(client);
    }

    /// <summary>The token worked.</summary>
    public void Worked(string token)
    {
        var hash = Scoring.Application.Ids.Hash(token);
        var now = time.GetUtcNow();
        // Noted on every staff request that passes: a token seen within the minute is left as it is (a rewrite allocates,
        // and ProvenFor is a day), and the entries are counted (which takes every lock) only for a token not kept yet.
        if (_proven.TryGetValue(hash, out var worked))
        {
            if (now - worked >= TimeSpan.FromMinutes(1)) _proven[hash] = now;
            return;
        }
        // Full (an instance up for long, tokens reissued often): the tenth longest unused go; each lookup reads them again.
        if (_proven.Count >= MostProven)
            foreach (var old in _proven.OrderBy(p => p.Value).Take(MostProven / 10).ToList()) _proven.TryRemove(old);
        _proven[hash] = now;
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
