using CsCheck;
using Scoring.Domain.Lists;
using static Scoring.Domain.Tests.Lists.WeeklyRankingTests;

namespace Scoring.Domain.Tests.Lists;

public class WeeklyListTests
{
    private static IEnumerable<(string, int)> Order(IEnumerable<Standing> standings) => standings.Select(s => (s.SubjectId, s.Rank));

    [Fact]
    public void The_red_list_is_the_top_three_above_the_base()
    {
        var list = WeeklyList.From([Subject("a", 17), Subject("b", 16), Subject("c", 15), Subject("d", 14), Subject("e", 12)], 3, 3);
        Assert.Equal([("a", 1), ("b", 2), ("c", 3)], Order(list.Red));
    }

    [Fact]
    public void Everyone_tied_at_the_cut_is_included()
    {
        var list = WeeklyList.From([Subject("a", 17), Subject("b", 16), Subject("c", 14), Subject("d", 14), Subject("e", 13)], 3, 3);
        Assert.Equal([("a", 1), ("b", 2), ("c", 3), ("d", 3)], Order(list.Red));

        var tiedAtTop = WeeklyList.From([Subject("a", 15), Subject("b", 15), Subject("c", 15), Subject("d", 15), Subject("e", 14)], 3, 3);
        Assert.Equal(["a", "b", "c", "d"], tiedAtTop.Red.Select(s => s.SubjectId));
        Assert.All(tiedAtTop.Red, s => Assert.Equal(1, s.Rank));
    }

    [Fact]
    public void A_subject_with_an_approved_deduction_that_week_is_not_eligible_for_the_red_list()
    {
        var list = WeeklyList.From([Subject("a", 18, weekDeductions: 1), Subject("b", 13), Subject("c", 12)], 3, 3);
        Assert.Equal([("b", 1)], Order(list.Red));
        Assert.Empty(list.Black); // a is above the base: not black either
    }

    [Fact]
    public void Only_subjects_above_the_base_are_eligible_for_red_so_a_short_list_stays_short()
    {
        var list = WeeklyList.From([Subject("a", 13), Subject("b", 12), Subject("c", 12), Subject("d", 11)], 3, 3);
        Assert.Equal(["a"], list.Red.Select(s => s.SubjectId));
    }

    [Fact]
    public void The_black_list_is_the_bottom_three_below_the_base_worst_first_with_ties()
    {
        var list = WeeklyList.From(
            [Subject("a", 13), Subject("b", 12), Subject("c", 11), Subject("d", 6), Subject("e", 9), Subject("f", 10), Subject("g", 10), Subject("h", 11)], 3, 3);
        Assert.Equal([("d", 1), ("e", 2), ("f", 3), ("g", 3)], Order(list.Black));
    }

    [Fact]
    public void Only_subjects_below_the_base_are_black_listed()
    {
        var list = WeeklyList.From([Subject("a", 11), Subject("b", 12), Subject("c", 12), Subject("d", 13)], 3, 3);
        Assert.Equal(["a"], list.Black.Select(s => s.SubjectId));
    }

    [Fact]
    public void A_week_where_nobody_moved_has_empty_lists_but_everyone_in_the_standings()
    {
        var list = WeeklyList.From([Subject("a", 12), Subject("b", 12), Subject("c", 12)], 3, 3);
        Assert.Empty(list.Red);
        Assert.Empty(list.Black);
        Assert.Equal([("a", 1), ("b", 1), ("c", 1)], Order(list.Standings));
    }

    [Fact]
    public void List_sizes_are_street_settings()
    {
        var subjects = new[] { Subject("a", 17), Subject("b", 16), Subject("c", 15), Subject("d", 9), Subject("e", 8) };
        var list = WeeklyList.From(subjects, redSize: 1, blackSize: 2);
        Assert.Equal(["a"], list.Red.Select(s => s.SubjectId));
        Assert.Equal(["e", "d"], list.Black.Select(s => s.SubjectId));
    }

    // ---- properties ----

    private static readonly Gen<(RankedSubject[] Subjects, int Red, int Black)> Weeks =
        Gen.Select(Subjects, Gen.Int[1, 5], Gen.Int[1, 5]);

    [Fact]
    public void Red_and_black_are_disjoint_and_nobody_at_the_base_is_listed() =>
        Weeks.Sample((subjects, red, black) =>
        {
            var list = WeeklyList.From(subjects, red, black);
            return !list.Red.Select(s => s.SubjectId).Intersect(list.Black.Select(s => s.SubjectId)).Any()
                && list.Red.Concat(list.Black).All(s => s.Balance != StreetSettings.BaseScore);
        });

    [Fact]
    public void Every_red_entry_is_above_the_base_with_no_deduction_that_week_and_every_black_entry_below() =>
        Weeks.Sample((subjects, red, black) =>
        {
            var list = WeeklyList.From(subjects, red, black);
            return list.Red.All(s => s.Balance > StreetSettings.BaseScore && s.Figures.WeekDeductionPoints == 0)
                && list.Black.All(s => s.Balance < StreetSettings.BaseScore);
        });

    [Fact]
    public void List_sizes_respect_N_except_for_ties_at_the_cut() =>
        Weeks.Sample((subjects, red, black) =>
        {
            var list = WeeklyList.From(subjects, red, black);
            return WithinN(list.Red, red) && WithinN(list.Black, black);
        });

