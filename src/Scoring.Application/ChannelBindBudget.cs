using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Scoring.Application;

/// <summary>
/// Wrong enrolment codes on one chat channel, from all its accounts together, counted by this instance over a sliding
/// window. The lockout per account (<see cref="Enrolment.MaxFailuresPerHour"/>) does not bound guessing on Web Chat or
/// Direct Line without enhanced authentication: each conversation there is a fresh user id. Once a channel's budget is
/// spent, accounts not yet linked there are told to wait, their code not looked at, till the oldest wrong code of the
/// window falls out of it; accounts already linked bind and ask as before (their id is stable, their own lockout bounds
/// them). In memory, per instance: N instances give N budgets, and a restart starts afresh.
/// </summary>
public sealed class ChannelBindBudget(TimeProvider time, ChannelBindBudget.Limits? limits = null, ILogger<ChannelBindBudget>? log = null)
{
    /// <param name="FailedBinds">Wrong codes a channel takes within <paramref name="Window"/> before binding there waits.</param>
    public sealed record Limits(int FailedBinds, TimeSpan Window)
    {
        /// <summary>
        /// 60 wrong codes in 10 minutes, on one channel, on one instance. A street's real mistakes stay far below it: most
        /// slips are scanned (the QR sends the bind command as printed), a typed code forgives case and O/0, I/1/L, and
        /// a used, replaced or expired code is not a wrong one; 60 is everyone of a crowded enrolment meeting mistyping
        /// within the same ten minutes. (Slips issued before the app password changed are wrong codes unless
        /// Bot:PreviousAppPassword is kept: README, Deploying the bot.) A guesser gets 8,640 tries a day: with 5,000
        /// live codes (a whole street reprinted in one week) of 2^40, one hit takes about 70 years on average.
        /// </summary>
        public static readonly Limits Default = new(60, TimeSpan.FromMinutes(10));
    }

    private readonly Limits _limits = limits ?? Limits.Default;
    private readonly ILogger _log = log ?? NullLogger<ChannelBindBudget>.Instance;
    private readonly ConcurrentDictionary<string, Channel> _channels = new(StringComparer.Ordinal);

    // Channels come from the connector's signed activities, a handful in all; this only keeps memory bounded should
    // something else name them: past it, further channels share one budget.
    private const int MaxChannels = 64;
    private const string OtherChannels = "*";

    private sealed class Channel
    {
        /// <summary>When each wrong code of the window came, oldest first; never more than the budget.</summary>
        public readonly Queue<DateTimeOffset> Failures = new();

        /// <summary>Till when the warning that the budget is spent is not written again.</summary>
        public DateTimeOffset QuietUntil;
    }

    /// <summary>How long till binding on <paramref name="channelId"/> may try a code again; null while the budget lasts.</summary>
    public TimeSpan? SpentFor(string channelId)
    {
        if (!_channels.TryGetValue(KeyOf(channelId), out var channel)) return null;
        var now = time.GetUtcNow();
        lock (channel)
        {
            Forget(channel, now);
            return channel.Failures.Count < _limits.FailedBinds ? null : channel.Failures.Peek() + _limits.Window - now;
        }
    }

    /// <summary>A wrong code on <paramref name="channelId"/>: the warning is written when it spends the budget, once a window.</summary>
    public void RecordFailure(string channelId)
    {
        var key = KeyOf(channelId);
        var channel = _channels.GetOrAdd(key, _ => new Channel());
        var now = time.GetUtcNow();
        bool warn;
        lock (channel)
        {
            Forget(channel, now);
            // Binds running at once may each have found budget left; the newest wrong codes are the ones kept.
            while (channel.Failures.Count >= _limits.FailedBinds) channel.Failures.Dequeue();
            channel.Failures.Enqueue(now);
            warn = channel.Failures.Count >= _limits.FailedBinds && now >= channel.QuietUntil;
            if (warn) channel.QuietUntil = now + _limits.Window;
        }
        // The channel and the counts only: never a code, nor who typed one.
        if (warn)
            _log.LogWarning("Enrolment codes: {Failures} wrong codes on channel {Channel} within {Window} on this instance; binding from accounts not yet linked there waits till they age out. Someone may be guessing codes from many chat accounts",
                _limits.FailedBinds, key, _limits.Window);
    }

    private void Forget(Channel channel, DateTimeOffset now)
    {
        while (channel.Failures.TryPeek(out var at) && at + _limits.Window <= now) channel.Failures.Dequeue();
    }

    private string KeyOf(string channelId) =>
        _channels.ContainsKey(channelId) || _channels.Count < MaxChannels ? channelId : OtherChannels;
}
