namespace Scoring.Bot.Tests.Conversations;

/// <summary>A tenant's return told step by step: the hour asked of a day, and that day's button pressed twice.</summary>
public sealed class TenantReturnStepsTests
{
    private static Task<long> PendingLateAsync(ChatWorld world) =>
        world.CountAsync("SELECT COUNT(*) FROM score_events WHERE subject_id = 'landlord-1' AND rule_code = 'late-return' AND status = 'Pending'");

    [Theory]
    [InlineData("8点")]
    [InlineData("早上8点")]
    [InlineData("08:00")]
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
