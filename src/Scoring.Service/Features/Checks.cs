using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Weeks;

namespace Scoring.Service.Features;

/// <summary>
/// Checks of what arrives at the door (route values, query, body fields): each check returns a usable value and
/// remembers what was wrong, so one 400 names every problem at once. Query values arrive as text and are parsed
/// here, never bound as int?/bool?: the framework's binding failure names a C# type, not the values allowed.
/// </summary>
public sealed partial class Checks
{
    public const int MaxIdLength = 64;
    private readonly List<Problem> _problems = [];

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^([0-9]{4})-W([0-9]{2})\z")]
    private static partial Regex WeekPattern();

    /// <summary>
    /// The Chinese name of a route value, query value or body field, with the name the request used beside it
    /// (街道编号（street）): the officer knows what it is, a client which field. A name not listed is said as sent.
    /// </summary>
    private static readonly Dictionary<string, string> NamesZh = new()
    {
        ["street"] = "街道编号", ["community"] = "社区编号", ["id"] = "编号", ["subjectId"] = "房东/铺长编号", ["staffId"] = "工作人员编号",
        ["An id"] = "记录编号", ["rule"] = "规则编号", ["after"] = "翻页起点", ["kind"] = "类型", ["points"] = "积分", ["account"] = "聊天账号编号",
        ["reason"] = "原因", ["note"] = "备注", ["evidence"] = "说明", ["correctionReason"] = "更正原因",
        ["occurredAt"] = "发生时间", ["recent"] = "最近记录条数", ["limit"] = "条数上限", ["revision"] = "版本", ["year"] = "年份",
        ["cycle"] = "积分周期", ["status"] = "状态", ["before"] = "翻页位置", ["transitions"] = "包含状态变化",
        ["dryRun"] = "只检查不导入", ["escalated"] = "只看已转交街道的", ["includeBound"] = "包含已绑定的", ["includeInactive"] = "包含已停用的",
    };

    /// <summary>A field as a Chinese reader is told of it: 街道编号（street）; the ids of a list as 记录编号（ids 中的一项）.</summary>
    public static string NamedZh(string name) => name switch
    {
        "An id" => "记录编号（ids 中的一项）",
        _ when NamesZh.TryGetValue(name, out var zh) => $"{zh}（{name}）",
        _ => name,
    };

    public IsoWeek Week(string? text)
    {
        if (IsoWeek.TryParse(text, out var week)) return week;
        // Week 53 of a year of 52 (2025-W53; 2026 and 2020 have one): written right, so say that year has none, not how to write a week.
        if (WeekPattern().Match(text ?? "") is { Success: true } m && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var year
            && year is >= IsoWeek.MinYear and <= IsoWeek.MaxYear && m.Groups[2].Value == "53" && IsoWeek.WeeksIn(year) == 52)
        {
            var last = new IsoWeek(year, IsoWeek.WeeksIn(year));
            _problems.Add(new($"'{text}' is not a week: {year} has {last.Number} weeks: its last is {last}.", $"周次「{text}」不存在：{year}年只有{last.Number}周，最后一周是 {last}。"));
            return default;
        }
        _problems.Add(new($"'{RosterText.Clip(text)}' is not a week: write it like 2026-W47 (week 01 to the year's last week, 52 or 53; years {IsoWeek.MinYear} to {IsoWeek.MaxYear}).",
            $"周次「{RosterText.Clip(text)}」无效：请写成 2026-W47 这样（第01周至当年最后一周，即第52或53周；年份{IsoWeek.MinYear}至{IsoWeek.MaxYear}）。"));
        return default;
    }