    private static bool WithinN(IReadOnlyList<Standing> entries, int n) =>
        entries.All(e => e.Rank <= n)
        && (entries.Count <= n || entries.Skip(n).All(e => e.Rank == entries[n - 1].Rank));

    [Fact]
    public void Nobody_eligible_is_left_off_above_the_cut() =>
        Weeks.Sample((subjects, red, black) =>
        {
            var list = WeeklyList.From(subjects, red, black);
            var eligibleRed = subjects.Where(s => s.Figures.Balance > StreetSettings.BaseScore && s.Figures.WeekDeductionPoints == 0).ToList();
            var eligibleBlack = subjects.Where(s => s.Figures.Balance < StreetSettings.BaseScore).ToList();
            return list.Red.Count >= Math.Min(red, eligibleRed.Count)
                && list.Black.Count >= Math.Min(black, eligibleBlack.Count)
                && (list.Red.Count > 0 || eligibleRed.Count == 0)
                && (list.Black.Count > 0 || eligibleBlack.Count == 0)
                && list.Standings.Count == subjects.Length;
        });

    [Fact]
    public void Red_ranks_follow_the_published_order() =>
        Weeks.Sample((subjects, red, black) =>
        {
            var list = WeeklyList.From(subjects, red, black);
            var standing = list.Standings.ToDictionary(s => s.SubjectId, s => s.Rank);
            return list.Red.Zip(list.Red.Skip(1)).All(p => p.First.Rank <= p.Second.Rank && standing[p.First.SubjectId] <= standing[p.Second.SubjectId])
                && list.Black.Zip(list.Black.Skip(1)).All(p => p.First.Rank <= p.Second.Rank && standing[p.First.SubjectId] >= standing[p.Second.SubjectId]);
        });

    [Fact]
    public void Tied_entries_are_listed_in_id_order_whatever_the_input_order()
    {
        var list = WeeklyList.From([Subject("b", 15), Subject("d", 9), Subject("a", 15), Subject("c", 9), Subject("e", 12)], 3, 3);
        Assert.Equal([("a", 1), ("b", 1)], Order(list.Red));
        Assert.Equal([("c", 1), ("d", 1)], Order(list.Black));
        Assert.Equal([("a", 1), ("b", 1), ("e", 3), ("c", 4), ("d", 4)], Order(list.Standings));
    }

    /// <summary>The lists as first written: three separate rankings, each a sort with a comparison, then cut at N.</summary>
    private static WeeklyList Definition(RankedSubject[] subjects, int redSize, int blackSize)
    {
        static int Compare(RankedSubject a, RankedSubject b) =>
            b.Figures.Balance != a.Figures.Balance ? b.Figures.Balance.CompareTo(a.Figures.Balance)
            : a.Figures.CycleDeductionPoints != b.Figures.CycleDeductionPoints ? a.Figures.CycleDeductionPoints.CompareTo(b.Figures.CycleDeductionPoints)
            : b.Figures.WeekAdditionPoints.CompareTo(a.Figures.WeekAdditionPoints);
        static List<Standing> RankBy(IEnumerable<RankedSubject> subjects, Comparison<RankedSubject> compare)
        {
            var sorted = subjects.ToList();
            sorted.Sort((a, b) => compare(a, b) is var c && c != 0 ? c : string.CompareOrdinal(a.SubjectId, b.SubjectId));
            var result = new List<Standing>();
            for (int i = 0; i < sorted.Count; i++)
                result.Add(new Standing(i > 0 && compare(sorted[i - 1], sorted[i]) == 0 ? result[i - 1].Rank : i + 1, sorted[i].SubjectId, sorted[i].Name, sorted[i].CommunityId, sorted[i].Figures));
            return result;
        }
        return new WeeklyList(
            RankBy(subjects.Where(s => s.Figures.Balance > StreetSettings.BaseScore && s.Figures.WeekDeductionPoints == 0), Compare).Where(s => s.Rank <= redSize).ToList(),
            RankBy(subjects.Where(s => s.Figures.Balance < StreetSettings.BaseScore), (a, b) => Compare(b, a)).Where(s => s.Rank <= blackSize).ToList(),
            RankBy(subjects, Compare));
    }

    [Fact]
    public void The_lists_equal_their_definition_as_three_separate_rankings() =>
        Gen.Select(Weeks, Gen.Int).Sample((week, seed) =>
        {
            var (subjects, red, black) = week;
            var shuffled = subjects.ToArray();
            new Random(seed).Shuffle(shuffled);
            var list = WeeklyList.From(shuffled, red, black);
            var expected = Definition(subjects, red, black);
            return list.Red.SequenceEqual(expected.Red) && list.Black.SequenceEqual(expected.Black) && list.Standings.SequenceEqual(expected.Standings);
        });

    [Fact]
    public void Ranking_only_the_listed_subjects_gives_the_same_lists() =>
        Weeks.Sample((subjects, red, black) =>
        {
            var list = WeeklyList.From(subjects, red, black);
            var listed = list.Red.Concat(list.Black).Select(e => subjects.Single(s => s.SubjectId == e.SubjectId));
            var again = WeeklyList.From(listed, red, black);
            return again.Red.SequenceEqual(list.Red) && again.Black.SequenceEqual(list.Black);
        });
}
