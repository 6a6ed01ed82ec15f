using System.Runtime.InteropServices;

namespace Scoring.Storage;

/// <summary>
/// SQLite's default file system (VFS) with one change: what the single writer's thread writes to a write-ahead log is
/// gathered and reaches the file in one write when SQLite syncs the log (at every commit of the writer), instead of two
/// system calls per page (each frame's header, then its page).
/// </summary>
/// <remarks>
/// A commit of ~25 pages was ~50 writes inside the serial section, ~6% of the process's time under chat load in this
/// virtual machine (docs/benchmarks.md, fourteenth session). Safe because nothing of an unsynced write may be relied on:
/// SQLite makes frames visible to other connections only after the commit's sync (the writer runs
/// <c>synchronous=FULL</c>), and every other way of looking at the file from this handle (reading it back, its size,
/// truncating, closing, file controls) writes what was gathered first. A failed write is reported by the sync, which
/// fails the commit as the write itself would have. Other threads (migrations, the checkpointer, readers) and every
/// other file go straight through. Registered once per process as the default, before SQLite is first opened; if
/// something else set SQLite up first, it still applies to connections opened afterwards.
/// </remarks>
internal static unsafe class CombinedLogWrites
{
    private const int OpenWal = 0x00080000; // SQLITE_OPEN_WAL
    private const int IoErrWrite = 10 | (3 << 8); // SQLITE_IOERR_WRITE
    private const int InitialBuffer = 256 * 1024;
    private const int MaxBuffer = 16 * 1024 * 1024; // larger commits (bulk imports) pass through in pieces this long

    // sqlite3_vfs (version 3), field for field.
    [StructLayout(LayoutKind.Sequential)]
    private struct Vfs
    {
        public int Version, FileSize, MaxPathname;
        public nint Next, Name, AppData;
        public nint Open, Delete, Access, FullPathname, DlOpen, DlError, DlSym, DlClose, Randomness, Sleep, CurrentTime,
            GetLastError, CurrentTimeInt64, SetSystemCall, GetSystemCall, NextSystemCall;
    }

    // sqlite3_io_methods (version 3), field for field.
    [StructLayout(LayoutKind.Sequential)]
    private struct IoMethods
    {
        public int Version;
        public nint Close, Read, Write, Truncate, Sync, FileSize, Lock, Unlock, CheckReservedLock, FileControl, SectorSize,
            DeviceCharacteristics, ShmMap, ShmLock, ShmBarrier, ShmUnmap, Fetch, Unfetch;
    }

    // A log file opened through this VFS: SQLite's sqlite3_file (its methods pointer, ours) with what is gathered, and
    // the default VFS's own file after it.
    [StructLayout(LayoutKind.Sequential)]
    private struct LogFile
    {
        public IoMethods* Methods;
        public IoMethods* Inner;
        public byte* Buffer;
        public long Start;
        public int Length, Capacity;
    }

    private static readonly int InnerOffset = (sizeof(LogFile) + 15) & ~15;
    private static Vfs* _default;
    private static IoMethods* _ours;
    private static long _writes, _flushes;

    // Set on the writer's thread only: its connection syncs the log at every commit.
    [ThreadStatic] private static bool t_gather;

    /// <summary>Whether this process's SQLite opens files through this VFS.</summary>
    public static bool Installed { get; private set; }

    /// <summary>Writes to a log that were gathered, and the writes that reached the file with them (for tests).</summary>
    public static (long Gathered, long Flushed) Counts => (Interlocked.Read(ref _writes), Interlocked.Read(ref _flushes));

    /// <summary>From now on this thread's writes to a log are gathered until SQLite syncs it (the writer's thread).</summary>
    public static void GatherOnThisThread() => t_gather = true;

    public static void Install()
    {
        var find = (delegate* unmanaged<byte*, Vfs*>)SqliteLibrary.Export("sqlite3_vfs_find");
        var register = (delegate* unmanaged<Vfs*, int, int>)SqliteLibrary.Export("sqlite3_vfs_register");
        if (find is null || register is null) return;
        var initial = find(null);
        if (initial is null || initial->Version < 1 || initial->Open == 0) return;
        var vfs = (Vfs*)NativeMemory.AllocZeroed((nuint)sizeof(Vfs));
        *vfs = *initial;
        vfs->Next = 0;
        vfs->FileSize = InnerOffset + initial->FileSize;
        vfs->Name = Marshal.StringToCoTaskMemUTF8("scoring-combined-log");
        vfs->Open = (nint)(delegate* unmanaged<Vfs*, byte*, LogFile*, int, int*, int>)&Open;
        _default = initial;
        _ours = (IoMethods*)NativeMemory.AllocZeroed((nuint)sizeof(IoMethods));
        Installed = register(vfs, 1) == 0;
    }

