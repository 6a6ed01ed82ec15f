using Scoring.Domain;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// The weeks that are a street's: from the week its first rules took effect (a street set up mid-week has that whole week,
/// as its rules apply from its Monday). A week wholly before it was never the street's: nothing was in force, reported
/// or ranked, so it has no list to publish and no work to report — a list of it would put an empty week on the public board.
/// </summary>
public static class StreetWeeks
{
    /// <summary>When the street's first rules took effect: the street's beginning; null for a street without rules (there is none in use).</summary>
    public static async Task<DateTimeOffset?> BeganAsync(Session s, string streetId)
    {
        var sets = await s.ListRuleSetsAsync(streetId);
        return sets.Count == 0 ? null : sets.Min(r => r.EffectiveFrom);
    }

    /// <summary>The week the street's first rules took effect in; null for a street without rules (there is none in use).</summary>
    public static async Task<IsoWeek?> FirstAsync(Session s, Street street) =>
        await BeganAsync(s, street.Id) is { } began ? IsoWeek.Containing(began, street.Settings.TimeZone) : null;

    /// <summary>
    /// The one rule for a week whose data is asked for (a work report, a list's preview, the ledger): one not begun yet
    /// is <c>week-not-begun</c>, saying when it starts; one before the street's first rules <c>week-before-street</c>,
    /// in the words of what was asked. Null when the week is the street's and has begun. Publishing has its own first
    /// question (is the week over?), then asks <see cref="NoListAsync"/>.
    /// </summary>
    public static async Task<Failure?> OutsideAsync(Session s, Street street, IsoWeek week, DateTimeOffset now, WeekAsked asked) =>
        NotBegun(week, street.Settings.TimeZone, now) ?? asked switch
        {
            WeekAsked.List => await NoListAsync(s, street, week, now),
            WeekAsked.Report => await NoReportAsync(s, street, week, now),
            _ => await NoLedgerAsync(s, street, week, now),
        };

    /// <summary>Why <paramref name="week"/> has no data yet: it has not begun. Null once it has.</summary>
    public static Failure? NotBegun(IsoWeek week, TimeZoneInfo zone, DateTimeOffset now)
    {
        var start = week.Start(zone);
        if (now >= start) return null;
        var monday = TimeZoneInfo.ConvertTime(start, zone);
        return Failure.Conflict("week-not-begun", $"{week} has not begun yet: it starts on Monday {monday:yyyy-MM-dd} 00:00.",
            $"{week}还没有开始：{monday.Year}年{monday.Month}月{monday.Day}日（周一）零点开始。");
    }

    /// <summary>
    /// The same rule for a year of honours (its weeks are those of the ISO year): not begun until its first week has,
    /// before the street when all its weeks are. Null when the year has honours to count (maybe none yet).
    /// </summary>
    public static async Task<Failure?> YearOutsideAsync(Session s, Street street, int year, DateTimeOffset now)
    {
        var zone = street.Settings.TimeZone;
        var firstWeek = new IsoWeek(year, 1);
        if (now < firstWeek.Start(zone))
        {
            var monday = TimeZoneInfo.ConvertTime(firstWeek.Start(zone), zone);
            return Failure.Conflict("week-not-begun", $"{year} has not begun yet: its first week {firstWeek} starts on Monday {monday:yyyy-MM-dd} 00:00.",
                $"{year}年还没有开始：第一周 {firstWeek} 于{monday.Year}年{monday.Month}月{monday.Day}日（周一）零点开始。");
        }
        if (await FirstAsync(s, street) is not { } first || year >= first.Year) return null;
        var began = Day(first.Start(zone), zone, now);
        return Failure.Conflict("week-before-street",
            $"{year} is before {street.Name}'s first rules took effect ({began.En}, {first}): nobody was listed then. The first year with honours is {first.Year}.",
            $"{year}年早于本街道积分规则生效（{began.Zh}起，即{first}），那时没有榜单，也没有好人候选。第一个有好人候选的年份是{first.Year}年。");
    }

    /// <summary>Why <paramref name="week"/>'s lists cannot be published or previewed: it is before the street's first week. Null when it is the street's.</summary>
    public static async Task<Failure?> NoListAsync(Session s, Street street, IsoWeek week, DateTimeOffset now)
    {
        if (await FirstAsync(s, street) is not { } first || week >= first) return null;
        var zone = street.Settings.TimeZone;
        var began = Day(first.Start(zone), zone, now);
        var end = first.End(zone);
        var (whenZh, whenEn) = now >= end
            ? ("", "")
            : ($"，{Day(end, zone, now).Zh}（周一）零点后可以发布", $", from Monday {Day(end, zone, now).En} 00:00");
        return BeforeStreet(street, week, first, began,
            $"nobody was scored then and it has no list. The first week that can be published is {first}{whenEn}.", $"那时没有积分，也没有榜单。第一个可以发布的是{first}{whenZh}。");
    }

    /// <summary>Why <paramref name="week"/> has no work report: it is before the street's first week. Null when it is the street's.</summary>
    public static async Task<Failure?> NoReportAsync(Session s, Street street, IsoWeek week, DateTimeOffset now)
    {
        if (await FirstAsync(s, street) is not { } first || week >= first) return null;
        return BeforeStreet(street, week, first, Day(first.Start(street.Settings.TimeZone), street.Settings.TimeZone, now),
            $"there is nothing to report of it. The first week with a report is {first}.", $"没有可统计的工作。第一个有工作周报的是{first}。");
    }

    /// <summary>Why <paramref name="week"/> has nothing in the ledger: it is before the street's first week. Null when it is the street's.</summary>
    private static async Task<Failure?> NoLedgerAsync(Session s, Street street, IsoWeek week, DateTimeOffset now)
    {
        if (await FirstAsync(s, street) is not { } first || week >= first) return null;
        return BeforeStreet(street, week, first, Day(first.Start(street.Settings.TimeZone), street.Settings.TimeZone, now),
            $"nobody was scored then, so its ledger has nothing. The first week with a ledger is {first}.", $"那时没有积分，台账为空。第一个有台账的是{first}。");
    }

    /// <summary>A week before the street's first one (<paramref name="first"/>, begun <paramref name="began"/>), refused with what that means for what was asked.</summary>
    private static Failure BeforeStreet(Street street, IsoWeek week, IsoWeek first, (string Zh, string En) began, string meansEn, string meansZh) =>
        Failure.Conflict("week-before-street", $"{week} is before {street.Name}'s first rules took effect ({began.En}, {first}): {meansEn}",
            $"{week}早于本街道积分规则生效（{began.Zh}起，即{first}），{meansZh}");

    /// <summary>A day as the street reads it, with the year when it is not this year's.</summary>
    private static (string Zh, string En) Day(DateTimeOffset instant, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var thisYear = TimeZoneInfo.ConvertTime(now, zone).Year == local.Year;
        return ($"{(thisYear ? "" : $"{local.Year}年")}{local.Month}月{local.Day}日", local.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>What a week's data is asked for, so a week outside the street's time is refused in words of it (<see cref="StreetWeeks.OutsideAsync"/>).</summary>
public enum WeekAsked { List, Report, Ledger }
