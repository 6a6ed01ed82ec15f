using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using Scoring.Application;
using Scoring.Application.Demo;
using Scoring.Bot.Conversations;
using Scoring.Bot.Endpoint;
using Scoring.Bot.Protocol;
using Scoring.Bot.Turns;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// A fresh SQLite file with every migration and the demo street, a fake clock, and the service's
/// chat wiring (use cases, protocol layer, conversations, notices). Chat users are named after the
/// demo person they bind as: "landlord-1" speaks as chat account "chat-landlord-1".
/// </summary>
public sealed class ChatWorld : IAsyncDisposable
{
    public const string Channel = "test";
    public const string ServiceUrl = "http://connector.test";

    /// <summary>Wednesday of 2026-W47, 09:00 in Houzhai.</summary>
    public static readonly DateTimeOffset Wednesday = new(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly string folder;
    private readonly Dictionary<string, string> codes;
    private readonly IReadOnlyDictionary<string, string?>? settings;
    private int sequence;

    private ChatWorld(string folder, FakeTimeProvider clock, ServiceProvider services, Dictionary<string, string> codes, IReadOnlyDictionary<string, string?>? settings)
    {
        this.folder = folder;
        this.codes = codes;
        this.settings = settings;
        Clock = clock;
        Services = services;
    }

    public FakeTimeProvider Clock { get; }
    public ServiceProvider Services { get; private set; }
    public Database Db => Services.GetRequiredService<Database>();
    public IActivityHandler Handler => Services.GetRequiredService<IActivityHandler>();
    public string ConnectionString => $"Data Source={Path.Combine(folder, "scoring.db")};Pooling=False";

    /// <param name="scale">Synthetic landlords beside the demo's (Demo:Scale): load-i, bound as chat account load-i on the emulator channel.</param>
    /// <param name="settings">Configuration beside anonymous chat (every instance of the world gets it).</param>
    public static async Task<ChatWorld> CreateAsync(DateTimeOffset? now = null, int scale = 0, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = Directory.CreateTempSubdirectory("scoring-chat-").FullName;
        var clock = new FakeTimeProvider(now ?? Wednesday);
        var services = Build(folder, clock, settings);
        var db = services.GetRequiredService<Database>();
        await Migrator.MigrateAsync(db, clock);
        var credentials = Path.Combine(folder, "demo-credentials.json");
        await services.GetRequiredService<DemoStreet>().SeedIfEmptyAsync(credentials, scale);
        return new ChatWorld(folder, clock, services, ReadCodes(credentials), settings);
    }

    private static ServiceProvider Build(string folder, FakeTimeProvider clock, IReadOnlyDictionary<string, string?>? settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Bot:AllowUnauthenticated"] = "true" })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Testing" });
        services.AddScoringCore(StorageProvider.Sqlite, $"Data Source={Path.Combine(folder, "scoring.db")};Pooling=False");
        services.AddBot(configuration);
        services.AddChat();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// A second instance of the service on the same database (its own writer, caches and background work), with its own
    /// clock if given: what another process beside this one would be. The caller disposes it.
    /// </summary>
    /// <param name="settings">Its configuration instead of the world's (another app password: one changed since).</param>
    public ServiceProvider AnotherInstance(FakeTimeProvider? clock = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        Build(folder, clock ?? Clock, settings ?? this.settings);

    /// <summary>Stops everything and starts it again on the same database, as a service restart would.</summary>
    public async Task RestartAsync()
    {
        await Services.DisposeAsync();
        Services = Build(folder, Clock, settings);
    }

    private static Dictionary<string, string> ReadCodes(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var codes = new Dictionary<string, string>();
        foreach (var list in new[] { "staff", "subjects" })
            foreach (var person in doc.RootElement.GetProperty(list).EnumerateArray())
                if (person.TryGetProperty("enrolmentCode", out var code) && code.GetString() is { } c)
                    codes[person.GetProperty("id").GetString()!] = c;
        return codes;
    }

    public string CodeOf(string personId) => codes[personId];

    public static string UserOf(string who) => "chat-" + who;

    /// <summary>A message from a chat user, as a channel would deliver it.</summary>
    public Activity Message(string who, string? text, string locale = "zh-CN", JsonElement? value = null, string? id = null) => new()
    {
        Type = ActivityTypes.Message,
        Id = id ?? $"a{Interlocked.Increment(ref sequence)}",
        ChannelId = Channel,
        ServiceUrl = ServiceUrl,
        From = new ChannelAccount { Id = UserOf(who), Name = who },
        Recipient = new ChannelAccount { Id = "bot", Name = "Scoring", Role = "bot" },
        Conversation = new ConversationAccount { Id = "conv-" + who },
        Locale = locale,
        Text = text,
        Value = value,
    };

    /// <summary>
    /// A message in a group chat (everyone there reads the replies), optionally @mentioning the bot as Teams writes it: unless it
    /// mentions the bot (or is 榜单, 帮助, a /command or a card's data) the bot does not answer it.
    /// </summary>
    public Activity GroupMessage(string who, string text, string locale = "zh-CN", bool mentioningTheBot = false)
    {
        var message = Message(who, text, locale);
        message.Conversation!.IsGroup = true;
        if (mentioningTheBot)
            message.Entities = [JsonSerializer.SerializeToElement(new { type = "mention", mentioned = new { id = "bot", name = "Scoring" }, text = "<at>Scoring</at>" })];
        return message;
    }

    public Activity Join(string who, string locale = "zh-CN") => new()
    {
        Type = ActivityTypes.ConversationUpdate,
        Id = $"a{Interlocked.Increment(ref sequence)}",
        ChannelId = Channel,
        ServiceUrl = ServiceUrl,
        From = new ChannelAccount { Id = UserOf(who) },
        Recipient = new ChannelAccount { Id = "bot", Role = "bot" },
        Conversation = new ConversationAccount { Id = "conv-" + who },
        MembersAdded = [new ChannelAccount { Id = UserOf(who) }, new ChannelAccount { Id = "bot" }],
        Locale = locale,
    };

    /// <summary>Delivers an activity the way the endpoint does: to the handler, whose turn also keeps the sender's reference.</summary>
    public async Task<IReadOnlyList<Activity>> DeliverAsync(Activity activity, bool expectReplies = true) =>
        (await Handler.HandleAsync(activity, expectReplies, CancellationToken.None)).Replies;

    public Task<IReadOnlyList<Activity>> SayAsync(string who, string text, string locale = "zh-CN") => DeliverAsync(Message(who, text, locale));

    public Task<IReadOnlyList<Activity>> BindAsync(string who, string locale = "zh-CN") => SayAsync(who, $"绑定 {CodeOf(who)}", locale);

    public Task<IReadOnlyList<Activity>> SubmitAsync(string who, object value, string locale = "zh-CN") =>
        DeliverAsync(Message(who, null, locale, JsonSerializer.SerializeToElement(value)));

    /// <summary>
    /// Dates the whole roster's entry back to the start of <paramref name="week"/>: a week owes a kind's list only once its
    /// first was entered, and the demo's roster is entered when the world is made, so a test that publishes earlier weeks
    /// has its people entered before them.
    /// </summary>
    public Task RosterEnteredInAsync(Scoring.Domain.Weeks.IsoWeek week) => Db.WriteAsync(s => s.Connection.ExecuteAsync("UPDATE subjects SET created_at = @at",
        new { at = week.Start(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")) }, s.Transaction));

    public Task<long> CountAsync(string sql) => Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>(sql));

    /// <summary>The texts waiting in the outbox for a chat user's conversation, oldest first.</summary>
    public async Task<IReadOnlyList<string>> OutboxTextsAsync(string who)
    {
        var rows = await Db.ReadAsync(s => s.Connection.QueryAsync<string>(
            "SELECT activity_json FROM bot_outbox WHERE conversation_id = @c ORDER BY seq", new { c = "conv-" + who }));
        return rows.Select(json => ActivityText(ActivityJson.Parse(json)!)).ToList();
    }

    /// <summary>The id of the latest event in the ledger (or the one <paramref name="back"/> before it).</summary>
    public async Task<string> LatestEventIdAsync(int back = 0) =>
        await Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>(
            "SELECT id FROM score_events ORDER BY reported_at DESC, rowid DESC LIMIT 1 OFFSET @back", new { back })) ?? "";

    public Task<Subject> SubjectAsync(string id) => Db.ReadAsync(async s => (await s.GetSubjectAsync(id))!);
    public Task<StaffMember> StaffAsync(string id) => Db.ReadAsync(async s => (await s.GetStaffAsync(id))!);

    /// <summary>Everything a person reads in a reply: text, button titles, card texts.</summary>
    public static string ActivityText(Activity a)
    {
        var parts = new List<string>();
        if (a.Text is { } text) parts.Add(text);
        foreach (var action in a.SuggestedActions?.Actions ?? []) parts.Add($"[{action.Title}]");
        foreach (var attachment in a.Attachments ?? [])
            if (attachment.Content is { } content) Collect(content, parts);
        return string.Join("\n", parts);
    }

    public static string ActivityText(IEnumerable<Activity> replies) => string.Join("\n---\n", replies.Select(ActivityText));

    private static void Collect(JsonElement node, List<string> parts)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in node.EnumerateArray()) Collect(item, parts);
                break;
            case JsonValueKind.Object:
                foreach (var property in node.EnumerateObject())
                {
                    if (property.Name is "text" or "title" or "value" or "placeholder" && property.Value.ValueKind == JsonValueKind.String) parts.Add(property.Value.GetString()!);
                    else if (property.Name != "data") Collect(property.Value, parts);
                }
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
