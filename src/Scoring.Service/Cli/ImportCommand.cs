using Scoring.Application;
using Scoring.Service.Features;
using Scoring.Storage;

namespace Scoring.Service.Cli;

/// <summary>
/// <c>import &lt;file&gt; --street &lt;id&gt; [--dry-run] [--new-street &lt;name&gt;] [--officer &lt;name&gt;]</c>: the roster
/// import of the API, run by whoever runs the service (access to the server is the authority, so the whole street
/// is in scope). On day one <c>--new-street</c> creates the street and the communities the file names, and
/// <c>--officer</c> a first officer whose token is printed once. Setup and import are one transaction: all or nothing,
/// and a dry run undoes both. Prints the summary and every row's problems; exit code 0 when the file was (or, dry,
/// would be) imported, 1 when anything is wrong, 2 when the configuration cannot work, 64 on a usage error.
/// </summary>
public static class ImportCommand
{
    public const string Usage =
        "Usage: dotnet run --project src/Scoring.Service -- import <roster.xlsx|roster.csv> --street <street-id> [--dry-run] [--new-street <name>] [--officer <name>] [--migrate] [--Key=value ...]";

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "import";

    /// <summary>Ends a unit of work without keeping it (a dry run, or a refusal), carrying out what it found.</summary>
    private sealed class Undo(object result) : Exception("undone")
    {
        public object Result { get; } = result;
    }

    private sealed record Run(StreetSetupReport? Setup, Outcome<StreetSetupReport>? SetupRefused, Outcome<ImportReport> Import);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        string? file = null, street = null, newStreet = null, officer = null;
        bool dryRun = false, usage = false;
        var settings = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            var a = args[i];
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            if (a is "--dry-run" or "--dryRun") dryRun = true;
            else if (a == "--street") street = Value();
            else if (a == "--new-street") newStreet = Value() ?? "";
            else if (a == "--officer") officer = Value() ?? "";
            else if (a.StartsWith("--street=", StringComparison.Ordinal)) street = a["--street=".Length..];
            else if (a.StartsWith("--", StringComparison.Ordinal)) settings.Add(a);
            else if (file is null) file = a;
            else usage = true;
        }
        if (usage || file is null || string.IsNullOrWhiteSpace(street) || newStreet == "" || officer == "")
        {
            await error.WriteLineAsync(Usage);
            return 64;
        }
        if (!File.Exists(file))
        {
            // dotnet run runs the service in its project's folder, not where the operator typed the command: say where we looked.
            await error.WriteLineAsync(Path.IsPathRooted(file)
                ? $"No file '{file}'."
                : $"No file '{file}' (looked for {Path.GetFullPath(file)}; a relative path is read from the working folder, src/Scoring.Service/ under dotnet run: give the file's full path).");
            return 1;
        }
        if (new FileInfo(file).Length > RosterFiles.MaxUploadBytes)
        {
            await error.WriteLineAsync($"'{file}' is larger than {RosterFiles.MaxUploadBytes / (1024 * 1024)} MB, the limit of a roster.");
            return 1;
        }

        RosterSheet sheet;
        try
        {
            await using var content = File.OpenRead(file);
            sheet = RosterFiles.Read(content, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot read '{file}': {e.Message}");
            return 1;
        }

        return await CommandStart.RunAsync(settings, error, services => ImportAsync(services, sheet, street, newStreet, officer, dryRun, output, error), dryRun: dryRun);
    }

    private static async Task<int> ImportAsync(IServiceProvider services, RosterSheet sheet, string street, string? newStreet, string? officer, bool dryRun, TextWriter output, TextWriter error)
    {
        var db = services.GetRequiredService<Database>();
        var import = services.GetRequiredService<RosterImport>();
        var setup = services.GetRequiredService<StreetSetup>();

        Run run;
        try
        {
            run = await db.WriteAsync(async s =>
            {
                StreetSetupReport? prepared = null;
                if (newStreet is not null || officer is not null)
                {
                    var outcome = await setup.PrepareInAsync(s, street, newStreet ?? street, newStreet is null ? [] : RosterImport.CommunitiesNamed(sheet), officer);
                    if (outcome.Failure is not null) throw new Undo(new Run(null, outcome, default));
                    prepared = outcome.Value;
                }
                var imported = await import.ImportInAsync(s, null, street, sheet, apply: !dryRun);
                var result = new Run(prepared, null, imported);
                if (dryRun || imported.Failure is not null || imported.Value!.HasErrors) throw new Undo(result);
                return result;
            });
        }
        catch (Undo undo)
        {
            run = (Run)undo.Result;
        }

        if (run.SetupRefused?.Failure is { } refused)
        {
            await error.WriteLineAsync($"{refused.Chinese} / {refused.English}");
            return 1;
        }
        if (run.Import.Failure is { } failure)
        {
            await error.WriteLineAsync($"{failure.Chinese} / {failure.English}");
            if (failure.Code == "street-not-found" && newStreet is null)
                await error.WriteLineAsync("A new street? Add --new-street <its name> (and --officer <name> for its first officer).");
            return 1;
        }
        var report = run.Import.Value!;
        bool kept = !dryRun && !report.HasErrors;
        if (run.Setup is { } done) await SetupLines(done, kept, output);
        await Summary(report, dryRun, output);
        foreach (var n in report.Notices)
            await output.WriteLineAsync($"  注意 第{n.Row}行{(n.Column is null ? "" : $" {n.Column}")}：{n.Problem}");
        foreach (var p in report.Errors)
            await error.WriteLineAsync($"  第{p.Row}行{(p.Column is null ? "" : $" {p.Column}")}：{p.Problem}");
        return report.HasErrors ? 1 : 0;
    }

    private static async Task SetupLines(StreetSetupReport done, bool kept, TextWriter output)
    {
        var verb = kept ? "" : "(not kept) ";
        if (done.StreetCreated) await output.WriteLineAsync($"{verb}Street created with the default rules / 已创建街道（默认规则）");
        if (done.CommunitiesCreated.Count > 0)
            await output.WriteLineAsync($"{verb}Communities created (named by id; rename with PUT /api/communities/{{id}}) / 已创建社区：{string.Join(", ", done.CommunitiesCreated)}");
        if (done.Officer is { } officer && kept)
        {
            await output.WriteLineAsync($"Officer {officer.Name} ({officer.Id}) created. Their token, shown only now / 工作人员令牌（仅显示一次）：");
            await output.WriteLineAsync(done.OfficerToken);
        }
    }

    private static Task Summary(ImportReport r, bool dryRun, TextWriter output)
    {
        var counts = $"created {r.Created}, updated {r.Updated}, unchanged {r.Unchanged}, deactivated {r.Deactivated}";
        var zh = $"新增{r.Created}，更新{r.Updated}，未变{r.Unchanged}，停用{r.Deactivated}";
        var line = r.HasErrors ? $"Nothing imported: {r.Errors.Count} problem(s) / 未导入：{r.Errors.Count}个问题"
            : dryRun ? $"Dry run, nothing written: would be {counts} / 试运行，未写入：将{zh}"
            : $"Imported: {counts} / 已导入：{zh}";
        return output.WriteLineAsync(line);
    }
}
