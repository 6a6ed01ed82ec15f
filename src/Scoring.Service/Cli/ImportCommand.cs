using Scoring.Application;
using Scoring.Service.Features;
using Scoring.Service.Hosting;
using Scoring.Storage;

namespace Scoring.Service.Cli;

/// <summary>
/// <c>import &lt;file&gt; --street &lt;id&gt; [--dry-run]</c>: the roster import of the API, run by whoever runs the
/// service (access to the server is the authority, so the whole street is in scope). Prints the summary and every
/// row's problems; exit code 0 when the file was (or, dry, would be) imported, 1 when anything is wrong.
/// Configuration comes as for the service (appsettings, environment, <c>--Key=value</c>).
/// </summary>
public static class ImportCommand
{
    public const string Usage = "Usage: dotnet run --project src/Scoring.Service -- import <roster.xlsx|roster.csv> --street <street-id> [--dry-run] [--Key=value ...]";

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "import";

    /// <returns>0 when imported (or importable, dry), 1 when refused or any row is wrong, 64 on a usage error.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        string? file = null, street = null;
        bool dryRun = false;
        var settings = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "--dry-run" or "--dryRun") dryRun = true;
            else if (a == "--street" && i + 1 < args.Length) street = args[++i];
            else if (a.StartsWith("--street=", StringComparison.Ordinal)) street = a["--street=".Length..];
            else if (a.StartsWith("--", StringComparison.Ordinal)) settings.Add(a);
            else if (file is null) file = a;
            else { file = null; break; }
        }
        if (file is null || string.IsNullOrWhiteSpace(street))
        {
            await error.WriteLineAsync(Usage);
            return 64;
        }
        if (!File.Exists(file))
        {
            await error.WriteLineAsync($"No file '{file}'.");
            return 1;
        }
        if (new FileInfo(file).Length > RosterFiles.MaxUploadBytes)
        {
            await error.WriteLineAsync($"'{file}' is larger than {RosterFiles.MaxUploadBytes / (1024 * 1024)} MB, the limit of a roster.");
            return 1;
        }

        var builder = WebApplication.CreateBuilder(settings.ToArray());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddScoring();
        await using var app = builder.Build();
        await Migrator.MigrateAsync(app.Services.GetRequiredService<Database>(), app.Services.GetRequiredService<TimeProvider>());

        RosterSheet sheet;
        await using (var content = File.OpenRead(file)) sheet = RosterFiles.Read(content, file);
        var outcome = await app.Services.GetRequiredService<RosterImport>().ImportAsync(null, street, sheet, dryRun);
        if (outcome.Failure is { } failure)
        {
            await error.WriteLineAsync($"{failure.Chinese} / {failure.English}");
            return 1;
        }
        var report = outcome.Value!;
        await Summary(report, dryRun, output);
        foreach (var p in report.Errors)
            await error.WriteLineAsync($"  第{p.Row}行{(p.Column is null ? "" : $" {p.Column}")}: {p.Problem}");
        return report.HasErrors ? 1 : 0;
    }

    private static Task Summary(ImportReport r, bool dryRun, TextWriter output)
    {
        var counts = $"created {r.Created}, updated {r.Updated}, unchanged {r.Unchanged}, deactivated {r.Deactivated}";
        var zh = $"新增{r.Created},更新{r.Updated},未变{r.Unchanged},停用{r.Deactivated}";
        var line = r.HasErrors ? $"Nothing imported: {r.Errors.Count} problem(s) / 未导入:{r.Errors.Count}个问题"
            : dryRun ? $"Dry run, nothing written: would be {counts} / 试运行,未写入:将{zh}"
            : $"Imported: {counts} / 已导入:{zh}";
        return output.WriteLineAsync(line);
    }
}
