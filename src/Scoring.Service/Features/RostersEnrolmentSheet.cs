using System.Globalization;
using System.Net;
using System.Text;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>
/// A printable enrolment sheet for a whole community: per person a QR code of the chat command '绑定 &lt;code&gt;',
/// the code written out, and their name. Codes are stored only as hashes, so this page is the only place they
/// appear: it is not cached, and issuing is a POST.
/// </summary>
public static class RostersEnrolmentSheet
{
    public static IEndpointRouteBuilder MapEnrolmentSheets(this IEndpointRouteBuilder app)
    {
        app.StaffRoutes("Enrolment")
            .MapPost("/communities/{community}/enrolment-sheet", IssueAsync).WithName("IssueEnrolmentSheet")
            .WithSummary("Issues fresh one-time codes (7 days) for every active landlord and shop head of the community not yet bound to a chat account " +
                         "(?kind=landlord|shop-head, ?includeBound=true for everyone) and answers a printable HTML sheet: QR code, code and name per person. " +
                         "An Idempotency-Key is required (428 idempotency-key-required without one): a retry would issue the codes again, voiding the sheet just printed.")
            .RequireIdempotencyKey().Produces(200, contentType: "text/html").ProducesProblem(404).ProducesProblem(409)
            .WithMetadata(ContentSecurityPolicy.Printable);
        return app;
    }

    private static async Task<IResult> IssueAsync(string community, string? kind, string? includeBound, HttpContext http, EnrolmentSheets sheets, TimeProvider time, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("community", community);
        SubjectKind? k = kind is null ? null : check.Kind(kind);
        var everyone = check.Flag("includeBound", includeBound);
        if (check.Failed(out var bad)) return bad;
        var issued = await sheets.IssueAsync(http.Staff(), community, k, everyone, ct);
        if (issued.Failure is { } failure) return failure.ToProblem();
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(Render(issued.Value!, http.Staff(), time.GetUtcNow()), "text/html; charset=utf-8");
    }

    internal static string Render(EnrolmentSheet sheet, StaffMember issuer, DateTimeOffset now)
    {
        static string H(string? text) => WebUtility.HtmlEncode(text ?? "");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>绑定码 ").Append(H(sheet.Community.Name)).Append("</title><style>")
            .Append("body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:12mm}")
            .Append("h1{font-size:18pt;margin:0 0 2mm}p.note{margin:0 0 6mm;color:#444}")
            .Append(".sheet{display:grid;grid-template-columns:repeat(3,1fr);gap:4mm}")
            .Append(".card{border:1px dashed #888;padding:3mm;text-align:center;break-inside:avoid;page-break-inside:avoid}")
            .Append(".card img{width:38mm;height:38mm;image-rendering:pixelated}.name{font-size:14pt;font-weight:bold}")
            .Append(".code{font:bold 16pt ui-monospace,monospace;letter-spacing:2px}.meta{font-size:9pt;color:#555}")
            .Append("@media print{body{margin:8mm}.card{border-color:#bbb}}</style></head><body>");
        html.Append("<h1>").Append(H(sheet.Community.Name)).Append(" 聊天绑定码</h1>");
        html.Append("<p class=\"note\">请在聊天中扫码或发送「").Append(H(Enrolment.BindCommand("绑定码"))).Append("」完成绑定。每个码只能使用一次，")
            .Append(sheet.Lines.Count == 0 ? "" : H(TimeZoneInfo.ConvertTime(sheet.Lines[0].Code.ExpiresAt, sheet.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)) + "前有效。")
            .Append(" 共").Append(sheet.Lines.Count).Append("人 · 发放人：").Append(H(issuer.Name))
            .Append(" · ").Append(H(TimeZoneInfo.ConvertTime(now, sheet.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append("</p>");
        if (sheet.Lines.Count == 0) html.Append("<p>本社区所有人员都已绑定聊天账号。 / Everyone in this community has bound a chat account.</p>");
        html.Append("<div class=\"sheet\">");
        foreach (var line in sheet.Lines)
        {
            html.Append("<div class=\"card\"><img alt=\"").Append(H(line.Code.BindCommand)).Append("\" src=\"data:image/png;base64,").Append(Enrolments.QrPng(line.Code, pixelsPerModule: 6)).Append("\">")
                .Append("<div class=\"name\">").Append(H(line.Subject.Name)).Append("</div>")
                .Append("<div class=\"code\">").Append(H(line.Code.Code)).Append("</div>")
                .Append("<div class=\"meta\">").Append(H(line.Subject.Kind.NameZh())).Append(" · ").Append(H(line.Subject.Id)).Append("</div></div>");
        }
        html.Append("</div></body></html>");
        return html.ToString();
    }
}
