using System.Data.Common;
using System.Globalization;

namespace Scoring.Storage.Activities;

/// <summary>
/// On SQLite, where the processed-activity records are found by their keys: a map in this instance's memory from each
/// key's fingerprint to its record's place (seq). A record's key is a hash, so an index of keys in the database took
/// one page at a random place per chat turn, in every commit of the single writer (docs/benchmarks.md, thirteenth
/// session); the records themselves are stored in the order they were made.
/// </summary>
/// <remarks>
/// Exact, also with several instances on one database file: the first use in each write transaction reads the records
/// committed since the last one (AUTOINCREMENT gives each committed record a higher seq than any before it), and the writer holds the database's write lock until
/// it commits, so nobody can add one meanwhile. A record made here is entered at once, also while uncommitted: every
/// entry found is checked against the record at its place, so one that was rolled back (or purged, or whose place was
/// taken by another key) counts as absent. About 30 bytes of memory per record kept (seven days by default).
/// </remarks>
internal sealed class ProcessedActivityIndex
{
    // Only ever run on SQLite; the T-SQL is what each would be there.
    // Every key, from the index on the time of processing, which carries them (the table's rows carry the replies).
    private static readonly DialectSql All = new(
        "SELECT seq AS Seq, activity_key AS \"Key\" FROM bot_processed_activity INDEXED BY ix_bot_processed_activity_at",
        "SELECT seq AS Seq, activity_key AS \"Key\" FROM bot_processed_activity WITH (INDEX(ix_bot_processed_activity_at))");
    private static readonly DialectSql Since = DialectSql.Both(
        "SELECT seq AS Seq, activity_key AS \"Key\" FROM bot_processed_activity WHERE seq > @Cursor");
    private static readonly DialectSql At = DialectSql.Both(
        "SELECT activity_key AS \"Key\", replies_json AS RepliesJson FROM bot_processed_activity WHERE seq = @Seq");
    private static readonly DialectSql Insert = new(
        ProcessedActivityStore.InsertRecord + "VALUES (@Key, @ChannelId, @ConversationId, @ActivityId, @RepliesJson, @ProcessedAt) RETURNING seq",
        ProcessedActivityStore.InsertRecord + "OUTPUT INSERTED.seq VALUES (@Key, @ChannelId, @ConversationId, @ActivityId, @RepliesJson, @ProcessedAt)");
    private static readonly DialectSql Oldest = DialectSql.Both("SELECT MIN(seq) FROM bot_processed_activity");

    private const long NotLoaded = -1;

    private readonly Func<string, long> _fingerprint;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, long> _seqByFingerprint = [];
    // Only the writer's thread reads and writes these two: the highest seq read from committed records, and the
    // transaction that last read them.
    private long _cursor = NotLoaded;
    private DbTransaction? _caughtUpIn;

    internal ProcessedActivityIndex(Func<string, long>? fingerprint = null) => _fingerprint = fingerprint ?? Fingerprint;

    /// <summary>How many keys are held (for tests).</summary>
    internal int Count { get { lock (_lock) return _seqByFingerprint.Count; } }

    /// <summary>In a write transaction: the replies recorded for <paramref name="key"/>, or null if it is new.</summary>
    public async Task<string?> FindAsync(Session session, string key)
    {
        await CatchUpAsync(session);
        return await FindKnownAsync(session, key);
    }

    /// <summary>
    /// On any connection: the replies of a record this instance knows of (made here, or read by a write transaction
    /// since it was committed) as the session sees it, or null.
    /// </summary>
    public async Task<string?> FindKnownAsync(Session session, string key)
    {
        var fingerprint = _fingerprint(key);
        long seq;
        lock (_lock)
        {
            if (!_seqByFingerprint.TryGetValue(fingerprint, out seq)) return null;
        }
        if (await session.FirstOrDefaultAsync<Stored>(At, new { Seq = seq }) is not { } stored) return null;
        if (stored.Key == key) return stored.RepliesJson;
        // Another key there: one with another fingerprint took the place of a record that was rolled back; one with the
        // same fingerprint left this key's own record unmapped, if it has one: found by a scan (SQLite has no index of
        // keys); for a city's traffic about one chance in 10^7 a week.
        return _fingerprint(stored.Key) == fingerprint
            ? await session.FirstOrDefaultAsync<string?>(ProcessedActivityStore.Find, new { Key = key })
            : null;
    }

    /// <summary>In a write transaction: records <paramref name="key"/> unless it is recorded already (then false).</summary>
    public async Task<bool> RecordAsync(Session session, ProcessedActivityKey key, Utf8Text repliesJson, DateTimeOffset processedAt)
    {
        if (await FindAsync(session, key.Hash) is not null) return false;
        var seq = await session.ScalarAsync<long>(Insert, ProcessedActivityStore.RowOf(key, repliesJson, processedAt));
        lock (_lock) _seqByFingerprint[_fingerprint(key.Hash)] = seq;
        return true;
    }

    /// <summary>In the write transaction that purged records: forgets the keys of records no longer there.</summary>
    public async Task TrimAsync(Session session)
    {
        var oldest = await session.ScalarAsync<long?>(Oldest);
        lock (_lock)
        {
            foreach (var (fingerprint, seq) in _seqByFingerprint)
                if (oldest is null || seq < oldest) _seqByFingerprint.Remove(fingerprint);
        }
    }

    /// <summary>
    /// Once per write transaction, before it records anything: enters the records committed since the last time (all of
    /// them the first time). What this transaction then sees of the table is its own doing.
    /// </summary>
    private async Task CatchUpAsync(Session session)
    {
        var transaction = session.Transaction ?? throw new InvalidOperationException("Processed activities are looked up for recording inside a write transaction.");
        if (ReferenceEquals(transaction, _caughtUpIn)) return;
        var rows = await session.QueryAsync<Entry>(_cursor == NotLoaded ? All : Since, new { Cursor = _cursor });
        var cursor = Math.Max(_cursor, 0);
        lock (_lock)
        {
            foreach (var row in rows)
            {
                _seqByFingerprint[_fingerprint(row.Key)] = row.Seq;
                cursor = Math.Max(cursor, row.Seq);
            }
        }
        _cursor = cursor;
        _caughtUpIn = transaction;
    }

    /// <summary>The first 64 bits of a key (keys are hex SHA-256 hashes: <see cref="CompositeKey"/>).</summary>
    internal static long Fingerprint(string key) =>
        key.Length >= 16 && long.TryParse(key.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits)
            ? bits
            : string.GetHashCode(key, StringComparison.Ordinal); // not a hash of ours; stable within the process, which is enough here

    private sealed record Entry(long Seq, string Key);

    private sealed record Stored(string Key, string RepliesJson);
}
