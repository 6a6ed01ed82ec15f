using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scoring.Application;

namespace Scoring.Service.Features;

/// <summary>
/// The one mapping from a use case's refusal to HTTP: the kind picks the status, the English text is the
/// detail, the stable code (and the Chinese text) travel as extensions clients can branch on or show.
/// </summary>
public static class Problems
{
    public static int StatusOf(FailureKind kind) => kind switch
    {
        FailureKind.Invalid => StatusCodes.Status400BadRequest,
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Forbidden => StatusCodes.Status403Forbidden,
        FailureKind.Conflict => StatusCodes.Status409Conflict,
        FailureKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        FailureKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemHttpResult ToProblem(this Failure failure)
    {
        var problem = Of(StatusOf(failure.Kind), failure.Code, failure.English, failure.Chinese);
        // The body's field the refusal is about (text-control names which of the texts sent it refused).
        if (failure.Field is { } field) problem.ProblemDetails.Extensions["field"] = field;
        if (failure.LatestBoard is { } board) problem.ProblemDetails.Extensions["latestBoard"] = board;
        return problem;
    }

    /// <summary>Bad input caught at the door, before any use case ran: said in Chinese too, as the use cases' refusals are.</summary>
    public static ProblemHttpResult Invalid(string detail, string detailZh, string code = "invalid-input") => Of(StatusCodes.Status400BadRequest, code, detail, detailZh);

    public static ProblemHttpResult Of(int status, string code, string detail, string? detailZh)
    {
        // No type of our own: the framework gives its answers (routing's 404, a malformed body's 400, 401, 405, 415) the
        // RFC 9110 section of their status, and a client that reads the type must find one per status (TypeOf for the rest).
        var problem = new ProblemDetails { Status = status, Title = TitleOf(status), Detail = Bounded(detail) };
        problem.Extensions["code"] = code;
        if (detailZh is not null) problem.Extensions["detailZh"] = Bounded(detailZh);
        return TypedResults.Problem(problem);
    }

    /// <summary>The longest detail an answer carries: every problem of a whole rule set fits, a pasted page does not.</summary>
    public const int MaxDetail = 4000;

    /// <summary>
    /// A refusal can quote what was sent (a time zone, a rule's code, each of a list's bad days): however much that was,
    /// the answer stays a few kilobytes instead of echoing the request back.
    /// </summary>
    private static string Bounded(string detail) =>
        detail.Length <= MaxDetail ? detail : detail[..(char.IsHighSurrogate(detail[MaxDetail - 1]) ? MaxDetail - 1 : MaxDetail)] + "…"; // never half a character

    public static string TitleOf(int status) => status switch
    {
        400 => "Bad request",
        401 => "Sign in required",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        412 => "Precondition failed",
        413 => "Request too large",
        415 => "Unsupported media type",
        422 => "Unprocessable request",
        428 => "Precondition required",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => status >= 500 ? "Unexpected error" : "Request refused",
    };

    /// <summary>
    /// The code of a problem no endpoint of ours coded (routing's 404 and 405, authentication's 401):
    /// clients branch on <c>code</c>, so every problem has one.
    /// </summary>
    public static string CodeOf(int status) => status switch
    {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        408 => "request-timeout",
        409 => "conflict",
        412 => "precondition-failed",
        413 => "request-too-large",
        415 => "unsupported-media-type",
        422 => "unprocessable",
        429 => "rate-limited",
        501 => "not-implemented",
        503 => "service-unavailable",
        _ => status >= 500 ? "unexpected" : "request-refused",
    };

    /// <summary>The type of a status the framework has none for (it names the RFC 9110 section of the others).</summary>
    public static string? TypeOf(int status) => status switch
    {
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        428 => "https://tools.ietf.org/html/rfc6585#section-3",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        _ => null,
    };
}
