using System.Text;
using Microsoft.Net.Http.Headers;
using Scoring.Application;
using Scoring.Service.Features;

namespace Scoring.Service.Hosting;

/// <summary>
/// A JSON body is read in the charset its Content-Type names. One no encoding has (<c>charset=nonsense</c>, a quoted or
/// retired one such as UTF-7) made the framework's reader throw while binding the body, which reached the error handler
/// as a bug (500): it is the caller's mistake, refused here as 415 <c>unsupported-charset</c> before any route reads it.
/// The code pages (GB18030, GBK) are registered once, first thing at start-up (Program), for a Chinese client's body as
/// for a roster file, over HTTP and on the command line.
/// </summary>
public static class BodyCharsets
{
    public static IApplicationBuilder UseBodyCharsets(this IApplicationBuilder app)
    {
        return app.Use((context, next) =>
            Unreadable(context.Request.ContentType) is { } charset
                ? Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported-charset",
                    $"The body's charset '{RosterText.Clip(charset)}' is not one the service can read: send JSON in UTF-8 (application/json; charset=utf-8, or no charset).",
                    $"请求体的字符集「{RosterText.Clip(charset)}」无法识别：JSON 请以 UTF-8 发送（application/json; charset=utf-8，或不写字符集）。").ExecuteAsync(context)
                : next(context));
    }

    /// <summary>The charset of a JSON content type when the framework's reader has no encoding for it, as that reader decides.</summary>
    internal static string? Unreadable(string? contentType)
    {
        // Most requests name no charset or UTF-8 (chat channels send "application/json; charset=utf-8"): they are let
        // through without parsing the header, as every chat message goes through here.
        if (contentType is null || !contentType.Contains("charset", StringComparison.OrdinalIgnoreCase)
            || contentType.EndsWith("charset=utf-8", StringComparison.OrdinalIgnoreCase)
            || !MediaTypeHeaderValue.TryParse(contentType, out var type)) return null;
        var media = type.MediaType;
        if (!media.Equals("application/json", StringComparison.OrdinalIgnoreCase) && !media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)) return null;
        var charset = type.Charset;
        if (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            _ = Encoding.GetEncoding(charset.ToString());
            return null;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return charset.ToString();
        }
    }
}
