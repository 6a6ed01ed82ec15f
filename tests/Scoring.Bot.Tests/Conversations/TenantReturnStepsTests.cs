namespace Scoring.Bot.Tests.Conversations;

/// <summary>A tenant's return told step by step: the hour asked of a day, and that day's button pressed twice.</summary>
public sealed class TenantReturnStepsTests
{
    private static Task<long> PendingLateAsync(ChatWorld world) =>
        world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'landlord-1' AND rule_code = 'late-return' AND status = 'Pending'");

    [Theory]
    [InlineData("早上8点")]
    [InlineData("08:00")]
    [InlineData("11月17日 早上8点")] // the morning button a bare 8点 is answered with
    public async Task The_hour_answered_for_yesterday_is_yesterday_s_hour_and_a_late_one_is_charged(string hour)
    {
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 18 November, 09:00
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(4)); // 13:00: 08:00 today has passed, so alone it would read as today's

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 昨天"));
        var answered = ChatWorld.ActivityText(await world.SayAsync("landlord-1", hour));

        Assert.Contains("没有说几点", asked, StringComparison.Ordinal);
        Assert.Contains("11月17日 08:00 到达", answered, StringComparison.Ordinal);
        Assert.Contains("已超时", answered, StringComparison.Ordinal);
        Assert.Equal(1, await PendingLateAsync(world));
    }

    [Fact]
    public async Task A_bare_hour_answering_the_hour_of_yesterday_is_asked_morning_or_evening_when_only_one_is_late()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(4)); // 13:00: 08:00 yesterday is late, 20:00 yesterday in time

        await world.SayAsync("landlord-1", "返回 王小明 昨天");
        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "8点"));

        Assert.Contains("[11月17日 早上8点]", asked, StringComparison.Ordinal);
        Assert.Contains("[11月17日 晚上8点]", asked, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));

        var evening = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "11月17日 晚上8点"));
        Assert.Contains("11月17日 20:00 到达，按时上报", evening, StringComparison.Ordinal);
        Assert.Equal(0, await PendingLateAsync(world));
    }

    [Theory]
    [InlineData("返回 王小明 昨天两点")]
    [InlineData("返回 王小明 昨天 两点")]
    public async Task A_bare_hour_late_in_the_small_hours_and_in_time_in_the_afternoon_is_asked_before_anything_is_recorded(string line)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(1)); // 10:00: 02:00 yesterday is late, 14:00 yesterday in time

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains("[11月17日 凌晨2点]", asked, StringComparison.Ordinal);
        Assert.Contains("[11月17日 下午2点]", asked, StringComparison.Ordinal);
        Assert.Contains("未及时上报", asked, StringComparison.Ordinal); // says why it asks
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
        Assert.Equal(0, await PendingLateAsync(world));

        var afternoon = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "11月17日 下午2点"));
        Assert.Contains("11月17日 14:00 到达，按时上报", afternoon, StringComparison.Ordinal);
        Assert.Equal(0, await PendingLateAsync(world));
    }

    [Fact]
    public async Task The_two_readings_of_a_bare_hour_are_offered_in_english_as_buttons_that_read_back()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", "en-US");
        world.Clock.Advance(TimeSpan.FromHours(1)); // 10:00

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "return 王小明 yesterday 两点", "en-US"));
        var pressed = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "17 Nov 2pm", "en-US"));

        Assert.Contains("[17 Nov 2am]", asked, StringComparison.Ordinal);
        Assert.Contains("[17 Nov 2pm]", asked, StringComparison.Ordinal);
        Assert.Contains("2026-11-17 14:00, reported in time", pressed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Twelve_o_clock_today_before_noon_is_asked_midnight_or_noon()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(1)); // 10:00: today's noon is still ahead

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 今天十二点"));

        Assert.Contains("[11月18日 凌晨0点]", asked, StringComparison.Ordinal);
        Assert.Contains("[11月18日 中午12点]", asked, StringComparison.Ordinal);
        Assert.DoesNotContain("晚于现在", asked, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
    }

    [Fact]
    public async Task A_bare_hour_whose_two_readings_come_out_the_same_is_recorded_as_written()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(7)); // 16:00: 02:00 and 14:00 today are both in time

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 两点"));

        Assert.Contains("11月18日 02:00 到达，按时上报", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_stop_dictated_after_the_tenant_s_name_is_no_time_and_the_time_is_asked()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        await world.SayAsync("landlord-1", "返回");
        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明。"));

        Assert.DoesNotContain("看不懂", said, StringComparison.Ordinal);
        Assert.Contains("王小明是什么时候到的", said, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("返回 王小明 昨天晚上八点回来了", "11月17日 20:00 到达")]
    [InlineData("返回 王小明 昨天晚上八点到的。", "11月17日 20:00 到达")]
    [InlineData("返回 王小明 刚刚回来", "11月18日 09:00 到达")]
    [InlineData("返回 王小明 昨天晚上，八点", "11月17日 20:00 到达")]
    public async Task The_spoken_ending_of_a_return_is_not_part_of_its_time(string line, string recorded)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains(recorded, said, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
    }

    [Fact]
    public async Task An_unreadable_time_offers_the_last_days_by_name_and_one_pressed_is_that_day()
    {
        await using var world = await ChatWorld.CreateAsync(); // Wednesday 18 November, 09:00
        await world.BindAsync("landlord-1");

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 那天晚上"));

        Assert.Contains("看不懂", asked, StringComparison.Ordinal);
        Assert.Contains("[周一 11月16日]", asked, StringComparison.Ordinal);
        Assert.Contains("[周日 11月15日]", asked, StringComparison.Ordinal);
        Assert.Contains("[周四 11月12日]", asked, StringComparison.Ordinal);

        var pressed = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "周日 11月15日"));
        Assert.Contains("11月15日 12:00 到达", pressed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3点")]
    [InlineData("下午3点")]
    [InlineData("15:00")]
    public async Task The_hour_answered_for_yesterday_afternoon_is_that_afternoon_s(string hour)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(7)); // 16:00

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 昨天下午"));
        var answered = ChatWorld.ActivityText(await world.SayAsync("landlord-1", hour));

        Assert.Contains("没有说几点", asked, StringComparison.Ordinal);
        Assert.Contains("11月17日 15:00 到达", answered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_to_the_hour_question_naming_a_day_of_its_own_is_read_as_it_says()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(4)); // 13:00

        await world.SayAsync("landlord-1", "返回 王小明 昨天");
        var answered = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "今天 8点"));

        Assert.Contains("11月18日 08:00 到达，按时上报", answered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_yesterday_button_pressed_twice_is_asked_about_and_only_the_not_sure_button_counts_from_noon()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(4)); // 13:00

        await world.SayAsync("landlord-1", "返回");
        await world.SayAsync("landlord-1", "王小明");
        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "昨天"));
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        var twice = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "昨天"));

        // The hour question is answered by its own buttons: hours of that day, and not sure.
        Assert.Contains("[11月17日 21:00]", asked, StringComparison.Ordinal);
        Assert.Contains("[记不清（按12:00算）]", asked, StringComparison.Ordinal);
        Assert.DoesNotContain("[昨天]", asked, StringComparison.Ordinal);
        Assert.Contains("按钮按了两次", twice, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));

        var notSure = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "记不清（按12:00算）"));
        Assert.Contains("11月17日 12:00 到达", notSure, StringComparison.Ordinal);
        Assert.Equal(1, await PendingLateAsync(world));
    }

    [Fact]
    public async Task An_hour_button_of_the_question_records_that_hour()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(4)); // 13:00

        await world.SayAsync("landlord-1", "返回 王小明 昨天");
        var answered = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "11月17日 21:00"));

        Assert.Contains("11月17日 21:00 到达，按时上报", answered, StringComparison.Ordinal);
        Assert.Equal(0, await PendingLateAsync(world));
    }

    [Theory]
    [InlineData("记不清", "zh-CN")]
    [InlineData("not sure (count from 12:00)", "en-US")]
    public async Task Not_sure_typed_or_pressed_in_either_language_counts_from_noon(string answer, string locale)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", locale);
        world.Clock.Advance(TimeSpan.FromHours(4)); // 13:00

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", locale == "zh-CN" ? "返回 王小明 昨天" : "return 王小明 yesterday", locale));
        await world.SayAsync("landlord-1", answer, locale);

        Assert.Contains(locale == "zh-CN" ? "[记不清（按12:00算）]" : "[not sure (count from 12:00)]", asked, StringComparison.Ordinal);
        Assert.Equal(1, await PendingLateAsync(world));
    }
}
