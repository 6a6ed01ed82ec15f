namespace Scoring.Application;

/// <summary>
/// The tenant returns this instance recorded in time and not yet due, by tenant and arrival: where an on-time copy sent
/// again in another message (no answer came quickly, retyped) finds the first. A late copy is found in the database (the
/// partial index of late returns, and the returns reported before it fell due as a range of their time-ordered ids); an
/// on-time one cannot be so cheaply: an index of every return by tenant or by arrival takes a page at random on every
/// return reported (0460, and the twenty-second session's pairs: the bench's p99 doubled), and a range of ids reaches
/// back to the arrival across every street's returns. So a copy answered by another instance, or after a restart, is
/// recorded again (one row more; the weekly report counts the return once). Each entry is checked against the database
/// by its id before it is trusted: a unit rolled back leaves none behind.
/// </summary>
internal sealed class RecentReturns
{
    /// <summary>At most this many are kept (about a morning rush of a large street); past it the oldest go first.</summary>
    public const int Most = 50_000;

    private readonly Dictionary<(string Tenant, long Arrival), (string Id, DateTimeOffset DueAt)> _byArrival = [];
    private readonly Queue<(string Tenant, long Arrival)> _order = new();
    private readonly Lock _gate = new();

    /// <summary>The id of the return of <paramref name="tenantId"/> at <paramref name="arrival"/> recorded here, while not yet due.</summary>
    public string? Find(string tenantId, DateTimeOffset arrival, DateTimeOffset now)
    {
        lock (_gate)
            return _byArrival.TryGetValue((tenantId, arrival.UtcTicks), out var r) && r.DueAt > now ? r.Id : null;
    }

    public void Add(string tenantId, DateTimeOffset arrival, string id, DateTimeOffset dueAt, DateTimeOffset now)
    {
        var key = (tenantId, arrival.UtcTicks);
        lock (_gate)
        {
            // Those recorded first go first: once due (a late copy is found in the database), or to make room.
            while (_order.TryPeek(out var oldest) && (_order.Count >= Most || !_byArrival.TryGetValue(oldest, out var o) || o.DueAt <= now))
            {
                _order.Dequeue();
                _byArrival.Remove(oldest);
            }
            if (_byArrival.TryAdd(key, (id, dueAt))) _order.Enqueue(key);
            else _byArrival[key] = (id, dueAt);
        }
    }
}
