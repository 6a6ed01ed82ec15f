using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Weeks;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// Conversations written down as JSON (Transcripts/*.json): who says what, and what the bot's answer
/// must (and must not) contain. Placeholders: <c>{code:person-id}</c> is that person's enrolment code,
/// <c>{event}</c> the id of the latest event in the ledger, <c>{event-1}</c> the one before it.
/// </summary>
public sealed partial class TranscriptTests
{
    public sealed class Transcript
    {
        public string Name { get; set; } = "";
        public string Locale { get; set; } = "zh-CN";
        public DateTimeOffset? Now { get; set; }
        public List<Step> Steps { get; set; } = [];
    }

    public sealed class Step
    {
        public string? As { get; set; }
        public string? Say { get; set; }
        public JsonElement? Submit { get; set; }
        public bool Join { get; set; }
        public string? Locale { get; set; }
        public List<string> Expect { get; set; } = [];
        public List<string> ExpectNot { get; set; } = [];
        public List<string> Buttons { get; set; } = [];
        public int? Cards { get; set; }
        /// <summary>Moves the clock on (a TimeSpan like "00:31:00" or "7.00:00:00").</summary>
        public TimeSpan? Advance { get; set; }
        /// <summary>The officer publishes last week's list of this kind ("landlord" or "shop-head").</summary>
        public string? Publish { get; set; }
        /// <summary>How many events the ledger holds after this step.</summary>
        public int? Events { get; set; }
        /// <summary>Restart the service on the same database before this step.</summary>
        public bool Restart { get; set; }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    private static string Folder([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Transcripts");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Folder(), "*.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void There_are_transcripts_to_run() => Assert.True(Files().Count >= 8, $"transcripts in {Folder()}");

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Transcript_plays_as_written(string file)
    {
        var transcript = JsonSerializer.Deserialize<Transcript>(await File.ReadAllTextAsync(Path.Combine(Folder(), file)), Json)!;
        await using var world = await ChatWorld.CreateAsync(transcript.Now);
        int n = 0;
        foreach (var step in transcript.Steps)
        {
            n++;
            var where = $"{file} step {n}";
            if (step.Restart) await world.RestartAsync();
            if (step.Advance is { } by) world.Clock.Advance(by);
            if (step.Publish is { } kind) await PublishLastWeekAsync(world, kind, where);
            if (step.As is { } who)
            {
                // People take a moment between messages; a frozen clock would make every audit line simultaneous.
                world.Clock.Advance(TimeSpan.FromSeconds(2));
                var locale = step.Locale ?? transcript.Locale;
                IReadOnlyList<Scoring.Bot.Protocol.Activity> replies;
                if (step.Join) replies = await world.DeliverAsync(world.Join(who, locale));
                else if (step.Submit is { } value) replies = await world.DeliverAsync(world.Message(who, null, locale, JsonSerializer.SerializeToElement(await FillJsonAsync(world, value))));
                else replies = await world.DeliverAsync(world.Message(who, await FillAsync(world, step.Say ?? ""), locale));

                var said = ChatWorld.ActivityText(replies);
                foreach (var expected in step.Expect)
                {
                    var text = await FillAsync(world, expected);
                    Assert.True(said.Contains(text, StringComparison.Ordinal), $"{where}: expected \"{text}\" in:\n{said}");
                }
                foreach (var unexpected in step.ExpectNot)
                {
                    var text = await FillAsync(world, unexpected);
                    Assert.False(said.Contains(text, StringComparison.Ordinal), $"{where}: did not expect \"{text}\" in:\n{said}");
                }
                var buttons = replies.SelectMany(r => r.SuggestedActions?.Actions ?? []).Select(a => a.Title ?? "").ToList();
                foreach (var wanted in step.Buttons)
                {
                    var button = await FillAsync(world, wanted);
                    Assert.True(buttons.Any(b => b.Contains(button, StringComparison.Ordinal)), $"{where}: expected a button \"{button}\" among [{string.Join(", ", buttons)}]");
                }
                if (step.Cards is { } cards)
                    Assert.Equal(cards, replies.Sum(r => r.Attachments?.Count(a => a.ContentType == Scoring.Bot.Protocol.Reply.AdaptiveCardContentType) ?? 0));
            }
            if (step.Events is { } events)
                Assert.True(events == await world.CountAsync("SELECT COUNT(*) FROM score_events"), $"{where}: expected {events} events in the ledger");
        }
    }

    private static async Task PublishLastWeekAsync(ChatWorld world, string kind, string where)
    {
        Assert.True(SubjectKinds.TryParse(kind, out var k), where);
        var officer = await world.StaffAsync("officer-1");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var week = IsoWeek.Containing(world.Clock.GetUtcNow(), zone).Previous();
        var publication = (Publication)world.Services.GetService(typeof(Publication))!;
        var published = await publication.PublishAsync(officer, "houzhai", week, k, null);
        Assert.True(published.Succeeded, $"{where}: {published.Failure?.English}");
    }

    private static async Task<string> FillAsync(ChatWorld world, string text)
    {
        foreach (Match m in EventRef().Matches(text))
        {
            var back = m.Groups[1].Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            text = text.Replace(m.Value, await world.LatestEventIdAsync(back), StringComparison.Ordinal);
        }
        return Code().Replace(text, m => world.CodeOf(m.Groups[1].Value));
    }

    private static async Task<Dictionary<string, string>> FillJsonAsync(ChatWorld world, JsonElement value)
    {
        var filled = new Dictionary<string, string>();
        foreach (var property in value.EnumerateObject()) filled[property.Name] = await FillAsync(world, property.Value.GetString() ?? "");
        return filled;
    }

    [GeneratedRegex(@"\{code:([a-z0-9-]+)\}")]
    private static partial Regex Code();

    [GeneratedRegex(@"\{event(?:-([0-9]))?\}")]
    private static partial Regex EventRef();
}
