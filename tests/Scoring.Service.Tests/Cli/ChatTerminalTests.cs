using System.Net;
using System.Text;
using Scoring.Service.Cli;

namespace Scoring.Service.Tests.Cli;

public sealed class ChatTerminalTests
{
    /// <summary>Answers every request with one fixed response, as whatever listens at --url might.</summary>
    private sealed class Answer(HttpStatusCode status, string body, string contentType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, contentType) });
    }

    private static async Task<(int Exit, string Error)> ChatAsync(string url, HttpMessageHandler? handler = null)
    {
        var error = new StringWriter();
        var exit = await ChatTerminal.RunAsync(["chat", "--as", "ABCD1234", "--url", url], new StringReader(""), new StringWriter(), error, handler);
        return (exit, error.ToString());
    }

    [Theory]
    [InlineData("localhost:5000")] // parses as a URI with the scheme "localhost"
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("file:///etc/passwd")]
    public async Task A_url_that_is_not_http_is_a_usage_error(string url)
    {
        var (exit, error) = await ChatAsync(url);

        Assert.Equal(64, exit);
        Assert.Contains("--url", error);
    }

    [Theory]
    [InlineData("<html><body>Welcome</body></html>", "text/html")]
    [InlineData("[]", "application/json")]
    [InlineData("""{"activities":[{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","body":[{"type":"TextBlock","text":5}]}}]}]}""", "application/json")]
    public async Task An_answer_that_is_not_a_bot_s_is_one_line_and_exit_1(string body, string contentType)
    {
        var (exit, error) = await ChatAsync("http://127.0.0.1:1/", new Answer(HttpStatusCode.OK, body, contentType));

        Assert.Equal(1, exit);
        Assert.Contains("did not answer like a bot", error);
        Assert.DoesNotContain("   at ", error);
    }
}
