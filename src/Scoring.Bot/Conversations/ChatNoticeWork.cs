using Microsoft.Extensions.Logging;
using Scoring.Application;
using Scoring.Bot.Outbox;
using Scoring.Domain;
using Scoring.Storage;
using Scoring.Storage.Activities;

namespace Scoring.Bot.Conversations;

/// <summary>
/// Once a minute: the batched "N new items" notices a secretary's batch window held back, the officers' notice of
/// items that escalated outside working hours (once they start), the
/// hourly digest of what is pending in working hours, shop heads' reminders of a round not yet reported, landlords' of a tenant expected back today, and
/// officers' of last week's lists not yet published (on the week's first working day). Several instances may run on one database; a
/// lease makes one of them do the round, and each notice is idempotent on its own (a watermark per
/// secretary, a row per digest hour, per reminded day and per officer reminded of a week, a row per escalated item taken as it is told), so a lease
/// lost mid-round costs nothing but time. Once an hour a round also forgets what the chat keeps only for a while: digests
/// sent a week ago, wrong enrolment codes past their hour, enrolment codes a month after they expired, what dropped
/// dialogs were given, where to reach chat users nobody bound who have been silent a month, and then their dialog rows.
/// </summary>
public sealed class ChatNoticeWork(Database db, TimeProvider time, ChatNotices notices, OutboxSignal outbox, ILogger<ChatNoticeWork> log,
    Microsoft.Extensions.Hosting.IHostApplicationLifetime? lifetime = null)
    : LeasedWork(db, time, log, lifetime)
{
    private static readonly TimeSpan KeepDigests = TimeSpan.FromDays(7);

    /// <summary>How long where to reach a chat user with no bound account is kept after they last wrote.</summary>
    public static readonly TimeSpan KeepStrangers = TimeSpan.FromDays(30);

    protected override string LeaseName => "chat-notices";

    /// <summary>Forgets, in one transaction, what the chat keeps only for a while and has kept long enough by now.</summary>
    public Task ForgetAsync(CancellationToken ct = default)
    {
        var now = Time.GetUtcNow();
        return Db.WriteAsync(async s =>
        {
            await ChatNotices.PurgeDigestsAsync(s, now - KeepDigests);
            await s.ForgetBindFailuresAsync(now - Enrolment.FailureWindow);
            await s.ForgetEnrolmentCodesAsync(now - Enrolment.KeepCodes);
            // Codes issued before the plain retry's window: their sealed answer (0700) will be read by no retry.
            await s.UnsealEnrolmentCodesAsync(now - PlainRetry.Window + Enrolment.CodeLifetime);
            await Dialogs.ForgetDroppedAsync(s, now - Dialogs.KeepDropped);
            await ConversationReferenceStore.ForgetUnboundAsync(s, now - KeepStrangers);
            await Dialogs.ForgetStrangersAsync(s, now - KeepStrangers);
        }, ct);
    }

    protected override Task RoundAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <returns>How many notices were enqueued; null when another instance holds the lease.</returns>
    public async Task<int?> RunOnceAsync(CancellationToken ct = default)
    {
        if (!await TakeLeaseAsync(ct)) return null;
        var now = Time.GetUtcNow();
        int sent = 0;
        Step("streets");
        foreach (var street in await Db.ReadAsync(s => s.ListStreetsAsync(), ct))
        {
            Step("reminders");
            // The street's reminders in one transaction: the single writer is taken once a minute per street, not four
            // times (each reminder is keyed, so a round that fails part-way is done again whole at no cost).
            sent += await Db.WriteAsync(async s =>
                await notices.RoundRemindersAsync(s, street, now) + await notices.ReturnRemindersAsync(s, street, now)
                + await notices.EscalationsAsync(s, street, now) + await notices.PublicationRemindersAsync(s, street, now), ct);
            Step("new items and digests");
            var staff = (await Db.ReadAsync(s => s.ListStaffAsync(street.Id), ct)).Where(x => x.Active);
            foreach (var member in staff)
            {
                if (member.Role is not (StaffRole.Secretary or StaffRole.Officer)) continue;
                sent += await Db.WriteAsync(async s =>
                {
                    // One message a round: a secretary just told of new items (at 08:00, those of the night) gets this
                    // hour's digest of the same queue no more (NewItemsAsync marks the hour told).
                    if (member.Role == StaffRole.Secretary && await notices.NewItemsAsync(s, member, now)) return 1;
                    return await notices.DigestAsync(s, member, street, now) ? 1 : 0;
                }, ct);
            }
        }
        // What the chat keeps of people only for a while (README: Personal data kept), once an hour: the dialogs and the
        // conversation references are scanned whole (a row per chat user), which every minute would hold the single
        // writer that long, each minute, on a city street.
        await HourlyAsync(() =>
        {
            Step("hourly forgetting");
            return ForgetAsync(ct);
        });
        if (sent > 0)
        {
            outbox.Nudge();
            Log.LogInformation("Enqueued {Count} chat notices and reminders", sent);
        }
        return sent;
    }
}
