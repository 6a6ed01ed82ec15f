namespace Scoring.Domain.Lists;

/// <summary>
/// A week's red list (best) and black list (worst) for one kind of subject.
/// Red: subjects above the base with no approved deduction that week, ranks 1..N, ties at the cut included.
/// Black: subjects below the base, the bottom N, ties included. Nobody at the base is listed, and a
/// week with nobody eligible has an empty list — never filled with people who did nothing.
/// </summary>
public sealed record WeeklyList(IReadOnlyList<Standing> Red, IReadOnlyList<Standing> Black, IReadOnlyList<Standing> Standings)
{
    public static WeeklyList From(IEnumerable<RankedSubject> subjects, int redSize, int blackSize)
    {
        var all = subjects.ToList();
        var standings = WeeklyRanking.Rank(all);
        var red = WeeklyRanking.Rank(all.Where(s => s.Figures.Balance > StreetSettings.BaseScore && s.Figures.WeekDeductionPoints == 0))
            .Where(s => s.Rank <= redSize).ToList();
        var black = WeeklyRanking.RankWorstFirst(all.Where(s => s.Figures.Balance < StreetSettings.BaseScore))
            .Where(s => s.Rank <= blackSize).ToList();
        return new WeeklyList(red, black, standings);
    }
}
