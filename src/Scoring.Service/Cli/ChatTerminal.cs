using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scoring.Application;
using Scoring.Bot.Protocol;

namespace Scoring.Service.Cli;

/// <summary>
/// <c>chat --as &lt;enrolment-code&gt; [--url http://localhost:5000] [--locale zh-CN]</c>: a newcomer's chat with a
/// running service from the terminal. It speaks the same Bot Framework protocol as any channel, asking for
/// the replies in the HTTP response (<c>deliveryMode: expectReplies</c>), binds with the code first, then
/// sends each line typed. Buttons and card actions are shown as numbered choices: type the number.
/// The service must accept anonymous chat (Development: <c>Bot:AllowUnauthenticated=true</c>).
/// </summary>
public static class ChatTerminal
{
    public const string Usage = "Usage: dotnet run --project src/Scoring.Service -- chat --as <enrolment-code> [--url http://localhost:5000] [--locale zh-CN]";

    private const string Channel = "terminal";

    // Nobody listens here: the terminal reads its replies in the response, and notices meant for it cannot be delivered.
    private const string NoConnector = "http://127.0.0.1:9/";

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "chat";

    /// <returns>0 when the chat ended normally, 1 when the service could not be reached or refused, 64 on a usage error.</returns>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, HttpMessageHandler? handler = null)
    {
        var options = Options(args.Skip(1).ToArray());
        if (options is null || !options.TryGetValue("as", out var code) || string.IsNullOrWhiteSpace(code)
            || !Uri.TryCreate(options.GetValueOrDefault("url", "http://localhost:5000"), UriKind.Absolute, out var url)
            || url.Scheme is not ("http" or "https")) // "localhost:5000" parses too, with the scheme "localhost"
        {
            await error.WriteLineAsync(Usage);
            return 64;
        }
        var locale = options.GetValueOrDefault("locale", "zh-CN");
        // The same code always speaks as the same chat account, so running the terminal again finds the binding.
        var userId = "terminal-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().ToUpperInvariant())))[..16];
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = TimeSpan.FromSeconds(30);
        var chat = new Conversation(http, new Uri(url, "api/messages"), userId, locale);

        await output.WriteLineAsync(locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase)
            ? $"正在连接 {url} …（输入数字选择按钮，/quit 退出）"
            : $"Connecting to {url} … (type a number to pick a button, /quit to leave)");
        var choices = new List<Choice>();
        if (!await ExchangeAsync(chat, new Outgoing(Enrolment.BindCommand(code.Trim()), null), output, error, choices)) return 1;

