using System.Globalization;
using System.Text;
using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Domain;
using Scoring.Domain.Weeks;

namespace Scoring.Bot.Conversations;

/// <summary>
/// 周报 / weekly report: the street's weekly work report (<see cref="WeeklyReports"/>, the use case GET …/weeks/{week}/summary
/// calls), in a few lines for an officer (the street) or a secretary (their community). The last ended week unless
/// another is named (上周, 2026-W47, 第47周, as 发布 reads them). Only in private: a group is refused before this.
/// </summary>
public sealed partial class ConversationHandler
{
    private async Task<Activity> WeeklyReportAsync(ChatTurn turn, string rest)
    {
        var street = await turn.StreetAsync();
        // "weekly report 2026-W47": the second word of the English command is not a week.
        var words = CommandParser.SplitWords(rest).ToList();
        if (words.Count > 0 && words[0].Equals("report", StringComparison.OrdinalIgnoreCase)) words.RemoveAt(0);
        var asked = string.Join(' ', words);
        var read = ReadWeek(turn, street.Settings.TimeZone, asked);
        if (read.ComplaintZh is not null) return turn.Ask(read.ComplaintZh, read.ComplaintEn!, Menu(turn));
        var week = IsoWeek.Parse(read.Value!);
        // 周报 alone in the street's first week: last week was before its first rules, so this week so far is its report.
        var lead = ("", "");
        if (read.Remaining == asked && await StreetWeeks.FirstAsync(turn.S, street) is { } first && week < first)
        {
            lead = ($"本街道从 {first} 开始积分，{week} 没有工作周报；以下是 {first} 至今的统计。\n", $"The street's scoring began with {first}; {week} has no report. Here is {first} so far.\n");
            week = first;
        }
        var outcome = await weeklyReports.SummaryInAsync(turn.S, turn.Staff!, street.Id, week);
        if (outcome.Failure is { } failure) return turn.Ask(failure.Chinese, failure.English, Menu(turn));
        return turn.Ask(turn.T(lead.Item1, lead.Item2) + WeeklyReportText(turn, outcome.Value!), Menu(turn));
    }

