namespace Scoring.Bot.Outbox;

/// <summary>
/// Wakes the outbox sender so that fresh messages leave now rather than at the next poll.
/// Nudges while the sender is busy are not lost: its next wait returns at once.
/// </summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource nudged = NewSource();

    public void Nudge() => Volatile.Read(ref nudged).TrySetResult();

    /// <summary>Forgets nudges already seen and returns the task the next nudge completes.</summary>
    internal Task Arm()
    {
        var current = Volatile.Read(ref nudged);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref nudged, NewSource(), current);
        }
        return Volatile.Read(ref nudged).Task;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
