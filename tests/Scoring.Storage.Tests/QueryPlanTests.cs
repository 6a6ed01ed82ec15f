using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Scoring.Storage.Tests;

/// <summary>
/// Year five: a street office keeps its ledger, transitions, returns, rounds and lists for good, so after five years a
/// street has ~10M score events and tens of thousands of people. Every statement the service can run (every static
/// <see cref="DialectSql"/>, which <see cref="DialectSqlTests"/> makes sure is all of them) is planned here by SQLite
/// as production plans it — no ANALYZE, so the plan does not depend on what the tables hold — and must find its rows
/// through an index, not by reading a table that grows with time or with the street, unless <see cref="Allowed"/> says why.
/// The service runs no ANALYZE nor PRAGMA optimize, on purpose: with statistics SQLite's plans would follow what each
/// database holds (a new street's, a district's) and no longer be the plans checked here; the statements are written
/// to be planned well without them.
/// </summary>
public partial class QueryPlanTests
{
    // Tables bounded by the street's organisation, not by its people or by time: a read of all of one costs little.
    private static readonly HashSet<string> SmallTables =
    [
        "streets", "communities", "grids", "rule_sets", "worker_leases", "schema_version", "settings_changes", "staff",
        "staff_tokens", "open_round_days", "sqlite_sequence",
    ];

    // Tables that grow with time: on these, a search by the street or community alone reads the street's whole history.
    private static readonly HashSet<string> History =
    [
        "score_events", "event_transitions", "tenant_returns", "shop_rounds", "bot_outbox", "staff_actions", "published_lists",
        "subject_week_totals", "redemptions", "chat_digests", "idempotency_keys", "bot_processed_activity",
    ];

    /// <summary>Statements that may read a growing table whole, each with why that is acceptable.</summary>
    private static readonly Dictionary<string, string> Allowed = new()
    {
        ["Scoring.Storage.Activities.ProcessedActivityStore.Find"] = "SQL Server only: SQLite finds records through ProcessedActivityIndex in memory",
        ["Scoring.Storage.Activities.ProcessedActivityStore.Record"] = "SQL Server only: SQLite records through ProcessedActivityIndex",
        ["Scoring.Storage.Activities.ProcessedActivityIndex.All"] = "once per instance at start; the records are purged after a day (channels re-deliver within minutes)",
        ["Scoring.Storage.LedgerStore.RebuildWeekTotals"] = "rebuilds the totals from the whole ledger: run by a repair, never on a round",
        ["Scoring.Storage.LedgerStore.RebuildCycleTotals"] = "rebuilds the cycle totals from every week's: run by a repair, never on a round",
        ["Scoring.Storage.PeopleStore.OpenMissingSpansSql"] = "once at start, over the people off the roster",
        ["Scoring.Storage.PeopleStore.CloseStaleSpansSql"] = "once at start, over the people off the roster",
        ["Scoring.Storage.RecordStore.SelectEarnedOfStreet"] = "the payout export, run by hand: points earned never expire, so it sums every approved addition the street has",
        ["Scoring.Storage.RecordStore.ForgetOldIdempotencySql"] = "hourly, over keys kept a day (Idempotency.KeepKeys): bounded by retention",
        ["Scoring.Storage.PeopleStore.ForgetBindFailuresSql"] = "hourly, over wrong codes kept for the lockout's window: bounded by retention",
        ["Scoring.Bot.Conversations.Dialogs.ForgetDroppedSql"] = "hourly, one row per chat account (the street's people, not time); an index of updated_at would cost every chat turn a write",
        ["Scoring.Bot.Conversations.Dialogs.ForgetStrangersSql"] = "hourly, one row per chat user (the street's people and the last month's strangers, whom it forgets); each row's reference and account found by key",
        ["Scoring.Storage.Activities.ConversationReferenceStore.ForgetUnboundSql"] = "hourly, one row per chat account (the street's people, not time); an index of updated_at would cost every chat turn a write",
        ["Scoring.Storage.Activities.ConversationReferenceStore.MarkConversationUnreachable"] = "once per send a channel refuses as blocked or gone (rare), one row per chat account (the street's people, not time); the outbox knows the conversation, not the user, and an index of it would cost every reference write",
        ["Scoring.Storage.LedgerStore.SelectWeekFigures"] = "a week's figures rank every subject of the street; the spans off the roster (fewer than the subjects) are read once into a list",
        ["Scoring.Storage.LedgerStore.SelectListCandidates"] = "as SelectWeekFigures: a week's lists rank every subject of the street",
        ["Scoring.Storage.WeekSummaryStore.SelectRoster"] = "as SelectWeekFigures: the weekly report counts everyone the week's lists count (the spans off the roster read once into a list)",
        ["Scoring.Storage.StreetStore.HasEventsSql"] = "EXISTS: stops at the street's first event",
        ["Scoring.Storage.OffRosterStore.DeleteCodesSql"] = "erasing someone long off the roster; codes are forgotten a month after they expire (Enrolment.KeepCodes)",
    };

