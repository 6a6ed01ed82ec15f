using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Service.Features;

/// <summary>
/// Every error is a ProblemDetails: bad input 400 with what was wrong, an unreachable database 503 with Retry-After,
/// and 500 — without a stack trace — only for true bugs.
/// </summary>
public sealed partial class ErrorResponses(IProblemDetailsService problems, ILogger<ErrorResponses> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested) return true; // the client left
        int status;
        string code, detail;
        string? detailZh = null, field = null;
        if (exception is BadHttpRequestException bad)
        {
            // A body too large for the server (Kestrel's limit) is 413 request-too-large, as its status is coded everywhere.
            (status, code) = (bad.StatusCode, bad.InnerException is JsonException ? "bad-request" : Problems.CodeOf(bad.StatusCode));
            if (bad.InnerException is JsonException json)
            {
                (detail, detailZh) = BodyProblem(json);
                field = FieldOf(json);
                // Well-formed and of the right kind, refused for what it says (a time without its offset): as the routes' own checks are coded.
                if (json is BodyValueRefused) code = "invalid-input";
            }
            else (detail, detailZh) = new Problem(bad.Message, UnreadableZh(bad.StatusCode));
        }
        else if (TransientFaults.UnavailableIn(exception) is not null)
        {
            (status, code, detail) = (StatusCodes.Status503ServiceUnavailable, "database-unavailable", "The database cannot be reached right now; try again shortly.");
            context.Response.Headers.RetryAfter = TransientFaults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            log.LogWarning("Database unavailable for {Method} {Path}: {Error}", context.Request.Method, context.Request.Path, exception.GetType().Name);
        }
        else
        {
            (status, code, detail) = (StatusCodes.Status500InternalServerError, "unexpected", "Something went wrong on our side; it has been logged.");
            if (QuotesValues(exception) is { } db)
            {
                // A database's message can quote the row's values (SQL Server's duplicate key names the phone), and so can
                // Dapper's when a column does not convert ("Error parsing column 3 (phone=139…)"), also inside another
                // exception: types, the database's code and stacks only.
                log.LogError("Unhandled database error for {Method} {Path}: {ExceptionType} {ErrorCode}{NewLine}{StackTrace}",
                    context.Request.Method, context.Request.Path, string.Join(" <- ", Chain(exception).Select(e => e.GetType().FullName)),
                    (db as System.Data.Common.DbException)?.ErrorCode, Environment.NewLine,
                    string.Join(Environment.NewLine + "--- inner ---" + Environment.NewLine, Chain(exception).Select(e => e.StackTrace)));
            }
            else log.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        context.Response.StatusCode = status;
        // The handler cleared the response's headers, those every answer carries too.
        Hosting.SecurityHeaders.Apply(context);
        var problem = new ProblemDetails { Status = status, Title = Problems.TitleOf(status), Detail = detail };
        problem.Extensions["code"] = code;
        if (detailZh is not null) problem.Extensions["detailZh"] = detailZh;
        if (field is not null) problem.Extensions["field"] = field;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    /// <summary>The first exception of the chain whose message may quote a row's values: a database error, or Dapper's DataException.</summary>
    private static Exception? QuotesValues(Exception exception) =>
        Chain(exception).FirstOrDefault(e => e is System.Data.Common.DbException or System.Data.DataException);

    /// <summary>An exception and its inner ones, outermost first (all of an aggregate's, as a logger writes them all).</summary>
    private static IEnumerable<Exception> Chain(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException all ? all.InnerExceptions : exception.InnerException is { } one ? [one] : (IReadOnlyList<Exception>)[];
        foreach (var e in inner.SelectMany(Chain)) yield return e;
    }

    /// <summary>
    /// What is wrong with a JSON body and where, in the caller's terms. The framework's own words name the service's C#
    /// types ("could not be converted to Scoring.Service.Features.Lists+PublishRequest"), which tell a caller nothing.
    /// </summary>
    internal static Problem BodyProblem(JsonException json)
    {
        var at = json.Path is { Length: > 0 } path ? $" at {path}" : "";
        var position = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
        // Where, in Chinese: the path and the position in one （）, as the rest of the Chinese puts such details.
        string[] where = [.. json.Path is { Length: > 0 } p ? [$"位置 {p}"] : Array.Empty<string>(),
            .. json.LineNumber is { } l ? [$"第{l + 1}行第{json.BytePositionInLine + 1}字节"] : Array.Empty<string>()];
        var whereZh = where.Length > 0 ? $"（{string.Join("，", where)}）" : "";
        // Bytes that are not UTF-8 (GBK sent as application/json with no charset, as a Windows tool does) surface only
        // when the text is read, as a value that would not convert: the cause is the encoding, not the value's kind.
        if (NotUtf8(json))
            return new($"The body is not UTF-8{at}{position}: send JSON in UTF-8, or name its charset (application/json; charset=gb18030).",
                $"请求体不是 UTF-8 编码{whereZh}：请以 UTF-8 发送 JSON，或在 Content-Type 中注明字符集（application/json; charset=gb18030）。");
        // The reader's own refusal (not JSON at all) comes inside; its words name no types. They are English, so the
        // Chinese says where and leaves them to the English detail.
        if (json.InnerException is JsonException syntax)
        {
            var words = syntax.Message;
            var tail = words.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return new($"The body is not valid JSON{at}{position}: {(tail > 0 ? words[..tail] : words)}",
                $"请求体不是有效的 JSON{whereZh}，请检查括号、引号和逗号。");
        }
        if (json is BodyValueRefused refused)
            return new($"{FieldOf(json) ?? "A value"} '{RosterText.Clip(refused.Value)}'{position}: {refused.Message}", $"{Checks.NamedZh(FieldOf(json) ?? "")}「{RosterText.Clip(refused.Value)}」{whereZh}：{refused.MessageZh}");
        if (UnmappedName(json) is { } name)
            return new($"The body has a field '{RosterText.Clip(name)}' this request does not take{at}{position}: check its spelling against the request's fields (/docs); nothing was done.",
                $"请求体中有此请求不接受的字段「{RosterText.Clip(name)}」{whereZh}：请对照接口文档（/docs）检查字段名的拼写；本次请求未执行。");
        return new($"The body is JSON but not what this request takes{at}{position}: a value of the wrong kind (text, a whole number in range, " +
            "true or false, a list or an object), a field it does not take, or a field named twice.",
            $"请求体是 JSON，但不符合此请求的格式{whereZh}：值的类型不对（应为文字、范围内的整数、true 或 false、列表或对象），或有此请求不接受的字段，或同一字段写了两次。");
    }

    /// <summary>Whether the serialiser stopped at text it could not decode as UTF-8 (its transcoding failure, inside).</summary>
    private static bool NotUtf8(JsonException json) => Chain(json).Any(e => e is System.Text.DecoderFallbackException);

    /// <summary>
    /// The body's field a refusal is about, as the caller wrote it (<c>occurredAt</c>, <c>rules[0].weeklyLimit</c>): from
    /// where the reader stopped, and the name of a field the request does not take.
    /// </summary>
    internal static string? FieldOf(JsonException json)
    {
        var path = json.Path is { Length: > 1 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
        if (UnmappedName(json) is not { } name) return path;
        return path is null ? name : path == name || path.EndsWith("." + name, StringComparison.Ordinal) ? path : $"{path}.{name}";
    }

    /// <summary>
    /// The field named in the serialiser's refusal of a field the type does not take (JsonUnmappedMemberHandling.Disallow):
    /// its only sign is its words, "The JSON property 'x' could not be mapped to any .NET member contained in type …".
    /// </summary>
    private static string? UnmappedName(JsonException json) =>
        UnmappedProperty().Match(json.Message) is { Success: true } m ? m.Groups[1].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"^The JSON property '(.*?)' could not be mapped to any \.NET member")]
    private static partial System.Text.RegularExpressions.Regex UnmappedProperty();

    /// <summary>
    /// A request the framework could not read, in Chinese: its English (a body cut short, one too large) is the
    /// framework's own and stays the detail.
    /// </summary>
    private static string UnreadableZh(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "请求体过大，请减少内容后重新发送。",
        StatusCodes.Status415UnsupportedMediaType => "请求体的类型此接口不接受：JSON 请以 application/json 发送。",
        _ => "请求无法读取（请求体不完整或缺少参数），请检查后重新发送。",
    };
}

