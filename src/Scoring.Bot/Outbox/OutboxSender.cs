using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scoring.Bot.Connector;
using Scoring.Application;
using Scoring.Bot.Turns;
using Scoring.Storage.Activities;
using Scoring.Storage.Outbox;

namespace Scoring.Bot.Outbox;

/// <summary>
/// Drains the outbox: claims due messages under a lease, sends each through the connector with
/// one send per conversation at a time and a minimum gap between sends to a conversation, paces
/// notices per channel host (<see cref="ServiceUrlPacing"/>; a 429 holds the host and costs no attempt),
/// reschedules failures with backoff (honouring Retry-After) and dead-letters a message after
/// too many attempts or a refusal. A crash loses nothing: leases expire and another instance (or
/// the next start) takes over. On shutdown, sends on the wire are allowed to finish (cancelling
/// one the channel already accepted would send it twice) until the host runs out of patience.
/// </summary>
public sealed class OutboxSender(
    OutboxStore outbox,
    ProcessedActivityStore processedActivities,
    ReplySeal seal,
    IServiceProvider services,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxSender> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    private readonly OutboxOptions settings = options.Value;
    private readonly ServiceUrlPacing pacing = new(time, options.Value.SendsPerSecondPerServiceUrl);
    private readonly ConcurrentDictionary<string, DateTimeOffset> lastSendTo = new();
    private readonly CancellationTokenSource abortSends = new();
    // Accepted by the channel but not yet recorded as sent (the database refused that write). Each round of the loop
    // records them again, so once the database takes writes they are recorded while this instance still holds their
    // lease; one claimed again (by this instance) is recorded, not sent. Only if the database refuses for longer than
    // a lease, or this process dies, can another instance send one again: delivery is at least once.
    private readonly ConcurrentDictionary<string, byte> deliveredUnrecorded = new();
    private DateTimeOffset nextPurge = DateTimeOffset.MinValue;

    /// <summary>Longest a claimed message waits for its host's pace inside the send; past it, it is put off in the outbox.</summary>
    internal static readonly TimeSpan MaxPaceWaitInSend = TimeSpan.FromSeconds(1);

    /// <summary>Names this instance in the lease column.</summary>
    public string Owner { get; } = $"{Shorten(Environment.MachineName, 60)}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Nothing is claimed or sent by an instance whose server never started (ServerStart says why).
        if (!await ServerStart.WaitAsync(lifetime, stoppingToken)) return;
        var inFlight = new List<Task>();
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var nudged = signal.Arm();
            inFlight.RemoveAll(task => task.IsCompleted);
            var room = settings.MaxConcurrentSends - inFlight.Count;
            var claimedAll = false;
            TimeSpan wait = settings.PollInterval;
            try
            {
                if (room > 0)
                {
                    var claimed = await outbox.ClaimDueAsync(Owner, room, settings.LeaseDuration, stoppingToken);
                    inFlight.AddRange(claimed.Select(message => DeliverAsync(message, stoppingToken)));
                    claimedAll = claimed.Count == room;
                    if (!claimedAll)
                    {
                        wait = await UntilNextDueAsync(stoppingToken);
                    }
                }
                await RecordDeliveredAsync();
                await PurgeWhenDueAsync(stoppingToken);
                if (failing)
                {
                    logger.LogInformation("The outbox is reachable again");
                    failing = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (!failing)
                {
                    logger.LogError(e, "Could not read the outbox; trying again every {PollInterval}", settings.PollInterval);
                    failing = true;
                }
                wait = settings.PollInterval;
            }

            if (claimedAll)
            {
                // A full batch: more may be due, but only once a send finishes is there room.
                wait = settings.PollInterval;
            }
            await WaitForWorkAsync(nudged, inFlight, wait, stoppingToken);
        }
        // Sends stopped by the shutdown hand their leases back themselves.
        await Task.WhenAll(inFlight);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using var abortWhenImpatient = cancellationToken.Register(abortSends.Cancel);
        await base.StopAsync(cancellationToken);
        if (cancellationToken.IsCancellationRequested && ExecuteTask is { } running)
        {
            // Aborted sends hand their leases back on their way out; let them, so a restart need not wait for expiry.
            await running.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        abortSends.Dispose();
    }

    private async Task WaitForWorkAsync(Task nudged, List<Task> inFlight, TimeSpan wait, CancellationToken stoppingToken)
    {
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(wait, time, stopWaiting.Token);
        await Task.WhenAny([nudged, timer, .. inFlight]);
        await stopWaiting.CancelAsync();
    }

    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken ct)
    {
        var nextDue = await outbox.NextDueAsync(ct);
        if (nextDue is null)
        {
            return settings.PollInterval;
        }
        var until = nextDue.Value - time.GetUtcNow();
        // Never spin: something due that we could not claim is another instance's or a race.
        return until <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(50) : until < settings.PollInterval ? until : settings.PollInterval;
    }

    private async Task DeliverAsync(OutboxMessage message, CancellationToken stoppingToken)
    {
        try
        {
            if (deliveredUnrecorded.ContainsKey(message.Id))
            {
                await RecordSentAsync(message.Id);
                return;
            }
            if (message.Attempts > settings.MaxAttempts)
            {
                // Claimed again after its lease ran out mid-send too often (a crash loop, or a hang).
                await outbox.DeadLetterAsync(message.Id, Owner,
                    $"Gave up after {message.Attempts - 1} attempts; last: {message.LastError ?? "the sender stopped mid-send"}", CancellationToken.None);
                return;
            }
            if (!await KeepPaceAsync(message, stoppingToken))
            {
                return;
            }
            await KeepGapAsync(message.ConversationKey, stoppingToken);
            var connector = services.GetRequiredService<ConnectorClient>();
            // A secret the reply carries is kept sealed in the row, and opened only to go on the wire (ReplySeal).
            var result = await connector.SendAsync(message.ServiceUrl, message.ConversationId, message.ReplyToId, seal.Open(message.ActivityJson, message.ChannelId, message.ConversationId), abortSends.Token);
            lastSendTo[message.ConversationKey] = time.GetUtcNow();
            await RecordAsync(message, result);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested || abortSends.IsCancellationRequested)
        {
            try
            {
                await outbox.ReleaseAsync(message.Id, Owner, CancellationToken.None);
            }
            catch (Exception e)
            {
                // The lease runs out on its own; the next instance takes the message then.
                logger.LogWarning("Could not hand back the lease of outbox message {MessageId}: {ExceptionType}", message.Id, e.GetType().Name);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unexpected failure sending outbox message {MessageId}", message.Id);
            try
            {
                await outbox.RescheduleAsync(message.Id, Owner, time.GetUtcNow() + Backoff(message.Attempts, null), $"Unexpected {e.GetType().Name}", CancellationToken.None);
            }
            catch (Exception again)
            {
                // The lease will run out and the message will be claimed again.
                logger.LogError(again, "Could not reschedule outbox message {MessageId}", message.Id);
            }
        }
        finally
        {
            signal.Nudge();
        }
    }

    private async Task RecordAsync(OutboxMessage message, DeliveryResult result)
    {
        switch (result.Outcome)
        {
            case DeliveryOutcome.Sent:
                pacing.Accepted(message.ServiceUrl);
                await RecordSentAsync(message.Id);
                break;
            case DeliveryOutcome.Retry when result.StatusCode == 429:
                await ThrottledAsync(message, result);
                break;
            case DeliveryOutcome.Rejected:
                // The channel and the size tell an operator a message too big (413, or a 400 from a channel that caps text)
                // from one refused for what it is; the words stay out of the log (GET /api/admin/outbox/dead-letters has them).
                logger.LogWarning("The {ChannelId} channel refused outbox message {MessageId} ({Bytes} bytes): {Problem}",
                    message.ChannelId, message.Id, System.Text.Encoding.UTF8.GetByteCount(message.ActivityJson), result.Problem);
                await outbox.DeadLetterAsync(message.Id, Owner, $"Refused: {result.Problem}", CancellationToken.None);
                if (result.RecipientGone) await RecipientGoneAsync(message);
                break;
            default:
                if (message.Attempts >= settings.MaxAttempts)
                {
                    logger.LogWarning("Outbox message {MessageId} dead-lettered after {Attempts} attempts: {Problem}", message.Id, message.Attempts, result.Problem);
                    await outbox.DeadLetterAsync(message.Id, Owner, $"Gave up after {message.Attempts} attempts; last: {result.Problem}", CancellationToken.None);
                }
                else
                {
                    var next = time.GetUtcNow() + Backoff(message.Attempts, result.RetryAfter);
                    await outbox.RescheduleAsync(message.Id, Owner, next, result.Problem ?? "Failed", CancellationToken.None);
                }
                break;
        }
    }

    /// <summary>
    /// The user blocked or removed the bot (or the conversation is gone): their reference is marked unreachable, so notices
    /// stop being enqueued for them (and counted as told) until they write again. The dead letter says why, as before.
    /// </summary>
    private async Task RecipientGoneAsync(OutboxMessage message)
    {
        try
        {
            await services.GetRequiredService<ConversationReferenceTracker>().RefusedAsync(message.ChannelId, message.ConversationId, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The next refused notice marks it; the message itself is dead-lettered already.
            logger.LogWarning("Could not mark the conversation of outbox message {MessageId} unreachable: {ExceptionType}", message.Id, e.GetType().Name);
        }
    }

    /// <summary>
    /// Holds a proactive message until its host's pace lets it go (<see cref="ServiceUrlPacing"/>). A short wait is
    /// waited here; a longer one (a street's notices, a host that said 429) puts the message off in the outbox at the
    /// moment it was given, without counting an attempt, so this instance's sends are free for other hosts and for
    /// replies meanwhile. Replies to someone who just wrote are never held. False when the message was put off.
    /// </summary>
    private async Task<bool> KeepPaceAsync(OutboxMessage message, CancellationToken ct)
    {
        var at = pacing.Reserve(message.ServiceUrl, KindOf(message));
        var wait = at - time.GetUtcNow();
        if (wait > MaxPaceWaitInSend)
        {
            await outbox.DeferAsync(message.Id, Owner, at, null, CancellationToken.None);
            return false;
        }
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, ct);
        }
        return true;
    }

    /// <summary>
    /// A notice goes at the moment its host's schedule gives it once: when a sender put it off for the pace (or after a
    /// 429) it is not given another. This instance's schedule counted it already; another's did not, so it is counted here.
    /// A retry's moment (after a 5xx or a timeout, a requeue) was no schedule's: the notice takes its place like a fresh one.
    /// </summary>
    private SendKind KindOf(OutboxMessage message) =>
        message.ReplyToId is not null ? SendKind.Reply
        : message.PacedBy is null ? SendKind.Fresh
        : message.PacedBy == Owner ? SendKind.Scheduled
        : SendKind.ScheduledElsewhere;

    /// <summary>
    /// A 429: the host is held for its Retry-After (every send to it, not only this one) and this message goes again
    /// after it, without counting an attempt, since being asked to slow down says nothing against the message. Only one
    /// throttled for longer than <see cref="OutboxOptions.GiveUpThrottledAfter"/> is given up, counted from its first 429 (not
    /// from its enqueue: a message a day old, after a sender's outage or a requeue, is not given up at its first 429).
    /// </summary>
    private async Task ThrottledAsync(OutboxMessage message, DeliveryResult result)
    {
        var now = time.GetUtcNow();
        pacing.Throttled(message.ServiceUrl, result.RetryAfter ?? Backoff(1, null));
        if (message.ThrottledSince is { } since && now - since >= settings.GiveUpThrottledAfter)
        {
            logger.LogWarning("Outbox message {MessageId} dead-lettered after being throttled since {ThrottledSince}", message.Id, since);
            await outbox.DeadLetterAsync(message.Id, Owner,
                $"Gave up after being throttled for {(now - since).TotalHours:0.#} hours; last: {result.Problem}", CancellationToken.None);
            return;
        }
        var retryAfter = now + (result.RetryAfter ?? Backoff(message.Attempts, null));
        var paced = pacing.Reserve(message.ServiceUrl, message.ReplyToId is null ? SendKind.Fresh : SendKind.Reply);
        await outbox.ThrottledAsync(message.Id, Owner, paced > retryAfter ? paced : retryAfter, result.Problem ?? "Throttled", CancellationToken.None);
    }

    /// <summary>The messages delivered whose "sent" the database refused, recorded again.</summary>
    private async Task RecordDeliveredAsync()
    {
        if (deliveredUnrecorded.IsEmpty) return; // the loop runs on every nudge: no snapshot of an empty map
        foreach (var id in deliveredUnrecorded.Keys) await RecordSentAsync(id);
    }

    /// <summary>
    /// Records a delivered message as sent. If the database refuses, the message is not rescheduled (that would send
    /// it again): the loop records it again (<see cref="RecordDeliveredAsync"/>).
    /// </summary>
    private async Task RecordSentAsync(string id)
    {
        try
        {
            await outbox.MarkSentAsync(id, CancellationToken.None);
            deliveredUnrecorded.TryRemove(id, out _);
        }
        catch (Exception e)
        {
            deliveredUnrecorded[id] = 0;
            logger.LogError("Outbox message {MessageId} was delivered but could not be recorded as sent ({ExceptionType}); trying again",
                id, e.GetType().Name);
        }
    }

    /// <summary>Exponential backoff with jitter, never sooner than the channel asked.</summary>
    internal TimeSpan Backoff(int attempts, TimeSpan? retryAfter)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var ceiling = Math.Min(settings.RetryMaxDelay.TotalMilliseconds, settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var delay = TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() * 0.5));
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }

    private async Task KeepGapAsync(string conversationKey, CancellationToken ct)
    {
        if (lastSendTo.TryGetValue(conversationKey, out var last))
        {
            var wait = last + settings.MinimumGapPerConversation - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, ct);
            }
        }
        if (lastSendTo.Count > 10_000)
        {
            var stale = time.GetUtcNow() - settings.MinimumGapPerConversation;
            foreach (var entry in lastSendTo.Where(entry => entry.Value < stale).ToList())
            {
                lastSendTo.TryRemove(entry);
            }
        }
    }

    private async Task PurgeWhenDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now < nextPurge)
        {
            return;
        }
        nextPurge = now + settings.PurgeInterval;
        await outbox.PurgeSentAsync(now - settings.SentRetention, ct);
        await outbox.PurgeDeadLettersAsync(now - settings.DeadLetterRetention, ct);
        await processedActivities.PurgeAsync(now - settings.ProcessedActivityRetention, ct);
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length];
}
