using Dapper;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Scoring.Domain;

namespace Scoring.Storage.Tests;

/// <summary>
/// What a street's settings were at a time past is read from the one change that decides it — the last at or before
/// that time, or the first — never from the whole history, which only grows and is asked inside the writer for every
/// late return.
/// </summary>
public class SettingsInForceTests
{
    private static readonly DateTimeOffset First = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset Second = new(2026, 11, 16, 15, 0, 0, TimeSpan.FromHours(8));

    private static async Task<StorageWorld> TwoChangesAsync()
    {
        var world = await StorageWorld.CreateAsync();
        await world.SeedStreetAsync("houzhai");
        await world.Db.WriteAsync(async s =>
        {
            await s.ChangeSettingsAsync("houzhai", new StreetSettings { LateReturnWindow = TimeSpan.FromHours(48) }, "officer-1", ["lateReturnWindowHours"], First);
            await s.ChangeSettingsAsync("houzhai", new StreetSettings { LateReturnWindow = TimeSpan.FromHours(24) }, "officer-1", ["lateReturnWindowHours"], Second);
        });
        return world;
    }

    [Fact]
    public async Task Before_the_first_change_the_first_is_read_between_two_the_earlier_and_after_the_last_the_last()
    {
        await using var world = await TwoChangesAsync();

        var before = await world.Db.ReadAsync(s => s.SettingsInForceAtAsync("houzhai", First.AddDays(-1)));
        var between = await world.Db.ReadAsync(s => s.SettingsInForceAtAsync("houzhai", Second.AddMinutes(-1)));
        var at = await world.Db.ReadAsync(s => s.SettingsInForceAtAsync("houzhai", Second));
        var after = await world.Db.ReadAsync(s => s.SettingsInForceAtAsync("houzhai", Second.AddDays(3)));
        var none = await world.Db.ReadAsync(s => s.SettingsInForceAtAsync("elsewhere", Second));

        Assert.Equal((First, 48), (before!.At, (int)before.Settings.LateReturnWindow.TotalHours));
        Assert.Equal(["lateReturnWindowHours"], before.Fields);
        Assert.Equal((First, 48), (between!.At, (int)between.Settings.LateReturnWindow.TotalHours));
        Assert.Equal((Second, 24), (at!.At, (int)at.Settings.LateReturnWindow.TotalHours));
        Assert.Equal((Second, 24), (after!.At, (int)after.Settings.LateReturnWindow.TotalHours));
        Assert.Null(none);
    }

    [Fact]
    public async Task A_time_given_in_another_offset_is_compared_as_the_instant_it_is()
    {
        await using var world = await TwoChangesAsync();

        // 14:30 in Houzhai is 06:30 UTC: as text "2026-11-16T14:30+08:00" would sort after the change at 07:00 UTC.
        var justBefore = await world.Db.ReadAsync(s => s.SettingsInForceAtAsync("houzhai", Second.AddMinutes(-30)));
        var inUrumqi = await world.Db.ReadAsync(s => s.SettingsInForceAtAsync("houzhai", Second.ToOffset(TimeSpan.FromHours(6))));

        Assert.Equal(First, justBefore!.At);
        Assert.Equal(Second, inUrumqi!.At);
    }

    private static DialectSql Statement() =>
        DialectSqlTests.AllStatements().Single(x => x.Name == "Scoring.Storage.StreetStore.SelectSettingsInForce").Sql;

    [Fact]
    public async Task On_SQLite_each_end_is_found_in_the_street_s_index_without_sorting_its_history()
    {
        await using var world = await StorageWorld.CreateAsync();
        await using var connection = await world.OpenConnectionAsync();

        var plan = (await connection.QueryAsync("EXPLAIN QUERY PLAN " + Statement().Sqlite,
            new { street = "houzhai", at = DateTimeOffsetHandler.ToText(Second) })).Select(row => (string)row.detail).ToList();

        Assert.True(2 == plan.Count(p => p.Contains("SEARCH settings_changes USING", StringComparison.Ordinal) && p.Contains("ix_settings_changes_street", StringComparison.Ordinal)), string.Join("\n", plan));
        Assert.DoesNotContain(plan, p => p.Contains("TEMP B-TREE", StringComparison.Ordinal) || p.StartsWith("SCAN settings_changes", StringComparison.Ordinal));
    }

    [Fact]
    public void On_SQL_Server_it_is_two_selects_of_one_row_each_at_either_end_of_the_street_s_changes()
    {
        var script = new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(Statement().SqlServer), out var errors);
        Assert.Empty(errors);
        var queries = new Queries();
        script.Accept(queries);

        var reads = queries.Found.Where(q => q.FromClause?.TableReferences.OfType<NamedTableReference>().Any(t => t.SchemaObject.BaseIdentifier.Value == "settings_changes") == true).ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, q =>
        {
            Assert.Equal("1", Assert.IsType<IntegerLiteral>(Assert.IsType<ParenthesisExpression>(q.TopRowFilter!.Expression).Expression).Value);
            var order = Assert.Single(q.OrderByClause!.OrderByElements);
            Assert.Equal("changed_at", Assert.IsType<ColumnReferenceExpression>(order.Expression).MultiPartIdentifier.Identifiers[^1].Value);
        });
        Assert.Equal([SortOrder.Descending, SortOrder.NotSpecified], reads.Select(q => q.OrderByClause!.OrderByElements[0].SortOrder));
    }

    private sealed class Queries : TSqlFragmentVisitor
    {
        public List<QuerySpecification> Found { get; } = [];
        public override void Visit(QuerySpecification node) => Found.Add(node);
    }
}
