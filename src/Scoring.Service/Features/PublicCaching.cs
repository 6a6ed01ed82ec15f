using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Scoring.Service.Features;

/// <summary>
/// Validators and freshness for the public reads of a published list (JSON, CSV, notice board). A revision never
/// changes, so one named by <c>?revision=</c> may be kept for good; the latest may be superseded by a correction, so
/// it stays fresh for a minute and is then asked again with If-None-Match, which costs a 304 and no body.
/// </summary>
public static class PublicCaching
{
    /// <summary>The latest revision (or the board, which shows the latest of both kinds): a correction shows within a minute.</summary>
    public const string Latest = "public, max-age=60";

    /// <summary>A revision named in the URL: frozen at publication.</summary>
    public const string Frozen = "public, max-age=31536000, immutable";

    /// <summary>A strong tag of the bytes sent: each representation (JSON, CSV, HTML) of each revision has its own.</summary>
    public static string TagOf(ReadOnlySpan<byte> body) => $"\"{Convert.ToHexStringLower(SHA256.HashData(body)[..16])}\"";

    /// <summary>
    /// Sets the tag and the freshness; true (and 304) when the client already holds these bytes, so the body is not
    /// written. If-None-Match compares weakly (RFC 9110 §13.1.2), so a tag a proxy weakened still matches.
    /// </summary>
    public static bool NotModified(HttpContext http, string etag, string cacheControl)
    {
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = cacheControl;
        var tags = http.Request.GetTypedHeaders().IfNoneMatch;
        if (tags is not { Count: > 0 }) return false;
        var ours = new EntityTagHeaderValue(etag);
        if (!tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(ours, useStrongComparison: false))) return false;
        http.Response.StatusCode = StatusCodes.Status304NotModified;
        return true;
    }

    /// <summary>A public read's answer: its bytes, or 304 when the client's copy is current.</summary>
    public sealed class Body(byte[] bytes, string contentType, string etag, string cacheControl, string? fileName = null) : IResult
    {
        public Body(byte[] bytes, string contentType, string cacheControl, string? fileName = null) : this(bytes, contentType, TagOf(bytes), cacheControl, fileName) { }

        public string ETag => etag;

        public Task ExecuteAsync(HttpContext context)
        {
            if (NotModified(context, etag, cacheControl)) return Task.CompletedTask;
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = contentType;
            context.Response.ContentLength = bytes.Length;
            if (fileName is not null)
            {
                var disposition = new ContentDispositionHeaderValue("attachment");
                disposition.SetHttpFileName(fileName);
                context.Response.Headers.ContentDisposition = disposition.ToString();
            }
            return context.Response.Body.WriteAsync(bytes, 0, bytes.Length);
        }
    }
}
