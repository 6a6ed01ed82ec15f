namespace Scoring.Service.Tests.Cli;

/// <summary>A CLI verb run as the console runs it, with what it wrote to stdout and stderr.</summary>
internal static class VerbRun
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(Func<TextWriter, TextWriter, Task<int>> verb)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await verb(output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
