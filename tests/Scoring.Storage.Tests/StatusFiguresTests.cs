using Dapper;
using Scoring.Domain.Ledger;
using Scoring.Storage.Outbox;
using static Scoring.Storage.Tests.StorageWorld;

namespace Scoring.Storage.Tests;

/// <summary>
/// The figures the service's status reads (GET /api/admin/status): small, and cheap however large the ledger and the
/// outbox's kept messages grow — each read from an index, never by reading every row.
/// </summary>
public class StatusFiguresTests
{
    [Fact]
    public async Task Pending_figures_per_street_count_the_waiting_reports_the_oldest_s_time_and_the_escalated_and_leave_decided_ones_out()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.SeedStreetAsync("jiangdong", "landlord-2");
        await world.InsertAsync(
            Event("houzhai", "landlord-1", +1, Wednesday.AddHours(-2), EventStatus.Pending),
            Event("houzhai", "landlord-1", +1, Wednesday, EventStatus.Pending),
            Event("houzhai", "landlord-1", +1, Wednesday.AddHours(-5), EventStatus.Approved),
            Event("jiangdong", "landlord-2", +1, Wednesday.AddHours(-5), EventStatus.Approved));
        await world.Db.WriteAsync(s => s.EscalateAsync("houzhai", Wednesday.AddHours(-1), Wednesday));

        var figures = await world.Db.ReadAsync(s => s.PendingByStreetAsync());

        var houzhai = Assert.Single(figures);
        Assert.Equal(("houzhai", 2L, Wednesday.AddHours(-2), 1L), (houzhai.StreetId, houzhai.Pending, houzhai.OldestReportedAt, houzhai.Escalated));
    }

    [Fact]
    public async Task Pending_figures_are_found_through_the_communities_queue_index_not_by_reading_the_ledger()
    {
        await using var world = await CreateAsync();
        await world.SeedStreetAsync("houzhai", "landlord-1");
        await world.InsertAsync(Event("houzhai", "landlord-1", +1, Wednesday, EventStatus.Pending));
        var db = world.NewDatabase(); // a fresh writer connection, so that its statements are this test's alone

        var plan = await db.WriteAsync(async s =>
        {
            var statements = await PreparedAfterAsync(s, 0, () => s.PendingByStreetAsync());
            var sql = statements.Single(p => p.Sql.Contains("GROUP BY c.street_id", StringComparison.Ordinal)).Sql;
            return (await s.Connection.QueryAsync("EXPLAIN QUERY PLAN " + sql, transaction: s.Transaction)).Select(r => (string)r.detail).ToList();
        });

        Assert.Contains(plan, d => d.StartsWith("SEARCH e USING INDEX ix_score_events_queue (community_id=? AND status=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, d => d.StartsWith("SCAN e", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_outbox_s_figures_read_its_waiting_and_dead_letter_indexes_never_the_sent_messages()
    {
        await using var world = await CreateAsync();
        var outbox = new OutboxStore(world.Db, world.Clock);

        var plan = await world.Db.ReadAsync(async s =>
            (await s.Connection.QueryAsync("EXPLAIN QUERY PLAN " + OutboxStore.FiguresSql.Sqlite, transaction: s.Transaction)).Select(r => (string)r.detail).ToList());

        var reads = plan.Where(d => d.Contains("bot_outbox", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, reads.Count);
        Assert.All(reads, d => Assert.Matches("USING (COVERING )?INDEX ix_bot_outbox_(due|waiting|dead)", d));
        Assert.Equal(new OutboxFigures(0, null, 0), await outbox.FiguresAsync());
    }
}
