using Microsoft.AspNetCore.Authorization;

namespace Scoring.Service.Hosting;

/// <summary>
/// What a browser is told about every response: never to guess a content type other than the one sent (a CSV or JSON
/// holding a name such as &lt;script&gt; must not be run as a page), and to send no referrer. The HTML pages — the
/// notice board, the enrolment sheet, /docs — also carry a Content-Security-Policy (<see cref="ContentSecurityPolicy"/>),
/// a second line behind their escaping: the printable pages run no script at all, and only the public notice board may be framed.
/// Every answer of a staff route, its refusals too, is kept by no cache (<c>Cache-Control: no-store</c>) unless the route says
/// otherwise: they hold unmasked phones, roster files and tokens shown once, which a shared PC's browser would keep on disk
/// after signing out. Public routes set their own freshness.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Set when the request starts, before the endpoint writes, so it costs one header per request (the chat's messages
    /// too) and no callback. The exception handler clears them with the rest of the response it makes anew (a body that
    /// is not JSON, one too large, a 503): it sets them again (<see cref="Apply"/>) before writing its problem.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        Apply(context);
        return next(context);
    });

    /// <summary>The headers every answer carries, as its endpoint asks (a page's policy, a staff route's no-store).</summary>
    public static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (context.GetEndpoint()?.Metadata is { } metadata)
        {
            if (metadata.GetMetadata<ContentSecurityPolicy>() is { } policy) headers.ContentSecurityPolicy = policy.Value;
            // Set before the route runs, so one that sets its own Cache-Control replaces it.
            if (metadata.GetMetadata<IAuthorizeData>() is not null && metadata.GetMetadata<IAllowAnonymous>() is null) headers.CacheControl = "no-store";
        }
    }
}

/// <summary>An HTML page's Content-Security-Policy, given to its endpoint as metadata.</summary>
public sealed record ContentSecurityPolicy(string Value)
{
    /// <summary>
    /// A printable page (notice board, enrolment sheet): its own &lt;style&gt; and data: images (QR codes), nothing else —
    /// no script, no request anywhere, no &lt;base&gt;, no form, not inside another site's frame.
    /// </summary>
    public static readonly ContentSecurityPolicy Printable = new(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");

    /// <summary>
    /// The public notice board: printable as <see cref="Printable"/>, but a street's own web site may show it in a frame —
    /// it is public, masked, and has nothing to press, so framing it cannot trick anyone into an action.
    /// </summary>
    public static readonly ContentSecurityPolicy PublicBoard = new(Printable.Value.Replace("frame-ancestors 'none'", "frame-ancestors *"));

    /// <summary>
    /// /docs (Scalar): its scripts and styles from this service, the inline module that starts it, fonts and images as it
    /// fetches them; requests ("try it") to this service only. It shows the OpenAPI document, which holds nobody's data.
    /// </summary>
    public static readonly ContentSecurityPolicy Docs = new(
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; " +
        "font-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'");
}
