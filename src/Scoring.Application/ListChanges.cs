using Scoring.Domain;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// How one person's place on a week's red or black list differs between its latest published revision and the list
/// computed now: on it now and not then (joined), then and not now (left, with their balance of the week now), or on
/// both with another rank, balance or name.
/// </summary>
public sealed record ListChange(bool Red, ListEntry? Published, ListEntry? Now, int? BalanceNow = null)
{
    public string SubjectId => (Now ?? Published)!.SubjectId;
    public bool Joined => Published is null;
    public bool Left => Now is null;
    /// <summary>On the list then and now at the same rank and balance, under another name (a roster correction, not the ledger's).</summary>
    public bool NameOnly => Published is { } was && Now is { } @is && was.Name != @is.Name && was with { Name = @is.Name } == @is;
}

/// <summary>What a correction would change of the published revision, for the officer who writes its public reason.</summary>
public static class ListChanges
{
    /// <summary>
    /// The differences of <paramref name="now"/> from <paramref name="published"/>, the red list's first, each list's leavers
    /// in their published order, then the others in the new order. Someone who left is given their balance of the week now
    /// (one read of their week totals each: a correction moves a few people).
    /// </summary>
    public static async Task<IReadOnlyList<ListChange>> BetweenAsync(Session s, Street street, PublishedList published, PublishedList now)
    {
        var changes = new List<ListChange>();
        var week = IsoWeek.Parse(now.Week);
        var cycle = ScoringCycle.Containing(week, street.Settings.Cycle);
        foreach (var (red, was, @is) in new[] { (true, published.Red, now.Red), (false, published.Black, now.Black) })
        {
            var before = was.ToDictionary(e => e.SubjectId, StringComparer.Ordinal);
            var after = @is.ToDictionary(e => e.SubjectId, StringComparer.Ordinal);
            foreach (var e in was.Where(e => !after.ContainsKey(e.SubjectId)))
                changes.Add(new ListChange(red, e, null, Reporting.BalanceOf(await s.WeekBalanceTotalAsync(e.SubjectId, cycle, week))));
            foreach (var e in @is)
            {
                if (!before.TryGetValue(e.SubjectId, out var then)) changes.Add(new ListChange(red, null, e));
                else if (then != e) changes.Add(new ListChange(red, then, e));
            }
        }
        return changes;
    }
}
