using Microsoft.Extensions.Hosting;

namespace Scoring.Application;

/// <summary>
/// Background work begins once the host has started, its server listening: the host starts hosted services before the
/// server binds, so an instance that then cannot listen (its port taken) had already taken leases, run rounds and sent
/// outbox messages on the shared database, and died holding the leases.
/// </summary>
public static class ServerStart
{
    /// <summary>
    /// Waits for <paramref name="lifetime"/>'s ApplicationStarted; false when <paramref name="stopping"/> comes first (a
    /// start that failed, or a stop). Without a host (work built on its own, as tests do) it returns at once.
    /// </summary>
    public static async Task<bool> WaitAsync(IHostApplicationLifetime? lifetime, CancellationToken stopping)
    {
        if (lifetime is null || lifetime.ApplicationStarted.IsCancellationRequested) return true;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stopping.Register(() => started.TrySetCanceled(stopping)))
        {
            try
            {
                await started.Task;
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}
