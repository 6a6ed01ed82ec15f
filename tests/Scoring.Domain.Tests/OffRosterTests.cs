namespace Scoring.Domain.Tests;

public sealed class OffRosterTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static DateTimeOffset Local(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(2026, 3, 4, 2028, 1, 3)]   // left in 2026: kept through 2027
    [InlineData(2027, 1, 3, 2028, 1, 3)]   // a Sunday of 2026-W53: still 2026's week-based year
    [InlineData(2027, 1, 4, 2029, 1, 1)]   // 2027-W01: kept through 2028
    public void Someone_who_left_is_erased_from_the_first_week_of_the_year_after_the_next(int y, int m, int d, int ey, int em, int ed)
    {
        Assert.Equal(Local(ey, em, ed), OffRoster.ErasedFrom(Local(y, m, d, 12), Shanghai));
    }

    [Fact]
    public void At_any_moment_those_who_left_before_last_year_s_first_week_are_due()
    {
        Assert.Equal(Local(2027, 1, 4), OffRoster.ErasableIfLeftBefore(Local(2028, 1, 3), Shanghai));
        Assert.Equal(Local(2025, 12, 29), OffRoster.ErasableIfLeftBefore(Local(2028, 1, 2, 23), Shanghai)); // in 2027-W52: 2026-W01 began on 29 December 2025
    }
}
