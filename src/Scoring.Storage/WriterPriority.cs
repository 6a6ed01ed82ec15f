using System.Runtime.InteropServices;

namespace Scoring.Storage;

/// <summary>
/// Runs the single SQLite writer ahead of request threads when the system allows it. Every write waits for the
/// writer, so each time the scheduler preempts it for a request thread, all writers wait; on two cores shared
/// with the load it spent ~13% of its time runnable but not running (docs/benchmarks.md). Raising a thread's
/// priority needs CAP_SYS_NICE or a matching RLIMIT_NICE; without them the writer runs as before.
/// </summary>
internal static class WriterPriority
{
    /// <summary>The nice value asked for (the default is 0; lower runs first).</summary>
    public const int Nice = -10;

    private const int PrioProcess = 0; // PRIO_PROCESS: with a thread id, that one thread on Linux

    /// <summary>Raises the calling thread's priority; false where it is not allowed or not Linux.</summary>
    public static bool TryRaiseCurrentThread()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return SetPriority(PrioProcess, GetThreadId(), Nice) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);
}
