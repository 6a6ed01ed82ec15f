using System.Globalization;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;

namespace Scoring.Bot.Conversations;

/// <summary>How the bot writes numbers, times and statuses, in Chinese or English.</summary>
public static class Phrases
{
    /// <summary>Chinese first: Chinese when the locale starts with zh or is missing, English otherwise.</summary>
    public static bool IsChinese(string? locale) =>
        string.IsNullOrWhiteSpace(locale) || locale.TrimStart().StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    /// <summary>Points at stake with their sign: +1, -2.</summary>
    public static string Delta(int delta) => delta > 0 ? $"+{delta}" : delta.ToString(CultureInfo.InvariantCulture);

    /// <summary>A number of points in English: 1 point, 0 points, 13 points.</summary>
    public static string Points(int n) => n == 1 ? "1 point" : $"{n.ToString(CultureInfo.InvariantCulture)} points";

    /// <summary>A count of records in English, with the verb that follows: 1 record waits, 3 escalated records wait.</summary>
    public static string Records(int n, string verbForOne, string verbForMany, string? adjective = null)
    {
        var what = adjective is null ? "record" : adjective + " record";
        return n == 1 ? $"1 {what} {verbForOne}" : $"{n.ToString(CultureInfo.InvariantCulture)} {what}s {verbForMany}";
    }

    public static string Status(EventStatus status, bool zh) => zh ? status.NameZh() : status.ToWire();

    /// <summary>
    /// A status as the subject reads it: a deduction the secretary rejected was waived (已免除) — the word the late return's
    /// receipt told them to ask for; "驳回" reads as their request refused. Staff read <see cref="Status(EventStatus, bool)"/>.
    /// </summary>
    public static string Status(EventStatus status, int delta, bool zh) =>
        status == EventStatus.Rejected && delta < 0 ? zh ? "已免除" : "waived" : Status(status, zh);

    /// <summary>A local time people read at a glance: 11月18日 08:30 (with the year when it is not this year's).</summary>
    public static string When(DateTimeOffset instant, TimeZoneInfo zone, DateTimeOffset now, bool zh)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var thisYear = TimeZoneInfo.ConvertTime(now, zone).Year == local.Year;
        return zh
            ? local.ToString(thisYear ? "M月d日 HH:mm" : "yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    public static string Day(DateTimeOffset instant, TimeZoneInfo zone, bool zh)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.ToString(zh ? "M月d日" : "MMM d", CultureInfo.InvariantCulture);
    }

    /// <summary>How long ago, roughly: 35分钟 / 3小时 / 2天.</summary>
    public static string Age(TimeSpan age, bool zh)
    {
        if (age < TimeSpan.FromHours(1)) return zh ? $"{Math.Max(1, (int)age.TotalMinutes)}分钟" : $"{Math.Max(1, (int)age.TotalMinutes)} min";
        if (age < TimeSpan.FromDays(2)) return zh ? $"{(int)age.TotalHours}小时" : $"{(int)age.TotalHours} h";
        return zh ? $"{(int)age.TotalDays}天" : $"{(int)age.TotalDays} days";
    }

    /// <summary>
    /// One of the records an account speaks for, told apart from the others: the same person may be a landlord and a shop
    /// head, or a landlord in two places, under one name.
    /// </summary>
    public static string Record(Subject record, string? community, bool zh) => zh
        ? $"{record.Name}（{Kind(record.Kind, true)}{(community is null ? "" : "，" + community)}）"
        : $"{record.Name} ({Kind(record.Kind, false)}{(community is null ? "" : ", " + community)})";

    public static string Kind(SubjectKind kind, bool zh) => zh ? kind.NameZh() : kind == SubjectKind.ShopHead ? "shop head" : "landlord";

    public static string Role(StaffRole role, bool zh) => (role, zh) switch
    {
        (StaffRole.Secretary, true) => "书记",
        (StaffRole.GridWorker, true) => "网格员",
        (StaffRole.Officer, true) => "街道工作人员",
        (StaffRole.Admin, true) => "管理员",
        (StaffRole.Secretary, false) => "secretary",
        (StaffRole.GridWorker, false) => "grid worker",
        (StaffRole.Officer, false) => "street officer",
        _ => "administrator",
    };

    /// <summary>
    /// Where an event of a cycle already over counted: 计入 2025年12月22日—28日这一周（2025年积分周期，该周期积分 13 分）; one
    /// revoked no longer counts there, so it is of that week (属于). Dates, with the year: landlords do not read 2025-W52.
    /// </summary>
    public static string CountedIn(Application.EarlierCycle earlier, bool zh, bool revoked = false) => zh
        ? $"{(revoked ? "属于" : "计入")} {Dates(earlier.Week, null, true)}这一周（{Cycle(earlier.Cycle, true)}积分周期，该周期积分 {earlier.Balance} 分）"
        : $"{(revoked ? "is of" : "counts in")} the week of {Dates(earlier.Week, null, false)} (cycle {Cycle(earlier.Cycle, false)}, whose balance is {earlier.Balance})";

    /// <summary>
    /// A week as landlords and shop heads read it, never its ISO code (2026-W47): 本周（11月16日—22日）, 上周（11月9日—15日）, or
    /// its dates (11月2日—8日; with the year where it is not this year's). Staff commands and the API keep the code.
    /// </summary>
    /// <param name="withKey">With the code after the dates (上周（11月9日—15日，2026-W46）): for staff, whose commands take it.</param>
    public static string Week(IsoWeek week, DateOnly today, bool zh, bool withKey = false)
    {
        var current = IsoWeek.Of(today);
        var dates = Dates(week, today.Year, zh) + (withKey ? zh ? $"，{week}" : $", {week}" : "");
        if (withKey && week != current && week != current.Previous()) return zh ? $"{Dates(week, today.Year, zh)}（{week}）" : $"{Dates(week, today.Year, zh)} ({week})";
        if (week == current) return zh ? $"本周（{dates}）" : $"this week ({dates})";
        if (week == current.Previous()) return zh ? $"上周（{dates}）" : $"last week ({dates})";
        return dates;
    }

