using Scoring.Application;

namespace Scoring.Application.Tests;

public class IdsTests
{
    [Fact]
    public void New_ids_use_only_the_unambiguous_alphabet_and_the_asked_length()
    {
        for (int length = 1; length <= 40; length++)
        {
            var id = Ids.New(length);
            Assert.Equal(length, id.Length);
            Assert.All(id, c => Assert.Contains(c, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"));
        }
    }

    [Fact]
    public void Ids_drawn_across_many_random_blocks_do_not_repeat()
    {
        // 20-character ids (100 random bits) repeat only if random bytes were handed out twice.
        var seen = new HashSet<string>();
        for (int i = 0; i < 20_000; i++) Assert.True(seen.Add(Ids.New(20)), "an id came twice");
    }

    [Fact]
    public async Task Ids_drawn_on_many_threads_at_once_do_not_repeat()
    {
        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 5_000).Select(_ => Ids.New(20)).ToList())));
        var all = batches.SelectMany(b => b).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void An_empty_id_or_one_longer_than_a_random_block_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Ids.New(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ids.New(10_000));
    }

    [Fact]
    public void Ordered_ids_sort_as_the_instants_they_were_made_at()
    {
        var start = new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8));
        var instants = Enumerable.Range(0, 500).Select(i => start.AddMilliseconds(i * 7919L % 100_000)).ToList();
        var ids = instants.Select(Ids.Ordered).ToList();

        Assert.All(ids, id => Assert.Equal(16, id.Length));
        Assert.All(ids, id => Assert.All(id, c => Assert.Contains(c, "0123456789ABCDEFGHJKMNPQRSTVWXYZ")));
        var byId = ids.Zip(instants).OrderBy(x => x.First, StringComparer.Ordinal).Select(x => x.Second).ToList();
        Assert.Equal(instants.OrderBy(x => x), byId);
        Assert.True(string.CompareOrdinal(Ids.Ordered(new DateTimeOffset(3000, 1, 1, 0, 0, 0, TimeSpan.Zero)), Ids.Ordered(start)) > 0);
    }

    [Fact]
    public void Ordered_ids_made_in_the_same_millisecond_differ()
    {
        var now = new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8));
        var ids = Enumerable.Range(0, 10_000).Select(_ => Ids.Ordered(now)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Single(ids.Select(id => id[..9]).Distinct());
    }

    [Fact]
    public void An_instant_s_floor_sorts_after_every_earlier_id_and_at_or_before_every_later_one()
    {
        var at = new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.Zero);
        var floor = Ids.OrderedFloor(at);

        Assert.True(string.CompareOrdinal(Ids.Ordered(at.AddMilliseconds(-1)), floor) < 0);
        Assert.True(string.CompareOrdinal(Ids.Ordered(at), floor) >= 0);
        Assert.True(string.CompareOrdinal(Ids.Ordered(at.AddDays(1)), floor) > 0);
    }
}
