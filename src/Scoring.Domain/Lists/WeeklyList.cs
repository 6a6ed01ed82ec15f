using Scoring.Domain.Ledger;

namespace Scoring.Domain.Lists;

/// <summary>
/// A week's red list (best) and black list (worst) for one kind of subject.
/// Red: subjects above the base with no approved deduction that week, ranks 1..N, ties at the cut included.
/// Black: subjects below the base, the bottom N, ties included. Nobody at the base is listed, and a
/// week with nobody eligible has an empty list — never filled with people who did nothing.
/// </summary>
/// <remarks>
/// The red list depends only on the eligible subjects ranked within N among themselves, the black list only on
/// those within N from the bottom: given just those subjects, <see cref="From"/> returns the same two lists
/// (publishing relies on this to rank the few candidates instead of a whole city street).
/// </remarks>
public sealed record WeeklyList(IReadOnlyList<Standing> Red, IReadOnlyList<Standing> Black, IReadOnlyList<Standing> Standings)
{
    public static WeeklyList From(IEnumerable<RankedSubject> subjects, int redSize, int blackSize)
    {
        // One sort serves all three lists: red is the eligible part of it ranked among themselves, black its tail read backwards.
        var sorted = WeeklyRanking.BestFirst(subjects);
        return new WeeklyList(RedList(sorted, redSize), WeeklyRanking.WorstFirst(sorted, blackSize, BlackEligible), WeeklyRanking.Standings(sorted));
    }

    private static bool RedEligible(WeekFigures f) => f.Balance > StreetSettings.BaseScore && f.WeekDeductionPoints == 0;

    private static bool BlackEligible(WeekFigures f) => f.Balance < StreetSettings.BaseScore;

    private static List<Standing> RedList(WeeklyRanking.Ranked[] sorted, int size)
    {
        var red = new List<Standing>();
        WeeklyRanking.Ranked before = default;
        for (int i = 0; i < sorted.Length && sorted[i].Subject.Figures.Balance > StreetSettings.BaseScore; i++)
        {
            var s = sorted[i];
            if (!RedEligible(s.Subject.Figures)) continue;
            // A tie with the eligible subject before shares its rank; otherwise the rank is the place among the eligible.
            int rank = red.Count > 0 && before.TiesWith(s) ? red[^1].Rank : red.Count + 1;
            if (rank > size) break;
            red.Add(s.At(rank));
            before = s;
        }
        return red;
    }
}
