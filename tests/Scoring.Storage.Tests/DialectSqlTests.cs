using System.Reflection;
using System.Reflection.Emit;
using System.Xml.Linq;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Scoring.Storage.Tests;

/// <summary>
/// Every SQL Server statement the service can run is parsed here with ScriptDom. That only works if all
/// SQL lives in <c>static readonly DialectSql</c> fields, so the second half of this class makes sure it does.
/// </summary>
public class DialectSqlTests
{
    private const string StorageAssembly = "Scoring.Storage";

    /// <summary>The projects under src/ that reach Scoring.Storage through their project references (and Storage itself).</summary>
    private static IReadOnlyList<string> ProjectsWithSql()
    {
        var src = Path.Combine(StorageWorld.RepositoryRoot, "src");
        var projects = Directory.GetFiles(src, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj"))
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => XDocument.Load(p).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar))).ToList());
        bool Reaches(string name, HashSet<string> seen) =>
            name == StorageAssembly || (seen.Add(name) && projects.TryGetValue(name, out var refs) && refs.Any(r => Reaches(r, seen)));
        return projects.Keys.Where(p => Reaches(p, [])).Order(StringComparer.Ordinal).ToList();
    }

    private static IReadOnlyList<Assembly> AssembliesWithSql() =>
        ProjectsWithSql().Select(name =>
        {
            try { return Assembly.Load(new System.Reflection.AssemblyName(name)); }
            catch (FileNotFoundException)
            {
                throw new Xunit.Sdk.XunitException($"src/{name} uses Scoring.Storage but is not referenced by Scoring.Storage.Tests.csproj, so its SQL is not parsed: add a ProjectReference.");
            }
        }).ToList();

    private static IEnumerable<Type> TypesOf(Assembly assembly) => assembly.GetTypes().Where(t => t != typeof(DialectSql));

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    public static IEnumerable<(string Name, DialectSql Sql)> AllStatements() =>
        from assembly in AssembliesWithSql()
        from type in TypesOf(assembly)
        from field in type.GetFields(Everything)
        where field.FieldType == typeof(DialectSql) && field.IsStatic && field.IsInitOnly
        select ($"{type.FullName}.{field.Name}", (DialectSql)field.GetValue(null)!);

    private static IList<ParseError> Parse(string sql)
    {
        new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        return errors;
    }

    private static string Describe(IEnumerable<ParseError> errors) => string.Join("; ", errors.Select(e => $"line {e.Line}, col {e.Column}: {e.Message}"));

    [Fact]
    public void The_scan_covers_storage_application_bot_and_service()
    {
        Assert.Superset(new HashSet<string> { "Scoring.Storage", "Scoring.Application", "Scoring.Bot", "Scoring.Service" }, ProjectsWithSql().ToHashSet());
        Assert.DoesNotContain("Scoring.Domain", ProjectsWithSql());
        var names = AllStatements().Select(s => s.Name).ToList();
        Assert.Contains("Scoring.Storage.LedgerStore.InsertEventSql", names);
        Assert.Contains("Scoring.Storage.Migrator.CreateVersionTable", names);
        Assert.Contains("Scoring.Service.Features.Health.Ping", names);
        Assert.True(names.Count > 50, $"only {names.Count} statements found");
    }

    [Fact]
    public void Every_SQL_Server_statement_parses_with_ScriptDom_without_errors()
    {
        var broken = AllStatements()
            .Select(s => (s.Name, Errors: Parse(s.Sql.SqlServer)))
            .Where(x => x.Errors.Count > 0)
            .Select(x => $"{x.Name}: {Describe(x.Errors)}")
            .ToList();
        Assert.True(broken.Count == 0, "SQL Server text that does not parse:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void Every_statement_has_text_in_both_dialects() =>
        Assert.All(AllStatements(), s => Assert.False(string.IsNullOrWhiteSpace(s.Sql.Sqlite) || string.IsNullOrWhiteSpace(s.Sql.SqlServer), s.Name));

    [Fact]
    public void Every_SQL_Server_migration_parses_with_ScriptDom_without_errors()
    {
        var scripts = Migrator.Scripts(StorageProvider.SqlServer);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, script => Assert.True(Parse(script.Sql).Count == 0, $"{script.Name}: {Describe(Parse(script.Sql))}"));
    }

    [Fact]
    public void No_SQL_Server_migration_or_statement_writes_a_number_past_INT_without_making_it_BIGINT()
    {
        // SQL Server types such a literal decimal, not bigint: arithmetic of ids' milliseconds with it is decimal arithmetic.
        var offences = Migrator.Scripts(StorageProvider.SqlServer).Select(m => (m.Name, m.Sql))
            .Concat(AllStatements().Select(st => (st.Name, st.Sql.SqlServer)))
            .SelectMany(x =>
            {
                var literals = new WideLiteralVisitor();
                new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(x.Item2), out _).Accept(literals);
                return literals.Unwrapped.Select(l => $"{x.Item1}: {l}");
            })
            .ToList();
        Assert.True(offences.Count == 0, string.Join("\n", offences));
    }

    private sealed class WideLiteralVisitor : TSqlFragmentVisitor
    {
        private readonly HashSet<Literal> _cast = [];
        public List<string> Unwrapped { get; } = [];

        public override void Visit(CastCall node)
        {
            if (node.DataType is SqlDataTypeReference { SqlDataTypeOption: SqlDataTypeOption.BigInt } && node.Parameter is Literal literal) _cast.Add(literal);
        }

        public override void Visit(IntegerLiteral node)
        {
            if (long.TryParse(node.Value, out var value) && value > int.MaxValue && !_cast.Contains(node)) Unwrapped.Add(node.Value);
        }

        public override void Visit(NumericLiteral node)
        {
            if (!node.Value.Contains('.') && !_cast.Contains(node)) Unwrapped.Add(node.Value);
        }
    }

    [Fact]
    public void Every_batch_the_migrator_sends_to_SQL_Server_parses_on_its_own()
    {
        // The test above parses each script whole, with ScriptDom's own reading of GO; the server gets the migrator's batches.
        foreach (var (name, sql) in Migrator.Scripts(StorageProvider.SqlServer))
            foreach (var batch in Migrator.Batches(sql))
            {
                var script = (TSqlScript)new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(batch), out var errors);
                Assert.True(errors.Count == 0, $"{name}: {Describe(errors)}");
                Assert.True(script.Batches.Count <= 1, $"{name}: a GO line the migrator did not split on");
            }
    }

    [Theory]
    [InlineData("ALTER TABLE t ADD c INT NULL;\nGO \nUPDATE t SET c = 1;\n")]
    [InlineData("ALTER TABLE t ADD c INT NULL;\ngo\nUPDATE t SET c = 1;")]
    [InlineData("ALTER TABLE t ADD c INT NULL;\r\n  GO\t\r\nUPDATE t SET c = 1;\r\n")]
    [InlineData("ALTER TABLE t ADD c INT NULL;\nGO\nUPDATE t SET c = 1;\nGO")]
    public void A_GO_line_that_ScriptDom_reads_as_the_end_of_a_batch_ends_the_migrators_batch_too(string sql)
    {
        // Otherwise the parse test passes and SQL Server refuses the script ("Incorrect syntax near 'GO'") in production only.
        Assert.Equal(2, ((TSqlScript)new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors)).Batches.Count);
        Assert.Empty(errors);
        Assert.Equal(["ALTER TABLE t ADD c INT NULL;", "UPDATE t SET c = 1;"], Migrator.Batches(sql).Select(b => b.Trim()));
    }

    /// <summary>The equality comparisons of a column named <paramref name="column"/> with a parameter in <paramref name="sql"/>.</summary>
    private static IEnumerable<string> ComparisonsWithParameters(string sql, string column)
    {
        var script = new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out _);
        var visitor = new ComparisonVisitor();
        script.Accept(visitor);
        return from c in visitor.Found
               where c.ComparisonType == BooleanComparisonType.Equals
               from pair in new[] { (c.FirstExpression, c.SecondExpression), (c.SecondExpression, c.FirstExpression) }
               where pair.Item1 is ColumnReferenceExpression { MultiPartIdentifier.Identifiers: [.., var name] } && name.Value == column
                     && pair.Item2 is VariableReference
               select $"{column} = {((VariableReference)pair.Item2).Name}";
    }

    private sealed class ComparisonVisitor : TSqlFragmentVisitor
    {
        public List<BooleanComparisonExpression> Found { get; } = [];
        public override void Visit(BooleanComparisonExpression node) => Found.Add(node);
    }

    [Fact]
    public void No_SQL_Server_statement_compares_a_chat_users_id_under_the_databases_collation()
    {
        // Channels' user ids are case-sensitive and SQLite compares them exactly; under SQL Server's default collation two
        // ids differing only in case would be one user, the second acting as the first's person. On SQL Server a chat
        // account (and a failed bind) is found by user_key, the SHA-256 of the exact id (0620).
        var offences = AllStatements()
            .SelectMany(s => ComparisonsWithParameters(s.Sql.SqlServer, "user_id").Select(c => $"{s.Name}: {c}"))
            .ToList();
        Assert.True(offences.Count == 0, string.Join("\n", offences));
    }

    [Fact]
    public void The_SQL_Server_outbox_claim_waits_for_an_earlier_message_still_being_written()
    {
        // Under READ_COMMITTED_SNAPSHOT (Azure SQL's default) the look for an earlier waiting message of the conversation
        // reads the last committed rows: a turn still committing its reply would be passed over and the later one sent first.
        var claim = AllStatements().Single(s => s.Name == "Scoring.Storage.Outbox.OutboxStore.Claim").Sql.SqlServer;
        Assert.Contains("bot_outbox AS earlier WITH (READCOMMITTEDLOCK)", claim, StringComparison.Ordinal);
    }

    [Fact]
    public void On_SQL_Server_instances_starting_together_do_not_both_open_a_subject_s_span_off_the_roster()
    {
        var open = AllStatements().Single(s => s.Name == "Scoring.Storage.PeopleStore.OpenMissingSpansSql").Sql.SqlServer;
        Assert.Contains("subject_absences a WITH (UPDLOCK, HOLDLOCK)", open, StringComparison.Ordinal);
    }

    [Fact]
    public void On_SQL_Server_two_instances_do_not_both_record_a_chat_report_sent_twice()
    {
        // The look for the same report a moment ago holds the subject's recent range until the unit commits, as the weekly
        // cap's count does: two copies on two instances would otherwise both read no row and both record.
        var alike = AllStatements().Single(s => s.Name == "Scoring.Storage.LedgerStore.SelectAlikeSince").Sql.SqlServer;
        Assert.Contains("score_events WITH (UPDLOCK, HOLDLOCK)", alike, StringComparison.Ordinal);
    }

    [Fact]
    public void On_SQL_Server_the_migration_lock_refuses_to_go_on_when_sp_getapplock_did_not_grant_it()
    {
        // sp_getapplock does not raise when it fails: it returns -1 (timed out), -2 (cancelled), -3 (deadlock victim) or
        // -999. Unread, the migrator went on without the lock and ran the migration beside the instance that held it.
        var sql = AllStatements().Single(s => s.Name == "Scoring.Storage.Migrator.TakeLock").Sql.SqlServer;
        var script = (TSqlScript)new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        Assert.Empty(errors);
        var statements = script.Batches.SelectMany(b => b.Statements).ToList();

        var take = Assert.Single(statements.OfType<ExecuteStatement>()).ExecuteSpecification;
        Assert.Equal("sp_getapplock", ((ExecutableProcedureReference)take.ExecutableEntity).ProcedureReference.ProcedureReference.Name.BaseIdentifier.Value);
        var result = take.Variable?.Name;
        Assert.NotNull(result);
        var check = Assert.Single(statements.OfType<IfStatement>());
        var failed = Assert.IsType<BooleanComparisonExpression>(check.Predicate);
        Assert.Equal((BooleanComparisonType.LessThan, result, "0"),
            (failed.ComparisonType, (failed.FirstExpression as VariableReference)?.Name, (failed.SecondExpression as IntegerLiteral)?.Value));
        var then = check.ThenStatement is BeginEndBlockStatement block ? block.StatementList.Statements.Last() : check.ThenStatement;
        Assert.IsType<ThrowStatement>(then);
    }

    [Theory]
    [InlineData("SelectAlikeSince")]
    [InlineData("SelectSameRule")]
    public void On_SQL_Server_the_same_evidence_is_the_same_text_exactly_as_on_SQLite(string statement)
    {
        // SQLite's = is binary; under SQL Server's default collation (Chinese_PRC_CI_AS) 「３０２室」 and 「302室」, or
        // "room 3A" and "Room 3a", would be one act on one engine and two on the other. A binary collation on the comparison.
        var sql = AllStatements().Single(s => s.Name == $"Scoring.Storage.LedgerStore.{statement}").Sql;
        var script = new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql.SqlServer), out var errors);
        Assert.Empty(errors);
        var visitor = new ComparisonVisitor();
        script.Accept(visitor);

        var evidence = visitor.Found.Where(c => c.ComparisonType == BooleanComparisonType.Equals
            && c.FirstExpression is ColumnReferenceExpression { MultiPartIdentifier.Identifiers: [.., { Value: "evidence" }] }).ToList();
        Assert.NotEmpty(evidence);
        Assert.All(evidence, c => Assert.EndsWith("_BIN2", (c.SecondExpression as PrimaryExpression)?.Collation?.Value ?? "(database default)", StringComparison.Ordinal));
        Assert.Contains("evidence = @evidence", sql.Sqlite, StringComparison.Ordinal); // binary already
    }

    [Fact]
    public void On_SQL_Server_a_week_s_list_candidates_read_the_figures_once()
    {
        // A CTE used four times may be evaluated four times: an approval committed in between would move the cut.
        var candidates = AllStatements().Single(s => s.Name == "Scoring.Storage.LedgerStore.SelectListCandidates").Sql.SqlServer;
        Assert.Contains("INSERT INTO #figures", candidates, StringComparison.Ordinal);
        Assert.Contains("WITH f AS (SELECT * FROM #figures)", candidates, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SelectPage")]
    [InlineData("SelectPageBefore")]
    public void On_SQL_Server_the_staff_actions_read_newest_first_by_time_then_id_as_on_SQLite(string statement)
    {
        // By id alone, actions of one millisecond came in the order of their ids' random characters; by time alone, a
        // page ending inside one instant would skip or repeat the others of it. Time then id is total on both engines.
        var sql = AllStatements().Single(s => s.Name == $"Scoring.Storage.StaffActionStore.{statement}").Sql;
        var script = new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql.SqlServer), out var errors);
        Assert.Empty(errors);
        var orders = new OrderVisitor();
        script.Accept(orders);

        var order = Assert.Single(orders.Found).OrderByElements.Select(e =>
            $"{((ColumnReferenceExpression)e.Expression).MultiPartIdentifier.Identifiers[^1].Value} {e.SortOrder}");
        Assert.Equal(["at Descending", "id Descending"], order);
        Assert.Contains("ORDER BY at DESC, id DESC LIMIT", sql.Sqlite, StringComparison.Ordinal);
    }

    [Fact]
    public void On_SQL_Server_a_staff_actions_page_goes_on_after_the_cursor_s_time_and_id()
    {
        var sql = AllStatements().Single(s => s.Name == "Scoring.Storage.StaffActionStore.SelectPageBefore").Sql;
        var script = new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql.SqlServer), out _);
        var visitor = new ComparisonVisitor();
        script.Accept(visitor);

        var cursor = visitor.Found
            .Where(c => c.FirstExpression is ColumnReferenceExpression && c.SecondExpression is VariableReference)
            .Select(c => $"{((ColumnReferenceExpression)c.FirstExpression).MultiPartIdentifier.Identifiers[^1].Value} {c.ComparisonType} {((VariableReference)c.SecondExpression).Name}")
            .ToHashSet();
        Assert.Superset(new HashSet<string> { "at LessThanOrEqualTo @beforeAt", "at LessThan @beforeAt", "id LessThan @beforeId" }, cursor);
    }

    private sealed class OrderVisitor : TSqlFragmentVisitor
    {
        public List<OrderByClause> Found { get; } = [];
        public override void Visit(OrderByClause node) => Found.Add(node);
    }

    [Fact]
    public void The_comparison_check_does_notice_a_user_id_compared_with_a_parameter() =>
        Assert.Single(ComparisonsWithParameters("SELECT 1 FROM chat_accounts a WHERE a.channel_id = @c AND a.user_id = @u", "user_id"));

    private static SortedSet<string> Parameters(string sql) =>
        new(System.Text.RegularExpressions.Regex.Matches(sql, @"(?<![@\w])@(\w+)").Select(m => m.Groups[1].Value.ToLowerInvariant()), StringComparer.Ordinal);

    // json_each and OPENJSON are each dialect's reading of a JSON array as rows (the weekly report's deadlines): not a table.
    private static SortedSet<string> Tables(string sql) =>
        new(System.Text.RegularExpressions.Regex.Matches(sql, @"\b(?:FROM|JOIN|INTO|UPDATE|MERGE|DELETE FROM)\s+([A-Za-z_]+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            .Select(m => m.Groups[1].Value.ToLowerInvariant()).Where(t => t is not ("select" or "set" or "o" or "f" or "red_cut" or "black_cut" or "json_each" or "openjson")), StringComparer.Ordinal);

    [Fact]
    public void Each_statement_reads_the_same_parameters_and_tables_in_both_dialects()
    {
        // A filter or a column written in one dialect's text and forgotten in the other's shows as a parameter or a table
        // of one side only. The migrations' lock is SQL Server's alone (SQLite's writes are serialised anyway); whether
        // schema_version exists is asked of each dialect's own catalog.
        var differences = AllStatements()
            .Where(s => s.Name is not ("Scoring.Storage.Migrator.TakeLock" or "Scoring.Storage.SchemaStanding.VersionTableExists"))
            .Where(s => !Parameters(s.Sql.Sqlite).SetEquals(Parameters(s.Sql.SqlServer)) || !Tables(s.Sql.Sqlite).SetEquals(Tables(s.Sql.SqlServer)))
            .Select(s => $"{s.Name}: parameters {string.Join(",", Parameters(s.Sql.Sqlite))} / {string.Join(",", Parameters(s.Sql.SqlServer))}; tables {string.Join(",", Tables(s.Sql.Sqlite))} / {string.Join(",", Tables(s.Sql.SqlServer))}")
            .ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Theory]
    [InlineData("SELECT id FROM subjects ORDER BY id LIMIT 1")]                       // SQLite paging
    [InlineData("INSERT INTO t (a) VALUES (1) ON CONFLICT(a) DO NOTHING")]             // SQLite upsert
    [InlineData("SELECT COUNT(*) FROM score_events WHERE status IN ('Pending',")]      // truncated
    public void The_parser_does_catch_text_that_is_not_T_SQL(string sql) => Assert.NotEmpty(Parse(sql));

    // ---- all SQL lives in static readonly DialectSql fields ----

    private static bool Mentions(Type t) =>
        t == typeof(DialectSql) || (t.HasElementType && Mentions(t.GetElementType()!)) || (t.IsGenericType && t.GetGenericArguments().Any(Mentions));

    [Fact]
    public void DialectSql_is_only_ever_declared_as_a_static_readonly_field()
    {
        var misplaced = new List<string>();
        // Closures and state machines may hold a DialectSql passed around; they cannot make one (the IL test sees to that).
        foreach (var type in AssembliesWithSql().SelectMany(TypesOf).Where(t => !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false)))
        {
            foreach (var f in type.GetFields(Everything).Where(f => Mentions(f.FieldType)))
                if (f.FieldType != typeof(DialectSql) || !f.IsStatic || !f.IsInitOnly)
                    misplaced.Add($"field {type.FullName}.{f.Name} ({(f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{f.FieldType.Name})");
            foreach (var p in type.GetProperties(Everything).Where(p => Mentions(p.PropertyType)))
                misplaced.Add($"property {type.FullName}.{p.Name}");
            foreach (var m in type.GetMethods(Everything).Where(m => !m.IsSpecialName && Mentions(m.ReturnType)))
                misplaced.Add($"method {type.FullName}.{m.Name} returns {m.ReturnType.Name}");
        }
        Assert.True(misplaced.Count == 0, "Declare SQL as `static readonly DialectSql` fields only, so the ScriptDom test sees it:\n" + string.Join("\n", misplaced));
    }

    [Fact]
    public void DialectSql_is_only_ever_made_in_a_static_field_initializer()
    {
        var offences = AssembliesWithSql().SelectMany(TypesOf).SelectMany(MakingsOutsideStaticFields).ToList();
        Assert.True(offences.Count == 0, "SQL made anywhere but a static readonly field escapes the ScriptDom test:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_IL_check_does_notice_SQL_made_inside_a_method() =>
        Assert.Contains(MakingsOutsideStaticFields(typeof(HiddenSql)), o => o.Contains(nameof(HiddenSql.Build)));

    /// <summary>A counter-example for the IL check: SQL built at run time, where no test could parse it.</summary>
    private static class HiddenSql
    {
        public static string Build(string table) => DialectSql.Both("SELECT * FROM " + table).SqlServer;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>
    /// Walks the IL of every method and constructor of a type and reports each place that makes a DialectSql
    /// (its constructor, <see cref="DialectSql.Both"/>, or a <c>with</c> copy) other than a static constructor
    /// storing the result straight into a static readonly DialectSql field.
    /// </summary>
    private static IEnumerable<string> MakingsOutsideStaticFields(Type type)
    {
        var bodies = type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything));
        foreach (var method in bodies)
        {
            var il = method.GetMethodBody()?.GetILAsByteArray();
            if (il is null) continue;
            var instructions = Decode(il).ToList();
            for (int i = 0; i < instructions.Count; i++)
            {
                var (op, token) = instructions[i];
                if (op.OperandType != OperandType.InlineMethod || Resolve(method, token) is not { } target || target.DeclaringType != typeof(DialectSql)) continue;
                bool makes = target is ConstructorInfo || target.Name is nameof(DialectSql.Both) or "<Clone>$" || target.Name.StartsWith("set_", StringComparison.Ordinal);
                if (!makes) continue;
                bool storedInStaticField = method is ConstructorInfo { IsStatic: true } && target.Name != "<Clone>$" && !target.Name.StartsWith("set_", StringComparison.Ordinal)
                    && i + 1 < instructions.Count && instructions[i + 1].Op == OpCodes.Stsfld
                    && method.Module.ResolveField(instructions[i + 1].Token) is { IsStatic: true, IsInitOnly: true } field && field.FieldType == typeof(DialectSql);
                if (!storedInStaticField) yield return $"{type.FullName}.{method.Name} calls DialectSql.{target.Name}";
            }
        }
    }

    private static MethodBase? Resolve(MethodBase method, int token)
    {
        try
        {
            return method.Module.ResolveMethod(token,
                method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null,
                method is MethodInfo { IsGenericMethod: true } m ? m.GetGenericArguments() : null);
        }
        catch (ArgumentException) { return null; }
    }

    private static IEnumerable<(OpCode Op, int Token)> Decode(byte[] il)
    {
        int pos = 0;
        while (pos < il.Length)
        {
            short value = il[pos++];
            if (value == 0xFE) value = unchecked((short)(0xFE00 | il[pos++]));
            var op = OpCodesByValue[value];
            int token = 0;
            switch (op.OperandType)
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: pos += 1; break;
                case OperandType.InlineVar: pos += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: pos += 8; break;
                case OperandType.InlineSwitch: pos += 4 + 4 * BitConverter.ToInt32(il, pos); break;
                default: token = BitConverter.ToInt32(il, pos); pos += 4; break;
            }
            yield return (op, token);
        }
    }
}