public static class ErrorResponsesExtensions
{
    /// <summary>ProblemDetails for every error; malformed requests reach the handler as exceptions so they get a detail.</summary>
    public static IServiceCollection AddErrorResponses(this IServiceCollection services)
    {
        services.AddExceptionHandler<ErrorResponses>();
        // Beside the built-in writer (AddScoring's AddProblemDetails), which declines a request that accepts only text/plain or text/html.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWhateverAccepted>();
        services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails = GiveEveryProblemACode);
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o =>
        {
            // Chinese stays readable in JSON; markup characters are still escaped.
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
            // {"kind":"landlord","kind":"shop-head"} is a mistake or a trick, not a choice: refused (400), not read by its last value.
            o.SerializerOptions.AllowDuplicateProperties = false;
            // An instant sent without its offset is refused, never read in the host's time zone (BodyInstants). A field a
            // body does not take is refused by the body's own type ([JsonUnmappedMemberHandling]), so the answers' schemas
            // stay open to fields added later; the chat's activities are read by their own options (ActivityJson), which
            // keep taking the Bot Framework's fields they do not know.
            o.SerializerOptions.Converters.Add(new BodyInstants());
        });
        BodyInstants.KeepDocumented(services);
        return services;
    }

    public static IApplicationBuilder UseErrorResponses(this IApplicationBuilder app) => app.UseExceptionHandler().UseStatusCodePages();

    /// <summary>
    /// Every problem carries a stable <c>code</c>, also those the framework makes rather than our endpoints (routing's
    /// 404, 405 and 415, authentication's 401 and 403): a code already set (ours, the chat endpoint's) is kept, the rest get
    /// one from their status. Routing's bare 404, 405 and 415 also say what was wrong and what to do.
    /// </summary>
    internal static void GiveEveryProblemACode(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Type ??= Problems.TypeOf(status);
        if (problem.Extensions.ContainsKey("code")) return;
        switch (status)
        {
            case StatusCodes.Status404NotFound when http.GetEndpoint() is null:
                problem.Detail ??= $"There is no route '{RosterText.Clip(http.Request.Path.Value)}'; the API's routes are listed at /docs.";
                problem.Extensions.TryAdd("detailZh", $"没有「{RosterText.Clip(http.Request.Path.Value)}」这个接口；全部接口见 /docs。");
                break;
            case StatusCodes.Status405MethodNotAllowed:
                // Routing's 405 has set Allow to what the route takes; a GET route takes HEAD too (HeadRequests).
                var allow = http.Response.Headers.Allow.ToString();
                if (allow.Split(',', StringSplitOptions.TrimEntries).Contains(HttpMethods.Get) && !allow.Contains(HttpMethods.Head, StringComparison.Ordinal))
                    http.Response.Headers.Allow = $"{allow}, {HttpMethods.Head}";
                problem.Detail ??= $"This route does not take {RosterText.Clip(http.Request.Method)}; it takes {http.Response.Headers.Allow}.";
                problem.Extensions.TryAdd("detailZh", $"此接口不接受 {RosterText.Clip(http.Request.Method)} 请求，可用：{http.Response.Headers.Allow}。");
                break;
            case StatusCodes.Status415UnsupportedMediaType when problem.Detail is null:
                // The roster import's own "multipart-required" never runs: routing refuses the body first. A body sent
                // wrongly is the caller's input, told in Chinese as the door's other refusals are.
                problem.Detail = $"The body was sent as '{RosterText.Clip(http.Request.ContentType)}', which this route does not take: " +
                    "send JSON as application/json, and a roster file as multipart/form-data with the file in the field 'file'.";
                problem.Extensions["detailZh"] = $"请求体的类型「{RosterText.Clip(http.Request.ContentType)}」此接口不接受：" +
                    "JSON 请以 application/json 发送，名单文件请以 multipart/form-data 上传，文件字段名为 file。";
                break;
        }
        if (status is 404 or 405 or 415) problem.Title = Problems.TitleOf(status); // as ours are worded, not "Not Found"
        problem.Extensions["code"] = Problems.CodeOf(status);
    }
}

/// <summary>
/// Writes a ProblemDetails as JSON whatever the request says it accepts: an error with an empty body (a 400 for a
/// malformed body sent with <c>Accept: text/plain</c>, a 405 as bare text) tells the caller nothing.
/// </summary>
internal sealed class ProblemJsonWhateverAccepted(Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context); // as the built-in writer does
        return new(context.HttpContext.Response.WriteAsJsonAsync(context.ProblemDetails, context.ProblemDetails.GetType(), (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.HttpContext.RequestAborted));
    }
}
