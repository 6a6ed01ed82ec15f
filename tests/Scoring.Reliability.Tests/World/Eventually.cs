namespace Scoring.Reliability.Tests.World;

/// <summary>Waits for something the service does in the background.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var waiting = System.Diagnostics.Stopwatch.StartNew(); // real time: the background work runs on it
        while (!condition())
        {
            if (waiting.Elapsed > within) Assert.Fail($"Gave up waiting {within.TotalSeconds:0} s for {what}.");
            await Task.Delay(100);
        }
    }
}
