namespace Scoring.Domain;

/// <summary>
/// Something wrong with what an officer set (a rule, a setting), said in both languages: officers read the Chinese,
/// clients and logs the English, so neither is a translation made later from the other.
/// </summary>
public sealed record Problem(string En, string Zh)
{
    /// <summary>The problems in one language, each once, as one detail (Chinese sentences end in 。 and need no space).</summary>
    public static string Join(IEnumerable<Problem> problems, bool chinese) =>
        string.Join(chinese ? "" : " ", problems.DistinctBy(p => p.En).Select(p => chinese ? p.Zh : p.En));
}
