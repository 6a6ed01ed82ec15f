using Dapper;
using Scoring.Domain.Ledger;
using Scoring.Domain.Weeks;
using static Scoring.Storage.Tests.StorageWorld;

namespace Scoring.Storage.Tests;

/// <summary>
/// The weekly work report's statements read a week of the ledger through its indexes, never the whole ledger: a city
/// street's 2M events would take seconds to scan. Checked on SQLite's plans (SQL Server's text is parsed by DialectSqlTests).
/// </summary>
public class WeekSummaryPlansTests
{
    private static readonly IsoWeek W47 = IsoWeek.Parse("2026-W47");

    private static async Task<List<string>> PlanAsync(StorageWorld world, Func<Session, Task> work, string marker)
    {
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.InsertAsync(Event("houzhai", "landlord-1", +1, Wednesday, EventStatus.Pending));
        var db = world.NewDatabase(); // a fresh writer connection, so that its statements are this test's alone
        return await db.WriteAsync(async s =>
        {
            var statements = await PreparedAfterAsync(s, 0, () => work(s));
            var sql = statements.Single(p => p.Sql.Contains(marker, StringComparison.Ordinal)).Sql;
            return (await s.Connection.QueryAsync("EXPLAIN QUERY PLAN " + sql, transaction: s.Transaction)).Select(r => (string)r.detail).ToList();
        });
    }

    [Theory]
    [InlineData("x.RuleCode, x.ReporterRole, x.Status")]
    [InlineData("json_each")]
    public async Task The_week_s_reports_and_their_verification_are_read_through_the_week_index(string marker)
    {
        await using var world = await CreateAsync();

        var plan = await PlanAsync(world, async s =>
        {
            await s.WeekReportsAsync("houzhai", W47, Shanghai);
            await s.WeekVerificationAsync("houzhai", W47, Shanghai, [Wednesday.AddHours(7)], Wednesday.AddDays(1));
        }, marker);

        Assert.Contains(plan, d => d.StartsWith("SEARCH e USING INDEX ix_score_events_week (street_id=? AND week=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, d => d.StartsWith("SCAN e", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, d => d.StartsWith("SCAN s", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, d => d.StartsWith("SCAN t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Returns_of_the_week_are_a_range_of_their_time_ordered_ids()
    {
        await using var world = await CreateAsync();

        var plan = await PlanAsync(world, s => s.WeekReturnsAsync("houzhai", W47, Shanghai, "0", "Z"), "tenant_returns");

        Assert.Contains(plan, d => d.StartsWith("SEARCH r USING INDEX sqlite_autoindex_tenant_returns_1 (id>? AND id<?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, d => d.StartsWith("SCAN r", StringComparison.Ordinal));
    }
}