    /// <summary>
    /// A year of the street's weeks (honours), from <paramref name="min"/> to the last year a week can be written in.
    /// A year outside the street's own time is the use case's 409, as a week's is (<see cref="StreetWeeks"/>).
    /// </summary>
    public int Year(string? text, int min)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year) && year >= min && year <= IsoWeek.MaxYear)
            return year;
        // A number too long to be a year is clipped to ten characters, and said to be clipped.
        var shown = text is null ? "" : text.Length > 10 ? text[..10] + "…" : text;
        _problems.Add(new($"year '{shown}' must be a year from {min} to {IsoWeek.MaxYear}, like 2026.", $"年份（year）「{shown}」无效：须为{min}至{IsoWeek.MaxYear}的年份，如 2026。"));
        return default;
    }

    public SubjectKind Kind(string? text)
    {
        if (SubjectKinds.TryParse(text, out var kind)) return kind;
        _problems.Add(string.IsNullOrEmpty(text)
            ? new("kind is required: landlord or shop-head.", "请填写类型（kind）：landlord（房东）或 shop-head（铺长）。")
            : new($"kind '{RosterText.Clip(text)}' is unknown: use landlord or shop-head.", $"类型（kind）「{RosterText.Clip(text)}」无效：请填写 landlord（房东）或 shop-head（铺长）。"));
        return default;
    }

    /// <summary>An id of a street, community, subject, staff member or event: letters, digits, '-', '_', '.'.</summary>
    public string Id(string name, string? text)
    {
        if (string.IsNullOrEmpty(text)) _problems.Add(new($"{name} is required.", $"请填写{NamedZh(name)}。"));
        else if (text.Length > MaxIdLength || !IdPattern().IsMatch(text))
            _problems.Add(new($"{name} '{RosterText.Clip(text)}' is not an id (1–{MaxIdLength} letters, digits, '-', '_' or '.').",
                $"{NamedZh(name)}「{RosterText.Clip(text)}」无效：编号由1至{MaxIdLength}个字母、数字、“-”、“_”或“.”组成。"));
        return text ?? "";
    }

    public string? OptionalId(string name, string? text) => string.IsNullOrEmpty(text) ? null : Id(name, text);

    /// <summary>
    /// Free text such as a reason or a note; required text must not be blank. Its length is counted as the text is stored
    /// (line breaks one newline, trimmed), not as sent.
    /// </summary>
    public string? Text(string name, string? text, int maxLength, bool required = false)
    {
        if (required && string.IsNullOrWhiteSpace(text)) _problems.Add(new($"{name} is required.", $"请填写{NamedZh(name)}。"));
        else if (text is not null && RosterText.AsStored(text).Length > maxLength)
            _problems.Add(new($"{name} is limited to {maxLength} characters.", $"{NamedZh(name)}最多{maxLength}字。"));
        return text;
    }

    /// <summary>An optional whole number from the query (parsed here, so a bad one gets the same 400 with a detail as everything else).</summary>
    public int? OptionalNumber(string name, string? text, int min, int max)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)) return Range(name, n, min, max);
        _problems.Add(new($"{name} '{RosterText.Clip(text)}' must be a whole number from {min} to {max}.",
            $"{NamedZh(name)}「{RosterText.Clip(text)}」无效：须为{min}至{max}的整数。"));
        return null;
    }

    /// <summary>An optional true/false from the query.</summary>
    public bool Flag(string name, string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        if (bool.TryParse(text, out var b)) return b;
        _problems.Add(new($"{name} '{RosterText.Clip(text)}' must be true or false.", $"{NamedZh(name)}「{RosterText.Clip(text)}」无效：须为 true 或 false。"));
        return false;
    }

    public int Range(string name, int value, int min, int max)
    {
        if (value < min || value > max) _problems.Add(new($"{name} must be from {min} to {max}.", $"{NamedZh(name)}须在{min}至{max}之间。"));
        return value;
    }

    /// <summary>
    /// A request's JSON body, which must be there; <paramref name="shape"/> says what to send ({kind, correctionReason?}),
    /// <paramref name="shapeZh"/> the same in Chinese where it is words rather than JSON.
    /// </summary>
    public T Body<T>(string shape, T? value, string? shapeZh = null) where T : class
    {
        if (value is null) _problems.Add(new($"The body ({shape}) is required.", $"缺少请求体（{shapeZh ?? shape}）。"));
        return value!;
    }

    /// <summary>A check of the route's own, said in both languages.</summary>
    public void That(bool condition, Problem problem)
    {
        if (!condition) _problems.Add(problem);
    }

    public bool Failed([NotNullWhen(true)] out ProblemHttpResult? problem)
    {
        problem = _problems.Count == 0 ? null : Problems.Invalid(Problem.Join(_problems, chinese: false), Problem.Join(_problems, chinese: true));
        return problem is not null;
    }
}
