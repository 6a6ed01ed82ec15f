using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scoring.Bot.Outbox;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Bot.Conversations;

/// <summary>
/// Once a minute: the batched "N new items" notices a secretary's batch window held back, and the
/// hourly digest of what is pending in working hours. Several instances may run on one database; a
/// lease makes one of them do the round, and each notice is idempotent on its own (a watermark per
/// secretary, a row per digest hour), so a lease lost mid-round costs nothing but time.
/// </summary>
public sealed class ChatNoticeWork(Database db, TimeProvider time, ChatNotices notices, OutboxSignal outbox, ILogger<ChatNoticeWork> log) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan KeepDigests = TimeSpan.FromDays(7);
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Type only: a message could quote personal data from a row.
                log.LogWarning("Chat notices failed ({ExceptionType}); retrying in {Period}", e.GetType().FullName, Period);
            }
            try { await Task.Delay(Period, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <returns>How many notices were enqueued; null when another instance holds the lease.</returns>
    public async Task<int?> RunOnceAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (!await db.WriteAsync(s => s.TryTakeLeaseAsync("chat-notices", owner, now, now + Period * 2), ct)) return null;
        int sent = 0;
        foreach (var street in await db.ReadAsync(s => s.ListStreetsAsync(), ct))
        {
            var staff = (await db.ReadAsync(s => s.ListStaffAsync(street.Id), ct)).Where(x => x.Active);
            foreach (var member in staff)
            {
                if (member.Role is not (StaffRole.Secretary or StaffRole.Officer)) continue;
                sent += await db.WriteAsync(async s =>
                {
                    var n = 0;
                    if (member.Role == StaffRole.Secretary && await notices.NewItemsAsync(s, member, now)) n++;
                    if (await notices.DigestAsync(s, member, street, now)) n++;
                    return n;
                }, ct);
            }
        }
        await db.WriteAsync(s => ChatNotices.PurgeDigestsAsync(s, now - KeepDigests), ct);
        if (sent > 0)
        {
            outbox.Nudge();
            log.LogInformation("Enqueued {Count} chat notices for staff", sent);
        }
        return sent;
    }
}
