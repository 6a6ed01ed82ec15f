using Scoring.Domain.Lists;

namespace Scoring.Domain.Tests.Lists;

public class HonoursTests
{
    [Fact]
    public void Subjects_on_the_red_list_at_least_K_times_are_candidates_most_listed_first()
    {
        var listings = new[] { "b", "a", "c", "a", "b", "a", "b", "a", "d" };
        var candidates = Honours.Candidates(listings, threshold: 3);
        Assert.Equal([new Honours.Candidate("a", 4), new Honours.Candidate("b", 3)], candidates);
    }

    [Fact]
    public void One_listing_short_of_K_is_not_enough()
    {
        Assert.Empty(Honours.Candidates(["a", "a", "b", "b"], threshold: 3));
        Assert.Equal(["a", "b"], Honours.Candidates(["a", "a", "b", "b"], threshold: 2).Select(c => c.SubjectId));
    }

    [Fact]
    public void Equal_counts_are_ordered_by_id_so_the_honours_list_is_stable()
    {
        var candidates = Honours.Candidates(["z", "m", "z", "m", "z", "m"], threshold: 3);
        Assert.Equal(["m", "z"], candidates.Select(c => c.SubjectId));
    }

    [Fact]
    public void No_listings_no_candidates() => Assert.Empty(Honours.Candidates([], 3));
}
