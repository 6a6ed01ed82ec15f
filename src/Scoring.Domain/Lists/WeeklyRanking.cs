using Scoring.Domain.Ledger;

namespace Scoring.Domain.Lists;

/// <summary>A subject's place in a week's standings.</summary>
public sealed record Standing(int Rank, string SubjectId, string Name, string CommunityId, WeekFigures Figures)
{
    public int Balance => Figures.Balance;
}

/// <summary>Who a subject is, for ranking purposes.</summary>
public sealed record RankedSubject(string SubjectId, string Name, string CommunityId, WeekFigures Figures);

/// <summary>
/// The published order: balance (high first); ties broken by fewer deduction points in the cycle,
/// then more addition points in the week; still tied = same rank (1, 2, 2, 4).
/// </summary>
public static class WeeklyRanking
{
    private static int Compare(WeekFigures a, WeekFigures b)
    {
        int c = b.Balance.CompareTo(a.Balance);
        if (c != 0) return c;
        c = a.CycleDeductionPoints.CompareTo(b.CycleDeductionPoints);
        if (c != 0) return c;
        return b.WeekAdditionPoints.CompareTo(a.WeekAdditionPoints);
    }

    /// <summary>Best first. Subjects that tie on all three keys share a rank; order among them is by id, for stable output.</summary>
    public static IReadOnlyList<Standing> Rank(IEnumerable<RankedSubject> subjects) => RankBy(subjects, Compare);

    /// <summary>Worst first (for the black list), with the mirror-image tie-break.</summary>
    public static IReadOnlyList<Standing> RankWorstFirst(IEnumerable<RankedSubject> subjects) => RankBy(subjects, (a, b) => Compare(b, a));

    private static IReadOnlyList<Standing> RankBy(IEnumerable<RankedSubject> subjects, Comparison<WeekFigures> compare)
    {
        var sorted = subjects.ToList();
        sorted.Sort((a, b) =>
        {
            int c = compare(a.Figures, b.Figures);
            return c != 0 ? c : string.CompareOrdinal(a.SubjectId, b.SubjectId);
        });
        var result = new List<Standing>(sorted.Count);
        for (int i = 0; i < sorted.Count; i++)
        {
            int rank = i > 0 && compare(sorted[i - 1].Figures, sorted[i].Figures) == 0 ? result[i - 1].Rank : i + 1;
            var s = sorted[i];
            result.Add(new Standing(rank, s.SubjectId, s.Name, s.CommunityId, s.Figures));
        }
        return result;
    }
}
