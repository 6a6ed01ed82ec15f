using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Scoring.Service.Cli;

namespace Scoring.Service.Tests.Cli;

/// <summary>The verbs start as one: a configuration that cannot work reads the same for each, one line and no stack trace.</summary>
public sealed class CommandStartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scoring-cli-start-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Roster()
    {
        var path = Path.Combine(_dir, "roster.csv");
        File.WriteAllText(path, "类型,社区\n");
        return path;
    }

    private static Task<(int Exit, string Out, string Err)> RunAsync(Func<TextWriter, TextWriter, Task<int>> verb) => VerbRun.RunAsync(verb);

    private async Task AssertSameOneLineProblemAsync(string setting, string expected)
    {
        var import = await RunAsync((o, e) => ImportCommand.RunAsync(["import", Roster(), "--street", "houzhai", setting], o, e));
        var staff = await RunAsync((o, e) => StaffCommands.RunAsync(["staff", "token", "officer-1", setting], o, e));

        Assert.Equal(2, import.Exit);
        Assert.Equal("", import.Out);
        var line = Assert.Single(import.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("Scoring cannot start: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", import.Err);
        Assert.Equal((import.Exit, import.Out, import.Err), staff);
    }

    [Fact]
    public async Task A_verb_logs_only_warnings_and_those_to_standard_error_so_what_it_prints_is_all_its_output()
    {
        // staff token's output is the token alone (TOKEN=$(… staff token x)); the service's appsettings.json logs Information.
        var database = Path.Combine(_dir, "scoring.db");
        string[] settings = [$"--ConnectionStrings:Scoring=Data Source={database};Pooling=False", "--Logging:LogLevel:Default=Information", "--Demo:Enabled=false"];

        var exit = await CommandStart.RunAsync(settings, TextWriter.Null, services =>
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Scoring.Service");
            Assert.False(logger.IsEnabled(LogLevel.Information));
            Assert.True(logger.IsEnabled(LogLevel.Warning));
            Assert.Equal(LogLevel.Trace, services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.LogToStandardErrorThreshold);
            return Task.FromResult(0);
        });

        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task An_invalid_connection_string_stops_the_import_with_the_same_one_line_problem_as_the_staff_verb() =>
        await AssertSameOneLineProblemAsync("--ConnectionStrings:Scoring=Data Source=x.db;Flavour=strawberry", "is not a valid SQLite connection string");

    [Fact]
    public async Task A_database_file_that_is_not_a_database_stops_the_import_with_one_line_not_a_stack_trace()
    {
        var notADatabase = Path.Combine(_dir, "notes.db");
        await File.WriteAllTextAsync(notADatabase, string.Concat(Enumerable.Repeat("This is a shopping list, not a database. ", 50)));

        await AssertSameOneLineProblemAsync($"--ConnectionStrings:Scoring=Data Source={notADatabase};Pooling=False", "Cannot prepare the Sqlite database");
    }
}