    [UnmanagedCallersOnly]
    private static int Open(Vfs* vfs, byte* name, LogFile* file, int flags, int* outFlags)
    {
        var open = (delegate* unmanaged<Vfs*, byte*, void*, int, int*, int>)_default->Open;
        if ((flags & OpenWal) == 0) return open(_default, name, file, flags, outFlags); // the default VFS's file, as it is
        var inner = (IoMethods**)((byte*)file + InnerOffset);
        *inner = null;
        *file = default;
        var rc = open(_default, name, inner, flags, outFlags);
        if (rc != 0)
        {
            if (*inner is not null) ((delegate* unmanaged<void*, int>)(*inner)->Close)(inner);
            return rc;
        }
        file->Inner = *inner;
        file->Methods = MethodsLike(*inner);
        return rc;
    }

    // Made on the first log opened, after the default VFS's own methods (the version tells which of them exist).
    private static IoMethods* MethodsLike(IoMethods* inner)
    {
        lock (Making) return _ours->Version != 0 ? _ours : Make(inner);
    }

    private static readonly Lock Making = new();

    private static IoMethods* Make(IoMethods* inner)
    {
        var m = *inner;
        m.Close = (nint)(delegate* unmanaged<LogFile*, int>)&Close;
        m.Read = (nint)(delegate* unmanaged<LogFile*, void*, int, long, int>)&Read;
        m.Write = (nint)(delegate* unmanaged<LogFile*, void*, int, long, int>)&Write;
        m.Truncate = (nint)(delegate* unmanaged<LogFile*, long, int>)&Truncate;
        m.Sync = (nint)(delegate* unmanaged<LogFile*, int, int>)&Sync;
        m.FileSize = (nint)(delegate* unmanaged<LogFile*, long*, int>)&FileSize;
        m.Lock = (nint)(delegate* unmanaged<LogFile*, int, int>)&Lock;
        m.Unlock = (nint)(delegate* unmanaged<LogFile*, int, int>)&Unlock;
        m.CheckReservedLock = (nint)(delegate* unmanaged<LogFile*, int*, int>)&CheckReservedLock;
        m.FileControl = (nint)(delegate* unmanaged<LogFile*, int, void*, int>)&FileControl;
        m.SectorSize = (nint)(delegate* unmanaged<LogFile*, int>)&SectorSize;
        m.DeviceCharacteristics = (nint)(delegate* unmanaged<LogFile*, int>)&DeviceCharacteristics;
        if (m.Version >= 2)
        {
            m.ShmMap = (nint)(delegate* unmanaged<LogFile*, int, int, int, void**, int>)&ShmMap;
            m.ShmLock = (nint)(delegate* unmanaged<LogFile*, int, int, int, int>)&ShmLock;
            m.ShmBarrier = (nint)(delegate* unmanaged<LogFile*, void>)&ShmBarrier;
            m.ShmUnmap = (nint)(delegate* unmanaged<LogFile*, int, int>)&ShmUnmap;
        }
        if (m.Version >= 3)
        {
            m.Fetch = (nint)(delegate* unmanaged<LogFile*, long, int, void**, int>)&Fetch;
            m.Unfetch = (nint)(delegate* unmanaged<LogFile*, long, void*, int>)&Unfetch;
        }
        *_ours = m;
        return _ours;
    }

    private static void* Inner(LogFile* f) => (byte*)f + InnerOffset;

    /// <summary>
    /// Writes what was gathered, in as few writes as the default VFS takes; SQLite's error code if one failed (and what was
    /// gathered is dropped: SQLite writes the frames again, or not at all, after a failed commit).
    /// </summary>
    private static int Flush(LogFile* f)
    {
        var rc = 0;
        for (var done = 0; done < f->Length && rc == 0; done += MaxWrite)
        {
            rc = ((delegate* unmanaged<void*, void*, int, long, int>)f->Inner->Write)(Inner(f), f->Buffer + done, Math.Min(MaxWrite, f->Length - done), f->Start + done);
            Interlocked.Increment(ref _flushes);
        }
        f->Length = 0;
        return rc;
    }

    // The default VFS writes at most 128 KB - 1 bytes in one call (it masks the length with 0x1ffff, so a longer write
    // comes out short and is reported as a full disk).
    private const int MaxWrite = 124 * 1024;

    [UnmanagedCallersOnly]
    private static int Write(LogFile* f, void* data, int amount, long offset)
    {
        if (t_gather && amount <= MaxBuffer)
        {
            if (f->Length > 0 && (offset != f->Start + f->Length || f->Length + amount > MaxBuffer))
            {
                var flushed = Flush(f);
                if (flushed != 0) return flushed;
            }
            if (f->Length + amount > f->Capacity && !Grow(f, f->Length + amount)) return IoErrWrite;
            if (f->Length == 0) f->Start = offset;
            Buffer.MemoryCopy(data, f->Buffer + f->Length, f->Capacity - f->Length, amount);
            f->Length += amount;
            Interlocked.Increment(ref _writes);
            return 0;
        }
        var rc = Flush(f);
        return rc != 0 ? rc : ((delegate* unmanaged<void*, void*, int, long, int>)f->Inner->Write)(Inner(f), data, amount, offset);
    }