        while (await input.ReadLineAsync() is { } line)
        {
            line = line.Trim();
            if (line is "/quit" or "/exit") break;
            if (line.Length == 0) continue;
            Outgoing message;
            if (int.TryParse(line, out var number) && number >= 1 && number <= choices.Count)
            {
                var choice = choices[number - 1];
                message = choice.Value is { } data ? new Outgoing(null, await WithReasonAsync(data, choice.AsksReason, input, output)) : new Outgoing(choice.Text, null);
                await output.WriteLineAsync($"> {choice.Title}");
            }
            else
            {
                message = new Outgoing(line, null);
            }
            if (!await ExchangeAsync(chat, message, output, error, choices)) return 1;
        }
        return 0;
    }

    private sealed record Outgoing(string? Text, JsonObject? Value);

    /// <summary>A numbered choice: a button that sends text, or a card action that sends data.</summary>
    private sealed record Choice(string Title, string? Text, JsonObject? Value, bool AsksReason);

    private sealed class Conversation(HttpClient http, Uri endpoint, string userId, string locale)
    {
        private readonly string conversationId = "terminal-" + Guid.NewGuid().ToString("N");

        public async Task<HttpResponseMessage> SendAsync(Outgoing message)
        {
            var activity = new Activity
            {
                Type = ActivityTypes.Message,
                Id = Guid.NewGuid().ToString("N"),
                ChannelId = Channel,
                ServiceUrl = NoConnector,
                From = new ChannelAccount { Id = userId, Name = "terminal", Role = "user" },
                Recipient = Reply.DefaultBotAccount(),
                Conversation = new ConversationAccount { Id = conversationId },
                Locale = locale,
                Text = message.Text,
                Value = message.Value is null ? null : JsonSerializer.SerializeToElement(message.Value),
                DeliveryMode = DeliveryModes.ExpectReplies,
            };
            return await http.PostAsJsonAsync(endpoint, activity, ActivityJson.Options);
        }
    }

    private static async Task<bool> ExchangeAsync(Conversation chat, Outgoing message, TextWriter output, TextWriter error, List<Choice> choices)
    {
        HttpResponseMessage response;
        try
        {
            response = await chat.SendAsync(message);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"Cannot reach the service ({e.GetType().Name}). Is it running? Start it with: dotnet run --project src/Scoring.Service");
            return false;
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                await error.WriteLineAsync("The service refuses anonymous chat. Run it in Development (or with --Bot:AllowUnauthenticated=true in Development/Testing).");
                return false;
            }
            if (!response.IsSuccessStatusCode)
            {
                await error.WriteLineAsync($"The service answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return false;
            }
            var body = await response.Content.ReadAsStringAsync();
            try
            {
                var replies = new List<Activity>();
                if (body.Length > 0 && JsonNode.Parse(body)?["activities"] is JsonArray activities)
                    foreach (var node in activities)
                        if (node is not null && node.Deserialize<Activity>(ActivityJson.Options) is { } activity) replies.Add(activity);
                choices.Clear();
                foreach (var reply in replies) await PrintAsync(reply, output, choices);
                return true;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // Another server on that port (a web page, a proxy) rather than the bot.
                await error.WriteLineAsync($"The service at {response.RequestMessage?.RequestUri} did not answer like a bot (no {{\"activities\": [...]}}). Is --url right?");
                return false;
            }
        }
    }

    private static async Task PrintAsync(Activity reply, TextWriter output, List<Choice> choices)
    {
        if (!string.IsNullOrWhiteSpace(reply.Text))
        {
            var lines = reply.Text.Replace("\r", "").Split('\n');
            await output.WriteLineAsync("bot> " + lines[0]);
            foreach (var line in lines.Skip(1)) await output.WriteLineAsync("     " + line);
        }
        foreach (var attachment in reply.Attachments ?? [])
        {
            if (attachment.ContentType != Reply.AdaptiveCardContentType || attachment.Content is not { } content) continue;
            var card = JsonNode.Parse(content.GetRawText());
            await output.WriteLineAsync("     ┌────────");
            foreach (var text in CardTexts(card?["body"])) await output.WriteLineAsync("     │ " + text);
            var asksReason = card?["body"] is JsonArray body && body.Any(b => b?["type"]?.GetValue<string>() == "Input.Text" && b["id"]?.GetValue<string>() == "reason");
            var buttons = new List<string>();
            foreach (var action in card?["actions"] as JsonArray ?? [])
            {
                if (action?["type"]?.GetValue<string>() != "Action.Submit" || action["data"] is not JsonObject data) continue;
                var title = action["title"]?.GetValue<string>() ?? "?";
                var isReject = data["action"]?.GetValue<string>() == "reject";
                choices.Add(new Choice($"{title} {data["id"]?.GetValue<string>()}", null, (JsonObject)data.DeepClone(), asksReason && isReject));
                buttons.Add($"[{choices.Count}] {title}");
            }
            await output.WriteLineAsync("     └ " + string.Join("  ", buttons));
        }
        if (reply.SuggestedActions?.Actions is { Count: > 0 } actions)
        {
            var buttons = new List<string>();
            foreach (var action in actions)
            {
                var value = action.Value is { ValueKind: JsonValueKind.String } v ? v.GetString() : action.Text ?? action.Title;
                choices.Add(new Choice(action.Title ?? value ?? "?", value ?? action.Title, null, false));
                buttons.Add($"[{choices.Count}] {action.Title ?? value}");
            }
            await output.WriteLineAsync("     " + string.Join("  ", buttons));
        }
    }

    private static IEnumerable<string> CardTexts(JsonNode? body)
    {
        foreach (var element in body as JsonArray ?? [])
        {
            switch (element?["type"]?.GetValue<string>())
            {
                case "TextBlock":
                    yield return element["text"]?.GetValue<string>() ?? "";
                    break;
                case "FactSet":
                    foreach (var fact in element["facts"] as JsonArray ?? [])
                        yield return $"{fact?["title"]?.GetValue<string>()}: {fact?["value"]?.GetValue<string>()}";
                    break;
            }
        }
    }

    private static async Task<JsonObject> WithReasonAsync(JsonObject data, bool asksReason, TextReader input, TextWriter output)
    {
        var value = (JsonObject)data.DeepClone();
        if (asksReason)
        {
            await output.WriteAsync("reason> ");
            value["reason"] = (await input.ReadLineAsync())?.Trim() ?? "";
        }
        return value;
    }

    /// <summary>--name value pairs; null when a flag has no value.</summary>
    private static Dictionary<string, string>? Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) return null;
            var name = args[i][2..];
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                options[name[..eq]] = name[(eq + 1)..];
                continue;
            }
            if (i + 1 >= args.Length) return null;
            options[name] = args[++i];
        }
        return options;
    }
}
