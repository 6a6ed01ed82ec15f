namespace Scoring.Service.Cli;

/// <summary>
/// The command line's verbs, tried before the service starts: the first word names one (<c>import</c>, <c>staff</c>,
/// <c>backup</c>, <c>check-backup</c>, <c>restore</c>, <c>chat</c>), or asks for help (<c>--help</c>, <c>-h</c>, <c>help</c>), which lists them; anything else
/// is the service's own configuration (<c>--Key=value</c>, <c>--urls</c>). Without the help an operator who typed
/// <c>--help</c> got a running service (and, in Development, a demo street seeded) instead of an answer.
/// </summary>
public static class Verbs
{
    private const string Run = "dotnet run --project src/Scoring.Service --";

    /// <returns>The verb's exit code, or null when the arguments are the service's.</returns>
    public static async Task<int?> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (args is ["--help" or "-h" or "help" or "-?" or "/?", ..])
        {
            await output.WriteAsync(Help());
            return 0;
        }
        if (StaffCommands.Handles(args)) return await StaffCommands.RunAsync(args, output, error); // staff token <id>
        if (BackupCommand.Handles(args)) return await BackupCommand.RunAsync(args, output, error); // backup <file>
        if (CheckBackupCommand.Handles(args)) return await CheckBackupCommand.RunAsync(args, output, error); // check-backup <file>
        if (RestoreCommand.Handles(args)) return await RestoreCommand.RunAsync(args, output, error); // restore <file> [--force]
        if (ImportCommand.Handles(args)) return await ImportCommand.RunAsync(args, output, error); // import <file> --street <id> [--dry-run]
        if (ChatTerminal.Handles(args)) return await ChatTerminal.RunAsync(args, input, output, error); // chat --as <code> [--url …]
        return null;
    }

    /// <summary>Each verb's own usage line, so the list cannot drift from what the verbs accept.</summary>
    private static string Help()
    {
        static string Line(string usage) => "  " + usage.Replace("Usage: " + Run + " ", "", StringComparison.Ordinal);
        return string.Join(Environment.NewLine,
        [
            $"Usage: {Run} [--Key=value ...]        runs the service (e.g. --urls http://127.0.0.1:5000, --Storage:Provider=SqlServer)",
            $"       {Run} <verb> ...",
            "Verbs (import, staff, backup and restore take the service's configuration too, e.g. --ConnectionStrings:Scoring=...):",
            Line(ImportCommand.Usage),
            "      a street's roster, checked with --dry-run first; on day one --new-street and --officer set the street up",
            Line(StaffCommands.Usage),
            "      a staff member's bearer token, printed once; or takes back all of theirs, with their unused codes and chat accounts",
            Line(BackupCommand.Usage),
            "      a checked copy of the SQLite database, taken while the service runs",
            Line(CheckBackupCommand.Usage),
            "      whether a copy can be restored: whole, Scoring's, its schema against this build's, when taken, what it holds",
            Line(RestoreCommand.Usage),
            "      puts a checked copy in place of the database, every instance stopped; the replaced files are moved aside",
            Line(ChatTerminal.Usage),
            "      chat with a running service (Development, Bot:AllowUnauthenticated=true)",
            "import and staff run on a database at this build's schema: an older release's is migrated only with --migrate",
            "(upgrade the service first instead), a newer release's is refused; a dry run never migrates.",
            "A relative path is read from the working folder: src/Scoring.Service/ under dotnet run. README.md says more.",
            "",
        ]);
    }
}
