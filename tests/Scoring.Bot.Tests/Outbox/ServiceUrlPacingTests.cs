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
}
