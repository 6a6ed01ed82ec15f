using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>The two doors of the API, each set up once: public routes (no token, readable from any origin, rate limited per client) and staff routes (bearer token, same origin only).</summary>
public static class ApiGroups
{
    public static RouteGroupBuilder PublicRoutes(this IEndpointRouteBuilder app, string tag) =>
        app.MapGroup("")
            .WithTags(tag)
            .AllowAnonymous()
            .RequireCors(PublicCors.Policy)
            .RequireRateLimiting(RateLimits.PublicPolicy)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>
    /// Routes under /api for signed-in staff; scope (403) is decided by the use cases, never here. 429: an address past its
    /// refused tokens for the minute (<see cref="RefusedStaffTokens"/>), unless the token sent has worked before.
    /// </summary>
    public static RouteGroupBuilder StaffRoutes(this IEndpointRouteBuilder app, string tag) =>
        app.MapGroup("/api")
            .WithTags(tag)
            .RequireAuthorization(StaffAuthentication.Policy)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
