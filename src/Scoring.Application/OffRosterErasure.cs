using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Scoring.Domain;
using Scoring.Domain.Lists;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// Erases the personal data of landlords and shop heads still off the roster past the end of the year after the one they
/// left in (<see cref="OffRoster"/>; README: Personal data kept): their phone, identity card and enrolment codes; their
/// tenants are made anonymous in place (their returns then point at a masked name; a late return's note in the ledger keeps what it said); each chat account stops speaking for them (one
/// left speaking for nobody is forgotten), so that no account can speak as them any more; their name is kept masked
/// (应*喜), as the public lists show it, for the ledger, its exports and the live views of old weeks, which name them by
/// id. The ledger and the published lists are not touched. Each erasure is its own transaction with its line in the
/// street's staff actions (by <see cref="StaffActions.Retention"/>, counts only), and is done only to someone still due: a
/// round repeated or cut short does nothing twice, and someone brought back meanwhile is kept. Run by the clockwork, hourly.
/// </summary>
public sealed class OffRosterErasure(Database db, TimeProvider time, ILogger<OffRosterErasure>? log = null)
{
    private readonly ILogger _log = log ?? NullLogger<OffRosterErasure>.Instance;

    /// <summary>
    /// At most this many people are erased in a round: everyone who left in a year falls due in the same hour (and at the
    /// first deploy, every past year at once), and each erasure takes the single writer for a moment. A backlog drains
    /// over the hours that follow.
    /// </summary>
    public const int MostPerRound = 200;

    /// <summary>
    /// A round stops taking the next person once this long has passed since it started: a quarter of the clockwork's lease
    /// (<see cref="LeasedWork.Period"/> twice), renewed just before, so a round ends well inside it. (An erasure held up past
    /// the lease — SQL Server retrying a lock timeout — only lets another instance try the same people, which the guarded
    /// writes make harmless.)
    /// </summary>
    public static readonly TimeSpan RoundTime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A round gives up after this many failures in a row of one kind (the same exception type, nobody erased between):
    /// a failure that meets everyone (a constraint or trigger refusing every change, a database refusing writes) would otherwise cost the
    /// round's whole time, every hour, for nothing. Those it gave up on are tried after the others next round.
    /// </summary>
    public const int GivenUpAfter = 5;

    /// <returns>How many people were erased.</returns>
    public Task<int> EraseDueAsync(CancellationToken ct = default) => EraseDueAsync(MostPerRound, ct);