    /// <summary>A week's Monday to Sunday: 11月16日—22日, 11月30日—12月6日, with the years where not <paramref name="thisYear"/> (null: always).</summary>
    public static string Dates(IsoWeek week, int? thisYear, bool zh)
    {
        var (monday, sunday) = (week.Monday, week.Monday.AddDays(6));
        var years = monday.Year != thisYear || sunday.Year != thisYear;
        if (zh)
        {
            var start = years ? $"{monday.Year}年{monday.Month}月{monday.Day}日" : $"{monday.Month}月{monday.Day}日";
            var end = years && sunday.Year != monday.Year ? $"{sunday.Year}年{sunday.Month}月{sunday.Day}日"
                : sunday.Month != monday.Month ? $"{sunday.Month}月{sunday.Day}日" : $"{sunday.Day}日";
            return $"{start}—{end}";
        }
        string En(DateOnly d, bool year) => d.ToString(year ? "d MMM yyyy" : "d MMM", CultureInfo.InvariantCulture);
        if (years && sunday.Year != monday.Year) return $"{En(monday, true)} – {En(sunday, true)}";
        if (sunday.Month != monday.Month) return $"{En(monday, false)} – {En(sunday, years)}";
        return $"{monday.Day}–{En(sunday, years)}";
    }

    /// <summary>A scoring cycle as people read it: 2026年, 2026年第4季度 (its key, 2026 or 2026-Q4, is for staff and the API).</summary>
    public static string Cycle(ScoringCycle cycle, bool zh)
    {
        var year = cycle.First.Year.ToString(CultureInfo.InvariantCulture);
        var quarter = cycle.Key.Length > 4 ? cycle.Key[^1..] : null;
        return zh ? quarter is null ? $"{year}年" : $"{year}年第{quarter}季度" : quarter is null ? year : $"Q{quarter} {year}";
    }

    /// <summary>
    /// Weeks whose published lists did not count what was just decided or recorded (empty: nothing): whoever publishes
    /// should know a correction may be due. A line of its own, led by a line break.
    /// </summary>
    public static string StaleLists(IReadOnlyList<string> weeks, bool zh) => weeks.Count == 0 ? ""
        : zh ? $"\n已发布的 {string.Join("、", weeks)} 榜单是按之前的记录排的，可请街道查看并发布更正。"
        : $"\nThe published {(weeks.Count == 1 ? "list" : "lists")} of {string.Join(", ", weeks)} did not count it: the street office may publish a correction.";

    /// <summary>
    /// The event's id, status, points at stake and the balance: what every report's reply states; with why it was rejected,
    /// waived or revoked when it was (a report sent again after the decision). The status as the subject reads it
    /// (<see cref="Status(EventStatus, int, bool)"/>) unless <paramref name="staff"/> reported it.
    /// </summary>
    public static string Receipt(ScoreEvent e, int balance, bool zh, string? reason = null, bool staff = false)
    {
        var status = staff ? Status(e.Status, zh) : Status(e.Status, e.Delta, zh);
        var why = reason is { Length: > 0 } ? zh ? $"（原因：{reason}）" : $" (reason: {reason})" : "";
        return zh
            ? $"编号：{e.Id}\n状态：{status}{why}\n分值：{Delta(e.Delta)}\n当前积分：{balance}"
            : $"Id: {e.Id}\nStatus: {status}{why}\nPoints: {Delta(e.Delta)}\nBalance now: {balance}";
    }

    /// <summary>What happens next to an event with this status.</summary>
    public static string Next(EventStatus status, int delta, bool zh) => (status, zh) switch
    {
        (EventStatus.Pending, true) => delta > 0 ? "书记核查通过后计入积分。" : "书记核查后生效；如有正当理由，可请书记免除。",
        (EventStatus.Pending, false) => delta > 0 ? "It counts once your secretary approves it." : "It takes effect once a secretary checks it; with a good reason, ask them to waive it.",
        (EventStatus.Approved, true) => "已计入积分。",
        (EventStatus.Approved, false) => "It already counts.",
        _ => "",
    };

    /// <summary>
    /// Short quotes of what someone typed, so a reply never repeats a whole essay: 20 Chinese characters, or as much
    /// room in English (a Chinese character counts as two letters, as wide and about as telling), cut between words.
    /// </summary>
    public static string Quote(string text)
    {
        const int room = 40;
        int used = 0, fits = 0;
        for (; fits < text.Length; fits++)
        {
            used += IsWide(text[fits]) ? 2 : 1;
            if (used > room) break;
        }
        if (fits == text.Length) return text;
        // "settled a row about the re…" reads worse than "settled a row about the…"; Chinese has no spaces to cut at.
        var space = IsWide(text[fits]) ? -1 : text.LastIndexOf(' ', fits);
        return space > room / 2 ? text[..space].TrimEnd() + "…" : Clip(text, fits);
    }

    private static bool IsWide(char c) => c >= '\u2E80' && !char.IsSurrogate(c);

    /// <summary>At most <paramref name="max"/> UTF-16 units of <paramref name="text"/>, with … when cut (never half an emoji).</summary>
    public static string Clip(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..cut] + "…";
    }
}
