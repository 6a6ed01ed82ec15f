using Microsoft.Extensions.Time.Testing;
using Scoring.Bot.Outbox;

namespace Scoring.Bot.Tests.Outbox;

public sealed class ServiceUrlPacingTests
{
    [Fact]
    public void A_host_configured_slower_than_the_slowest_pace_is_not_sped_up_by_a_429()
    {
        // The floor a run of 429s stops at is never above what the host was configured for: 0.2 a second stays at most 0.2.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var pacing = new ServiceUrlPacing(time, 0.2);
        pacing.Reserve("https://smba.example/", SendKind.Fresh);

        pacing.Throttled("https://smba.example/", TimeSpan.FromSeconds(5));
        pacing.Accepted("https://smba.example/");

        Assert.True(pacing.PaceOf("https://smba.example/") <= 0.2, $"paced at {pacing.PaceOf("https://smba.example/")} a second");
    }

    [Fact]
    public void A_notice_another_instance_scheduled_goes_at_its_moment_and_is_counted_here_while_one_this_instance_scheduled_is_not_counted_twice()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var elsewhere = new ServiceUrlPacing(time, 10);
        var here = new ServiceUrlPacing(time, 10);
        var now = time.GetUtcNow();

        Assert.Equal(now, elsewhere.Reserve("https://smba.example/", SendKind.ScheduledElsewhere));
        Assert.Equal(now, here.Reserve("https://smba.example/", SendKind.Scheduled));

        // The next fresh notice waits one interval behind the other instance's, and none behind this instance's own.
        Assert.Equal(now + TimeSpan.FromSeconds(0.1), elsewhere.Reserve("https://smba.example/", SendKind.Fresh));
        Assert.Equal(now, here.Reserve("https://smba.example/", SendKind.Fresh));
    }
}
