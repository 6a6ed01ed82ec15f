using Microsoft.Extensions.Logging;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// Shop heads' daily rounds: once a street's daily deadline has passed, every active shop head without a
/// round that day gets a pending, system-detected "round missed" (a secretary may waive it with a reason).
/// The event's source names the subject and the day, so running this twice — or on two instances — changes nothing.
/// </summary>
public sealed class Rounds(Database db, TimeProvider time, Reporting reporting, ILogger<Rounds> log)
{
    public async Task<int> RecordMissedAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        int created = 0;
        foreach (var street in await db.ReadAsync(s => s.ListStreetsAsync(), ct))
        {
            try
            {
                created += await RecordMissedAsync(street, now, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One street's failure must not leave the others' shop heads unchecked. The type only: a message could quote personal data from a row.
                log.LogWarning("Missed rounds of street {Street} failed ({ExceptionType}); the next run tries again", street.Id, e.GetType().FullName);
            }
        }
        return created;
    }

    private async Task<int> RecordMissedAsync(Street street, DateTimeOffset now, CancellationToken ct)
    {
        var today = VerificationClock.LocalDay(now, street.Settings);
        var deadline = VerificationClock.DeadlineOf(today, street.Settings);
        if (now < deadline) return 0;
        var day = today.ToString("yyyy-MM-dd");
        var shopHeads = (await db.ReadAsync(s => s.ListSubjectsAsync(street.Id), ct)).Where(x => x.Active && x.Kind == SubjectKind.ShopHead);
        int created = 0;
        foreach (var head in shopHeads)
        {
            created += await db.WriteAsync(async s =>
            {
                var source = $"round-missed:{head.Id}:{day}";
                if (await s.HasShopRoundAsync(head.Id, day) || await s.GetEventBySourceAsync(source) is not null) return 0;
                // Null when the street's rules charge nothing for it (no such rule, or the head's weekly cap reached).
                var missed = await reporting.RecordDetectedInAsync(s, head.Id, DefaultRules.RoundMissed, source,
                    $"No daily round reported on {day} by {street.Settings.DailyDeadline:HH:mm} / {day} {street.Settings.DailyDeadline:HH:mm}前未上报巡查", deadline);
                return missed is null ? 0 : 1;
            }, ct);
        }
        return created;
    }
}