    private static bool Grow(LogFile* f, int needed)
    {
        var capacity = Math.Max(InitialBuffer, f->Capacity);
        while (capacity < needed) capacity *= 2;
        var grown = (byte*)NativeMemory.Realloc(f->Buffer, (nuint)capacity);
        if (grown is null) return false;
        f->Buffer = grown;
        f->Capacity = capacity;
        return true;
    }

    [UnmanagedCallersOnly]
    private static int Sync(LogFile* f, int flags)
    {
        var rc = Flush(f);
        return rc != 0 ? rc : ((delegate* unmanaged<void*, int, int>)f->Inner->Sync)(Inner(f), flags);
    }

    [UnmanagedCallersOnly]
    private static int Close(LogFile* f)
    {
        var flushed = Flush(f);
        var rc = ((delegate* unmanaged<void*, int>)f->Inner->Close)(Inner(f));
        NativeMemory.Free(f->Buffer);
        f->Buffer = null;
        f->Capacity = 0;
        return flushed != 0 ? flushed : rc;
    }

    [UnmanagedCallersOnly]
    private static int Read(LogFile* f, void* data, int amount, long offset)
    {
        // The writer reads frames back (pages it no longer caches); only a read of what is gathered needs it written.
        var rc = offset < f->Start + f->Length && offset + amount > f->Start ? Flush(f) : 0;
        return rc != 0 ? rc : ((delegate* unmanaged<void*, void*, int, long, int>)f->Inner->Read)(Inner(f), data, amount, offset);
    }

    [UnmanagedCallersOnly]
    private static int Truncate(LogFile* f, long size)
    {
        var rc = Flush(f);
        return rc != 0 ? rc : ((delegate* unmanaged<void*, long, int>)f->Inner->Truncate)(Inner(f), size);
    }

    [UnmanagedCallersOnly]
    private static int FileSize(LogFile* f, long* size)
    {
        var rc = Flush(f);
        return rc != 0 ? rc : ((delegate* unmanaged<void*, long*, int>)f->Inner->FileSize)(Inner(f), size);
    }

    [UnmanagedCallersOnly]
    private static int FileControl(LogFile* f, int op, void* arg)
    {
        var rc = Flush(f);
        return rc != 0 ? rc : ((delegate* unmanaged<void*, int, void*, int>)f->Inner->FileControl)(Inner(f), op, arg);
    }

    // The rest goes straight to the default VFS's file.
    [UnmanagedCallersOnly] private static int Lock(LogFile* f, int level) => ((delegate* unmanaged<void*, int, int>)f->Inner->Lock)(Inner(f), level);
    [UnmanagedCallersOnly] private static int Unlock(LogFile* f, int level) => ((delegate* unmanaged<void*, int, int>)f->Inner->Unlock)(Inner(f), level);
    [UnmanagedCallersOnly] private static int CheckReservedLock(LogFile* f, int* result) => ((delegate* unmanaged<void*, int*, int>)f->Inner->CheckReservedLock)(Inner(f), result);
    [UnmanagedCallersOnly] private static int SectorSize(LogFile* f) => ((delegate* unmanaged<void*, int>)f->Inner->SectorSize)(Inner(f));
    [UnmanagedCallersOnly] private static int DeviceCharacteristics(LogFile* f) => ((delegate* unmanaged<void*, int>)f->Inner->DeviceCharacteristics)(Inner(f));
    [UnmanagedCallersOnly] private static int ShmMap(LogFile* f, int region, int size, int extend, void** mapped) => ((delegate* unmanaged<void*, int, int, int, void**, int>)f->Inner->ShmMap)(Inner(f), region, size, extend, mapped);
    [UnmanagedCallersOnly] private static int ShmLock(LogFile* f, int offset, int n, int flags) => ((delegate* unmanaged<void*, int, int, int, int>)f->Inner->ShmLock)(Inner(f), offset, n, flags);
    [UnmanagedCallersOnly] private static void ShmBarrier(LogFile* f) => ((delegate* unmanaged<void*, void>)f->Inner->ShmBarrier)(Inner(f));
    [UnmanagedCallersOnly] private static int ShmUnmap(LogFile* f, int delete) => ((delegate* unmanaged<void*, int, int>)f->Inner->ShmUnmap)(Inner(f), delete);
    [UnmanagedCallersOnly] private static int Fetch(LogFile* f, long offset, int amount, void** page) => ((delegate* unmanaged<void*, long, int, void**, int>)f->Inner->Fetch)(Inner(f), offset, amount, page);
    [UnmanagedCallersOnly] private static int Unfetch(LogFile* f, long offset, void* page) => ((delegate* unmanaged<void*, long, void*, int>)f->Inner->Unfetch)(Inner(f), offset, page);
}
