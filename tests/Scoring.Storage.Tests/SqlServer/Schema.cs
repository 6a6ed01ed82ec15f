using Dapper;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Scoring.Storage.Tests.SqlServer;

/// <summary>
/// A column as the migrations leave it. On SQL Server <see cref="Length"/> is a text column's characters (-1: max), a
/// binary column's bytes or an instant's precision; a computed column has the type its expression converts to.
/// </summary>
public sealed record SchemaColumn(string Name, string Type, int? Length, bool Nullable, string? Default, string? Collation = null, bool Computed = false)
{
    /// <summary>What SQLite would declare for the column: instants, text and yuan are TEXT there, whole numbers INTEGER.</summary>
    public string Affinity => Type switch
    {
        "text" or "integer" or "blob" => Type,
        "nvarchar" or "varchar" or "nchar" or "char" or "datetimeoffset" or "datetime2" or "decimal" => "text",
        "int" or "bigint" or "smallint" or "tinyint" or "bit" => "integer",
        "binary" or "varbinary" => "blob",
        _ => "?" + Type,
    };
}

/// <summary>An index or a key: <see cref="Name"/> is null for a unique or primary key declared with its table (the engines name those their own way).</summary>
public sealed record SchemaIndex(string? Name, string Table, IReadOnlyList<string> Keys, IReadOnlyList<string> Included, bool Unique, bool PrimaryKey, string? Filter)
{
    /// <summary>Whether SQL Server stores the table in this index's order (a primary key, unless said otherwise, or a clustered index).</summary>
    public bool Clustered { get; init; }

    public override string ToString() =>
        $"{(PrimaryKey ? "primary key" : Unique ? "unique" : "index")} {Name ?? "(declared)"} on {Table}({string.Join(", ", Keys)})" +
        (Included.Count > 0 ? $" include ({string.Join(", ", Included)})" : "") + (Filter is null ? "" : $" where {Filter}");
}

/// <summary>The tables, columns and indexes one dialect's migrations leave behind.</summary>
public sealed class Schema
{
    public SortedDictionary<string, List<SchemaColumn>> Tables { get; } = new(StringComparer.Ordinal);
    public List<SchemaIndex> Indexes { get; } = [];

    public SchemaColumn Column(string table, string column) => Tables[table].Single(c => c.Name == column);

    public static string Normalize(string sql) =>
        string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace("( ", "(").Replace(" )", ")").ToLowerInvariant();

    // ---- SQLite: read back from a database the migrations ran on ----

    public static async Task<Schema> OfSqliteAsync(Database db) => await db.ReadAsync(async s =>
    {
        var schema = new Schema();
        var tables = (await s.Connection.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version'")).ToList();
        foreach (var table in tables)
        {
            var columns = (await s.Connection.QueryAsync<(long Cid, string Name, string Type, long NotNull, string? Default, long Pk)>(
                $"SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{table}')")).ToList();
            schema.Tables[table] = columns.Select(c => new SchemaColumn(c.Name, c.Type.ToLowerInvariant(), null, c.NotNull == 0 && c.Pk == 0, c.Default)).ToList();
            var pk = columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name).ToList();
            if (pk.Count > 0) schema.Indexes.Add(new SchemaIndex(null, table, pk, [], true, true, null));
            var indexes = (await s.Connection.QueryAsync<(string Name, long Unique, string Origin)>(
                $"SELECT name, \"unique\", origin FROM pragma_index_list('{table}')")).ToList();
            foreach (var index in indexes.Where(i => i.Origin != "pk"))
            {
                var keys = (await s.Connection.QueryAsync<string>($"SELECT name FROM pragma_index_info('{index.Name}') ORDER BY seqno")).ToList();
                var sql = await s.Connection.QuerySingleOrDefaultAsync<string?>("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = @name", new { name = index.Name });
                var where = sql?.LastIndexOf(" WHERE ", StringComparison.OrdinalIgnoreCase) is int at and >= 0 ? Normalize(sql[(at + 7)..]) : null;
                schema.Indexes.Add(new SchemaIndex(index.Origin == "c" ? index.Name : null, table, keys, [], index.Unique == 1, false, where));
            }
        }
        return schema;
    });

