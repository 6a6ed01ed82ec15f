using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace Scoring.Service.Features;

/// <summary>
/// Cross-origin reads of the public routes: a notice-board page on the community's own site fetches the published list
/// in the browser. Any origin may read them, without credentials (they need none). Staff routes name no policy, so the
/// browser keeps them to their own origin: a page elsewhere cannot send a staff token there and read the answer.
/// </summary>
public static class PublicCors
{
    public const string Policy = "public";

    // What a page reads beyond the safelisted headers: the revision's tag (to ask again with If-None-Match), the quota
    // and when to try again after 429, and the CSV's file name.
    private static readonly string[] Exposed = ["ETag", "Retry-After", "RateLimit-Policy", "RateLimit", "Content-Disposition"];

    public static IServiceCollection AddPublicCors(this IServiceCollection services) => services.AddCors(o => o.AddPolicy(Policy, p => p
        .AllowAnyOrigin()
        .WithMethods(HttpMethods.Get, HttpMethods.Head)
        .AllowAnyHeader()
        .WithExposedHeaders(Exposed)
        .SetPreflightMaxAge(TimeSpan.FromHours(1))));

    /// <summary>
    /// The CORS headers also on a public answer to a request without an Origin (a printer, curl, the board opened
    /// directly), which the CORS middleware leaves bare. The answers are public and cacheable (a named revision for a
    /// year): a shared cache (the office's proxy, a CDN) that stored a bare one would serve it to a page on another
    /// origin, which the browser then refuses. Any origin gets the same headers, so one stored answer serves them all
    /// and no <c>Vary: Origin</c> is needed. Set as the request starts, without a callback (the public reads are the
    /// benchmarked ones): only a problem the exception handler writes anew (a 503) loses them, and it is no-store.
    /// </summary>
    public static IApplicationBuilder UsePublicCorsWithoutOrigin(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (!context.Request.Headers.ContainsKey(HeaderNames.Origin)
            && context.GetEndpoint()?.Metadata.GetMetadata<IEnableCorsAttribute>() is { PolicyName: Policy })
        {
            context.Response.Headers.AccessControlAllowOrigin = CorsConstants.AnyOrigin;
            context.Response.Headers.AccessControlExposeHeaders = ExposedList;
        }
        return next(context);
    });

    private static readonly string ExposedList = string.Join(',', Exposed);
}
