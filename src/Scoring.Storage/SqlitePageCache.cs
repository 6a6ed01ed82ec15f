using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Scoring.Storage;

/// <summary>
/// SQLite's own page cache, with one change: a page that a B-tree balance parks on the lock-byte page's number for a
/// moment is parked on key 0 (never a page number) instead.
/// </summary>
/// <remarks>
/// When a balance leaves sibling pages out of page-number order, SQLite swaps two pages' numbers through the number of
/// the page holding its lock byte (page 262,145 with 4 KB pages), which no database under 1 GiB reaches. The default
/// cache then remembers that number as its largest key, and at the next commit, dropping cached pages past the end of
/// the database, it walks every bucket and every page of the cache: on a busy writer at nearly every commit, ~4% of its
/// time (docs/benchmarks.md, eighth session). Only the swap's key changes here; fetching, pinning and eviction
/// stay SQLite's own code, called directly. Installed once per process before SQLite is first used; if SQLite was
/// already initialised, SQLite refuses and keeps its cache unchanged.
/// </remarks>
internal static unsafe class SqlitePageCache
{
    private const int ConfigPageCache = 18;     // SQLITE_CONFIG_PCACHE2
    private const int ConfigGetPageCache = 19;  // SQLITE_CONFIG_GETPCACHE2
    private const long PendingByte = 0x40000000; // SQLite's lock byte: 1 GiB into the file

    // sqlite3_pcache_methods2, field for field.
    [StructLayout(LayoutKind.Sequential)]
    private struct Methods
    {
        public int Version;
        public nint Arg;
        public nint Init, Shutdown, Create, CacheSize, PageCount, Fetch, Unpin, Rekey, Truncate, Destroy, Shrink;
    }

    private static Methods _sqlite; // SQLite's default cache, which every call ends in
    private static readonly ConcurrentDictionary<nint, uint> LockPageKeys = new();
    private static long _parked;

    /// <summary>Whether this process's SQLite runs with this cache.</summary>
    public static bool Installed { get; private set; }

    /// <summary>How many times a page was parked on key 0 instead of the lock-byte page's number.</summary>
    public static long SwapsParked => Interlocked.Read(ref _parked);

    public static void Install()
    {
        var configExport = SqliteLibrary.Export("sqlite3_config");
        if (configExport == 0) return;
        // sqlite3_config is variadic; a pointer as its second argument travels in the same register as a fixed one.
        var config = (delegate* unmanaged<int, Methods*, int>)configExport;
        Methods sqlite;
        if (config(ConfigGetPageCache, &sqlite) != 0 || sqlite.Create == 0 || sqlite.Rekey == 0 || sqlite.Destroy == 0) return;
        _sqlite = sqlite;
        var ours = sqlite; // SQLite copies the methods it is given
        ours.Create = (nint)(delegate* unmanaged<int, int, int, nint>)&Create;
        ours.Rekey = (nint)(delegate* unmanaged<nint, nint, uint, uint, void>)&Rekey;
        ours.Destroy = (nint)(delegate* unmanaged<nint, void>)&Destroy;
        Installed = config(ConfigPageCache, &ours) == 0;
    }

    [UnmanagedCallersOnly]
    private static nint Create(int pageSize, int extraSize, int purgeable)
    {
        var cache = ((delegate* unmanaged<int, int, int, nint>)_sqlite.Create)(pageSize, extraSize, purgeable);
        if (cache != 0 && pageSize > 0) LockPageKeys[cache] = (uint)(PendingByte / pageSize + 1);
        return cache;
    }

    // A swap is three rekeys in a row (A to the lock-byte page, B to A's number, A to B's number), so a page sits on
    // key 0 only between the first and the last, and both ends of the detour are translated.
    [UnmanagedCallersOnly]
    private static void Rekey(nint cache, nint page, uint oldKey, uint newKey)
    {
        if (LockPageKeys.TryGetValue(cache, out var lockPage))
        {
            if (newKey == lockPage)
            {
                newKey = 0;
                Interlocked.Increment(ref _parked);
            }
            if (oldKey == lockPage) oldKey = 0;
        }
        ((delegate* unmanaged<nint, nint, uint, uint, void>)_sqlite.Rekey)(cache, page, oldKey, newKey);
    }

    [UnmanagedCallersOnly]
    private static void Destroy(nint cache)
    {
        LockPageKeys.TryRemove(cache, out _);
        ((delegate* unmanaged<nint, void>)_sqlite.Destroy)(cache);
    }
}
