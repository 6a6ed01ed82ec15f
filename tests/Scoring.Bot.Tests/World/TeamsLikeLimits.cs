using System.Collections.Concurrent;

namespace Scoring.Bot.Tests.World;

/// <summary>
/// Throttles a <see cref="FakeConnector"/> the way Teams does, on the fake clock: past <paramref name="perSecond"/> sends
/// accepted in the last second by the whole host (one bot in one tenant), or past 7 a second or 60 in 30 s to one
/// conversation, a send is answered 429 with Retry-After. Refused sends do not count against the limits.
/// </summary>
public sealed class TeamsLikeLimits(TimeProvider time, int perSecond, TimeSpan? retryAfter = null)
{
    private readonly object gate = new();
    private readonly Queue<DateTimeOffset> host = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> conversations = [];
    private int throttledByHost;
    private int throttledByConversation;

    public TimeSpan RetryAfter { get; } = retryAfter ?? TimeSpan.FromSeconds(2);

    /// <summary>Fake time of every send accepted, in order.</summary>
    public ConcurrentQueue<(string ConversationId, string? Text, DateTimeOffset At)> Accepted { get; } = new();

    public int ThrottledByHost => Volatile.Read(ref throttledByHost);

    public int ThrottledByConversation => Volatile.Read(ref throttledByConversation);

    /// <summary>Answers <paramref name="request"/>; hand it to <see cref="FakeConnector.Script"/>.</summary>
    public ConnectorAnswer Answer(ConnectorRequest request)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            Forget(host, now - TimeSpan.FromSeconds(1));
            if (host.Count >= perSecond)
            {
                throttledByHost++;
                return ConnectorAnswer.TooManyRequests(RetryAfter);
            }
            if (!conversations.TryGetValue(request.ConversationId, out var sends))
            {
                conversations[request.ConversationId] = sends = new Queue<DateTimeOffset>();
            }
            Forget(sends, now - TimeSpan.FromSeconds(30));
            if (sends.Count >= 60 || sends.Count(at => at > now - TimeSpan.FromSeconds(1)) >= 7)
            {
                throttledByConversation++;
                return ConnectorAnswer.TooManyRequests(RetryAfter);
            }
            host.Enqueue(now);
            sends.Enqueue(now);
            Accepted.Enqueue((request.ConversationId, request.Text, now));
            return ConnectorAnswer.Ok;
        }
    }

    /// <summary>The most sends accepted within any one second.</summary>
    public int BusiestSecond()
    {
        var times = Accepted.Select(a => a.At).Order().ToList();
        var most = 0;
        for (int first = 0, last = 0; last < times.Count; last++)
        {
            while (times[last] - times[first] >= TimeSpan.FromSeconds(1)) first++;
            most = Math.Max(most, last - first + 1);
        }
        return most;
    }

    private static void Forget(Queue<DateTimeOffset> sends, DateTimeOffset before)
    {
        while (sends.Count > 0 && sends.Peek() <= before) sends.Dequeue();
    }
}
