using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Scoring.Service.Features;

/// <summary>Public routes are limited per client address (a fixed window per minute, <c>RateLimits:PublicPerMinute</c>).</summary>
public sealed class RateLimits
{
    public const string PublicPolicy = "public";
    public const string Section = "RateLimits";

    public int PublicPerMinute { get; set; } = 600;

    public static void AddTo(IServiceCollection services)
    {
        services.AddOptions<RateLimits>().BindConfiguration(Section)
            .Validate(o => o.PublicPerMinute > 0, "RateLimits:PublicPerMinute must be a positive number.").ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (rejected, ct) =>
            {
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.Of(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests from this address; try again in a minute.", "请求过于频繁,请一分钟后再试。")
                    .ExecuteAsync(rejected.HttpContext);
            };
            o.AddPolicy(PublicPolicy, http =>
            {
                var perMinute = http.RequestServices.GetRequiredService<IOptions<RateLimits>>().Value.PublicPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
    }
}

public static class RateLimitsExtensions
{
    public static IServiceCollection AddPublicRateLimits(this IServiceCollection services)
    {
        RateLimits.AddTo(services);
        return services;
    }
}
