using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Scoring.Domain.Weeks;

namespace Scoring.Bot.Conversations;

/// <summary>
/// Reads the times people type in chat — <c>今天 14:00</c>, <c>昨天</c>, <c>11月20日</c>,
/// <c>2026-11-20 08:30</c>, <c>14:00</c>, <c>下午2点</c>, <c>3小时前</c>, <c>yesterday 8:30</c>, <c>昨晚八点</c>,
/// <c>昨天下午</c>, <c>11.17</c>, <c>last night</c>, <c>9pm yesterday</c>, <c>this morning at 7</c>, <c>17 Nov</c>, <c>17/11</c> — as
/// instants in the street's time zone. Pure: the clock and the zone come in.
/// </summary>
/// <remarks>
/// A date without a time counts from noon (clamped to now), so neither a landlord nor the ledger
/// gains from the missing half day. A time without a date is the latest such time that is not in the
/// future, give or take a phone clock's few minutes (14:00 said at 09:00 means yesterday; 09:02 means today);
/// 晚上12点 is the midnight that ends that evening. A month and day without a year is the latest such day at most a
/// month ahead: this year's as a rule, last year's when this year's lies further ahead (12月30日 said on 2 January), and
/// next year's when that is within the month (1月1日 said on 31 December is tomorrow, never last January). A part of a day without the hour
/// (昨天晚上) counts from its middle (21:00), clamped to now like noon. 11.17 is a date only within a month of today;
/// further off, alone, it is a time (8.30 said in November is 08:30, never a return of 30 August).
/// What people say and dictation writes reads as the figures would: 八点一刻, 两点四十, 八点过五分, 二十点, 十一月三日, 18号 (this
/// month's 18th, or last month's while this month's is further ahead than tomorrow), 大前天, 昨儿, 星期天 (the latest not after
/// today), 上周五 (last week's; weeks run Monday to Sunday), a sentence's spoken ending (回来了, 到的, 左右) and the mark after
/// it. 八点多 is the hour said (8:00); 半夜 alone is the midnight that ends the day, 半夜两点 the small hours after it.
/// A bare hour (两点, not 下午两点, 14:00 or 02点) is read as written, and also gives both its readings (<see cref="ChatTimeReading.Halves"/>)
/// for the caller to ask which where they differ.
/// </remarks>
public static partial class ChatTime
{
    /// <summary>Longer input is no time anyone types; refusing it keeps the patterns cheap.</summary>
    private const int MaxLength = 64;

    private static readonly TimeOnly Noon = new(12, 0);

    /// <summary>A phone's clock runs a little ahead of ours: 9:02 typed at 9:00 is today's, as the return use case allows.</summary>
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The instant <paramref name="text"/> names, or null when it names none.</summary>
    public static DateTimeOffset? Parse(string? text, DateTimeOffset now, TimeZoneInfo zone) => Read(text, now, zone)?.At;

    /// <summary>
    /// What <paramref name="text"/> names: the instant, and for a date said without a time, the last moment of that
    /// date that is not in the future (the arrival could have been as late as that).
    /// </summary>
    public static ChatTimeReading? Read(string? text, DateTimeOffset now, TimeZoneInfo zone) => Read(text, now, zone, out _);

    /// <summary>
    /// As <see cref="Read(string?, DateTimeOffset, TimeZoneInfo)"/>; when the text is a day and month that could be read
    /// either way (1/2), null, and <paramref name="ambiguous"/> names the two days, so the person can be asked which.
    /// </summary>
    public static ChatTimeReading? Read(string? text, DateTimeOffset now, TimeZoneInfo zone, out (DateOnly Earlier, DateOnly Later)? ambiguous) =>
        Read(text, now, zone, asked: null, out ambiguous);

    /// <summary>
    /// An answer to "what time on <paramref name="day"/>?" (asked of 昨天, or of 昨天下午 with <paramref name="part"/>):
    /// a time without a date is that day's — in that part of the day when it names none (3点 asked of an afternoon is
    /// 15:00) — not the latest such time, which would be today's once that hour has passed. An answer with a date of its
    /// own (今天 8点) is read as it says.
    /// </summary>
    public static ChatTimeReading? ReadOn(string? text, DateOnly day, string? part, DateTimeOffset now, TimeZoneInfo zone, out (DateOnly Earlier, DateOnly Later)? ambiguous) =>
        Read(text, now, zone, (day, part), out ambiguous);

