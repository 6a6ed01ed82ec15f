using Scoring.Bot.Endpoint;

namespace Scoring.Storage.Tests.SqlServer;

/// <summary>
/// The schema each dialect's migrations leave, compared: SQLite's read back from a migrated database, SQL Server's from
/// its migrations' DDL (parsed with ScriptDom, as no server runs here). A migration written for one dialect and not the
/// other, or written differently, shows here rather than in production.
/// </summary>
public class DialectSchemaTests
{
    private static async Task<(Schema Sqlite, Schema SqlServer)> BothAsync()
    {
        await using var world = await StorageWorld.CreateAsync();
        return (await Schema.OfSqliteAsync(world.Db), Schema.OfSqlServer());
    }

    // Where the dialects differ on purpose, and why.
    private static readonly Dictionary<string, string> Deliberate = new(StringComparer.Ordinal)
    {
        // 0430: SQLite stores processed activities in the order they were made and finds them through an index in memory;
        // SQL Server keeps its unique key on activity_key.
        ["bot_processed_activity.seq"] = "SQLite only",
        ["primary key (declared) on bot_processed_activity(seq)"] = "SQLite only",
        ["primary key (declared) on bot_processed_activity(activity_key)"] = "SQL Server only",
        ["index ix_bot_processed_activity_at on bot_processed_activity(processed_at, activity_key)"] = "SQLite only",
        ["index ix_bot_processed_activity_at on bot_processed_activity(processed_at)"] = "SQL Server only",
        // A table without a primary key is a heap on SQL Server; SQLite's rowid already keeps a subject's spans together.
        ["index ix_subject_absences_subject on subject_absences(subject_id)"] = "SQL Server only",
        // 0620: SQL Server finds a chat user's id by its SHA-256 (exact, and short enough for a key); SQLite by the id itself.
        ["chat_accounts.user_key"] = "SQL Server only",
        ["bind_failures.user_key"] = "SQL Server only",
        ["primary key (declared) on chat_accounts(channel_id, user_id)"] = "SQLite only",
        ["primary key (declared) on chat_accounts(channel_id, user_key)"] = "SQL Server only",
        ["index ix_bind_failures on bind_failures(channel_id, user_id, failed_at)"] = "SQLite only",
        ["index ix_bind_failures on bind_failures(channel_id, user_key, failed_at)"] = "SQL Server only",
        // 0680: an account's further records are found as its first one is (0620).
        ["chat_account_records.user_key"] = "SQL Server only",
        ["primary key (declared) on chat_account_records(channel_id, user_id, person_kind, person_id)"] = "SQLite only",
        ["primary key (declared) on chat_account_records(channel_id, user_key, person_kind, person_id)"] = "SQL Server only",
    };

    private static string Describe(string table, SchemaColumn c) => $"{table}.{c.Name}";

