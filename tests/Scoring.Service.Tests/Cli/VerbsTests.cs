using Scoring.Service.Cli;

namespace Scoring.Service.Tests.Cli;

/// <summary>The command line as a new operator meets it: asking for help lists the verbs instead of starting the service.</summary>
public sealed class VerbsTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Asking_for_help_lists_every_verb_with_its_usage_and_starts_nothing(string ask)
    {
        var output = new StringWriter();

        var exit = await Verbs.RunAsync([ask], TextReader.Null, output, TextWriter.Null);

        Assert.Equal(0, exit);
        var help = output.ToString();
        foreach (var verb in new[] { "import <roster.xlsx|roster.csv> --street <street-id>", "staff token <staff-id>", "staff revoke <staff-id>", "backup <file>", "check-backup <file>", "restore <file>", "chat --as <enrolment-code>" })
            Assert.Contains(verb, help);
        Assert.Contains("--urls", help); // and how the service itself is started
    }

    [Fact]
    public async Task Anything_but_a_verb_or_a_request_for_help_is_left_to_the_service()
    {
        var exit = await Verbs.RunAsync(["--urls", "http://127.0.0.1:5000", "--Storage:Provider=Sqlite"], TextReader.Null, TextWriter.Null, TextWriter.Null);

        Assert.Null(exit);
    }
}