    private static string WeeklyReportText(ChatTurn turn, WeekSummary v)
    {
        bool zh = turn.Zh;
        var text = new StringBuilder();
        var place = v.Community is null ? v.StreetName : v.Communities.FirstOrDefault()?.Name ?? v.Community;
        string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, v.Zone).ToString(zh ? "M月d日 HH:mm" : "d MMM HH:mm", CultureInfo.InvariantCulture);
        text.AppendLine(zh
            ? $"{v.Week} 工作周报（{place}）{(v.Complete ? $"，统计截至{Local(v.AsOf)}" : $"，本周尚未结束，截至{Local(v.AsOf)}")}"
            : $"Weekly report {v.Week} ({place}){(v.Complete ? $", counted as of {Local(v.AsOf)}" : $", week still running, as of {Local(v.AsOf)}")}");
        var f = v.Total;
        var r = f.Roster;
        var coverage = r.People == 0 ? "" : $"{100.0 * r.Bound / r.People:0.#}%";
        text.AppendLine(zh
            ? $"在册：房东{r.Landlords}人（已绑定{r.LandlordsBound}），铺长{r.ShopHeads}人（已绑定{r.ShopHeadsBound}）{(coverage.Length > 0 ? $"，绑定率{coverage}" : "")}"
            : $"Roster: {r.Landlords} landlords ({r.LandlordsBound} bound), {r.ShopHeads} shop heads ({r.ShopHeadsBound} bound){(coverage.Length > 0 ? $", {coverage} in chat" : "")}");
        var p = f.Reports;
        text.AppendLine(zh
            ? $"上报{p.Made}条：本人{p.By.Self}、网格员{p.By.GridWorker}、书记{p.By.Secretary}、系统{p.By.System}；通过{p.Now.Approved}、驳回{p.Now.Rejected}、待核查{p.Now.Pending}、撤销{p.Now.Revoked}"
            : $"Reports: {p.Made} (self {p.By.Self}, grid workers {p.By.GridWorker}, secretaries {p.By.Secretary}, system {p.By.System}); approved {p.Now.Approved}, rejected {p.Now.Rejected}, pending {p.Now.Pending}, revoked {p.Now.Revoked}");
        var c = f.Verification;
        text.AppendLine(c.Decided == 0
            ? zh ? $"核查：需核查{c.Verified}条，尚无核查完成；逾期{c.Overdue}，升级{c.Escalated}" : $"Verification: {c.Verified} to verify, none decided yet; overdue {c.Overdue}, escalated {c.Escalated}"
            : zh ? $"核查：需核查{c.Verified}条，已核查{c.Decided}条，用时中位数{Took(c.Median, zh)}、90%在{Took(c.P90, zh)}内、最长{Took(c.Slowest, zh)}；逾期{c.Overdue}，升级{c.Escalated}"
                 : $"Verification: {c.Verified} to verify, {c.Decided} decided; median {Took(c.Median, zh)}, 90% within {Took(c.P90, zh)}, slowest {Took(c.Slowest, zh)}; overdue {c.Overdue}, escalated {c.Escalated}");
        text.AppendLine(zh
            ? $"租客返回{f.Returns.Reported}次（迟报{f.Returns.Late}）；铺长巡查{f.Rounds.Done}天次（漏巡{f.Rounds.Missed}）；加分{f.Points.Added}，扣分{f.Points.Deducted}"
            : $"Tenant returns: {f.Returns.Reported} ({f.Returns.Late} late); shop rounds: {f.Rounds.Done} done, {f.Rounds.Missed} missed; points +{f.Points.Added} / −{f.Points.Deducted}");
        foreach (var l in f.Lists)
        {
            var kind = Phrases.Kind(l.Kind, zh);
            text.AppendLine(!l.Published
                ? zh ? $"{kind}红黑榜：未发布" : $"{kind} list: not published"
                : zh ? $"{kind}红黑榜：第{l.Revision}版，{Local(l.PublishedAt!.Value)}由{l.PublishedByName ?? l.PublishedBy}发布，红榜{l.Red}人、黑榜{l.Black}人"
                     : $"{kind} list: revision {l.Revision}, published {Local(l.PublishedAt!.Value)} by {l.PublishedByName ?? l.PublishedBy}; red {l.Red}, black {l.Black}");
        }
        if (v.Community is null && v.Communities.Count > 1)
        {
            text.AppendLine(zh ? "各社区：" : "By community:");
            foreach (var one in v.Communities)
            {
                var x = one.Figures;
                text.AppendLine(zh
                    ? $"  {one.Name}：绑定{x.Roster.Bound}/{x.Roster.People}，上报{x.Reports.Made}，待核查{x.Reports.Now.Pending}，逾期{x.Verification.Overdue}"
                    : $"  {one.Name}: bound {x.Roster.Bound}/{x.Roster.People}, reports {x.Reports.Made}, pending {x.Reports.Now.Pending}, overdue {x.Verification.Overdue}");
            }
        }
        // The sheet is the API's, behind a staff token nobody has in chat: say who gets it where, the route for them.
        var sheet = $"GET /api/streets/{v.Street}/weeks/{v.Week}/summary.xlsx";
        text.Append(zh
            ? $"完整表格（Excel）请系统管理员从街道办的后台导出（{sheet}）。"
            : $"For the full sheet (Excel), ask whoever administers the street office's system to export it from the backend ({sheet}).");
        return text.ToString();
    }

    /// <summary>A verification time as people say it: minutes under an hour, else hours (to a tenth).</summary>
    private static string Took(TimeSpan? t, bool zh) => t is not { } span ? "—"
        : span < TimeSpan.FromHours(1) ? zh ? $"{Math.Round(span.TotalMinutes)}分钟" : $"{Math.Round(span.TotalMinutes)} min"
        : zh ? $"{span.TotalHours:0.#}小时" : $"{span.TotalHours:0.#} h";
}
