namespace Scoring.Service.Hosting;

/// <summary>
/// HEAD is answered as the GET of the same URL without its body (RFC 9110 §9.3.2): load balancers probe /healthz with
/// HEAD, and clients check that a list, a CSV or a notice board is there before fetching it. Routing matches HEAD only
/// to routes that name it and MapGet does not; naming it on every route would also put a second operation beside each
/// GET in the OpenAPI document. So it is done once, before routing, for every GET route, public and staff alike.
/// </summary>
public static class HeadRequests
{
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }
        var body = context.Response.Body;
        context.Request.Method = HttpMethods.Get;
        // Kestrel drops a HEAD's body by itself, other servers (the test server) do not: nothing is written anywhere.
        context.Response.Body = Stream.Null;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
            context.Request.Method = HttpMethods.Head;
        }
    });
}
