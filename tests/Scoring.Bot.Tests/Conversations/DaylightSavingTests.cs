using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scoring.Bot.Conversations;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>Times people type, and the hourly digest, in a street whose zone has daylight saving time.</summary>
public sealed class DaylightSavingTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Sydney = TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney");

    // 2026-11-01: New York falls back at 02:00 EDT to 01:00 EST; 01:00-02:00 happens twice.
    // 01:40 EDT, the first pass of the repeated hour.
    private static readonly DateTimeOffset FirstPass = new(2026, 11, 1, 1, 40, 0, TimeSpan.FromHours(-4));

    [Fact]
    public void A_time_typed_ten_minutes_after_it_in_the_first_pass_of_the_repeated_hour_is_read_as_ten_minutes_ago()
    {
        var read = ChatTime.Parse("01:30", FirstPass, NewYork);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 1, 30, 0, TimeSpan.FromHours(-4)), read);
    }

    [Fact]
    public void Today_and_a_time_in_the_repeated_hour_already_past_is_not_in_the_future()
    {
        var read = ChatTime.Parse("今天 01:30", FirstPass, NewYork)!.Value;
        Assert.True(read <= FirstPass, $"read {read:O}, now {FirstPass:O}");
    }

    [Fact]
    public void Sydney_a_time_typed_in_the_first_pass_of_its_repeated_hour_is_today_s()
    {
        // 2026-04-05: Sydney falls back at 03:00 AEDT to 02:00 AEST. Now 02:50 AEDT, typed 02:15.
        var now = new DateTimeOffset(2026, 4, 5, 2, 50, 0, TimeSpan.FromHours(11));
        var read = ChatTime.Parse("凌晨2点15", now, Sydney);
        Assert.Equal(new DateTimeOffset(2026, 4, 5, 2, 15, 0, TimeSpan.FromHours(11)), read);
    }

    /// <summary>Houzhai moved to New York's zone, at <see cref="FirstPass"/>, with landlord-1 bound.</summary>
    private static async Task<ChatWorld> NewYorkLandlordAtFirstPassAsync()
    {
        var world = await ChatWorld.CreateAsync(FirstPass);
        var street = (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!;
        await world.Db.WriteAsync(s => s.UpdateSettingsAsync("houzhai", street.Settings with { TimeZoneId = "America/New_York" }));
        await world.BindAsync("landlord-1");
        return world;
    }

    [Fact]
    public async Task A_return_reported_ten_minutes_after_the_arrival_in_the_repeated_hour_is_not_charged_as_late()
    {
        await using var world = await NewYorkLandlordAtFirstPassAsync();

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 01:30"));

        Assert.Contains("按时上报，不扣分", reply, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE rule_code = 'late-return'"));
    }

    [Fact]
    public async Task A_return_said_as_today_and_a_time_in_the_repeated_hour_is_accepted()
    {
        await using var world = await NewYorkLandlordAtFirstPassAsync();

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 今天 01:30"));

        Assert.Contains("已登记：王小明", reply, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
    }

    [Fact]
    public async Task The_hourly_digest_goes_out_in_both_passes_of_a_repeated_hour_when_working_hours_cover_it()
    {
        // Cairo falls back at 24:00 EEST on the last Thursday of October (a weekday) to 23:00 EET: Thursday 23:00-24:00
        // happens twice. A street whose office works into the night (08:00-23:59).
        await using var world = await ChatWorld.CreateAsync(new DateTimeOffset(2026, 10, 29, 9, 0, 0, TimeSpan.FromHours(3)));
        var street = (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!;
        await world.Db.WriteAsync(s => s.UpdateSettingsAsync("houzhai", street.Settings with
        {
            TimeZoneId = "Africa/Cairo", WorkingHoursEnd = new TimeOnly(23, 59),
        }));
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回 王小明 2026-10-26 08:30"); // a late return: one pending item
        var notices = world.Services.GetRequiredService<ChatNotices>();
        var secretary = await world.StaffAsync("secretary-fangtang");
        street = (await world.Db.ReadAsync(s => s.GetStreetAsync("houzhai")))!;

        world.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 29, 23, 5, 0, TimeSpan.FromHours(3)));  // Thu 23:05 EEST
        var first = await world.Db.WriteAsync(s => notices.DigestAsync(s, secretary, street, world.Clock.GetUtcNow()));
        world.Clock.Advance(TimeSpan.FromHours(1));                                                // Thu 23:05 EET, an hour later
        var second = await world.Db.WriteAsync(s => notices.DigestAsync(s, secretary, street, world.Clock.GetUtcNow()));

        Assert.True(first);
        Assert.True(second, "no reminder in the second 23:00 hour: its hour key repeats the first one's");
    }
}
