namespace Scoring.Service.Features;

/// <summary>
/// Cross-origin reads of the public routes: a notice-board page on the community's own site fetches the published list
/// in the browser. Any origin may read them, without credentials (they need none). Staff routes name no policy, so the
/// browser keeps them to their own origin: a page elsewhere cannot send a staff token there and read the answer.
/// </summary>
public static class PublicCors
{
    public const string Policy = "public";

    public static IServiceCollection AddPublicCors(this IServiceCollection services) => services.AddCors(o => o.AddPolicy(Policy, p => p
        .AllowAnyOrigin()
        .WithMethods(HttpMethods.Get, HttpMethods.Head)
        .AllowAnyHeader()
        // What a page reads beyond the safelisted headers: the revision's tag (to ask again with If-None-Match), the quota
        // and when to try again after 429, and the CSV's file name.
        .WithExposedHeaders("ETag", "Retry-After", "RateLimit-Policy", "RateLimit", "Content-Disposition")
        .SetPreflightMaxAge(TimeSpan.FromHours(1))));
}