    private static ChatTimeReading? Read(string? text, DateTimeOffset now, TimeZoneInfo zone, (DateOnly Day, string? Part)? asked, out (DateOnly Earlier, DateOnly Later)? ambiguous)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ambiguous = null;
        var typed = Normalize(text);
        if (typed.Length == 0 || typed.Length > MaxLength) return null;
        var localNow = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var today = DateOnly.FromDateTime(localNow);
        typed = English(Said(Spoken(typed), today), today);
        if (Slashed(typed, today, out ambiguous) is not { } unslashed) return null;
        typed = unslashed;
        if (Dotted(typed, today) is not { } undotted) return null;
        typed = undotted;

        // 昨天晚上, 今天早上: a part of a day without the hour counts from its middle, as a date alone counts from noon.
        if (PartOfDay().Match(typed) is { Success: true } part && Read(part.Groups["date"].Value, now, zone) is { LatestOfDay: not null } day)
        {
            var on = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(day.At, zone).DateTime);
            var (from, middle, to) = Span(part.Groups["part"].Value);
            var start = Instant(on.ToDateTime(from), zone, now);
            var at = Instant(on.ToDateTime(middle), zone, now + FutureTolerance);
            var end = Instant(on.ToDateTime(to), zone, now);
            return new ChatTimeReading(at > now && start <= now ? now : at, end > now ? now : end, part.Groups["part"].Value);
        }

        if (Now().IsMatch(typed)) return new ChatTimeReading(now, null);
        if (Ago().Match(typed) is { Success: true } ago)
            return AgoOf(ago, now) is { } before ? new ChatTimeReading(before, null) : null;

        var m = Moment().Match(typed);
        if (!m.Success) return null;
        bool hasDate = m.Groups["rel"].Success || m.Groups["d"].Success;
        bool hasTime = m.Groups["h"].Success;
        if (!hasDate && !hasTime) return null;

        DateOnly? date = hasDate ? DateOf(m, today) : null;
        if (hasDate && date is null) return null;
        (TimeOnly Time, int NextDay)? time = hasTime ? TimeOf(m, hasDate ? null : asked?.Part) : null;
        if (hasTime && time is null) return null;

        var latest = now + FutureTolerance;
        // A time alone answering the hour of a day asked about is that day's.
        if (!hasDate && asked is { Day: var askedDay }) date = askedDay;
        if (time is { } said)
        {
            // On the day said, else the latest such time that is not in the future.
            DateTimeOffset At(TimeOnly clock, int nextDay)
            {
                if (date is { } d) return Instant(d.AddDays(nextDay).ToDateTime(clock), zone, latest);
                var candidate = Instant(today.AddDays(nextDay).ToDateTime(clock), zone, latest);
                return candidate > latest ? Instant(today.AddDays(nextDay - 1).ToDateTime(clock), zone, latest) : candidate;
            }
            (DateTimeOffset, DateTimeOffset)? halves = null;
            if (Bare(m, hasDate ? null : asked?.Part))
            {
                var clock = said.Time.Hour % 12;
                halves = (At(new TimeOnly(clock, said.Time.Minute), 0), At(new TimeOnly(clock + 12, said.Time.Minute), 0));
            }
            return new ChatTimeReading(At(said.Time, said.NextDay), null, Halves: halves);
        }
        var noon = Instant(date!.Value.ToDateTime(Noon), zone, latest);
        var lastOfDay = Instant(date.Value.ToDateTime(new TimeOnly(23, 59)), zone, now);
        return new ChatTimeReading(date == today && noon > now ? now : noon, lastOfDay > now ? now : lastOfDay);
    }

    /// <summary>
    /// An hour of 1 to 12 said with 点 or 时 and nothing saying which half of the day (两点, 昨天8点半): not with 上午/下午…
    /// or am/pm, nor in a part of the day asked about, nor as a clock (2:00, 14:00) or with its 0 (02点).
    /// </summary>
    private static bool Bare(Match m, string? askedPart) =>
        askedPart is null && !m.Groups["p1"].Success && !m.Groups["p2"].Success && m.Groups["sep"].Value is "点" or "时"
        && !m.Groups["h"].Value.StartsWith('0') && Number(m.Groups["h"].Value) is >= 1 and <= 12;

    /// <summary>
    /// The two days a day and month written with a slash could be (1/2: 1 February or 2 January) when neither is clearly
    /// meant, so the person can be asked which; null when the text is no such date or reads one way only.
    /// </summary>
    public static (DateOnly Earlier, DateOnly Later)? Ambiguity(string? text, DateTimeOffset now, TimeZoneInfo zone)
    {
        Read(text, now, zone, out var both);
        return both;
    }

    /// <summary>English words for a moment the patterns read as figures: 8 p.m. → 8pm, 7 o'clock → 7:00, noon → 12:00, midnight → 晚上12点.</summary>
    private static string Spoken(string typed)
    {
        if (!typed.Any(char.IsAsciiLetterLower)) return typed;
        typed = AmPmDotted().Replace(typed, "$1m");
        typed = OClock().Replace(typed, "$1:00");
        typed = NoonWord().Replace(typed, "12:00");
        return Midnight().Replace(typed, "晚上12点"); // the midnight that ends the day named, as 昨天晚上12点
    }

    /// <summary>
    /// Dates and word orders of English, in the forms the patterns read: 17 Nov and Nov 17th (2026) → 11月17日,
    /// Monday → the latest Monday not after today, 9.30pm → 9:30pm, 9pm yesterday → yesterday 9pm, this morning at 7 → 今天早上7点.
    /// </summary>
    private static string English(string typed, DateOnly today)
    {
        if (!typed.Any(char.IsAsciiLetterLower)) return typed;
        typed = DayMonth().Replace(typed, m => MonthDay(m, today));
        typed = MonthDayNamed().Replace(typed, m => MonthDay(m, today));
        typed = WeekdayBeforeDate().Replace(typed, ""); // Sun 15 Nov: the date says the day
        typed = Weekday().Replace(typed, m =>
        {
            var back = ((int)today.DayOfWeek - WeekdayOf(m.Groups["wd"].Value) + 7) % 7;
            if (back == 0 && m.Groups["last"].Success) back = 7;
            var day = today.AddDays(-back);
            return $"{day.Year}年{day.Month}月{day.Day}日";
        });
        typed = PartOfDayWord().Replace(typed, m => m.Groups["word"].Value switch
        {
            "morning" => "早上",
            "afternoon" => "下午",
            _ => "晚上",
        });
        typed = DottedAmPm().Replace(typed, "${h}:${min}${p}");
        typed = LeadingOnAt().Replace(typed, "");
        typed = TimeFirst().Replace(typed, "${date} ${time}");
        typed = PartAtHour().Replace(typed, "${part}${h}点");
        typed = PartAt().Replace(typed, "${part}");
        return typed.Replace("晚上晚上12点", "晚上12点", StringComparison.Ordinal); // last night at midnight
    }

    private static string MonthDay(Match m, DateOnly today)
    {
        var month = MonthByName(m.Groups["mon"].Value);
        if (month is null) return m.Value;
        return m.Groups["y"].Success ? $"{m.Groups["y"].Value}年{month}月{m.Groups["d"].Value}日" : $"{month}月{m.Groups["d"].Value}日";
    }

    private static int WeekdayOf(string word) => word[..2] switch
    {
        "su" => 0, "mo" => 1, "tu" => 2, "we" => 3, "th" => 4, "fr" => 5, _ => 6,
    };

    /// <summary>
    /// A day and month written with a slash or a dash: Britain writes the day first (17/11), America and China the
    /// month (11/17). A reading the calendar lacks is left out; of two real days, the one within the month just gone
    /// is meant (5/11 said in November is 5 November, not 11 May half a year back). When both or neither are, no
    /// guess is made: null, and <paramref name="ambiguous"/> names the two. The text unchanged when it is no such date.
    /// </summary>
    private static string? Slashed(string typed, DateOnly today, out (DateOnly Earlier, DateOnly Later)? ambiguous)
    {
        ambiguous = null;
        if (SlashedPattern().Match(typed) is not { Success: true } m) return typed;
        int a = int.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture), b = int.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture);
        int? year = m.Groups["y"].Success ? int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture) : null;
        if (year < 100) year += 2000;
        var readings = new[] { Calendar(year, a, b, today), Calendar(year, b, a, today) }
            .OfType<DateOnly>().Distinct().ToList();
        if (readings.Count == 0) return typed;
        var chosen = readings.Count == 1 ? readings[0] : readings.Where(d => d <= today && today.DayNumber - d.DayNumber <= 31).ToList() is [var only] ? only : (DateOnly?)null;
        if (chosen is not { } day)
        {
            ambiguous = readings[0] < readings[1] ? (readings[0], readings[1]) : (readings[1], readings[0]);
            return null;
        }
        return $"{day.Year}年{day.Month}月{day.Day}日{m.Groups["rest"].Value}";
    }

    /// <summary>The day of that month, in the year given, else the latest such day at most a month ahead (<see cref="Nearest"/>).</summary>
    private static DateOnly? Calendar(int? year, int month, int day, DateOnly today)
    {
        if (month is < 1 or > 12 || day < 1) return null;
        if (year is not { } given) return Nearest(month, day, today);
        return given is >= 1 and <= 9999 && day <= DateTime.DaysInMonth(given, month) ? new DateOnly(given, month, day) : null;
    }

    /// <summary>
    /// A month and day said without a year: the latest such day at most a month ahead — next year's only in the last weeks
    /// of December (1月1日 said on 31 December is tomorrow, not last January), this year's, else last year's. Null when
    /// none of these years has that day.
    /// </summary>
    private static DateOnly? Nearest(int month, int day, DateOnly today)
    {
        if (month is < 1 or > 12 || day < 1) return null;
        foreach (var y in new[] { today.Year + 1, today.Year, today.Year - 1 })
        {
            if (y is < 1 or > 9999 || day > DateTime.DaysInMonth(y, month)) continue; // 2月29日 outside a leap year
            var candidate = new DateOnly(y, month, day);
            if (candidate.DayNumber - today.DayNumber <= 31) return candidate;
        }
        return null;
    }

    /// <summary>
    /// What people say for a time, in the words the patterns read: 昨晚 → 昨天晚上, 八点一刻 → 8点15分, 星期天 → that Sunday's
    /// date, last night → 昨天晚上; without what a sentence says around the time (大概…, …回来了, …左右).
    /// </summary>
    private static string Said(string typed, DateOnly today)
    {
        typed = SpokenAround().Replace(typed, "");
        foreach (var (said, meant) in Sayings)
            if (typed.Contains(said, StringComparison.Ordinal)) typed = typed.Replace(said, meant, StringComparison.Ordinal);
        if (Ascii.IsValid(typed)) return typed; // English and figures: nothing below applies
        typed = CommaInside().Replace(typed, " "); // 昨天晚上，八点: a dictated pause
        typed = WeekdayBeforeChineseDate().Replace(typed, ""); // 周日 11月15日: the date says the day
        // One weekday and one day alone at most: matched, not replaced through a delegate that would capture today on every call.
        if (ChineseWeekday().Match(typed) is { Success: true } weekday) typed = Put(typed, weekday, WeekdayDate(weekday, today));
        typed = NumberInWords().Replace(typed, static m => ChineseNumeral(m.Value));
        if (DayAlone().Match(typed) is { Success: true } alone && DayOfMonth(int.Parse(alone.Groups["d"].Value, CultureInfo.InvariantCulture), today) is { } day)
            typed = Put(typed, alone, $"{day.Year}年{day.Month}月{day.Day}日");
        return DeadOfNight().Replace(typed, "晚上12点");
    }

    private static string Put(string typed, Match m, string meant) => string.Concat(typed.AsSpan(0, m.Index), meant, typed.AsSpan(m.Index + m.Length));

    /// <summary>星期天: the latest Sunday not after today; 上周五: the Friday of last week (weeks run Monday to Sunday); 这周三: this week's.</summary>
    private static string WeekdayDate(Match m, DateOnly today)
    {
        var weekday = "一二三四五六日天".IndexOf(m.Groups["wd"].Value[0], StringComparison.Ordinal) + 1; // Monday 1 … Sunday 7
        if (weekday == 8) weekday = 7;
        var which = m.Groups["which"].Value;
        DateOnly day;
        if (which.Length == 0) day = today.AddDays(-(((int)today.DayOfWeek - weekday % 7 + 7) % 7));
        else
        {
            var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
            day = monday.AddDays(weekday - 1 - (which.StartsWith("上上", StringComparison.Ordinal) ? 14 : which[0] == '上' ? 7 : 0));
        }
        return $"{day.Year}年{day.Month}月{day.Day}日";
    }

    /// <summary>
    /// 18号: this month's 18th, or last month's while this month's is past tomorrow (an arrival lies behind; tomorrow is a
    /// slip the use case refuses as ahead). Null when neither month has that day.
    /// </summary>
    private static DateOnly? DayOfMonth(int d, DateOnly today)
    {
        var first = new DateOnly(today.Year, today.Month, 1);
        for (var back = 0; back <= 2; back++)
        {
            var month = first.AddMonths(-back);
            if (d < 1 || d > DateTime.DaysInMonth(month.Year, month.Month)) continue;
            var day = new DateOnly(month.Year, month.Month, d);
            if (day.DayNumber - today.DayNumber <= 1) return day;
        }
        return null;
    }

    /// <summary>一 → 1, 十八 → 18, 二十一 → 21, 零五 → 05 (minutes after 点 keep their 0): a number said in words.</summary>
    private static string ChineseNumeral(string words)
    {
        if (words.Length == 2 && words[0] is '零' or '〇') return "0" + Digit(words[1]);
        var ten = words.IndexOf('十', StringComparison.Ordinal);
        if (ten < 0) return Digit(words[0]).ToString(CultureInfo.InvariantCulture);
        var tens = ten == 0 ? 1 : Digit(words[0]);
        var units = ten == words.Length - 1 ? 0 : Digit(words[^1]);
        return (tens * 10 + units).ToString(CultureInfo.InvariantCulture);
    }

    private static int Digit(char c) => c switch
    {
        '两' => 2, '〇' => 0,
        _ => "零一二三四五六七八九".IndexOf(c, StringComparison.Ordinal),
    };

    private static readonly (string Said, string Meant)[] Sayings =
    [
        ("half an hour ago", "30分钟前"), ("an hour ago", "1小时前"), ("last night", "昨天晚上"), ("tonight", "今天晚上"),
        ("this morning", "今天早上"), ("this afternoon", "今天下午"), ("this evening", "今天晚上"),
        ("yesterday morning", "昨天早上"), ("yesterday afternoon", "昨天下午"), ("yesterday evening", "昨天晚上"),
        ("半个小时", "30分钟"), ("半个钟头", "30分钟"), ("半小时", "30分钟"),
        ("昨晚", "昨天晚上"), ("昨夜", "昨天夜里"), ("前晚", "前天晚上"), ("今晚", "今天晚上"), ("今早", "今天早上"), ("今晨", "今天早晨"),
        ("昨早", "昨天早上"), ("昨儿", "昨天"), ("今儿", "今天"), ("前儿", "前天"),
        // 点钟, 半钟: 钟 adds nothing; 一刻 and 三刻 are quarters; 过 runs hour into minutes; 八点多 is read as the hour said.
        ("点钟", "点"), ("半钟", "半"), ("点一刻", "点15分"), ("点三刻", "点45分"), ("点过", "点"), ("点多", "点"),
    ];

    /// <summary>
    /// 11.17 is a date when that day lies within a month of today (11.20, ahead, is left to the use case to refuse);
    /// otherwise, alone, h.mm is a time (8.30, 20.00). Null when it is neither.
    /// </summary>
    private static string? Dotted(string typed, DateOnly today)
    {
        if (DottedPattern().Match(typed) is not { Success: true } m) return typed;
        int a = int.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture), b = int.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture);
        var rest = m.Groups["rest"].Value;
        // With its year: 1.1 said on 31 December is the coming day, which 1月1日 alone would not say.
        if (Nearest(a, b, today) is { } day && Math.Abs(day.DayNumber - today.DayNumber) <= 31) return $"{day.Year}年{a}月{b}日{rest}";
        return rest.Length == 0 && a <= 23 && m.Groups["b"].Value.Length == 2 && b <= 59 ? $"{a}:{m.Groups["b"].Value}" : null;
    }

    /// <summary>A part of the day: from, its middle, and its last minute.</summary>
    private static (TimeOnly From, TimeOnly Middle, TimeOnly To) Span(string part) => part switch
    {
        "凌晨" => (new(0, 0), new(3, 0), new(5, 59)),
        "早上" or "早晨" => (new(6, 0), new(7, 30), new(8, 59)),
        "上午" => (new(6, 0), new(9, 0), new(11, 59)),
        "中午" => (new(11, 0), new(12, 0), new(13, 59)),
        "下午" => (new(12, 0), new(15, 0), new(17, 59)),
        "傍晚" => (new(17, 0), new(18, 0), new(19, 59)),
        _ => (new(18, 0), new(21, 0), new(23, 59)), // 晚上, 夜里
    };

    // Marks a sentence ends with, which dictation adds after a time (full-width ones are folded to these first).
    private static readonly char[] EndMarks = ['。', '.', '!', '?', ',', '、', '~', '！', '？', '，'];

    /// <summary>Full-width digits and colons become ASCII, case and spacing stop mattering.</summary>
    private static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        string folded;
        try
        {
            folded = text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            folded = text; // lone surrogates cannot be normalised; the patterns will not match them anyway
        }
        var s = folded.Trim().ToLowerInvariant();
        return s.TrimEnd(EndMarks).TrimEnd();
    }

    private static DateOnly? DateOf(Match m, DateOnly today)
    {
        if (m.Groups["rel"].Success)
        {
            return m.Groups["rel"].Value switch
            {
                "今天" or "今日" or "today" => today,
                "昨天" or "昨日" or "yesterday" => today.AddDays(-1),
                "前天" => today.AddDays(-2),
                "大前天" => today.AddDays(-3),
                "明天" or "tomorrow" => today.AddDays(1),
                _ => null,
            };
        }
        int? month = m.Groups["m"].Success ? Number(m.Groups["m"].Value) : MonthByName(m.Groups["mon"].Value);
        int? day = Number(m.Groups["d"].Value);
        if (month is not (>= 1 and <= 12) || day is null) return null;
        if (m.Groups["y"].Success)
        {
            var year = Number(m.Groups["y"].Value);
            // Nobody reports an arrival years away; a typo like 2062 is refused rather than believed.
            return year >= today.Year - 2 && year <= today.Year + 1 && day >= 1 && day <= DateTime.DaysInMonth(year.Value, month.Value)
                ? new DateOnly(year.Value, month.Value, day.Value) : null;
        }
        return Nearest(month.Value, day.Value, today);
    }

    /// <summary>A time of day, and whether it falls on the next day (晚上12点 is the midnight that ends the evening).</summary>
    /// <param name="askedPart">The part of the day the hour was asked of (下午 of 昨天下午): an hour of 1 to 12 said without a
    /// part or am/pm is read in it (3点 → 15:00); one written as a 24-hour clock (15:00, 08:00) is as written.</param>
    private static (TimeOnly Time, int NextDay)? TimeOf(Match m, string? askedPart = null)
    {
        var hour = Number(m.Groups["h"].Value);
        var minuteText = m.Groups["min"].Value;
        int? minute = minuteText.Length == 0 ? 0 : minuteText == "半" ? 30 : Number(minuteText);
        if (hour is null || minute is not (>= 0 and <= 59)) return null;
        int h = hour.Value;
        // 1am last night: am or pm said beside a part of the day decides, and an evening's small hours are the next day's.
        if (m.Groups["p1"].Value is "晚上" or "夜里" && m.Groups["p2"].Value == "am")
            return h is >= 1 and <= 5 or 12 ? (new TimeOnly(h % 12, minute.Value), 1) : null;
        var part = m.Groups["p2"].Success ? m.Groups["p2"].Value : m.Groups["p1"].Value;
        // 半夜 and 夜里: the night after the evening named — 半夜12点 and 夜里两点 are past its midnight, 半夜11点 before it.
        if (part is "半夜" or "夜里")
            return h is 12 or (>= 0 and <= 5) ? (new TimeOnly(h % 12, minute.Value), 1) : h >= (part == "半夜" ? 9 : 6) && h <= 11 ? (new TimeOnly(h + 12, minute.Value), 0) : null;
        if (part.Length == 0 && askedPart is not null && h is >= 1 and <= 12 && !m.Groups["h"].Value.StartsWith('0')) part = askedPart;
        switch (part)
        {
            case "晚上" when h == 12:
                return (new TimeOnly(0, minute.Value), 1);
            case "下午" or "晚上" or "傍晚" or "pm":
                if (h is < 1 or > 12) return null;
                if (h < 12) h += 12;
                break;
            case "中午":
                if (h is < 1 or > 12) return null;
                if (h < 6) h += 12; // 中午1点 is 13:00
                break;
            case "am" or "上午" or "早上" or "早晨" or "凌晨":
                if (h is < 0 or > 12) return null;
                if (h == 12) h = 0;
                break;
        }
        return h is >= 0 and <= 23 ? (new TimeOnly(h, minute.Value), 0) : null;
    }

    private static DateTimeOffset? AgoOf(Match m, DateTimeOffset now)
    {
        var n = Number(m.Groups["n"].Value) ?? ChineseNumber(m.Groups["n"].Value);
        if (n is null or > 999) return null;
        var unit = m.Groups["unit"].Value;
        TimeSpan step = unit switch
        {
            "分钟" or "minute" or "minutes" or "min" or "mins" => TimeSpan.FromMinutes(1),
            "天" or "day" or "days" => TimeSpan.FromDays(1),
            _ => TimeSpan.FromHours(1),
        };
        return now - step * n.Value;
    }

    /// <summary>
    /// A local wall-clock time as an instant; a time skipped by a clock change moves forward, and a time a clock change
    /// repeats is the later of its two instants that is not after <paramref name="latest"/> (else the earlier).
    /// </summary>
    private static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone, DateTimeOffset latest)
    {
        var instants = WallClock.Instants(local, zone);
        return instants.LastOrDefault(x => x <= latest, instants[0]);
    }

    private static int? Number(string text) =>
        text.Length is > 0 and <= 4 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static int? ChineseNumber(string text) => text switch
    {
        "一" => 1, "两" or "二" => 2, "三" => 3, "四" => 4, "五" => 5, "六" => 6, "七" => 7, "八" => 8, "九" => 9, "十" => 10,
        _ => null,
    };

    private static int? MonthByName(string text) => text.Length < 3 ? null : text[..3] switch
    {
        "jan" => 1, "feb" => 2, "mar" => 3, "apr" => 4, "may" => 5, "jun" => 6,
        "jul" => 7, "aug" => 8, "sep" => 9, "oct" => 10, "nov" => 11, "dec" => 12,
        _ => null,
    };

    [GeneratedRegex(@"^(?<date>\S.*?)\s?(?<part>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)$", RegexOptions.CultureInvariant)]
    private static partial Regex PartOfDay();

    // A number in words before what it counts (月, 日, 号, 点, 时, 分), or minutes after 点 (两点四十, 八点零五).
    [GeneratedRegex(@"(?:[一二两三四五]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九])(?=\s?[月日号点时分])|(?<=点)(?:[零〇][一二三四五六七八九]|[一二三四五]?十[一二三四五六七八九]?)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberInWords();

    // What a sentence says around a time: 大概 before it, 回来了/到的/来的/左右 after it.
    [GeneratedRegex(@"^(?:大概|大约|差不多)\s?|(?<=\S)\s?(?:(?:回来|返回|到|来)(?:了|的)?|左右)$", RegexOptions.CultureInvariant)]
    private static partial Regex SpokenAround();

    [GeneratedRegex(@"(?<=[\u4e00-\u9fff])\s?[,、]\s?", RegexOptions.CultureInvariant)]
    private static partial Regex CommaInside();

    [GeneratedRegex(@"(?<which>上上个?|上个?|这个?|本)?(?:星期|礼拜|周)(?<wd>[一二三四五六日天])", RegexOptions.CultureInvariant)]
    private static partial Regex ChineseWeekday();

    [GeneratedRegex(@"(?:星期|礼拜|周)[一二三四五六日天]\s?(?=[0-9]{4}年|[0-9一二三四五六七八九十]{1,3}月)", RegexOptions.CultureInvariant)]
    private static partial Regex WeekdayBeforeChineseDate();

    [GeneratedRegex(@"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?,?\s+(?=[0-9]{4}年|[0-9]{1,2}月)", RegexOptions.CultureInvariant)]
    private static partial Regex WeekdayBeforeDate();

    // A day of the month alone (18号, 17号下午), at the start.
    [GeneratedRegex(@"^(?<d>[0-9]{1,2})\s?[号日](?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex DayAlone();

    [GeneratedRegex(@"半夜$", RegexOptions.CultureInvariant)]
    private static partial Regex DeadOfNight();

    [GeneratedRegex(@"\b([ap])\.\s?m\b\.?", RegexOptions.CultureInvariant)]
    private static partial Regex AmPmDotted();

    [GeneratedRegex(@"\b([0-9]{1,2})\s?o['’]?clock\b", RegexOptions.CultureInvariant)]
    private static partial Regex OClock();

    [GeneratedRegex(@"\b(?:12\s?)?(?:noon|midday)\b", RegexOptions.CultureInvariant)]
    private static partial Regex NoonWord();

    [GeneratedRegex(@"\b(?:12\s?)?midnight\b", RegexOptions.CultureInvariant)]
    private static partial Regex Midnight();

    private const string MonthNames = @"(?<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?";

    [GeneratedRegex(@"\b(?<d>[0-9]{1,2})(?:st|nd|rd|th)?\s?(?:of\s)?" + MonthNames + @"(?:,?\s(?<y>[0-9]{4})\b)?", RegexOptions.CultureInvariant)]
    private static partial Regex DayMonth();

    [GeneratedRegex(@"\b" + MonthNames + @"\s?(?<d>[0-9]{1,2})(?:st|nd|rd|th)?\b(?:,?\s(?<y>[0-9]{4})\b)?", RegexOptions.CultureInvariant)]
    private static partial Regex MonthDayNamed();

    [GeneratedRegex(@"\b(?:(?<last>last)\s)?(?<wd>monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Weekday();

    [GeneratedRegex(@"(?<=[日天])\s?(?<word>morning|afternoon|evening|night)$", RegexOptions.CultureInvariant)]
    private static partial Regex PartOfDayWord();

    [GeneratedRegex(@"\b(?<h>[0-9]{1,2})\.(?<min>[0-9]{2})\s?(?<p>am|pm)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DottedAmPm();

    [GeneratedRegex(@"^(?:on|at)\s+", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingOnAt();

    [GeneratedRegex(@"^(?<time>[0-9]{1,2}(?::[0-9]{2})?\s?(?:am|pm)|[0-9]{1,2}:[0-9]{2}|晚上12点)\s+(?:on\s+)?(?<date>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeFirst();

    [GeneratedRegex(@"(?<part>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)\s*at\s*(?<h>[0-9]{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex PartAtHour();

    [GeneratedRegex(@"(?<part>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)\s*at\s*", RegexOptions.CultureInvariant)]
    private static partial Regex PartAt();

    [GeneratedRegex(@"^(?<a>[0-9]{1,2})[/-](?<b>[0-9]{1,2})(?:[/-](?<y>[0-9]{4}|[0-9]{2}))?(?<rest>\s.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SlashedPattern();

    [GeneratedRegex(@"^(?<a>[0-9]{1,2})\.(?<b>[0-9]{1,2})(?<rest>\s.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DottedPattern();

    [GeneratedRegex(@"^(?:现在|刚刚|刚才|刚|now|just now|right now)$", RegexOptions.CultureInvariant)]
    private static partial Regex Now();

    [GeneratedRegex(@"^(?<n>[0-9]{1,3}|[一两二三四五六七八九十])\s?个?\s?(?<unit>小时|钟头|分钟|天|hours?|hrs?|h|minutes?|mins?|days?)\s?(?:前|以前|之前|ago)$", RegexOptions.CultureInvariant)]
    private static partial Regex Ago();

    // One date part (relative word, y-m-d, m月d日, m-d or m/d, or an English month) and/or one time part
    // (an optional 上午/下午… or am/pm around h:mm, h点, h点半, h点mm分). Spaces are optional between parts.
    [GeneratedRegex(
        @"^(?:(?<rel>今天|今日|today|昨天|昨日|yesterday|大前天|前天|明天|tomorrow)" +
        @"|(?<y>[0-9]{4})\s?[-/.年]\s?(?<m>[0-9]{1,2})\s?[-/.月]\s?(?<d>[0-9]{1,2})\s?[日号]?" +
        @"|(?<m>[0-9]{1,2})\s?月\s?(?<d>[0-9]{1,2})\s?[日号]?" +
        @"|(?<m>[0-9]{1,2})[-/](?<d>[0-9]{1,2})" +
        @"|(?<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s?(?<d>[0-9]{1,2})(?:st|nd|rd|th)?)?" +
        @"(?:\s{0,3}(?:t|,|at)?\s{0,3}" +
        @"(?<p1>上午|早上|早晨|凌晨|中午|下午|晚上|傍晚|夜里|半夜)?\s?" +
        @"(?<h>[0-9]{1,2})(?:(?<sep>:|点|时)\s?(?<min>[0-9]{1,2}|半)?\s?分?(?::[0-9]{2})?|(?=\s?(?:am|pm)))" +
        @"\s?(?<p2>am|pm)?)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Moment();
}

/// <param name="At">The instant read.</param>
/// <param name="LatestOfDay">For a date without a time, the latest moment of that date not in the future; null when a time was said.</param>
/// <param name="Part">For a part of a day without the hour (昨天下午), the part (下午); null otherwise.</param>
/// <param name="Halves">For an hour of 1 to 12 said without 上午/下午/凌晨… or am/pm and not as a clock (两点, not 14:00, 2:00
/// or 02点), its morning and its afternoon reading (12: midnight and noon), <see cref="At"/> being the one written; null otherwise.</param>
public sealed record ChatTimeReading(DateTimeOffset At, DateTimeOffset? LatestOfDay, string? Part = null,
    (DateTimeOffset Morning, DateTimeOffset Afternoon)? Halves = null);
