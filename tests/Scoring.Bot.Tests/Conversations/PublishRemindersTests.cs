using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scoring.Application;
using Scoring.Bot.Conversations;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>Street officers are reminded, once a week, of last week's lists not yet published.</summary>
public sealed class PublishRemindersTests
{
    /// <summary>Monday of 2026-W48 in Houzhai, 00:00.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly IsoWeek W47 = IsoWeek.Parse("2026-W47");

    private static ChatNoticeWork Work(ChatWorld world) =>
        world.Services.GetServices<IHostedService>().OfType<ChatNoticeWork>().Single();

    private static async Task<int> CountAsync(ChatWorld world, string who, string text) =>
        (await world.OutboxTextsAsync(who)).Count(t => t.Contains(text, StringComparison.Ordinal));

    /// <summary>W47 with a report still pending; the officer and a secretary are bound.</summary>
    private static async Task<ChatWorld> WeekWithAPendingReportAsync()
    {
        var world = await ChatWorld.CreateAsync();
        await world.BindAsync("officer-1");
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        return world;
    }

    [Fact]
    public async Task Officers_are_reminded_once_in_working_hours_on_the_first_working_day_of_last_week_s_lists_not_yet_published()
    {
        await using var world = await WeekWithAPendingReportAsync();

        world.Clock.SetUtcNow(Monday.AddHours(7)); // 07:00: before working hours
        await Work(world).RunOnceAsync();
        var early = await CountAsync(world, "officer-1", "尚未发布");
        world.Clock.SetUtcNow(Monday.AddHours(9));
        await Work(world).RunOnceAsync();
        world.Clock.Advance(TimeSpan.FromHours(1));
        await Work(world).RunOnceAsync();
        world.Clock.SetUtcNow(Monday.AddDays(1).AddHours(9)); // Tuesday
        await Work(world).RunOnceAsync();

        Assert.Equal(0, early);
        var told = Assert.Single(await world.OutboxTextsAsync("officer-1"), t => t.Contains("尚未发布", StringComparison.Ordinal));
        Assert.StartsWith("上周（2026-W47）房东榜、铺长榜尚未发布", told);
        Assert.Contains("还有 1 条影响该周榜单的记录", told);
        Assert.Contains("[发布]", told);
        Assert.Equal(0, await CountAsync(world, "secretary-fangtang", "尚未发布"));
    }

    [Fact]
    public async Task A_reminder_missed_on_the_first_working_day_while_no_instance_ran_goes_out_on_the_next()
    {
        await using var world = await WeekWithAPendingReportAsync();

        world.Clock.SetUtcNow(Monday.AddDays(1).AddHours(9)); // Tuesday: nothing ran on Monday
        await Work(world).RunOnceAsync();
        world.Clock.Advance(TimeSpan.FromDays(1));
        await Work(world).RunOnceAsync();

        var told = Assert.Single(await world.OutboxTextsAsync("officer-1"), t => t.Contains("尚未发布", StringComparison.Ordinal));
        Assert.StartsWith("上周（2026-W47）", told);
    }

    [Fact]
    public async Task Another_instance_or_a_retried_round_does_not_remind_an_officer_twice()
    {
        await using var world = await WeekWithAPendingReportAsync();
        world.Clock.SetUtcNow(Monday.AddHours(9));
        await Work(world).RunOnceAsync();

        await using var other = world.AnotherInstance();
        var street = await world.Db.ReadAsync(async s => (await s.GetStreetAsync("houzhai"))!);
        var again = await other.GetRequiredService<Database>().WriteAsync(s =>
            other.GetRequiredService<ChatNotices>().PublicationRemindersAsync(s, street, world.Clock.GetUtcNow()));

        Assert.Equal(0, again);
        Assert.Equal(1, await CountAsync(world, "officer-1", "尚未发布"));
    }

    [Fact]
    public async Task When_Monday_is_a_holiday_the_reminder_goes_out_on_Tuesday()
    {
        await using var world = await WeekWithAPendingReportAsync();
        await world.Services.GetRequiredService<StreetSettingsBook>().ChangeAsync(await world.StaffAsync("officer-1"), "houzhai",
            new SettingsDraft(Holidays: ["2026-11-23"]));

        world.Clock.SetUtcNow(Monday.AddHours(9));
        await Work(world).RunOnceAsync();
        var onTheHoliday = await CountAsync(world, "officer-1", "尚未发布");
        world.Clock.SetUtcNow(Monday.AddDays(1).AddHours(9));
        await Work(world).RunOnceAsync();

        Assert.Equal(0, onTheHoliday);
        Assert.Equal(1, await CountAsync(world, "officer-1", "上周（2026-W47）房东榜、铺长榜尚未发布"));
    }

