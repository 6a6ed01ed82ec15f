using CsCheck;
using Scoring.Domain.Ledger;
using Scoring.Domain.Lists;

namespace Scoring.Domain.Tests.Lists;

public class WeeklyRankingTests
{
    internal static RankedSubject Subject(string id, int balance, int cycleDeductions = 0, int weekAdditions = 0, int weekDeductions = 0) =>
        new(id, "name-" + id, "fangtang", new WeekFigures(id, balance, cycleDeductions, weekAdditions, weekDeductions));

    private static IEnumerable<(string, int)> Order(IEnumerable<Standing> standings) => standings.Select(s => (s.SubjectId, s.Rank));

    [Fact]
    public void Higher_balance_ranks_first()
    {
        var ranked = WeeklyRanking.Rank([Subject("a", 13), Subject("b", 16), Subject("c", 12)]);
        Assert.Equal([("b", 1), ("a", 2), ("c", 3)], Order(ranked));
    }

    [Fact]
    public void At_equal_balance_fewer_deduction_points_in_the_cycle_rank_first()
    {
        var ranked = WeeklyRanking.Rank([Subject("a", 14, cycleDeductions: 2, weekAdditions: 5), Subject("b", 14, cycleDeductions: 0)]);
        Assert.Equal([("b", 1), ("a", 2)], Order(ranked));
    }

    [Fact]
    public void At_equal_balance_and_deductions_more_addition_points_in_the_week_rank_first()
    {
        var ranked = WeeklyRanking.Rank([Subject("a", 14, 1, weekAdditions: 1), Subject("b", 14, 1, weekAdditions: 3)]);
        Assert.Equal([("b", 1), ("a", 2)], Order(ranked));
    }

    [Fact]
    public void Subjects_still_tied_share_a_rank_and_the_next_rank_is_skipped_1_2_2_4()
    {
        var ranked = WeeklyRanking.Rank(
        [
            Subject("d", 13),
            Subject("c", 14, 0, 2),
            Subject("a", 15),
            Subject("b", 14, 0, 2, weekDeductions: 1), // week deductions are not a tie-break
        ]);
        Assert.Equal([("a", 1), ("b", 2), ("c", 2), ("d", 4)], Order(ranked));
    }

    [Fact]
    public void The_worst_first_order_is_the_mirror_image()
    {
        var ranked = WeeklyRanking.RankWorstFirst([Subject("a", 10, 2), Subject("b", 10, 4), Subject("c", 9), Subject("d", 11), Subject("e", 10, 4)]);
        Assert.Equal([("c", 1), ("b", 2), ("e", 2), ("a", 4), ("d", 5)], Order(ranked));
    }

    [Fact]
    public void Nobody_to_rank_gives_an_empty_ranking() => Assert.Empty(WeeklyRanking.Rank([]));

    // ---- properties ----

    /// <summary>Small ranges so that ties on every key are common.</summary>
    internal static readonly Gen<RankedSubject[]> Subjects =
        Gen.Select(Gen.Int[8, 16], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 2]).Array[0, 12]
            .Select(rows => rows.Select((r, i) => Subject($"s{i:D2}", r.Item1, r.Item2, r.Item3, r.Item4)).ToArray());

    private static bool Better(WeekFigures a, WeekFigures b) =>
        a.Balance != b.Balance ? a.Balance > b.Balance
        : a.CycleDeductionPoints != b.CycleDeductionPoints ? a.CycleDeductionPoints < b.CycleDeductionPoints
        : a.WeekAdditionPoints > b.WeekAdditionPoints;

    private static bool Tied(WeekFigures a, WeekFigures b) =>
        (a.Balance, a.CycleDeductionPoints, a.WeekAdditionPoints) == (b.Balance, b.CycleDeductionPoints, b.WeekAdditionPoints);

    [Fact]
    public void A_rank_is_one_plus_the_number_of_subjects_strictly_better() =>
        Subjects.Sample(subjects =>
        {
            var ranked = WeeklyRanking.Rank(subjects);
            return ranked.Count == subjects.Length
                && ranked.Select(s => s.SubjectId).Order().SequenceEqual(subjects.Select(s => s.SubjectId).Order())
                && ranked.All(s => s.Rank == 1 + subjects.Count(o => Better(o.Figures, s.Figures)));
        });

    [Fact]
    public void Ranks_never_decrease_down_the_order_and_never_rise_above_the_position() =>
        Subjects.Sample(subjects =>
        {
            var ranked = WeeklyRanking.Rank(subjects);
            return ranked.Select((s, i) => (s, i)).All(x =>
                x.s.Rank <= x.i + 1
                && (x.i == 0 ? x.s.Rank == 1 : ranked[x.i - 1].Rank <= x.s.Rank && !Better(x.s.Figures, ranked[x.i - 1].Figures)));
        });

    [Fact]
    public void Subjects_share_a_rank_exactly_when_they_tie_on_all_three_keys() =>
        Subjects.Sample(subjects =>
        {
            var ranked = WeeklyRanking.Rank(subjects);
            return ranked.All(a => ranked.All(b => (a.Rank == b.Rank) == Tied(a.Figures, b.Figures)));
        });

    [Fact]
    public void Ranking_does_not_depend_on_the_input_order() =>
        Gen.Select(Subjects, Gen.Int).Sample((subjects, seed) =>
        {
            var shuffled = subjects.ToArray();
            new Random(seed).Shuffle(shuffled);
            return Order(WeeklyRanking.Rank(subjects)).SequenceEqual(Order(WeeklyRanking.Rank(shuffled)));
        });

    [Fact]
    public void Worst_first_ranks_one_plus_the_number_strictly_worse() =>
        Subjects.Sample(subjects =>
            WeeklyRanking.RankWorstFirst(subjects).All(s => s.Rank == 1 + subjects.Count(o => Better(s.Figures, o.Figures))));
}
