using System.Reflection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Scoring.Bot.Tests.World;
using Scoring.Storage;
using Scoring.Storage.Activities;
using Scoring.Storage.Outbox;

namespace Scoring.Bot.Tests.Storage;

/// <summary>No SQL Server here, so at least every SQL Server statement of the bot tables must parse.</summary>
public sealed class SqlServerTextTests
{
    public static TheoryData<string> Statements()
    {
        var data = new TheoryData<string>();
        foreach (var type in new[] { typeof(OutboxStore), typeof(ProcessedActivityStore), typeof(ConversationReferenceStore) })
        {
            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public).Where(f => f.FieldType == typeof(DialectSql)))
            {
                data.Add($"{type.Name}.{field.Name}");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void Each_statement_parses_as_TSql(string name)
    {
        var (typeName, fieldName) = (name.Split('.')[0], name.Split('.')[1]);
        var type = typeof(OutboxStore).Assembly.GetTypes().Single(t => t.Name == typeName);
        var sql = (DialectSql)type.GetField(fieldName, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!.GetValue(null)!;

        AssertParses(sql.SqlServer);
    }

    [Fact]
    public void The_bot_migration_parses_as_TSql() => AssertParses(TestDatabase.MigrationText("SqlServer"));

    private static void AssertParses(string sql)
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.Line}:{e.Column} {e.Message}")));
    }
}
