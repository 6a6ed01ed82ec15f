namespace Scoring.Bot.Outbox;

/// <summary>
/// Paces this instance's sends to each channel host (serviceUrl): a channel limits a bot per tenant as well as per
/// conversation (Teams answers 429 past it), and a publication or a morning's reminders to a whole street would otherwise
/// leave as one burst. Each host has its own schedule: a send is given the next free moment at the host's pace, evenly
/// spaced; a 429 from the host holds its sends until the Retry-After is over and halves the pace,
/// which then climbs back with each send the host takes. Several instances each pace on their own; the halving is what
/// brings them under the host's limit together. Replies to someone who just wrote are counted but never held.
/// </summary>
public sealed class ServiceUrlPacing(TimeProvider time, double sendsPerSecond)
{
    private const int MaxHosts = 10_000;
    private readonly object gate = new();
    private readonly Dictionary<string, Host> hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The lowest pace a run of 429s brings a host down to.</summary>
    private const double SlowestPace = 0.5;

    /// <summary>
    /// The moment a send to <paramref name="serviceUrl"/> may leave, taken from the host's schedule: a reply leaves now
    /// (and is counted); a fresh notice at the host's pace, after any pause; one already given its moment (put off to it
    /// by this or another instance, whose schedule it is in) now, unless the host said 429 since: then it takes a new one.
    /// The caller sends at that moment, or puts the message off until it.
    /// </summary>
    public DateTimeOffset Reserve(string serviceUrl, SendKind kind)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var host = HostOf(serviceUrl, now);
            var interval = TimeSpan.FromSeconds(1 / host.Pace);
            var scheduled = kind is SendKind.Scheduled or SendKind.ScheduledElsewhere;
            if (kind == SendKind.Reply || (scheduled && host.PausedUntil <= now))
            {
                // Another instance's moment is not in this schedule: counted here, so this instance's own sends leave room for it.
                host.Next = Max(host.Next, now) + (kind == SendKind.Scheduled ? TimeSpan.Zero : interval);
                return now;
            }
            // Evenly spaced, no burst: a channel counts any one second, and a burst on top of the pace would exceed it.
            var at = Max(now, host.Next, host.PausedUntil);
            host.Next = Max(host.Next, at) + interval;
            return at;
        }
    }

    /// <summary>The host answered a send: it took it, so its pace may climb back towards the configured one.</summary>
    public void Accepted(string serviceUrl)
    {
        lock (gate)
        {
            if (hosts.TryGetValue(Key(serviceUrl), out var host) && host.Pace < sendsPerSecond)
            {
                // About a tenth of the configured pace more per second at the current pace: back to full in a few seconds.
                host.Pace = Math.Min(sendsPerSecond, host.Pace + sendsPerSecond / (10 * host.Pace));
            }
        }
    }

    /// <summary>The host answered 429: nothing more goes to it before <paramref name="retryAfter"/> is over, and slower after.</summary>
    public void Throttled(string serviceUrl, TimeSpan retryAfter)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var host = HostOf(serviceUrl, now);
            var until = now + retryAfter;
            // Sends already in flight meet the same 429: one halving per pause, not one per send.
            if (until > host.PausedUntil && host.PausedUntil <= now)
            {
                // Never below the floor, nor the floor above the host's configured pace (a host set below it stays there).
                host.Pace = Math.Max(Math.Min(SlowestPace, sendsPerSecond), host.Pace / 2);
            }
            host.PausedUntil = Max(host.PausedUntil, until);
            host.Next = Max(host.Next, host.PausedUntil);
        }
    }

    /// <summary>The pace a host is sent at now (sends a second).</summary>
    public double PaceOf(string serviceUrl)
    {
        lock (gate)
        {
            return hosts.TryGetValue(Key(serviceUrl), out var host) ? host.Pace : sendsPerSecond;
        }
    }

    private Host HostOf(string serviceUrl, DateTimeOffset now)
    {
        var key = Key(serviceUrl);
        if (!hosts.TryGetValue(key, out var host))
        {
            if (hosts.Count >= MaxHosts)
            {
                // Hosts idle for a minute have nothing to remember: their schedule and pause are past.
                foreach (var idle in hosts.Where(h => h.Value.Next < now - TimeSpan.FromMinutes(1) && h.Value.PausedUntil < now).Select(h => h.Key).ToList())
                {
                    hosts.Remove(idle);
                }
            }
            hosts[key] = host = new Host { Pace = sendsPerSecond, Next = now };
        }
        return host;
    }

    private static string Key(string serviceUrl) => serviceUrl.TrimEnd('/');

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b, DateTimeOffset c) => Max(Max(a, b), c);

    private sealed class Host
    {
        public double Pace;
        public DateTimeOffset Next;
        public DateTimeOffset PausedUntil;
    }
}

/// <summary>How a send stands with its host's pace.</summary>
public enum SendKind
{
    /// <summary>A reply to someone who just wrote: never held.</summary>
    Reply,
    /// <summary>A notice not yet given a moment.</summary>
    Fresh,
    /// <summary>A notice put off by this instance to a moment its schedule gave (and counted): it goes then unless the host said 429 since.</summary>
    Scheduled,
    /// <summary>A notice put off by another instance to a moment its schedule gave: it goes then unless the host said 429 since, and is counted here.</summary>
    ScheduledElsewhere,
}
