using System.Collections.Concurrent;

namespace Scoring.Storage;

/// <summary>
/// Streets and rule sets are read on every report but change rarely. They are kept here for a short
/// while; this instance forgets an entry when it changes it, and other instances see the change
/// within <see cref="Lifetime"/>. (Rule set versions take effect from a future week's start, far enough ahead for
/// that delay — RuleBook.StartsNoSoonerThan — so it can never score an event under the wrong version; what decides
/// on the newest version or the settings as they are now reads them uncached.)
/// </summary>
public sealed class ReferenceCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    // Anyone can ask for a made-up street id (the public board): misses are not kept, and past this size
    // expired entries are dropped.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, object Value)> _entries = new();

    // Keys a transaction is changing: until it ends, what is read of them may be uncommitted, so it is not kept.
    private readonly ConcurrentDictionary<string, byte> _changing = new();

    /// <summary>The entry under <paramref name="key"/>, loaded and kept for <paramref name="lifetime"/> (default <see cref="Lifetime"/>) when missing.</summary>
    public async Task<T> GetOrLoadAsync<T>(string key, Func<Task<T>> load, TimeSpan? lifetime = null)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > now) return (T)entry.Value;
        var value = await load();
        if (value is not null && !_changing.ContainsKey(key)) Keep(key, value, now + (lifetime ?? Lifetime));
        return value;
    }

    // Loads of shared, costly entries under way (see GetOrRefreshAsync): their callers' answer, or null if the load failed.
    private readonly ConcurrentDictionary<string, TaskCompletionSource<object?>> _refreshing = new();

    /// <summary>
    /// For an entry that is costly to load and read by many at once (a street's week ranks). Once it has expired, the
    /// first caller to notice starts one reload in the background and everyone answers from the expired entry until
    /// it is done; only when there is no entry yet do callers wait, for one shared load. Without this, every request
    /// that arrived while the entry was being reloaded computed it again, all at the same moment, and the one that
    /// reloads it might be the single writer, in the middle of a chat turn.
    /// An entry expired more than <paramref name="lifetime"/> ago is not answered from (callers wait for the reload as
    /// for a first load): otherwise the first reader after a quiet hour would be told the figures of an hour ago.
    /// So an answer is at most twice <paramref name="lifetime"/> old, plus the time one reload takes.
    /// <paramref name="load"/> must read committed data only (on a reader), since its result is shared.
    /// </summary>
    public async Task<T> GetOrRefreshAsync<T>(string key, Func<Task<T>> load, TimeSpan lifetime) where T : class
    {
        var now = time.GetUtcNow();
        var stale = _entries.TryGetValue(key, out var entry) ? entry.Value as T : null;
        if (stale is not null && entry.Expires > now) return stale;
        if (stale is not null && entry.Expires + lifetime <= now) stale = null; // too old to answer from
        var mine = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loading = _refreshing.GetOrAdd(key, mine);
        if (loading != mine)
        {
            if (stale is not null) return stale;
            // The first load ever: wait for it, and load again only if it failed.
            return await loading.Task as T ?? await load();
        }
        if (stale is not null)
        {
            // A failed reload leaves the expired entry in use; the next caller to notice tries again.
            _ = Task.Run(async () => { try { await RefreshAsync(key, load, lifetime, mine); } catch (Exception) { } });
            return stale;
        }
        return await RefreshAsync(key, load, lifetime, mine);
    }

    private async Task<T> RefreshAsync<T>(string key, Func<Task<T>> load, TimeSpan lifetime, TaskCompletionSource<object?> mine) where T : class
    {
        try
        {
            var value = await load();
            Keep(key, value, time.GetUtcNow() + lifetime);
            mine.SetResult(value);
            return value;
        }
        catch
        {
            mine.SetResult(null);
            throw;
        }
        finally
        {
            _refreshing.TryRemove(KeyValuePair.Create(key, mine));
        }
    }

    public bool TryGet<T>(string key, out T value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow() && entry.Value is T typed)
        {
            value = typed;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>
    /// Keeps <paramref name="value"/> unless a later version of it is already kept: a reader that loaded the previous
    /// version before a change committed can finish after the writer has put the new one.
    /// </summary>
    public void PutLatest<T>(string key, T value, Func<T, long> version) where T : notnull
    {
        var expires = time.GetUtcNow() + Lifetime;
        Trim();
        _entries.AddOrUpdate(key, (expires, value),
            (_, kept) => kept.Value is T older && version(older) > version(value) ? kept : (expires, value));
    }

    /// <summary>Forgets a committed change.</summary>
    public void Forget(string key) => _entries.TryRemove(key, out _);

    /// <summary>A transaction is changing <paramref name="key"/>: forget it now, and again when the transaction ends (<see cref="Settle"/>).</summary>
    public void Changing(string key)
    {
        _changing[key] = 0;
        Forget(key);
    }

    /// <summary>The transactions of this instance have ended: forget what they changed, which readers may have reloaded meanwhile.</summary>
    public void Settle()
    {
        foreach (var key in _changing.Keys)
        {
            _changing.TryRemove(key, out _);
            Forget(key);
        }
    }

    private void Keep(string key, object value, DateTimeOffset expires)
    {
        Trim();
        _entries[key] = (expires, value);
    }

    private void Trim()
    {
        if (_entries.Count < MaxEntries) return;
        var now = time.GetUtcNow();
        foreach (var (k, e) in _entries)
            if (e.Expires <= now) _entries.TryRemove(k, out _);
        if (_entries.Count >= MaxEntries) _entries.Clear();
    }
}
