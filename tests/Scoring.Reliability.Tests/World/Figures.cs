using System.Text.Json;

namespace Scoring.Reliability.Tests.World;

/// <summary>
/// The size of a run and where its measurements go. The quick sizes run in the normal suite; the full ones
/// with <c>SCORING_FULL_RELIABILITY=1</c>. With <c>SCORING_RELIABILITY_FIGURES=path</c> each test appends one
/// JSON line of figures, which scripts/reliability --full writes into docs/reliability.md.
/// </summary>
public static class Figures
{
    public static bool Full => Environment.GetEnvironmentVariable("SCORING_FULL_RELIABILITY") == "1";

    /// <summary>The quick size, or the full one on request.</summary>
    public static int Size(int quick, int full) => Full ? full : quick;

    private static readonly Lock Writing = new();

    public static void Record(string check, IReadOnlyDictionary<string, object> figures)
    {
        var path = Environment.GetEnvironmentVariable("SCORING_RELIABILITY_FIGURES");
        if (string.IsNullOrEmpty(path)) return;
        var line = JsonSerializer.Serialize(new Dictionary<string, object>(figures) { ["check"] = check, ["full"] = Full });
        lock (Writing) File.AppendAllText(path, line + Environment.NewLine);
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Round(double value, int digits = 1) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
}
