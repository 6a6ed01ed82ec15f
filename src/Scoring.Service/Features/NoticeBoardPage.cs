using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Scoring.Application;
using Scoring.Domain.Lists;

namespace Scoring.Service.Features;

/// <summary>
/// The printable notice board (公示栏) of one week: both kinds, red and black sections, the street, the week's dates,
/// when it was published and the content hash that lets anyone check the printout against the published list.
/// Names are masked; every piece of text is HTML-escaped.
/// </summary>
public static class NoticeBoardPage
{
    // Chinese stays readable in the source; markup characters are always escaped.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private const string Style = """
        body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 24px; color: #111; }
        header { text-align: center; border-bottom: 3px double #111; margin-bottom: 16px; }
        h1 { font-size: 28px; margin: 8px 0; letter-spacing: 4px; }
        .meta { font-size: 13px; color: #333; margin: 4px 0; }
        .hash { font-family: monospace; font-size: 11px; word-break: break-all; }
        .kind { margin-bottom: 20px; }
        h2 { font-size: 20px; border-left: 6px solid #111; padding-left: 8px; }
        .lists { display: flex; gap: 16px; align-items: flex-start; }
        section.list { flex: 1; border: 2px solid; padding: 8px 12px; break-inside: avoid; }
        section.red { border-color: #c00; } section.red h3 { color: #c00; }
        section.black { border-color: #111; }
        h3 { margin: 4px 0 8px; font-size: 18px; }
        table { width: 100%; border-collapse: collapse; }
        th, td { border-bottom: 1px solid #999; padding: 4px 6px; text-align: left; font-size: 15px; }
        td.rank, td.balance, th.rank, th.balance { text-align: center; width: 1%; white-space: nowrap; }
        .empty, .unpublished { color: #555; font-style: italic; }
        .correction { color: #a40; font-size: 13px; border: 1px solid #a40; padding: 2px 8px; margin: 4px 0; }
        .correction .reason { white-space: pre-line; }
        .superseded { color: #a40; font-size: 16px; border: 2px solid #a40; padding: 6px 8px; }
        .rule { font-size: 12px; color: #333; margin: 0 0 6px; }
        .tie { font-size: 11px; color: #555; margin-left: 4px; white-space: nowrap; }
        nav.weeks { display: flex; justify-content: space-between; font-size: 14px; margin: 8px 0 16px; }
        p.community { font-size: 16px; margin: 4px 0; }
        .address { font-family: monospace; word-break: break-all; }
        footer { margin-top: 24px; font-size: 12px; color: #333; border-top: 1px solid #999; padding-top: 8px; }
        @page { size: A4 portrait; margin: 15mm; }
        @media screen and (max-width: 600px) {
          body { margin: 12px; }
          h1 { font-size: 22px; letter-spacing: 1px; }
          .lists { flex-direction: column; align-items: stretch; }
          section.list { padding: 6px 8px; }
          th, td { padding: 4px 3px; }
        }
        @media print {
          body { margin: 0; font-size: 12pt; }
          .lists { gap: 8mm; }
          section.list, .kind { break-inside: avoid; page-break-inside: avoid; }
          thead { display: table-header-group; }
          tr { break-inside: avoid; page-break-inside: avoid; }
          h2, h3 { break-after: avoid; page-break-after: avoid; }
          a { color: inherit; text-decoration: none; }
          nav.weeks { display: none; }
          .superseded a[href^="http"]::after { content: " " attr(href); }
        }
        """;

    public static string Render(NoticeBoard board, PublicAddress address)
    {
        var zone = board.Street.Settings.TimeZone;
        var communities = board.Communities.ToDictionary(c => c.Id, c => c.Name);
        var monday = board.Week.Monday;
        var sunday = monday.AddDays(6);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(board.Street.Name)).Append(' ').Append(E(board.Week.ToString())).Append(" 红黑榜</title>\n")
            .Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<header>\n<h1 class=\"street\">").Append(E(board.Street.Name)).Append(" 红黑榜公示</h1>\n")
            .Append("<p class=\"meta week\" data-week=\"").Append(E(board.Week.ToString())).Append("\">")
            .Append(E(board.Week.ToString())).Append(" · ")
            .Append(E(monday.ToString("yyyy年M月d日", CultureInfo.InvariantCulture))).Append("（周一）至 ")
            .Append(E(sunday.ToString("yyyy年M月d日", CultureInfo.InvariantCulture))).Append("（周日）</p>\n");
        if (board.Community is { } shown)
            html.Append("<p class=\"community\">").Append(E(communities.GetValueOrDefault(shown, shown))).Append("上榜名单（名次为全街道名次）</p>\n");
        html.Append("</header>\n");

        var streetPath = $"/streets/{Uri.EscapeDataString(board.Street.Id)}/board";
        var boardPath = $"{streetPath}/{board.Week}";
        // The neighbouring weeks keep what this page shows (a kind, a community), each at its latest revision.
        var keep = string.Join("&", new[] { board.Kind is { } k ? $"kind={k}" : null, board.Community is { } c ? $"community={Uri.EscapeDataString(c)}" : null }.OfType<string>());
        var kept = keep.Length > 0 ? "?" + keep : "";
        if (board.Previous is not null || board.Next is not null)
        {
            html.Append("<nav class=\"weeks\">");
            html.Append(board.Previous is { } before ? $"<a rel=\"prev\" href=\"{E($"{streetPath}/{before}{kept}")}\">‹ 上一期 {E(before.ToString())}</a>" : "<span></span>");
            html.Append(board.Next is { } after ? $"<a rel=\"next\" href=\"{E($"{streetPath}/{after}{kept}")}\">下一期 {E(after.ToString())} ›</a>" : "<span></span>");
            html.Append("</nav>\n");
        }
        foreach (var kind in board.Kind is { } only ? [only] : board.Kinds)
        {
            var list = board.Lists.FirstOrDefault(l => l.Kind == kind);
            var (kindName, redTitle, blackTitle) = kind == "landlord"
                ? ("房东", "红榜 · 五好房东", "黑榜 · 拖拉机房东")
                : ("铺长", "红榜 · 优秀铺长", "黑榜 · 后进铺长");
            html.Append("<div class=\"kind\" data-kind=\"").Append(kind).Append("\">\n<h2>").Append(kindName).Append("</h2>\n");
            if (list is null)
            {
                html.Append("<p class=\"unpublished\">本周").Append(kindName).Append("榜单尚未发布。</p>\n</div>\n");
                continue;
            }
            var published = list.PublishedAt is { } at ? TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";
            html.Append("<p class=\"meta published\">发布时间 ").Append(E(published)).Append('（').Append(E(ZoneName(board.Street.Settings.TimeZoneId))).Append('）')
                .Append(" · 第 ").Append(list.Revision).Append(" 版 · <a class=\"rules\" href=\"")
                .Append(E(address.Of($"/api/streets/{Uri.EscapeDataString(board.Street.Id)}/rules/{list.RuleSetVersion}")))
                .Append("\">规则版本 ").Append(list.RuleSetVersion).Append("</a></p>\n");
            // A printout of a replaced revision must say so on its face; a correction says what it replaces and where to read it.
            if (board.LatestRevision is { } latest && list.Revision < latest)
                html.Append("<p class=\"superseded\"><strong>此为第 ").Append(list.Revision).Append(" 版，已被更正，不再有效。</strong>请以<a href=\"")
                    .Append(E(address.Of(boardPath + (board.Community is { } part ? $"?community={Uri.EscapeDataString(part)}" : "")))).Append("\">最新公示</a>为准。</p>\n");
            if (list.Revision > 1)
            {
                html.Append("<p class=\"correction\"><strong>更正：</strong>本榜为第 ").Append(list.Revision).Append(" 版，更正此前发布的版本。");
                // A reason written on several lines (1. … 2. …) keeps them, on screen and in print; the rest of the notice wraps as text.
                if (list.CorrectionReason is { } reason) html.Append("更正说明：<span class=\"reason\">").Append(E(reason)).Append("</span>");
                html.Append("<br>此前发布的版本：");
                for (var r = 1; r < list.Revision; r++)
                    html.Append(r > 1 ? "、" : "").Append("<a href=\"").Append(E($"?kind={kind}&revision={r}{(board.Community is { } part ? $"&community={Uri.EscapeDataString(part)}" : "")}")).Append("\">第 ").Append(r).Append(" 版</a>");
                html.Append("</p>\n");
            }
            html.Append("<p class=\"meta\">内容校验码 <span class=\"hash\">").Append(E(list.ContentHash)).Append("</span></p>\n");
            html.Append("<div class=\"lists\">\n");
            Section(html, "red", redTitle, RedRule(list.RedListSize), list.Red, communities);
            Section(html, "black", blackTitle, BlackRule(list.BlackListSize), list.Black, communities);
            html.Append("</div>\n</div>\n");
        }
        html.Append("<footer>姓名已作部分隐藏。标「同分」者积分相同，按各榜所列的先后规则分出名次。")
            .Append("如有异议，请联系所在村（社区）或").Append(E(board.Street.Name)).Append('。');
        // A printout names where it is checked: this page's own address, when the service knows its public one.
        if (address.IsSet)
        {
            var query = string.Join("&", new[] { keep, board.Revision is { } r ? $"revision={r}" : "" }.Where(q => q.Length > 0));
            html.Append("<br>本页网址：<span class=\"address\">").Append(E(address.Of(boardPath + (query.Length > 0 ? "?" + query : "")))).Append("</span>");
        }
        html.Append("</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Who can be on the red list and how it is ordered (<see cref="WeeklyList"/>, <see cref="WeeklyRanking"/>), with its size when the list kept it.</summary>
    private static string RedRule(int? size) =>
        $"上榜条件：积分高于{Scoring.Domain.StreetSettings.BaseScore}分且本周无扣分，{(size is { } n ? $"取前 {n} 名" : "按名次取前几名")}（同名次者一并上榜）。" +
        "排序：积分高者在前；同分时本计分周期扣分少者在前，再按本周加分多者在前；仍相同者并列。";

    /// <summary>The black list's conditions and order: lowest first, and among equal balances more deductions first (WeeklyRanking.WorstFirst).</summary>
    private static string BlackRule(int? size) =>
        $"上榜条件：积分低于{Scoring.Domain.StreetSettings.BaseScore}分，{(size is { } n ? $"取倒数 {n} 名" : "按名次取倒数几名")}（同名次者一并上榜）。" +
        "排序：积分低者在前；同分时本计分周期扣分多者在前，再按本周加分少者在前；仍相同者并列。";

    /// <summary>
    /// The page a person reads where the board is not there (a week not yet published, a street or week mistyped): the
    /// same status, and why in words, with the problem's code on the element that says it, and a link to the street's
    /// latest published board when the problem names one.
    /// </summary>
    public static string RenderProblem(Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        var code = problem.Extensions.TryGetValue("code", out var c) ? c?.ToString() ?? "" : "";
        var words = problem.Extensions.TryGetValue("detailZh", out var zh) && zh is string chinese ? chinese : problem.Detail ?? problem.Title ?? "";
        // Where the street's lists are: a reader who came for a week without one finds the latest that has.
        var latest = problem.Extensions.TryGetValue("latestBoard", out var l) && l is string path
            ? $"<p class=\"meta\"><a class=\"latest\" href=\"{E(path)}\">查看本街道最新发布的红黑榜（{E(path[(path.LastIndexOf('/') + 1)..])}）</a></p>\n"
            : "";
        return new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>红黑榜公示</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<header>\n<h1>红黑榜公示</h1>\n</header>\n")
            .Append("<p class=\"unpublished\" data-code=\"").Append(E(code)).Append("\">").Append(E(words)).Append("</p>\n")
            .Append(latest)
            .Append("<footer>榜单由街道在每周结束后发布；如有疑问，请联系所在村（社区）。</footer>\n</body>\n</html>\n")
            .ToString();
    }

    private static void Section(StringBuilder html, string color, string title, string rule, IReadOnlyList<ListEntry> entries, IReadOnlyDictionary<string, string> communities)
    {
        html.Append("<section class=\"list ").Append(color).Append("\">\n<h3>").Append(E(title)).Append("</h3>\n")
            .Append("<p class=\"rule\">").Append(E(rule)).Append("</p>\n");
        if (entries.Count == 0)
        {
            html.Append("<p class=\"empty\">本周无人符合上榜条件。</p>\n</section>\n");
            return;
        }
        html.Append("<table>\n<thead><tr><th scope=\"col\" class=\"rank\">名次</th><th scope=\"col\">姓名</th><th scope=\"col\">村（社区）</th><th scope=\"col\" class=\"balance\">积分</th></tr></thead>\n<tbody>\n");
        foreach (var e in entries)
        {
            html.Append("<tr><td class=\"rank\">").Append(e.Rank).Append("</td><td class=\"name\">").Append(E(Masking.Name(e.Name)))
                .Append("</td><td class=\"community\">").Append(E(communities.GetValueOrDefault(e.Community, e.Community)))
                .Append("</td><td class=\"balance\"><span class=\"points\">").Append(e.Balance).Append("</span>");
            // Equal points at another rank: the tie-break figures are not in the frozen list, so the board says only that
            // the points were equal and the rule above separated them.
            if (entries.Any(o => o.Balance == e.Balance && o.Rank != e.Rank)) html.Append("<span class=\"tie\">同分</span>");
            html.Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>The zone as a resident says it: China's is 北京时间, not its IANA id; another zone is named by its id.</summary>
    private static string ZoneName(string zoneId) =>
        zoneId is "Asia/Shanghai" or "Asia/Chongqing" or "Asia/Chungking" or "Asia/Harbin" or "PRC" or "China Standard Time" ? "北京时间" : zoneId + " 时间";

    private static string E(string text) => Html.Encode(text);
}