    /// <summary>Splits a statement's text into SQLite's statements (a batch has several).</summary>
    private static List<string> Statements(SqliteConnection c, string sql)
    {
        var parts = new List<string>();
        for (var rest = sql; !string.IsNullOrWhiteSpace(rest);)
        {
            Assert.Equal(0, SQLitePCL.raw.sqlite3_prepare_v2(c.Handle, rest, out var stmt, out var tail));
            stmt.Dispose();
            if (!string.IsNullOrWhiteSpace(rest[..^tail.Length])) parts.Add(rest[..^tail.Length].Trim());
            rest = tail;
        }
        return parts;
    }

    /// <summary>The tables a statement names, by the names it gives them (its aliases, or the tables' own).</summary>
    private static Dictionary<string, string> TablesByName(string sql, HashSet<string> tables)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in TableReference().Matches(sql))
        {
            var table = m.Groups["table"].Value;
            if (!tables.Contains(table)) continue;
            names[table] = table;
            if (m.Groups["alias"].Success && !Keywords.Contains(m.Groups["alias"].Value.ToUpperInvariant())) names[m.Groups["alias"].Value] = table;
        }
        return names;
    }

    private static readonly HashSet<string> Keywords = ["WHERE", "JOIN", "LEFT", "INNER", "CROSS", "ON", "SET", "INDEXED", "GROUP", "ORDER", "LIMIT", "WITH", "UNION", "VALUES", "AS", "NOT", "DEFAULT"];

    [GeneratedRegex(@"\b(?:FROM|JOIN|UPDATE|INTO)\s+(?<table>\w+)(?:\s+(?:AS\s+)?(?<alias>\w+))?", RegexOptions.IgnoreCase)]
    private static partial Regex TableReference();

    [GeneratedRegex(@"^SCAN (?<name>\w+)(?: USING (?:COVERING )?INDEX (?<index>\w+))?")]
    private static partial Regex Scan();

    [GeneratedRegex(@"^SEARCH (?<name>\w+) USING (?:COVERING )?INDEX \w+ \((?:street_id|community_id)=\?\)$")]
    private static partial Regex StreetOnly();

    /// <summary>Each statement's reads of a growing table whole (or of the street's whole history), as "name: plan line".</summary>
    internal static async Task<List<(string Name, string Read)>> WholeReadsAsync(SqliteConnection c, IEnumerable<(string Name, string Sql)> statements)
    {
        var tables = (await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToHashSet();
        // A partial index holds only the rows it names (the outbox's waiting messages): reading it whole is reading those.
        var partial = (await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")).ToHashSet();
        var found = new List<(string, string)>();
        foreach (var (name, sql) in statements)
        {
            // Dapper writes a list parameter out as (@p1, @p2, …); SQLite plans one the same.
            var text = Regex.Replace(sql, @"\bIN\s+@(\w+)", "IN (@$1)");
            foreach (var one in Statements(c, text))
            {
                var byName = TablesByName(one, tables);
                var plan = (await c.QueryAsync("EXPLAIN QUERY PLAN " + one)).Select(row => (string)row.detail).ToList();
                // Rows come in the index's order and LIMIT stops the read: a page costs a page.
                var paged = one.Contains(" LIMIT ", StringComparison.Ordinal) && !plan.Any(d => d.Contains("TEMP B-TREE", StringComparison.Ordinal));
                foreach (var detail in plan)
                {
                    var scan = Scan().Match(detail);
                    // A table the statement does not name is read by a foreign key's check (deleting a tenant looks for their returns).
                    if (scan.Success && (byName.TryGetValue(scan.Groups["name"].Value, out var table) || tables.TryGetValue(scan.Groups["name"].Value, out table))
                        && !SmallTables.Contains(table)
                        && !(scan.Groups["index"].Success && partial.Contains(scan.Groups["index"].Value)))
                        found.Add((name, $"{detail} ({table})"));
                    var search = StreetOnly().Match(detail);
                    if (search.Success && !paged && byName.TryGetValue(search.Groups["name"].Value, out var history) && History.Contains(history))
                        found.Add((name, $"{detail} ({history}: the street's whole history)"));
                }
            }
        }
        return found;
    }

    [Fact]
    public async Task Every_statement_finds_its_rows_through_an_index_not_by_reading_a_table_that_grows_with_time_or_with_the_street()
    {
        await using var world = await StorageWorld.CreateAsync();
        await using var c = await world.OpenConnectionAsync();
        var statements = DialectSqlTests.AllStatements().Select(s => (s.Name, s.Sql.Sqlite)).ToList();
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'sqlite_stat%'")); // planned as production plans

        var reads = await WholeReadsAsync(c, statements);

        var offenders = reads.Where(r => !Allowed.ContainsKey(r.Name)).Select(r => $"{r.Name}: {r.Read}").Distinct().ToList();
        Assert.True(offenders.Count == 0, "Statements that read a growing table whole:\n" + string.Join("\n", offenders));
        // An entry whose statement is gone or now finds its rows through an index is taken out, so the list stays the truth.
        var stale = Allowed.Keys.Where(name => !reads.Any(r => r.Name == name)).ToList();
        Assert.True(stale.Count == 0, "Allowed but no longer reading a table whole:\n" + string.Join("\n", stale));
    }
}
