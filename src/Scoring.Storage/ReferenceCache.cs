using System.Collections.Concurrent;

namespace Scoring.Storage;

/// <summary>
/// Streets and rule sets are read on every report but change rarely. They are kept here for a short
/// while; this instance forgets an entry the moment it changes it, and other instances see the change
/// within <see cref="Lifetime"/>. (Rule set versions take effect from a future week's start, so a short
/// delay can never score an event under the wrong version.)
/// </summary>
public sealed class ReferenceCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, object? Value)> _entries = new();

    public async Task<T> GetOrLoadAsync<T>(string key, Func<Task<T>> load)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > now) return (T)entry.Value!;
        var value = await load();
        _entries[key] = (now + Lifetime, value);
        return value;
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

    public void Put(string key, object value) => _entries[key] = (time.GetUtcNow() + Lifetime, value);

    public void Forget(string key) => _entries.TryRemove(key, out _);
}