    [Fact]
    public async Task Both_dialects_end_with_the_same_tables_and_columns()
    {
        var (sqlite, sqlServer) = await BothAsync();

        Assert.Equal(sqlite.Tables.Keys, sqlServer.Tables.Keys);
        var differences = new List<string>();
        foreach (var (table, columns) in sqlite.Tables)
        {
            var other = sqlServer.Tables[table];
            foreach (var c in columns)
            {
                if (other.FirstOrDefault(o => o.Name == c.Name) is not { } s)
                {
                    if (!Deliberate.ContainsKey(Describe(table, c))) differences.Add($"{Describe(table, c)} is on SQLite only");
                    continue;
                }
                if (c.Nullable != s.Nullable) differences.Add($"{Describe(table, c)} is {(c.Nullable ? "" : "not ")}nullable on SQLite, {(s.Nullable ? "" : "not ")}on SQL Server");
                if (c.Affinity != s.Affinity) differences.Add($"{Describe(table, c)} is {c.Type} on SQLite, {s.Type} on SQL Server");
                if (c.Default != s.Default) differences.Add($"{Describe(table, c)} defaults to {c.Default ?? "nothing"} on SQLite, {s.Default ?? "nothing"} on SQL Server");
            }
            foreach (var s in other.Where(o => columns.All(c => c.Name != o.Name) && !Deliberate.ContainsKey(Describe(table, o))))
                differences.Add($"{Describe(table, s)} is on SQL Server only");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public async Task Both_dialects_end_with_the_same_keys_and_indexes()
    {
        var (sqlite, sqlServer) = await BothAsync();

        // SQL Server's included columns are part of the index as SQLite's trailing keys are (covering the same reads).
        static string Shape(SchemaIndex x) => (x with { Keys = [.. x.Keys, .. x.Included], Included = [] }).ToString();
        var left = sqlite.Indexes.Select(Shape).Where(x => !Deliberate.ContainsKey(x)).Order(StringComparer.Ordinal).ToList();
        var right = sqlServer.Indexes.Select(Shape).Where(x => !Deliberate.ContainsKey(x)).Order(StringComparer.Ordinal).ToList();

        Assert.True(left.SequenceEqual(right),
            "SQLite only:\n" + string.Join("\n", left.Except(right)) + "\nSQL Server only:\n" + string.Join("\n", right.Except(left)));
    }

    [Fact]
    public async Task The_deliberate_differences_are_all_still_there()
    {
        // A difference put right later must leave the list, or it would hide the same difference coming back.
        var (sqlite, sqlServer) = await BothAsync();
        static HashSet<string> Shapes(Schema schema) =>
        [
            .. schema.Indexes.Select(x => (x with { Keys = [.. x.Keys, .. x.Included], Included = [] }).ToString()),
            .. schema.Tables.SelectMany(t => t.Value.Select(c => Describe(t.Key, c))),
        ];
        var (onSqlite, onSqlServer) = (Shapes(sqlite), Shapes(sqlServer));
        foreach (var (difference, side) in Deliberate)
        {
            Assert.True(side == "SQL Server only" ? onSqlServer.Contains(difference) && !onSqlite.Contains(difference)
                : onSqlite.Contains(difference) && !onSqlServer.Contains(difference), $"{difference} is no longer {side}");
        }
    }

    /// <summary>Unique indexes of SQL Server that refuse a second row with a null key column (SQLite's take any number of them).</summary>
    private static IEnumerable<string> UniqueOverNulls(Schema schema) =>
        from x in schema.Indexes
        where x.Unique
        from key in x.Keys
        where schema.Column(x.Table, key).Nullable && !(x.Filter ?? "").Contains($"{key} is not null", StringComparison.Ordinal)
        select $"{x}: {key} may be null";

    [Fact]
    public void Every_unique_index_of_SQL_Server_leaves_out_the_rows_whose_key_may_be_null() =>
        Assert.Empty(UniqueOverNulls(Schema.OfSqlServer()));

    [Fact]
    public void The_unique_check_does_notice_a_nullable_key_left_in() =>
        Assert.Single(UniqueOverNulls(Schema.OfSqlServer(["CREATE TABLE t (a NVARCHAR(10) NOT NULL, b NVARCHAR(10) NULL); CREATE UNIQUE INDEX ux_t ON t(a, b);"])));

    [Fact]
    public void Every_chat_column_of_SQL_Server_holds_an_id_as_long_as_the_bot_admits()
    {
        // The bot answers ids up to these lengths (and refuses longer ones with a 400); SQLite's TEXT takes any length, while
        // SQL Server refuses a value longer than its column, so a bind from a longer id would fail in production only.
        var limits = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["channel_id"] = BotEndpoint.MaxChannelIdLength, ["user_id"] = BotEndpoint.MaxIdLength, ["conversation_id"] = BotEndpoint.MaxIdLength,
            ["activity_id"] = BotEndpoint.MaxIdLength, ["reply_to_id"] = BotEndpoint.MaxIdLength, ["service_url"] = BotEndpoint.MaxServiceUrlLength,
        };
        var tooShort =
            from table in Schema.OfSqlServer().Tables
            from c in table.Value
            where limits.TryGetValue(c.Name, out var limit) && c.Length is { } length and not -1 && length < limit
            select $"{table.Key}.{c.Name} holds {c.Length} characters, the bot admits {limits[c.Name]}";
        Assert.Empty(tooShort);
    }

    [Fact]
    public void Who_used_an_enrolment_code_fits_SQL_Server_s_column_with_the_longest_ids_the_bot_admits()
    {
        var usedBy = Scoring.Application.Enrolment.UsedBy(new string('c', BotEndpoint.MaxChannelIdLength), new string('u', BotEndpoint.MaxIdLength));
        var column = Schema.OfSqlServer().Column("enrolment_codes", "used_by");
        Assert.True(usedBy.Length <= column.Length, $"{usedBy.Length} characters into enrolment_codes.used_by's {column.Length}");
    }

    [Fact]
    public void The_chat_account_that_took_a_code_fits_SQL_Server_s_staff_actions_column_with_the_longest_ids_the_bot_admits()
    {
        var account = Scoring.Application.Enrolment.UsedBy(new string('c', BotEndpoint.MaxChannelIdLength), new string('u', BotEndpoint.MaxIdLength));
        var column = Schema.OfSqlServer().Column("staff_actions", "actor_id");
        Assert.True(account.Length <= column.Length, $"{account.Length} characters into staff_actions.actor_id's {column.Length}");
    }

    [Fact]
    public void A_worker_lease_owner_fits_SQL_Server_s_column_whatever_the_machine_s_name_and_process_id()
    {
        // Host names run to 64 characters (a Kubernetes pod's to 63); the owner was refused on SQL Server past 100, and then
        // no instance ever took the lease: no chat notices, escalations or backups, and SQLite's TEXT showed nothing of it.
        var owner = Scoring.Application.LeasedWork.OwnerOf(new string('m', 64), int.MaxValue, Guid.NewGuid());
        var column = Schema.OfSqlServer().Column("worker_leases", "owner");
        Assert.True(owner.Length <= column.Length, $"{owner.Length} characters into worker_leases.owner's {column.Length}");
    }

    [Fact]
    public void No_index_key_of_SQL_Server_can_be_longer_than_the_server_takes()
    {
        // SQL Server creates such an index with a warning and refuses, in production only, the first row whose key is too long.
        var schema = Schema.OfSqlServer();
        var tooLong =
            from x in schema.Indexes
            let bytes = x.Keys.Select(k => Schema.KeyBytes(schema.Column(x.Table, k))).ToList()
            let limit = x.Clustered ? 900 : 1700
            where bytes.Any(b => b is null) || bytes.Sum() > limit
            select $"{x}: up to {(bytes.Any(b => b is null) ? "max" : bytes.Sum().ToString())} bytes, the server takes {limit}";
        Assert.Empty(tooLong);
    }
}
