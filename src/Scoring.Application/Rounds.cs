using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// Shop heads' daily rounds: once a street's daily deadline has passed, every active shop head without a
/// round that day gets a pending, system-detected "round missed" (a secretary may waive it with a reason) — unless a
/// grid worker or secretary already reported that day's missed round: a day is charged once.
/// A day is charged only if the service was seen running before its deadline (a round can only be reported while it
/// runs), and then by whichever run comes first after the deadline, even the next morning after a night switched off.
/// The event's source names the subject and the day, so running this twice — or on two instances — changes nothing.
/// </summary>
public sealed class Rounds(Database db, TimeProvider time, Reporting reporting, ILogger<Rounds> log)
{
    /// <summary>How long after its deadline a day is still charged: a weekend switched off, not a holiday long over.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromDays(3);

    public async Task<int> RecordMissedAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        int created = 0;
        foreach (var street in await db.ReadAsync(s => s.ListStreetsAsync(), ct))
        {
            var failures = _failures.GetOrAdd(street.Id, id => new RoundFailures($"Missed rounds of street {id}", time, log, LeasedWork.Period));
            try
            {
                created += await RecordMissedAsync(street, now, failures, ct);
                failures.Succeeded();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One street's failure must not leave the others' shop heads unchecked. No message: it could quote personal data from a row.
                failures.Failed(e);
            }
        }
        return created;
    }

    // Per street: one street failing every round (its time zone unknown to the host) is counted apart from the others.
    private readonly ConcurrentDictionary<string, RoundFailures> _failures = new(StringComparer.Ordinal);

    private async Task<int> RecordMissedAsync(Street street, DateTimeOffset now, RoundFailures failures, CancellationToken ct)
    {
        failures.Step("today's deadline");
        var today = VerificationClock.LocalDay(now, street.Settings);
        var open = await db.ReadAsync(s => s.OpenRoundDaysAsync(street.Id), ct);
        var todayText = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var todayDeadline = VerificationClock.DeadlineOf(today, street.Settings);
        if (now < todayDeadline && !open.Contains(todayText))
            await db.WriteAsync(s => s.OpenRoundDayAsync(street.Id, todayText, now, todayDeadline), ct);
        int created = 0;
        foreach (var day in open)
        {
            failures.Step("charge of an open day");
            var deadline = await db.ReadAsync(s => DeadlineOfDayAsync(s, street, day), ct);
            if (now < deadline) continue;
            // Whether the day was owed is judged as the settings are now: a holiday let off after it opened is let off.
            if (now - deadline <= CatchUp && street.Settings.OwesRoundOn(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture)))
                created += await RecordMissedAsync(street, day, deadline, ct);
            // Closed once every shop head of the day is checked: a run that stops before this does the day again, at no cost.
            failures.Step("closing of a checked day");
            await db.WriteAsync(s => s.CloseRoundDayAsync(street.Id, day), ct);
        }
        return created;
    }

    /// <summary>
    /// The deadline of a day's round: the settings' one, or the one the day was seen open with when that was later — an
    /// officer moving the deadline earlier during the day must not make a round already reported (or still to come
    /// before the deadline the shop heads were given) a missed one; moving it later gives them the extra time at once.
    /// </summary>
    public static async Task<DateTimeOffset> DeadlineOfDayAsync(Session s, Street street, string day) =>
        DeadlineOfDay(street, day, await s.OpenRoundDeadlineAsync(street.Id, day));

    /// <summary>As <see cref="DeadlineOfDayAsync"/>, given the deadline the day was seen open with (null once checked, or never seen open).</summary>
    public static DateTimeOffset DeadlineOfDay(Street street, string day, DateTimeOffset? seen)
    {
        var configured = VerificationClock.DeadlineOf(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture), street.Settings);
        return seen is { } open && open > configured ? open : configured;
    }

    private async Task<int> RecordMissedAsync(Street street, string day, DateTimeOffset deadline, CancellationToken ct)
    {
        // A shop head entered (or brought back onto the roster) after the deadline had no chance to do that day's round;
        // one with no shops left in their charge has no round to do.
        var shopHeads = (await db.ReadAsync(s => s.ListRoundOwersSinceAsync(street.Id), ct)).Where(x => x.Since < deadline);
        int created = 0;
        foreach (var head in shopHeads)
        {
            created += await db.WriteAsync(async s =>
            {
                var source = Reporting.MissedRoundSource(head.Id, day);
                if (await s.ShopRoundReportedAtAsync(head.Id, day) < deadline || await s.GetEventBySourceAsync(source) is not null) return 0;
                // Null when the street's rules charge nothing for it (no such rule, or the head's weekly cap reached).
                var by = TimeZoneInfo.ConvertTime(deadline, street.Settings.TimeZone);
                var missed = await reporting.RecordDetectedInAsync(s, head.Id, DefaultRules.RoundMissed, source,
                    $"No daily round reported on {day} by {by:HH:mm} / {day} {by:HH:mm}前未上报巡查", deadline);
                return missed is null ? 0 : 1;
            }, ct);
        }
        return created;
    }
}