    // ---- SQL Server: the migrations' DDL replayed, statement by statement ----

    public static Schema OfSqlServer() => OfSqlServer(Migrator.Scripts(StorageProvider.SqlServer).Select(m => m.Sql));

    public static Schema OfSqlServer(IEnumerable<string> scripts)
    {
        var schema = new Schema();
        foreach (var script in scripts)
        {
            var fragment = new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script), out var errors);
            if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors.Select(e => e.Message)));
            foreach (var statement in ((TSqlScript)fragment).Batches.SelectMany(b => b.Statements))
                schema.Apply(statement);
        }
        return schema;
    }

    private static string Text(TSqlFragment f) =>
        string.Concat(f.ScriptTokenStream.Skip(f.FirstTokenIndex).Take(f.LastTokenIndex - f.FirstTokenIndex + 1).Select(t => t.Text));

    private static string NameOf(SchemaObjectName name) => name.BaseIdentifier.Value;

    private static bool Temporary(SchemaObjectName name) => NameOf(name).StartsWith('#');

    private void Apply(TSqlStatement statement)
    {
        switch (statement)
        {
            case CreateTableStatement { SchemaObjectName: var name } create when !Temporary(name):
                Tables[NameOf(name)] = [];
                AddElements(NameOf(name), create.Definition);
                break;
            case AlterTableAddTableElementStatement add:
                AddElements(NameOf(add.SchemaObjectName), add.Definition);
                break;
            case AlterTableAlterColumnStatement alter:
            {
                var table = Tables[NameOf(alter.SchemaObjectName)];
                var i = table.FindIndex(c => c.Name == alter.ColumnIdentifier.Value);
                var (type, length) = TypeOf(alter.DataType);
                // ALTER COLUMN states the column afresh: without NOT NULL it allows nulls, without COLLATE it takes the database's.
                table[i] = table[i] with
                {
                    Type = type, Length = length, Nullable = alter.AlterTableAlterColumnOption != AlterTableAlterColumnOption.NotNull,
                    Collation = alter.Collation?.Value,
                };
                break;
            }
            case AlterTableDropTableElementStatement drop:
                foreach (var element in drop.AlterTableDropTableElements)
                {
                    var table = NameOf(drop.SchemaObjectName);
                    if (element.TableElementType == TableElementType.Column) Tables[table].RemoveAll(c => c.Name == element.Name.Value);
                    else Indexes.RemoveAll(x => x.Table == table && x.Name == element.Name.Value);
                }
                break;
            case DropTableStatement drop:
                foreach (var name in drop.Objects.Where(o => !Temporary(o)))
                {
                    Tables.Remove(NameOf(name));
                    Indexes.RemoveAll(x => x.Table == NameOf(name));
                }
                break;
            case CreateIndexStatement index:
                Indexes.Add(new SchemaIndex(index.Name.Value, NameOf(index.OnName),
                    index.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value).ToList(),
                    index.IncludeColumns.Select(c => c.MultiPartIdentifier.Identifiers[^1].Value).ToList(),
                    index.Unique, false, index.FilterPredicate is { } filter ? Normalize(Text(filter)) : null) { Clustered = index.Clustered == true });
                break;
            case DropIndexStatement drop:
                foreach (var clause in drop.DropIndexClauses.OfType<DropIndexClause>())
                    Indexes.RemoveAll(x => x.Name == clause.Index.Value && x.Table == NameOf(clause.Object));
                break;
            case ExecuteStatement { ExecuteSpecification.ExecutableEntity: ExecutableProcedureReference proc }
                when proc.ProcedureReference?.ProcedureReference?.Name is { } procedure && NameOf(procedure).Equals("sp_rename", StringComparison.OrdinalIgnoreCase):
                Rename(proc.Parameters.Select(p => ((StringLiteral)p.ParameterValue).Value).ToList());
                break;
        }
    }

    /// <summary>sp_rename of a table ('old', 'new') or of an index ('table.old', 'new', 'INDEX').</summary>
    private void Rename(IReadOnlyList<string> args)
    {
        if (args.Count == 3 && args[2].Equals("INDEX", StringComparison.OrdinalIgnoreCase))
        {
            var (table, old) = (args[0].Split('.')[0], args[0].Split('.')[1]);
            var i = Indexes.FindIndex(x => x.Table == table && x.Name == old);
            Indexes[i] = Indexes[i] with { Name = args[1] };
            return;
        }
        Tables[args[1]] = Tables[args[0]];
        Tables.Remove(args[0]);
        for (int i = 0; i < Indexes.Count; i++)
            if (Indexes[i].Table == args[0]) Indexes[i] = Indexes[i] with { Table = args[1] };
    }

    private void AddElements(string table, TableDefinition definition)
    {
        foreach (var column in definition.ColumnDefinitions)
        {
            var (type, length) = column.DataType is { } declared ? TypeOf(declared) : column.ComputedColumnExpression switch
            {
                ConvertCall convert => TypeOf(convert.DataType),
                CastCall cast => TypeOf(cast.DataType),
                _ => ("computed", (int?)null),
            };
            bool primary = column.Constraints.OfType<UniqueConstraintDefinition>().Any(u => u.IsPrimaryKey);
            bool nullable = !primary && !column.Constraints.OfType<NullableConstraintDefinition>().Any(n => !n.Nullable);
            var fallback = column.DefaultConstraint?.Expression ?? column.Constraints.OfType<DefaultConstraintDefinition>().FirstOrDefault()?.Expression;
            Tables[table].Add(new SchemaColumn(column.ColumnIdentifier.Value, type, length, nullable, fallback is null ? null : Text(fallback),
                column.Collation?.Value, column.ComputedColumnExpression is not null));
            foreach (var unique in column.Constraints.OfType<UniqueConstraintDefinition>())
                Indexes.Add(new SchemaIndex(null, table, [column.ColumnIdentifier.Value], [], true, unique.IsPrimaryKey, null) { Clustered = unique.Clustered ?? unique.IsPrimaryKey });
        }
        foreach (var unique in definition.TableConstraints.OfType<UniqueConstraintDefinition>())
        {
            var keys = unique.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value).ToList();
            Indexes.Add(new SchemaIndex(null, table, keys, [], true, unique.IsPrimaryKey, null) { Clustered = unique.Clustered ?? unique.IsPrimaryKey });
            if (unique.IsPrimaryKey)
            {
                var columns = Tables[table];
                for (int i = 0; i < columns.Count; i++)
                    if (keys.Contains(columns[i].Name)) columns[i] = columns[i] with { Nullable = false };
            }
        }
    }

    /// <summary>The most bytes a value of the column takes in an index key (null: it cannot be a key at all).</summary>
    public static int? KeyBytes(SchemaColumn c) => c.Type switch
    {
        "nvarchar" or "nchar" => c.Length is -1 ? null : 2 * c.Length,
        "varchar" or "char" or "binary" or "varbinary" => c.Length is -1 ? null : c.Length,
        "datetimeoffset" => 10,
        "datetime2" => 8,
        "bigint" => 8,
        "int" => 4,
        "smallint" => 2,
        "tinyint" or "bit" => 1,
        "decimal" => 17,
        _ => null,
    };

    private static (string Type, int? Length) TypeOf(DataTypeReference type)
    {
        var name = type.Name.BaseIdentifier.Value.ToLowerInvariant();
        if (type is not ParameterizedDataTypeReference { Parameters: [var first, ..] }) return (name, name is "nvarchar" or "varchar" ? 1 : null);
        return (name, first is MaxLiteral ? -1 : int.Parse(first.Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