    /// <summary>
    /// One round: the people due in every street, one street's next and then the next street's in turn (a street with a
    /// long backlog holds no other up), until <paramref name="most"/> are erased, <see cref="RoundTime"/> is spent or the
    /// round gives up (<see cref="GivenUpAfter"/>). How it went is kept for the service's status (counts, times and
    /// exception types: <see cref="OffRosterStore.RecordErasureRoundAsync"/>), and failures are one warning for the round.
    /// </summary>
    /// <returns>How many people were erased, at most <paramref name="most"/>.</returns>
    public async Task<int> EraseDueAsync(int most, CancellationToken ct = default)
    {
        var started = time.GetUtcNow();
        // Those whose erasure failed before: tried after everyone else, so a few bad rows at the head of a street's order
        // (which make a round give up) hold nobody up for good. Kept with the round's status (0720), not by the instance:
        // the next round may run on another one, once the clockwork's lease moves.
        var failedBefore = await db.ReadAsync(s => s.ErasureTriedLastAsync(), ct);
        if (failedBefore is null)
        {
            _log.LogWarning("The ids the last erasure round left to try last could not be read (erasure_rounds.failed_ids); this round tries everyone in order");
            failedBefore = new HashSet<string>(StringComparer.Ordinal);
        }
        var due = new HashSet<string>(StringComparer.Ordinal);
        var streets = new List<Queue<(string Id, DateTimeOffset Before)>>();
        foreach (var street in await db.ReadAsync(s => s.ListStreetsAsync(), ct))
        {
            var before = OffRoster.ErasableIfLeftBefore(started, street.Settings.TimeZone);
            var ids = await db.ReadAsync(s => s.ErasableSubjectsAsync(street.Id, before), ct);
            due.UnionWith(ids);
            // By id as read, those who failed last round last (a stable order).
            if (ids.Count > 0) streets.Add(new Queue<(string, DateTimeOffset)>(ids.OrderBy(failedBefore.Contains).Select(id => (id, before))));
        }

        var erased = 0;
        var noLongerDue = 0; // brought back, or erased by another instance, since the round read them
        var tried = new HashSet<string>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var failures = new SortedDictionary<string, int>(StringComparer.Ordinal);
        (string? Type, int Count) inARow = (null, 0);
        var next = 0;
        while (streets.Count > 0 && erased < most && inARow.Count < GivenUpAfter)
        {
            next %= streets.Count;
            var (id, before) = streets[next].Dequeue();
            if (streets[next].Count == 0) streets.RemoveAt(next);
            else next++;
            tried.Add(id);
            try
            {
                if (await db.WriteAsync(s => EraseInAsync(s, id, before, time.GetUtcNow()), ct)) erased++;
                else noLongerDue++;
                inARow = (null, 0);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One who cannot be erased (a bad row) is tried again next round; those after them are not held up. The
                // type only: a message could quote personal data from a row.
                var type = e.GetType().Name;
                failed.Add(id);
                failures[type] = failures.GetValueOrDefault(type) + 1;
                inARow = (type, inARow.Type == type ? inARow.Count + 1 : 1);
            }
            if (time.GetUtcNow() - started >= RoundTime) break;
        }

        var triedLast = failed.Concat(failedBefore.Where(id => due.Contains(id) && !tried.Contains(id))).ToHashSet(StringComparer.Ordinal);
        var round = new OffRosterStore.ErasureRound(started, erased, failed.Count, failed.Count == 0 ? null : Describe(failures), due.Count - erased - noLongerDue, triedLast);
        // The warning first: a database refusing writes refuses the round's status too, and the log is then all there is.
        if (failed.Count > 0)
            _log.LogWarning("Off the roster: {Failed} people could not be erased this round ({Failures}); {Erased} erased, {StillDue} still due, tried again " +
                "next round (round given up after that many failures in a row: {GivenUp})", failed.Count, round.Failures, erased, round.StillDue, inARow.Count >= GivenUpAfter);
        try
        {
            await db.WriteAsync(s => s.RecordErasureRoundAsync(round), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The type only, as above. The status keeps showing the round before, ever older: its lastRoundAt tells.
            _log.LogWarning("Off the roster: the round's status could not be kept ({Failure}); GET /api/admin/status still shows the round before", e.GetType().Name);
        }
        return erased;
    }

    /// <summary>What failed in a round, by exception type: "SqliteException ×3, TimeoutException ×1".</summary>
    private static string Describe(SortedDictionary<string, int> failures)
    {
        var text = string.Join(", ", failures.Select(f => $"{f.Key} ×{f.Value}"));
        return text.Length <= MaxFailuresText ? text : text[..(MaxFailuresText - 1)] + "…";
    }

    private const int MaxFailuresText = 500; // the column holds 1000 (0710)

    private static async Task<bool> EraseInAsync(Session s, string id, DateTimeOffset before, DateTimeOffset now)
    {
        var x = await s.GetSubjectForChangeAsync(id);
        if (x is null || x.Active || x.ErasedAt is not null) return false;
        var done = await s.EraseSubjectAsync(id, Masking.Name(x.Name), before, now);
        if (done is null) return false;
        await StaffActions.RecordAsync(s, now, x.StreetId, StaffActions.Retention, StaffActions.SubjectErased, StaffActions.Targets.Subject, id,
            $"{x.Kind.ToWire()}; tenants made anonymous {done.Tenants}, chat accounts that stopped speaking for them {done.AccountsStoppedSpeaking} ({done.AccountsUnbound} of them now unbound)");
        return true;
    }
}
