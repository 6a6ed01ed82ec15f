using Microsoft.Extensions.Logging;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using Scoring.Bot.Connector;
using Scoring.Bot.Outbox;
using Scoring.Bot.Protocol;
using Activity = Scoring.Bot.Protocol.Activity;
using Scoring.Bot.Turns;
using Scoring.Storage.Outbox;

namespace Scoring.Bot.Tests.World;

/// <summary>
/// A database, a fake connector on a real port, the bot's services wired as in production and a
/// fake clock; senders are started and stopped by the test.
/// </summary>
public sealed class OutboxWorld : IAsyncDisposable
{
    private readonly List<OutboxSender> senders = [];
    private readonly AttemptCounter attempts;

    private OutboxWorld(FakeTimeProvider time, TestDatabase database, FakeConnector connector, ServiceProvider services, AttemptCounter attempts)
    {
        this.attempts = attempts;
        Time = time;
        Database = database;
        Connector = connector;
        Services = services;
    }

    public FakeTimeProvider Time { get; }
    /// <summary>Every log line the services wrote.</summary>
    public LogCapture Log { get; private init; } = new();
    public TestDatabase Database { get; }
    public FakeConnector Connector { get; }
    public ServiceProvider Services { get; }
    public OutboxStore Outbox => Services.GetRequiredService<OutboxStore>();

    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Bot:AllowUnauthenticated"] = "true",
        ["Bot:Connector:AttemptTimeout"] = "00:00:05",
        ["Bot:Connector:TotalTimeout"] = "00:00:20",
        ["Bot:Connector:MaxRetryAttempts"] = "1",
        ["Bot:Connector:RetryDelay"] = "00:00:00.200",
        ["Bot:Connector:MaxRetryDelay"] = "00:00:01",
        ["Bot:Outbox:PollInterval"] = "00:00:01",
        ["Bot:Outbox:LeaseDuration"] = "00:00:30",
        ["Bot:Outbox:MaxAttempts"] = "4",
        ["Bot:Outbox:MinimumGapPerConversation"] = "00:00:00.100",
        ["Bot:Outbox:RetryBaseDelay"] = "00:00:01",
        ["Bot:Outbox:RetryMaxDelay"] = "00:00:08",
    };

    public static async Task<OutboxWorld> CreateAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var database = await TestDatabase.CreateAsync(time);
        var connector = await FakeConnector.StartAsync();
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        var log = new LogCapture();
        services.AddLogging(logging => logging.AddProvider(log));
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Testing" });
        services.AddSingleton(database.Database);
        services.AddBot(configuration);
        var attempts = new AttemptCounter();
        services.AddHttpClient<ConnectorClient>().AddHttpMessageHandler(() => new CountingHandler(attempts));
        return new OutboxWorld(time, database, connector, services.BuildServiceProvider(validateScopes: true), attempts) { Log = log };
    }

    /// <summary>Enqueues <paramref name="count"/> messages to one conversation, texts "{prefix}-0", "{prefix}-1"…</summary>
    public async Task<IReadOnlyList<string>> EnqueueAsync(string conversationId, string prefix, int count, string? serviceUrl = null)
    {
        var recorder = Services.GetRequiredService<TurnRecorder>();
        var inbound = new Activity
        {
            Type = ActivityTypes.Message,
            Id = $"in-{prefix}",
            ChannelId = "emulator",
            ServiceUrl = serviceUrl ?? Connector.ServiceUrl,
            Conversation = new ConversationAccount { Id = conversationId },
            From = new ChannelAccount { Id = "user-1" },
        };
        var replies = Enumerable.Range(0, count).Select(i => Reply.To(inbound, $"{prefix}-{i}")).ToList();
        return await Database.Database.WriteAsync(session => recorder.EnqueueAsync(session, replies));
    }

    /// <summary>
    /// Enqueues, in one transaction, a proactive notice per kind to each of <paramref name="people"/> conversations
    /// "{street}-0", "{street}-1"… (texts "{kind}-{i}", kinds in order), as a publication or a morning's reminders do.
    /// </summary>
    public async Task<IReadOnlyList<string>> EnqueueNoticesAsync(string street, int people, IReadOnlyList<string> kinds, string? serviceUrl = null)
    {
        var recorder = Services.GetRequiredService<TurnRecorder>();
        var notices = Enumerable.Range(0, people).SelectMany(i => kinds.Select(kind => Reply.To(new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = "emulator",
            ServiceUrl = serviceUrl ?? Connector.ServiceUrl,
            Conversation = new ConversationAccount { Id = $"{street}-{i}" },
            From = new ChannelAccount { Id = $"{street}-user-{i}" },
        }, $"{kind}-{i}"))).ToList();
        return await Database.Database.WriteAsync(session => recorder.EnqueueAsync(session, notices));
    }

    public async Task<OutboxSender> StartSenderAsync()
    {
        var sender = ActivatorUtilities.CreateInstance<OutboxSender>(Services);
        senders.Add(sender);
        await sender.StartAsync(CancellationToken.None);
        return sender;
    }

    /// <summary>No HTTP attempt is on its way except those the connector is deliberately holding.</summary>
    public bool Quiet => attempts.InFlight <= Connector.Hanging;

    /// <summary>Stops a sender; an impatient stop aborts sends on the wire instead of letting them finish.</summary>
    public async Task StopAsync(OutboxSender sender, bool impatient = false)
    {
        await sender.StopAsync(new CancellationToken(canceled: impatient));
        sender.Dispose();
        senders.Remove(sender);
    }

    /// <summary>
    /// Moves the fake clock on in small steps until <paramref name="done"/> holds, but only while
    /// no HTTP attempt is on its way (every attempt in flight is one the connector is deliberately
    /// holding), so a healthy request never times out because the clock ran ahead of real I/O.
    /// </summary>
    public async Task RunUntilAsync(Func<bool> done, TimeSpan? step = null, TimeSpan? realLimit = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = realLimit ?? TimeSpan.FromSeconds(60);
        while (!done())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Not done after {limit.TotalSeconds} s: received {Connector.Received.Count}, delivered {Connector.Delivered.Count}.");
            }
            await Task.Delay(3);
            if (Quiet)
            {
                Time.Advance(step ?? TimeSpan.FromMilliseconds(100));
            }
        }
    }

    public async Task<bool> AllSettledAsync(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            var message = await Outbox.FindAsync(id);
            if (message is null || (message.SentAt is null && message.DeadLetteredAt is null))
            {
                return false;
            }
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in senders.ToList())
        {
            await StopAsync(sender);
        }
        await Services.DisposeAsync();
        await Connector.DisposeAsync();
        Database.Dispose();
    }

    /// <summary>Counts HTTP attempts in flight (the handler sits inside the resilience pipeline).</summary>
    private sealed class AttemptCounter
    {
        private int inFlight;

        public int InFlight => Volatile.Read(ref inFlight);

        public void Enter() => Interlocked.Increment(ref inFlight);

        public void Leave() => Interlocked.Decrement(ref inFlight);
    }

    private sealed class CountingHandler(AttemptCounter counter) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.Enter();
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                // Read the body here so "in flight" covers the whole exchange.
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                return response;
            }
            finally
            {
                counter.Leave();
            }
        }
    }
}
