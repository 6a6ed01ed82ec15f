using CsCheck;
using Scoring.Bot.Conversations;

namespace Scoring.Bot.Tests.Conversations;

public sealed class ChatTimeTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Wednesday 2026-11-18 09:00 in Houzhai.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8));

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    public static TheoryData<string, DateTimeOffset> Readings() => new()
    {
        { "今天 14:00", Local(2026, 11, 18, 14, 0) },
        { "今天14:00", Local(2026, 11, 18, 14, 0) },
        { "今天 8点半", Local(2026, 11, 18, 8, 30) },
        { "昨天 20:15", Local(2026, 11, 17, 20, 15) },
        { "昨天", Local(2026, 11, 17, 12, 0) },
        { "前天 下午3点", Local(2026, 11, 16, 15, 0) },
        { "11月16日", Local(2026, 11, 16, 12, 0) },
        { "11月16号 7:05", Local(2026, 11, 16, 7, 5) },
        { "11-16 07:05", Local(2026, 11, 16, 7, 5) },
        { "11/16", Local(2026, 11, 16, 12, 0) },
        { "2026-11-16 08:30", Local(2026, 11, 16, 8, 30) },
        { "2026/11/16 8:30", Local(2026, 11, 16, 8, 30) },
        { "2026年11月16日 8点", Local(2026, 11, 16, 8, 0) },
        { "2026-11-16T08:30", Local(2026, 11, 16, 8, 30) },
        { "２０２６－１１－１６　０８：３０", Local(2026, 11, 16, 8, 30) },
        { "8:30", Local(2026, 11, 18, 8, 30) },
        { "14:00", Local(2026, 11, 17, 14, 0) },
        { "下午2点", Local(2026, 11, 17, 14, 0) },
        { "晚上8点", Local(2026, 11, 17, 20, 0) },
        { "中午1点", Local(2026, 11, 17, 13, 0) },
        { "凌晨2点", Local(2026, 11, 18, 2, 0) },
        { "yesterday 8:30", Local(2026, 11, 17, 8, 30) },
        { "Yesterday at 2pm", Local(2026, 11, 17, 14, 0) },
        { "today 7:45 am", Local(2026, 11, 18, 7, 45) },
        { "Nov 16 08:30", Local(2026, 11, 16, 8, 30) },
        { "november 16th", Local(2026, 11, 16, 12, 0) },
        { "刚刚", Now },
        { "now", Now },
        { "3小时前", Now.AddHours(-3) },
        { "两天前", Now.AddDays(-2) },
        { "30 minutes ago", Now.AddMinutes(-30) },
        { "明天 10:00", Local(2026, 11, 19, 10, 0) },
        { "9:02", Local(2026, 11, 18, 9, 2) },          // a phone's clock a little ahead: today, not yesterday
        { "9:06", Local(2026, 11, 17, 9, 6) },
        { "昨天晚上12点", Local(2026, 11, 18, 0, 0) },  // the midnight that ends the evening, not noon
        { "昨天夜里12点半", Local(2026, 11, 18, 0, 30) },
        { "晚上12点", Local(2026, 11, 18, 0, 0) },
        { "下午12点", Local(2026, 11, 17, 12, 0) },
        // How people say it on an ordinary day: 昨晚, 今早, a part of the day without the hour, Chinese numerals, 11.17.
        { "昨晚8点", Local(2026, 11, 17, 20, 0) },
        { "昨晚 8点半", Local(2026, 11, 17, 20, 30) },
        { "今早7点", Local(2026, 11, 18, 7, 0) },
        { "前晚10点", Local(2026, 11, 16, 22, 0) },
        { "今天早上7点", Local(2026, 11, 18, 7, 0) },
        { "晚上八点", Local(2026, 11, 17, 20, 0) },
        { "昨天下午三点半", Local(2026, 11, 17, 15, 30) },
        { "十点", Local(2026, 11, 17, 10, 0) },
        { "十二点", Local(2026, 11, 17, 12, 0) },
        { "两点", Local(2026, 11, 18, 2, 0) },
        { "11.17", Local(2026, 11, 17, 12, 0) },
        { "11.17 20:00", Local(2026, 11, 17, 20, 0) },
        { "11.20", Local(2026, 11, 20, 12, 0) },           // in the future: the return use case refuses it
        { "20.00", Local(2026, 11, 17, 20, 0) },           // no month 20: the time, written with a dot
        { "8.30", Local(2026, 11, 18, 8, 30) },            // 30 August is months back: 08:30, not a late return of August
        { "昨晚", Local(2026, 11, 17, 21, 0) },            // a part of the day without the hour: its middle, as a date alone counts from noon
        { "昨天晚上", Local(2026, 11, 17, 21, 0) },
        { "昨天下午", Local(2026, 11, 17, 15, 0) },
        { "前天晚上", Local(2026, 11, 16, 21, 0) },
        { "今早", Local(2026, 11, 18, 7, 30) },
        { "今天凌晨", Local(2026, 11, 18, 3, 0) },
        { "last night", Local(2026, 11, 17, 21, 0) },
        { "this morning", Local(2026, 11, 18, 7, 30) },
        { "yesterday evening", Local(2026, 11, 17, 21, 0) },
        { "半小时前", Now.AddMinutes(-30) },
        { "an hour ago", Now.AddHours(-1) },
        { "刚到", Now },
    };

    /// <summary>How people who write English say when a tenant arrived.</summary>
    public static TheoryData<string, DateTimeOffset> EnglishReadings() => new()
    {
        { "this morning at 7", Local(2026, 11, 18, 7, 0) },
        { "this morning at 7:30", Local(2026, 11, 18, 7, 30) },
        { "last night at 11", Local(2026, 11, 17, 23, 0) },
        { "yesterday evening at 8", Local(2026, 11, 17, 20, 0) },
        { "7am this morning", Local(2026, 11, 18, 7, 0) },
        { "9pm yesterday", Local(2026, 11, 17, 21, 0) },
        { "9 pm last night", Local(2026, 11, 17, 21, 0) },
        { "1am last night", Local(2026, 11, 18, 1, 0) },       // after midnight, though said of last night
        { "21:00 yesterday", Local(2026, 11, 17, 21, 0) },
        { "at 9pm", Local(2026, 11, 17, 21, 0) },
        { "9.30pm", Local(2026, 11, 17, 21, 30) },
        { "9.30 pm yesterday", Local(2026, 11, 17, 21, 30) },
        { "8 p.m.", Local(2026, 11, 17, 20, 0) },
        { "7 o'clock", Local(2026, 11, 18, 7, 0) },
        { "noon", Local(2026, 11, 17, 12, 0) },
        { "yesterday at noon", Local(2026, 11, 17, 12, 0) },
        { "midday yesterday", Local(2026, 11, 17, 12, 0) },
        { "midnight", Local(2026, 11, 18, 0, 0) },
        { "yesterday at midnight", Local(2026, 11, 18, 0, 0) }, // the midnight that ends yesterday, as 昨天晚上12点
        { "last night at midnight", Local(2026, 11, 18, 0, 0) },
        { "2 hours ago", Now.AddHours(-2) },
        { "17 Nov", Local(2026, 11, 17, 12, 0) },
        { "17th November 9pm", Local(2026, 11, 17, 21, 0) },
        { "on 16 Nov at 8:30", Local(2026, 11, 16, 8, 30) },
        { "Nov 16, 2026 8:30am", Local(2026, 11, 16, 8, 30) },
        { "16 November 2026", Local(2026, 11, 16, 12, 0) },
        { "17/11", Local(2026, 11, 17, 12, 0) },              // no month 17: day first, as in Britain
        { "11/17", Local(2026, 11, 17, 12, 0) },              // no month 17: month first, as in America
        { "5/11", Local(2026, 11, 5, 12, 0) },                // 5 November, not 11 May half a year back
        { "11/5", Local(2026, 11, 5, 12, 0) },                // November 5, not 11 May
        { "17/11/2026 21:00", Local(2026, 11, 17, 21, 0) },
        { "Monday", Local(2026, 11, 16, 12, 0) },
        { "monday evening", Local(2026, 11, 16, 21, 0) },
        { "on Tuesday at 9pm", Local(2026, 11, 17, 21, 0) },
        { "last Wednesday", Local(2026, 11, 11, 12, 0) },     // said on a Wednesday: the one before, not today
    };

    [Theory]
    [MemberData(nameof(EnglishReadings))]
    public void Reads_the_times_people_type_in_english(string typed, DateTimeOffset expected) =>
        Assert.Equal(expected, ChatTime.Parse(typed, Now, Shanghai));

    [Theory]
    [InlineData("1/2")]     // 1 February or 2 January: both long past, neither more likely
    [InlineData("3/4/2026")]
    public void A_day_and_month_that_read_both_ways_is_no_time_but_an_ambiguity(string typed)
    {
        Assert.Null(ChatTime.Parse(typed, Now, Shanghai));
        Assert.NotNull(ChatTime.Ambiguity(typed, Now, Shanghai));
    }

    [Fact]
    public void An_ambiguity_names_both_days()
    {
        var december = Local(2026, 12, 13, 9, 0);
        // 12 November and 11 December are both within the month just gone.
        Assert.Equal((new DateOnly(2026, 11, 12), new DateOnly(2026, 12, 11)), ChatTime.Ambiguity("11/12", december, Shanghai));
        Assert.Null(ChatTime.Parse("11/12", december, Shanghai));
        Assert.Null(ChatTime.Ambiguity("11/17", Now, Shanghai));
        Assert.Null(ChatTime.Ambiguity("yesterday", Now, Shanghai));
    }

    [Fact]
    public void A_part_of_the_day_without_the_hour_also_gives_its_last_moment_not_after_now()
    {
        Assert.Equal(new ChatTimeReading(Local(2026, 11, 17, 21, 0), Local(2026, 11, 17, 23, 59), "晚上"), ChatTime.Read("昨晚", Now, Shanghai));
        Assert.Equal(new ChatTimeReading(Local(2026, 11, 17, 15, 0), Local(2026, 11, 17, 17, 59), "下午"), ChatTime.Read("昨天下午", Now, Shanghai));
        // This morning's middle is still ahead at 07:00: now, as 今天 before noon is.
        var early = Local(2026, 11, 18, 7, 0);
        Assert.Equal(new ChatTimeReading(early, early, "早上"), ChatTime.Read("今早", early, Shanghai));
    }

    [Theory]
    [InlineData("8点", null, 17, 8)]
    [InlineData("08:00", null, 17, 8)]
    [InlineData("8am", null, 17, 8)]
    [InlineData("8.30", null, 17, 8)]
    [InlineData("3点", "下午", 17, 15)]
    [InlineData("下午3点", "下午", 17, 15)]
    [InlineData("15:00", "下午", 17, 15)]
    [InlineData("晚上8点", "下午", 17, 20)]
    [InlineData("今天 8点", null, 18, 8)]
    [InlineData("11月16日 20:00", null, 16, 20)]
    public void An_hour_answering_what_time_on_a_day_is_that_day_s_unless_it_names_a_day_of_its_own(string text, string? part, int day, int hour)
    {
        var at = ChatTime.ReadOn(text, new DateOnly(2026, 11, 17), part, Local(2026, 11, 18, 13, 0), Shanghai, out _)!.At;
        Assert.Equal(Local(2026, 11, day, hour, text.EndsWith(".30", StringComparison.Ordinal) ? 30 : 0), at);
    }

    [Fact]
    public void A_date_without_a_time_also_gives_the_last_moment_of_that_day_not_after_now()
    {
        Assert.Equal(new ChatTimeReading(Local(2026, 11, 17, 12, 0), Local(2026, 11, 17, 23, 59)), ChatTime.Read("昨天", Now, Shanghai));
        Assert.Equal(new ChatTimeReading(Now, Now), ChatTime.Read("今天", Now, Shanghai));
        Assert.Null(ChatTime.Read("昨天 20:15", Now, Shanghai)!.LatestOfDay);
    }

    [Theory]
    [MemberData(nameof(Readings))]
    public void Reads_the_times_people_type_in_the_streets_zone(string typed, DateTimeOffset expected) =>
        Assert.Equal(expected, ChatTime.Parse(typed, Now, Shanghai));

    [Fact]
    public void Today_without_a_time_before_noon_is_now_not_a_time_in_the_future() =>
        Assert.Equal(Now, ChatTime.Parse("今天", Now, Shanghai));

    [Fact]
    public void A_month_and_day_more_than_a_month_ahead_is_last_years()
    {
        var january = Local(2027, 1, 2, 9, 0);
        Assert.Equal(Local(2026, 12, 30, 12, 0), ChatTime.Parse("12月30日", january, Shanghai));
    }

    [Theory]
    [InlineData("1月1日", 12)]
    [InlineData("1月1日 08:00", 8)]
    [InlineData("1.1", 12)]
    [InlineData("1/1", 12)]
    [InlineData("Jan 1", 12)]
    public void Early_january_typed_on_new_year_s_eve_is_the_coming_one_not_last_january(string typed, int hour)
    {
        // Tomorrow, so the use case refuses it as in the future; never an arrival of last January, a year late.
        var newYearsEve = Local(2026, 12, 31, 10, 0);
        Assert.Equal(Local(2027, 1, 1, hour, 0), ChatTime.Parse(typed, newYearsEve, Shanghai));
    }

    [Fact]
    public void A_day_of_december_typed_on_new_year_s_day_is_the_one_just_gone()
    {
        var newYearsDay = Local(2027, 1, 1, 9, 0);
        Assert.Equal(Local(2026, 12, 31, 23, 0), ChatTime.Parse("12月31日 23:00", newYearsDay, Shanghai));
        Assert.Equal(Local(2026, 12, 31, 12, 0), ChatTime.Parse("昨天", newYearsDay, Shanghai));
        Assert.Equal(Local(2026, 12, 31, 12, 0), ChatTime.Parse("12.31", newYearsDay, Shanghai));
        Assert.Equal(Local(2026, 12, 31, 23, 0), ChatTime.Parse("23:00", Local(2027, 1, 1, 0, 30), Shanghai));
    }

    [Fact]
    public void A_day_the_calendar_does_not_have_in_this_year_falls_back_to_a_year_that_has_it()
    {
        // 2026 is not a leap year; the nearest 2月29日 within the rule is none, so it is refused.
        Assert.Null(ChatTime.Parse("2月29日", Now, Shanghai));
        Assert.Null(ChatTime.Parse("2026-02-29", Now, Shanghai));
    }

    /// <summary>
    /// How older landlords type, and what dictation writes: times and days in words, the spoken ending of the sentence
    /// (回来了, 到的, 左右) and the mark a dictation engine puts after it. Said on Wednesday 18 November at 09:00.
    /// </summary>
    public static TheoryData<string, DateTimeOffset> SpokenReadings() => new()
    {
        { "晚上十点一刻", Local(2026, 11, 17, 22, 15) },
        { "九点三刻", Local(2026, 11, 17, 9, 45) },          // 09:45 today is still ahead
        { "下午三点钟", Local(2026, 11, 17, 15, 0) },
        { "三点钟", Local(2026, 11, 18, 3, 0) },
        { "十点半钟", Local(2026, 11, 17, 10, 30) },
        { "昨天晚上八点钟", Local(2026, 11, 17, 20, 0) },
        { "两点四十", Local(2026, 11, 18, 2, 40) },
        { "八点零五", Local(2026, 11, 18, 8, 5) },
        { "八点过五分", Local(2026, 11, 18, 8, 5) },
        { "八点五分", Local(2026, 11, 18, 8, 5) },
        { "八点多", Local(2026, 11, 18, 8, 0) },            // some time after eight: the hour said
        { "昨天下午五点多", Local(2026, 11, 17, 17, 0) },
        { "二十点", Local(2026, 11, 17, 20, 0) },
        { "二十一点", Local(2026, 11, 17, 21, 0) },
        { "二十点三十分", Local(2026, 11, 17, 20, 30) },
        { "大前天", Local(2026, 11, 15, 12, 0) },
        { "昨儿", Local(2026, 11, 17, 12, 0) },
        { "昨儿晚上", Local(2026, 11, 17, 21, 0) },
        { "上周五", Local(2026, 11, 13, 12, 0) },            // the Friday of last week
        { "上礼拜五", Local(2026, 11, 13, 12, 0) },
        { "上个星期一", Local(2026, 11, 9, 12, 0) },
        { "上周日", Local(2026, 11, 15, 12, 0) },            // a week runs Monday to Sunday
        { "这个礼拜一", Local(2026, 11, 16, 12, 0) },
        { "这周三", Now },                                   // today, before noon: now
        { "星期天", Local(2026, 11, 15, 12, 0) },            // the latest Sunday not after today
        { "周日", Local(2026, 11, 15, 12, 0) },
        { "礼拜天", Local(2026, 11, 15, 12, 0) },
        { "周一晚上", Local(2026, 11, 16, 21, 0) },
        { "星期二晚上八点", Local(2026, 11, 17, 20, 0) },
        { "十一月三日", Local(2026, 11, 3, 12, 0) },
        { "十一月十六号晚上", Local(2026, 11, 16, 21, 0) },
        { "17号", Local(2026, 11, 17, 12, 0) },
        { "十六号", Local(2026, 11, 16, 12, 0) },
        { "30号", Local(2026, 10, 30, 12, 0) },              // the 30th nearest today: October's, not next month's
        { "17号下午", Local(2026, 11, 17, 15, 0) },
        { "17号 晚上8点", Local(2026, 11, 17, 20, 0) },
        { "半夜", Local(2026, 11, 18, 0, 0) },               // the midnight that ends the day, as 晚上12点
        { "昨天半夜", Local(2026, 11, 18, 0, 0) },
        { "前天半夜两点", Local(2026, 11, 17, 2, 0) },       // the small hours after that evening
        { "半夜12点", Local(2026, 11, 18, 0, 0) },
        { "昨天半夜十一点", Local(2026, 11, 17, 23, 0) },
        { "昨天夜里两点", Local(2026, 11, 18, 2, 0) },       // 夜里 as 半夜: the small hours after that evening, not 14:00
        { "前天夜里十点", Local(2026, 11, 16, 22, 0) },
        { "昨天晚上，八点", Local(2026, 11, 17, 20, 0) },
        { "昨天晚上,8点", Local(2026, 11, 17, 20, 0) },
        { "昨天晚上八点回来了", Local(2026, 11, 17, 20, 0) },
        { "昨天晚上八点到的", Local(2026, 11, 17, 20, 0) },
        { "昨天晚上八点回来的。", Local(2026, 11, 17, 20, 0) },
        { "昨天晚上八点左右", Local(2026, 11, 17, 20, 0) },
        { "大概昨天晚上八点", Local(2026, 11, 17, 20, 0) },
        { "昨天晚上8点。", Local(2026, 11, 17, 20, 0) },
        { "昨天晚上8点！", Local(2026, 11, 17, 20, 0) },
        { "昨天晚上8点?", Local(2026, 11, 17, 20, 0) },
        { "刚刚回来", Now },
        { "刚刚到", Now },
        { "刚回来了", Now },
        { "刚到的", Now },
        { "周日 11月15日", Local(2026, 11, 15, 12, 0) },     // the buttons offered for an unreadable time
        { "周一 11月16日", Local(2026, 11, 16, 12, 0) },
        { "Sun 15 Nov", Local(2026, 11, 15, 12, 0) },
        { "11月17日 凌晨2点", Local(2026, 11, 17, 2, 0) },    // the buttons offered for a bare hour
        { "11月17日 下午2点", Local(2026, 11, 17, 14, 0) },
        { "11月18日 凌晨0点", Local(2026, 11, 18, 0, 0) },
        { "11月17日 中午12点", Local(2026, 11, 17, 12, 0) },
        { "17 Nov 2am", Local(2026, 11, 17, 2, 0) },
        { "17 Nov 2pm", Local(2026, 11, 17, 14, 0) },
    };

    [Theory]
    [MemberData(nameof(SpokenReadings))]
    public void Reads_times_and_days_said_in_words_or_by_dictation(string typed, DateTimeOffset expected) =>
        Assert.Equal(expected, ChatTime.Parse(typed, Now, Shanghai));

    [Theory]
    [InlineData("昨天两点", 17, 2, 17, 14)]
    [InlineData("昨天 两点", 17, 2, 17, 14)]
    [InlineData("昨天8点半", 17, 8, 17, 20)]
    [InlineData("昨天八点多", 17, 8, 17, 20)]
    [InlineData("两点", 18, 2, 17, 14)]        // each the latest such time not ahead
    [InlineData("今天十二点", 18, 0, 18, 12)]   // midnight that began today, or noon (still ahead)
    [InlineData("昨天12点", 17, 0, 17, 12)]
    public void A_bare_hour_gives_its_morning_and_its_afternoon_reading(string typed, int morningDay, int morningHour, int afternoonDay, int afternoonHour)
    {
        var reading = ChatTime.Read(typed, Now, Shanghai)!;
        var minute = typed.Contains('半', StringComparison.Ordinal) ? 30 : 0;
        Assert.Equal((Local(2026, 11, morningDay, morningHour, minute), Local(2026, 11, afternoonDay, afternoonHour, minute)), reading.Halves);
    }

    [Theory]
    [InlineData("昨天下午两点")]
    [InlineData("昨天凌晨两点")]
    [InlineData("昨天 14:00")]
    [InlineData("昨天 2:00")]      // a clock with minutes is read as written
    [InlineData("昨天 08点")]      // so is an hour with its 0
    [InlineData("昨天二十点")]
    [InlineData("昨天 2pm")]
    [InlineData("昨天")]
    [InlineData("刚刚")]
    public void An_hour_with_its_part_of_the_day_or_as_a_clock_has_one_reading(string typed) =>
        Assert.Null(ChatTime.Read(typed, Now, Shanghai)!.Halves);

    [Fact]
    public void A_bare_hour_answering_the_hour_of_a_day_gives_both_readings_of_that_day_unless_the_part_was_asked()
    {
        var at13 = Local(2026, 11, 18, 13, 0);
        Assert.Equal((Local(2026, 11, 17, 8, 0), Local(2026, 11, 17, 20, 0)),
            ChatTime.ReadOn("8点", new DateOnly(2026, 11, 17), null, at13, Shanghai, out _)!.Halves);
        Assert.Null(ChatTime.ReadOn("3点", new DateOnly(2026, 11, 17), "下午", at13, Shanghai, out _)!.Halves);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("明年春天")]
    [InlineData("13月40日")]
    [InlineData("2026-13-01")]
    [InlineData("25:00")]
    [InlineData("今天 9:75")]
    [InlineData("14")]
    [InlineData("下午13点")]
    [InlineData("the day after")]
    [InlineData("王小明")]
    [InlineData("1999-01-01")]
    [InlineData("。")]
    [InlineData("回来了")]
    [InlineData("周八")]
    public void Refuses_what_is_no_time(string typed) => Assert.Null(ChatTime.Parse(typed, Now, Shanghai));

    [Fact]
    public void Never_throws_whatever_is_typed()
    {
        var typed = Gen.OneOf(
            Gen.String,
            Gen.String["0123456789:：-/年月日号点分半今天昨前明上下午晚凌晨 amp"],
            Gen.String["0123456789一二两三四五六七八九十零〇点时分刻钟过多号日月周星期礼拜天上这个本大前昨儿半夜回来到了的左右，。？ "],
            Gen.String["0123456789 :-/tT"]);
        typed.Sample(text =>
        {
            var at = ChatTime.Parse(text, Now, Shanghai);
            // Whatever it reads lies within a sane distance of now.
            Assert.True(at is null || Math.Abs((at.Value - Now).TotalDays) < 1200, $"{text} → {at}");
        }, iter: 5000);
    }
}
