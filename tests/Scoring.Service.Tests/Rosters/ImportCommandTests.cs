using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Scoring.Application;
using Scoring.Service.Cli;
using Scoring.Storage;

namespace Scoring.Service.Tests.Rosters;

/// <summary>The <c>import</c> verb, run as the operator would run it, on a fresh SQLite file.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scoring-import-cli-").FullName;
    private string DbFile => Path.Combine(_dir, "scoring.db");
    private string Connection => $"--ConnectionStrings:Scoring=Data Source={DbFile};Pooling=False";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Write(string name, IEnumerable<string[]> rows, Encoding? encoding = null)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, name.EndsWith(".xlsx") ? RosterFile.Xlsx(rows) : RosterFile.Csv(rows, encoding ?? RosterFile.Gbk));
        return path;
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ImportCommand.RunAsync(["import", .. args, Connection, "--Demo:Enabled=false"], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<T> ReadAsync<T>(Func<Session, Task<T>> read)
    {
        await using var db = new Database(StorageProvider.Sqlite, $"Data Source={DbFile};Pooling=False", new FakeTimeProvider());
        return await db.ReadAsync(read);
    }

    private static readonly string[][] DayOne =
    [
        RosterFile.Header,
        ["房东", "xincun", "楼新民", "13711110001", "1号楼", "许佳", "301", ""],
        ["房东", "xincun", "楼新民", "13711110001", "1号楼", "何斌", "302", ""],
        ["铺长", "jiedao", "金海燕", "13711110002", "", "海燕服饰", "", ""],
    ];

    [Fact]
    public async Task On_day_one_a_new_street_its_communities_and_first_officer_come_with_the_first_roster()
    {
        var file = Write("花名册.csv", DayOne);

        var (exit, output, error) = await RunAsync(file, "--street", "jiangdong", "--new-street", "江东街道", "--officer", "张主任");

        Assert.True(exit == 0, error);
        Assert.Contains("created 6,", output); // 2 people, 2 tenants, 1 shop and the grid 1号楼
        var token = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("st_", StringComparison.Ordinal));
        var (street, communities, subjects, officer) = await ReadAsync(async s => (
            await s.GetStreetAsync("jiangdong"), await s.ListCommunitiesAsync("jiangdong"), await s.ListSubjectsAsync("jiangdong"), await s.FindStaffByTokenHashAsync(Ids.Hash(token))));
        Assert.Equal("江东街道", street!.Name);
        Assert.Equal(["jiedao", "xincun"], communities.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, subjects.Count);
        Assert.Equal(("张主任", "jiangdong"), (officer!.Name, officer.StreetId));
    }

    [Fact]
    public async Task The_first_officer_and_their_token_are_in_the_street_s_staff_actions_as_the_command_line_s_doing()
    {
        // Who gave whom access: the keys handed out on day one are the first thing an officer checks after a leak.
        var file = Write("花名册.csv", DayOne);

        var (exit, _, error) = await RunAsync(file, "--street", "jiangdong", "--new-street", "江东街道", "--officer", "张主任");

        Assert.True(exit == 0, error);
        var officer = Assert.Single(await ReadAsync(s => s.ListStaffAsync("jiangdong")));
        var actions = await ReadAsync(s => s.StaffActionsAsync("jiangdong", null, 50));
        Assert.Contains(actions, a => (a.ActorId, a.Action, a.TargetId, a.Detail) == (StaffActions.Console, StaffActions.StaffCreated, officer.Id, "officer"));
        Assert.Contains(actions, a => (a.ActorId, a.Action, a.TargetId, a.Detail) == (StaffActions.Console, StaffActions.TokenIssued, officer.Id, "officer"));
    }

    [Fact]
    public async Task Importing_again_reports_everything_unchanged_and_exits_zero()
    {
        var file = Write("花名册.csv", DayOne);
        await RunAsync(file, "--street", "jiangdong", "--new-street", "江东街道");

        var (exit, output, _) = await RunAsync(file, "--street", "jiangdong");

        Assert.Equal(0, exit);
        Assert.Contains("created 0, updated 0, unchanged 5, deactivated 0", output);
    }

    [Fact]
    public async Task A_dry_run_undoes_even_the_new_street()
    {
        var file = Write("roster.xlsx", DayOne);

        var (exit, output, _) = await RunAsync(file, "--street", "jiangdong", "--new-street", "江东街道", "--officer", "张主任", "--dry-run");

        Assert.Equal(0, exit);
        Assert.Contains("Dry run, nothing written", output);
        Assert.DoesNotContain("st_", output);
        Assert.Null(await ReadAsync(s => s.GetStreetAsync("jiangdong")));
    }

    [Fact]
    public async Task A_new_street_whose_roster_names_a_community_id_another_street_holds_is_refused_saying_so_and_nothing_is_created()
    {
        // Community ids are the service's, not a street's: two streets of a district may both have a 新村 (xincun).
        var file = Write("花名册.csv", DayOne);
        Assert.Equal(0, (await RunAsync(file, "--street", "jiangdong", "--new-street", "江东街道", "--officer", "张主任")).Exit);

        var (exit, _, error) = await RunAsync(file, "--street", "beiyuan", "--new-street", "北苑街道", "--officer", "李主任");

        Assert.Equal(1, exit);
        Assert.Contains("xincun", error);
        Assert.Contains("another street", error);
        Assert.DoesNotContain("No community", error);
        Assert.Null(await ReadAsync(s => s.GetStreetAsync("beiyuan")));
    }

    [Fact]
    public async Task Wrong_rows_are_printed_and_the_exit_code_is_one()
    {
        var file = Write("roster.csv", [RosterFile.Header, ["房东", "xincun", "楼新民", "123", "", "", "", ""]], new UTF8Encoding(true));

        var (exit, output, error) = await RunAsync(file, "--street", "jiangdong", "--new-street", "江东街道");

        Assert.Equal(1, exit);
        Assert.Contains("Nothing imported: 1 problem(s)", output);
        Assert.Contains("第2行 电话", error);
        Assert.Null(await ReadAsync(s => s.GetStreetAsync("jiangdong")));
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_one_line_and_exit_1()
    {
        if (!OperatingSystem.IsLinux()) return;
        // It exists, but reading it fails (as a file the service account may not read does; root may read any file).
        var (exit, _, error) = await RunAsync("/proc/self/mem", "--street", "houzhai");

        Assert.Equal(1, exit);
        Assert.StartsWith("Cannot read '/proc/self/mem'", error);
    }

    [Fact]
    public async Task A_file_not_found_names_the_full_path_looked_at_for_dotnet_run_reads_a_relative_one_from_the_project_s_folder()
    {
        var (exit, _, error) = await RunAsync("花名册-not-here.xlsx", "--street", "jiangdong");

        Assert.Equal(1, exit);
        Assert.Contains(Path.GetFullPath("花名册-not-here.xlsx"), error);
        Assert.Contains("full path", error);
    }

    [Fact]
    public async Task An_unknown_street_is_refused_with_a_hint()
    {
        var file = Write("roster.csv", DayOne);

        var (exit, _, error) = await RunAsync(file, "--street", "jiangdong");

        Assert.Equal(1, exit);
        Assert.Contains("--new-street", error);
    }

    [Theory]
    [InlineData]
    [InlineData("roster.csv")]
    [InlineData("--street", "houzhai")]
    public async Task Without_a_file_and_a_street_it_prints_the_usage(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(64, exit);
        Assert.StartsWith("Usage:", error);
    }
}
