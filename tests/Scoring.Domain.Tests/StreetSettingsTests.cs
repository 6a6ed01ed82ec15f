using Scoring.Domain;

namespace Scoring.Domain.Tests;

public class StreetSettingsTests
{
    [Fact]
    public void The_defaults_of_the_design_are_usable() => Assert.Empty(new StreetSettings().Problems());

    [Fact]
    public void Settings_no_street_could_run_on_are_named_each_by_its_field()
    {
        var problems = new StreetSettings
        {
            TimeZoneId = "Mars/Olympus",
            EscalationAfter = TimeSpan.FromMinutes(90),
            LateReturnWindow = TimeSpan.Zero,
            WorkingHoursStart = new TimeOnly(18, 0),
            WorkingHoursEnd = new TimeOnly(8, 0),
            RedListSize = 0,
            BlackListSize = 51,
            HonourThreshold = 0,
            ShopLimit = 0,
            YuanPerPoint = 0.001m,
            Holidays = [new DateOnly(2026, 10, 10)],
            Workdays = [new DateOnly(2026, 10, 10)],
        }.Problems();

        foreach (var field in new[] { "timeZone", "escalationAfterHours", "lateReturnWindowHours", "workingHoursStart", "redListSize", "blackListSize", "honourThreshold", "shopLimit", "yuanPerPoint", "2026-10-10" })
            Assert.Contains(problems, p => p.En.Contains(field) && p.Zh.Contains(field)); // the Chinese names the field too, for a client to find it
        Assert.Equal(10, problems.Count);
    }

    [Theory]
    [InlineData("/etc/localtime")]
    [InlineData("localtime")]
    [InlineData("posixrules")]
    [InlineData("right/Asia/Shanghai")]
    [InlineData("posix/Asia/Shanghai")]
    [InlineData("../zoneinfo/Asia/Shanghai")]
    public void A_time_zone_the_OS_finds_but_that_is_not_the_same_place_everywhere_is_refused(string id) =>
        Assert.Contains(new StreetSettings { TimeZoneId = id }.Problems(), p => p.En.StartsWith("timeZone"));

    [Theory]
    [InlineData("Asia/Shanghai")]
    [InlineData("Asia/Urumqi")]
    [InlineData("UTC")]
    [InlineData("America/New_York")]
    public void A_place_s_time_zone_is_usable(string id) => Assert.Empty(new StreetSettings { TimeZoneId = id }.Problems());

    [Theory]
    [InlineData("00:00")]
    [InlineData("00:30")]
    [InlineData("08:00")]
    [InlineData("18:01")]
    public void The_daily_deadline_closes_a_working_day_within_its_working_hours(string deadline) =>
        Assert.Contains(new StreetSettings { DailyDeadline = TimeOnly.Parse(deadline) }.Problems(), p => p.En.StartsWith("dailyDeadline"));

    [Fact]
    public void A_deadline_at_the_end_of_the_working_day_is_usable() =>
        Assert.Empty(new StreetSettings { DailyDeadline = new TimeOnly(18, 0) }.Problems());

    [Fact]
    public void A_make_up_working_day_on_a_weekday_is_named_as_a_slip_rather_than_saved_to_change_nothing()
    {
        // 2026-10-09 is a Friday (a working day anyway): the officer meant Saturday 2026-10-10, which stays without reminders.
        var problems = new StreetSettings { Workdays = [new DateOnly(2026, 10, 9)] }.Problems();

        Assert.Contains(problems, p => p.En.Contains("2026-10-09") && p.En.Contains("workdays") && p.Zh.Contains("2026-10-09是周五"));
        Assert.Empty(new StreetSettings { Workdays = [new DateOnly(2026, 10, 10)], Holidays = [new DateOnly(2026, 10, 3)] }.Problems());
    }
}