    [Fact]
    public async Task After_a_week_of_holidays_officers_are_reminded_of_the_week_before_it_too()
    {
        await using var world = await WeekWithAPendingReportAsync();
        // 2026-W48 is all holidays (as a Spring Festival week): nobody is at work to be reminded of W47 in it.
        await world.Services.GetRequiredService<StreetSettingsBook>().ChangeAsync(await world.StaffAsync("officer-1"), "houzhai",
            new SettingsDraft(Holidays: ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]));
        for (var day = 0; day < 7; day++)
        {
            world.Clock.SetUtcNow(Monday.AddDays(day).AddHours(9));
            await Work(world).RunOnceAsync();
        }
        var inTheHolidays = await CountAsync(world, "officer-1", "尚未发布");

        world.Clock.SetUtcNow(Monday.AddDays(7).AddHours(9)); // Monday of W49, back at work
        await Work(world).RunOnceAsync();
        await Work(world).RunOnceAsync();

        Assert.Equal(0, inTheHolidays);
        Assert.Equal(1, await CountAsync(world, "officer-1", "上周（2026-W48）房东榜、铺长榜尚未发布"));
        var older = Assert.Single(await world.OutboxTextsAsync("officer-1"), t => t.Contains("2026-W47", StringComparison.Ordinal));
        Assert.Contains("房东榜、铺长榜尚未发布", older);
        Assert.Contains("还有 1 条影响该周榜单的记录", older);
        Assert.Contains("[发布 2026-W47]", older);
    }

    [Fact]
    public async Task A_list_already_published_is_left_out_and_no_reminder_goes_out_once_both_are()
    {
        await using var world = await WeekWithAPendingReportAsync();
        await using var both = await WeekWithAPendingReportAsync();
        world.Clock.SetUtcNow(Monday.AddHours(8.5));
        both.Clock.SetUtcNow(Monday.AddHours(8.5));
        await PublishAsync(world, SubjectKind.Landlord);
        await PublishAsync(both, SubjectKind.Landlord);
        await PublishAsync(both, SubjectKind.ShopHead);

        await Work(world).RunOnceAsync();
        await Work(both).RunOnceAsync();

        Assert.Equal(1, await CountAsync(world, "officer-1", "上周（2026-W47）铺长榜尚未发布"));
        Assert.Equal(0, await CountAsync(world, "officer-1", "房东榜"));
        Assert.Equal(0, await CountAsync(both, "officer-1", "尚未发布"));
    }

    [Fact]
    public async Task A_week_in_which_the_street_had_no_shop_head_on_its_roster_is_reminded_of_its_landlords_list_only()
    {
        // Both shop heads leave the roster in W47: W48 has no shop heads' list, and publishing one is refused.
        await using var world = await ChatWorld.CreateAsync();
        await world.Db.WriteAsync(async s =>
        {
            foreach (var head in (await s.ListSubjectsAsync("houzhai")).Where(x => x.Kind == SubjectKind.ShopHead))
                await s.UpdateSubjectAsync(head with { Active = false }, world.Clock.GetUtcNow());
        });
        await world.BindAsync("officer-1");

        world.Clock.SetUtcNow(Monday.AddDays(7).AddHours(9)); // Monday of W49
        await Work(world).RunOnceAsync();

        var told = Assert.Single(await world.OutboxTextsAsync("officer-1"), t => t.Contains("2026-W48", StringComparison.Ordinal));
        Assert.StartsWith("上周（2026-W48）房东榜尚未发布", told);
    }

    [Fact]
    public async Task An_officer_who_writes_in_English_is_reminded_in_English()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("officer-1", "en-GB");

        world.Clock.SetUtcNow(Monday.AddHours(9));
        await Work(world).RunOnceAsync();

        Assert.Equal(1, await CountAsync(world, "officer-1", "Last week's (2026-W47) landlord and shop head lists are not published yet"));
        Assert.Equal(1, await CountAsync(world, "officer-1", "[publish]"));
    }

    private static async Task PublishAsync(ChatWorld world, SubjectKind kind) =>
        Assert.True((await world.Services.GetRequiredService<Publication>().PublishAsync(await world.StaffAsync("officer-1"), "houzhai", W47, kind, null)).Succeeded);
}
