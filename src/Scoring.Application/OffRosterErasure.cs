using Scoring.Domain;
using Scoring.Domain.Lists;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// Erases the personal data of landlords and shop heads still off the roster past the end of the year after the one they
/// left in (<see cref="OffRoster"/>; README: Personal data kept): their phone, identity card, tenants, enrolment codes
/// and chat accounts, so that a chat account can no longer speak as them; their name is kept masked (应*喜), as the
/// public lists show it, for the ledger, its exports and the live views of old weeks, which name them by id. The ledger
/// and the published lists are not touched. Each erasure is its own transaction with its line in the street's staff
/// actions (by <see cref="StaffActions.Retention"/>, counts only), and is done only to someone still due: a round
/// repeated or cut short does nothing twice, and someone brought back meanwhile is kept. Run by the clockwork, hourly.
/// </summary>
public sealed class OffRosterErasure(Database db, TimeProvider time)
{
    /// <returns>How many people were erased.</returns>
    public async Task<int> EraseDueAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var erased = 0;
        foreach (var street in await db.ReadAsync(s => s.ListStreetsAsync(), ct))
        {
            var before = OffRoster.ErasableIfLeftBefore(now, street.Settings.TimeZone);
            foreach (var id in await db.ReadAsync(s => s.ErasableSubjectsAsync(street.Id, before), ct))
                if (await db.WriteAsync(s => EraseInAsync(s, id, before, now), ct)) erased++;
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
            $"{x.Kind.ToWire()}; tenants {done.Tenants}, chat accounts {done.ChatAccounts}");
        return true;
    }
}
