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
    /// writes make harmless. A failure that meets everyone costs at most this time and one warning per person an hour.)
    /// </summary>
    public static readonly TimeSpan RoundTime = TimeSpan.FromSeconds(30);

    /// <returns>How many people were erased.</returns>
    public Task<int> EraseDueAsync(CancellationToken ct = default) => EraseDueAsync(MostPerRound, ct);

    /// <returns>How many people were erased, at most <paramref name="most"/>.</returns>
    public async Task<int> EraseDueAsync(int most, CancellationToken ct = default)
    {
        var started = time.GetUtcNow();
        var erased = 0;
        foreach (var street in await db.ReadAsync(s => s.ListStreetsAsync(), ct))
        {
            var before = OffRoster.ErasableIfLeftBefore(started, street.Settings.TimeZone);
            foreach (var id in await db.ReadAsync(s => s.ErasableSubjectsAsync(street.Id, before), ct))
            {
                if (erased >= most) return erased;
                try
                {
                    if (await db.WriteAsync(s => EraseInAsync(s, id, before, time.GetUtcNow()), ct)) erased++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One who cannot be erased (a bad row) is tried again next round; those after them in the order are
                    // not held up. The id and the type only: a message could quote personal data from a row.
                    _log.LogWarning("Could not erase subject {SubjectId} long off the roster ({ExceptionType}); tried again next round", id, e.GetType().FullName);
                }
                if (time.GetUtcNow() - started >= RoundTime) return erased;
            }
        }
        return erased;
    }

    private static async Task<bool> EraseInAsync(Session s, string id, DateTimeOffset before, DateTimeOffset now)
    {
        var x = await s.GetSubjectForChangeAsync(id);
        if (x is null || x.Active || x.ErasedAt is not null) return false;
        var done = await s.EraseSubjectAsync(id, Masking.Name(x.Name), before, now);
        if (done is null) return false;
        await StaffActions.RecordAsync(s, now, x.StreetId, StaffActions.Retention, StaffActions.SubjectErased, "subject", id,
            $"{x.Kind.ToWire()}; tenants made anonymous {done.Tenants}, chat accounts that stopped speaking for them {done.AccountsStoppedSpeaking} ({done.AccountsUnbound} of them now unbound)");
        return true;
    }
}
