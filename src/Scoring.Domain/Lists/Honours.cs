namespace Scoring.Domain.Lists;

/// <summary>Subjects on the red list at least K times in a cycle year are that year's good-person candidates (后宅好人).</summary>
public static class Honours
{
    public sealed record Candidate(string SubjectId, int RedListings);

    /// <param name="redListings">One subject id per red listing (per published week, latest revision).</param>
    public static IReadOnlyList<Candidate> Candidates(IEnumerable<string> redListings, int threshold) =>
        redListings.GroupBy(id => id)
            .Select(g => new Candidate(g.Key, g.Count()))
            .Where(c => c.RedListings >= threshold)
            .OrderByDescending(c => c.RedListings).ThenBy(c => c.SubjectId, StringComparer.Ordinal)
            .ToList();
}
