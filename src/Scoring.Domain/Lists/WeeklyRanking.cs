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
    /// <summary>Best first. Subjects that tie on all three keys share a rank; order among them is by id, for stable output.</summary>
    public static IReadOnlyList<Standing> Rank(IEnumerable<RankedSubject> subjects) => Standings(BestFirst(subjects));

    /// <summary>The standings of subjects already sorted best first: a subject tied with the one before shares its rank.</summary>
    internal static List<Standing> Standings(Ranked[] sorted)
    {
        var result = new List<Standing>(sorted.Length);
        for (int i = 0; i < sorted.Length; i++)
            result.Add(sorted[i].At(i > 0 && sorted[i - 1].TiesWith(sorted[i]) ? result[i - 1].Rank : i + 1));
        return result;
    }

    /// <summary>Worst first (for the black list), with the mirror-image tie-break; order among tied subjects is by id as well.</summary>
    public static IReadOnlyList<Standing> RankWorstFirst(IEnumerable<RankedSubject> subjects)
    {
        var sorted = BestFirst(subjects);
        return WorstFirst(sorted, sorted.Length, _ => true);
    }

    /// <summary>The subjects sorted best first, ties by id (ordinal): the one sort every list of a week is read from.</summary>
    internal static Ranked[] BestFirst(IEnumerable<RankedSubject> subjects)
    {
        var sorted = subjects.Select(s => new Ranked(s)).ToArray();
        // Ranked compares itself (IComparable<Ranked>), so the sort calls it directly: for the 100k subjects of a
        // city street this is several times faster than a Comparison delegate over the records.
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>
    /// Takes <paramref name="sorted"/> (best first) from its end, a group of ties at a time and each in id order, while
    /// <paramref name="listed"/> accepts the group and its rank is within <paramref name="size"/>: the worst-first ranking
    /// of the subjects at the bottom. <paramref name="listed"/> looks at the balance only, so it judges a group of ties alike.
    /// </summary>
    internal static List<Standing> WorstFirst(Ranked[] sorted, int size, Func<WeekFigures, bool> listed)
    {
        var result = new List<Standing>();
        int end = sorted.Length;
        while (end > 0)
        {
            int start = end - 1;
            while (start > 0 && sorted[start - 1].TiesWith(sorted[end - 1])) start--;
            if (!listed(sorted[start].Subject.Figures)) break;
            int rank = result.Count + 1;
            if (rank > size) break;
            for (int i = start; i < end; i++) result.Add(sorted[i].At(rank));
            end = start;
        }
        return result;
    }

    /// <summary>A subject with its ranking keys copied out, so that sorting compares plain integers.</summary>
    internal readonly struct Ranked(RankedSubject subject) : IComparable<Ranked>
    {
        private readonly int _balance = subject.Figures.Balance;
        private readonly int _cycleDeductions = subject.Figures.CycleDeductionPoints;
        private readonly int _weekAdditions = subject.Figures.WeekAdditionPoints;

        public RankedSubject Subject { get; } = subject;

        /// <summary>Negative when this one ranks before <paramref name="other"/>; 0 when they tie on all three keys.</summary>
        public int CompareKeys(in Ranked other)
        {
            int c = other._balance.CompareTo(_balance);
            if (c != 0) return c;
            c = _cycleDeductions.CompareTo(other._cycleDeductions);
            if (c != 0) return c;
            return other._weekAdditions.CompareTo(_weekAdditions);
        }

        public bool TiesWith(in Ranked other) => CompareKeys(other) == 0;

        public int CompareTo(Ranked other)
        {
            int c = CompareKeys(other);
            return c != 0 ? c : string.CompareOrdinal(Subject.SubjectId, other.Subject.SubjectId);
        }

        public Standing At(int rank) => new(rank, Subject.SubjectId, Subject.Name, Subject.CommunityId, Subject.Figures);
    }
}
