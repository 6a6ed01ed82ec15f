using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using QRCoder;
using Scoring.Application;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>
/// One-time, expiring enrolment codes that bind a chat account to a subject or a staff member. Codes are stored only
/// as hashes, so the code (and its QR picture) can be shown once: in this response.
/// </summary>
public static class Enrolments
{
    public static IEndpointRouteBuilder MapEnrolments(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Enrolment");
        staff.MapPost("/enrolments", IssueAsync).WithName("IssueEnrolmentCode")
            .WithSummary("Issues a one-time code (7 days) for {subjectId} or {staffId}; qrPng is a base64 PNG of the chat command '绑定 <code>'. " +
                "A new code voids the person's earlier unused one. Asked again without an Idempotency-Key by the same staff member (same token) within two minutes, " +
                "while unused, the answer is the same code (200, Idempotent-Replayed: true): a retry does not void the code the first answer carried. " +
                "To void a code just issued (a slip handed to the wrong person), ask with a new Idempotency-Key.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            // code-issued-meanwhile: another request's code for the person stands; person-inactive: off the roster
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    public sealed record EnrolmentRequest(string? SubjectId, string? StaffId);

    public sealed record EnrolmentView(string Code, DateTimeOffset ExpiresAt, string PersonKind, string PersonId, string BindCommand, string QrPng);

    // [FromServices]: Enrolment has a BindAsync method of its own (chat binding) that minimal APIs would take for a binder.
    private static async Task<Results<Created<EnrolmentView>, Ok<EnrolmentView>, ProblemHttpResult>> IssueAsync(EnrolmentRequest? body, HttpContext http, [FromServices] Enrolment enrolment, CancellationToken ct)
    {
        var check = new Checks();
        body = check.Body("{subjectId} or {staffId}", body, "{subjectId} 或 {staffId}");
        check.That(body is null || (body.SubjectId is null) != (body.StaffId is null), new("Give exactly one of subjectId and staffId.",
            "房东/铺长编号（subjectId）和工作人员编号（staffId）须填写且只填写一项。"));
        if (body?.SubjectId is not null) check.Id("subjectId", body.SubjectId);
        if (body?.StaffId is not null) check.Id("staffId", body.StaffId);
        if (check.Failed(out var bad)) return bad;
        var (kind, id) = body!.SubjectId is { } subjectId ? ("subject", subjectId) : ("staff", body.StaffId!);
        // Without a key, the caller's token (which the database keeps only hashed) seals the code for a plain retry; with
        // one, the key's middleware replays a retry, and a new key is a new code. The token as authentication reads it:
        // 'bearer  x' is the same caller as 'Bearer x'.
        var retrySecret = http.Request.Headers.ContainsKey(Idempotency.Header) ? null : StaffAuthentication.BearerToken(http.Request.Headers.Authorization);
        var issued = await enrolment.IssueAsync(http.Staff(), kind, id, ct, retrySecret);
        if (issued.Failure is { } failure) return failure.ToProblem();
        var code = issued.Value!;
        var view = new EnrolmentView(code.Code, code.ExpiresAt, code.PersonKind, code.PersonId, code.BindCommand, QrPng(code, pixelsPerModule: 8));
        // No Location: the code is kept only as a hash, so there is nothing to fetch again.
        return http.CreatedOrReplayed(code.Replayed, null, view);
    }

    /// <summary>A PNG of the QR code of <paramref name="code"/>'s bind command, base64: scanned in chat, it sends the command.</summary>
    internal static string QrPng(EnrolmentCode code, int pixelsPerModule) =>
        Convert.ToBase64String(PngByteQRCodeHelper.GetQRCode(code.BindCommand, QRCodeGenerator.ECCLevel.M, pixelsPerModule));
}
